"""Categories, threads, posts and everything that hangs off them."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint, func, select
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from portal.blueprints.accounts.models import User
from portal.core.db import Base, utcnow
from portal.core.rendered import RenderedMarkdown
from portal.core.routing import path_for
from portal.core.text import mentioned_names
from portal.core.pagination import page_count

POSTS_PER_PAGE = 20
THREADS_PER_PAGE = 20


class Audience(enum.StrEnum):
    """Who can see a category."""

    MEMBERS = "members"
    MENTORS = "mentors"
    MANAGERS = "managers"

    @property
    def label(self) -> str:
        return {"members": "All members", "mentors": "Mentors only",
                "managers": "Community managers only"}[self.value]


class Category(Base):
    __tablename__ = "forum_category"
    __table_args__ = (CheckConstraint("audience IN ('members', 'mentors', 'managers')", name="audience"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80))
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    description: Mapped[str] = mapped_column(String(300), default="")
    position: Mapped[int] = mapped_column(default=0)
    audience: Mapped[str] = mapped_column(String(10), default=Audience.MEMBERS.value)
    thread_count: Mapped[int] = mapped_column(default=0)
    post_count: Mapped[int] = mapped_column(default=0)
    last_post_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Thread(Base):
    __tablename__ = "forum_thread"
    __table_args__ = (
        Index("ix_forum_thread_listing", "category_id", "pinned", "last_post_at", "id"),
        CheckConstraint("post_count >= 0", name="post_count"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    category_id: Mapped[int] = mapped_column(ForeignKey("forum_category.id", ondelete="CASCADE"))
    title: Mapped[str] = mapped_column(String(150))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"), index=True)
    pinned: Mapped[bool] = mapped_column(Boolean, default=False)
    locked: Mapped[bool] = mapped_column(Boolean, default=False)
    post_count: Mapped[int] = mapped_column(default=0)
    last_post_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_post_id: Mapped[int | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    category: Mapped[Category] = relationship()
    author: Mapped[User | None] = relationship()
    # The newest post, for "last reply by ... 2 hours ago"; last_post_id has no foreign key
    # (a post and its thread point at each other), so the join is spelt out.
    last_post: Mapped[Post | None] = relationship(
        primaryjoin="foreign(Thread.last_post_id) == Post.id", viewonly=True)

    @property
    def pages(self) -> int:
        return page_count(self.post_count, POSTS_PER_PAGE)


class Post(RenderedMarkdown, Base):
    __tablename__ = "forum_post"
    __markdown__ = {"body": "body_html"}
    __table_args__ = (
        UniqueConstraint("thread_id", "number"),
        Index("ix_forum_post_author_created", "author_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    thread_id: Mapped[int] = mapped_column(ForeignKey("forum_thread.id", ondelete="CASCADE"))
    number: Mapped[int]
    author_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    body: Mapped[str] = mapped_column(Text, info={"max_length": 20_000})
    body_html: Mapped[str] = mapped_column(Text, default="")
    quoted_post_id: Mapped[int | None] = mapped_column(ForeignKey("forum_post.id", ondelete="SET NULL"))
    helpful_count: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    edited_at: Mapped[datetime | None]
    deleted_at: Mapped[datetime | None]
    hidden_at: Mapped[datetime | None]
    hidden_reason: Mapped[str] = mapped_column(String(500), default="")

    thread: Mapped[Thread] = relationship()
    author: Mapped[User | None] = relationship()

    @property
    def page(self) -> int:
        return (self.number - 1) // POSTS_PER_PAGE + 1

    @property
    def is_visible(self) -> bool:
        return self.deleted_at is None and self.hidden_at is None

    def markdown_mentions(self, session: Session) -> dict[str, str]:
        """The people this post @mentions, as they are when it is written: a link to each
        one's profile (where two share a name, the earlier account). A link stays when its
        person later erases their account, leading to a profile that is no longer found,
        until ``flask render-markdown --all`` reads the names afresh."""
        names = mentioned_names(self.body)
        if not names:
            return {}
        rows = session.execute(
            select(func.lower(User.display_name), User.id)
            .where(func.lower(User.display_name).in_(names), User.deleted_at.is_(None)).order_by(User.id.desc())
        )
        return {name: path_for("accounts.profile", user_id=user_id) for name, user_id in rows}


class PostRevision(RenderedMarkdown, Base):
    """An earlier version of an edited post, kept for moderators."""

    __tablename__ = "forum_post_revision"
    __markdown__ = {"body": "body_html"}

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("forum_post.id", ondelete="CASCADE"), index=True)
    body: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Helpful(Base):
    __tablename__ = "forum_helpful"

    post_id: Mapped[int] = mapped_column(ForeignKey("forum_post.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ThreadSubscription(Base):
    __tablename__ = "forum_thread_subscription"

    thread_id: Mapped[int] = mapped_column(ForeignKey("forum_thread.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), primary_key=True,
                                         index=True)


class CategorySubscription(Base):
    __tablename__ = "forum_category_subscription"

    category_id: Mapped[int] = mapped_column(ForeignKey("forum_category.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), primary_key=True,
                                         index=True)


class ThreadRead(Base):
    """How far a person has read a thread: the highest post number seen."""

    __tablename__ = "forum_thread_read"

    thread_id: Mapped[int] = mapped_column(ForeignKey("forum_thread.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), primary_key=True)
    last_read_number: Mapped[int] = mapped_column(default=0)


