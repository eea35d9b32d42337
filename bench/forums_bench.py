"""Forums benchmark: how fast search and the reading pages are with 100,000 posts.

Builds a throwaway database with 100,000 posts in about 5,000 threads across six
categories (one for mentors only), written by 1,000 members: text drawn from word
lists with Zipf-like frequencies, so a common word is in a good share of the posts
and a rare one in a handful, as in real writing. Thread lengths are skewed (many
short threads, a few long ones, one of 1,000 replies); about 1% of posts are
deleted and a few hidden by moderators. Counts (``post_count``, ``thread_count``,
``last_post_at``, ``last_post_id``) are set as the services would set them, and
every visible post is indexed for search with one ``INSERT ... SELECT`` building
the document ``search.document`` builds (a first post's starts with its thread's
title). On PostgreSQL the tables are then vacuumed and analysed, as autovacuum
would do after such a load.

Then, warm (after one untimed run), it measures:

- search, for about ten kinds of query (common words, rare words, two words,
  phrase-like input, quoted phrases, no match, a deep page): the median and 95th
  percentile time of ``portal.blueprints.forums.search.search`` itself and of the
  ``/forums/search`` page through the Flask test client, signed in, gzip accepted;
- the first, middle and last page of the 1,000-reply thread and of the biggest
  category's thread list, signed in and out, over 50 requests each;

with the SQL statements each page ran (X-Query-Count) and its compressed size,
and says whether search answered in under 200 ms (issue 5: "search over 100,000
posts answers in under 200 ms"), judged on the 95th percentile of the page.

Runs on SQLite (a file in a temporary folder) and, when
``PORTAL_BENCH_DATABASE_URL`` names a PostgreSQL database, also on PostgreSQL in
a sibling database ``<name>_bench`` that is created afresh and dropped at the end
(the named database itself is never touched).

    make bench
    PORTAL_BENCH_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/portal make bench
    python bench/forums_bench.py

This is a benchmark, not a test: it prints figures and asserts only that the data
stayed consistent. Figures depend on the machine and its load.
"""

from __future__ import annotations

import logging
import math
import os
import random
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from itertools import accumulate
from urllib.parse import urlencode

from benchkit import (
    REQUESTS,
    Timing,
    median_ms,
    p95_ms,
    postgres_database,
    settings,
    signed_in,
    sqlite_database,
    time_page,
    vacuum_analyze,
)
from sqlalchemy import func, insert, select, text, update

POSTS = 100_000
THREADS = 5_000
LONG_THREAD_REPLIES = 1_000
MEMBERS = 1_000
SEARCH_RUNS = 30  # per query, for the function and again for the page
SEARCH_BUDGET_MS = 200
CATEGORIES = [  # name, share of the threads, audience
    ("Finding a mentor", 0.40, "members"),
    ("Career change", 0.20, "members"),
    ("Introductions", 0.15, "members"),
    ("Accessibility and inclusion", 0.10, "members"),
    ("Events and circles", 0.10, "members"),
    ("Mentors' lounge", 0.05, "mentors"),
]

