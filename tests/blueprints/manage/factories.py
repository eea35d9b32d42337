"""Moderation test data: reported forum posts (the first reportable kind) and suspensions,
made through the services."""

from __future__ import annotations

import itertools
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from portal.blueprints.accounts.models import User
from portal.blueprints.forums.models import Category, Post
from portal.blueprints.manage import reports, suspensions
from portal.blueprints.manage.models import Suspension
from portal.core.features import Reportable, registry
from tests.blueprints.forums.factories import make_person, make_post, make_thread

_numbers = itertools.count(1)


def forum_posts() -> Reportable:
    """Forum posts as the current app's registry declares them."""
    return registry().reportables["forums.post"]


def reported_post(session: Session, category: Category, author: User | None = None, *reporters: User,
                  body: str | None = None, reason: str = "Spam") -> Post:
    """A reply by ``author`` (someone new by default) in a new thread, reported by each of
    ``reporters`` (one new member by default)."""
    number = next(_numbers)
    thread = make_thread(session, category, title=f"Reported thread {number}")
    post = make_post(session, thread, author or make_person(session), body=body or f"Reported words {number}")
    for reporter in reporters or (make_person(session),):
        reports.report(session, "forums.post", post.id, reporter, reason)
    return post


def entry_of(session: Session, post: Post) -> reports.Entry:
    return reports.entry(session, forum_posts(), post.id)


def suspend(session: Session, person: User, moderator: User, *, days: int | None = 7, reason: str = "Spam",
            now: datetime | None = None) -> Suspension:
    length = timedelta(days=days) if days is not None else None
    return suspensions.suspend(session, person, moderator, reason, length, now)
