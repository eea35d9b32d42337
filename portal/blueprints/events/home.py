"""The events' sections of the start page."""

from __future__ import annotations

from portal.blueprints.events import policies, queries

COMING_UP = 4
ON_INTERESTS = 3


def coming_up(session, user, now) -> dict | None:
    """For visitors: the next public events."""
    events = queries.coming_up(session, now, COMING_UP)
    return {"events": events} if events else None


def your_events(session, user, now) -> dict:
    """The member's next events, the first with its joining link once it opens."""
    going = queries.next_going(session, user, now)
    first = going[0] if going else None
    return {
        "events": [event for event, _ in going],
        "join": first[0] if first and policies.can_see_join_link(user, first[0], first[1], now) else None,
    }


def interests_of(user) -> list[str]:
    """The interests a person listed in their profile (comma-separated), tidied."""
    return [name.strip() for name in user.interests.split(",") if name.strip()]


def on_your_interests(session, user, now) -> dict | None:
    """Upcoming events on a topic the member listed among their interests."""
    interests = interests_of(user)
    events = queries.coming_up(session, now, ON_INTERESTS, topic_names=interests) if interests else []
    return {"events": events} if events else None
