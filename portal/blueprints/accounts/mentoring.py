"""Mentor status: members ask, community managers approve or decline, and may remove it.

What a person says they are looking for (``User.participation``) grants nothing; a
``Mentor`` row does, and only a manager's decision makes one. Every decision is kept
(``MentorDecision``) and the member is told of it. Functions take the session and
plain values; they flush, never commit. Decisions are conditional statements, so two
managers deciding at once, or a decision racing a withdrawal, change the state once.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, contains_eager, selectinload

from portal.blueprints.accounts.models import (
    Mentor,
    MentorDecision,
    MentorRequest,
    Outcome,
    RequestStatus,
    User,
)
from portal.core.db import utcnow
from portal.core.mail import external_url, queue_email
from portal.core.permissions import Permission, has_permission

PENDING_SHOWN = 20  # the oldest pending requests listed on the people page


class MentorError(Exception):
    """A rule stopped the change; ``field`` names the form field to show ``message`` beside."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


class State(enum.StrEnum):
    NOT_ASKED = "not-asked"
    PENDING = "pending"
    APPROVED = "approved"
    DECLINED = "declined"
    REMOVED = "removed"


@dataclass(frozen=True)
class MentorStatus:
    """Where a person stands. ``request`` is their latest request (the pending one when
    PENDING; a withdrawn one may come with NOT_ASKED); ``decision`` the latest decision
    about them (APPROVED, DECLINED, REMOVED)."""

    state: State
    request: MentorRequest | None = None
    decision: MentorDecision | None = None

    @property
    def may_ask(self) -> bool:
        return self.state in (State.NOT_ASKED, State.DECLINED, State.REMOVED)


def status_of(session: Session, user: User) -> MentorStatus:
    """The person's mentor status, in two queries."""
    request = session.scalar(
        select(MentorRequest)
        .where(MentorRequest.user_id == user.id)
        .order_by(MentorRequest.created_at.desc(), MentorRequest.id.desc())
        .limit(1)
    )
    if request is not None and request.is_pending:
        return MentorStatus(State.PENDING, request=request)
    decision = session.scalar(
        select(MentorDecision)
        .where(MentorDecision.user_id == user.id)
        .order_by(MentorDecision.created_at.desc(), MentorDecision.id.desc())
        .limit(1)
    )
    if user.is_mentor:
        return MentorStatus(State.APPROVED, decision=decision)
    withdrawn_since = (
        request is not None
        and request.status == RequestStatus.WITHDRAWN
        and (decision is None or request.created_at > decision.created_at)
    )
    if decision is None or decision.outcome == Outcome.APPROVED or withdrawn_since:
        return MentorStatus(State.NOT_ASKED, request=request if withdrawn_since else None)
    return MentorStatus(State(decision.outcome), decision=decision)


def pending_request(session: Session, user: User) -> MentorRequest | None:
    return session.scalar(
        select(MentorRequest).where(
            MentorRequest.user_id == user.id, MentorRequest.status == RequestStatus.PENDING
        )
    )


# Asking


def ask(session: Session, user: User, note: str, now: datetime | None = None) -> MentorRequest:
    """Record ``user``'s request to be a mentor. One pending request per person: the
    database refuses a second even when two arrive at the same moment."""
    if not user.is_verified:
        raise MentorError("note", "Confirm your email address before you ask to be a mentor")
    if user.is_suspended:
        raise MentorError("note", "You cannot ask to be a mentor while your account is suspended")
    if user.is_mentor:
        raise MentorError("note", "You are already a mentor")
    if pending_request(session, user) is not None:
        raise _already_asked()
    request = MentorRequest(user_id=user.id, note=note.strip(), created_at=now or utcnow())
    try:
        with session.begin_nested():
            session.add(request)
    except IntegrityError as error:
        raise _already_asked() from error
    return request


def _already_asked() -> MentorError:
    return MentorError(
        "note",
        "You have already asked to be a mentor. "
        "Withdraw that request if you want to send a different note",
    )


def withdraw(session: Session, user: User, now: datetime | None = None) -> MentorRequest:
    """Withdraw ``user``'s pending request; refused once a manager has decided it."""
    request = pending_request(session, user)
    if request is None or not _close(session, request, RequestStatus.WITHDRAWN, now or utcnow()):
        raise MentorError(
            "request", "You have no request waiting for a decision, so nothing was withdrawn."
        )
    return request


def _close(session: Session, request: MentorRequest, status: RequestStatus, now: datetime) -> bool:
    """Move a pending request to ``status`` with one conditional statement; False when
    it was no longer pending (decided or withdrawn in the meantime)."""
    result = session.execute(
        update(MentorRequest)
        .where(MentorRequest.id == request.id, MentorRequest.status == RequestStatus.PENDING)
        .values(status=status.value, closed_at=now)
        .execution_options(synchronize_session=False)
    )
    session.expire(request, ["status", "closed_at"])
    return result.rowcount == 1


# Deciding


def approve(
    session: Session,
    request: MentorRequest,
    manager: User,
    now: datetime | None = None,
    tell: bool = True,
) -> MentorDecision:
    """Make the person who asked a mentor. ``tell=False`` (demo data) emails nobody."""
    now = now or utcnow()
    _decide(session, request, manager, RequestStatus.APPROVED, now)
    request.user.mentorship = Mentor(since=now, approved_by_id=manager.id)
    return _record(session, request.user, Outcome.APPROVED, manager, "", now, request, tell)


