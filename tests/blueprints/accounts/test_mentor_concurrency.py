"""Mentor requests under simultaneous posts, through a live server on its own database
(SQLite, or PostgreSQL when ``PORTAL_TEST_DATABASE_URL`` is set): one pending request per
person however many arrive at once, and a request decided (or withdrawn) exactly once."""

from __future__ import annotations

from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import func, select, update

from portal.blueprints.accounts import mentoring
from portal.blueprints.accounts.models import Mentor, MentorDecision, MentorRequest, User
from portal.core.mail import OutboxMessage
from portal.core.permissions import Role
from tests.live import TIMEOUT, LiveServer, Person, all_at_once, members

pytestmark = pytest.mark.live

SESSIONS = 12  # one member posting from this many tabs and devices at once


def _ready(server: LiveServer, email: str, path: str, action: str) -> Person:
    person = server.person(email)
    person.sign_in()
    person.hold_token(path, action)
    return person


def _make_managers(server: LiveServer, count: int) -> list[str]:
    emails = members(server, count, "manager")
    with server.session() as session:
        session.execute(update(User).where(User.email.in_(emails)).values(role=Role.MANAGER.value))
        session.commit()
    return emails


def test_simultaneous_requests_from_one_member_leave_one_pending(live_server):
    [email] = members(live_server, 1, "asker")
    with ThreadPoolExecutor(max_workers=4) as pool:
        tabs = list(
            pool.map(
                lambda _: _ready(live_server, email, "/account/mentor", "/account/mentor"),
                range(SESSIONS),
                timeout=TIMEOUT * 2,
            )
        )

    replies = all_at_once(
        [
            (tab, "/account/mentor", {"csrf_token": tab.csrf_token, "note": f"Note {n}"})
            for n, tab in enumerate(tabs)
        ]
    )

    assert Counter(r.status for r in replies) == Counter({303: 1, 422: SESSIONS - 1})
    assert all(
        "You have already asked to be a mentor." in r.body for r in replies if r.status == 422
    )
    with live_server.session() as session:
        rows = session.execute(
            select(MentorRequest.status, MentorRequest.note)
            .join(User, User.id == MentorRequest.user_id)
            .where(User.email == email)
        ).all()
        session.rollback()
    assert len(rows) == 1 and rows[0].status == "pending"
    winner = next(n for n, r in enumerate(replies) if r.status == 303)
    assert rows[0].note == f"Note {winner}", "the request kept is the one the page said was sent"


def test_a_request_is_decided_or_withdrawn_exactly_once_when_all_happen_at_once(live_server):
    [email] = members(live_server, 1, "candidate")
    with live_server.session() as session:
        member = session.scalar(select(User).where(User.email == email))
        request_id = mentoring.ask(session, member, "Ten years in data teams.").id
        session.commit()
    page = f"/manage/mentor-requests/{request_id}"
    managers = [_ready(live_server, e, page, page) for e in _make_managers(live_server, 4)]
    approvers, decliner = managers[:3], managers[3]
    member_tab = _ready(live_server, email, "/account/mentor", "/account/mentor/withdraw")

    replies = all_at_once(
        [
            (m, page, {"csrf_token": m.csrf_token, "decision": "approve", "reason": ""})
            for m in approvers
        ]
        + [
            (
                decliner,
                page,
                {"csrf_token": decliner.csrf_token, "decision": "decline", "reason": "Not yet"},
            )
        ]
        + [(member_tab, "/account/mentor/withdraw", {"csrf_token": member_tab.csrf_token})]
    )

    statuses = [r.status for r in replies]
    assert 500 not in statuses and set(statuses[:4]) <= {303, 409, 422}, statuses
    with live_server.session() as session:
        status = session.scalar(select(MentorRequest.status).where(MentorRequest.id == request_id))
        decisions = session.scalars(select(MentorDecision.outcome)).all()
        mentors = session.scalar(select(func.count()).select_from(Mentor))
        mail = session.scalar(
            select(func.count()).select_from(OutboxMessage).where(OutboxMessage.recipient == email)
        )
        session.rollback()
    outcome = {"approved": ["approved"], "declined": ["declined"], "withdrawn": []}[status]
    assert decisions == outcome, f"request {status}, decisions {decisions}"
    assert mentors == (1 if status == "approved" else 0)
    assert mail == len(outcome), "the member is told once, of the decision that stood"
    managers_won = statuses[:4].count(303)
    assert managers_won == len(outcome), (
        f"{managers_won} managers were told they decided: {statuses}"
    )
    assert statuses[4] == 303
    banner = member_tab.request("GET", "/account/mentor").body
    if status == "withdrawn":
        assert "You have withdrawn your request to be a mentor." in banner
    else:
        assert "nothing was withdrawn" in banner, (
            "the member is told their withdrawal came too late"
        )
