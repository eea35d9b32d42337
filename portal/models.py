"""Every feature's models, imported so the metadata knows every table (Alembic, tests)."""

from portal.blueprints.accounts.models import User
from portal.blueprints.events.models import CalendarFeed, Event, Feedback, Rsvp, Topic
from portal.core.db import Base
from portal.core.mail import OutboxMessage

metadata = Base.metadata

__all__ = ["CalendarFeed", "Event", "Feedback", "OutboxMessage", "Rsvp", "Topic", "User", "metadata"]
