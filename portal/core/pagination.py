"""Lists a page at a time: one ``Page`` shape and one way to cut a query into pages."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session


@dataclass(frozen=True)
class Page:
    """Page ``number`` (from 1) of ``pages``, holding ``items`` of ``total`` in all."""

    items: list
    number: int
    pages: int
    total: int


def page_count(total: int, per_page: int) -> int:
    """How many pages ``total`` items fill; an empty list still has one (empty) page."""
    return max(1, -(-total // per_page))


def clamp(page: int, pages: int) -> int:
    """The page to show for a requested ``page``: past the last shows the last."""
    return min(max(page, 1), pages)


def paginate(session: Session, query: Select, page: int, per_page: int, total: int | None = None) -> Page:
    """Page ``page`` of an ordered ``query`` of one entity. ``total`` saves the count
    query where the caller keeps a counter."""
    if total is None:
        total = session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    pages = page_count(total, per_page)
    number = clamp(page, pages)
    items = list(session.scalars(query.offset((number - 1) * per_page).limit(per_page)))
    return Page(items, number, pages, total)
