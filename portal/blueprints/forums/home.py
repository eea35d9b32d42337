"""The forums' sections of the start page."""

from __future__ import annotations

from sqlalchemy import func, select

from portal.blueprints.forums import policies
from portal.blueprints.forums.models import Category, Thread, ThreadRead, ThreadSubscription

RECENT = 5
FOLLOWED = 5
ANNOUNCEMENTS = 3


def _in_categories_for(query, user):
    """``query`` over threads, narrowed to categories ``user`` can see."""
    return (query.join(Category, Category.id == Thread.category_id)
            .where(Category.audience.in_(policies.visible_audiences(user))))


def recent_discussions(session, user, now) -> dict | None:
    """For visitors: the latest active discussions in categories open to everyone."""
    threads = list(session.scalars(
        _in_categories_for(select(Thread), None)
        .order_by(Thread.last_post_at.desc(), Thread.id.desc()).limit(RECENT)
    ))
    return {"threads": threads} if threads else None


def new_in_followed(session, user, now) -> dict | None:
    """Threads the member follows that have posts they have not read, with how many."""
    read = func.coalesce(ThreadRead.last_read_number, 0)
    unread = list(session.execute(
        _in_categories_for(select(Thread, Thread.post_count - read), user)
        .join(ThreadSubscription, (ThreadSubscription.thread_id == Thread.id) & (ThreadSubscription.user_id == user.id))
        .outerjoin(ThreadRead, (ThreadRead.thread_id == Thread.id) & (ThreadRead.user_id == user.id))
        .where(read < Thread.post_count)
        .order_by(Thread.last_post_at.desc(), Thread.id.desc()).limit(FOLLOWED)
    ).tuples())
    return {"threads": unread} if unread else None


def announcements(session, user, now) -> dict | None:
    """Threads moderators pinned in categories the member can see, newest first."""
    pinned = list(session.scalars(
        _in_categories_for(select(Thread), user).where(Thread.pinned.is_(True))
        .order_by(Thread.created_at.desc(), Thread.id.desc()).limit(ANNOUNCEMENTS)
    ))
    return {"threads": pinned} if pinned else None
