"""RSVPs under concurrent requests, through a live server: no oversell, no double RSVP.

Each test starts the portal in a thread on a loopback port, on its own fresh
database (a SQLite file in the test's folder, or ``<name>_live`` beside the
PostgreSQL database ``PORTAL_TEST_DATABASE_URL`` names), so requests run in
real threads with real connections and real commits, not inside the suite's
rolled-back transaction. Every simulated person signs in over HTTP with their
own cookie, reads the CSRF token from the event page's RSVP form, and then all
of them post at once, released together by a barrier.
"""

from __future__ import annotations

import http.client
import re
import threading
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import urlencode, urlsplit

import pytest
from argon2 import PasswordHasher
from flask import Flask
from sqlalchemy import create_engine, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session
from werkzeug.serving import WSGIRequestHandler, make_server

from portal import create_app, schema
from portal.blueprints.accounts import passwords
from portal.blueprints.accounts.models import User
from portal.blueprints.events import services
from portal.blueprints.events.models import Answer, Event, EventStatus, Rsvp
from portal.core.db import utcnow
from portal.core.mail import OutboxMessage
from portal.core.permissions import Role
from portal.extensions import db
from tests.conftest import test_settings
from tests.helpers import forms_in

pytestmark = pytest.mark.live

PASSWORD = "correct horse battery"
CAPACITY = 5
PEOPLE = 60
TIMEOUT = 30  # seconds, for every request and every wait
# Argon2 at its real cost takes most of a second here; the live server runs in
# this process, so the test swaps in a cheap hasher (hash, verify and rehash
# checks all agree, so signing in does not rehash).
CHEAP_HASHER = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)


# The live server


class QuietHandler(WSGIRequestHandler):
    def log_request(self, *args, **kwargs) -> None:
        pass


def _live_database(base_url: str, folder) -> tuple[str, Callable[[], None]]:
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
    url, drop = _live_database(database_url, tmp_path)
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

    def open_event(self, event_id: int) -> str:
        """Load the event page and keep the RSVP form's CSRF token; returns the page."""
        page = self.request("GET", f"/events/{event_id}")
        assert page.status == 200, page.status
        rsvp_forms = [f for f in forms_in(page.body) if urlsplit(f.action).path == f"/events/{event_id}/rsvp"]
        assert rsvp_forms, f"{self.email} sees no RSVP form on event {event_id}"
        self.csrf_token = dict(rsvp_forms[0].fields)["csrf_token"]
        return page.body

    def rsvp_form(self, answer: str) -> dict:
        return {"csrf_token": self.csrf_token, "answer": answer, "needs_other": ""}


# Data


def _members(server: LiveServer, count: int, prefix: str) -> list[str]:
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


def _event(server: LiveServer, capacity: int = CAPACITY) -> int:
    with server.session() as session:
        starts = utcnow() + timedelta(days=10)
        event = Event(title="Speed mentoring", summary="Five places only", starts_at=starts,
                      ends_at=starts + timedelta(hours=2), timezone="Europe/London", format="online",
                      join_url="https://meet.example.org/speed", capacity=capacity, going_count=0,
                      status=EventStatus.PUBLISHED.value)
        session.add(event)
        session.commit()
        return event.id


def _ready(server: LiveServer, emails: list[str], event_id: int) -> list[Person]:
    """Everyone signed in over HTTP, holding the event page's CSRF token."""
    people = [server.person(email) for email in emails]

    def prepare(person: Person) -> Person:
        person.sign_in()
        person.open_event(event_id)
        return person

    with ThreadPoolExecutor(max_workers=8) as pool:
        return list(pool.map(prepare, people, timeout=TIMEOUT * 2))


def _all_at_once(jobs: list[tuple[Person, str, dict]]) -> list[Reply]:
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


@dataclass
class State:
    going_count: int
    capacity: int
    going: list[str]  # emails, in queue order
    waiting: list[str]  # emails, in queue order
    not_going: list[str]
    rsvp_rows: Counter  # email -> number of rows
    positions: dict[str, int]  # email -> waiting position, as the portal computes it
    mail: Counter  # (email, subject prefix) -> number of messages queued
    told: list[int]  # the waiting-list places the emails gave, one per waiting email


def _state(server: LiveServer, event_id: int) -> State:
    with server.session() as session:
        event = session.get(Event, event_id)
        rows = session.execute(
            select(Rsvp, User.email).join(User, User.id == Rsvp.user_id)
            .where(Rsvp.event_id == event_id).order_by(Rsvp.queued_at, Rsvp.id)
        ).all()
        by_answer: dict[str, list[str]] = {a.value: [] for a in Answer}
        positions = {}
        for record, email in rows:
            by_answer[record.answer].append(email)
            if record.answer == Answer.WAITING:
                positions[email] = services.waiting_position(session, record)
        messages = session.execute(select(OutboxMessage.recipient, OutboxMessage.subject,
                                          OutboxMessage.text_body)).all()
        mail = Counter((recipient, subject.split(":")[0]) for recipient, subject, _ in messages)
        told = [int(m.group(1)) for _, _, body in messages
                if (m := re.search(r"you're number (\d+) on the waiting list", body))]
        state = State(event.going_count, event.capacity, by_answer["going"], by_answer["waiting"],
                      by_answer["not_going"], Counter(email for _, email in rows), positions, mail, told)
        session.rollback()
        return state