# Words by how often people use them: function words first, then the programme's own
# vocabulary, then everyday words; weights fall as 1/rank. RARE words are sprinkled
# into a few posts each, and NEVER are in none.
FUNCTION = """the and to a of I in it you that is for my was on with this have be but as at so we
they what if not can are from about your when do would an or all just there one how had me our
been more them some like really also which think know get out up has their were did will by very
much could any because then than who its should still only even other into after over well too
here those these no yes maybe lot thing things way going feel make made want need time good""".split()
TOPIC = """mentor mentee mentoring session meeting question advice career change role job interview
CV portfolio course bootcamp skills experience feedback confidence goal plan week month team
manager colleague project data design code learning practice help support first year work study
network contact introduction email call video notes listen honest patient kind useful helpful
tricky nervous excited programme match matched pairing circle event workshop talk panel story
resource library reading list apply application offer salary promotion volunteer charity teacher
teaching retail nursing engineering engineer analyst analysis developer spreadsheet presentation
slides deadline hiring recruiter LinkedIn referral internship apprenticeship degree graduate
qualification certificate exam module assignment tutor coach coaching boundaries burnout
wellbeing balance childcare carer parent return break gap redundancy freelance contract
part-time full-time remote hybrid office commute timezone captions transcript screen reader
keyboard dyslexia ADHD autism adjustments accessible accessibility inclusion disability
neurodivergent imposter syndrome anxiety stress energy motivation routine habit journal
reflection milestone progress target objective strengths weaknesses values purpose""".split()
EVERYDAY = """people day days today yesterday tomorrow morning afternoon evening night weekend
home family friend friends school company business money price cost free small big long short
new old young early late quick slow easy hard best better worse great nice happy sad tired busy
quiet loud open closed city town north south east west local online offline phone laptop app
tool tools website page form message chat group room coffee lunch walk train bus car book books
article podcast blog post reply thread forum idea ideas example examples problem problems answer
answers reason reasons story stories chance choice decision step steps start started finish
finished try tried learn learned ask asked tell told say said share shared find found look
looked read wrote write writing speak spoke meet met join joined leave left move moved stay
stayed keep kept remember forget hope hoped worry worried enjoy enjoyed miss missed win lost
thanks thank sorry welcome hello hi cheers advice tips tip list lists plan plans week's month's
spring summer autumn winter holiday birthday weather rain sunshine garden kitchen music film
sport football running cycling swimming cooking baking painting drawing photography""".split()
RARE = """serendipity kintsugi allotment lighthouse violin origami marathon pottery telescope
sourdough glacier orchard lantern compass tapestry harpsichord quokka tessellation palimpsest
zeugma obsidian bagpipes cartography beekeeping calligraphy falconry taxidermy""".split()
NEVER = ["xylophonic", "mentorshipp", "zzyzx"]
WORDS = FUNCTION + TOPIC + EVERYDAY
CUMULATIVE = list(accumulate(1 / (rank + 1) for rank in range(len(WORDS))))

QUERIES = [  # label, what a person types, page
    ("common word", "mentor", 1),
    ("common word, page 10", "mentor", 10),
    ("common word", "interview", 1),
    ("less common word", "apprenticeship", 1),
    ("rare word", "sourdough", 1),
    ("rare word", "falconry", 1),
    ("two words", "career change", 1),
    ("two words", "CV feedback", 1),
    ("phrase-like", "how do I find a mentor?", 1),
    ("quoted phrase", '"first meeting"', 1),
    ("no match", "xylophonic", 1),
    ("no match, typo", "mentorshipp", 1),
]


# Text


def sentence(rng: random.Random) -> str:
    words = rng.choices(WORDS, cum_weights=CUMULATIVE, k=rng.randint(5, 20))
    if rng.random() < 0.01:
        words[rng.randrange(len(words))] = rng.choice(RARE)
    return " ".join(words).capitalize() + rng.choice(".....?!")


def body(rng: random.Random) -> str:
    """One to five short paragraphs, sometimes a list or a quote: about 70 words."""
    paragraphs = [" ".join(sentence(rng) for _ in range(rng.randint(1, 3))) for _ in range(rng.randint(1, 5))]
    if rng.random() < 0.15:
        paragraphs.append("\n".join(f"- {sentence(rng)}" for _ in range(rng.randint(2, 5))))
    if rng.random() < 0.1:
        paragraphs.insert(0, f"> {sentence(rng)}")
    return "\n\n".join(paragraphs)


def title(rng: random.Random) -> str:
    words = rng.choices(TOPIC + EVERYDAY, k=rng.randint(3, 8))
    return (" ".join(words).capitalize() + rng.choice(["?", "", "", " – any advice?"]))[:150]


# Data


def thread_lengths(rng: random.Random) -> list[int]:
    """Posts per thread: skewed like real forums (median about 12, a long tail), summing
    to POSTS with the first thread holding the opening post and 1,000 replies."""
    rest = POSTS - (1 + LONG_THREAD_REPLIES)
    raw = [math.exp(rng.gauss(2.5, 0.9)) for _ in range(THREADS - 1)]
    scale = rest / sum(raw)
    lengths = [max(1, min(600, round(r * scale))) for r in raw]
    while (gap := rest - sum(lengths)) != 0:  # rounding and the caps: settle the difference
        i = rng.randrange(len(lengths))
        if gap > 0 and lengths[i] < 600:
            lengths[i] += 1
        elif gap < 0 and lengths[i] > 1:
            lengths[i] -= 1
    return [1 + LONG_THREAD_REPLIES, *lengths]


