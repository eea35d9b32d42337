"""Every feature's models, imported so the metadata knows every table (Alembic, tests)."""

from portal.blueprints.accounts.models import User
from portal.blueprints.events.models import CalendarFeed, Event, Feedback, Rsvp, Topic
from portal.blueprints.forums.models import (
    Category,
    CategorySubscription,
    Helpful,
    Notification,
    Post,
    PostRevision,
    Report,
    Thread,
    ThreadRead,
    ThreadSubscription,
)
from portal.core.db import Base
from portal.core.mail import OutboxMessage

metadata = Base.metadata

__all__ = [
    "CalendarFeed", "Category", "CategorySubscription", "Event", "Feedback", "Helpful", "Notification",
    "OutboxMessage", "Post", "PostRevision", "Report", "Rsvp", "Thread", "ThreadRead", "ThreadSubscription",
    "Topic", "User", "metadata",
]
