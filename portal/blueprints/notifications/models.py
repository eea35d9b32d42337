"""Notifications and each person's choice of how to get them, one kind at a time.

A notification points at its target by URL path and a short text, so any feature
can be its subject and no feature's table holds notification rows.
"""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from portal.core.db import Base, utcnow


class Delivery(enum.StrEnum):
    """How a person gets one kind of notification."""

    EMAIL = "email"  # in the portal, and by email at once
    DIGEST = "digest"  # in the portal, and in the daily digest
    PORTAL = "portal"  # in the portal only
    OFF = "off"  # not at all

    @property
    def label(self) -> str:
        return {
            "email": "In the portal and by email at once",
            "digest": "In the portal and in a daily email digest",
            "portal": "In the portal only, no email",
            "off": "Not at all",
        }[self.value]

    @property
    def emails(self) -> bool:
        return self in (Delivery.EMAIL, Delivery.DIGEST)


class EmailState(enum.StrEnum):
    """Where a notification stands with email."""

    NONE = "none"  # not for email: its kind reached the person in the portal only
    WAITING = "waiting"  # for the next daily digest
    SENT = "sent"  # emailed, at once or in a digest
    DROPPED = "dropped"  # was waiting, until the person chose no email for its kind


class Notification(Base):
    """Something for a person to know: a sentence about a target, shown in the portal
    and emailed as the person chose for its kind."""

    __tablename__ = "notification"
    __table_args__ = (
        CheckConstraint("email_state IN ('none', 'waiting', 'sent', 'dropped')", name="email_state"),
        # The unread count, and the newest first for one person.
        Index("ix_notification_user_read", "user_id", "read_at", "id"),
        Index("ix_notification_user_list", "user_id", "id"),
        # The digest: what is waiting, person by person.
        Index("ix_notification_email", "email_state", "user_id", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(60))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    url: Mapped[str] = mapped_column(String(300))
    target_text: Mapped[str] = mapped_column(String(200))
    text: Mapped[str] = mapped_column(String(300))
    excerpt: Mapped[str] = mapped_column(String(300), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    read_at: Mapped[datetime | None]
    email_state: Mapped[str] = mapped_column(String(10), default=EmailState.NONE.value)


class NotificationPreference(Base):
    """A person's delivery for one kind; without a row, the kind's declared default."""

    __tablename__ = "notification_preference"
    __table_args__ = (
        CheckConstraint("delivery IN ('email', 'digest', 'portal', 'off')", name="delivery"),
    )

    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"),
                                         primary_key=True)
    kind: Mapped[str] = mapped_column(String(60), primary_key=True)
    delivery: Mapped[str] = mapped_column(String(10))
