"""The portal: ``create_app`` builds it in named steps."""

from __future__ import annotations

import logging

from flask import Flask, g, make_response, render_template, request
from flask_limiter.errors import RateLimitExceeded
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import HTTPException, SecurityError
from werkzeug.middleware.proxy_fix import ProxyFix

from portal import config, features
from portal.core import assets, caching, routing, security
from portal.core.avatars import avatar_colour, initials
from portal.core.background import start_thread
from portal.core.db import is_lock_timeout
from portal.core.features import Registry
from portal.core.mail import deliver_due
from portal.core.navigation import navigation
from portal.core.permissions import Permission, can
from portal.core.text import excerpt_of_html, render_markdown, shown
from portal.core.time import (
    clock,
    day_label,
    event_time_tag,
    group_by_day,
    month_label,
    relative_time_tag,
    time_tag,
)
from portal.extensions import compress, csrf, db, htmx, limiter, login_manager, mail

ERROR_PAGES = (400, 403, 404, 405, 413, 422, 429, 500, 503)
BUSY_RETRY_AFTER = 10  # seconds


def create_app(overrides: dict | None = None, instance_path: str | None = None) -> Flask:
    """Build the portal; ``overrides`` replace any setting, ``instance_path`` moves the
    instance folder (database, mail files, portal.cfg) elsewhere; tests use both."""
    app = Flask(__name__, instance_relative_config=True, static_folder=None, instance_path=instance_path)
    configure(app, overrides)
    register_extensions(app)
    register_features(app)
    register_blueprints(app)
    register_templates(app)
    register_cli(app)
    register_errors(app)
    start_background_work(app)
    return app


def configure(app: Flask, overrides: dict | None) -> None:
    config.load(app, overrides)
    if not logging.getLogger().handlers:
        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
        logging.getLogger("alembic").setLevel(logging.WARNING)
    if app.config.get("PROXY_COUNT"):
        count = int(app.config["PROXY_COUNT"])
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count, x_host=count)


def register_extensions(app: Flask) -> None:
    from portal.blueprints.accounts.services import load_session_user

    routing.init_app(app)
    db.init_app(app)
    csrf.init_app(app)
    htmx.init_app(app)
    mail.init_app(app)
    compress.init_app(app)
    limiter.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "accounts.sign_in"
    login_manager.login_message = "Sign in to see that page."
    login_manager.login_message_category = "info"
    login_manager.session_protection = None
    login_manager.user_loader(lambda session_id: load_session_user(db.session, session_id))
    security.init_app(app)
    assets.init_app(app)
    caching.init_app(app)  # after compress, so it runs before it (after_request runs in reverse)


def register_features(app: Flask) -> None:
    """Load the installed features (``FEATURES``) that are switched on, and keep what they declare."""
    loaded = features.load(app.config["FEATURES"])
    app.extensions["features"] = Registry([f for f in loaded if f.switch is None or app.config[f.switch]])


def register_blueprints(app: Flask) -> None:
    for feature in app.extensions["features"].features:
        if feature.blueprint is not None:
            app.register_blueprint(feature.blueprint)


def register_templates(app: Flask) -> None:
    app.jinja_env.globals.update(
        can=can,
        navigation=navigation,
        Permission=Permission,
        time_tag=time_tag,
        relative_time_tag=relative_time_tag,
        event_time_tag=event_time_tag,
        initials=initials,
        avatar_colour=avatar_colour,
        site_name=app.config["SITE_NAME"],
    )
    app.jinja_env.filters.update(
        markdown=render_markdown, shown=shown, excerpt_of_html=excerpt_of_html, day_label=day_label, group_by_day=group_by_day,
        month_label=month_label, clock=clock,
    )
    for feature in app.extensions["features"].features:
        app.jinja_env.filters.update(feature.template_filters)
        app.jinja_env.globals.update(feature.template_globals)
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True

    @app.context_processor
    def preferences() -> dict:
        user = current_user if current_user and current_user.is_authenticated else None
        classes = []
        if user:
            classes = [name for name, on in (
                ("pref-reduced-motion", user.reduced_motion),
                ("pref-high-contrast", user.high_contrast),
                ("pref-large-text", user.large_text),
            ) if on]
        low_data = bool(user and user.low_data)
        # Pictures come from other sites, which learn who reads: only for people who chose them.
        remote_images = bool(user and user.show_remote_images) and not low_data
        return {"preference_classes": " ".join(classes), "low_data": low_data,
                "images_as_links": not remote_images}


def register_cli(app: Flask) -> None:
    from portal.cli import register

    register(app)


def _error_page(error: HTTPException):
    if error.response is not None:  # a page of its own, made where the error was raised
        return error.response
    code = error.code or 500
    context = {"error": error}
    if isinstance(error, RateLimitExceeded):
        context["retry_after"] = _retry_after_minutes()
        security.log.warning("rate limit hit path=%s address=%s", request.path, security.client_address())
    if code in (401, 403):
        security.log.warning("denied path=%s status=%s", request.path, code)
    template = f"errors/{code}.html" if code in ERROR_PAGES else "errors/generic.html"
    # Flask-Limiter adds the Retry-After header itself.
    return app_response(template, code, context)


def _retry_after_minutes() -> int:
    current = limiter.current_limit
    return 15 if current is None else security.minutes_until(current.reset_at)


def app_response(template: str, code: int, context: dict):
    return make_response(render_template(template, **context), code)


def register_errors(app: Flask) -> None:
    app.register_error_handler(HTTPException, _error_page)

    @app.errorhandler(SecurityError)
    def untrusted_host(_error: SecurityError):
        # No page: with a Host outside TRUSTED_HOSTS no URL of this site can be built.
        security.log.warning("denied reason=untrusted-host address=%s", security.client_address())
        return make_response("This server does not answer for that address.\n", 400,
                             {"Content-Type": "text/plain; charset=utf-8"})

    @app.errorhandler(CSRFError)
    def csrf_failed(error: CSRFError):
        security.log.warning("denied path=%s reason=csrf", request.path)
        return app_response("errors/400.html", 400, {"error": error, "csrf": True})

    @app.errorhandler(OperationalError)
    def database_busy(error: OperationalError):
        if not is_lock_timeout(error):
            return server_error(error)
        app.logger.warning("database busy on %s: %s", request.path, error.orig)
        db.session.rollback()
        g.read_only = True  # the page itself must not queue for the lock again
        response = app_response("errors/503.html", 503, {"error": error})
        response.headers["Retry-After"] = str(BUSY_RETRY_AFTER)
        return response

    @app.errorhandler(Exception)
    def server_error(error: Exception):
        app.logger.exception("unhandled error on %s", request.path)
        db.session.rollback()
        return app_response("errors/500.html", 500, {"error": error})


def start_background_work(app: Flask) -> None:
    """Under `make run`, deliver mail and run every feature's scheduled work from
    threads of the server."""
    if app.config["MAIL_IN_PROCESS"] and not app.config["TESTING"]:
        jobs = [job for feature in app.extensions["features"].features for job in feature.background]
        app.extensions["background"] = [
            start_thread(app, deliver_due, app.config["MAIL_WORKER_INTERVAL"], "mail-worker"),
            *(start_thread(app, job.run, app.config[job.interval], job.name) for job in jobs),
        ]
