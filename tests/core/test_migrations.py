"""Migrations build an empty database on SQLite and PostgreSQL, and match the models.

Each test gets an empty scratch database of its own: a SQLite file, and, when
``PORTAL_TEST_DATABASE_URL`` is set, a PostgreSQL database named after it with
``_migrations`` added, created and dropped here.
"""

from __future__ import annotations

import os

import pytest
from alembic.script import ScriptDirectory
from flask import Flask
from sqlalchemy import CheckConstraint, create_engine, inspect, text
from sqlalchemy.engine import Engine, make_url

from portal import schema
from portal.core.db import Database
from portal.config import DEFAULTS
from portal.schema import is_search_object, metadata

ALEMBIC_TABLE = "alembic_version"


def engine_like_the_app(url: str) -> Engine:
    """An engine set up exactly as the portal sets up its own (SQLite pragmas, driver)."""
    app = Flask(__name__)
    app.config.update(DATABASE_URL=url, SQL_ECHO=False, DATABASE_LOCK_TIMEOUT=DEFAULTS["DATABASE_LOCK_TIMEOUT"],
                      BOOKKEEPING_LOCK_TIMEOUT=DEFAULTS["BOOKKEEPING_LOCK_TIMEOUT"])
    Database().init_app(app)
    return app.extensions["portal_db"].engine


def postgres_admin(url: str) -> Engine:
    server = make_url(url).set(drivername="postgresql+psycopg", database="postgres")
    return create_engine(server, isolation_level="AUTOCOMMIT")


@pytest.fixture
def scratch_postgres():
    base = os.environ.get("PORTAL_TEST_DATABASE_URL")
    if not base:
        pytest.skip("PORTAL_TEST_DATABASE_URL is not set")
    url = make_url(base)
    name = f"{url.database}_migrations"
    admin = postgres_admin(base)
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    yield url.set(database=name).render_as_string(hide_password=False)
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_engine(request, tmp_path):
    if request.param == "sqlite":
        url = "sqlite:///" + str(tmp_path / "migrations.sqlite3")
    else:
        url = request.getfixturevalue("scratch_postgres")
    engine = engine_like_the_app(url)
    yield engine
    engine.dispose()


def tables(engine: Engine) -> set[str]:
    """Tables the models describe (the search index is made per database, outside them)."""
    return {name for name in inspect(engine).get_table_names() if not is_search_object(name)}


def search_tables(engine: Engine) -> set[str]:
    return {name for name in inspect(engine).get_table_names() if is_search_object(name)}


def head() -> str:
    return ScriptDirectory(str(schema.MIGRATIONS)).get_current_head()


def test_upgrade_from_empty_builds_every_table(empty_engine):
    schema.upgrade(empty_engine)

    assert tables(empty_engine) == set(metadata.tables) | {ALEMBIC_TABLE}
    expected_search = "forum_search" if empty_engine.dialect.name == "postgresql" else "forum_search_fts"
    assert expected_search in search_tables(empty_engine)
    assert schema.current(empty_engine) == head()


def test_models_match_the_migrations(empty_engine):
    schema.upgrade(empty_engine)

    assert schema.pending_changes(empty_engine) == []


def test_pending_changes_sees_what_the_migrations_lack(empty_engine):
    changes = schema.pending_changes(empty_engine)

    added = {change[1].name for change in changes if change[0] == "add_table"}
    assert added == set(metadata.tables)


def test_migrations_create_every_check_constraint(empty_engine):
    """Autogenerate does not compare CHECK constraints, so they are compared here."""
    schema.upgrade(empty_engine)

    inspector = inspect(empty_engine)
    for table in metadata.sorted_tables:
        expected = {c.name for c in table.constraints if isinstance(c, CheckConstraint)}
        assert {c["name"] for c in inspector.get_check_constraints(table.name)} == expected


def test_downgrade_to_base_leaves_no_tables_and_upgrade_works_again(empty_engine):
    schema.upgrade(empty_engine)

    schema.downgrade(empty_engine, "base")
    assert tables(empty_engine) == {ALEMBIC_TABLE}
    assert schema.current(empty_engine) is None

    schema.upgrade(empty_engine)
    assert tables(empty_engine) == set(metadata.tables) | {ALEMBIC_TABLE}
    expected_search = "forum_search" if empty_engine.dialect.name == "postgresql" else "forum_search_fts"
    assert expected_search in search_tables(empty_engine)
    assert schema.pending_changes(empty_engine) == []
