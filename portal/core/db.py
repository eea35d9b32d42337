"""The database layer: a typed declarative base and a request-scoped session.

Every table shares one naming convention so Alembic migrations name
constraints identically on SQLite and PostgreSQL. Times are stored as UTC and
always come back timezone-aware.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime

from flask import Flask, current_app, g, has_request_context, request
from sqlalchemy import DateTime, MetaData, create_engine, event, select
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import DeclarativeBase, Session, scoped_session
from sqlalchemy.pool import StaticPool
from sqlalchemy.types import TypeDecorator

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})

log = logging.getLogger(__name__)


def utcnow() -> datetime:
    """The current time, timezone-aware in UTC; the callable default for every timestamp."""
    return datetime.now(UTC)


def column_length(column) -> int:
    """The most characters a model's column holds: its ``String(n)`` length, or for
    unbounded text the ``max_length`` in its ``info``. The one source of every limit."""
    column = column.property.columns[0] if hasattr(column, "property") else column
    length = getattr(column.type, "length", None) or column.info.get("max_length")
    if not length:
        raise ValueError(f"{column} has no length; give it String(n) or info={{'max_length': n}}")
    return length


class UTCDateTime(TypeDecorator):
    """A timestamp stored as naive UTC and returned aware, whatever the engine."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("Naive datetimes are ambiguous; pass an aware one")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC)


class Base(DeclarativeBase):
    """Declarative base for every model in the portal."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {datetime: UTCDateTime()}


def lock_for_update(session: Session, entity, id_: int) -> None:
    """Hold row ``id_`` of ``entity`` until the transaction ends, so a rule that reads before it
    writes (a limit, a duplicate check) runs one request at a time for that row. SQLite needs
    nothing: its write transactions already run one at a time."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(select(entity.id).where(entity.id == id_).with_for_update())


def is_lock_timeout(error: OperationalError) -> bool:
    """True when the statement gave up waiting for another transaction's lock: SQLite's
    busy timeout, or PostgreSQL's lock_timeout (SQLSTATE 55P03)."""
    return "database is locked" in str(error.orig) or getattr(error.orig, "sqlstate", None) == "55P03"


def _wants_immediate() -> bool:
    """SQLite write transactions start IMMEDIATE so two writers never deadlock on upgrade.

    Requests that can change state (unsafe methods) and code run outside a
    request (CLI, workers) take the write lock up front; GET requests read
    without it so readers never queue behind writers, and record what they must
    (a signed-in reader's place in a thread) afterwards, in ``bookkeeping``.
    """
    if has_request_context():
        if g.get("read_only"):
            return False
        return request.method in UNSAFE_METHODS or g.get("bookkeeping", False)
    return True


@contextmanager
def bookkeeping(session: Session) -> Iterator[Session]:
    """A short transaction of its own for what a page records as it is read (how far
    someone has read), once the page's reading transaction is over: that one took no
    write lock on SQLite and no row lock on PostgreSQL. Bookkeeping is worth less than
    the page: it waits for other transactions' locks only ``BOOKKEEPING_LOCK_TIMEOUT``
    seconds, then is given up, and the page is served all the same."""
    session.commit()
    g.bookkeeping = True
    try:
        yield session
        session.commit()
    except OperationalError as error:
        if not is_lock_timeout(error):
            raise
        session.rollback()
        log.warning("bookkeeping given up, the database is busy: %s", error.orig)
    finally:
        g.bookkeeping = False


def _unicode_lower(value):
    return value.lower() if isinstance(value, str) else value


def _wait_ms(lock_timeout: float, bookkeeping_timeout: float) -> int:
    """How long this transaction's statements wait for another's lock: briefly for
    bookkeeping, which is given up rather than hold a finished page."""
    bookkeeping = has_request_context() and g.get("bookkeeping", False)
    return int((bookkeeping_timeout if bookkeeping else lock_timeout) * 1000)


def _configure_postgresql(engine: Engine, lock_timeout: float, bookkeeping_timeout: float) -> None:
    @event.listens_for(engine, "begin")
    def _on_begin(connection) -> None:
        if has_request_context() and g.get("bookkeeping", False):
            # On the driver's connection, so it is not counted as one of the page's queries.
            connection.connection.driver_connection.execute(
                f"SET LOCAL lock_timeout = {_wait_ms(lock_timeout, bookkeeping_timeout)}")


