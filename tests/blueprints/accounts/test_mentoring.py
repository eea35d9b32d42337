"""Mentor status rules: asking, one pending request at a time, withdrawing, approving,
declining with a reason, removing, the history, and telling the member."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import delete, func, select

from portal.blueprints.accounts import mentoring, services
from portal.blueprints.accounts.mentoring import MentorError, State
from portal.blueprints.accounts.models import Mentor, MentorDecision, MentorRequest, User
from portal.core.db import utcnow
from portal.core.permissions import Permission, Role, has_permission
from tests.blueprints.accounts.factories import (
    PASSWORD,
    approve_mentor,
    make_mentor,
    make_mentor_request,
    make_user,
)
from tests.helpers import outbox


@pytest.fixture
def member(session):
    return make_user(
        session, display_name="Hana Kobayashi", email="hana@example.org", participation="mentor"
    )


@pytest.fixture
def manager(session):
    return make_user(
        session, display_name="Priya Natarajan", email="priya@example.org", role=Role.MANAGER
    )


def pending_count(session, user) -> int:
    return session.scalar(
        select(func.count())
        .select_from(MentorRequest)
        .where(MentorRequest.user_id == user.id, MentorRequest.status == "pending")
    )


# Asking


def test_asking_records_a_pending_request_with_the_note(session, member):
    request = mentoring.ask(session, member, "  Ten years in data teams.  ")
    assert (request.status, request.note, request.user_id) == (
        "pending",
        "Ten years in data teams.",
        member.id,
    )
    assert mentoring.status_of(session, member) == mentoring.MentorStatus(
        State.PENDING, request=request
    )
    assert not member.is_mentor, "asking grants nothing"


def test_a_second_request_while_one_is_pending_is_refused(session, member):
    make_mentor_request(session, member)
    with pytest.raises(MentorError, match="already asked") as error:
        mentoring.ask(session, member, "Another note")
    assert error.value.field == "note"
    assert pending_count(session, member) == 1


def test_the_database_holds_one_pending_request_when_the_check_is_raced(
    session, member, monkeypatch
):
    """Two requests that both passed the check (as simultaneous posts can): the partial
    unique index refuses the second, and the rule's message comes back, not a 500."""
    make_mentor_request(session, member)
    monkeypatch.setattr(mentoring, "pending_request", lambda _session, _user: None)
    with pytest.raises(MentorError, match="already asked"):
        mentoring.ask(session, member, "Raced")
    assert pending_count(session, member) == 1
    assert session.get(User, member.id) is member, "the session is still usable"


def test_a_mentor_cannot_ask_again(session):
    mentor = make_mentor(session)
    with pytest.raises(MentorError, match="already a mentor"):
        mentoring.ask(session, mentor, "Again")


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"verified": False}, "Confirm your email address"),
        ({"suspended_at": utcnow()}, "suspended"),
    ],
)
def test_only_members_in_good_standing_may_ask(session, fields, message):
    person = make_user(session, **fields)
    with pytest.raises(MentorError, match=message):
        mentoring.ask(session, person, "Note")
    assert pending_count(session, person) == 0


# Withdrawing


def test_withdrawing_closes_the_pending_request(session, member):
    request = make_mentor_request(session, member)
    mentoring.withdraw(session, member)
    assert (request.status, request.closed_at is not None) == ("withdrawn", True)
    status = mentoring.status_of(session, member)
    assert (status.state, status.request) == (State.NOT_ASKED, request)
    assert status.may_ask
    assert mentoring.ask(session, member, "A new note").is_pending, "asking again works"


def test_withdrawing_without_a_pending_request_is_refused(session, member):
    with pytest.raises(MentorError, match="nothing was withdrawn"):
        mentoring.withdraw(session, member)


# Deciding


def test_approving_makes_a_mentor_and_records_who_and_when(session, member, manager):
    request = make_mentor_request(session, member)
    decision = mentoring.approve(session, request, manager)
    assert request.status == "approved"
    assert member.is_mentor and member.mentorship.approved_by is manager
    assert member.mentor_since == decision.created_at
    assert (decision.outcome, decision.decided_by, decision.request_id) == (
        "approved",
        manager,
        request.id,
    )
    assert has_permission(member, Permission.MENTOR_SPACES)
    assert mentoring.status_of(session, member).state is State.APPROVED


def test_declining_needs_a_reason(session, member, manager):
    request = make_mentor_request(session, member)
    for reason in ("", "   "):
        with pytest.raises(MentorError, match="Give a reason for declining") as error:
            mentoring.decline(session, request, manager, reason)
        assert error.value.field == "reason"
    assert request.is_pending and outbox(session, member.email) == []


