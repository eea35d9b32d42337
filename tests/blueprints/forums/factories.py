"""Forums test data, made through the services so counts, numbering and the search
index stay exactly as the portal keeps them."""

from __future__ import annotations

import itertools
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.blueprints.accounts.models import User
from portal.blueprints.forums import services
from portal.blueprints.forums.models import Audience, Category, Post, Thread
from portal.core.db import utcnow
from portal.core.permissions import Role
from tests.blueprints.accounts.factories import make_user

_numbers = itertools.count(1)


def make_person(session: Session, *, role: Role = Role.MEMBER, **fields) -> User:
    """A verified account a month old, so the new-account posting limit does not apply."""
    fields.setdefault("created_at", utcnow() - timedelta(days=30))
    return make_user(session, role=Role(role), **fields)


def make_category(session: Session, *, name: str | None = None, audience: Audience | str = Audience.MEMBERS,
                  description: str = "", position: int = 0) -> Category:
    number = next(_numbers)
    return services.save_category(session, None, name=name or f"Category {number}", description=description,
                                  audience=Audience(audience).value, position=position)


def make_thread(session: Session, category: Category, author: User | None = None, *, title: str | None = None,
                body: str | None = None, now: datetime | None = None, notify: bool = False) -> Thread:
    number = next(_numbers)
    author = author or make_person(session)
    return services.start_thread(session, category, author, title or f"Thread {number}",
                                 body or f"The opening post of thread {number}.", now=now, notify=notify)


def make_post(session: Session, thread: Thread, author: User | None = None, *, body: str | None = None,
              quoted: Post | None = None, now: datetime | None = None, notify: bool = False) -> Post:
    number = next(_numbers)
    author = author or make_person(session)
    return services.reply(session, thread, author, body or f"Reply number {number}.", quoted, now=now,
                          notify=notify)


def make_replies(session: Session, thread: Thread, count: int, author: User | None = None,
                 start: datetime | None = None) -> list[Post]:
    """``count`` replies a minute apart (oldest first), all by ``author`` or one new person."""
    author = author or make_person(session)
    start = start or utcnow() - timedelta(minutes=count + 1)
    return [make_post(session, thread, author, body=f"Reply {n} in the thread.", now=start + timedelta(minutes=n))
            for n in range(count)]


def first_post(session: Session, thread: Thread) -> Post:
    return session.scalar(select(Post).where(Post.thread_id == thread.id, Post.number == 1))
