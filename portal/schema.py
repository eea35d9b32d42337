"""The database schema of every installed feature, and Alembic driven from the app,
so `flask db upgrade` uses the app's own settings."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Connection, Engine

from portal import features
from portal.core.db import Base

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
INSTALLED = features.load()
SEARCH_OBJECTS = tuple(name for feature in INSTALLED for name in feature.search_objects)
# Loading the features imported their models, so the metadata knows every table.
metadata = Base.metadata


def is_search_object(name: str | None) -> bool:
    """Tables and indexes that migrations make per dialect, outside the models."""
    return bool(name) and any(name == n or name.startswith(n + "_") for n in SEARCH_OBJECTS)


def include_object(obj, name, type_, reflected, compare_to) -> bool:
    """Leave search tables and indexes alone: they are not ORM models."""
    return not is_search_object(name)


def alembic_config(engine: Engine, connection) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("sqlalchemy.url", engine.url.render_as_string(hide_password=False))
    cfg.attributes["connection"] = connection
    return cfg


@contextmanager
def _migrating(engine: Engine) -> Iterator[Connection]:
    """A connection in one transaction for Alembic to migrate with.

    On SQLite, foreign keys are off meanwhile: a batch migration rebuilds a table by
    copying it and dropping the old one, and dropping a table with foreign keys on
    deletes the rows that refer to it (every RSVP and notification, for the accounts
    table). The keys are checked before the migration commits, and on again after.
    """
    with engine.connect() as connection:
        if engine.dialect.name != "sqlite":
            with connection.begin():
                yield connection
            return
        raw = connection.connection.dbapi_connection
        raw.execute("PRAGMA foreign_keys = OFF")  # outside a transaction, or SQLite ignores it
        try:
            with connection.begin():
                yield connection
                broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                if broken:
                    raise RuntimeError(f"The migration left rows whose foreign keys match nothing: {broken[:5]}")
        finally:
            raw.execute("PRAGMA foreign_keys = ON")


def upgrade(engine: Engine, revision: str = "head") -> None:
    with _migrating(engine) as connection:
        command.upgrade(alembic_config(engine, connection), revision)


def downgrade(engine: Engine, revision: str) -> None:
    with _migrating(engine) as connection:
        command.downgrade(alembic_config(engine, connection), revision)


def revision(engine: Engine, message: str) -> None:
    with engine.begin() as connection:
        command.revision(alembic_config(engine, connection), message=message, autogenerate=True)


def pending_changes(engine: Engine) -> list:
    """What autogenerate would add: empty when the models match the migrations."""
    with engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "include_object": include_object}
        )
        return compare_metadata(context, metadata)


def current(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def head(engine: Engine) -> str:
    """The newest migration's revision."""
    return ScriptDirectory.from_config(alembic_config(engine, None)).get_current_head()
