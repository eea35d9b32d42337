"""Who may do what: permissions named once, used by views and templates alike."""

from __future__ import annotations

import enum
from collections.abc import Callable
from functools import wraps
from typing import ParamSpec, Protocol, TypeVar

from flask import abort
from flask_login import current_user

from portal.extensions import login_manager


class Person(Protocol):
    """What permissions need to know of a person (the accounts feature's user)."""

    is_authenticated: bool
    is_verified: bool
    is_suspended: bool
    role: str
    is_mentor: bool  # approved by a community manager; the profile's answer grants nothing


class Role(enum.StrEnum):
    MEMBER = "member"
    MANAGER = "manager"
    ADMIN = "admin"

    @property
    def label(self) -> str:
        return {"member": "Member", "manager": "Community manager", "admin": "Admin"}[self.value]


class Permission(enum.StrEnum):
    """Actions that need more than being signed in."""

    TAKE_PART = "take-part"
    MANAGE_COMMUNITY = "manage-community"
    VIEW_PEOPLE = "view-people"
    MANAGE_ROLES = "manage-roles"
    MODERATE = "moderate"
    APPROVE_MENTORS = "approve-mentors"
    MENTOR_SPACES = "mentor-spaces"


ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.MEMBER: frozenset({Permission.TAKE_PART}),
    Role.MANAGER: frozenset(
        {Permission.TAKE_PART, Permission.MANAGE_COMMUNITY, Permission.VIEW_PEOPLE,
         Permission.MODERATE, Permission.APPROVE_MENTORS, Permission.MENTOR_SPACES}
    ),
    Role.ADMIN: frozenset(Permission),
}

# What approved mentor status grants, whatever the role.
MENTOR_PERMISSIONS: frozenset[Permission] = frozenset({Permission.MENTOR_SPACES})


def has_permission(user: Person | None, permission: Permission) -> bool:
    """True when ``user`` is an active, signed-in person whose role, or whose approved
    mentor status, grants ``permission``.

    Taking part also needs a verified email address and no suspension, whatever the role;
    so does anything mentor status grants.
    """
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    in_good_standing = user.is_verified and not user.is_suspended
    if permission is Permission.TAKE_PART and not in_good_standing:
        return False
    if permission in ROLE_PERMISSIONS[Role(user.role)]:
        return True
    return permission in MENTOR_PERMISSIONS and in_good_standing and user.is_mentor


def can(permission: Permission | str) -> bool:
    """Template helper: may the current person do this?"""
    return has_permission(current_user, Permission(permission))


P = ParamSpec("P")
R = TypeVar("R")


def require(permission: Permission) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """View decorator: 401 (sign in) when signed out, 403 when the role lacks ``permission``."""

    def decorator(view: Callable[P, R]) -> Callable[P, R]:
        @wraps(view)
        def wrapped(*args: P.args, **kwargs: P.kwargs) -> R:
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if not has_permission(current_user, permission):
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator
