"""The forum rules as plain functions: numbering and counts, quoting, revisions,
who is notified and moderation edge cases."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from portal.blueprints.forums import search, services
from portal.blueprints.forums.models import PostRevision
from portal.blueprints.notifications.models import Notification
from portal.core.db import utcnow
from tests.blueprints.forums.factories import (
    first_post,
    make_category,
    make_person,
    make_post,
    make_thread,
)
from tests.helpers import outbox


def test_posts_are_numbered_and_counted(session, category):
    thread = make_thread(session, category)
    replies = [make_post(session, thread) for _ in range(3)]
    assert [p.number for p in replies] == [2, 3, 4]
    assert thread.post_count == 4 and thread.last_post_id == replies[-1].id
    make_thread(session, category)
    session.refresh(category)
    assert (category.thread_count, category.post_count) == (2, 5)
    assert category.last_post_at is not None
    assert thread.pages == 1
    assert replies[-1].page == 1


def test_quote_text_keeps_blank_lines_and_names_former_members(session, category, member):
    thread = make_thread(session, category, member)
    post = make_post(session, thread, member, body="First line\n\nSecond line")
    assert services.quote_text(post) == "Mo Member wrote:\n\n> First line\n>\n> Second line\n\n"
    member.deleted_at = utcnow()
    assert services.quote_text(post).startswith("a former member wrote:")


def test_each_edit_keeps_the_version_it_replaced(session, category, member):
    thread = make_thread(session, category, member, body="Version one", now=utcnow() - timedelta(hours=2))
    post = first_post(session, thread)
    services.edit_post(session, post, "Version two", now=utcnow() - timedelta(hours=1))
    services.edit_post(session, post, "Version three")
    revisions = session.scalars(select(PostRevision).where(PostRevision.post_id == post.id)
                                .order_by(PostRevision.id)).all()
    assert [r.body for r in revisions] == ["Version one", "Version two"]
    assert revisions[0].created_at == post.created_at
    assert revisions[1].created_at < post.edited_at


def test_deleting_takes_the_text_out_of_the_index(session, category, member):
    thread = make_thread(session, category, member, title="Gardening", body="Tomatoes and basil")
    post = first_post(session, thread)
    assert [h.post_id for h in search.search(session, "basil", [category.id], 1).hits] == [post.id]
    services.delete_post(session, post)
    assert search.search(session, "basil", [category.id], 1).total == 0
    assert search.search(session, "gardening", [category.id], 1).total == 0


def test_people_who_left_get_no_notifications_or_email(session, category, member, other):
    thread = make_thread(session, category, member)
    member.deleted_at = utcnow()
    member.email = None
    session.flush()
    make_post(session, thread, other, body="Anyone there?", notify=True)
    assert session.scalar(select(func.count()).select_from(Notification)) == 0
    assert outbox(session) == []


def test_a_follower_who_can_no_longer_see_the_category_is_not_told(session, member, other):
    lounge = make_category(session, name="Lounge", audience="mentors")
    thread = make_thread(session, lounge, make_person(session, participation="mentor"))
    services.subscribe_thread(session, thread, member)  # followed before it was restricted, say
    make_post(session, thread, other, notify=True)
    assert session.scalars(select(Notification).where(Notification.user_id == member.id)).all() == []


def test_a_post_whose_author_left_can_be_hidden_without_telling_anyone(session, category, manager):
    thread = make_thread(session, category)
    post = make_post(session, thread)
    post.author_id = None
    session.flush()
    session.expire(post, ["author"])
    services.hide_post(session, post, manager, "Spam")
    assert post.hidden_at is not None
    assert session.scalar(select(func.count()).select_from(Notification)) == 0


def test_restoring_a_hidden_post_shows_it_and_indexes_it_again(session, category, manager):
    thread = make_thread(session, category, title="Bootcamps", body="Opening words")
    post = first_post(session, thread)
    services.hide_post(session, post, manager, "Spam")
    assert search.search(session, "bootcamps", [category.id], 1).hits == []
    services.restore_post(session, post, manager)
    assert post.is_visible and post.hidden_reason == ""
    assert [h.post_id for h in search.search(session, "bootcamps", [category.id], 1).hits] == [post.id]


def test_reading_is_remembered_only_for_people_signed_in(session, category, member):
    from flask_login import AnonymousUserMixin

    thread = make_thread(session, category)
    visitor = AnonymousUserMixin()
    assert services.reader_marks(session, visitor, thread, [1]).read_up_to is None
    assert not services.marker_moves(None, 1), "visitors have no marker"
    assert services.reader_marks(session, member, thread, []).read_up_to == 0
    assert services.marker_moves(0, 1)
    services.record_reading(session, thread, member, 1)
    assert services.reader_marks(session, member, thread, []).read_up_to == 1
    assert not services.marker_moves(1, 1), "the marker would not move: no write"
    services.record_reading(session, thread, member, 0)
    assert services.reader_marks(session, member, thread, []).read_up_to == 1, "a marker never moves back"
    assert services.last_read(session, member, []) == {}
    assert services.last_read(session, member, [thread.id]) == {thread.id: 1}
    assert services.reader_marks(session, AnonymousUserMixin(), thread, [1]) == (set(), False, None)
    assert services.reader_marks(session, member, thread, []) == (set(), False, 1)
