"""Budgets of the forum pages (DESIGN.md, issue 5): at most 10 SQL statements a request,
the same for a thread of 30 replies as of 1,000 and for a category of 30 threads as of
10,000, signed in and signed out; and HTML + CSS within 14 KB compressed.

Pages measured: the forums index, a category's thread list (first, middle and last
page), a thread (first, middle and last page) and a search for a common word (first
and second page of results).

Statements are counted with a ``before_cursor_execute`` listener on the app's engine,
only while the request runs; the test's own session is committed and emptied first,
so the request loads everything itself as it would in production. Every statement
counts, including the SAVEPOINTs that stand in for BEGIN here.

The bulk data goes in with a handful of ``insert`` statements inside the test's
transaction: threads and posts with their numbers, ``post_count``, ``thread_count``,
``last_post_at`` and ``last_post_id`` as the services would have set them, and the
posts indexed for search by one ``INSERT ... SELECT`` that builds the same document
as ``search.document`` (a first post's document starts with its thread's title).
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from itertools import accumulate

import pytest
from sqlalchemy import delete, func, insert, select, text, update

from portal.blueprints.accounts.models import User
from portal.blueprints.forums.models import (
    Audience,
    Category,
    CategorySubscription,
    Helpful,
    Post,
    Thread,
    ThreadRead,
    ThreadSubscription,
)
from portal.blueprints.notifications.models import Notification
from portal.core.db import utcnow
from portal.core.rendered import stored_html
from portal.core.routing import path_for
from portal.core.text import RENDERER_VERSION
from tests.blueprints.accounts.factories import make_user, sign_in
from tests.budget import CSS, QUERY_BUDGET, WEIGHT_BUDGET, Measure, compressed, measure
from tests.helpers import Browser

SMALL_REPLIES, LARGE_REPLIES = 30, 1_000
SMALL_THREADS, LARGE_THREADS = 30, 10_000
SEARCH_WORD = "mentor"
MENTIONABLE = ("Amara Okafor", "Chen Wei", "Jo Taylor")  # in most posts: many pages of results


# Text: words drawn with Zipf-like weights, so pages compress like real writing, not better.

COMMON = ("the and to a of I in you it for is that my was with on this have be but as at so "
          "we they what if not can are from about your when do would an or all just there "
          "one how had me our been more them some like really also which think know get").split()
TOPIC = ("mentor mentee session meeting question advice career change role job interview CV "
         "portfolio course bootcamp skills experience feedback confidence goal plan week month "
         "team manager colleague project data design code learning practice help support time "
         "first year work study network contact introduction email call video notes listen "
         "honest patient kind useful helpful tricky nervous excited tired busy quiet early "
         "late weekly fortnightly monthly remote hybrid office evening morning weekend "
         "accessibility captions screen reader adjustments dyslexia keyboard deadline hiring "
         "salary promotion volunteer charity teaching retail nursing engineering analysis "
         "spreadsheet presentation workshop event circle story resource library reading").split()
RARE = ("serendipity kintsugi fortnight allotment bicycle harbour lighthouse violin origami "
        "marathon pottery telescope sourdough glacier orchard lantern compass tapestry").split()
WORDS = COMMON + TOPIC + RARE
CUMULATIVE = list(accumulate(1 / (rank + 1) ** 0.9 for rank in range(len(WORDS))))


def _sentence(rng: random.Random) -> str:
    words = rng.choices(WORDS, cum_weights=CUMULATIVE, k=rng.randint(6, 18))
    if rng.random() < 0.5:  # the forum is about mentoring: most posts say so
        words[rng.randrange(len(words))] = SEARCH_WORD
    return " ".join(words).capitalize() + rng.choice([".", ".", ".", "?", "!"])


def _body(rng: random.Random) -> str:
    """One to four short paragraphs, sometimes a list, a quote or a mention, like forum posts."""
    paragraphs = [" ".join(_sentence(rng) for _ in range(rng.randint(1, 3))) for _ in range(rng.randint(1, 4))]
    if rng.random() < 0.15:
        paragraphs.append("\n".join(f"- {_sentence(rng)}" for _ in range(rng.randint(2, 4))))
    if rng.random() < 0.1:
        paragraphs.insert(0, f"> {_sentence(rng)}")
    if rng.random() < 0.2:  # mentions: each page looks up the people it names
        paragraphs.append(f"Thanks @{rng.choice([*MENTIONABLE, 'Someone Unknown'])}!")
    return "\n\n".join(paragraphs)


def _title(rng: random.Random) -> str:
    words = rng.choices(TOPIC, k=rng.randint(3, 7))
    return (" ".join(words).capitalize() + rng.choice(["?", "", "", " – advice please"]))[:150]


# Data, in bulk


def _index_posts_after(session, post_id: int) -> None:
    """Index every post with an id above ``post_id``, as ``search.index_post`` would."""
    document = "CASE WHEN p.number = 1 THEN t.title || :newline || p.body ELSE p.body END"
    source = "FROM forum_post p JOIN forum_thread t ON t.id = p.thread_id WHERE p.id > :after"
    if session.get_bind().dialect.name == "postgresql":
        sql = f"INSERT INTO forum_search (post_id, document) SELECT p.id, to_tsvector('english', {document}) {source}"
    else:
        sql = f"INSERT INTO forum_search_fts (rowid, document) SELECT p.id, {document} {source}"
    session.execute(text(sql), {"newline": "\n", "after": post_id})


def _post_row(thread_id: int, number: int, author_id: int, body: str, when, people: dict[str, str]) -> dict:
    """A post as the services would write it, rendered HTML included (plain inserts skip
    the rendering that a flush does)."""
    return {"thread_id": thread_id, "number": number, "author_id": author_id, "body": body,
            "body_html": stored_html(body, people), "markdown_version": RENDERER_VERSION,
            "created_at": when, "helpful_count": 0}


def _known_people(session) -> dict[str, str]:
    """The people the posts may @mention, as ``Post.markdown_mentions`` would find them."""
    return {name.lower(): path_for("accounts.profile", user_id=user_id) for name, user_id in session.execute(
        select(User.display_name, User.id).where(User.display_name.in_(MENTIONABLE)))}


def _last_post_id(session) -> int:
    return session.scalar(select(func.coalesce(func.max(Post.id), 0)))


def _add_threads(session, category: Category, count: int, authors: list[int], rng: random.Random) -> None:
    """``count`` threads of 1 to 4 posts each, active over the past year."""
    last_post, people = _last_post_id(session), _known_people(session)
    now = utcnow()
    plans = []
    for _ in range(count):
        started = now - timedelta(days=rng.uniform(1, 365))
        gaps = [timedelta(hours=rng.uniform(0.5, 20)) for _ in range(rng.choices([1, 2, 3, 4], [4, 3, 2, 1])[0] - 1)]
        times = [started + gap for gap in accumulate(gaps, initial=timedelta(0))]
        plans.append((started, [t for t in times if t < now]))
    thread_ids = session.scalars(
        insert(Thread).returning(Thread.id, sort_by_parameter_order=True),
        [{"category_id": category.id, "title": _title(rng), "author_id": rng.choice(authors),
          "post_count": len(times), "created_at": started, "last_post_at": times[-1]}
         for started, times in plans],
    ).all()
    session.execute(insert(Post), [
        _post_row(thread_id, number, rng.choice(authors), _body(rng), when, people)
        for thread_id, (_, times) in zip(thread_ids, plans, strict=True)
        for number, when in enumerate(times, start=1)
    ])
    _finish(session, category, last_post)


def _add_replies(session, thread: Thread, count: int, authors: list[int], rng: random.Random) -> None:
    """``count`` more replies to ``thread``, numbered on from its last, a few minutes apart."""
    last_post, people = _last_post_id(session), _known_people(session)
    first = thread.post_count + 1
    when = thread.last_post_at
    rows = []
    for number in range(first, first + count):
        when += timedelta(minutes=rng.randint(1, 30))
        rows.append(_post_row(thread.id, number, rng.choice(authors), _body(rng), when, people))
    session.execute(insert(Post), rows)
    session.execute(update(Thread).where(Thread.id == thread.id)
                    .values(post_count=Thread.post_count + count, last_post_at=when))
    _finish(session, thread.category, last_post)


def _finish(session, category: Category, last_post: int) -> None:
    """What the services keep in step: each thread's last post, the category's counts, the index."""
    newest = (select(Post.thread_id, func.max(Post.id).label("id")).where(Post.id > last_post)
              .group_by(Post.thread_id).subquery())
    session.execute(update(Thread).where(Thread.id == newest.c.thread_id).values(last_post_id=newest.c.id)
                    .execution_options(synchronize_session=False))
    threads = select(Thread).where(Thread.category_id == category.id).subquery()
    session.execute(update(Category).where(Category.id == category.id).values(
        thread_count=select(func.count()).select_from(threads).scalar_subquery(),
        post_count=select(func.coalesce(func.sum(threads.c.post_count), 0)).scalar_subquery(),
        last_post_at=select(func.max(threads.c.last_post_at)).scalar_subquery(),
    ).execution_options(synchronize_session=False))
    _index_posts_after(session, last_post)
    session.commit()
    session.expire_all()


def _assert_consistent(session, world: World) -> None:
    """Every category's and thread's counts match the rows, and every post is indexed."""
    session.expire_all()
    per_thread = select(Post.thread_id, func.count().label("n"), func.max(Post.number).label("top"),
                        func.max(Post.id).label("last"), func.max(Post.created_at).label("at")
                        ).group_by(Post.thread_id).subquery()
    wrong_threads = session.scalar(
        select(func.count()).select_from(Thread).join(per_thread, per_thread.c.thread_id == Thread.id)
        .where((Thread.post_count != per_thread.c.n) | (Thread.post_count != per_thread.c.top)
               | (Thread.last_post_id != per_thread.c.last) | (Thread.last_post_at != per_thread.c.at)))
    assert wrong_threads == 0
    per_category = select(Thread.category_id, func.count().label("n"), func.sum(Thread.post_count).label("posts")
                          ).group_by(Thread.category_id).subquery()
    wrong_categories = session.scalar(
        select(func.count()).select_from(Category).join(per_category, per_category.c.category_id == Category.id)
        .where((Category.thread_count != per_category.c.n) | (Category.post_count != per_category.c.posts)))
    assert wrong_categories == 0
    indexed = "forum_search" if session.get_bind().dialect.name == "postgresql" else "forum_search_fts"
    assert session.scalar(text(f"SELECT count(*) FROM {indexed}")) == session.scalar(
        select(func.count()).select_from(Post))


@dataclass(frozen=True)
class World:
    """Ids only: the test's session is emptied before every measured request."""

    member_id: int
    category_id: int  # the category whose thread list is measured
    thread_id: int  # the thread whose pages are measured
    authors: list[int]


