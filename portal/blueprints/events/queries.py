"""Finding events: the upcoming list, past events, a month, and a person's own events.

Each listing runs a fixed number of queries whatever the number of events:
a count and a page (the cards show neither hosts nor topics, so neither is loaded).
"""

from __future__ import annotations

import calendar as calendar_module
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session, selectinload

from portal.blueprints.accounts.models import User
from portal.blueprints.events.models import PROVISION_NAMES, Answer, Event, EventStatus, Rsvp, Topic, event_host, event_topic
from portal.core.pagination import Page, paginate
from portal.core.time import zone

PAGE_SIZE = 20


@dataclass(frozen=True)
class Filters:
    topic: str = ""
    format: str = ""
    provisions: tuple[str, ...] = ()

    @property
    def active(self) -> bool:
        return bool(self.topic or self.format or self.provisions)

    def query_args(self) -> dict:
        args: dict = {}
        if self.topic:
            args["topic"] = self.topic
        if self.format:
            args["format"] = self.format
        if self.provisions:
            args["access"] = list(self.provisions)
        return args


def _visible(query: Select, include_drafts: bool) -> Select:
    statuses = [EventStatus.PUBLISHED, EventStatus.CANCELLED]
    if include_drafts:
        statuses.append(EventStatus.DRAFT)
    return query.where(Event.status.in_(statuses))


def _filtered(query: Select, filters: Filters) -> Select:
    if filters.topic:
        query = query.where(
            Event.id.in_(select(event_topic.c.event_id).join(Topic).where(Topic.slug == filters.topic))
        )
    if filters.format:
        query = query.where(Event.format == filters.format)
    for name in filters.provisions:
        if name in PROVISION_NAMES:
            query = query.where(getattr(Event, name).is_(True))
    return query


def _paginate(session: Session, query: Select, order, page: int) -> Page:
    return paginate(session, query.order_by(*order), page, PAGE_SIZE)


def upcoming(session: Session, filters: Filters, page: int, now: datetime, include_drafts: bool) -> Page:
    """Events not yet ended, soonest first."""
    query = _filtered(_visible(select(Event), include_drafts).where(Event.ends_at > now), filters)
    return _paginate(session, query, (Event.starts_at, Event.id), page)


def past(session: Session, page: int, now: datetime) -> Page:
    """Published events that have ended, most recent first."""
    query = select(Event).where(Event.status == EventStatus.PUBLISHED, Event.ends_at <= now)
    return _paginate(session, query, (Event.starts_at.desc(), Event.id.desc()), page)


def topics(session: Session) -> list[Topic]:
    return list(session.scalars(select(Topic).order_by(Topic.name)))


@dataclass(frozen=True)
class Month:
    year: int
    month: int
    weeks: list[list[date | None]]
    by_day: dict[date, list[Event]]

    @property
    def first(self) -> date:
        return date(self.year, self.month, 1)

    @property
    def previous(self) -> date:
        return (self.first - timedelta(days=1)).replace(day=1)

    @property
    def next(self) -> date:
        return (self.first + timedelta(days=32)).replace(day=1)


def month(session: Session, year: int, month_number: int, zone_name: str, include_drafts: bool) -> Month:
    """The events starting in one month, placed on their first day in the viewer's zone."""
    local = zone(zone_name)
    start = datetime(year, month_number, 1, tzinfo=local)
    end = (start + timedelta(days=32)).replace(day=1)
    events = session.scalars(
        _visible(select(Event), include_drafts)
        .where(Event.starts_at >= start, Event.starts_at < end)
        .order_by(Event.starts_at, Event.id)
    ).all()
    by_day: dict[date, list[Event]] = {}
    for event in events:
        by_day.setdefault(event.starts_at.astimezone(local).date(), []).append(event)
    weeks = calendar_module.Calendar(firstweekday=0).monthdayscalendar(year, month_number)
    return Month(year, month_number, [[date(year, month_number, d) if d else None for d in w] for w in weeks], by_day)


@dataclass(frozen=True)
class MyEvents:
    going: list[Event]
    waiting: list[tuple[Event, int]]
    hosting: list[Event]
    past: list[Event]


