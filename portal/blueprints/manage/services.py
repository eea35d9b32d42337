"""Figures and lists for the people who run the programme."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from portal.blueprints.accounts.models import User
from portal.core.mail import OutboxMessage

PAGE_SIZE = 25


@dataclass(frozen=True)
class Overview:
    members: int
    unverified: int
    mentors: int
    mentees: int
    mail_queued: int
    mail_dead: int


def overview(session: Session) -> Overview:
    """Headline figures in two queries, whatever the size of the community."""
    active = User.deleted_at.is_(None)
    people = session.execute(
        select(
            func.count(),
            func.count(case((User.email_verified_at.is_(None), 1))),
            func.count(case((User.participation.in_(("mentor", "both")), 1))),
            func.count(case((User.participation.in_(("mentee", "both")), 1))),
        ).where(active)
    ).one()
    mail = dict(
        session.execute(
            select(OutboxMessage.status, func.count()).where(OutboxMessage.status.in_(("queued", "dead")))
            .group_by(OutboxMessage.status)
        ).all()
    )
    return Overview(
        members=people[0], unverified=people[1], mentors=people[2], mentees=people[3],
        mail_queued=mail.get("queued", 0), mail_dead=mail.get("dead", 0),
    )


@dataclass(frozen=True)
class Page:
    items: list
    number: int
    pages: int
    total: int


def people(session: Session, *, role: str | None, query: str, page: int) -> Page:
    """Active people, filtered by role and by name or email, a page at a time."""
    conditions = [User.deleted_at.is_(None)]
    if role:
        conditions.append(User.role == role)
    if query:
        pattern = f"%{query.lower()}%"
        conditions.append(func.lower(User.display_name).like(pattern) | User.email.like(pattern))
    total = session.scalar(select(func.count()).select_from(User).where(*conditions))
    pages = max(1, -(-total // PAGE_SIZE))
    number = min(max(page, 1), pages)
    items = list(
        session.scalars(
            select(User).where(*conditions).order_by(func.lower(User.display_name), User.id)
            .offset((number - 1) * PAGE_SIZE).limit(PAGE_SIZE)
        )
    )
    return Page(items=items, number=number, pages=pages, total=total)