@dataclass
class Built:
    long_thread_id: int
    big_category_slug: str
    big_category_threads: int
    member_id: int  # a mentee who reads
    seconds: float
    index_seconds: float


def build(session, rng: random.Random) -> Built:
    """Members, categories, threads and posts in a handful of bulk statements, then the index."""
    from portal.blueprints.accounts import passwords
    from portal.blueprints.accounts.models import User
    from portal.blueprints.forums.models import Category, Post, Thread
    from portal.core.db import utcnow

    started = time.perf_counter()
    shared_hash = passwords.hash_password("bench password 1")  # nobody signs in with it
    now = utcnow()
    member_ids = session.scalars(
        insert(User).returning(User.id, sort_by_parameter_order=True),
        [{"email": f"member{n:05d}@bench.example.org", "display_name": f"Bench Member {n:05d}",
          "password_hash": shared_hash, "role": "member", "email_verified_at": now,
          "timezone": "Europe/London", "participation": rng.choice(["mentee", "mentee", "mentor", "both"])}
         for n in range(MEMBERS)],
    ).all()
    category_ids = session.scalars(
        insert(Category).returning(Category.id, sort_by_parameter_order=True),
        [{"name": name, "slug": name.lower().replace("'", "").replace(" ", "-"), "description": f"About {name.lower()}.",
          "position": n, "audience": audience} for n, (name, _, audience) in enumerate(CATEGORIES)],
    ).all()
    shares = [share for _, share, _ in CATEGORIES]

    threads, posts = [], []
    for n, length in enumerate(thread_lengths(rng)):
        category = category_ids[0] if n == 0 else rng.choices(category_ids, shares)[0]
        opened = now - timedelta(days=rng.uniform(2, 730))
        times = list(accumulate([timedelta(minutes=rng.expovariate(1 / 90)) for _ in range(length - 1)],
                                initial=timedelta(0)))
        times = [min(opened + t, now - timedelta(minutes=length - i)) for i, t in enumerate(times)]
        threads.append({"category_id": category, "title": title(rng), "author_id": rng.choice(member_ids),
                        "post_count": length, "created_at": opened, "last_post_at": times[-1],
                        "pinned": rng.random() < 0.005, "locked": rng.random() < 0.01})
        posts.append([{"number": i, "author_id": rng.choice(member_ids), "body": body(rng), "created_at": when,
                       "helpful_count": rng.choices([0, 1, 2, 5], [80, 12, 6, 2])[0],
                       "deleted_at": when + timedelta(hours=1) if i > 1 and rng.random() < 0.01 else None,
                       "hidden_at": when + timedelta(hours=2) if i > 1 and rng.random() < 0.002 else None}
                      for i, when in enumerate(times, start=1)])
    thread_ids = session.scalars(insert(Thread).returning(Thread.id, sort_by_parameter_order=True), threads).all()
    rows = [{**post, "thread_id": thread_id} for thread_id, thread_posts in zip(thread_ids, posts, strict=True)
            for post in thread_posts]
    for chunk in range(0, len(rows), 10_000):
        session.execute(insert(Post), rows[chunk:chunk + 10_000])

    # What the services keep in step: each thread's last post, each category's counts.
    newest = select(Post.thread_id, func.max(Post.id).label("id")).group_by(Post.thread_id).subquery()
    session.execute(update(Thread).where(Thread.id == newest.c.thread_id).values(last_post_id=newest.c.id)
                    .execution_options(synchronize_session=False))
    per_category = (select(Thread.category_id, func.count().label("threads"), func.sum(Thread.post_count).label("posts"),
                           func.max(Thread.last_post_at).label("at")).group_by(Thread.category_id).subquery())
    session.execute(update(Category).where(Category.id == per_category.c.category_id).values(
        thread_count=per_category.c.threads, post_count=per_category.c.posts, last_post_at=per_category.c.at,
    ).execution_options(synchronize_session=False))
    session.commit()
    built_at = time.perf_counter()

    index_all(session)
    session.commit()
    check(session)
    big = session.execute(select(Category.slug, Category.thread_count).order_by(Category.thread_count.desc())
                          .limit(1)).one()
    reader = session.scalar(select(User.id).where(User.participation == "mentee").order_by(User.id).limit(1))
    return Built(thread_ids[0], big.slug, big.thread_count, reader, built_at - started,
                 time.perf_counter() - built_at)


