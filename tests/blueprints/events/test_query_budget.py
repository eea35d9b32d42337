"""Budgets of the events pages: at most 10 SQL statements a request, the same with 50
events as with 5,000, and HTML + CSS within 14 KB compressed (DESIGN.md, issue 4).

Statements are counted with a ``before_cursor_execute`` listener on the app's
engine, only while the request runs; the test's own session is committed and
emptied first, so the request loads everything itself as it would in production.
Every statement counts, including the SAVEPOINT that stands in for BEGIN here.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, insert, select

from portal.blueprints.accounts.models import User
from portal.blueprints.events import queries, services
from portal.blueprints.events.models import PROVISION_NAMES, Event, Topic, event_host, event_topic
from portal.core.db import utcnow
from tests.blueprints.accounts.factories import make_user, sign_in
from tests.blueprints.events.factories import make_event
from tests.budget import CSS, QUERY_BUDGET, WEIGHT_BUDGET, compressed, measure
from tests.helpers import Browser

SMALL, LARGE = 50, 5_000
MONTHS_BACK, MONTHS_AHEAD = 12, 24
TOPICS = ["Careers", "Confidence", "Data skills", "Design", "Funding", "Leadership", "Networking",
          "Public speaking", "Research", "Wellbeing"]


# Data


def _months_from_now(offset: int) -> datetime:
    now = utcnow()
    month = now.month - 1 + offset
    return datetime(now.year + month // 12, month % 12 + 1, 1, tzinfo=UTC)


WORDS = ("first second open quiet evening morning lunchtime weekend online local new returning "
         "women's student graduate career-change parents' carers' peer group speed small big regional "
         "north south east west city rural creative technical finance health science law teaching "
         "charity startup museum library garden kitchen studio walking reading writing").split()
KINDS = ["meet-up", "workshop", "talk", "clinic", "circle", "social", "panel", "Q&A", "drop-in", "masterclass"]


def _title(rng: random.Random) -> str:
    """Titles as varied as people write them, so compression is not flattered."""
    words = " ".join(rng.sample(WORDS, rng.randint(2, 4))).capitalize()
    return f"{words} {rng.choice(KINDS)}: {rng.choice(TOPICS).lower()} ({rng.randint(1, 99)})"[:120]


def _add_events(session, count: int, hosts: list[User], topics: list[Topic], seed: int) -> None:
    """``count`` events spread over past and coming months, in three bulk statements.

    Most are published, a few cancelled or drafts; about half have topics and
    hosts, some have captions or other provisions, some have a capacity.
    """
    rng = random.Random(seed)
    rows = []
    for n in range(count):
        month = _months_from_now(rng.randint(-MONTHS_BACK, MONTHS_AHEAD))
        starts = month + timedelta(days=rng.randint(0, 27), hours=rng.randint(8, 20), minutes=rng.choice([0, 30]))
        online = rng.random() < 0.6
        rows.append({
            "title": _title(rng),
            "summary": "An evening of introductions, short talks and questions for mentors and mentees.",
            "description": "Bring a question you would like help with.",
            "starts_at": starts,
            "ends_at": starts + timedelta(hours=rng.choice([1, 2, 3])),
            "timezone": rng.choice(["Europe/London", "Europe/Paris", "America/New_York"]),
            "format": "online" if online else rng.choice(["in_person", "hybrid"]),
            "join_url": "https://meet.example.org/room" if online else None,
            "venue": None if online else "Community hall, 1 High Street",
            "capacity": rng.choice([None, None, 10, 25, 40]),
            "going_count": 0,
            "status": rng.choices(["published", "cancelled", "draft"], [90, 5, 5])[0],
            **{name: rng.random() < 0.25 for name in PROVISION_NAMES},
        })
    ids = session.scalars(insert(Event).returning(Event.id, sort_by_parameter_order=True), rows).all()
    links_hosts = [{"event_id": i, "user_id": rng.choice(hosts).id} for i in ids if rng.random() < 0.5]
    links_topics = [{"event_id": i, "topic_id": t.id} for i in ids if rng.random() < 0.5
                    for t in rng.sample(topics, rng.randint(1, 2))]
    session.execute(insert(event_host), links_hosts)
    session.execute(insert(event_topic), links_topics)
    session.flush()


@dataclass
class World:
    member: User
    event: Event  # the one whose page is measured: hosts, topics, people going and waiting
    busy_month: tuple[int, int]  # (year, month) with the most events once there are 5,000


@pytest.fixture
def world(session) -> World:
    hosts = [make_user(session, display_name=f"Host {n}") for n in range(5)]
    topics = [Topic(name=name, slug=name.lower().replace(" ", "-")) for name in TOPICS]
    session.add_all(topics)
    session.flush()
    _add_events(session, SMALL - 1, hosts, topics, seed=1)
    # The measured event: full, with a waiting list the viewer is on.
    event = make_event(session, hosts=hosts[:2], starts_in=timedelta(days=20), capacity=3,
                       title="Mentoring in practice", live_captions=True,
                       description="## What we cover\n\nFinding a mentor, and *keeping* one.",
                       agenda="1. Welcome\n2. Short talks\n3. Questions")
    event.topics = topics[:3]
    people = [make_user(session) for _ in range(5)]
    for person in people:
        services.rsvp(session, event, person, True, services.Needs(captions=True))
    member = make_user(session, display_name="Measured Member")
    services.rsvp(session, event, member, True, services.Needs(other="A quiet seat"))
    session.commit()
    assert session.scalar(select(func.count()).select_from(Event)) == SMALL
    busy = _months_from_now(1)
    return World(member, event, (busy.year, busy.month))


def _grow_to(session, world: World, count: int) -> None:
    hosts = list(session.scalars(select(User).where(User.display_name.like("Host %"))))
    topics = list(session.scalars(select(Topic)))
    _add_events(session, count - SMALL, hosts, topics, seed=2)
    session.commit()
    assert session.scalar(select(func.count()).select_from(Event)) == count


# Measuring


def _pages(world: World) -> dict[str, str]:
    year, month = world.busy_month
    return {
        "upcoming list": "/events/",
        "upcoming, page 3": "/events/?page=3",
        "upcoming, filtered": "/events/?topic=careers&format=online&access=live_captions",
        "upcoming, filtered, page 3": "/events/?topic=careers&page=3",
        "month view": f"/events/calendar/{year}/{month:02d}",
        "event page": f"/events/{world.event.id}",
    }


@pytest.fixture
def member_client(app, client, world) -> Iterator:
    reply = sign_in(Browser(client), world.member)
    assert reply.status_code == 200
    yield client


def _report(title: str, rows: list[str]) -> None:
    print(f"\n{title}")
    for row in rows:
        print(f"  {row}")


def test_each_page_runs_a_fixed_small_number_of_queries(app, session, world, member_client):
    small = {name: measure(app, member_client, url) for name, url in _pages(world).items()}
    _grow_to(session, world, LARGE)
    large = {name: measure(app, member_client, url) for name, url in _pages(world).items()}

    _report(f"SQL statements per request, signed in ({SMALL} -> {LARGE} events)",
            [f"{name:28} {small[name].queries:3} -> {large[name].queries:3}" for name in small])
    for name in small:
        assert large[name].queries <= QUERY_BUDGET, (
            f"{name} ran {large[name].queries} statements with {LARGE} events:\n  "
            + "\n  ".join(large[name].statements))
        assert large[name].queries == small[name].queries, (
            f"{name} ran {small[name].queries} statements with {SMALL} events but "
            f"{large[name].queries} with {LARGE}:\n  " + "\n  ".join(large[name].statements))
    # The data really is there: 5,000 events make many pages and a busy month.
    assert b"number 3 on the waiting list" in large["event page"].html
    assert b"page 3 of" in large["upcoming, page 3"].html


def test_signed_out_pages_run_as_few_queries(app, client, session, world):
    _grow_to(session, world, LARGE)
    counts = {name: measure(app, client, url).queries for name, url in _pages(world).items()}
    _report(f"SQL statements per request, signed out ({LARGE} events)",
            [f"{name:28} {n:3}" for name, n in counts.items()])
    assert all(n <= QUERY_BUDGET for n in counts.values()), counts


def test_pages_fit_the_first_round_trip(app, session, world, member_client):
    _grow_to(session, world, LARGE)
    css = compressed(CSS.read_bytes())
    weights = {name: compressed(measure(app, member_client, url).html) for name, url in _pages(world).items()}
    year, month = world.busy_month
    shown = sum(map(len, queries.month(session, year, month, "Europe/London", False).by_day.values()))
    _report(f"HTML + CSS, gzip-compressed, bytes ({LARGE} events; CSS {css}; "
            f"about {shown} events in the month shown)",
            [f"{name:28} {html:6} + {css} = {html + css:6}" for name, html in weights.items()])
    over = {name: html + css for name, html in weights.items() if html + css > WEIGHT_BUDGET}
    assert not over, f"over the {WEIGHT_BUDGET}-byte budget: {over}"

