"""Measuring a page against the budgets: SQL statements per request and compressed weight."""

from __future__ import annotations

import gzip
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import event as sa_event

from portal.extensions import db

QUERY_BUDGET = 10
WEIGHT_BUDGET = 14 * 1024  # bytes of HTML + CSS, gzip-compressed
CSS = Path(__file__).resolve().parents[1] / "portal" / "static" / "css" / "portal.css"


@dataclass(frozen=True)
class Measure:
    queries: int
    statements: list[str]
    html: bytes


def measure(app, client, url: str) -> Measure:
    """GET ``url`` with an empty session; the statements run during the request."""
    db.session.commit()
    db.session.expunge_all()
    statements: list[str] = []

    def record(_conn, _cursor, statement, *_args) -> None:
        statements.append(" ".join(statement.split())[:120])

    engine = db.state(app).engine
    sa_event.listen(engine, "before_cursor_execute", record)
    try:
        response = client.get(url)
    finally:
        sa_event.remove(engine, "before_cursor_execute", record)
    assert response.status_code == 200, f"{url}: {response.status_code}"
    return Measure(len(statements), statements, response.data)


def compressed(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=6))  # Flask-Compress's level
