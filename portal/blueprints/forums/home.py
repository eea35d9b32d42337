"""The forums' sections of the start page."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from portal.blueprints.forums import policies
from portal.blueprints.forums.models import Audience, Category, Thread, ThreadRead, ThreadSubscription

RECENT = 5
FOLLOWED = 5
ANNOUNCEMENTS = 3
# Followed threads are fetched with some spare, as a category's audience may have narrowed since.
SPARE = 5


def recent_discussions(session, user, now) -> dict | None:
    """For visitors: the latest active discussions in categories open to everyone."""
    threads = list(session.scalars(
        select(Thread).join(Category, Category.id == Thread.category_id)
        .where(Category.audience == Audience.MEMBERS.value)
        .order_by(Thread.last_post_at.desc(), Thread.id.desc()).limit(RECENT)
    ))
    return {"threads": threads} if threads else None


def new_in_followed(session, user, now) -> dict | None:
    """Threads the member follows that have posts they have not read, with how many."""
    read = func.coalesce(ThreadRead.last_read_number, 0)
    rows = session.execute(
        select(Thread, Thread.post_count - read)
        .join(ThreadSubscription, (ThreadSubscription.thread_id == Thread.id) & (ThreadSubscription.user_id == user.id))
        .outerjoin(ThreadRead, (ThreadRead.thread_id == Thread.id) & (ThreadRead.user_id == user.id))
        .where(read < Thread.post_count)
        .order_by(Thread.last_post_at.desc(), Thread.id.desc()).limit(FOLLOWED + SPARE)
        .options(selectinload(Thread.category))
    ).tuples()
    unread = [(thread, new) for thread, new in rows if policies.can_see_category(user, thread.category)][:FOLLOWED]
    return {"threads": unread} if unread else None


def announcements(session, user, now) -> dict | None:
    """Threads moderators pinned in categories the member can see, newest first."""
    pinned = session.scalars(
        select(Thread).where(Thread.pinned.is_(True))
        .order_by(Thread.created_at.desc(), Thread.id.desc()).limit(ANNOUNCEMENTS + SPARE)
        .options(selectinload(Thread.category))
    )
    shown = [thread for thread in pinned if policies.can_see_category(user, thread.category)][:ANNOUNCEMENTS]
    return {"threads": shown} if shown else None
