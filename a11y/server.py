"""The portal as a live server on a free loopback port, with demo data, for the browser.

One app, in a thread, on its own database: a SQLite file in a temporary folder,
or, when ``PORTAL_TEST_DATABASE_URL`` names a PostgreSQL database, a sibling
database called ``<name>_a11y`` that is dropped and created afresh. A WSGI
recorder keeps the last responses so checks can read what the browser was sent
(markup for the validator, ``X-Query-Count`` for the query budget).
"""

from __future__ import annotations

import gzip
import http.client
import os
import re
import threading
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TypeVar
from urllib.parse import urlsplit

from flask import Flask
from sqlalchemy import create_engine, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session
from werkzeug.datastructures import Headers
from werkzeug.serving import WSGIRequestHandler, make_server

from a11y import data
from portal import create_app
from portal.blueprints.accounts import services
from portal import schema
from portal.core.mail import OutboxMessage
from portal.extensions import db

T = TypeVar("T")


@dataclass(frozen=True)
class Exchange:
    """One request the server answered, with the body as sent (maybe compressed)."""

    method: str
    path: str
    query: str
    status: int
    headers: Headers
    body: bytes

    @property
    def target(self) -> str:
        return self.path + ("?" + self.query if self.query else "")

    @property
    def text(self) -> str:
        """The body decoded, gunzipped first when it was sent compressed."""
        raw = gzip.decompress(self.body) if self.headers.get("Content-Encoding") == "gzip" else self.body
        return raw.decode("utf-8")

    @property
    def query_count(self) -> int | None:
        value = self.headers.get("X-Query-Count")
        return int(value) if value is not None else None


class Recorder:
    """WSGI middleware that keeps the last ``size`` exchanges, newest last."""

    def __init__(self, app, size: int = 200) -> None:
        self.app = app
        self.exchanges: deque[Exchange] = deque(maxlen=size)
        self.lock = threading.Lock()

    def __call__(self, environ, start_response):
        sent: dict = {}

        def recording_start(status, headers, exc_info=None):
            sent["status"], sent["headers"] = int(status.split()[0]), Headers(headers)
            return start_response(status, headers, exc_info)

        result = self.app(environ, recording_start)
        try:
            body = b"".join(result)
        finally:
            if hasattr(result, "close"):
                result.close()
        exchange = Exchange(environ["REQUEST_METHOD"], environ.get("PATH_INFO", ""),
                            environ.get("QUERY_STRING", ""), sent["status"], sent["headers"], body)
        with self.lock:
            self.exchanges.append(exchange)
        return [body]

    def latest(self, method: str, target: str) -> Exchange | None:
        """The newest exchange for ``method`` on ``target`` (path plus query), or None."""
        with self.lock:
            for exchange in reversed(self.exchanges):
                if exchange.method == method and exchange.target == target:
                    return exchange
        return None


class QuietHandler(WSGIRequestHandler):
    """Serve without logging every request; failures still surface as 500 pages."""

    def log_request(self, *args, **kwargs) -> None:
        pass


