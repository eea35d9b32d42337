"""Accounts test data."""

from __future__ import annotations

import itertools

from sqlalchemy.orm import Session

from portal.blueprints.accounts.models import User
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
