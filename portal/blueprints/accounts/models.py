"""People and their preferences."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import CheckConstraint, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from portal.core.db import Base, utcnow
from portal.core.permissions import Role

FORMER_MEMBER = "a former member"


class Participation(enum.StrEnum):
    MENTEE = "mentee"
    MENTOR = "mentor"
    BOTH = "both"

    @property
    def label(self) -> str:
        return {"mentee": "Mentee", "mentor": "Mentor", "both": "Mentor and mentee"}[self.value]


class User(Base):
    __tablename__ = "user_account"
    __table_args__ = (
        CheckConstraint("role IN ('member', 'manager', 'admin')", name="role"),
        CheckConstraint("participation IN ('mentee', 'mentor', 'both')", name="participation"),
        Index("ix_user_account_role", "role"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str | None] = mapped_column(String(320), unique=True)
    pending_email: Mapped[str | None] = mapped_column(String(320))
    password_hash: Mapped[str | None] = mapped_column(String(200))
    display_name: Mapped[str] = mapped_column(String(80))
    role: Mapped[str] = mapped_column(String(10), default=Role.MEMBER.value)
    participation: Mapped[str] = mapped_column(String(10), default=Participation.MENTEE.value)
    session_version: Mapped[int] = mapped_column(default=1)
    email_verified_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_seen_at: Mapped[datetime | None]
    deleted_at: Mapped[datetime | None]
    # The current suspension from taking part (the manage feature keeps the history).
    suspended_at: Mapped[datetime | None]
    suspended_until: Mapped[datetime | None]
    suspension_reason: Mapped[str] = mapped_column(String(500), default="")

    pronouns: Mapped[str] = mapped_column(String(40), default="")
    bio: Mapped[str] = mapped_column(Text, default="", info={"max_length": 1000})
    timezone: Mapped[str | None] = mapped_column(String(64))
    languages: Mapped[str] = mapped_column(String(200), default="")
    interests: Mapped[str] = mapped_column(String(300), default="")

    reduced_motion: Mapped[bool] = mapped_column(default=False)
    high_contrast: Mapped[bool] = mapped_column(default=False)
    large_text: Mapped[bool] = mapped_column(default=False)
    low_data: Mapped[bool] = mapped_column(default=False)
    plain_text_email: Mapped[bool] = mapped_column(default=False)

    @property
    def is_verified(self) -> bool:
        return self.email_verified_at is not None

    @property
    def is_suspended(self) -> bool:
        """Suspended from taking part now: a suspension has begun and not passed its end
        (none means until a community manager lifts it)."""
        if self.suspended_at is None:
            return False
        return self.suspended_until is None or self.suspended_until > utcnow()

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None

    @property
    def role_label(self) -> str:
        return Role(self.role).label

    @property
    def participation_label(self) -> str:
        return Participation(self.participation).label

    @property
    def public_name(self) -> str:
        return FORMER_MEMBER if self.is_deleted else self.display_name

    # Flask-Login's protocol. The id carries the session version, so raising the
    # version invalidates every cookie issued before.
    is_authenticated = True
    is_anonymous = False

    @property
    def is_active(self) -> bool:
        return not self.is_deleted

    def get_id(self) -> str:
        return f"{self.id}:{self.session_version}"
