"""Who may do what with an event; used by views and templates alike."""

from __future__ import annotations

from datetime import datetime, timedelta

from portal.blueprints.events.models import Answer, Event, Rsvp
from portal.core.permissions import Permission, has_permission

JOIN_LINK_OPENS = timedelta(minutes=15)


def can_create(user) -> bool:
    return has_permission(user, Permission.MANAGE_COMMUNITY)


def can_manage(user, event: Event) -> bool:
    """Managers manage every event; hosts manage their own."""
    return has_permission(user, Permission.MANAGE_COMMUNITY) or event.is_host(user)


def can_publish(user) -> bool:
    return has_permission(user, Permission.MANAGE_COMMUNITY)


def can_see(user, event: Event) -> bool:
    """Drafts are for managers and hosts only."""
    return not event.is_draft or can_manage(user, event)


def cancellable(event: Event, now: datetime) -> bool:
    """An event can be cancelled until it starts; after that there is nothing left to call off."""
    return not event.is_cancelled and now < event.starts_at


def rsvp_closes_at(event: Event) -> datetime:
    if event.rsvp_deadline and event.rsvp_deadline < event.starts_at:
        return event.rsvp_deadline
    return event.starts_at


def rsvp_open(event: Event, now: datetime) -> bool:
    return event.is_published and now < rsvp_closes_at(event)


def can_rsvp(user, event: Event, now: datetime) -> bool:
    """Members reply while replies are open; hosts are taking part already, so are not asked."""
    return has_permission(user, Permission.TAKE_PART) and rsvp_open(event, now) and not event.is_host(user)


def can_see_join_link(user, event: Event, rsvp: Rsvp | None, now: datetime) -> bool:
    """People going, and hosts, from 15 minutes before the start until the end."""
    if not event.join_url or not event.is_published or now >= event.ends_at:
        return False
    if now < event.starts_at - JOIN_LINK_OPENS:
        return False
    return event.is_host(user) or (rsvp is not None and rsvp.answer == Answer.GOING)


def can_give_feedback(event: Event, rsvp: Rsvp | None, now: datetime) -> bool:
    return (
        event.is_published and now >= event.ends_at and rsvp is not None
        and rsvp.answer == Answer.GOING and rsvp.attended is not False
    )
