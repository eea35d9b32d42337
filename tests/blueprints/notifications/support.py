"""Notifications test helpers."""

from __future__ import annotations

from sqlalchemy import select

from portal.blueprints.notifications.models import Notification


def notes_for(session, user, kind: str | None = None) -> list[Notification]:
    """The person's notifications, oldest first; only those of ``kind`` when given."""
    query = select(Notification).where(Notification.user_id == user.id).order_by(Notification.id)
    if kind is not None:
        query = query.where(Notification.kind == kind)
    return list(session.scalars(query))
