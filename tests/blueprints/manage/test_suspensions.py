"""Suspensions as plain functions: who may be suspended, the record kept, sessions ended,
the end respected without anyone lifting it, lifting, and the two lists."""

from __future__ import annotations

from datetime import timedelta

import pytest

from portal.blueprints.accounts.services import load_session_user, start_sign_in
from portal.blueprints.manage import suspensions
from portal.blueprints.manage.errors import ModerationError
from portal.core.db import utcnow
from portal.core.permissions import Permission, has_permission
from tests.blueprints.forums.factories import make_person
from tests.blueprints.manage.factories import suspend


def test_a_suspension_is_recorded_on_the_person_and_in_the_history(session, member, manager):
    now = utcnow()
    suspension = suspend(session, member, manager, days=7, reason="  Spam  ", now=now)
    assert (suspension.user_id, suspension.reason, suspension.suspended_by_id) == (member.id, "Spam", manager.id)
    assert (suspension.starts_at, suspension.ends_at) == (now, now + timedelta(days=7))
    assert (member.suspended_at, member.suspended_until, member.suspension_reason) == (now, now + timedelta(days=7),
                                                                                       "Spam")
    assert member.is_suspended and not has_permission(member, Permission.TAKE_PART)
    assert suspensions.describe(suspension) == "for 7 days"


def test_a_suspension_ends_the_persons_sessions(session, member, manager):
    start_sign_in(session, member, timedelta(days=1))
    cookie_id = member.get_id()
    suspend(session, member, manager)
    assert load_session_user(session, cookie_id) is None
    start_sign_in(session, member, timedelta(days=1))
    assert load_session_user(session, member.get_id()) == member


def test_a_suspension_past_its_end_no_longer_stops_the_person(session, member, manager):
    suspend(session, member, manager, days=1, now=utcnow() - timedelta(days=1, minutes=1))
    assert member.suspended_at is not None, "the record stays"
    assert not member.is_suspended
    assert has_permission(member, Permission.TAKE_PART)
    assert suspensions.count_current(session) == 0


def test_a_suspension_until_lifted_has_no_end(session, member, manager):
    suspension = suspend(session, member, manager, days=None, now=utcnow() - timedelta(days=400))
    assert member.is_suspended and suspension.ends_at is None
    assert suspensions.describe(suspension) == "until a community manager lifts it"


def test_lifting_lets_the_person_take_part_again_and_records_who_lifted_it(session, member, manager, admin):
    suspension = suspend(session, member, manager)
    now = utcnow()
    assert suspensions.lift(session, suspension, admin, now)
    assert (suspension.lifted_at, suspension.lifted_by_id) == (now, admin.id)
    assert (member.suspended_at, member.suspended_until, member.suspension_reason) == (None, None, "")
    assert has_permission(member, Permission.TAKE_PART)
    assert not suspensions.lift(session, suspension, admin), "lifting twice does nothing"


def test_a_suspension_that_ran_out_cannot_be_lifted(session, member, manager):
    suspension = suspend(session, member, manager, days=1, now=utcnow() - timedelta(days=2))
    assert not suspensions.lift(session, suspension, manager)
    assert suspension.lifted_at is None


@pytest.mark.parametrize("role", ["manager", "admin"])
def test_managers_and_admins_cannot_be_suspended(session, manager, admin, role):
    person = {"manager": manager, "admin": admin}[role]
    with pytest.raises(ModerationError, match="Community managers and admins cannot be suspended"):
        suspend(session, person, admin if role == "manager" else manager)
    assert not person.is_suspended


def test_nobody_is_suspended_twice_at_once(session, member, manager):
    suspend(session, member, manager, days=30)
    with pytest.raises(ModerationError, match="Mo Member is already suspended"):
        suspend(session, member, manager, days=1)
    assert suspensions.count_current(session) == 1


def test_someone_suspended_before_can_be_suspended_again_once_it_ended(session, member, manager):
    suspend(session, member, manager, days=1, now=utcnow() - timedelta(days=3))
    suspend(session, member, manager, days=7, reason="Again")
    assert member.is_suspended and member.suspension_reason == "Again"


@pytest.mark.parametrize("gone", ["left", "deleted"])
def test_an_author_who_left_cannot_be_suspended(session, member, manager, gone):
    if gone == "deleted":
        member.deleted_at = utcnow()
    with pytest.raises(ModerationError, match="Its author has left"):
        suspend(session, member if gone == "deleted" else None, manager)


def test_the_current_list_and_the_ended_list(session, manager):
    now = utcnow()
    people = [make_person(session, display_name=f"Person {n}") for n in range(5)]
    open_ended = suspend(session, people[0], manager, days=None, now=now - timedelta(days=2))
    week = suspend(session, people[1], manager, days=7, now=now - timedelta(days=1))
    ran_out = suspend(session, people[2], manager, days=1, now=now - timedelta(days=3))
    lifted = suspend(session, people[3], manager, days=30, now=now - timedelta(days=5))
    suspensions.lift(session, lifted, manager, now - timedelta(days=4))
    suspend(session, people[4], manager, days=1, now=now - timedelta(days=200))  # ended too long ago

    current = suspensions.current(session, 1, now)
    assert [s.id for s in current.items] == [week.id, open_ended.id]
    ended = suspensions.ended(session, 1, now)
    assert [s.id for s in ended.items] == [ran_out.id, lifted.id]
    assert suspensions.count_current(session, now) == 2