@pytest.fixture
def world(session) -> World:
    rng = random.Random(5)
    member = make_user(session, display_name="Measured Member")
    authors = [make_user(session, display_name=name).id for name in (
        "Amara Okafor", "Ben Carter", "Chen Wei", "Dana Kowalska", "Eli Mensah", "Fatima Rahman",
        "Gus Johansson", "Hina Saeed", "Ivan Petrov", "Jo Taylor", "Kemi Adeyemi", "Luis García")]
    categories = [Category(name=name, slug=slug, description=description, position=n, audience=audience)
                  for n, (name, slug, description, audience) in enumerate([
                      ("Introductions", "introductions", "Say hello.", Audience.MEMBERS),
                      ("Finding a mentor", "finding-a-mentor", "Matching, first meetings and more.", Audience.MEMBERS),
                      ("Career change", "career-change", "Routes, courses, CVs and interviews.", Audience.MEMBERS),
                      ("Accessibility and inclusion", "accessibility", "Tools and adjustments.", Audience.MEMBERS),
                      ("Mentors' lounge", "mentors-lounge", "For mentors.", Audience.MENTORS),
                  ])]
    session.add_all(categories)
    session.flush()
    for other in categories[:1] + categories[2:]:
        _add_threads(session, other, 5, authors, rng)
    category = categories[1]
    _add_threads(session, category, SMALL_THREADS - 1, authors, rng)
    started = utcnow() - timedelta(days=30)
    thread = Thread(category_id=category.id, title="Finding a mentor in data science", author_id=authors[0],
                    post_count=0, pinned=True, created_at=started, last_post_at=started)
    session.add(thread)
    session.flush()
    _add_replies(session, thread, 1 + SMALL_REPLIES, authors, rng)  # the opening post, then replies
    # The member follows both, marked a few posts helpful, and has notifications to read.
    posts = session.scalars(select(Post.id).where(Post.thread_id == thread.id).order_by(Post.number)).all()
    session.add_all([ThreadSubscription(thread_id=thread.id, user_id=member.id),
                     CategorySubscription(category_id=category.id, user_id=member.id)]
                    + [Helpful(post_id=p, user_id=member.id) for p in posts[2:6]]
                    + [Notification(user_id=member.id, kind="forums.reply", url=f"/forums/p/{p}",
                                    target_text=thread.title, text=f"Someone replied to “{thread.title}”")
                       for p in posts[-3:]])
    session.execute(update(Post).where(Post.id.in_(posts[2:6])).values(helpful_count=Post.helpful_count + 1))
    session.commit()
    world = World(member.id, category.id, thread.id, authors)
    _assert_consistent(session, world)
    assert session.get(Thread, world.thread_id).post_count == 1 + SMALL_REPLIES
    return world


