"""A portal served on a loopback port, on a fresh database of its own, and people who use
it over plain HTTP: for tests of rules that must hold under concurrent requests.

Requests run in real threads with real connections and real commits, not inside the
suite's rolled-back transaction. Each simulated person signs in over HTTP with their own
cookie and reads a CSRF token from a real form; ``all_at_once`` then sends their posts
together, released by a barrier. The database is a SQLite file in the test's folder, or
``<name>_live`` beside the PostgreSQL database ``PORTAL_TEST_DATABASE_URL`` names.
"""

from __future__ import annotations

import http.client
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from urllib.parse import urlencode, urlsplit

import pytest
from argon2 import PasswordHasher
from flask import Flask
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session
from werkzeug.serving import WSGIRequestHandler, make_server

from portal import create_app, schema
from portal.blueprints.accounts import passwords
from portal.blueprints.accounts.models import User
from portal.core.db import utcnow
from portal.core.permissions import Role
from portal.extensions import db
from tests.helpers import test_settings
from tests.helpers import forms_in

PASSWORD = "correct horse battery"
TIMEOUT = 30  # seconds, for every request and every wait
# Argon2 at its real cost takes most of a second here; the live server runs in
# this process, so the test swaps in a cheap hasher (hash, verify and rehash
# checks all agree, so signing in does not rehash).
CHEAP_HASHER = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)


# The live server


class QuietHandler(WSGIRequestHandler):
    def log_request(self, *args, **kwargs) -> None:
        pass


def fresh_database(base_url: str, folder) -> tuple[str, Callable[[], None]]:
    """A fresh database for the live server, and how to remove it afterwards."""
    if not base_url.startswith("postgresql"):
        return "sqlite:///" + str(folder / "live.sqlite3"), lambda: None
    parsed = make_url(base_url)
    name = f"{parsed.database}_live"
    admin_url = parsed.set(database="postgres", drivername="postgresql+psycopg")

    def admin(statement: str) -> None:
        engine = create_engine(admin_url, isolation_level="AUTOCOMMIT")
        try:
            with engine.connect() as connection:
                connection.execute(text(statement))
        finally:
            engine.dispose()

    admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin(f'CREATE DATABASE "{name}"')
    return (parsed.set(database=name).render_as_string(hide_password=False),
            lambda: admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@dataclass
class LiveServer:
    app: Flask
    host: str
    port: int

    @contextmanager
    def session(self) -> Iterator[Session]:
        """The app's session in an app context; commit it yourself."""
        with self.app.app_context():
            yield db.session

    def person(self, email: str) -> Person:
        return Person(self, email)


@pytest.fixture
def live_server(database_url, tmp_path, monkeypatch) -> Iterator[LiveServer]:
    monkeypatch.setattr(passwords, "_hasher", CHEAP_HASHER)
    url, drop = fresh_database(database_url, tmp_path)
    app = create_app(test_settings(url), instance_path=str(tmp_path / "instance"))
    engine = db.state(app).engine
    server = None
    try:
        schema.upgrade(engine)
        server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=QuietHandler)
        thread = threading.Thread(target=server.serve_forever, name="live-portal", daemon=True)
        thread.start()
        yield LiveServer(app, "127.0.0.1", server.server_port)
    finally:
        if server is not None:
            server.shutdown()
            server.server_close()
            thread.join(TIMEOUT)
        engine.dispose()
        drop()


# A person with a browser's cookie jar, speaking plain HTTP


@dataclass
class Reply:
    status: int
    location: str
    body: str


class Person:
    def __init__(self, server: LiveServer, email: str) -> None:
        self.server = server
        self.email = email
        self.cookies: dict[str, str] = {}
        self.csrf_token = ""

    def connection(self) -> http.client.HTTPConnection:
        connection = http.client.HTTPConnection(self.server.host, self.server.port, timeout=TIMEOUT)
        connection.connect()
        return connection

    def request(self, method: str, path: str, form: dict | None = None,
                connection: http.client.HTTPConnection | None = None) -> Reply:
        """One request on a new (or the given, already open) connection; cookies kept."""
        connection = connection or self.connection()
        try:
            headers = {"Connection": "close"}
            if self.cookies:
                headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
            body = None
            if form is not None:
                body = urlencode(form)
                headers["Content-Type"] = "application/x-www-form-urlencoded"
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            data = response.read().decode("utf-8")
            for cookie in response.headers.get_all("Set-Cookie") or []:
                name, _, value = cookie.split(";", 1)[0].partition("=")
                if value and "max-age=0" not in cookie.lower():
                    self.cookies[name.strip()] = value
                else:
                    self.cookies.pop(name.strip(), None)
            return Reply(response.status, response.headers.get("Location", ""), data)
        finally:
            connection.close()

    def sign_in(self) -> None:
        page = self.request("GET", "/sign-in")
        form = next(f for f in forms_in(page.body) if f.method == "post" and "password" in dict(f.fields))
        fields = dict(form.fields) | {"email": self.email, "password": PASSWORD}
        reply = self.request("POST", urlsplit(form.action).path or "/sign-in", fields)
        assert reply.status == 303, f"{self.email} could not sign in: {reply.status}"

    def hold_token(self, path: str, action: str) -> str:
        """Load ``path`` and keep the CSRF token of its form that posts to ``action``;
        returns the page."""
        page = self.request("GET", path)
        assert page.status == 200, f"{path}: {page.status}"
        forms = [f for f in forms_in(page.body) if urlsplit(f.action).path == action]
        assert forms, f"{self.email} sees no form posting to {action} on {path}"
        self.csrf_token = dict(forms[0].fields)["csrf_token"]
        return page.body


# Data


def members(server: LiveServer, count: int, prefix: str) -> list[str]:
    shared = passwords.hash_password(PASSWORD)  # hashed once, cheaply: see CHEAP_HASHER
    emails = [f"{prefix}{n:03d}@live.example.org" for n in range(count)]
    with server.session() as session:
        session.add_all(
            User(email=email, display_name=f"Live {prefix} {n:03d}", password_hash=shared,
                 role=Role.MEMBER.value, email_verified_at=utcnow())
            for n, email in enumerate(emails)
        )
        session.commit()
    return emails


def all_at_once(jobs: list[tuple[Person, str, dict]]) -> list[Reply]:
    """Send every (person, path, form) POST at the same moment; the replies in order.

    Each thread opens its connection first, then waits at the barrier, so the
    requests leave together.
    """
    barrier = threading.Barrier(len(jobs), timeout=TIMEOUT)

    def send(job: tuple[Person, str, dict]) -> Reply:
        person, path, form = job
        connection = person.connection()
        try:
            barrier.wait()
        except threading.BrokenBarrierError:
            connection.close()
            raise
        return person.request("POST", path, form, connection=connection)

    with ThreadPoolExecutor(max_workers=len(jobs)) as pool:
        futures = [pool.submit(send, job) for job in jobs]
        return [future.result(timeout=TIMEOUT * 2) for future in futures]


