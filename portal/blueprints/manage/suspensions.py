"""Suspensions from taking part: given with a reason and a length, lifted early by a
community manager, ended by time. Functions take the session and plain values; they
flush, never commit."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session, joinedload

from portal.blueprints.accounts.models import User
from portal.blueprints.accounts.services import sign_out_everywhere
from portal.blueprints.manage.errors import ModerationError
from portal.blueprints.manage.models import Suspension
from portal.core.db import utcnow
from portal.core.pagination import Page, paginate
from portal.core.permissions import Permission, has_permission

# How long a suspension may last, as a moderator chooses it; None: until lifted.
LENGTHS: dict[str, tuple[str, timedelta | None]] = {
    "1": ("1 day", timedelta(days=1)),
    "7": ("7 days", timedelta(days=7)),
    "30": ("30 days", timedelta(days=30)),
    "lifted": ("Until a community manager lifts it", None),
}
ENDED_WITHIN = timedelta(days=90)  # how far back the list of ended suspensions reaches
PAGE_SIZE = 20


def suspend(session: Session, person: User | None, moderator: User, reason: str, length: timedelta | None,
            now: datetime | None = None) -> Suspension:
    """Stop ``person`` taking part for ``length`` (None: until lifted) and end their
    sessions, so the next page they load asks them to sign in again. They can still
    read. Community managers and admins cannot be suspended, nor can someone already
    suspended (lift that first, so nobody's suspension is cut short by accident)."""
    now = now or utcnow()
    if person is None or person.is_deleted:
        raise ModerationError("action", "Its author has left; there is nobody to suspend")
    if has_permission(person, Permission.MODERATE):
        raise ModerationError("action", "Community managers and admins cannot be suspended")
    if person.is_suspended:
        raise ModerationError("action", f"{person.display_name} is already suspended; lift that suspension "
                                        "first to give a different one")
    ends = now + length if length is not None else None
    suspension = Suspension(person=person, reason=reason.strip(), starts_at=now, ends_at=ends,
                            suspended_by=moderator)
    session.add(suspension)
    person.suspended_at, person.suspended_until, person.suspension_reason = now, ends, reason.strip()
    sign_out_everywhere(session, person)
    return suspension


def lift(session: Session, suspension: Suspension, moderator: User, now: datetime | None = None) -> bool:
    """End a current suspension now; False when it had already ended (lifted or run out)."""
    now = now or utcnow()
    if not suspension.is_current(now):
        return False
    suspension.lifted_at, suspension.lifted_by = now, moderator
    person = suspension.person
    person.suspended_at, person.suspended_until, person.suspension_reason = None, None, ""
    session.flush()
    return True


def _listed(query):
    return query.options(joinedload(Suspension.person), joinedload(Suspension.suspended_by),
                         joinedload(Suspension.lifted_by))


def _in_force(now: datetime) -> tuple:
    return Suspension.lifted_at.is_(None), or_(Suspension.ends_at.is_(None), Suspension.ends_at > now)


def current(session: Session, page: int, now: datetime | None = None) -> Page:
    """Suspensions in force, the newest first."""
    now = now or utcnow()
    query = (select(Suspension).where(*_in_force(now))
             .order_by(Suspension.starts_at.desc(), Suspension.id.desc()))
    return paginate(session, _listed(query), page, PAGE_SIZE)


def ended(session: Session, page: int, now: datetime | None = None) -> Page:
    """Suspensions lifted or run out within ``ENDED_WITHIN``, the most recently ended first."""
    now = now or utcnow()
    since = now - ENDED_WITHIN
    lifted = Suspension.lifted_at.is_not(None) & (Suspension.lifted_at >= since)
    ran_out = Suspension.lifted_at.is_(None) & (Suspension.ends_at <= now) & (Suspension.ends_at >= since)
    query = (select(Suspension).where(or_(lifted, ran_out))
             .order_by(func.coalesce(Suspension.lifted_at, Suspension.ends_at).desc(), Suspension.id.desc()))
    return paginate(session, _listed(query), page, PAGE_SIZE)


def find(session: Session, suspension_id: int) -> Suspension | None:
    return session.scalar(_listed(select(Suspension).where(Suspension.id == suspension_id)))


def describe(suspension: Suspension) -> str:
    """Its length in words, to follow "suspended": "for 7 days", "until a community
    manager lifts it"."""
    if suspension.ends_at is None:
        return "until a community manager lifts it"
    days = round((suspension.ends_at - suspension.starts_at) / timedelta(days=1))
    return f"for {days} {'day' if days == 1 else 'days'}"


def count_current(session: Session, now: datetime | None = None) -> int:
    now = now or utcnow()
    return session.scalar(select(func.count()).select_from(Suspension).where(*_in_force(now)))