def _grow(session, world: World) -> None:
    """1,000 replies in the thread, 10,000 threads in its category."""
    rng = random.Random(6)
    _add_replies(session, session.get(Thread, world.thread_id), LARGE_REPLIES - SMALL_REPLIES, world.authors, rng)
    category = session.get(Category, world.category_id)
    _add_threads(session, category, LARGE_THREADS - category.thread_count, world.authors, rng)
    _assert_consistent(session, world)
    assert session.get(Thread, world.thread_id).post_count == 1 + LARGE_REPLIES
    assert session.get(Category, world.category_id).thread_count == LARGE_THREADS


# Measuring


def _pages(session, world: World) -> dict[str, str]:
    thread = session.get(Thread, world.thread_id)
    category = session.get(Category, world.category_id)
    thread_pages = thread.pages
    category_pages = -(-category.thread_count // 20)
    search = f"/forums/search?q={SEARCH_WORD}"
    return {
        "forums index": "/forums/",
        "category, page 1": f"/forums/c/{category.slug}/",
        "category, middle page": f"/forums/c/{category.slug}/?page={(category_pages + 1) // 2}",
        "category, last page": f"/forums/c/{category.slug}/?page={category_pages}",
        "thread, page 1": f"/forums/t/{thread.id}",
        "thread, middle page": f"/forums/t/{thread.id}?page={(thread_pages + 1) // 2}",
        "thread, last page": f"/forums/t/{thread.id}?page={thread_pages}",
        "search, page 1": search,
        "search, page 2": f"{search}&page=2",
    }


def _measure_all(app, client, session, world: World) -> dict[str, Measure]:
    """Each page once; before each, the member has read only the opening post of the
    thread (so a thread page records the reading and offers the first unread post)."""
    measures = {}
    for name, url in _pages(session, world).items():
        session.execute(delete(ThreadRead).where(ThreadRead.thread_id == world.thread_id))
        session.add(ThreadRead(thread_id=world.thread_id, user_id=world.member_id, last_read_number=1))
        session.commit()
        measures[name] = measure(app, client, url)
    return measures


@pytest.fixture
def member_client(app, client, session, world) -> Iterator:
    reply = sign_in(Browser(client), session.get(User, world.member_id))
    assert reply.status_code == 200
    yield client


def _report(title: str, rows: list[str]) -> None:
    print(f"\n{title}")
    for row in rows:
        print(f"  {row}")


def _check_budget(small: dict[str, Measure], large: dict[str, Measure], who: str) -> None:
    _report(f"SQL statements per request, {who} ({SMALL_REPLIES} -> {LARGE_REPLIES} replies, "
            f"{SMALL_THREADS} -> {LARGE_THREADS:,} threads)",
            [f"{name:24} {small[name].queries:3} -> {large[name].queries:3}" for name in small])
    for name in small:
        assert large[name].queries <= QUERY_BUDGET, (
            f"{name} ({who}) ran {large[name].queries} statements at full size:\n  "
            + "\n  ".join(large[name].statements))
        assert large[name].queries == small[name].queries, (
            f"{name} ({who}) ran {small[name].queries} statements when small but "
            f"{large[name].queries} at full size:\n  " + "\n  ".join(large[name].statements))


def test_signed_in_pages_run_a_fixed_small_number_of_queries(app, session, world, member_client):
    small = _measure_all(app, member_client, session, world)
    _grow(session, world)
    large = _measure_all(app, member_client, session, world)
    _check_budget(small, large, "signed in")
    # The data really is there, and the reading state shows.
    assert b"1001 posts, page 26 of 51" in large["thread, middle page"].html
    assert b"10000 threads, page 500 of 500" in large["category, last page"].html
    assert b"New since your last visit" in large["thread, page 1"].html
    assert b"Go to the first unread post" in large["thread, last page"].html
    assert b"Notifications (3 new)" in large["forums index"].html
    assert b"<mark>" in large["search, page 2"].html
    assert b'class="mention"' in large["thread, page 1"].html


def test_signed_out_pages_run_as_few_queries(app, client, session, world):
    small = _measure_all(app, client, session, world)
    _grow(session, world)
    large = _measure_all(app, client, session, world)
    _check_budget(small, large, "signed out")
    assert b"Sign in to reply" in large["thread, last page"].html


def test_pages_fit_the_first_round_trip(app, session, world, member_client):
    _grow(session, world)
    css = compressed(CSS.read_bytes())
    rows, over = [], {}
    signed_in = _measure_all(app, member_client, session, world)
    signed_out = _measure_all(app, app.test_client(), session, world)
    for who, measures in (("signed in", signed_in), ("signed out", signed_out)):
        for name, page in measures.items():
            html = compressed(page.html)
            rows.append(f"{who:10} {name:24} {html:6} + {css} = {html + css:6}")
            if html + css > WEIGHT_BUDGET:
                over[f"{name} ({who})"] = html + css
    _report(f"HTML + CSS, gzip-compressed, bytes ({LARGE_REPLIES} replies, {LARGE_THREADS:,} threads)", rows)
    assert not over, f"over the {WEIGHT_BUDGET}-byte budget: {over}"
