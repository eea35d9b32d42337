"""Settings: defaults here, then ``instance/portal.cfg``, then ``PORTAL_*`` variables.

A few conventional names (``DATABASE_URL``, ``REDIS_URL``, ``SECRET_KEY``,
``MAIL_SERVER``) are also read without the prefix, since hosting platforms set
them that way.
"""

from __future__ import annotations

import json
import logging
import os
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

from flask import Flask

from portal import features

log = logging.getLogger("portal.config")

DEV_SECRET_KEY = "development-only-not-secret"
DEV_BASE_URL = "http://127.0.0.1:5000"

DEFAULTS: dict[str, object] = {
    "ENV_NAME": "production",
    "SECRET_KEY": DEV_SECRET_KEY,
    "SITE_NAME": "Mentoring Circle",
    "CONTACT_EMAIL": "access@example.org",
    "DATABASE_URL": None,
    "REDIS_URL": None,
    "DEFAULT_TIMEZONE": "Europe/London",
    "MAX_CONTENT_LENGTH": 1024 * 1024,
    "MAX_FORM_MEMORY_SIZE": 256 * 1024,
    "MAX_FORM_PARTS": 200,
    "MAIL_SERVER": None,
    "MAIL_PORT": 25,
    "MAIL_USE_TLS": False,
    "MAIL_USE_SSL": False,
    "MAIL_USERNAME": None,
    "MAIL_PASSWORD": None,
    "MAIL_DEFAULT_SENDER": "Mentoring Circle <no-reply@localhost>",
    "MAIL_MAX_ATTEMPTS": 5,
    "MAIL_TIMEOUT": 30,
    "MAIL_WORKER_INTERVAL": 5,
    "MAIL_IN_PROCESS": False,
    "REMINDER_INTERVAL": 300,
    "DIGEST_INTERVAL": 24 * 3600,
    "FEATURES": list(features.INSTALLED),
    "BASE_URL": None,
    "TRUSTED_HOSTS": [],
    "PROXY_COUNT": 0,
    "RATELIMIT_ENABLED": True,
    "RATELIMIT_SIGNIN": "30 per 15 minutes",
    "RATELIMIT_SIGNIN_PAIR": "5 per 15 minutes",
    "RATELIMIT_SIGNIN_ACCOUNT": "20 per hour",
    "SIGNIN_UNLOCK_MAX_AGE": 3600,
    "RATELIMIT_REGISTER": "5 per hour",
    "RATELIMIT_EMAIL": "5 per hour",
    "PASSWORD_RESET_MAX_AGE": 3600,
    "EMAIL_VERIFY_MAX_AGE": 7 * 24 * 3600,
    "REMEMBER_COOKIE_DAYS": 30,
    "SIGN_IN_DAYS": 7,
    "WTF_CSRF_TIME_LIMIT": None,
    "WTF_CSRF_SSL_STRICT": False,
    "COMPRESS_ALGORITHM": ["gzip"],
    "COMPRESS_MIMETYPES": [
        "text/html",
        "text/css",
        "text/plain",
        "text/calendar",
        "image/svg+xml",
        "application/javascript",
        "text/javascript",
        "application/json",
        "application/atom+xml",
    ],
    "COMPRESS_MIN_SIZE": 256,
    # How long shared caches (a proxy, a CDN) may keep a page for signed-out visitors.
    "PUBLIC_CACHE_SECONDS": 60,
    "SQL_ECHO": False,
    "DATABASE_LOCK_TIMEOUT": 15,
    # How long a page's bookkeeping (a reader's place in a thread) waits for a lock before
    # it is given up: the finished page is not held back for it.
    "BOOKKEEPING_LOCK_TIMEOUT": 0.2,
    "EXPOSE_QUERY_COUNT": False,
    "TESTING": False,
    "STYLE_GUIDE": None,  # the /style-guide page; None: on in development and tests, off in production
}

BOOLEANS = {"1": True, "true": True, "yes": True, "on": True, "0": False, "false": False, "no": False, "off": False}
UNPREFIXED = ("DATABASE_URL", "REDIS_URL", "SECRET_KEY", "MAIL_SERVER")


class ConfigError(RuntimeError):
    """The settings cannot run the portal safely."""


