"""People and their preferences."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.core.db import Base, utcnow
from portal.core.rendered import RenderedMarkdown
from portal.core.permissions import Role

FORMER_MEMBER = "a former member"


class Participation(enum.StrEnum):
    """What a person told us they are looking for. It grants nothing: mentors are approved
    (see ``Mentor``)."""

    MENTEE = "mentee"
    MENTOR = "mentor"
    BOTH = "both"

    @property
    def label(self) -> str:
        return {"mentee": "A mentor", "mentor": "To mentor others",
                "both": "A mentor, and to mentor others"}[self.value]


class User(RenderedMarkdown, Base):
    __tablename__ = "user_account"
    __markdown__ = {"bio": "bio_html"}
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
    bio_html: Mapped[str] = mapped_column(Text, default="")
    timezone: Mapped[str | None] = mapped_column(String(64))
    languages: Mapped[str] = mapped_column(String(200), default="")
    interests: Mapped[str] = mapped_column(String(300), default="")
    # Other members see this person in an event's list of who is going.
    show_in_attendee_lists: Mapped[bool] = mapped_column(default=True)
    # Access needs this person usually has, offered pre-filled when they reply to an event.
    usual_needs_captions: Mapped[bool] = mapped_column(default=False)
    usual_needs_interpreter: Mapped[bool] = mapped_column(default=False)
    usual_needs_other: Mapped[str] = mapped_column(String(500), default="")

    reduced_motion: Mapped[bool] = mapped_column(default=False)
    high_contrast: Mapped[bool] = mapped_column(default=False)
    large_text: Mapped[bool] = mapped_column(default=False)
    low_data: Mapped[bool] = mapped_column(default=False)
    show_remote_images: Mapped[bool] = mapped_column(default=False)
    plain_text_email: Mapped[bool] = mapped_column(default=False)

    # Loaded with the signed-in person (``load_session_user``); lazily for anyone else.
    mentorship: Mapped[Mentor | None] = relationship(foreign_keys="Mentor.user_id",
                                                     back_populates="user")

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
    def is_mentor(self) -> bool:
        """Approved as a mentor by a community manager (not what the profile says)."""
        return self.mentorship is not None

    @property
    def community_badge(self) -> str | None:
        """The role others see beside this person's name where it matters: "Manager" for
        community managers and admins, "Mentor" for approved mentors, otherwise none.
        Reads ``mentorship``, so lists showing badges load it with the people."""
        if self.is_deleted:
            return None
        if self.role in (Role.MANAGER, Role.ADMIN):
            return "Manager"
        return "Mentor" if self.is_mentor else None

    @property
    def mentor_since(self) -> datetime | None:
        return self.mentorship.since if self.mentorship else None

    @property
    def public_name(self) -> str:
        return FORMER_MEMBER if self.is_deleted else self.display_name

    # Flask-Login's protocol. The id carries the session version (raising it invalidates
    # every cookie issued before) and the key of this browser's sign-in, which the server
    # ends at sign-out and at its expiry. ``sign_in_key`` is set when the person signs in
    # or a cookie is read; it is never stored.
    is_authenticated = True
    is_anonymous = False
    sign_in_key = None

    @property
    def is_active(self) -> bool:
        return not self.is_deleted

    def get_id(self) -> str:
        return f"{self.id}:{self.session_version}:{self.sign_in_key}"


class SignIn(Base):
    """One browser's sign-in, known to the server: a copied cookie stops working when it
    ends (sign-out) or expires, whatever the cookie itself says. Only a digest of the
    key is kept, so the table cannot be used to sign in."""

    __tablename__ = "sign_in"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    key_digest: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    ended_at: Mapped[datetime | None]


# Mentoring: approved by community managers, never self-declared


class Mentor(Base):
    """An approved mentor: the row exists while the person is one. Its own table rather
    than columns on ``user_account``, so adding or dropping it never rebuilds that table
    (SQLite rebuilds a table to change its foreign keys)."""

    __tablename__ = "mentor"

    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"),
                                         primary_key=True)
    since: Mapped[datetime] = mapped_column(default=utcnow)
    approved_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), index=True)

    user: Mapped[User] = relationship(foreign_keys=[user_id], back_populates="mentorship")
    approved_by: Mapped[User | None] = relationship(foreign_keys=[approved_by_id])


class RequestStatus(enum.StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    DECLINED = "declined"
    WITHDRAWN = "withdrawn"


class MentorRequest(Base):
    """A member asking to be a mentor, with a note about their experience. The database
    holds the rule of one pending request per person (a partial unique index)."""

    __tablename__ = "mentor_request"
    __table_args__ = (
        CheckConstraint("status IN ('pending', 'approved', 'declined', 'withdrawn')",
                        name="status"),
        Index("uq_mentor_request_pending", "user_id", unique=True,
              sqlite_where=text("status = 'pending'"), postgresql_where=text("status = 'pending'")),
        Index("ix_mentor_request_status_created", "status", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"),
                                         index=True)
    note: Mapped[str] = mapped_column(Text, info={"max_length": 1000})
    status: Mapped[str] = mapped_column(String(10), default=RequestStatus.PENDING.value)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    closed_at: Mapped[datetime | None]

    user: Mapped[User] = relationship()

    @property
    def is_pending(self) -> bool:
        return self.status == RequestStatus.PENDING


class Outcome(enum.StrEnum):
    APPROVED = "approved"
    DECLINED = "declined"
    REMOVED = "removed"

    @property
    def label(self) -> str:
        return {"approved": "Approved", "declined": "Declined",
                "removed": "Mentor status removed"}[self.value]


class MentorDecision(Base):
    """The history: every approval, refusal and removal, who made it, when and why.
    ``request_id`` is empty for a removal."""

    __tablename__ = "mentor_decision"
    __table_args__ = (
        CheckConstraint("outcome IN ('approved', 'declined', 'removed')", name="outcome"),
        Index("ix_mentor_decision_user_created", "user_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    request_id: Mapped[int | None] = mapped_column(
        ForeignKey("mentor_request.id", ondelete="SET NULL"), index=True)
    outcome: Mapped[str] = mapped_column(String(10))
    decided_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), index=True)
    reason: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])

    @property
    def outcome_label(self) -> str:
        return Outcome(self.outcome).label
