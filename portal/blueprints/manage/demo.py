"""Demo moderation for `flask seed-demo`: one member suspended for a week, so the
suspensions page has someone on it (the forums demo brings the reported posts)."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from portal.blueprints.accounts.models import User
from portal.blueprints.manage import suspensions
from portal.blueprints.manage.models import Suspension
from portal.core.db import utcnow

SUSPENDED = "Ewan Campbell"  # one of the events demo's community
REASON = "Sent the same paid-course advert to twelve members in private messages after a warning."


def seed(session: Session, people: list[User]) -> int:
    """Suspend the demo member for seven days, started two days ago, unless the demo has
    run before (or they are not there); return how many suspensions there are."""
    if session.scalar(select(func.count()).select_from(Suspension)):
        return session.scalar(select(func.count()).select_from(Suspension))
    member = session.scalar(select(User).where(User.display_name == SUSPENDED))
    manager = next((p for p in people if p.role == "manager"), None)
    if member is None or manager is None:
        return 0
    suspensions.suspend(session, member, manager, REASON, timedelta(days=7), now=utcnow() - timedelta(days=2))
    return 1
