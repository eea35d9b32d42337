"""Demo people, for `flask seed-demo`: all share the password ``demo-password``."""

from __future__ import annotations

from sqlalchemy.orm import Session

from portal.blueprints.accounts import mentoring
from portal.blueprints.accounts.models import User
from portal.blueprints.accounts.services import NewAccount, create_verified_user, find_by_email
from portal.core.permissions import Role

DEMO_PASSWORD = "demo-password"

DEMO_PEOPLE = [
    (NewAccount("member@example.org", "Amara Okafor", DEMO_PASSWORD, Role.MEMBER, "mentee"),
     {"pronouns": "she/her", "timezone": "Europe/London", "languages": "English, Igbo",
      "interests": "career change, data analysis",
      "bio": "Moving from retail management into **data analysis**. Screen-reader user."}),
    (NewAccount("mentor@example.org", "Tomás Herrera", DEMO_PASSWORD, Role.MEMBER, "mentor"),
     {"pronouns": "he/him", "timezone": "Europe/Madrid", "languages": "Spanish, English",
      "interests": "software engineering, public speaking",
      "bio": "Engineering lead. Happy to talk about first jobs in tech and giving talks."}),
    (NewAccount("manager@example.org", "Priya Natarajan", DEMO_PASSWORD, Role.MANAGER, "both"),
     {"pronouns": "she/they", "timezone": "Asia/Kolkata", "languages": "English, Tamil, Hindi",
      "interests": "community building, accessibility",
      "bio": "Community manager for the programme. Ask me anything about events."}),
    (NewAccount("admin@example.org", "Sam Lindqvist", DEMO_PASSWORD, Role.ADMIN, "both"),
     {"pronouns": "they/them", "timezone": "Europe/Stockholm", "languages": "Swedish, English",
      "interests": "open source, operations", "bio": "Keeps the portal running."}),
]


MENTOR_NOTE = ("Twelve years as a software engineer, five of them leading a team. I have "
               "mentored new engineers at work and coached colleagues before their first talks.")


def seed(session: Session) -> list[User]:
    """Create the demo people that do not exist yet, with Tomás an approved mentor
    (approved by Priya, the community manager); return all of them."""
    people = []
    for account, profile in DEMO_PEOPLE:
        user = find_by_email(session, account.email)
        if user is None:
            user = create_verified_user(session, account)
            for name, value in profile.items():
                setattr(user, name, value)
        people.append(user)
    session.flush()
    mentor, manager = people[1], people[2]
    if mentoring.status_of(session, mentor).state is mentoring.State.NOT_ASKED:
        request = mentoring.ask(session, mentor, MENTOR_NOTE)
        mentoring.approve(session, request, manager, tell=False)
    return people
