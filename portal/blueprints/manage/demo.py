"""Demo mentor decisions for `flask seed-demo`: Priya, the community manager, has approved
most community members who offered to mentor, and two requests wait on the people page."""

from __future__ import annotations

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
from portal.core.permissions import Role

WAITING = 2  # the newest offers stay pending, so the people page shows requests

NOTES = [
    "I have managed a data team for six years and hired a dozen analysts, many career changers.",
    "Former teacher, now a product designer. I love helping people see what they already know.",
    "I have run a consultancy and mentored apprentices for ten years: freelancing, pricing, nerve.",
    "I moved from nursing into software testing at 40 and would like to help others do the same.",
]


def seed(session: Session, people: list[User]) -> str:
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
