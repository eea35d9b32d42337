"""Full-text search over posts and thread titles, behind one function.

SQLite uses an FTS5 table, PostgreSQL a tsvector column with a GIN index; both
live outside the ORM models (see the migration) and are kept in step here. A
post's document is its body, plus the thread title for a thread's first post.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from markupsafe import Markup, escape
from sqlalchemy import text
from sqlalchemy.orm import Session

from portal.blueprints.forums.models import Post

SEARCH_OBJECTS = ("forum_search", "forum_search_fts", "ix_forum_search_document")
_START, _END = "\x02", "\x03"
PAGE_SIZE = 20


def _dialect(session: Session) -> str:
    return session.get_bind().dialect.name


def document(post: Post, title: str | None) -> str:
    return f"{title}\n{post.body}" if title else post.body


def index_post(session: Session, post: Post, title: str | None = None) -> None:
    """Add or replace the post's document in the index."""
    remove_post(session, post.id)
    if _dialect(session) == "postgresql":
        session.execute(
            text("INSERT INTO forum_search (post_id, document) VALUES (:id, to_tsvector('english', :doc))"),
            {"id": post.id, "doc": document(post, title)},
        )
    else:
        session.execute(text("INSERT INTO forum_search_fts (rowid, document) VALUES (:id, :doc)"),
                        {"id": post.id, "doc": document(post, title)})


def remove_post(session: Session, post_id: int) -> None:
    table, column = ("forum_search", "post_id") if _dialect(session) == "postgresql" else ("forum_search_fts", "rowid")
    session.execute(text(f"DELETE FROM {table} WHERE {column} = :id"), {"id": post_id})


@dataclass(frozen=True)
class Hit:
    post_id: int
    snippet: Markup


_TYPED = re.compile(r'(-?)"([^"]*)"?|(-?)([^\s"]+)')


def _fts_query(query: str) -> str:
    """The query for FTS5, read as PostgreSQL's ``websearch_to_tsquery`` reads it: every
    word required ("AND" adds nothing), "quoted words" a phrase, -word leaves out posts
    with it, OR a choice. Words go to FTS5 quoted, so no operator typed can break it."""
    parts: list[str] = []
    choice = False
    for match in _TYPED.finditer(query):
        minus, typed = match.group(1) or match.group(3), match.group(2) if match.group(2) is not None else match.group(4)
        if match.group(4) is not None and not minus and typed.upper() in ("AND", "OR"):
            choice = choice or (typed.upper() == "OR" and bool(parts))
            continue
        words = re.findall(r"\w+", typed, flags=re.UNICODE)
        if not words:
            continue
        term = '"' + " ".join(words[:12]) + '"'
        if minus:
            if parts:  # FTS5's NOT needs something to leave posts out of
                parts.append(f"NOT {term}")
            continue
        if choice:
            parts.append("OR")
        parts.append(term)
        choice = False
        if len(parts) >= 24:
            break
    return " ".join(parts)


def _marked(raw: str) -> Markup:
    return Markup(str(escape(raw)).replace(_START, "<mark>").replace(_END, "</mark>"))


@dataclass(frozen=True)
class Results:
    """One page of hits. ``total`` is exact up to COUNT_CAP; ``more`` says there were more."""

    hits: list[Hit]
    total: int
    more: bool
    number: int
    pages: int
    newest_first: bool

    @property
    def items(self) -> list[Hit]:
        return self.hits


# Counting and ranking every match of a common word costs more than the 200 ms a
# search may take on 100,000 posts, so both stop at a thousand: past that the
# newest matches come first (the index walks them in order) and the count says "over".
COUNT_CAP = 1000


def search(session: Session, query: str, visible_category_ids: list[int], page: int) -> Results:
    """Posts matching ``query`` in categories the person may see, a page at a time,
    with the matching words marked in context: best first, or newest first when more
    than COUNT_CAP match."""
    empty = Results([], 0, False, 1, 1, False)
    if not query.strip() or not visible_category_ids:
        return empty
    visible = (
        "JOIN forum_post p ON p.id = {id} JOIN forum_thread t ON t.id = p.thread_id "
        "WHERE p.deleted_at IS NULL AND p.hidden_at IS NULL AND t.category_id IN ({cats})"
    )
    cats = ", ".join(str(int(c)) for c in visible_category_ids)
    if _dialect(session) == "postgresql":
        params = {"q": query}
        base = (
            "FROM forum_search s " + visible.format(id="s.post_id", cats=cats)
            + " AND s.document @@ websearch_to_tsquery('english', :q)"
        )
        key = "s.post_id"
        rank = "ts_rank(s.document, websearch_to_tsquery('english', :q)) DESC"
        snippet = ("ts_headline('english', coalesce(t.title, '') || ' ' || p.body, "
                   "websearch_to_tsquery('english', :q), :opts)")
        params["opts"] = f"StartSel={_START}, StopSel={_END}, MaxWords=30, MinWords=12, MaxFragments=2"
    else:
        match = _fts_query(query)
        if not match:
            return empty
        params = {"q": match}
        base = "FROM forum_search_fts f " + visible.format(id="f.rowid", cats=cats) + " AND forum_search_fts MATCH :q"
        key = "f.rowid"
        rank = "f.rank"
        snippet = f"snippet(forum_search_fts, 0, '{_START}', '{_END}', '…', 24)"
    counted = session.scalar(text(f"SELECT count(*) FROM (SELECT 1 {base} LIMIT {COUNT_CAP + 1}) AS hits"), params)
    more = counted > COUNT_CAP
    total = min(counted, COUNT_CAP)
    pages = max(1, -(-total // PAGE_SIZE))
    number = min(max(page, 1), pages)
    order = f"{key} DESC" if more else f"{rank}, {key} DESC"
    offset = (number - 1) * PAGE_SIZE
    limit = min(PAGE_SIZE, total - offset)
    rows = session.execute(
        text(f"SELECT {key}, {snippet} {base} ORDER BY {order} LIMIT {limit} OFFSET {offset}"),
        params,
    ).all()
    return Results([Hit(post_id, _marked(text_)) for post_id, text_ in rows], total, more, number, pages, more)