def my_events(session: Session, user, now: datetime) -> MyEvents:
    """The person's upcoming events by answer, those they host, and the last 20 they went to."""
    rows = session.execute(
        select(Rsvp, Event).join(Event, Event.id == Rsvp.event_id)
        .where(Rsvp.user_id == user.id, Rsvp.answer.in_([Answer.GOING, Answer.WAITING]),
               Event.status != EventStatus.DRAFT)
        .order_by(Event.starts_at)
    ).all()
    going = [e for r, e in rows if r.answer == Answer.GOING and e.ends_at > now]
    past_events = [e for r, e in rows if r.answer == Answer.GOING and e.ends_at <= now
                   and e.status == EventStatus.PUBLISHED][-20:][::-1]
    waiting_rows = [(r, e) for r, e in rows if r.answer == Answer.WAITING and e.ends_at > now]
    positions = _positions(session, [r for r, _ in waiting_rows])
    hosting = list(
        session.scalars(
            select(Event).join(event_host, event_host.c.event_id == Event.id)
            .where(event_host.c.user_id == user.id, or_(Event.ends_at > now, Event.status == EventStatus.DRAFT))
            .order_by(Event.starts_at)
        )
    )
    return MyEvents(going, [(e, positions[r.id]) for r, e in waiting_rows], hosting, past_events)


def _positions(session: Session, records: list[Rsvp]) -> dict[int, int]:
    """Waiting-list positions for several RSVPs in one query."""
    if not records:
        return {}
    event_ids = {r.event_id for r in records}
    queue = session.execute(
        select(Rsvp.id, Rsvp.event_id).where(Rsvp.event_id.in_(event_ids), Rsvp.answer == Answer.WAITING)
        .order_by(Rsvp.event_id, Rsvp.queued_at, Rsvp.id)
    ).all()
    positions: dict[int, int] = {}
    counters: dict[int, int] = {}
    for rsvp_id, event_id in queue:
        counters[event_id] = counters.get(event_id, 0) + 1
        positions[rsvp_id] = counters[event_id]
    return positions


def public_feed_events(session: Session, now: datetime) -> list[Event]:
    """Published and cancelled events from a week ago onward, at most 500."""
    return list(
        session.scalars(
            select(Event).where(Event.status.in_([EventStatus.PUBLISHED, EventStatus.CANCELLED]),
                                Event.ends_at > now - timedelta(days=7))
            .order_by(Event.starts_at).limit(500)
        )
    )


def next_going(session: Session, user, now: datetime, limit: int = 3) -> list[tuple[Event, Rsvp]]:
    """The next few events the person is going to, with their replies, soonest first."""
    return list(session.execute(
        select(Event, Rsvp).join(Rsvp, Rsvp.event_id == Event.id)
        .where(Rsvp.user_id == user.id, Rsvp.answer == Answer.GOING, Event.ends_at > now,
               Event.status == EventStatus.PUBLISHED)
        .order_by(Event.starts_at).limit(limit)
    ).tuples())


def coming_up(session: Session, now: datetime, limit: int, topic_names: list[str] | None = None) -> list[Event]:
    """The next published events that have not started, soonest first; only those on one of
    ``topic_names`` (compared without case) when given."""
    query = select(Event).where(Event.status == EventStatus.PUBLISHED, Event.starts_at > now)
    if topic_names is not None:
        query = query.where(Event.topics.any(func.lower(Topic.name).in_([n.lower() for n in topic_names])))
    return list(session.scalars(query.order_by(Event.starts_at, Event.id).limit(limit)))


def event_for_page(session: Session, event_id: int) -> Event | None:
    """The event with its hosts and topics, as every event page shows them."""
    return session.scalar(
        select(Event).where(Event.id == event_id).options(selectinload(Event.hosts), selectinload(Event.topics))
    )


SHOWN_GOING = 8


def going_shown(session: Session, event: Event, limit: int = SHOWN_GOING) -> list[User]:
    """The first ``limit`` people going, in the order they replied, among those who let
    attendee lists show them (current accounts only): one query."""
    return list(
        session.scalars(
            select(User).join(Rsvp, Rsvp.user_id == User.id)
            .where(Rsvp.event_id == event.id, Rsvp.answer == Answer.GOING, User.show_in_attendee_lists.is_(True),
                   User.deleted_at.is_(None))
            .order_by(Rsvp.queued_at, Rsvp.id).limit(limit)
        )
    )


def waiting_count(session: Session, event: Event) -> int:
    """How many people are on the event's waiting list, counted in SQL."""
    return session.scalar(
        select(func.count()).select_from(Rsvp).where(Rsvp.event_id == event.id, Rsvp.answer == Answer.WAITING)
    )


def people_by_email(session: Session, emails: list[str]) -> list[User]:
    """The current accounts with these (normalised) addresses."""
    return list(session.scalars(select(User).where(User.email.in_(emails), User.deleted_at.is_(None))))
