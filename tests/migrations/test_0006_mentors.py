"""Migration 0006 on a database with people in it: self-declared mentors are not approved
but get pending requests (when their email is confirmed), nobody's answer changes, and
downgrading leaves every account as it was. On SQLite and, when configured, PostgreSQL."""

from __future__ import annotations

import importlib

import sqlalchemy as sa
from alembic.script import ScriptDirectory
from sqlalchemy import inspect

from portal import schema
from portal.blueprints.accounts.models import User
from portal.core.db import utcnow
from tests.core.test_migrations import empty_engine, scratch_postgres  # noqa: F401 (fixtures)

MIGRATION = importlib.import_module("portal.migrations.versions.0006_mentors")
NOW = utcnow()

PEOPLE = [  # (email, participation, confirmed, deleted)
    ("mentor@example.org", "mentor", True, False),
    ("both@example.org", "both", True, False),
    ("unconfirmed@example.org", "mentor", False, False),
    ("mentee@example.org", "mentee", True, False),
    ("gone@example.org", "mentor", True, True),
]


def _before() -> str:
    return ScriptDirectory(str(schema.MIGRATIONS)).get_revision("0006").down_revision


def _add_people(engine) -> None:
    """Insert PEOPLE into ``user_account`` as it is at the revision before 0006 (later
    revisions may add columns), with the model's defaults for everything else."""
    table = sa.Table("user_account", sa.MetaData(), autoload_with=engine)
    defaults = {}
    for column in table.columns:
        default = getattr(User.__table__.columns.get(column.name), "default", None)
        if default is not None:
            defaults[column.name] = default.arg(None) if default.is_callable else default.arg
    with engine.begin() as connection:
        for email, participation, confirmed, deleted in PEOPLE:
            connection.execute(table.insert().values({
                **defaults, "email": email, "display_name": email.split("@")[0],
                "participation": participation, "email_verified_at": NOW if confirmed else None,
                "deleted_at": NOW if deleted else None,
            }))


def _people(engine) -> list[tuple[str, str]]:
    with engine.connect() as connection:
        return connection.execute(
            sa.text("SELECT email, participation FROM user_account ORDER BY id")
        ).all()


def test_self_declared_mentors_wait_for_approval_and_downgrading_keeps_everyone(
    empty_engine,  # noqa: F811 (the fixture)
):
    schema.upgrade(empty_engine, _before())
    _add_people(empty_engine)

    schema.upgrade(empty_engine, "0006")

    with empty_engine.connect() as connection:
        requests = connection.execute(
            sa.text(
                "SELECT u.email, r.status, r.note FROM mentor_request r "
                "JOIN user_account u ON u.id = r.user_id ORDER BY u.email"
            )
        ).all()
        mentors = connection.execute(sa.text("SELECT count(*) FROM mentor")).scalar()
        decisions = connection.execute(sa.text("SELECT count(*) FROM mentor_decision")).scalar()
    assert [(email, status) for email, status, _ in requests] == [
        ("both@example.org", "pending"),
        ("mentor@example.org", "pending"),
    ]
    assert {note for *_, note in requests} == {MIGRATION.CARRIED_OVER}
    assert (mentors, decisions) == (0, 0), "nobody is approved by the migration"
    people = [(email, participation) for email, participation, *_ in PEOPLE]
    assert _people(empty_engine) == people

    schema.downgrade(empty_engine, _before())

    assert {"mentor", "mentor_request", "mentor_decision"}.isdisjoint(
        inspect(empty_engine).get_table_names()
    )
    assert _people(empty_engine) == people, "every account and answer is as it was"


def test_the_pending_index_refuses_a_second_pending_request(empty_engine):  # noqa: F811
    schema.upgrade(empty_engine, _before())
    _add_people(empty_engine)
    schema.upgrade(empty_engine, "0006")
    pending = sa.text(
        "INSERT INTO mentor_request (user_id, note, status, created_at) "
        "SELECT user_id, 'again', :status, created_at FROM mentor_request"
    )
    with empty_engine.begin() as connection:
        connection.execute(pending, {"status": "withdrawn"})
    try:
        with empty_engine.begin() as connection:
            connection.execute(pending.bindparams(status="pending"))
    except sa.exc.IntegrityError:
        refused = True
    else:
        refused = False
    assert refused, "a second pending request for the same person must be refused"