def fresh_postgres(url: str) -> str:
    """Drop and create ``<database>_a11y`` beside the one ``url`` names; return its URL."""
    parsed = make_url(url)
    name = f"{parsed.database}_a11y"
    admin = create_engine(parsed.set(database="postgres", drivername="postgresql+psycopg"),
                          isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return parsed.set(database=name).render_as_string(hide_password=False)


def database_url(folder: str) -> str:
    """PostgreSQL when ``PORTAL_TEST_DATABASE_URL`` is set, else a SQLite file in ``folder``."""
    url = os.environ.get("PORTAL_TEST_DATABASE_URL")
    if url:
        return fresh_postgres(url)
    return "sqlite:///" + os.path.join(folder, "a11y.sqlite3")


def settings(url: str) -> dict:
    return {
        "ENV_NAME": "testing",
        "TESTING": True,
        "SECRET_KEY": "a11y-secret-key",
        "DATABASE_URL": url,
        "RATELIMIT_ENABLED": False,
        "EXPOSE_QUERY_COUNT": True,
        "SERVER_NAME": None,
    }


def seed(app: Flask) -> None:
    """The demo data exactly as ``flask seed-demo`` loads it, then each feature's extras."""
    with app.app_context():
        result = app.test_cli_runner().invoke(args=["seed-demo"])
        assert result.exit_code == 0, f"flask seed-demo failed: {result.output} {result.exception!r}"
        for feature in data.SEEDS:
            feature(db.session)
        db.session.commit()


class LivePortal:
    """The running portal: its base URL, recorded exchanges, users, and links from its mail."""

    def __init__(self, folder: str) -> None:
        instance = os.path.join(folder, "instance")
        self.app: Flask = create_app(settings(database_url(folder)), instance_path=instance)
        schema.upgrade(db.state(self.app).engine)
        seed(self.app)
        self.recorder = Recorder(self.app.wsgi_app)
        self.app.wsgi_app = self.recorder
        self.server = make_server("127.0.0.1", 0, self.app, threaded=True, request_handler=QuietHandler)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.app.config["BASE_URL"] = self.url
        self.links = self._links()
        self.thread = threading.Thread(target=self.server.serve_forever, name="a11y-portal", daemon=True)
        self.thread.start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join()
        db.state(self.app).engine.dispose()

    @contextmanager
    def session(self) -> Iterator[Session]:
        """The app's database session inside an app context (commit it yourself)."""
        with self.app.app_context():
            yield db.session

    def absolute(self, path: str) -> str:
        return self.url + path

    def fetch(self, target: str, cookie: str = "") -> Exchange:
        """GET ``target`` (path and query) over HTTP as a browser would, without following
        redirects; ``cookie`` is a Cookie header (see ``Chromium.cookie_header``)."""
        connection = http.client.HTTPConnection("127.0.0.1", self.server.server_port, timeout=30)
        try:
            connection.request("GET", target, headers={"Cookie": cookie, "Accept-Encoding": "gzip"})
            response = connection.getresponse()
            body = response.read()
        finally:
            connection.close()
        path, _, query = target.partition("?")
        return Exchange("GET", path, query, response.status, Headers(response.getheaders()), body)

    def lookup(self, find: Callable[..., T], *args) -> T:
        """``find(session, *args)`` in the app: for page-state URLs (ids, tokens)."""
        with self.session() as session:
            return find(session, *args)

    def mail_link(self, recipient: str, path_prefix: str) -> str:
        """The path of the first link to ``path_prefix`` in the newest email to ``recipient``."""
        with self.session() as session:
            body = session.scalar(
                select(OutboxMessage.text_body).where(OutboxMessage.recipient == recipient)
                .order_by(OutboxMessage.id.desc()).limit(1)
            )
        assert body is not None, f"no email was queued for {recipient}"
        match = re.search(rf"https?://\S+?{re.escape(path_prefix)}\S*", body)
        assert match, f"the newest email to {recipient} has no link to {path_prefix}:\n{body}"
        return urlsplit(match.group()).path

    def _links(self) -> dict[str, str]:
        """Working links of each kind the portal emails, made as its own mail makes them."""
        links = {
            "verify": self.mail_link(data.ACCOUNTS["unverified"], "/verify/"),
            "confirm-email": self.mail_link(data.NEW_ADDRESS, "/email/confirm/"),
        }
        for name, send, prefix in (("reset", services.request_password_reset, "/reset-password/"),
                                   ("unlock", services.send_unlock_link, "/sign-in/unlock/")):
            with self.session() as session:
                send(session, data.ACCOUNTS["member"])
                session.commit()
            links[name] = self.mail_link(data.ACCOUNTS["member"], prefix)
        return links

    def grow(self, factor: int) -> None:
        """Multiply the data ``factor`` times over, feature by feature (``data.GROWTH``)."""
        with self.session() as session:
            for feature in data.GROWTH:
                feature(session, factor)
            session.commit()

    def shrink(self) -> None:
        """Undo ``grow``."""
        with self.session() as session:
            data.shrink(session)
            session.commit()