def test_declining_keeps_the_reason_and_the_member_may_ask_again(session, member, manager):
    request = make_mentor_request(session, member)
    decision = mentoring.decline(
        session, request, manager, "Please tell us more about your mentoring."
    )
    assert (request.status, decision.outcome, decision.reason) == (
        "declined",
        "declined",
        "Please tell us more about your mentoring.",
    )
    assert not member.is_mentor
    status = mentoring.status_of(session, member)
    assert (status.state, status.decision, status.may_ask) == (State.DECLINED, decision, True)
    again = mentoring.ask(session, member, "I ran a mentoring scheme at work for two years.")
    assert mentoring.status_of(session, member).state is State.PENDING and again.is_pending


def test_withdrawing_after_a_decline_is_not_shown_as_the_decline(session, member, manager):
    mentoring.decline(
        session,
        make_mentor_request(session, member),
        manager,
        "Not yet",
        now=utcnow() - timedelta(days=1),
    )
    request = mentoring.ask(session, member, "Second try")
    mentoring.withdraw(session, member)
    status = mentoring.status_of(session, member)
    assert (status.state, status.request) == (State.NOT_ASKED, request)


@pytest.mark.parametrize("decide", ["approve", "decline"])
def test_a_request_is_decided_once(session, member, manager, decide):
    request = make_mentor_request(session, member)
    mentoring.approve(session, request, manager)
    other = make_user(session, role=Role.ADMIN)
    with pytest.raises(MentorError, match="already approved") as error:
        if decide == "approve":
            mentoring.approve(session, request, other)
        else:
            mentoring.decline(session, request, other, "Changed my mind")
    assert error.value.field == "decision"
    assert session.scalar(select(func.count()).select_from(MentorDecision)) == 1


def test_a_withdrawn_request_cannot_be_decided(session, member, manager):
    request = make_mentor_request(session, member)
    mentoring.withdraw(session, member)
    with pytest.raises(MentorError, match="already withdrawn"):
        mentoring.approve(session, request, manager)
    assert not member.is_mentor


def test_a_request_gone_since_the_page_was_loaded_cannot_be_decided(session, member, manager):
    """Its author deleted their account meanwhile, in another transaction."""
    request = make_mentor_request(session, member)
    session.execute(
        delete(MentorRequest).where(MentorRequest.id == request.id),
        execution_options={"synchronize_session": False},
    )
    with pytest.raises(MentorError, match="already withdrawn"):
        mentoring.approve(session, request, manager)
    assert session.scalar(select(func.count()).select_from(MentorDecision)) == 0


def test_nobody_decides_about_themselves(session):
    manager = make_user(session, role=Role.MANAGER)
    request = make_mentor_request(session, manager)
    with pytest.raises(MentorError, match="Someone else must decide"):
        mentoring.approve(session, request, manager)
    approve_mentor(session, manager)
    with pytest.raises(MentorError, match="Someone else must decide") as error:
        mentoring.remove(session, manager, manager, "Stepping down")
    assert error.value.field == "reason"


@pytest.mark.parametrize("role", [Role.MEMBER, "mentor"])
def test_members_and_mentors_cannot_decide(session, member, role):
    decider = make_mentor(session) if role == "mentor" else make_user(session)
    request = make_mentor_request(session, member)
    with pytest.raises(MentorError, match="Only community managers and admins"):
        mentoring.approve(session, request, decider)
    assert request.is_pending


# Removing


def test_removing_ends_mentor_status_with_a_reason(session, member, manager):
    approve_mentor(session, member, manager)
    decision = mentoring.remove(session, member, manager, "You have not mentored for a year.")
    assert not member.is_mentor and not has_permission(member, Permission.MENTOR_SPACES)
    assert (
        session.scalar(select(func.count()).select_from(Mentor).where(Mentor.user_id == member.id))
        == 0
    )
    assert (decision.outcome, decision.reason, decision.request_id) == (
        "removed",
        "You have not mentored for a year.",
        None,
    )
    status = mentoring.status_of(session, member)
    assert (status.state, status.may_ask) == (State.REMOVED, True)


def test_removing_needs_a_reason_and_a_mentor(session, member, manager):
    approve_mentor(session, member, manager)
    with pytest.raises(MentorError, match="Give a reason for removing"):
        mentoring.remove(session, member, manager, " ")
    assert member.is_mentor
    mentoring.remove(session, member, manager, "Asked to stop")
    with pytest.raises(MentorError, match="is not a mentor"):
        mentoring.remove(session, member, manager, "Again")


