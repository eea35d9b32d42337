"""Events benchmark: how fast the events pages and RSVPs are with 5,000 events.

Builds a throwaway database with 5,000 events (spread over a year back and two
ahead, with hosts and topics), 2,000 members and 20,000 RSVPs, then measures
through the Flask test client (gzip accepted, as a browser would):

- the median and 95th percentile time of the upcoming list, the busiest month
  and a busy event page (signed in, on its waiting list), over 50 requests each,
  with the SQL statements each ran (X-Query-Count) and its compressed size;
- RSVP throughput: signed-in members posting "going" to an event with 50
  places, one after another and from 8 threads at once, then a check that
  nothing was oversold.

Runs on SQLite (a file in a temporary folder) and, when
``PORTAL_BENCH_DATABASE_URL`` names a PostgreSQL database, also on PostgreSQL
in a sibling database ``<name>_bench`` that is created afresh and dropped at
the end (the named database itself is never touched).

    make bench
    PORTAL_BENCH_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/portal make bench

This is a benchmark, not a test: it prints figures and asserts only that the
data stayed consistent. Figures depend on the machine and its load.
"""

from __future__ import annotations

import logging
import os
import random
import re
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from benchkit import REQUESTS, postgres_database, settings, signed_in, sqlite_database, time_page
from sqlalchemy import func, insert, select

EVENTS = 5_000
MEMBERS = 2_000
RSVPS = 20_000
RSVPS_PER_EVENT = 50
THREADS = 8
RSVP_ROUNDS = 120  # members who reply in each throughput run
TOPICS = ["Careers", "Confidence", "Data skills", "Design", "Funding", "Leadership", "Networking",
          "Public speaking", "Research", "Wellbeing"]
WORDS = ("first second open quiet evening morning lunchtime weekend online local new returning "
         "student graduate career-change peer group speed small regional north south east west "
         "city rural creative technical finance health science law teaching charity startup "
         "museum library garden studio walking reading writing").split()
KINDS = ["meet-up", "workshop", "talk", "clinic", "circle", "social", "panel", "Q&A", "drop-in"]


# Data


