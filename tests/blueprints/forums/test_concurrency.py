"""Forums under simultaneous requests through a live server (see the events'
test_concurrency for the machinery): replies numbered without gaps or clashes, counts
that agree, one helpful mark each, and readers never turned away while others post."""

from __future__ import annotations

import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from sqlalchemy import func, select, update

from portal.blueprints.accounts.models import User
from portal.blueprints.forums import services
from portal.blueprints.forums.models import Category, Helpful, Post, Thread
from portal.core.db import utcnow
from tests.live import TIMEOUT, LiveServer, Person, all_at_once, members

pytestmark = pytest.mark.live

PEOPLE = 24


def _thread(server: LiveServer) -> tuple[int, int, int]:
    """A thread in a members' category: (category id, thread id, opening post id)."""
    with server.session() as session:
        author = session.scalars(select(User).order_by(User.id)).first()
        category = services.save_category(session, None, name="Busy", description="", audience="members",
                                          position=0)
        thread = services.start_thread(session, category, author, "A busy thread", "Opening post", notify=False)
        session.commit()
        return category.id, thread.id, thread.last_post_id


def _ready(server: LiveServer, emails: list[str], thread_id: int) -> list[Person]:
    """Everyone signed in, holding the thread page's CSRF token."""
    def prepare(email: str) -> Person:
        person = server.person(email)
        person.sign_in()
        person.hold_token(f"/forums/t/{thread_id}", f"/forums/t/{thread_id}/reply")
        return person

    with ThreadPoolExecutor(max_workers=8) as pool:
        return list(pool.map(prepare, emails, timeout=TIMEOUT * 2))


def test_simultaneous_replies_are_numbered_once_each(live_server):
    members(live_server, 1, "author")
    category_id, thread_id, _ = _thread(live_server)
    people = _ready(live_server, members(live_server, PEOPLE, "replier"), thread_id)
    replies = all_at_once([(p, f"/forums/t/{thread_id}/reply",
                             {"csrf_token": p.csrf_token, "body": f"Reply from {p.email}", "action": "post"})
                            for p in people])
    assert Counter(r.status for r in replies) == Counter({303: PEOPLE})
    with live_server.session() as session:
        numbers = session.scalars(select(Post.number).where(Post.thread_id == thread_id).order_by(Post.number))
        assert list(numbers) == list(range(1, PEOPLE + 2))
        thread = session.get(Thread, thread_id)
        category = session.get(Category, category_id)
        assert thread.post_count == PEOPLE + 1 and category.post_count == PEOPLE + 1
        last = session.scalar(select(Post.id).where(Post.thread_id == thread_id, Post.number == PEOPLE + 1))
        assert thread.last_post_id == last
        session.rollback()


def test_readers_are_never_turned_away_while_others_post(live_server):
    members(live_server, 1, "author")
    _, thread_id, _ = _thread(live_server)
    writers = _ready(live_server, members(live_server, PEOPLE // 2, "writer"), thread_id)
    readers = _ready(live_server, members(live_server, PEOPLE // 2, "reader"), thread_id)
    barrier = threading.Barrier(len(writers) + len(readers), timeout=TIMEOUT)

    def write(person: Person) -> int:
        connection = person.connection()
        barrier.wait()
        return person.request("POST", f"/forums/t/{thread_id}/reply", {
            "csrf_token": person.csrf_token, "body": f"News from {person.email}", "action": "post"},
            connection=connection).status

    def read(person: Person) -> list[int]:
        barrier.wait()
        return [person.request("GET", f"/forums/t/{thread_id}").status for _ in range(3)]

    with ThreadPoolExecutor(max_workers=len(writers) + len(readers)) as pool:
        written = [pool.submit(write, p) for p in writers]
        read_ = [pool.submit(read, p) for p in readers]
        statuses = Counter(f.result(timeout=TIMEOUT * 2) for f in written)
        statuses.update(s for f in read_ for s in f.result(timeout=TIMEOUT * 2))
    assert statuses == Counter({303: len(writers), 200: 3 * len(readers)})


def test_simultaneous_helpful_marks_are_all_counted_once(live_server):
    members(live_server, 1, "author")
    _, thread_id, post_id = _thread(live_server)
    people = _ready(live_server, members(live_server, PEOPLE, "fan"), thread_id)
    jobs = [(p, f"/forums/p/{post_id}/helpful", {"csrf_token": p.csrf_token}) for p in people]
    # Each person presses twice at once: one mark wins, the other takes it away, or both agree.
    replies = all_at_once(jobs + jobs)
    assert Counter(r.status for r in replies) == Counter({303: 2 * PEOPLE})
    with live_server.session() as session:
        post = session.get(Post, post_id)
        marks = session.scalar(select(func.count()).select_from(Helpful).where(Helpful.post_id == post_id))
        assert post.helpful_count == marks
        session.rollback()


def _one_author(server: LiveServer, thread_id: int, prefix: str, days_old: int) -> Person:
    [email] = members(server, 1, prefix)
    with server.session() as session:
        session.execute(update(User).where(User.email == email)
                        .values(created_at=utcnow() - timedelta(days=days_old)))
        session.commit()
    [person] = _ready(server, [email], thread_id)
    return person


def _posts_by(server: LiveServer, thread_id: int, person: Person) -> int:
    with server.session() as session:
        author = session.scalar(select(User.id).where(User.email == person.email))
        count = session.scalar(select(func.count()).select_from(Post)
                               .where(Post.thread_id == thread_id, Post.author_id == author))
        session.rollback()
        return count


def test_the_same_text_sent_twenty_times_at_once_is_posted_once(live_server):
    members(live_server, 1, "author")
    _, thread_id, _ = _thread(live_server)
    person = _one_author(live_server, thread_id, "repeater", days_old=30)
    form = {"csrf_token": person.csrf_token, "body": "Does anyone have a CV template?", "action": "post"}
    replies = all_at_once([(person, f"/forums/t/{thread_id}/reply", form) for _ in range(20)])
    assert Counter(r.status for r in replies) == Counter({303: 1, 422: 19})
    assert _posts_by(live_server, thread_id, person) == 1


def test_a_new_account_posting_twenty_times_at_once_posts_five(live_server):
    members(live_server, 1, "author")
    _, thread_id, _ = _thread(live_server)
    person = _one_author(live_server, thread_id, "newcomer", days_old=1)
    jobs = [(person, f"/forums/t/{thread_id}/reply",
             {"csrf_token": person.csrf_token, "body": f"Hello number {n}", "action": "post"}) for n in range(20)]
    replies = all_at_once(jobs)
    assert Counter(r.status for r in replies) == Counter({303: services.NEW_ACCOUNT_POSTS_PER_HOUR, 422: 15})
    assert _posts_by(live_server, thread_id, person) == services.NEW_ACCOUNT_POSTS_PER_HOUR
