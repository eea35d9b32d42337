"""Finding forum content a page at a time, in a fixed number of queries."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session, joinedload, load_only, selectinload

from portal.blueprints.accounts.models import User
from portal.blueprints.forums import policies
from portal.blueprints.forums.models import POSTS_PER_PAGE, THREADS_PER_PAGE, Category, Post, PostRevision, Thread
from portal.core.pagination import Page, clamp, paginate


def threads(session: Session, category: Category, page: int) -> Page:
    """Pinned threads first, then the most recently active; each with its author and its
    last post's author, in the same query."""
    query = (
        select(Thread).where(Thread.category_id == category.id)
        .order_by(Thread.pinned.desc(), Thread.last_post_at.desc(), Thread.id.desc())
        .options(joinedload(Thread.author), joinedload(Thread.last_post).joinedload(Post.author))
    )
    return paginate(session, query, page, THREADS_PER_PAGE, total=category.thread_count)


def participants(session: Session, threads_: list[Thread], limit: int = 4) -> dict[int, list[User]]:
    """For each thread, up to ``limit`` people who wrote in it, in the order they first
    did (so the starter comes first), leaving out deleted posts and accounts; one query."""
    if not threads_:
        return {}
    first = func.min(Post.number)
    writers = (
        select(Post.thread_id, Post.author_id,
               func.row_number().over(partition_by=Post.thread_id, order_by=first).label("rank"))
        .join(User, User.id == Post.author_id)
        # People who left are dropped before ranking, so they leave no gap in the first few.
        .where(Post.thread_id.in_([t.id for t in threads_]), Post.deleted_at.is_(None),
               User.deleted_at.is_(None))
        .group_by(Post.thread_id, Post.author_id).subquery()
    )
    rows = session.execute(
        select(writers.c.thread_id, User).join(User, User.id == writers.c.author_id)
        .where(writers.c.rank <= limit)
        .order_by(writers.c.thread_id, writers.c.rank)
        # An avatar and a name are all a list shows of each.
        .options(load_only(User.id, User.display_name, User.deleted_at))
    )
    found: dict[int, list[User]] = {t.id: [] for t in threads_}
    for thread_id, user in rows:
        found[thread_id].append(user)
    return found


def latest_threads(session: Session, categories_: list[Category]) -> dict[int, Thread]:
    """Each category's most recently active thread, with its last post's author; one query."""
    if not categories_:
        return {}
    ranked = (
        select(Thread.id, func.row_number().over(
            partition_by=Thread.category_id, order_by=(Thread.last_post_at.desc(), Thread.id.desc())).label("rank"))
        .where(Thread.category_id.in_([c.id for c in categories_])).subquery()
    )
    rows = session.scalars(
        select(Thread).join(ranked, ranked.c.id == Thread.id).where(ranked.c.rank == 1)
        .options(joinedload(Thread.last_post).joinedload(Post.author))
    )
    return {t.category_id: t for t in rows}


def posts(session: Session, thread: Thread, page: int) -> Page:
    """One page of a thread, found by post number so deep pages cost the same as the first."""
    number = clamp(page, thread.pages)
    first = (number - 1) * POSTS_PER_PAGE + 1
    items = list(session.scalars(
        select(Post).where(Post.thread_id == thread.id, Post.number >= first,
                           Post.number < first + POSTS_PER_PAGE)
        .order_by(Post.number).options(joinedload(Post.author).joinedload(User.mentorship))
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
