"""Test fixtures: one migrated database per run, each test in a rolled-back transaction.

Set ``PORTAL_TEST_DATABASE_URL`` to a PostgreSQL URL to run the suite there; the
database is dropped and created afresh. By default a SQLite file in a temporary
folder is used.
"""

from __future__ import annotations

import os

import pytest
from argon2 import PasswordHasher
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from portal import create_app, schema
from portal.blueprints.accounts import passwords
from portal.core.permissions import Role
from portal.extensions import db, limiter
from tests.blueprints.accounts.factories import approve_mentor
from tests.blueprints.forums.factories import make_category, make_person
from tests.helpers import Browser, PortalTestClient, test_settings
from tests.live import live_server  # noqa: F401 (a fixture for every test that needs a live server)


def _fresh_postgres(url: str) -> str:
    parsed = make_url(url)
    admin = create_engine(parsed.set(database="postgres", drivername="postgresql+psycopg"),
                          isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{parsed.database}" WITH (FORCE)'))
        connection.execute(text(f'CREATE DATABASE "{parsed.database}"'))
    admin.dispose()
    return url


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> str:
    url = os.environ.get("PORTAL_TEST_DATABASE_URL")
    if url:
        return _fresh_postgres(url)
    return "sqlite:///" + str(tmp_path_factory.mktemp("db") / "test.sqlite3")


@pytest.fixture(scope="session")
def app(database_url, tmp_path_factory):
    instance = str(tmp_path_factory.mktemp("instance"))
    application = create_app(test_settings(database_url), instance_path=instance)
    application.test_client_class = PortalTestClient
    schema.upgrade(db.state(application).engine)
    yield application
    db.state(application).engine.dispose()


@pytest.fixture(autouse=True)
def cheap_passwords(monkeypatch):
    """Argon2id at its real cost takes most of a second per hash and per sign-in on this
    machine; tests use the same algorithm at a tiny cost. Real costs are the default."""
    monkeypatch.setattr(passwords, "_hasher", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))


@pytest.fixture(autouse=True)
def transaction(request, app):
    """Every test runs inside one outer transaction that is rolled back at its end.

    Views still commit: their commits only release savepoints inside it.
    """
    if "live_server" in request.fixturenames or request.node.get_closest_marker("live"):
        yield None
        return
    state = db.state(app)
    connection = state.engine.connect()
    outer = connection.begin()
    state.bind, state.join_transaction_mode = connection, "create_savepoint"
    try:
        with app.app_context():
            yield connection
    finally:
        with app.app_context():
            db.session.remove()
        outer.rollback()
        connection.close()
        state.bind, state.join_transaction_mode = state.engine, "conditional_savepoint"


@pytest.fixture
def session(transaction):
    return db.session


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def browser(client):
    """A test client that fills in and submits the real forms on each page."""
    return Browser(client)


# The people in most stories, shared by every feature's tests: verified accounts a month old
# (so the forums' new-account limits do not apply), one of each role.


@pytest.fixture
def member(session):
    return make_person(session, display_name="Mo Member", email="mo@example.org")


@pytest.fixture
def other(session):
    return make_person(session, display_name="Olu Other", email="olu@example.org")


@pytest.fixture
def mentor(session):
    """An approved mentor (ticking "mentor" in a profile grants nothing)."""
    person = make_person(session, display_name="Meg Mentor", email="meg@example.org",
                         participation="mentor")
    approve_mentor(session, person)
    return person


@pytest.fixture
def manager(session):
    return make_person(session, display_name="Mia Manager", email="mia@example.org", role=Role.MANAGER)


@pytest.fixture
def admin(session):
    return make_person(session, display_name="Ada Admin", email="ada@example.org", role=Role.ADMIN)


@pytest.fixture
def category(session):
    """An open forum category, where the forums, notification and moderation stories happen."""
    return make_category(session, name="Finding a mentor", description="Matching and first meetings.")


@pytest.fixture
def limited_app(tmp_path):
    """An app with small limits, on a database of its own so its writes never wait on
    the test's transaction."""
    application = create_app(
        test_settings(f"sqlite:///{tmp_path}/limits.sqlite3", RATELIMIT_ENABLED=True, RATELIMIT_SIGNIN="4 per minute",
                      RATELIMIT_SIGNIN_PAIR="2 per minute", RATELIMIT_SIGNIN_ACCOUNT="3 per minute", RATELIMIT_REGISTER="1 per minute",
                      RATELIMIT_EMAIL="1 per minute"),
        instance_path=str(tmp_path),
    )
    application.test_client_class = PortalTestClient
    schema.upgrade(db.state(application).engine)
    yield application
    # Flask-Limiter keeps "enabled" on its one extension object, so the last app set up
    # decides for every app in the process: give the suite's own app its setting back.
    limiter.enabled = False