def _coerce(variable: str, raw: str, default: object) -> object:
    """``raw`` as the type of ``default``; a value that is not is refused, naming ``variable``."""
    if isinstance(default, bool):
        if raw.lower() not in BOOLEANS:
            raise ConfigError(f"{variable} must be yes or no (or true/false, on/off, 1/0), not {raw!r}")
        return BOOLEANS[raw.lower()]
    if isinstance(default, int):
        try:
            return int(raw)
        except ValueError:
            raise ConfigError(f"{variable} must be a whole number, not {raw!r}") from None
    if isinstance(default, list):
        return json.loads(raw) if raw.startswith("[") else [p.strip() for p in raw.split(",")]
    return raw


def load(app: Flask, overrides: dict | None) -> None:
    """Fill ``app.config`` in precedence order; ``overrides`` (tests) win over all."""
    app.config.update(DEFAULTS)
    app.config.from_pyfile("portal.cfg", silent=True)
    for name in UNPREFIXED:
        if os.environ.get(name):
            app.config[name] = os.environ[name]
    for key, raw in os.environ.items():
        if key.startswith("PORTAL_"):
            name = key.removeprefix("PORTAL_")
            app.config[name] = _coerce(key, raw, app.config.get(name, DEFAULTS.get(name, "")))
    if overrides:
        app.config.update(overrides)
    finish(app)


def finish(app: Flask) -> None:
    """Derive the settings that follow from others and refuse unsafe production ones."""
    cfg = app.config
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    if not cfg["DATABASE_URL"]:
        cfg["DATABASE_URL"] = "sqlite:///" + str(Path(app.instance_path) / "portal.sqlite3")
    development = cfg["ENV_NAME"] in ("development", "testing")
    if not development and cfg["SECRET_KEY"] in (DEV_SECRET_KEY, "", None):
        raise ConfigError(
            "Refusing to start: set a real SECRET_KEY (PORTAL_SECRET_KEY or SECRET_KEY) "
            "for production, for example the output of "
            "`python -c 'import secrets; print(secrets.token_urlsafe(48))'`."
        )
    _check_base_url(cfg, development)
    guide = cfg["STYLE_GUIDE"]
    cfg["STYLE_GUIDE"] = development if guide is None else _coerce("PORTAL_STYLE_GUIDE", str(guide), False)
    if not development and not cfg["REDIS_URL"]:
        log.warning(
            "REDIS_URL is not set: rate limits are kept inside each worker process, so with several "
            "workers (or servers) each one counts on its own and every limit is multiplied. "
            "Set REDIS_URL to share them."
        )
    cfg["SESSION_COOKIE_SECURE"] = not development
    cfg["REMEMBER_COOKIE_SECURE"] = not development
    cfg["SESSION_COOKIE_HTTPONLY"] = True
    cfg["REMEMBER_COOKIE_HTTPONLY"] = True
    cfg["SESSION_COOKIE_SAMESITE"] = "Lax"
    cfg["REMEMBER_COOKIE_SAMESITE"] = "Lax"
    cfg["RATELIMIT_STORAGE_URI"] = cfg["REDIS_URL"] or "memory://"
    cfg["RATELIMIT_HEADERS_ENABLED"] = True
    cfg["MAIL_SUPPRESS_SEND"] = False
    cfg["REMEMBER_COOKIE_DURATION"] = timedelta(days=int(cfg["REMEMBER_COOKIE_DAYS"]))


def _check_base_url(cfg, development: bool) -> None:
    """Links in emails come from ``BASE_URL`` alone, never from a request's Host header (which
    the client chooses), so production needs it; and production answers only its own host."""
    if not cfg["BASE_URL"]:
        if not development:
            raise ConfigError(
                "Refusing to start: set BASE_URL (PORTAL_BASE_URL) to the portal's public address, "
                "like https://mentoring.example.org; links in emails are built from it."
            )
        cfg["BASE_URL"] = DEV_BASE_URL
    base = urlsplit(cfg["BASE_URL"])
    if base.scheme not in ("http", "https") or not base.hostname or base.path.strip("/"):
        raise ConfigError(
            f"BASE_URL must be an address like https://mentoring.example.org, not {cfg['BASE_URL']!r}"
        )
    cfg["BASE_URL"] = cfg["BASE_URL"].rstrip("/")
    if cfg["TRUSTED_HOSTS"]:
        return
    # Flask checks each request's Host against this list (400 otherwise); development and tests
    # are reached under many names (127.0.0.1, localhost, the test client's).
    cfg["TRUSTED_HOSTS"] = None if development else [base.hostname]
