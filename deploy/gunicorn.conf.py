"""Gunicorn settings for one app server of the reference set-up (see README.md here).

Sync workers: each request holds one worker, and the database, not Python, is what a
request waits on, so two workers per core is the usual start. Settings come from the
environment so one file serves every server.
"""

import os

wsgi_app = "portal:create_app()"
bind = os.environ.get("PORTAL_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("PORTAL_WORKERS", "2"))
worker_class = "sync"
# Stopping a server lets its requests finish first; nginx sends new ones elsewhere.
graceful_timeout = 10
timeout = 30
