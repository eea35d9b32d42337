"""Events, their hosts and topics, RSVPs and feedback."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import NamedTuple

from sqlalchemy import Boolean, CheckConstraint, Column, ForeignKey, Index, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.blueprints.accounts.models import User
from portal.core.db import Base, utcnow
from portal.core.rendered import RenderedMarkdown

MAX_CAPACITY = 10_000


class EventFormat(enum.StrEnum):
    ONLINE = "online"
    IN_PERSON = "in_person"
    HYBRID = "hybrid"

    @property
    def label(self) -> str:
        return {"online": "Online", "in_person": "In person", "hybrid": "Hybrid (online and in person)"}[self.value]

    @property
    def is_online(self) -> bool:
        return self is not EventFormat.IN_PERSON

    @property
    def has_venue(self) -> bool:
        return self is not EventFormat.ONLINE


class EventStatus(enum.StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"
    CANCELLED = "cancelled"


class Answer(enum.StrEnum):
    GOING = "going"
    WAITING = "waiting"
    NOT_GOING = "not_going"


class Provision(NamedTuple):
    """Something an event provides for access: its column, its label in forms and filters,
    its sentence on the event page, and its short tag on a card."""

    name: str
    label: str
    sentence: str
    tag: str


PROVISIONS: list[Provision] = [
    Provision("live_captions", "Live captions", "Live captions", "Captions"),
    Provision("sign_language", "Sign-language interpretation", "Sign-language interpretation", "Sign language"),
    Provision("recording", "Recording or transcript", "A recording or transcript afterwards", "Recording"),
    Provision("materials_in_advance", "Materials in advance", "Materials shared in advance", "Materials early"),
    Provision("step_free", "Step-free venue", "A step-free venue", "Step-free"),
    Provision("quiet_room", "Quiet room", "A quiet room", "Quiet room"),
]
PROVISION_NAMES = [p.name for p in PROVISIONS]

event_host = Table(
    "event_host",
    Base.metadata,
    Column("event_id", ForeignKey("event.id", ondelete="CASCADE"), primary_key=True),
    Column("user_id", ForeignKey("user_account.id", ondelete="CASCADE"), primary_key=True, index=True),
)

event_topic = Table(
    "event_topic",
    Base.metadata,
    Column("event_id", ForeignKey("event.id", ondelete="CASCADE"), primary_key=True),
    Column("topic_id", ForeignKey("topic.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class Topic(Base):
    __tablename__ = "topic"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(60), unique=True)
    slug: Mapped[str] = mapped_column(String(60), unique=True)


class Event(RenderedMarkdown, Base):
    __tablename__ = "event"
    __markdown__ = {"description": "description_html", "agenda": "agenda_html",
                    "access_notes": "access_notes_html", "followup_summary": "followup_summary_html"}
    __table_args__ = (
        CheckConstraint("ends_at > starts_at", name="ends_after_start"),
        CheckConstraint(f"capacity IS NULL OR (capacity >= 1 AND capacity <= {MAX_CAPACITY})", name="capacity"),
        CheckConstraint("going_count >= 0", name="going_count"),
        CheckConstraint("format IN ('online', 'in_person', 'hybrid')", name="format"),
        CheckConstraint("status IN ('draft', 'published', 'cancelled')", name="status"),
        Index("ix_event_status_starts_at", "status", "starts_at"),
        Index("ix_event_status_ends_at", "status", "ends_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(120))
    summary: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="", info={"max_length": 10_000})
    agenda: Mapped[str] = mapped_column(Text, default="", info={"max_length": 5000})
    description_html: Mapped[str] = mapped_column(Text, default="")
    agenda_html: Mapped[str] = mapped_column(Text, default="")
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime]
    timezone: Mapped[str] = mapped_column(String(64))
    format: Mapped[str] = mapped_column(String(10))
    join_url: Mapped[str | None] = mapped_column(String(500))
    venue: Mapped[str | None] = mapped_column(String(300))
    capacity: Mapped[int | None]
    going_count: Mapped[int] = mapped_column(default=0)
    rsvp_deadline: Mapped[datetime | None]
    status: Mapped[str] = mapped_column(String(10), default=EventStatus.DRAFT.value)
    sequence: Mapped[int] = mapped_column(default=0)

    live_captions: Mapped[bool] = mapped_column(Boolean, default=False)
    sign_language: Mapped[bool] = mapped_column(Boolean, default=False)
    recording: Mapped[bool] = mapped_column(Boolean, default=False)
    materials_in_advance: Mapped[bool] = mapped_column(Boolean, default=False)
    step_free: Mapped[bool] = mapped_column(Boolean, default=False)
    quiet_room: Mapped[bool] = mapped_column(Boolean, default=False)
    access_notes: Mapped[str] = mapped_column(Text, default="", info={"max_length": 2000})
    access_notes_html: Mapped[str] = mapped_column(Text, default="")

    followup_summary: Mapped[str] = mapped_column(Text, default="", info={"max_length": 5000})
    followup_summary_html: Mapped[str] = mapped_column(Text, default="")
    followup_link: Mapped[str | None] = mapped_column(String(500))
    followup_action: Mapped[str] = mapped_column(String(300), default="")
    followup_at: Mapped[datetime | None]

    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    cancelled_at: Mapped[datetime | None]

    hosts: Mapped[list[User]] = relationship(secondary=event_host, order_by=User.display_name)
    topics: Mapped[list[Topic]] = relationship(secondary=event_topic, order_by=Topic.name)

    @property
    def event_format(self) -> EventFormat:
        return EventFormat(self.format)

    @property
    def is_published(self) -> bool:
        return self.status == EventStatus.PUBLISHED

    @property
    def is_cancelled(self) -> bool:
        return self.status == EventStatus.CANCELLED

    @property
    def is_draft(self) -> bool:
        return self.status == EventStatus.DRAFT

    @property
    def places_left(self) -> int | None:
        if self.capacity is None:
            return None
        return max(self.capacity - self.going_count, 0)

    @property
    def provisions(self) -> list[str]:
        """Sentences naming what the event provides for access."""
        return [p.sentence for p in PROVISIONS if getattr(self, p.name)]

    @property
    def provision_tags(self) -> list[str]:
        """Short names of what the event provides for access, for tags on a card."""
        return [p.tag for p in PROVISIONS if getattr(self, p.name)]

    def is_host(self, user) -> bool:
        return bool(user and user.is_authenticated) and any(h.id == user.id for h in self.hosts)


class Rsvp(Base):
    __tablename__ = "rsvp"
    __table_args__ = (
        UniqueConstraint("event_id", "user_id"),
        CheckConstraint("answer IN ('going', 'waiting', 'not_going')", name="answer"),
        Index("ix_rsvp_event_answer_queued", "event_id", "answer", "queued_at", "id"),
        Index("ix_rsvp_user_answer", "user_id", "answer"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    answer: Mapped[str] = mapped_column(String(10))
    queued_at: Mapped[datetime] = mapped_column(default=utcnow)
    needs_captions: Mapped[bool] = mapped_column(Boolean, default=False)
    needs_interpreter: Mapped[bool] = mapped_column(Boolean, default=False)
    needs_other: Mapped[str] = mapped_column(String(500), default="")
    attended: Mapped[bool | None]
    reminder_sent_at: Mapped[datetime | None]
    followup_sent_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    event: Mapped[Event] = relationship()
    user: Mapped[User] = relationship()

    @property
    def needs(self) -> list[str]:
        items = []
        if self.needs_captions:
            items.append("Captions")
        if self.needs_interpreter:
            items.append("Sign-language interpreter")
        if self.needs_other:
            items.append(self.needs_other)
        return items


class Feedback(Base):
    __tablename__ = "event_feedback"
    __table_args__ = (
        UniqueConstraint("event_id", "user_id"),
        CheckConstraint("rating BETWEEN 1 AND 5", name="rating"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    rating: Mapped[int]
    worked: Mapped[str] = mapped_column(Text, default="", info={"max_length": 2000})
    improve: Mapped[str] = mapped_column(Text, default="", info={"max_length": 2000})
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class CalendarFeed(Base):
    """A member's private calendar-feed token; regenerating replaces it."""

    __tablename__ = "calendar_feed"

    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), primary_key=True)
    token: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
