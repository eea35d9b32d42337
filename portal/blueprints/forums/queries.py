"""Finding forum content a page at a time, in a fixed number of queries."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session, joinedload, selectinload

from portal.blueprints.forums import policies
from portal.blueprints.forums.models import POSTS_PER_PAGE, THREADS_PER_PAGE, Category, Post, PostRevision, Thread
from portal.core.pagination import Page, clamp, paginate


def threads(session: Session, category: Category, page: int) -> Page:
    """Pinned threads first, then the most recently active."""
    query = (
        select(Thread).where(Thread.category_id == category.id)
        .order_by(Thread.pinned.desc(), Thread.last_post_at.desc(), Thread.id.desc())
        .options(selectinload(Thread.author))
    )
    return paginate(session, query, page, THREADS_PER_PAGE, total=category.thread_count)


def posts(session: Session, thread: Thread, page: int) -> Page:
    """One page of a thread, found by post number so deep pages cost the same as the first."""
    number = clamp(page, thread.pages)
    first = (number - 1) * POSTS_PER_PAGE + 1
    items = list(session.scalars(
        select(Post).where(Post.thread_id == thread.id, Post.number >= first,
                           Post.number < first + POSTS_PER_PAGE)
        .order_by(Post.number).options(joinedload(Post.author))
    ))
    return Page(items, number, thread.pages, thread.post_count)


def recent_threads(session: Session, category: Category, limit: int = 20) -> list[Thread]:
    return list(session.scalars(
        select(Thread).where(Thread.category_id == category.id)
        .order_by(Thread.created_at.desc(), Thread.id.desc()).limit(limit)
        .options(selectinload(Thread.author))
    ))


def first_posts(session: Session, threads_: list[Thread]) -> dict[int, Post]:
    if not threads_:
        return {}
    rows = session.scalars(select(Post).where(Post.thread_id.in_([t.id for t in threads_]), Post.number == 1))
    return {p.thread_id: p for p in rows}


def posts_by_id(session: Session, ids: list[int]) -> dict[int, Post]:
    if not ids:
        return {}
    rows = session.scalars(
        select(Post).where(Post.id.in_(ids))
        .options(selectinload(Post.thread).selectinload(Thread.category), selectinload(Post.author))
    )
    return {p.id: p for p in rows}


def count_threads(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(Thread))


def reported_posts(session: Session, ids: list[int]) -> dict[int, Post]:
    """Posts for the moderation queue and the report page, with their thread, category
    and author, in one query."""
    if not ids:
        return {}
    rows = session.scalars(
        select(Post).where(Post.id.in_(ids))
        .options(joinedload(Post.thread).joinedload(Thread.category), joinedload(Post.author))
    )
    return {p.id: p for p in rows}


# Loading one thing, or the lists the pages show


def category_by_slug(session: Session, slug: str) -> Category | None:
    return session.scalar(select(Category).where(Category.slug == slug))


def thread_with_category(session: Session, thread_id: int) -> Thread | None:
    return session.scalar(select(Thread).where(Thread.id == thread_id).options(joinedload(Thread.category)))


def post_with_thread(session: Session, post_id: int) -> Post | None:
    """The post with its thread, the thread's category and its author, in one round trip each."""
    return session.scalar(
        select(Post).where(Post.id == post_id)
        .options(selectinload(Post.thread).selectinload(Thread.category), selectinload(Post.author))
    )


def categories(session: Session) -> list[Category]:
    """Every category in the order the forums list them."""
    return list(session.scalars(select(Category).order_by(Category.position, Category.name)))


def visible_categories(session: Session, user) -> list[Category]:
    return [c for c in categories(session) if policies.can_see_category(user, c)]


def revisions(session: Session, post: Post) -> list[PostRevision]:
    """Earlier versions of an edited post, newest first."""
    return list(session.scalars(
        select(PostRevision).where(PostRevision.post_id == post.id).order_by(PostRevision.id.desc())
    ))
