"""Reports of anything a feature lets people report, and suspensions from taking part."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.blueprints.accounts.models import User
from portal.core.db import Base, utcnow


class ReportStatus(enum.StrEnum):
    OPEN = "open"
    DISMISSED = "dismissed"
    ACTIONED = "actioned"


class Report(Base):
    """One member's report of one item of a reportable kind ("forums.post", 12).

    A member reports an item at most once (the unique constraint); reporting it again
    changes the reason and ``updated_at``, and opens a handled report again (see
    ``portal.blueprints.manage.reports.report``). ``updated_at`` is the last change of
    any kind, so an open report's is when it was last made.
    """

    __tablename__ = "moderation_report"
    __table_args__ = (
        UniqueConstraint("kind", "target_id", "reporter_id"),
        CheckConstraint("status IN ('open', 'dismissed', 'actioned')", name="status"),
        Index("ix_moderation_report_status_updated", "status", "updated_at"),
        Index("ix_moderation_report_status_resolved", "status", "resolved_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))
    target_id: Mapped[int]
    reporter_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    reason: Mapped[str] = mapped_column(String(1000))
    status: Mapped[str] = mapped_column(String(10), default=ReportStatus.OPEN.value)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    resolved_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    resolved_at: Mapped[datetime | None]
    resolution: Mapped[str] = mapped_column(String(600), default="")

    reporter: Mapped[User | None] = relationship(foreign_keys=[reporter_id])
    resolved_by: Mapped[User | None] = relationship(foreign_keys=[resolved_by_id])

    @property
    def is_open(self) -> bool:
        return self.status == ReportStatus.OPEN


class Suspension(Base):
    """Who suspended whom from taking part, why, from when until when (None: until
    lifted), and who lifted it and when. The person's own row carries the current
    suspension too (``User.suspended_at``, ``suspended_until``, ``suspension_reason``),
    so checking a permission needs no query."""

    __tablename__ = "suspension"
    __table_args__ = (
        CheckConstraint("ends_at IS NULL OR ends_at > starts_at", name="ends_after_start"),
        Index("ix_suspension_user_starts", "user_id", "starts_at"),
        Index("ix_suspension_lifted_ends", "lifted_at", "ends_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    reason: Mapped[str] = mapped_column(String(500))
    starts_at: Mapped[datetime] = mapped_column(default=utcnow)
    ends_at: Mapped[datetime | None]
    suspended_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    lifted_at: Mapped[datetime | None]
    lifted_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))

    person: Mapped[User] = relationship(foreign_keys=[user_id])
    suspended_by: Mapped[User | None] = relationship(foreign_keys=[suspended_by_id])
    lifted_by: Mapped[User | None] = relationship(foreign_keys=[lifted_by_id])

    def is_current(self, now: datetime) -> bool:
        return self.lifted_at is None and (self.ends_at is None or self.ends_at > now)
