"""Figures and lists for the people who run the programme."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, case, func, select
from sqlalchemy.orm import Session, selectinload

from portal.blueprints.accounts.models import Mentor, MentorRequest, RequestStatus, User
from portal.blueprints.events.models import Event, EventStatus
from portal.blueprints.manage import reports, suspensions
from portal.core.mail import OutboxMessage
from portal.core.pagination import Page, paginate

PAGE_SIZE = 25


@dataclass(frozen=True)
class Overview:
    members: int
    unverified: int
    mentors: int
    mentor_requests: int
    mentees: int
    mail_queued: int
    mail_dead: int
    open_reports: int
    suspended: int
    upcoming_events: int
    draft_events: int


def overview(session: Session, now: datetime) -> Overview:
    """Headline figures in five queries, whatever the size of the community. Mentors are
    the people a community manager approved; the profile's answer only counts mentees."""
    active = User.deleted_at.is_(None)
    waiting = (
        select(func.count()).select_from(MentorRequest).join(MentorRequest.user)
        .where(MentorRequest.status == RequestStatus.PENDING, active)
        .correlate(None).scalar_subquery()
    )
    people = session.execute(
        select(
            func.count(),
            func.count(case((User.email_verified_at.is_(None), 1))),
            func.count(Mentor.user_id),
            waiting,
            func.count(case((User.participation.in_(("mentee", "both")), 1))),
        ).select_from(User).outerjoin(Mentor, Mentor.user_id == User.id).where(active)
    ).one()
    mail = dict(
        session.execute(
            select(OutboxMessage.status, func.count()).where(OutboxMessage.status.in_(("queued", "dead")))
            .group_by(OutboxMessage.status)
        ).all()
    )
    events = session.execute(
        select(
            func.count(case((and_(Event.status == EventStatus.PUBLISHED, Event.ends_at > now), 1))),
            func.count(case((Event.status == EventStatus.DRAFT, 1))),
        )
    ).one()
    return Overview(
        members=people[0], unverified=people[1], mentors=people[2], mentor_requests=people[3],
        mentees=people[4],
        mail_queued=mail.get("queued", 0), mail_dead=mail.get("dead", 0),
        open_reports=reports.items_to_review(session), suspended=suspensions.count_current(session, now),
        upcoming_events=events[0], draft_events=events[1],
    )


def people(session: Session, *, role: str | None, query: str, page: int) -> Page:
    """Active people, filtered by role and by name or email, a page at a time."""
    conditions = [User.deleted_at.is_(None)]
    if role:
        conditions.append(User.role == role)
    if query:
        pattern = f"%{query.lower()}%"
        conditions.append(func.lower(User.display_name).like(pattern) | User.email.like(pattern))
    query = (select(User).where(*conditions).options(selectinload(User.mentorship))
             .order_by(func.lower(User.display_name), User.id))
    return paginate(session, query, page, PAGE_SIZE)
