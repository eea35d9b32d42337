"""Demo data for `flask seed-demo`: Priya, the community manager, has approved most
community members who offered to mentor, with two requests waiting on the people page; and
one member is suspended for a week, so the suspensions page has someone on it (the forums
demo brings the reported posts)."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from portal.blueprints.accounts import mentoring
from portal.blueprints.accounts.models import (
    Mentor,
    MentorRequest,
    Participation,
    RequestStatus,
    User,
)
from portal.blueprints.manage import suspensions
from portal.blueprints.manage.models import Suspension
from portal.core.db import utcnow
from portal.core.permissions import Role

WAITING = 2  # the newest offers stay pending, so the people page shows requests

NOTES = [
    "I have managed a data team for six years and hired a dozen analysts, many career changers.",
    "Former teacher, now a product designer. I love helping people see what they already know.",
    "I have run a consultancy and mentored apprentices for ten years: freelancing, pricing, nerve.",
    "I moved from nursing into software testing at 40 and would like to help others do the same.",
]


def seed_mentors(session: Session, people: list[User]) -> str:
    """Ask and decide for every community member who offered to mentor and has never asked;
    return a phrase for the summary."""
    manager = next(p for p in people if p.role == Role.MANAGER)
    offering = session.scalars(
        select(User)
        .where(
            User.participation.in_((Participation.MENTOR, Participation.BOTH)),
            User.role == Role.MEMBER,
            User.deleted_at.is_(None),
            User.email_verified_at.is_not(None),
            ~select(MentorRequest.id).where(MentorRequest.user_id == User.id).exists(),
        )
        .order_by(User.id)
    ).all()
    for number, person in enumerate(offering):
        request = mentoring.ask(session, person, NOTES[number % len(NOTES)])
        if number < len(offering) - WAITING:
            mentoring.approve(session, request, manager, tell=False)
    mentors = session.scalar(select(func.count()).select_from(Mentor))
    waiting = session.scalar(
        select(func.count())
        .select_from(MentorRequest)
        .where(MentorRequest.status == RequestStatus.PENDING)
    )
    return f"{mentors} approved mentors and {waiting} mentor requests waiting"


SUSPENDED = "Ewan Campbell"  # one of the events demo's community
REASON = "Sent the same paid-course advert to twelve members in private messages after a warning."


def seed_suspension(session: Session, people: list[User]) -> int:
    """Suspend the demo member for seven days, started two days ago, unless the demo has
    run before (or they are not there); return how many suspensions there are."""
    if session.scalar(select(func.count()).select_from(Suspension)):
        return session.scalar(select(func.count()).select_from(Suspension))
    member = session.scalar(select(User).where(User.display_name == SUSPENDED))
    manager = next((p for p in people if p.role == "manager"), None)
    if member is None or manager is None:
        return 0
    suspensions.suspend(session, member, manager, REASON, timedelta(days=7), now=utcnow() - timedelta(days=2))
    return 1
