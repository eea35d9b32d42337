"""Who may do what: roles grant permissions, and so does approved mentor status, but only
to people in good standing; what a profile says grants nothing."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from portal.core.permissions import (
    MENTOR_PERMISSIONS,
    ROLE_PERMISSIONS,
    Permission,
    Role,
    has_permission,
)


@dataclass
class Someone:
    """Just what ``Person`` asks for."""

    role: str = "member"
    is_mentor: bool = False
    is_verified: bool = True
    is_suspended: bool = False
    is_authenticated: bool = True


def test_mentor_spaces_come_with_the_manager_and_admin_roles_only():
    assert [r for r in Role if Permission.MENTOR_SPACES in ROLE_PERMISSIONS[r]] == [
        Role.MANAGER,
        Role.ADMIN,
    ]
    assert [r for r in Role if Permission.APPROVE_MENTORS in ROLE_PERMISSIONS[r]] == [
        Role.MANAGER,
        Role.ADMIN,
    ]


def test_mentor_status_grants_the_mentor_spaces_and_nothing_else():
    assert MENTOR_PERMISSIONS == {Permission.MENTOR_SPACES}
    mentor = Someone(is_mentor=True)
    assert [p for p in Permission if has_permission(mentor, p)] == [
        Permission.TAKE_PART,
        Permission.MENTOR_SPACES,
    ]


@pytest.mark.parametrize(
    ("person", "allowed"),
    [
        (Someone(), False),
        (Someone(is_mentor=True), True),
        (Someone(is_mentor=True, is_verified=False), False),
        (Someone(is_mentor=True, is_suspended=True), False),
        (Someone(is_mentor=True, is_authenticated=False), False),
        (Someone(role="manager"), True),
        (Someone(role="manager", is_verified=False), True),
        (Someone(role="admin"), True),
        (None, False),
    ],
)
def test_who_reaches_mentor_spaces(person, allowed):
    assert has_permission(person, Permission.MENTOR_SPACES) is allowed


def test_a_profile_answer_is_not_looked_at():
    """A person object saying 'mentor' in every other way still needs approved status."""
    answer = Someone()
    answer.participation = "mentor"
    assert not has_permission(answer, Permission.MENTOR_SPACES)
