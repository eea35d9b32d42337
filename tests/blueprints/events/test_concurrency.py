"""RSVPs under concurrent requests, through a live server (tests/live.py): no oversell, no
double RSVP. Every person reads the CSRF token from the event page's RSVP form, then all of
them post at once."""

from __future__ import annotations

import re
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from sqlalchemy import select

from portal.blueprints.accounts.models import User
from portal.blueprints.events import services
from portal.blueprints.events.models import Answer, Event, EventStatus, Rsvp
from portal.core.db import utcnow
from portal.core.mail import OutboxMessage
from tests.live import TIMEOUT, LiveServer, Person, Reply, all_at_once, members

pytestmark = pytest.mark.live

CAPACITY = 5
PEOPLE = 60


def rsvp_form(person: Person, answer: str) -> dict:
    return {"csrf_token": person.csrf_token, "answer": answer, "needs_other": ""}


def _event(server: LiveServer, capacity: int = CAPACITY) -> int:
    with server.session() as session:
        starts = utcnow() + timedelta(days=10)
        event = Event(title="Speed mentoring", summary="Five places only", starts_at=starts,
                      ends_at=starts + timedelta(hours=2), timezone="Europe/London", format="online",
                      join_url="https://meet.example.org/speed", capacity=capacity, going_count=0,
                      status=EventStatus.PUBLISHED.value)
        session.add(event)
        session.commit()
        return event.id


def _ready(server: LiveServer, emails: list[str], event_id: int) -> list[Person]:
    """Everyone signed in over HTTP, holding the event page's CSRF token."""
    people = [server.person(email) for email in emails]

    def prepare(person: Person) -> Person:
        person.sign_in()
        person.hold_token(f"/events/{event_id}", f"/events/{event_id}/rsvp")
        return person

    with ThreadPoolExecutor(max_workers=8) as pool:
        return list(pool.map(prepare, people, timeout=TIMEOUT * 2))


@dataclass
class State:
    going_count: int
    capacity: int
    going: list[str]  # emails, in queue order
    waiting: list[str]  # emails, in queue order
    not_going: list[str]
    rsvp_rows: Counter  # email -> number of rows
    positions: dict[str, int]  # email -> waiting position, as the portal computes it
    mail: Counter  # (email, subject prefix) -> number of messages queued
    told: list[int]  # the waiting-list places the emails gave, one per waiting email


def _state(server: LiveServer, event_id: int) -> State:
    with server.session() as session:
        event = session.get(Event, event_id)
        rows = session.execute(
            select(Rsvp, User.email).join(User, User.id == Rsvp.user_id)
            .where(Rsvp.event_id == event_id).order_by(Rsvp.queued_at, Rsvp.id)
        ).all()
        by_answer: dict[str, list[str]] = {a.value: [] for a in Answer}
        positions = {}
        for record, email in rows:
            by_answer[record.answer].append(email)
            if record.answer == Answer.WAITING:
                positions[email] = services.waiting_position(session, record)
        messages = session.execute(select(OutboxMessage.recipient, OutboxMessage.subject,
                                          OutboxMessage.text_body)).all()
        mail = Counter((recipient, subject.split(":")[0]) for recipient, subject, _ in messages)
        told = [int(m.group(1)) for _, _, body in messages
                if (m := re.search(r"you're number (\d+) on the waiting list", body))]
        state = State(event.going_count, event.capacity, by_answer["going"], by_answer["waiting"],
                      by_answer["not_going"], Counter(email for _, email in rows), positions, mail, told)
        session.rollback()
        return state


def _assert_consistent(state: State) -> None:
    """The invariants that must hold after any interleaving."""
    assert state.going_count == len(state.going), "going_count disagrees with the going rows"
    assert len(state.going) <= state.capacity, f"oversold: {len(state.going)} going, {state.capacity} places"
    assert all(n == 1 for n in state.rsvp_rows.values()), f"double RSVP: {state.rsvp_rows.most_common(3)}"
    assert sorted(state.positions.values()) == list(range(1, len(state.waiting) + 1)), (
        f"waiting positions are not 1..{len(state.waiting)}: {sorted(state.positions.values())}")
    if state.waiting:
        assert len(state.going) == state.capacity, "a place is free while people wait"


def _assert_all_redirected(replies: list[Reply], event_id: int) -> None:
    statuses = Counter(reply.status for reply in replies)
    assert statuses == Counter({303: len(replies)}), f"not every RSVP was answered 303: {statuses}"
    assert all(urlsplit(r.location).path == f"/events/{event_id}" for r in replies)


