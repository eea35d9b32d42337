"""Migration 0005 keeps the data: forum reports move into the one report table (one per
member per post), suspended members get a suspension record, and downgrading moves them
back, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import inspect, text

from portal import schema
from tests.core.test_migrations import empty_engine, scratch_postgres  # noqa: F401 (fixtures)

T0 = datetime(2026, 11, 1, 9, 0)  # naive UTC, as the portal stores times


def _stored(moment: datetime | None) -> str | None:
    """A time as both databases accept it in plain SQL (and as SQLite keeps it)."""
    return moment.isoformat(" ", "microseconds") if moment else None


def _time(value) -> datetime:
    return value if isinstance(value, datetime) else datetime.fromisoformat(value)


def _rows(engine, sql: str) -> list[tuple]:
    with engine.connect() as connection:
        return [tuple(row) for row in connection.execute(text(sql))]


def _at_0003_with_forum_reports(engine) -> None:
    schema.upgrade(engine, "0003")
    with engine.begin() as c:
        for n, (name, suspended) in enumerate([("Mo", None), ("Olu", T0), ("Mia", None)], start=1):
            c.execute(text("INSERT INTO user_account (id, email, display_name, role, participation, session_version,"
                           " created_at, suspended_at, suspension_reason, reduced_motion, high_contrast, large_text,"
                           " low_data, plain_text_email, notification_delivery, pronouns, bio, languages, interests)"
                           " VALUES (:id, :email, :name, 'member', 'mentee', 1, :t, :suspended, :reason,"
                           " false, false, false, false, false, 'off', '', '', '', '')"),
                      {"id": n, "email": f"{name.lower()}@example.org", "name": name, "t": _stored(T0),
                       "suspended": _stored(suspended),
                       "reason": "Spam" if suspended else ""})
        c.execute(text("INSERT INTO forum_category (id, name, slug, description, position, audience, thread_count,"
                       " post_count, created_at) VALUES (1, 'Talk', 'talk', '', 0, 'members', 1, 2, :t)"), {"t": _stored(T0)})
        c.execute(text("INSERT INTO forum_thread (id, category_id, title, author_id, pinned, locked, post_count,"
                       " last_post_at, created_at) VALUES (1, 1, 'Hello', 2, false, false, 2, :t, :t)"), {"t": _stored(T0)})
        for post in (1, 2):
            c.execute(text("INSERT INTO forum_post (id, thread_id, number, author_id, body, helpful_count,"
                           " created_at, hidden_reason) VALUES (:id, 1, :id, 2, 'Buy now', 0, :t, '')"),
                      {"id": post, "t": _stored(T0)})
        reports = [  # (post, reporter, reason, status, minutes after T0, resolved by)
            (1, 1, "Spam", "open", 0, None),
            (1, 1, "Spam, twice", "open", 5, None),  # the same member again: one row, the newest reason
            (1, 3, "Rude", "dismissed", 10, 3),
            (2, None, "Spam", "open", 20, None),  # reporters who left all stay
            (2, None, "Also spam", "open", 25, None),
        ]
        for post, reporter, reason, status, minutes, resolver in reports:
            c.execute(text("INSERT INTO forum_report (post_id, reporter_id, reason, status, created_at,"
                           " resolved_by_id, resolved_at, resolution) VALUES (:post, :reporter, :reason, :status,"
                           " :at, :resolver, :resolved, :resolution)"),
                      {"post": post, "reporter": reporter, "reason": reason, "status": status,
                       "at": _stored(T0 + timedelta(minutes=minutes)), "resolver": resolver,
                       "resolved": _stored(T0 + timedelta(hours=1) if resolver else None),
                       "resolution": "Dismissed" if resolver else ""})


def test_upgrading_moves_forum_reports_and_suspensions_into_the_new_tables(empty_engine):  # noqa: F811
    _at_0003_with_forum_reports(empty_engine)
    schema.upgrade(empty_engine, "0005")

    moved = sorted(
        ((kind, target, reporter, reason, status, _time(created), by) for kind, target, reporter, reason, status,
         created, by in _rows(empty_engine, "SELECT kind, target_id, reporter_id, reason, status, created_at,"
                                            " resolved_by_id FROM moderation_report")),
        key=lambda row: (row[1], row[2] is None, row[2] or 0, row[3]))
    assert moved == [
        ("forums.post", 1, 1, "Spam, twice", "open", T0, None),
        ("forums.post", 1, 3, "Rude", "dismissed", T0 + timedelta(minutes=10), 3),
        ("forums.post", 2, None, "Also spam", "open", T0 + timedelta(minutes=25), None),
        ("forums.post", 2, None, "Spam", "open", T0 + timedelta(minutes=20), None),
    ]
    assert _rows(empty_engine, "SELECT user_id, reason, ends_at, suspended_by_id FROM suspension") == [
        (2, "Spam", None, None)]
    assert "forum_report" not in inspect(empty_engine).get_table_names()


def test_downgrading_moves_forum_reports_back_and_clears_ended_suspensions(empty_engine):  # noqa: F811
    _at_0003_with_forum_reports(empty_engine)
    schema.upgrade(empty_engine, "0005")
    with empty_engine.begin() as c:
        c.execute(text("INSERT INTO moderation_report (kind, target_id, reporter_id, reason, status, created_at,"
                       " updated_at, resolution) VALUES ('stories.story', 7, 3, 'Off-topic', 'open', :t, :t, '')"),
                  {"t": _stored(T0)})
        c.execute(text("UPDATE user_account SET suspended_at = :t, suspended_until = :until,"
                       " suspension_reason = 'Over' WHERE id = 3"),
                  {"t": _stored(T0), "until": _stored(datetime.now(UTC).replace(tzinfo=None) - timedelta(days=1))})

    schema.downgrade(empty_engine, "0003")

    back = _rows(empty_engine, "SELECT post_id, reporter_id, reason, status FROM forum_report"
                               " ORDER BY post_id, reason")
    assert back == [(1, 3, "Rude", "dismissed"), (1, 1, "Spam, twice", "open"), (2, None, "Also spam", "open"),
                    (2, None, "Spam", "open")], "forum posts' reports come back; other kinds cannot"
    suspended = _rows(empty_engine, "SELECT id, suspension_reason FROM user_account WHERE suspended_at IS NOT NULL")
    assert suspended == [(2, "Spam")], "a suspension that ended is not made endless"
    schema.upgrade(empty_engine)
    assert schema.pending_changes(empty_engine) == []
