"""Migration 0004 keeps what people had: forum notifications find their target by URL,
the one global email choice becomes per-kind choices, and going back restores both.
Runs on a scratch SQLite database, and on PostgreSQL when PORTAL_TEST_DATABASE_URL is set."""

from __future__ import annotations

import os
from datetime import datetime

import pytest
from sqlalchemy import inspect, text
from sqlalchemy.engine import Engine, make_url

from portal import schema
from tests.core.test_migrations import engine_like_the_app, postgres_admin

CREATED = datetime(2026, 11, 1, 12, 0)
FOLLOWERS = "SELECT user_id FROM forum_thread_subscription"
FORUM_KINDS = ["forums.mention", "forums.new_thread", "forums.post_hidden", "forums.reply"]


@pytest.fixture(params=["sqlite", "postgresql"])
def engine(request, tmp_path):
    if request.param == "sqlite":
        engine = engine_like_the_app("sqlite:///" + str(tmp_path / "notify-migration.sqlite3"))
        yield engine
        engine.dispose()
        return
    base = os.environ.get("PORTAL_TEST_DATABASE_URL")
    if not base:
        pytest.skip("PORTAL_TEST_DATABASE_URL is not set")
    url = make_url(base)
    name = f"{url.database}_notify_migration"
    admin = postgres_admin(base)
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    engine = engine_like_the_app(url.set(database=name).render_as_string(hide_password=False))
    yield engine
    engine.dispose()
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
    admin.dispose()


def _run(engine: Engine, sql: str, **values) -> None:
    with engine.begin() as connection:
        connection.execute(text(sql), values)


def _rows(engine: Engine, sql: str) -> list[tuple]:
    with engine.connect() as connection:
        return [tuple(row) for row in connection.execute(text(sql))]


def _person(engine: Engine, number: int, delivery: str) -> None:
    _run(engine, "INSERT INTO user_account (id, email, display_name, role, participation, session_version, "
         "created_at, reduced_motion, high_contrast, large_text, low_data, plain_text_email, "
         "notification_delivery, pronouns, bio, languages, interests, suspension_reason) VALUES "
         "(:id, :email, :name, 'member', 'mentee', 1, :created, false, false, false, false, false, "
         ":delivery, '', '', '', '', '')",
         id=number, email=f"p{number}@example.org", name=f"Person {number}", created=CREATED, delivery=delivery)


def _forum(engine: Engine) -> None:
    """Person 1 wrote thread 10 ("Bootcamps") and its post 100; person 2 replied with post 101."""
    _run(engine, "INSERT INTO forum_category (id, name, slug, description, position, audience, thread_count, "
         "post_count, created_at) VALUES (1, 'Careers', 'careers', '', 0, 'members', 1, 2, :created)",
         created=CREATED)
    _run(engine, "INSERT INTO forum_thread (id, category_id, title, author_id, pinned, locked, post_count, "
         "last_post_at, created_at) VALUES (10, 1, 'Bootcamps', 1, false, false, 2, :created, :created)",
         created=CREATED)
    for post, author, number in ((100, 1, 1), (101, 2, 2)):
        _run(engine, "INSERT INTO forum_post (id, thread_id, number, author_id, body, helpful_count, created_at, "
             "hidden_reason) VALUES (:id, 10, :number, :author, 'Hello', 0, :created, '')",
             id=post, number=number, author=author, created=CREATED)


def _notification(engine: Engine, number: int, user: int, kind: str, post: int | None, emailed: bool) -> None:
    _run(engine, "INSERT INTO notification (id, user_id, kind, post_id, thread_id, text, created_at, emailed_at) "
         "VALUES (:id, :user, :kind, :post, 10, :text, :created, :emailed)",
         id=number, user=user, kind=kind, post=post, text=f"Notification {number}", created=CREATED,
         emailed=CREATED if emailed else None)


def test_upgrading_keeps_notifications_and_choices_and_downgrading_restores_them(engine):
    schema.upgrade(engine, "0003")
    for number, delivery in ((1, "immediately"), (2, "daily"), (3, "off")):
        _person(engine, number, delivery)
    _forum(engine)
    _notification(engine, 1, 1, "reply", 101, emailed=True)  # emailed at once
    _notification(engine, 2, 2, "new_thread", None, emailed=False)  # waiting for the digest
    _notification(engine, 3, 3, "mention", 101, emailed=True)  # a person who wants no email
    _notification(engine, 4, 3, "reply", 101, emailed=False)  # waited, until they chose no email
    _notification(engine, 5, 2, "post_hidden", 100, emailed=True)

    _run(engine, "INSERT INTO forum_thread_subscription (thread_id, user_id) VALUES (10, 2)")

    schema.upgrade(engine, "0004")

    assert _rows(engine, FOLLOWERS) == [(2,)], (
        "rebuilding the accounts table (SQLite) must not delete the rows that refer to it")
    assert _rows(engine, "SELECT id, user_id, kind, url, target_text, text, actor_id, excerpt, email_state "
                 "FROM notification ORDER BY id") == [
        (1, 1, "forums.reply", "/forums/p/101", "Bootcamps", "Notification 1", 2, "", "sent"),
        (2, 2, "forums.new_thread", "/forums/t/10", "Bootcamps", "Notification 2", None, "", "waiting"),
        (3, 3, "forums.mention", "/forums/p/101", "Bootcamps", "Notification 3", 2, "", "none"),
        (4, 3, "forums.reply", "/forums/p/101", "Bootcamps", "Notification 4", 2, "", "dropped"),
        (5, 2, "forums.post_hidden", "/forums/p/100", "Bootcamps", "Notification 5", None, "", "sent"),
    ]
    assert _rows(engine, "SELECT user_id, kind, delivery FROM notification_preference ORDER BY user_id, kind") == [
        *((2, kind, "digest") for kind in FORUM_KINDS), *((3, kind, "portal") for kind in FORUM_KINDS)]
    assert "notification_delivery" not in {c["name"] for c in inspect(engine).get_columns("user_account")}

    _run(engine, "INSERT INTO notification (id, user_id, kind, url, target_text, text, created_at, excerpt, "
         "email_state) VALUES (6, 1, 'events.changed', '/events/4', 'Picnic', 'Changed', :created, '', 'sent')",
         created=CREATED)
    _run(engine, "INSERT INTO notification_preference (user_id, kind, delivery) "
         "VALUES (1, 'events.changed', 'portal')")
    schema.downgrade(engine, "0003")

    assert _rows(engine, "SELECT id, user_id, kind, post_id, thread_id, text, emailed_at IS NULL "
                 "FROM notification ORDER BY id") == [
        (1, 1, "reply", 101, 10, "Notification 1", False),
        (2, 2, "new_thread", None, 10, "Notification 2", True),
        (3, 3, "mention", 101, 10, "Notification 3", False),
        (4, 3, "reply", 101, 10, "Notification 4", False),
        (5, 2, "post_hidden", 100, 10, "Notification 5", False),
    ], "an event's notification has no place in the forums' table"
    assert _rows(engine, "SELECT id, notification_delivery FROM user_account ORDER BY id") == [
        (1, "immediately"), (2, "daily"), (3, "off")]
    assert schema.current(engine) == "0003"
    assert _rows(engine, FOLLOWERS) == [(2,)]
    schema.upgrade(engine)
    assert schema.pending_changes(engine) == []
