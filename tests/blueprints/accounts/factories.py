"""Accounts test data."""

from __future__ import annotations

import itertools

from sqlalchemy.orm import Session

from portal.blueprints.accounts import mentoring
from portal.blueprints.accounts.models import MentorDecision, MentorRequest, User
from portal.blueprints.accounts.passwords import hash_password
from portal.core.db import utcnow
from portal.core.permissions import Role

PASSWORD = "correct horse battery"
_numbers = itertools.count(1)


def make_user(session: Session, *, verified: bool = True, role: Role = Role.MEMBER, **fields) -> User:
    number = next(_numbers)
    user = User(
        email=fields.pop("email", f"person{number}@example.org"),
        display_name=fields.pop("display_name", f"Person {number}"),
        password_hash=hash_password(fields.pop("password", PASSWORD)),
        role=role.value,
        email_verified_at=utcnow() if verified else None,
        **fields,
    )
    session.add(user)
    session.flush()
    return user


def sign_in(browser, user: User, password: str = PASSWORD, remember: bool = False):
    browser.get("/sign-in")
    return browser.submit({"email": user.email, "password": password, "remember": remember}, button="Sign in")


# Mentoring, made through the services so requests, decisions and status agree

NOTE = "I have mentored junior analysts at work for five years."


def make_mentor_request(session: Session, user: User | None = None,
                        note: str = NOTE) -> MentorRequest:
    """A pending request to be a mentor, from ``user`` (a new member when not given)."""
    return mentoring.ask(session, user or make_user(session, participation="mentor"), note)


def approve_mentor(session: Session, user: User, approved_by: User | None = None) -> MentorDecision:
    """Make ``user`` an approved mentor: they ask, and a manager (a new one when not given)
    approves. Nobody is emailed."""
    request = mentoring.pending_request(session, user) or make_mentor_request(session, user)
    manager = approved_by or make_user(session, role=Role.MANAGER)
    return mentoring.approve(session, request, manager, tell=False)


def make_mentor(session: Session, *, approved_by: User | None = None, **fields) -> User:
    """A verified member whose profile offers to mentor and whom a manager approved."""
    fields.setdefault("participation", "mentor")
    user = make_user(session, **fields)
    approve_mentor(session, user, approved_by)
    return user