def index_all(session) -> None:
    """Every visible post into the search index, in one statement (as ``search.index_post``
    would, one post at a time)."""
    document = "CASE WHEN p.number = 1 THEN t.title || :newline || p.body ELSE p.body END"
    source = ("FROM forum_post p JOIN forum_thread t ON t.id = p.thread_id "
              "WHERE p.deleted_at IS NULL AND p.hidden_at IS NULL")
    if session.get_bind().dialect.name == "postgresql":
        sql = f"INSERT INTO forum_search (post_id, document) SELECT p.id, to_tsvector('english', {document}) {source}"
    else:
        sql = f"INSERT INTO forum_search_fts (rowid, document) SELECT p.id, {document} {source}"
    session.execute(text(sql), {"newline": "\n"})


def check(session) -> None:
    """The counts agree with the rows, and every visible post is indexed."""
    from portal.blueprints.forums.models import Category, Post, Thread

    assert session.scalar(select(func.count()).select_from(Post)) == POSTS
    assert session.scalar(select(func.sum(Category.post_count))) == POSTS
    assert session.scalar(select(func.sum(Category.thread_count))) == THREADS
    per_thread = (select(Post.thread_id, func.count().label("n"), func.max(Post.number).label("top"),
                         func.max(Post.id).label("last")).group_by(Post.thread_id).subquery())
    wrong = session.scalar(select(func.count()).select_from(Thread).join(per_thread, per_thread.c.thread_id == Thread.id)
                           .where((Thread.post_count != per_thread.c.n) | (Thread.post_count != per_thread.c.top)
                                  | (Thread.last_post_id != per_thread.c.last)))
    assert wrong == 0, f"{wrong} threads with wrong counts"
    table = "forum_search" if session.get_bind().dialect.name == "postgresql" else "forum_search_fts"
    visible = session.scalar(select(func.count()).select_from(Post)
                             .where(Post.deleted_at.is_(None), Post.hidden_at.is_(None)))
    assert session.scalar(text(f"SELECT count(*) FROM {table}")) == visible


# Measuring


@dataclass
class SearchTiming:
    label: str
    query: str
    page: int
    matches: str
    function: list[float]
    page_timing: Timing


def time_search(app, member, member_id: int, label: str, query: str, page: int) -> SearchTiming:
    """``search.search`` as the page calls it (the member's visible categories), then the page."""
    from portal.blueprints.accounts.models import User
    from portal.blueprints.forums import queries, search
    from portal.extensions import db

    with app.app_context():
        user = db.session.get(User, member_id)
        visible = [c.id for c in queries.visible_categories(db.session, user)]
        found = search.search(db.session, query, visible, page)  # warm
        matches = f"{found.total:,}+" if found.more else f"{found.total:,}"
        times = []
        for _ in range(SEARCH_RUNS):
            started = time.perf_counter()
            search.search(db.session, query, visible, page)
            times.append(time.perf_counter() - started)
        db.session.rollback()
    url = "/forums/search?" + urlencode({"q": query, **({"page": page} if page > 1 else {})})
    return SearchTiming(label, query, page, matches, times, time_page(label, member, url, SEARCH_RUNS))


