"""A write that waits too long for another transaction's lock is answered 503 with
Retry-After and a page that says to try again, on both databases, not a 500; reading
takes no lock, and a page's bookkeeping waits only briefly for one."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import select, text

from portal import create_app, schema
from portal.blueprints.forums.models import ThreadRead
from portal.extensions import db
from tests.blueprints.accounts.factories import make_user, sign_in
from tests.blueprints.forums.factories import make_category, make_person, make_thread
from tests.helpers import Browser, test_settings, text_of
from tests.live import fresh_database

pytestmark = pytest.mark.live


def app_on_a_fresh_database(database_url, tmp_path, lock_timeout: float) -> Iterator:
    url, drop = fresh_database(database_url, tmp_path)
    app = create_app(test_settings(url, DATABASE_LOCK_TIMEOUT=lock_timeout), instance_path=str(tmp_path / "instance"))
    engine = db.state(app).engine
    try:
        schema.upgrade(engine)
        yield app
    finally:
        engine.dispose()
        drop()


@pytest.fixture
def busy_app(database_url, tmp_path):
    yield from app_on_a_fresh_database(database_url, tmp_path, lock_timeout=0.3)


@pytest.fixture
def patient_app(database_url, tmp_path):
    """Writes wait up to 30 s for a lock: longer than any test should take."""
    yield from app_on_a_fresh_database(database_url, tmp_path, lock_timeout=30)


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


# Reading takes no lock: a thread page is served while another transaction holds what a
# write would need, and only a reader whose marker moves records it, afterwards.


@contextmanager
def marker_locked(app, thread_id: int, user_id: int) -> Iterator[None]:
    """Another transaction holds SQLite's one write lock, or on PostgreSQL the reader's
    marker in the thread and the thread's row."""
    with db.state(app).engine.connect() as other:
        other.begin()
        if other.dialect.name == "postgresql":
            other.execute(text("SELECT 1 FROM forum_thread_read WHERE thread_id = :t AND user_id = :u FOR UPDATE"),
                          {"t": thread_id, "u": user_id})
            other.execute(text("SELECT 1 FROM forum_thread WHERE id = :t FOR UPDATE"), {"t": thread_id})
        else:
            other.execute(text("SELECT 1"))  # BEGIN IMMEDIATE: the write lock
        try:
            yield
        finally:
            other.rollback()


def read_up_to(app, thread_id: int, user_id: int) -> int | None:
    with app.app_context():
        return db.session.scalar(select(ThreadRead.last_read_number).where(
            ThreadRead.thread_id == thread_id, ThreadRead.user_id == user_id))


def signed_in_reader_of_a_new_thread(app, title: str) -> tuple[Browser, int, int]:
    """A member signed in, a thread they have not read yet, and their ids."""
    with app.app_context():
        reader = make_person(db.session)
        thread = make_thread(db.session, make_category(db.session), title=title)
        db.session.commit()
        browser = Browser(app.test_client())
        sign_in(browser, reader)
        return browser, thread.id, reader.id


def test_a_thread_is_read_while_another_transaction_holds_the_locks(busy_app):
    browser, thread_id, reader_id = signed_in_reader_of_a_new_thread(busy_app, "Read while locked")
    assert browser.get(f"/forums/t/{thread_id}").status_code == 200
    assert read_up_to(busy_app, thread_id, reader_id) == 1

    with marker_locked(busy_app, thread_id, reader_id):
        again = browser.get(f"/forums/t/{thread_id}")
    assert again.status_code == 200 and "Read while locked" in text_of(again), "nothing to record: no lock wanted"


def test_a_marker_that_cannot_be_written_in_time_is_given_up_not_the_page(patient_app):
    # Writes wait 30 s for a lock, the marker only BOOKKEEPING_LOCK_TIMEOUT (0.2 s): the
    # page comes back long before a write would have given up.
    busy_app = patient_app
    browser, thread_id, reader_id = signed_in_reader_of_a_new_thread(busy_app, "Busy thread")

    with marker_locked(busy_app, thread_id, reader_id):
        started = time.monotonic()
        page = browser.get(f"/forums/t/{thread_id}")
        waited = time.monotonic() - started
    assert page.status_code == 200 and "Busy thread" in text_of(page)
    assert waited < 10, f"the page waited {waited:.1f} s for its bookkeeping"
    assert read_up_to(busy_app, thread_id, reader_id) is None, "given up while the lock was held"
    browser.get(f"/forums/t/{thread_id}")
    assert read_up_to(busy_app, thread_id, reader_id) == 1, "recorded at the next visit"