def _positions_on_pages(people: list[Person], event_id: int) -> dict[str, str]:
    """What each person's own event page says about their reply."""
    def read(person: Person) -> tuple[str, str]:
        body = person.request("GET", f"/events/{event_id}").body
        match = re.search(r"You're number (\d+) on the waiting list|You're going\.", body)
        return person.email, (match.group(1) or "going") if match else "none"

    with ThreadPoolExecutor(max_workers=8) as pool:
        return dict(pool.map(read, people, timeout=TIMEOUT * 2))


# The tests


def test_simultaneous_rsvps_never_oversell(live_server):
    emails = members(live_server, PEOPLE, "crowd")
    event_id = _event(live_server)
    people = _ready(live_server, emails, event_id)

    replies = all_at_once([(p, f"/events/{event_id}/rsvp", rsvp_form(p, "going")) for p in people])

    _assert_all_redirected(replies, event_id)
    state = _state(live_server, event_id)
    _assert_consistent(state)
    assert len(state.going) == CAPACITY
    assert state.going_count == CAPACITY
    assert len(state.waiting) == PEOPLE - CAPACITY
    assert sorted(state.going + state.waiting) == sorted(emails)
    # Everyone was told once, by the email that matches where they ended up.
    for email in state.going:
        assert state.mail[(email, "You're going")] == 1
    for email in state.waiting:
        assert state.mail[(email, "You're on the waiting list")] == 1
    assert sum(state.mail.values()) == PEOPLE
    # Each waiting email named a different place in the queue, 1 to 55.
    assert sorted(state.told) == list(range(1, PEOPLE - CAPACITY + 1)), sorted(state.told)
    # Each person's own page agrees: five going, the rest numbered 1..55 in queue order.
    shown = _positions_on_pages(people, event_id)
    assert [shown[e] for e in state.going] == ["going"] * CAPACITY
    assert [shown[e] for e in state.waiting] == [str(n) for n in range(1, PEOPLE - CAPACITY + 1)]


def test_double_submit_makes_one_rsvp(live_server):
    [email] = members(live_server, 1, "eager")
    event_id = _event(live_server)
    [person] = _ready(live_server, [email], event_id)
    form = rsvp_form(person, "going")

    replies = all_at_once([(person, f"/events/{event_id}/rsvp", form) for _ in range(10)])

    _assert_all_redirected(replies, event_id)
    state = _state(live_server, event_id)
    _assert_consistent(state)
    assert state.rsvp_rows == Counter({email: 1})
    assert state.going == [email]
    assert state.going_count == 1
    assert state.mail == Counter({(email, "You're going"): 1}), "one reply, one confirmation email"


def test_cancellations_racing_new_replies_promote_in_order(live_server):
    """Three of the five going cancel while five newcomers say yes: the first three
    on the waiting list take the freed places, the newcomers queue behind."""
    going, waiting, newcomers = 5, 10, 5
    emails = members(live_server, going + waiting + newcomers, "race")
    event_id = _event(live_server)
    with live_server.session() as session:
        event = session.get(Event, event_id)
        for email in emails[: going + waiting]:
            user = session.scalar(select(User).where(User.email == email))
            services.rsvp(session, event, user, True, services.Needs())
        session.commit()
    before = _state(live_server, event_id)
    _assert_consistent(before)
    assert before.going == emails[:going] and before.waiting == emails[going: going + waiting]

    cancellers = emails[:3]
    joiners = emails[going + waiting:]
    people = {p.email: p for p in _ready(live_server, cancellers + joiners, event_id)}
    jobs = [(people[e], f"/events/{event_id}/rsvp", rsvp_form(people[e], "not_going")) for e in cancellers]
    jobs += [(people[e], f"/events/{event_id}/rsvp", rsvp_form(people[e], "going")) for e in joiners]
    jobs.sort(key=lambda job: job[0].email[::-1])  # interleave cancellers and joiners

    replies = all_at_once(jobs)

    _assert_all_redirected(replies, event_id)
    after = _state(live_server, event_id)
    _assert_consistent(after)
    promoted = before.waiting[:3]
    assert sorted(after.going) == sorted(emails[3:going] + promoted)
    assert after.going_count == CAPACITY
    assert sorted(after.not_going) == sorted(cancellers)
    assert after.waiting[: waiting - 3] == before.waiting[3:], "the queue kept its order"
    assert sorted(after.waiting[waiting - 3:]) == sorted(joiners), "newcomers queue behind"
    for email in promoted:
        assert after.mail[(email, "A place opened up")] == 1
    assert sum(n for (_, kind), n in after.mail.items() if kind == "A place opened up") == 3