# History


def test_the_history_lists_every_decision_newest_first(session, member, manager):
    admin = make_user(session, role=Role.ADMIN, display_name="Sam Admin")
    start = utcnow() - timedelta(days=10)
    mentoring.decline(
        session, make_mentor_request(session, member), manager, "Tell us more", now=start
    )
    mentoring.approve(
        session, make_mentor_request(session, member), admin, now=start + timedelta(days=1)
    )
    mentoring.remove(session, member, manager, "Moved away", now=start + timedelta(days=2))
    history = mentoring.history(session, member)
    assert [(d.outcome, d.decided_by.display_name, d.reason) for d in history] == [
        ("removed", "Priya Natarajan", "Moved away"),
        ("approved", "Sam Admin", ""),
        ("declined", "Priya Natarajan", "Tell us more"),
    ]
    assert [d.outcome_label for d in history] == ["Mentor status removed", "Approved", "Declined"]


def test_what_managers_see_waiting_is_the_oldest_pending_requests(session, manager):
    old = make_mentor_request(session, make_user(session, participation="mentor"))
    old.created_at = utcnow() - timedelta(days=3)
    new = make_mentor_request(session, make_user(session, participation="both"))
    mentoring.approve(session, make_mentor_request(session), manager)
    withdrawn = make_user(session)
    make_mentor_request(session, withdrawn)
    mentoring.withdraw(session, withdrawn)
    session.flush()
    waiting = mentoring.waiting(session)
    assert (waiting.requests, waiting.total) == ([old, new], 2)
    assert mentoring.pending_by_person(session, [old.user_id, new.user_id, manager.id]) == {
        old.user_id: old,
        new.user_id: new,
    }
    assert mentoring.pending_by_person(session, []) == {}


def test_past_the_list_the_total_still_counts_every_request(session, monkeypatch):
    monkeypatch.setattr(mentoring, "PENDING_SHOWN", 2)
    for _ in range(3):
        make_mentor_request(session)
    waiting = mentoring.waiting(session)
    assert (len(waiting.requests), waiting.total) == (2, 3)


# Telling the member


@pytest.mark.parametrize(
    ("outcome", "subject", "says"),
    [
        (
            "approved",
            "You are now a mentor",
            "Priya Natarajan has approved your request",
        ),
        ("declined", "Your request to be a mentor", "Please say more about your experience."),
        ("removed", "Your mentor status has ended", "Please say more about your experience."),
    ],
)
def test_the_member_is_emailed_about_each_decision(
    session, member, manager, outcome, subject, says
):
    request = make_mentor_request(session, member)
    if outcome == "approved":
        mentoring.approve(session, request, manager)
    elif outcome == "declined":
        mentoring.decline(session, request, manager, "Please say more about your experience.")
    else:
        mentoring.approve(session, request, manager, tell=False)
        mentoring.remove(session, member, manager, "Please say more about your experience.")
    [mail] = outbox(session, "hana@example.org")
    assert mail.subject == subject
    assert says in mail.text_body and says in mail.html_body
    assert "http://portal.test/account/mentor" in mail.text_body
    assert 'href="http://portal.test/account/mentor"' in mail.html_body


def test_plain_text_only_members_get_no_html(session, member, manager):
    member.plain_text_email = True
    mentoring.decline(session, make_mentor_request(session, member), manager, "Not <b>now</b>")
    [mail] = outbox(session, member.email)
    assert mail.html_body is None and "Not <b>now</b>" in mail.text_body


def test_a_reason_is_escaped_in_the_html_email(session, member, manager):
    mentoring.decline(session, make_mentor_request(session, member), manager, "<script>x</script>")
    [mail] = outbox(session, member.email)
    assert "<script>" not in mail.html_body and "&lt;script&gt;" in mail.html_body


# Leaving


def test_deleting_an_account_ends_mentor_status_and_forgets_the_requests(session, member, manager):
    approve_mentor(session, member, manager)
    make_mentor_request(session)  # someone else's stays
    services.delete_account(session, member, PASSWORD)
    session.expire_all()
    assert session.scalar(select(func.count()).select_from(Mentor)) == 0
    assert (
        session.scalar(
            select(func.count())
            .select_from(MentorRequest)
            .where(MentorRequest.user_id == member.id)
        )
        == 0
    )
    assert session.scalar(select(func.count()).select_from(MentorRequest)) == 1
    [decision] = mentoring.history(session, member)
    assert (decision.outcome, decision.request_id) == ("approved", None), (
        "the managers' record stays"
    )