def _configure_sqlite(engine: Engine, lock_timeout: float, bookkeeping_timeout: float) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record) -> None:
        # Let SQLAlchemy issue BEGIN itself, so we can choose its kind.
        dbapi_connection.isolation_level = None
        # SQLite's own lower() changes only ASCII letters; PostgreSQL's and Python's change
        # them all, so "Élodie" matches "élodie" (mentions, people search) on both.
        dbapi_connection.create_function("lower", 1, _unicode_lower, deterministic=True)
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute(f"PRAGMA busy_timeout = {int(lock_timeout * 1000)}")
        cursor.execute("PRAGMA synchronous = NORMAL")
        if engine.url.database not in (None, "", ":memory:"):
            cursor.execute("PRAGMA journal_mode = WAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection) -> None:
        # On the driver's connection, so it is not counted as one of the page's queries.
        connection.connection.driver_connection.execute(
            f"PRAGMA busy_timeout = {_wait_ms(lock_timeout, bookkeeping_timeout)}")
        connection.exec_driver_sql("BEGIN IMMEDIATE" if _wants_immediate() else "BEGIN")


@dataclass
class _AppDatabase:
    """One app's engine, and what its sessions bind to (tests bind a connection)."""

    engine: Engine
    bind: Engine | Connection
    join_transaction_mode: str = "conditional_savepoint"


class Database:
    """Engines per app; ``db.session`` is scoped to the app context and bound to the
    current app's engine, so several apps (tests, live servers) can coexist."""

    def __init__(self) -> None:
        self.session = scoped_session(self.new_session, scopefunc=_scope)

    def init_app(self, app: Flask) -> None:
        url = app.config["DATABASE_URL"]
        lock_timeout = float(app.config["DATABASE_LOCK_TIMEOUT"])
        bookkeeping_timeout = float(app.config["BOOKKEEPING_LOCK_TIMEOUT"])
        options: dict = {"echo": app.config["SQL_ECHO"]}
        if url.startswith("sqlite"):
            options["connect_args"] = {"check_same_thread": False, "timeout": lock_timeout}
            if ":memory:" in url or url == "sqlite://":
                options["poolclass"] = StaticPool
        else:
            options["pool_pre_ping"] = True
            # Server-side prepared statements switch PostgreSQL to generic plans after a few
            # runs, which made full-text search several times slower (bench/forums_bench.py).
            options["connect_args"] = {"prepare_threshold": None,
                                       "options": f"-c lock_timeout={int(lock_timeout * 1000)}"}
        if url.startswith("postgresql://"):
            url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
        engine = create_engine(url, **options)
        if engine.dialect.name == "sqlite":
            _configure_sqlite(engine, lock_timeout, bookkeeping_timeout)
        else:
            _configure_postgresql(engine, lock_timeout, bookkeeping_timeout)
        event.listen(engine, "before_cursor_execute", _count_query)
        app.extensions["portal_db"] = _AppDatabase(engine=engine, bind=engine)
        app.before_request(_reset_query_count)
        if app.config.get("EXPOSE_QUERY_COUNT"):
            app.after_request(_report_query_count)
        app.teardown_appcontext(self._remove_session)

    def _remove_session(self, _exc: BaseException | None) -> None:
        self.session.remove()

    @staticmethod
    def state(app: Flask | None = None) -> _AppDatabase:
        return (app or current_app).extensions["portal_db"]

    @property
    def engine(self) -> Engine:
        return self.state().engine

    def new_session(self) -> Session:
        """A session for the current app, outside the request scope (workers, threads)."""
        state = self.state()
        return Session(bind=state.bind, expire_on_commit=False,
                       join_transaction_mode=state.join_transaction_mode)


def _count_query(*_args) -> None:
    if has_request_context():
        g.sql_queries = g.get("sql_queries", 0) + 1


def _reset_query_count() -> None:
    g.sql_queries = 0


def _report_query_count(response):
    """Budget checks read the number of SQL statements a request ran from this header."""
    response.headers["X-Query-Count"] = str(g.get("sql_queries", 0))
    return response


def _scope() -> int:
    # One session per app context (request, CLI command or test block).
    try:
        return id(g._get_current_object())
    except RuntimeError:
        return 0