def run(label: str, url: str, out: Callable[[str], None]) -> bool:
    """Build, measure and print; True when every search page answered in budget."""
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
            vacuum_analyze(engine)
            out(f"\n== {label}")
            out(f"built {POSTS:,} posts in {THREADS:,} threads ({len(CATEGORIES)} categories, {MEMBERS:,} members) "
                f"in {built.seconds:.1f} s; indexed for search in {built.index_seconds:.1f} s")

            member = signed_in(app, built.member_id)
            anonymous = app.test_client()
            searches = [time_search(app, member, built.member_id, name, query, page)
                        for name, query, page in QUERIES]
            out(f"\nsearch, signed in ({SEARCH_RUNS} runs each)                  "
                f"search()            /forums/search page")
            out(f"{'query':44} {'matches':>7} {'median':>8} {'p95':>8}   {'median':>8} {'p95':>8} {'queries':>7} {'gzip':>7}")
            for s in searches:
                shown = f"{s.label}: {s.query}"[:44]
                out(f"{shown:44} {s.matches:>7} {median_ms(s.function):6.1f}ms {p95_ms(s.function):6.1f}ms   "
                    f"{median_ms(s.page_timing.times):6.1f}ms {p95_ms(s.page_timing.times):6.1f}ms "
                    f"{s.page_timing.queries:7} {s.page_timing.compressed:6}B")

            thread_pages = -(-(1 + LONG_THREAD_REPLIES) // 20)
            category_pages = -(-built.big_category_threads // 20)
            thread, category = f"/forums/t/{built.long_thread_id}", f"/forums/c/{built.big_category_slug}/"
            pages = []
            for who, client in (("signed in", member), ("signed out", anonymous)):
                pages += [
                    time_page(f"thread, page 1, {who}", client, thread),
                    time_page(f"thread, page {(thread_pages + 1) // 2}, {who}", client,
                              f"{thread}?page={(thread_pages + 1) // 2}"),
                    time_page(f"thread, page {thread_pages} (last), {who}", client, f"{thread}?page={thread_pages}"),
                    time_page(f"category, page 1, {who}", client, category),
                    time_page(f"category, page {(category_pages + 1) // 2}, {who}", client,
                              f"{category}?page={(category_pages + 1) // 2}"),
                    time_page(f"category, page {category_pages} (last), {who}", client,
                              f"{category}?page={category_pages}"),
                    time_page(f"forums index, {who}", client, "/forums/"),
                ]
            out(f"\n{'page (' + str(REQUESTS) + ' requests each; thread of ' + str(LONG_THREAD_REPLIES) + ' replies, category of ' + format(built.big_category_threads, ',') + ' threads)':78}")
            out(f"{'':44} {'median':>8} {'p95':>8} {'queries':>7} {'gzip':>7}")
            for t in pages:
                out(f"{t.name:44} {median_ms(t.times):6.1f}ms {p95_ms(t.times):6.1f}ms {t.queries:7} {t.compressed:6}B")

            slowest_page = max(searches, key=lambda s: p95_ms(s.page_timing.times))
            slowest_function = max(searches, key=lambda s: p95_ms(s.function))
            within = p95_ms(slowest_page.page_timing.times) < SEARCH_BUDGET_MS
            out(f"\nsearch under {SEARCH_BUDGET_MS} ms on {label}: {'YES' if within else 'NO'} "
                f"(slowest p95: page {p95_ms(slowest_page.page_timing.times):.1f} ms for "
                f"{slowest_page.label} “{slowest_page.query}”; search() {p95_ms(slowest_function.function):.1f} ms "
                f"for {slowest_function.label} “{slowest_function.query}”)")
            return within
        finally:
            engine.dispose()


def main() -> int:
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    out = print
    started = datetime.now(UTC)
    out(f"Forums benchmark, Python {sys.version.split()[0]}, {os.cpu_count()} CPUs "
        f"({len(os.sched_getaffinity(0))} usable by this process), load average {os.getloadavg()[0]:.1f}")
    verdicts = {}
    with sqlite_database() as (label, url):
        verdicts[label] = run(label, url, out)
    postgres = os.environ.get("PORTAL_BENCH_DATABASE_URL")
    if postgres:
        with postgres_database(postgres) as (label, url):
            verdicts[label] = run(label, url, out)
    else:
        out("\n(PostgreSQL skipped: set PORTAL_BENCH_DATABASE_URL=postgresql://... to include it)")
    out(f"\nSearch over {POSTS:,} posts under {SEARCH_BUDGET_MS} ms (p95 of the page): "
        + "; ".join(f"{label} {'yes' if ok else 'no'}" for label, ok in verdicts.items())
        + f". Took {(datetime.now(UTC) - started).total_seconds():.0f} s in all.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
