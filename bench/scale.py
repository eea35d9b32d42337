"""Scale benchmark (issue 12): the key pages with a large community, served as in
production, driven over loopback.

1. Builds the data through the portal's own services (``--scale 1``: 50,000 members,
   10,000 events with 200,000 replies, 20,000 threads with 400,000 posts), so counts,
   rendered Markdown, search entries, reading markers and confirmation emails are what
   the portal itself writes. Only the accounts are inserted directly, sharing one
   password hash: hashing 50,000 passwords with argon2 would take most of an hour and
   measures nothing a page does. The built database is kept (a SQLite file under
   ``bench/.data/``, or the PostgreSQL database named) and used again when its size
   matches; ``--rebuild`` starts afresh.
2. Serves it with gunicorn (two sync workers, production settings, query counts exposed)
   and, for each key page, signed out and signed in, measures with wrk (Debian's, which
   ``make install-test`` installs) for ``--seconds`` at 1 and at 16 connections:
   requests per second and the 50th, 95th and 99th percentile latency; plus the SQL
   statements one request runs and the bytes a first visit downloads (the page and its
   styles and scripts, compressed) and a repeat visit (the page alone: styles and scripts
   are cached for a year). ``/health``, which touches no database, is the ceiling of this
   stack; each page's throughput is also given as a share of it.
3. Times the thread page in-process (the Flask test client, no server), signed out and
   in: the figure that shows what the page itself costs.

    python bench/scale.py --scale 0.1                     # SQLite, a tenth of the size
    python bench/scale.py --database postgresql://postgres@127.0.0.1:5432/portal_scale

This prints figures; it asserts only that the pages answered. Record results, with the
machine they came from, in BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import gzip
import http.client
import os
import platform
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchkit import time_page, vacuum_analyze  # noqa: E402
from deploy.stack import free_port, wait_for_port  # noqa: E402

FULL = {"members": 50_000, "events": 10_000, "rsvps": 200_000, "threads": 20_000, "posts": 400_000}
PASSWORD = "bench password 1"
SIGNED_IN_EMAIL = "member00000@bench.example.org"
WRK_SCRIPT = ROOT / "bench" / "percentiles.lua"
WORDS = ("mentor mentee session meeting question advice career change role interview portfolio course "
         "skills experience feedback confidence goal plan week month data design product research "
         "the and to a of in you it for is that my was with on this have be but as at so we they "
         "what if not can are from about your when do would an or all just there one how had").split()


def sizes(scale: float) -> dict[str, int]:
    return {name: max(1, int(count * scale)) for name, count in FULL.items()}


# Building


def sentence(rng: random.Random) -> str:
    return " ".join(rng.choices(WORDS, k=rng.randint(6, 18))).capitalize() + "."


def body(rng: random.Random) -> str:
    paragraphs = [" ".join(sentence(rng) for _ in range(rng.randint(1, 3))) for _ in range(rng.randint(1, 3))]
    if rng.random() < 0.2:
        paragraphs.append("\n".join(f"- {sentence(rng)}" for _ in range(3)))
    if rng.random() < 0.1:
        paragraphs.insert(0, f"> {sentence(rng)}")
    return "\n\n".join(paragraphs)


def build(app, want: dict[str, int], rng: random.Random, out) -> None:
    from sqlalchemy import insert

    from portal.blueprints.accounts import passwords
    from portal.blueprints.accounts.models import User
    from portal.blueprints.events import services as events
    from portal.blueprints.events.models import PROVISION_NAMES
    from portal.blueprints.forums import services as forums
    from portal.core.db import utcnow
    from portal.extensions import db

    started = time.monotonic()
    session = db.session
    shared_hash = passwords.hash_password(PASSWORD)
    now = utcnow()
    member_ids = session.scalars(insert(User).returning(User.id, sort_by_parameter_order=True), [
        {"email": f"member{n:05d}@bench.example.org", "display_name": f"Bench Member {n:05d}",
         "password_hash": shared_hash, "role": "manager" if n < 10 else "member", "email_verified_at": now,
         "created_at": now - timedelta(days=400),  # past the limits on new accounts
         "timezone": rng.choice(["Europe/London", "Europe/Paris", "America/New_York", "Asia/Kolkata"])}
        for n in range(want["members"])]).all()
    session.commit()
    out(f"  {len(member_ids):,} members in {time.monotonic() - started:.0f} s")

    hosts = [session.get(User, i) for i in member_ids[:10]]
    event_ids = []
    for n in range(want["events"]):
        starts = (now + timedelta(days=rng.randint(1, 365), hours=rng.randint(0, 23))).replace(
            minute=0, second=0, microsecond=0)
        online = rng.random() < 0.6
        values = {"title": f"{rng.choice(['Talk', 'Workshop', 'Meet-up', 'Clinic'])}: {sentence(rng)[:80]}",
                  "summary": sentence(rng)[:300], "description": body(rng), "agenda": "1. Welcome\n2. Talks\n3. Questions",
                  "starts_at": starts, "ends_at": starts + timedelta(hours=rng.choice([1, 2])),
                  "timezone": "Europe/London", "format": "online" if online else "in_person",
                  "join_url": "https://meet.example.org/room" if online else None,
                  "venue": None if online else "Community hall, 1 High Street",
                  "capacity": rng.choice([None, 20, 40, 60]), "rsvp_deadline": None, "access_notes": "",
                  **{name: rng.random() < 0.3 for name in PROVISION_NAMES}}
        event = events.create_event(session, events.EventData(values, [rng.choice(hosts)], [rng.choice(WORDS)]),
                                    hosts[0])
        events.publish(session, event)
        event_ids.append(event.id)
        if n % 500 == 499:
            session.commit()
    session.commit()
    out(f"  {len(event_ids):,} events in {time.monotonic() - started:.0f} s")

    from portal.blueprints.events.models import Event

    replied = 0
    per_event = max(1, want["rsvps"] // len(event_ids))
    for event_id in event_ids:
        event = session.get(Event, event_id)
        for user_id in rng.sample(member_ids[10:], min(per_event, len(member_ids) - 10)):
            events.rsvp(session, event, session.get(User, user_id), rng.random() > 0.1, events.Needs())
            replied += 1
        session.commit()
        session.expunge_all()  # what was written stays written; the session stays small
    out(f"  {replied:,} replies in {time.monotonic() - started:.0f} s")

    categories = [forums.save_category(session, None, name=name, description=sentence(rng), audience="members",
                                       position=n).id
                  for n, name in enumerate(["Introductions", "Finding a mentor", "Career change", "Learning",
                                            "Events and meet-ups", "Off topic"])]
    session.commit()
    posts = 0
    replies_each = max(0, want["posts"] // want["threads"] - 1)
    from portal.blueprints.forums.models import Category

    author = lambda: session.get(User, rng.choice(member_ids))  # noqa: E731
    for n in range(want["threads"]):
        when = now - timedelta(days=rng.uniform(1, 365))
        thread = forums.start_thread(session, session.get(Category, rng.choice(categories)), author(),
                                     sentence(rng)[:120], body(rng), now=when, notify=False)
        posts += 1
        for _ in range(replies_each):
            when += timedelta(minutes=rng.randint(1, 600))
            forums.reply(session, thread, author(), body(rng), now=min(when, now), notify=False)
            posts += 1
        if n % 50 == 49:
            session.commit()
            session.expunge_all()
    session.commit()
    out(f"  {want['threads']:,} threads with {posts:,} posts in {time.monotonic() - started:.0f} s")


def built_sizes(app) -> dict[str, int]:
    from sqlalchemy import func, select

    from portal.blueprints.accounts.models import User
    from portal.blueprints.events.models import Event, Rsvp
    from portal.blueprints.forums.models import Post, Thread
    from portal.extensions import db

    count = lambda model: db.session.scalar(select(func.count()).select_from(model))  # noqa: E731
    return {"members": count(User), "events": count(Event), "rsvps": count(Rsvp), "threads": count(Thread),
            "posts": count(Post)}


# Serving and measuring


@dataclass
class Load:
    rps: float
    p50: float
    p95: float
    p99: float


def environment(database_url: str, port: int) -> dict[str, str]:
    return {**os.environ, "PORTAL_ENV_NAME": "production", "DATABASE_URL": database_url,
            "SECRET_KEY": "bench-secret-key-long-enough-to-be-accepted-0123456789",
            "PORTAL_BASE_URL": f"http://127.0.0.1:{port}", "PORTAL_RATELIMIT_ENABLED": "no",
            "PORTAL_EXPOSE_QUERY_COUNT": "yes", "PYTHONPATH": str(ROOT), "PORTAL_BIND": f"127.0.0.1:{port}",
            "REDIS_URL": ""}


def request(port: int, path: str, cookie: str = "", form: dict | None = None) -> http.client.HTTPResponse:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    headers = {"Accept-Encoding": "gzip", **({"Cookie": cookie} if cookie else {})}
    if form is not None:
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    connection.request("POST" if form is not None else "GET", path, body=urlencode(form) if form else None,
                       headers=headers)
    response = connection.getresponse()
    response.body = response.read()
    connection.close()
    return response


def sign_in(port: int) -> str:
    page = request(port, "/sign-in")
    cookie = page.headers["Set-Cookie"].split(";")[0]
    token = re.search(rb'name="csrf_token" value="([^"]+)"', gzip.decompress(page.body)).group(1).decode()
    done = request(port, "/sign-in", cookie, {"csrf_token": token, "email": SIGNED_IN_EMAIL, "password": PASSWORD})
    assert done.status == 303, f"signing in answered {done.status}"
    return done.headers["Set-Cookie"].split(";")[0]


def wrk_url(url: str, connections: int, seconds: int, cookie: str = "") -> Load:
    """Drive ``url`` with wrk: ``connections`` at once (on up to two threads) for ``seconds``."""
    command = ["wrk", "-t", str(min(connections, 2)), "-c", str(connections), "-d", f"{seconds}s",
               "-s", str(WRK_SCRIPT), "-H", "Accept-Encoding: gzip"]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    output = subprocess.run([*command, url], check=True, capture_output=True, text=True).stdout
    figures = dict(re.findall(r"^(\w+) ([\d.]+)$", output, re.M))
    if float(figures.get("errors", 0)):
        raise RuntimeError(f"{url}: {figures['errors']} requests failed or were not 2xx/3xx")
    return Load(float(figures["rps"]), float(figures["p50"]) / 1000, float(figures["p95"]) / 1000,
                float(figures["p99"]) / 1000)


def wrk(port: int, path: str, connections: int, seconds: int, cookie: str) -> Load:
    return wrk_url(f"http://127.0.0.1:{port}{path}", connections, seconds, cookie)


def first_visit_bytes(port: int, page: http.client.HTTPResponse, cookie: str) -> int:
    html = gzip.decompress(page.body) if page.headers.get("Content-Encoding") == "gzip" else page.body
    assets = set(re.findall(rb'(?:href|src)="(/assets/[^"]+)"', html))
    return len(page.body) + sum(len(request(port, asset.decode(), cookie).body) for asset in assets)


def key_pages(app) -> list[tuple[str, str]]:
    from sqlalchemy import func, select

    from portal.blueprints.events.models import Event
    from portal.blueprints.forums.models import Category, Thread
    from portal.extensions import db

    event_id = db.session.scalar(select(Event.id).order_by(Event.starts_at).limit(1))
    category = db.session.scalar(select(Category.slug).order_by(Category.thread_count.desc()).limit(1))
    # A thread of about 20 posts, the page size.
    thread_id = db.session.scalar(select(Thread.id).order_by(func.abs(Thread.post_count - 20), Thread.id).limit(1))
    db.session.remove()  # outside a request SQLite transactions hold the write lock: end this one
    return [("home", "/"), ("events list", "/events/"), ("event", f"/events/{event_id}"),
            ("forums index", "/forums/"), ("category", f"/forums/c/{category}/"),
            ("thread", f"/forums/t/{thread_id}"), ("search", "/forums/search?q=mentor+advice")]


def in_process(app, path: str, cookie: str, runs: int = 200) -> float:
    """The p50 in milliseconds of ``path`` through the Flask test client, no server between."""
    client = app.test_client()
    if cookie:
        name, _, value = cookie.partition("=")
        client.set_cookie(name, value)
    return time_page(path, client, path, runs).median_ms


def measure(app, database_url: str, seconds: int, out) -> None:
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "gunicorn", "-c", str(ROOT / "deploy" / "gunicorn.conf.py")],
                              cwd=ROOT, env=environment(database_url, port), stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    try:
        wait_for_port(port, server)
        cookie = sign_in(port)
        pages = key_pages(app)
        health = {c: wrk(port, "/health", c, seconds, "") for c in (1, 16)}
        out(f"\n  ceiling (/health): {health[1].rps:,.0f} req/s at 1 connection, {health[16].rps:,.0f} at 16")
        out(f"\n  {'page':<13} {'who':<10} {'conns':>5} {'req/s':>8} {'share':>6} {'p50 ms':>7} {'p95 ms':>7} "
            f"{'p99 ms':>7} {'SQL':>4} {'first KB':>9} {'repeat KB':>9}")
        for name, path in pages:
            for who, session_cookie in (("signed out", ""), ("signed in", cookie)):
                page = request(port, path, session_cookie)
                assert page.status == 200, f"{path} answered {page.status}"
                queries = page.headers["X-Query-Count"]
                first, repeat = first_visit_bytes(port, page, session_cookie) / 1024, len(page.body) / 1024
                for connections in (1, 16):
                    load = wrk(port, path, connections, seconds, session_cookie)
                    out(f"  {name:<13} {who:<10} {connections:>5} {load.rps:>8,.0f} "
                        f"{load.rps / health[connections].rps:>6.0%} {load.p50:>7.1f} {load.p95:>7.1f} "
                        f"{load.p99:>7.1f} {queries:>4} {first:>9.1f} {repeat:>9.1f}")
        thread = dict(pages)["thread"]
        out(f"\n  thread page in-process (test client, p50 of 200): signed out "
            f"{in_process(app, thread, ''):.2f} ms, signed in {in_process(app, thread, cookie):.2f} ms")
    finally:
        server.terminate()
        try:
            server.wait(15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", type=float, default=1.0, help="a share of the full size (default 1)")
    parser.add_argument("--database", help="a PostgreSQL URL (default: a SQLite file under bench/.data/)")
    parser.add_argument("--seconds", type=int, default=5, help="how long wrk drives each page and level")
    parser.add_argument("--rebuild", action="store_true", help="build the data again even if it is there")
    options = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed: make install-test installs it (Debian's wrk)")
    want = sizes(options.scale)
    if options.database:
        database_url = options.database
    else:
        folder = ROOT / "bench" / ".data"
        folder.mkdir(exist_ok=True)
        database_url = f"sqlite:///{folder}/scale-{options.scale:g}.sqlite3"

    from portal import create_app, schema
    from portal.extensions import db

    def out(line: str) -> None:
        print(line, flush=True)

    with tempfile.TemporaryDirectory() as instance:
        app = create_app({"ENV_NAME": "testing", "TESTING": True, "SECRET_KEY": environment("", 0)["SECRET_KEY"],
                          "DATABASE_URL": database_url, "RATELIMIT_ENABLED": False, "BASE_URL": "http://bench",
                          "SERVER_NAME": None, "MAIL_IN_PROCESS": False, "EXPOSE_QUERY_COUNT": True},
                         instance_path=instance)
        with app.app_context():
            if options.rebuild:
                schema.downgrade(db.engine, "base")
            schema.upgrade(db.engine)
            have = built_sizes(app)
            out(f"Scale benchmark on {db.engine.dialect.name}, {platform.processor() or platform.machine()}, "
                f"{os.cpu_count()} cores, Python {platform.python_version()}")
            if have["members"] != want["members"]:
                if have["members"]:
                    sys.exit(f"{database_url} holds other data ({have}); pass --rebuild to replace it")
                out(f"Building {want} through the services:")
                build(app, want, random.Random(12), out)
                have = built_sizes(app)
            out(f"Data: {', '.join(f'{count:,} {name}' for name, count in have.items())}")
            db.session.remove()
            vacuum_analyze(db.engine)
            measure(app, database_url, options.seconds, out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
