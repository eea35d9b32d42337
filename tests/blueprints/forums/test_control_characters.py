"""Characters nobody means to type — NUL, which PostgreSQL cannot store, and other
control characters — get a message and a 422 in every text field, never a 500."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from portal.blueprints.forums.models import Category, Post, Thread
from portal.blueprints.manage import reports
from portal.blueprints.manage.models import Report
from tests.blueprints.accounts.factories import sign_in
from tests.blueprints.forums.factories import first_post, make_post, make_thread
from tests.helpers import words_of

TYPED = ["Hello\x00world", "Bell\x07ringing", "Escape\x1b[31m red"]


def _posts(session) -> int:
    session.expire_all()
    return len(session.scalars(select(Post)).all())


@pytest.mark.parametrize("text", TYPED)
def test_a_new_thread_body_with_control_characters_is_refused(browser, session, category, member, text):
    sign_in(browser, member)
    browser.get(f"/forums/c/{category.slug}/new")
    response = browser.submit({"title": "Fine title", "body": text}, button="Post")
    assert response.status_code == 422
    assert "Your message must not contain control characters" in words_of(response)
    assert session.scalars(select(Thread)).all() == []


@pytest.mark.parametrize("text", TYPED)
def test_a_reply_or_an_edit_with_control_characters_is_refused(browser, session, category, member, text):
    thread = make_thread(session, category, member, body="Original words")
    sign_in(browser, member)
    browser.get(f"/forums/t/{thread.id}")
    response = browser.submit({"body": text}, button="Post")
    assert response.status_code == 422
    assert "Your reply must not contain control characters" in words_of(response)
    browser.get(f"/forums/p/{thread.last_post_id}/edit")
    response = browser.submit({"body": text}, button="Post")
    assert response.status_code == 422
    assert "Your message must not contain control characters" in words_of(response)
    assert _posts(session) == 1 and first_post(session, thread).body == "Original words"


@pytest.mark.parametrize("text", TYPED)
def test_a_report_or_a_moderators_reason_with_control_characters_is_refused(browser, session, category, member,
                                                                           manager, text):
    thread = make_thread(session, category, member)
    post = make_post(session, thread, member, body="Reported words")
    sign_in(browser, manager)
    browser.get(f"/report/forums.post/{post.id}")
    response = browser.submit({"reason": text}, button="Send report")
    assert response.status_code == 422 and "The reason must not contain control characters" in words_of(response)
    reports.report(session, "forums.post", post.id, manager, "Spam")
    session.commit()
    browser.get("/manage/moderation")
    prefix = f"forums-post-{post.id}-"
    response = browser.submit({prefix + "action": "hide", prefix + "reason": text},
                              button=f"Decide on post 2 in “{thread.title}”")
    assert response.status_code == 422 and "The reason must not contain control characters" in words_of(response)
    session.refresh(post)
    assert post.is_visible
    assert [r.reason for r in session.scalars(select(Report))] == ["Spam"]


@pytest.mark.parametrize(("field", "text"), [("name", "Nul\x00name"), ("description", "Nul\x00description")])
def test_a_category_with_control_characters_is_refused(browser, session, manager, field, text):
    sign_in(browser, manager)
    browser.get("/forums/manage/new")
    data = {"name": "Careers", "description": "", "audience": "members", "position": "0"} | {field: text}
    response = browser.submit(data, button="Save category")
    assert response.status_code == 422
    assert "must not contain control characters" in words_of(response)
    assert session.scalars(select(Category)).all() == []


def test_line_breaks_and_tabs_are_welcome(browser, session, category, member):
    sign_in(browser, member)
    browser.get(f"/forums/c/{category.slug}/new")
    browser.submit({"title": "Layout", "body": "Line one\r\nLine two\n\n\tindented code"}, button="Post")
    assert browser.page.status_code == 200
    assert session.scalars(select(Thread)).one().title == "Layout"
