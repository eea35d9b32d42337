"""The demo mentors from `flask seed-demo`: Tomás approved by Priya, most community members
who offered to mentor approved, two requests waiting for the people page; nobody emailed,
and seeding again adds nothing."""

from __future__ import annotations

from sqlalchemy import select

from portal.blueprints.accounts import demo as accounts_demo
from portal.blueprints.accounts import mentoring
from portal.blueprints.accounts.models import User
from portal.blueprints.accounts.services import find_by_email
from portal.blueprints.events import demo as events_demo
from portal.blueprints.manage import demo
from portal.core.mail import OutboxMessage


def test_the_demo_mentors_are_approved_by_priya_and_two_requests_wait(session):
    people = accounts_demo.seed(session)
    events_demo.seed(session, people)  # the community members

    summary = demo.seed_mentors(session, people)

    tomas, priya = (
        find_by_email(session, "mentor@example.org"),
        find_by_email(session, "manager@example.org"),
    )
    assert tomas.is_mentor and tomas.mentorship.approved_by is priya
    offering = session.scalars(
        select(User).where(User.participation.in_(("mentor", "both")), User.role == "member")
    ).all()
    waiting = mentoring.waiting(session)
    assert waiting.total == demo.WAITING == 2
    assert {r.user for r in waiting.requests} <= set(offering)
    assert all(p.is_mentor for p in offering if p not in {r.user for r in waiting.requests})
    assert all(d.decided_by is priya for p in offering for d in mentoring.history(session, p))
    assert summary == f"{len(offering) - 2} approved mentors and 2 mentor requests waiting"
    assert session.scalars(select(OutboxMessage)).all() == [], "demo decisions email nobody"

    assert accounts_demo.seed(session) == people
    assert demo.seed_mentors(session, people) == summary, "seeding again adds nothing"
