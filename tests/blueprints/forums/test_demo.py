"""The demo forums from `flask seed-demo`: five categories with realistic threads, one
long thread, reported posts in the queue — and every count agreeing with the rows."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from portal.blueprints.accounts.models import User
from portal.blueprints.forums import demo
from portal.blueprints.forums.models import Category, Post, Thread
from portal.blueprints.manage.models import Report
from portal.core.db import utcnow
from portal.core.permissions import Permission, has_permission
from tests.blueprints.accounts.factories import approve_mentor
from tests.blueprints.forums.factories import make_person
from tests.helpers import words_of


def test_the_demo_forums_are_complete_and_consistent(client, session):
    people = [make_person(session, email="member@example.org")]
    people += [make_person(session, participation=p) for p in ("mentor", "both", "mentee", "mentee", "mentor")]
    approve_mentor(session, people[1])
    approve_mentor(session, people[2])
    assert demo.seed(session, people) == 66
    assert demo.seed(session, people) == 66, "seeding again adds nothing"
    session.commit()
    session.expire_all()

    categories = session.scalars(select(Category).order_by(Category.position)).all()
    assert [c.audience for c in categories].count("members") == 4
    assert [c.audience for c in categories].count("mentors") == 1
    threads = session.scalars(select(Thread)).all()
    assert 55 <= len(threads) <= 70
    assert max(t.post_count for t in threads) >= 200
    reported = session.scalars(select(Report).where(Report.status == "open")).all()
    assert [r.kind for r in reported] == ["forums.post"] * 3
    assert {session.get(Post, r.target_id).body for r in reported} == {
        "Buy cheap followers at example dot com!!! Best prices!!!"}

    for category in categories:
        rows = [t for t in threads if t.category_id == category.id]
        assert category.thread_count == len(rows), category.name
        assert category.post_count == sum(t.post_count for t in rows), category.name
    for thread in threads:
        numbers = session.scalars(select(Post.number).where(Post.thread_id == thread.id).order_by(Post.number)).all()
        assert numbers == list(range(1, thread.post_count + 1)), thread.title
        last = session.scalar(select(Post.id).where(Post.thread_id == thread.id, Post.number == thread.post_count))
        assert thread.last_post_id == last, thread.title

    lounge = next(c for c in categories if c.audience == "mentors")
    authors = session.scalars(
        select(User).join(Post, Post.author_id == User.id).join(Thread, Thread.id == Post.thread_id)
        .where(Thread.category_id == lounge.id)).all()
    assert authors and all(has_permission(a, Permission.MENTOR_SPACES) for a in authors), \
        "only approved mentors and managers talk in the mentors' lounge"
    assert people[5] not in authors, "saying 'mentor' in a profile is not enough"

    long_thread = max(threads, key=lambda t: t.post_count)
    last_page = client.get(f"/forums/t/{long_thread.id}?page={long_thread.pages}")
    assert last_page.status_code == 200 and f"page {long_thread.pages} of {long_thread.pages}" in words_of(last_page)
    assert "posts match “bootcamp”" in words_of(client.get("/forums/search?q=bootcamp"))


def test_the_demo_forums_have_mentions_and_recent_activity(session):
    people = [make_person(session, email="member@example.org")]
    people += [make_person(session, participation=p) for p in ("mentor", "both", "mentee")]
    approve_mentor(session, people[1])
    demo.seed(session, people)
    bodies = session.scalars(select(Post.body)).all()
    assert any(body.startswith("@") for body in bodies)
    newest = max(session.scalars(select(Post.created_at)))
    assert timedelta(0) < utcnow() - newest < timedelta(days=14)