def _assert_consistent(state: State) -> None:
    """The invariants that must hold after any interleaving."""
    assert state.going_count == len(state.going), "going_count disagrees with the going rows"
    assert len(state.going) <= state.capacity, f"oversold: {len(state.going)} going, {state.capacity} places"
    assert all(n == 1 for n in state.rsvp_rows.values()), f"double RSVP: {state.rsvp_rows.most_common(3)}"
    assert sorted(state.positions.values()) == list(range(1, len(state.waiting) + 1)), (
        f"waiting positions are not 1..{len(state.waiting)}: {sorted(state.positions.values())}")
    if state.waiting:
        assert len(state.going) == state.capacity, "a place is free while people wait"


def _assert_all_redirected(replies: list[Reply], event_id: int) -> None:
    statuses = Counter(reply.status for reply in replies)
    assert statuses == Counter({303: len(replies)}), f"not every RSVP was answered 303: {statuses}"
    assert all(urlsplit(r.location).path == f"/events/{event_id}" for r in replies)


def _positions_on_pages(people: list[Person], event_id: int) -> dict[str, str]:
    """What each person's own event page says about their reply."""
    def read(person: Person) -> tuple[str, str]:
        body = person.request("GET", f"/events/{event_id}").body
        match = re.search(r"You're number (\d+) on the waiting list|You're going\.", body)
        return person.email, (match.group(1) or "going") if match else "none"

    with ThreadPoolExecutor(max_workers=8) as pool:
        return dict(pool.map(read, people, timeout=TIMEOUT * 2))


# The tests


def test_simultaneous_rsvps_never_oversell(live_server):
    emails = _members(live_server, PEOPLE, "crowd")
    event_id = _event(live_server)
    people = _ready(live_server, emails, event_id)

    replies = _all_at_once([(p, f"/events/{event_id}/rsvp", p.rsvp_form("going")) for p in people])

    _assert_all_redirected(replies, event_id)
    state = _state(live_server, event_id)
    _assert_consistent(state)
    assert len(state.going) == CAPACITY
    assert state.going_count == CAPACITY
    assert len(state.waiting) == PEOPLE - CAPACITY
    assert sorted(state.going + state.waiting) == sorted(emails)
    # Everyone was told once, by the email that matches where they ended up.
    for email in state.going:
        assert state.mail[(email, "You're going")] == 1
    for email in state.waiting:
        assert state.mail[(email, "You're on the waiting list")] == 1
    assert sum(state.mail.values()) == PEOPLE
    # Each waiting email named a different place in the queue, 1 to 55.
    assert sorted(state.told) == list(range(1, PEOPLE - CAPACITY + 1)), sorted(state.told)
    # Each person's own page agrees: five going, the rest numbered 1..55 in queue order.
    shown = _positions_on_pages(people, event_id)
    assert [shown[e] for e in state.going] == ["going"] * CAPACITY
    assert [shown[e] for e in state.waiting] == [str(n) for n in range(1, PEOPLE - CAPACITY + 1)]


def test_double_submit_makes_one_rsvp(live_server):
    [email] = _members(live_server, 1, "eager")
    event_id = _event(live_server)
    [person] = _ready(live_server, [email], event_id)
    form = person.rsvp_form("going")

    replies = _all_at_once([(person, f"/events/{event_id}/rsvp", form) for _ in range(10)])

    _assert_all_redirected(replies, event_id)
    state = _state(live_server, event_id)
    _assert_consistent(state)
    assert state.rsvp_rows == Counter({email: 1})
    assert state.going == [email]
    assert state.going_count == 1
    assert state.mail == Counter({(email, "You're going"): 1}), "one reply, one confirmation email"


def test_cancellations_racing_new_replies_promote_in_order(live_server):
    """Three of the five going cancel while five newcomers say yes: the first three
    on the waiting list take the freed places, the newcomers queue behind."""
    going, waiting, newcomers = 5, 10, 5
    emails = _members(live_server, going + waiting + newcomers, "race")
    event_id = _event(live_server)
    with live_server.session() as session:
        event = session.get(Event, event_id)
        for email in emails[: going + waiting]:
            user = session.scalar(select(User).where(User.email == email))
            services.rsvp(session, event, user, True, services.Needs())
        session.commit()
    before = _state(live_server, event_id)
    _assert_consistent(before)
    assert before.going == emails[:going] and before.waiting == emails[going: going + waiting]

    cancellers = emails[:3]
    joiners = emails[going + waiting:]
    people = {p.email: p for p in _ready(live_server, cancellers + joiners, event_id)}
    jobs = [(people[e], f"/events/{event_id}/rsvp", people[e].rsvp_form("not_going")) for e in cancellers]
    jobs += [(people[e], f"/events/{event_id}/rsvp", people[e].rsvp_form("going")) for e in joiners]
    jobs.sort(key=lambda job: job[0].email[::-1])  # interleave cancellers and joiners

    replies = _all_at_once(jobs)

    _assert_all_redirected(replies, event_id)
    after = _state(live_server, event_id)
    _assert_consistent(after)
    promoted = before.waiting[:3]
    assert sorted(after.going) == sorted(emails[3:going] + promoted)
    assert after.going_count == CAPACITY
    assert sorted(after.not_going) == sorted(cancellers)
    assert after.waiting[: waiting - 3] == before.waiting[3:], "the queue kept its order"
    assert sorted(after.waiting[waiting - 3:]) == sorted(joiners), "newcomers queue behind"
    for email in promoted:
        assert after.mail[(email, "A place opened up")] == 1
    assert sum(n for (_, kind), n in after.mail.items() if kind == "A place opened up") == 3