def _months_from_now(offset: int) -> datetime:
    now = datetime.now(UTC)
    month = now.month - 1 + offset
    return datetime(now.year + month // 12, month % 12 + 1, 1, tzinfo=UTC)


def _title(rng: random.Random) -> str:
    words = " ".join(rng.sample(WORDS, rng.randint(2, 4))).capitalize()
    return f"{words} {rng.choice(KINDS)}: {rng.choice(TOPICS).lower()}"[:120]


@dataclass
class Built:
    busy_event_id: int  # an upcoming event with a waiting list
    waiting_member_id: int  # someone on that list
    busy_month: tuple[int, int]
    member_ids: list[int]  # members free to reply in the throughput runs
    seconds: float


def build(session, rng: random.Random) -> Built:
    """5,000 events, 2,000 members, 20,000 RSVPs, in a handful of bulk statements."""
    from portal.blueprints.accounts import passwords
    from portal.blueprints.accounts.models import User
    from portal.blueprints.events.models import (
        PROVISION_NAMES,
        Event,
        Rsvp,
        Topic,
        event_host,
        event_topic,
    )
    from portal.core.db import utcnow

    started = time.perf_counter()
    shared_hash = passwords.hash_password("bench password 1")  # nobody signs in with it
    now = utcnow()
    member_ids = session.scalars(
        insert(User).returning(User.id, sort_by_parameter_order=True),
        [{"email": f"member{n:05d}@bench.example.org", "display_name": f"Bench Member {n:05d}",
          "password_hash": shared_hash, "role": "member", "email_verified_at": now,
          "timezone": "Europe/London"} for n in range(MEMBERS)],
    ).all()
    topic_ids = session.scalars(
        insert(Topic).returning(Topic.id, sort_by_parameter_order=True),
        [{"name": name, "slug": name.lower().replace(" ", "-")} for name in TOPICS],
    ).all()

    rows = []
    for _ in range(EVENTS):
        starts = (_months_from_now(rng.randint(-12, 24))
                  + timedelta(days=rng.randint(0, 27), hours=rng.randint(8, 20), minutes=rng.choice([0, 30])))
        online = rng.random() < 0.6
        rows.append({
            "title": _title(rng), "summary": "Introductions, short talks and questions for mentors and mentees.",
            "description": "Bring a question you would like help with.\n\n## Agenda\n\nTalks, then questions.",
            "starts_at": starts, "ends_at": starts + timedelta(hours=rng.choice([1, 2, 3])),
            "timezone": rng.choice(["Europe/London", "Europe/Paris", "America/New_York"]),
            "format": "online" if online else rng.choice(["in_person", "hybrid"]),
            "join_url": "https://meet.example.org/room" if online else None,
            "venue": None if online else "Community hall, 1 High Street",
            "capacity": rng.choice([None, 20, 30, 40]), "going_count": 0,
            "status": rng.choices(["published", "cancelled", "draft"], [90, 5, 5])[0],
            **{name: rng.random() < 0.25 for name in PROVISION_NAMES},
        })
    # 400 published events get 50 replies each: going up to capacity, then waiting.
    replied = rng.sample([i for i, r in enumerate(rows) if r["status"] == "published"], RSVPS // RSVPS_PER_EVENT)
    plans: dict[int, list[str]] = {}
    for index in replied:
        row = rows[index]
        answers = []
        for _ in range(RSVPS_PER_EVENT):
            if rng.random() < 0.1:
                answers.append("not_going")
            elif row["capacity"] is None or row["going_count"] < row["capacity"]:
                answers.append("going")
                row["going_count"] += 1
            else:
                answers.append("waiting")
        plans[index] = answers
    event_ids = session.scalars(insert(Event).returning(Event.id, sort_by_parameter_order=True), rows).all()
    session.execute(insert(event_host), [{"event_id": i, "user_id": rng.choice(member_ids[:20])}
                                         for i in event_ids if rng.random() < 0.5])
    session.execute(insert(event_topic), [{"event_id": i, "topic_id": t} for i in event_ids if rng.random() < 0.5
                                          for t in rng.sample(topic_ids, rng.randint(1, 2))])
    # Members 0..1499 reply; the last 500 are kept free for the throughput runs.
    repliers = member_ids[: MEMBERS - 500]
    rsvp_rows = []
    queued = now - timedelta(days=30)
    for index, answers in plans.items():
        for user_id, answer in zip(rng.sample(repliers, RSVPS_PER_EVENT), answers, strict=True):
            queued += timedelta(seconds=1)
            rsvp_rows.append({"event_id": event_ids[index], "user_id": user_id, "answer": answer,
                              "queued_at": queued, "needs_captions": rng.random() < 0.1})
    session.execute(insert(Rsvp), rsvp_rows)
    session.commit()

    # The busiest upcoming event with a waiting list, and the busiest coming month.
    busy = session.execute(
        select(Rsvp.event_id, func.count()).join(Event, Event.id == Rsvp.event_id)
        .where(Rsvp.answer == "waiting", Event.starts_at > now)
        .group_by(Rsvp.event_id).order_by(func.count().desc(), Rsvp.event_id).limit(1)
    ).first()
    waiting_member = session.scalar(
        select(Rsvp.user_id).where(Rsvp.event_id == busy[0], Rsvp.answer == "waiting")
        .order_by(Rsvp.queued_at.desc()).limit(1))
    months = [(r["starts_at"].year, r["starts_at"].month) for r in rows
              if r["status"] != "draft" and r["starts_at"] > now]
    busy_month = max(set(months), key=months.count)
    return Built(busy[0], waiting_member, busy_month, list(member_ids[MEMBERS - 500:]),
                 time.perf_counter() - started)


# Measuring


def rsvp_throughput(app, member_ids: list[int], event_id: int, threads: int) -> tuple[float, dict]:
    """Replies per second from ``len(member_ids)`` members, ``threads`` at a time."""
    clients = []
    for user_id in member_ids:
        client = signed_in(app, user_id)
        page = client.get(f"/events/{event_id}").get_data(as_text=True)
        token = re.search(rf'action="/events/{event_id}/rsvp".*?name="csrf_token" value="([^"]+)"', page, re.S)
        assert token, "no RSVP form on the event page"
        clients.append((client, token.group(1)))
    statuses: dict[int, int] = {}
    lock = threading.Lock()
    queue = list(clients)

    def worker() -> None:
        while True:
            with lock:
                if not queue:
                    return
                client, token = queue.pop()
            status = client.post(f"/events/{event_id}/rsvp",
                                 data={"csrf_token": token, "answer": "going", "needs_other": ""}).status_code
            with lock:
                statuses[status] = statuses.get(status, 0) + 1

    started = time.perf_counter()
    workers = [threading.Thread(target=worker) for _ in range(threads)]
    for thread in workers:
        thread.start()
    for thread in workers:
        thread.join()
    return len(member_ids) / (time.perf_counter() - started), statuses


def target_event(app, title: str, capacity: int) -> int:
    from portal.blueprints.events.models import Event
    from portal.core.db import utcnow
    from portal.extensions import db

    with app.app_context():
        starts = utcnow() + timedelta(days=14)
        event = Event(title=title, summary="Throughput target", starts_at=starts, ends_at=starts + timedelta(hours=1),
                      timezone="Europe/London", format="online", join_url="https://meet.example.org/b",
                      capacity=capacity, going_count=0, status="published")
        db.session.add(event)
        db.session.commit()
        return event.id


def consistent(app, event_id: int) -> str:
    from portal.blueprints.events.models import Event, Rsvp
    from portal.extensions import db

    with app.app_context():
        event = db.session.get(Event, event_id)
        rows = dict(db.session.execute(select(Rsvp.answer, func.count()).where(Rsvp.event_id == event_id)
                                       .group_by(Rsvp.answer)).all())
        going = rows.get("going", 0)
        assert going == event.going_count <= event.capacity, f"inconsistent: {rows}, {event.going_count}"
        return f"{going} going, {rows.get('waiting', 0)} waiting, going_count {event.going_count}"


def run(label: str, url: str, out: Callable[[str], None]) -> None:
    from portal import create_app
    from portal import schema
    from portal.extensions import db

    with tempfile.TemporaryDirectory(prefix="portal-bench-instance-") as instance:
        app = create_app(settings(url), instance_path=instance)
        engine = db.state(app).engine
        try:
            schema.upgrade(engine)
            with app.app_context():
                built = build(db.session, random.Random(2026))
            year, month = built.busy_month
            out(f"\n== {label}")
            out(f"built {EVENTS:,} events, {MEMBERS:,} members, {RSVPS:,} RSVPs in {built.seconds:.1f} s")

            anonymous = app.test_client()
            member = signed_in(app, built.waiting_member_id)
            pages = [
                time_page("upcoming list", anonymous, "/events/"),
                time_page("upcoming list, signed in", member, "/events/"),
                time_page("upcoming, filtered, page 3", member, "/events/?topic=careers&format=online&page=3"),
                time_page(f"month view {year}-{month:02d}", member, f"/events/calendar/{year}/{month:02d}"),
                time_page("event page, signed in", member, f"/events/{built.busy_event_id}"),
            ]
            out(f"{'page (' + str(REQUESTS) + ' requests each)':32} {'median':>9} {'p95':>9} {'queries':>8} {'gzip':>8}")
            for t in pages:
                out(f"{t.name:32} {t.median_ms:7.1f}ms {t.p95_ms:7.1f}ms {t.queries:8} {t.compressed:7}B")

            members = built.member_ids
            for threads, chunk in ((1, members[:RSVP_ROUNDS]), (THREADS, members[RSVP_ROUNDS: 2 * RSVP_ROUNDS])):
                event_id = target_event(app, f"RSVP target ({threads} at a time)", capacity=50)
                rate, statuses = rsvp_throughput(app, chunk, event_id, threads)
                out(f"RSVPs, {threads} at a time: {rate:6.1f} per second over {len(chunk)} replies "
                    f"(statuses {statuses}; {consistent(app, event_id)})")
        finally:
            engine.dispose()


def main() -> int:
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    out = print
    out(f"Events benchmark, Python {sys.version.split()[0]}, {os.cpu_count()} CPUs, "
        f"load average {os.getloadavg()[0]:.1f}")
    with sqlite_database() as (label, url):
        run(label, url, out)
    postgres = os.environ.get("PORTAL_BENCH_DATABASE_URL")
    if postgres:
        with postgres_database(postgres) as (label, url):
            run(label, url, out)
    else:
        out("\n(PostgreSQL skipped: set PORTAL_BENCH_DATABASE_URL=postgresql://... to include it)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