def decline(
    session: Session,
    request: MentorRequest,
    manager: User,
    reason: str,
    now: datetime | None = None,
    tell: bool = True,
) -> MentorDecision:
    """Turn the request down; the reason is required, and the member reads it."""
    now = now or utcnow()
    reason = _required_reason(reason, request.user, "declining")
    _decide(session, request, manager, RequestStatus.DECLINED, now)
    return _record(session, request.user, Outcome.DECLINED, manager, reason, now, request, tell)


def remove(
    session: Session,
    person: User,
    manager: User,
    reason: str,
    now: datetime | None = None,
    tell: bool = True,
) -> MentorDecision:
    """End ``person``'s mentor status, with a reason they read."""
    now = now or utcnow()
    reason = _required_reason(reason, person, "removing their mentor status")
    _check_decider(person, manager, "reason")
    removed = session.execute(delete(Mentor).where(Mentor.user_id == person.id)).rowcount
    session.expire(person, ["mentorship"])
    if not removed:
        raise MentorError(
            "reason", f"{person.display_name} is not a mentor, so there is nothing to remove"
        )
    return _record(session, person, Outcome.REMOVED, manager, reason, now, None, tell)


def _decide(
    session: Session, request: MentorRequest, manager: User, status: RequestStatus, now: datetime
) -> None:
    """Close a pending ``request`` with ``status`` on ``manager``'s say-so, or raise
    ``MentorError`` when they may not decide it or someone else already has."""
    _check_decider(request.user, manager, "decision")
    if not _close(session, request, status, now):
        raise _no_longer_pending(session, request)


def _required_reason(reason: str, person: User, doing: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise MentorError(
            "reason", f"Give a reason for {doing}: {person.display_name} will read it"
        )
    return reason


def _check_decider(person: User, manager: User, field: str) -> None:
    if not has_permission(manager, Permission.APPROVE_MENTORS):
        raise MentorError(field, "Only community managers and admins decide who mentors")
    if person.id == manager.id:
        raise MentorError(field, "Someone else must decide about your own mentor status")


def _no_longer_pending(session: Session, request: MentorRequest) -> MentorError:
    """Read afresh: another manager, or the member, closed it since the page was loaded."""
    status = session.scalar(select(MentorRequest.status).where(MentorRequest.id == request.id))
    return MentorError(
        "decision",
        f"This request is already {status or RequestStatus.WITHDRAWN}, so nothing was changed",
    )


def _record(
    session: Session,
    person: User,
    outcome: Outcome,
    manager: User,
    reason: str,
    now: datetime,
    request: MentorRequest | None,
    tell: bool,
) -> MentorDecision:
    decision = MentorDecision(
        user_id=person.id,
        request_id=request.id if request else None,
        outcome=outcome.value,
        decided_by_id=manager.id,
        reason=reason,
        created_at=now,
    )
    session.add(decision)
    session.flush()
    if tell:
        tell_member(session, decision)
    return decision


SUBJECTS = {
    Outcome.APPROVED: "You are now a mentor",
    Outcome.DECLINED: "Your request to be a mentor",
    Outcome.REMOVED: "Your mentor status has ended",
}


def tell_member(session: Session, decision: MentorDecision) -> None:
    """Tell the person about a decision, in the decision's transaction. The one place
    that does, so in-portal notifications can join the email here."""
    person = decision.user
    if person.email is None:
        return
    queue_email(
        session,
        to=person.email,
        subject=SUBJECTS[Outcome(decision.outcome)],
        template=f"accounts/mentor_{decision.outcome}",
        plain_text_only=person.plain_text_email,
        user=person,
        decision=decision,
        mentor_url=external_url("accounts.mentor"),
    )


# What managers see


@dataclass(frozen=True)
class Waiting:
    """The oldest pending requests (at most ``PENDING_SHOWN``) and how many there are."""

    requests: list[MentorRequest]
    total: int


def waiting(session: Session) -> Waiting:
    """Pending requests of people still here, oldest first, in two queries."""
    pending = (MentorRequest.status == RequestStatus.PENDING, User.deleted_at.is_(None))
    requests = session.scalars(
        select(MentorRequest)
        .join(MentorRequest.user)
        .where(*pending)
        .options(contains_eager(MentorRequest.user))
        .order_by(MentorRequest.created_at, MentorRequest.id)
        .limit(PENDING_SHOWN)
    ).all()
    total = len(requests)
    if total == PENDING_SHOWN:
        total = session.scalar(
            select(func.count()).select_from(MentorRequest).join(MentorRequest.user).where(*pending)
        )
    return Waiting(list(requests), total)


def pending_by_person(session: Session, user_ids: Iterable[int]) -> dict[int, MentorRequest]:
    """The pending request of each of ``user_ids`` that has one, in one query."""
    ids = list(user_ids)
    if not ids:
        return {}
    rows = session.scalars(
        select(MentorRequest).where(
            MentorRequest.user_id.in_(ids), MentorRequest.status == RequestStatus.PENDING
        )
    )
    return {request.user_id: request for request in rows}


def history(session: Session, person: User) -> list[MentorDecision]:
    """Every decision about ``person``, newest first, with who made it."""
    return list(
        session.scalars(
            select(MentorDecision)
            .where(MentorDecision.user_id == person.id)
            .options(selectinload(MentorDecision.decided_by))
            .order_by(MentorDecision.created_at.desc(), MentorDecision.id.desc())
        )
    )


# Leaving


def forget(session: Session, user: User) -> None:
    """When someone deletes their account: their mentor status ends and their requests,
    written in their own words, go. Managers' decisions stay, as the record of who decided."""
    session.execute(delete(Mentor).where(Mentor.user_id == user.id))
    session.execute(delete(MentorRequest).where(MentorRequest.user_id == user.id))
    session.expire(user, ["mentorship"])
