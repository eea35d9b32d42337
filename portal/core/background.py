"""Jobs that run every few seconds or minutes: in their own process in production
(`flask mail-worker`, `flask send-reminders` from cron), in threads under `make run`."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from flask import Flask
from sqlalchemy.orm import Session

from portal.extensions import db

log = logging.getLogger("portal.background")

Job = Callable[[Session], object]


def run_periodically(app: Flask, job: Job, interval: float, stop: threading.Event) -> None:
    """Run ``job`` with a fresh session every ``interval`` seconds until ``stop`` is set.

    A failing pass is logged and tried again next time; the job commits its own work.
    """
    while not stop.is_set():
        with app.app_context():
            session = db.new_session()
            try:
                job(session)
            except Exception:
                session.rollback()
                log.exception("%s failed; trying again in %ss", getattr(job, "__name__", "job"), interval)
            finally:
                session.close()
        stop.wait(interval)


def start_thread(app: Flask, job: Job, interval: float, name: str) -> threading.Event:
    """Run ``job`` periodically in a daemon thread; set the returned event to stop it."""
    stop = threading.Event()
    threading.Thread(target=run_periodically, args=(app, job, interval, stop), name=name, daemon=True).start()
    return stop
