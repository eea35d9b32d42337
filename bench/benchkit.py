"""What the benchmarks share: settings, throwaway databases, signed-in clients, page timings."""

from __future__ import annotations

import os
import statistics
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

REQUESTS = 50  # per page


def settings(url: str) -> dict:
    return {
        "ENV_NAME": "testing",
        "TESTING": True,
        "SECRET_KEY": "bench-secret-key",
        "DATABASE_URL": url,
        "RATELIMIT_ENABLED": False,
        "EXPOSE_QUERY_COUNT": True,
        "BASE_URL": "http://portal.bench",
        "SERVER_NAME": None,
        "MAIL_IN_PROCESS": False,
    }


@contextmanager
def sqlite_database() -> Iterator[tuple[str, str]]:
    with tempfile.TemporaryDirectory(prefix="portal-bench-") as folder:
        yield "SQLite", "sqlite:///" + os.path.join(folder, "bench.sqlite3")


@contextmanager
def postgres_database(url: str) -> Iterator[tuple[str, str]]:
    """A fresh ``<name>_bench`` beside the named database, dropped at the end."""
    parsed = make_url(url)
    name = f"{parsed.database}_bench"
    admin = create_engine(parsed.set(database="postgres", drivername="postgresql+psycopg"),
                          isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        yield f"PostgreSQL ({name})", parsed.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def vacuum_analyze(engine) -> None:
    """On PostgreSQL, gather the planner's statistics, as autovacuum does some minutes after
    a bulk load: measured before it, pages would show the plans of an empty database."""
    if engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text("VACUUM ANALYZE"))


def median_ms(times: list[float]) -> float:
    return statistics.median(times) * 1000


def p95_ms(times: list[float]) -> float:
    return statistics.quantiles(times, n=20, method="inclusive")[18] * 1000


@dataclass
class Timing:
    name: str
    times: list[float]
    queries: int
    compressed: int

    @property
    def median_ms(self) -> float:
        return median_ms(self.times)

    @property
    def p95_ms(self) -> float:
        return p95_ms(self.times)


def signed_in(app, user_id: int):
    """A test client whose cookie session names the member, after a sign-in recorded on
    the server as signing in would record it."""
    from datetime import timedelta

    from portal.blueprints.accounts.models import User
    from portal.blueprints.accounts.services import start_sign_in
    from portal.extensions import db

    with app.app_context():
        user = db.session.get(User, user_id)
        start_sign_in(db.session, user, timedelta(days=1))
        session_id = user.get_id()
        db.session.commit()
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = session_id
        session["_fresh"] = True
    return client


def time_page(name: str, client, url: str, runs: int = REQUESTS) -> Timing:
    """``runs`` gzip-accepting GETs of ``url`` after one to warm up; the statements and the
    compressed size are the warm-up's."""
    headers = {"Accept-Encoding": "gzip"}
    first = client.get(url, headers=headers)
    assert first.status_code == 200, f"{url}: {first.status_code}"
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        response = client.get(url, headers=headers)
        response.get_data()
        times.append(time.perf_counter() - started)
        assert response.status_code == 200
    return Timing(name, times, int(first.headers["X-Query-Count"]), len(first.get_data()))
