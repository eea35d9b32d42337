"""A write that waits too long for another transaction's lock is answered 503 with
Retry-After and a page that says to try again, on both databases, not a 500."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import text

from portal import create_app, schema
from portal.extensions import db
from tests.blueprints.accounts.factories import make_user, sign_in
from tests.helpers import Browser, test_settings, text_of
from tests.live import fresh_database

pytestmark = pytest.mark.live


@pytest.fixture
def busy_app(database_url, tmp_path):
    url, drop = fresh_database(database_url, tmp_path)
    app = create_app(test_settings(url, DATABASE_LOCK_TIMEOUT=0.3), instance_path=str(tmp_path / "instance"))
    engine = db.state(app).engine
    try:
        schema.upgrade(engine)
        yield app
    finally:
        engine.dispose()
        drop()


@contextmanager
def lock_held(app, user_id: int) -> Iterator[None]:
    """Another transaction holds what a change to this person's account needs: SQLite's one
    write lock, or the account's row on PostgreSQL."""
    with db.state(app).engine.connect() as other:
        other.begin()  # outside a request the portal's SQLite transactions begin IMMEDIATE
        other.execute(text("SELECT id FROM user_account WHERE id = :id FOR UPDATE"
                           if other.dialect.name == "postgresql" else "SELECT 1"), {"id": user_id})
        try:
            yield
        finally:
            other.rollback()


def test_a_write_blocked_past_the_timeout_is_told_to_try_again(busy_app):
    with busy_app.app_context():
        person = make_user(db.session)
        db.session.commit()
        person_id = person.id
    browser = Browser(busy_app.test_client())
    with busy_app.app_context():
        sign_in(browser, db.session.get(type(person), person_id))
    browser.get("/account/preferences")

    with lock_held(busy_app, person_id):
        blocked = browser.submit({"large_text": True}, button="Save preferences", follow=False)

    assert blocked.status_code == 503
    assert blocked.headers["Retry-After"] == "10"
    assert "The portal is busy" in text_of(blocked) and "Nothing was changed" in text_of(blocked)
    browser.get("/account/preferences")
    assert browser.submit({"large_text": True}, button="Save preferences", follow=False).status_code == 303
