"""Moderation: pin, lock, move and rename threads; report posts; forum posts in the one
moderation queue, where a manager dismisses the reports, hides a post with a reason its
author is told, restores it, or suspends its author."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from portal.blueprints.forums import search, services
from portal.blueprints.manage import reports
from portal.blueprints.manage.models import Report
from portal.blueprints.notifications.models import Notification
from portal.core.features import registry
from tests.blueprints.accounts.factories import sign_in
from tests.blueprints.forums.factories import (
    first_post,
    make_category,
    make_person,
    make_post,
    make_thread,
)
from tests.helpers import browser_for, csrf_token, elements, links, outbox, words_of


def _search_ids(session, query, categories) -> list[int]:
    return [h.post_id for h in search.search(session, query, [c.id for c in categories], 1).hits]


# Pin, lock, move, rename


def test_the_moderation_form_starts_with_the_threads_own_category(browser, session, category, manager):
    make_category(session, name="Aaa first in the list", position=-1)
    thread = make_thread(session, category, title="House rules")
    sign_in(browser, manager)
    browser.get(f"/forums/t/{thread.id}/moderate")
    selected = [e.attrs["value"] for e in elements(browser.html) if e.tag == "option" and "selected" in e.attrs]
    assert selected == [str(category.id)], "a browser posts the selected option, or else the first"
    browser.submit({"pinned": True}, button="Save")
    session.refresh(thread)
    assert thread.pinned and thread.category_id == category.id


def test_a_manager_pins_and_locks_a_thread(app, browser, session, category, manager, member):
    thread = make_thread(session, category, title="House rules")
    make_thread(session, category, title="Newer chat")
    sign_in(browser, manager)
    browser.get(f"/forums/t/{thread.id}")
    browser.get(dict(links(browser.html))["Pin, lock, move or rename “House rules”"])
    assert browser.url == f"/forums/t/{thread.id}/moderate"
    browser.submit({"pinned": True, "locked": True}, button="Save")
    assert "The thread is updated." in words_of(browser.page)
    assert "Pinned." in words_of(browser.page) and "Locked: no new replies." in words_of(browser.page)
    session.refresh(thread)
    assert thread.pinned and thread.locked

    reader = browser_for(app, member)
    listing = reader.get(f"/forums/c/{category.slug}/").get_data(as_text=True)
    titles = [t for t, h in links(listing) if h.startswith("/forums/t/")]
    assert titles[:2] == ["House rules", "Newer chat"]
    with pytest.raises(services.ForumError, match="locked"):
        services.reply(session, thread, member, "Sneaky reply", notify=False)

    browser.get(f"/forums/t/{thread.id}/moderate")
    browser.submit({"pinned": False, "locked": False}, button="Save")
    session.refresh(thread)
    assert not thread.pinned and not thread.locked


def test_moving_a_thread_moves_its_counts(browser, session, category, manager):
    elsewhere = make_category(session, name="Career change")
    thread = make_thread(session, category, title="Bootcamps")
    make_post(session, thread)
    make_post(session, thread)
    make_thread(session, category, title="Stays put")
    session.refresh(category)
    assert (category.thread_count, category.post_count) == (2, 4)
    sign_in(browser, manager)
    browser.get(f"/forums/t/{thread.id}/moderate")
    response = browser.submit({"category": str(elsewhere.id)}, button="Save", follow=False)
    session.expire_all()  # the test's requests share one session; a real request starts afresh
    browser.follow(response)
    assert f'<a href="/forums/c/{elsewhere.slug}/">Career change</a>' in browser.html
    session.refresh(category)
    session.refresh(elsewhere)
    assert (category.thread_count, category.post_count) == (1, 1)
    assert (elsewhere.thread_count, elsewhere.post_count) == (1, 3)
    assert "Bootcamps" in browser.get(f"/forums/c/{elsewhere.slug}/").get_data(as_text=True)
    assert "Bootcamps" not in browser.get(f"/forums/c/{category.slug}/").get_data(as_text=True)


def test_a_thread_moved_to_the_mentors_lounge_leaves_mentees_sight(app, browser, session, category, lounge,
                                                                   manager, member):
    thread = make_thread(session, category, title="Mentor matters", body="Findable words")
    sign_in(browser, manager)
    browser.get(f"/forums/t/{thread.id}/moderate")
    browser.submit({"category": str(lounge.id)}, button="Save")
    session.expire_all()
    reader = browser_for(app, member)
    assert reader.get(f"/forums/t/{thread.id}").status_code == 404
    assert "Mentor matters" not in reader.get("/forums/search?q=findable").get_data(as_text=True)


def test_renaming_a_thread_makes_the_new_title_searchable(browser, session, category, manager):
    thread = make_thread(session, category, title="Question about stuff", body="Bootcamps or courses?")
    sign_in(browser, manager)
    browser.get(f"/forums/t/{thread.id}/moderate")
    assert dict(browser.form(button="Save").fields)["title"] == "Question about stuff"
    browser.submit({"title": "Choosing a coding bootcamp"}, button="Save")
    assert "<h1>Choosing a coding bootcamp</h1>" in browser.html
    post = first_post(session, thread)
    assert _search_ids(session, "coding", [category]) == [post.id]
    assert _search_ids(session, "stuff", [category]) == []
    assert _search_ids(session, "courses", [category]) == [post.id]
    results = browser.get("/forums/search?q=coding").get_data(as_text=True)
    assert ("Choosing a coding bootcamp, post 1", f"/forums/p/{post.id}") in links(results)


@pytest.mark.parametrize(("title", "message"), [
    ("", "Enter a title"),
    ("???", "The title needs some words, not only symbols"),
    ("x" * 151, "The title must be 150 characters or fewer (you entered 151)"),
])
def test_a_bad_new_title_gets_422_and_keeps_what_was_typed(browser, session, category, manager, title, message):
    thread = make_thread(session, category, title="Original")
    sign_in(browser, manager)
    browser.get(f"/forums/t/{thread.id}/moderate")
    assert browser.submit({"title": title, "locked": True}, button="Save").status_code == 422
    assert f"Error: {message}" in words_of(browser.page)
    fields = dict(browser.form(button="Save").fields)
    assert fields["title"] == title and fields["locked"] == "y"
    session.refresh(thread)
    assert thread.title == "Original" and not thread.locked


def test_members_cannot_moderate(browser, session, category, member):
    thread = make_thread(session, category, title="Original")
    sign_in(browser, member)
    assert "Pin, lock, move or rename" not in browser.get(f"/forums/t/{thread.id}").get_data(as_text=True)
    assert browser.get(f"/forums/t/{thread.id}/moderate").status_code == 403
    response = browser.client.post(f"/forums/t/{thread.id}/moderate", data={
        "csrf_token": csrf_token(browser), "title": "Hijacked", "category": str(category.id), "locked": "y"})
    assert response.status_code == 403
    session.refresh(thread)
    assert thread.title == "Original" and not thread.locked


# Reporting


def test_anyone_taking_part_can_report_a_post_with_a_reason(browser, session, category, member, other):
    thread = make_thread(session, category, other, body="Buy cheap watches at spam.example")
    sign_in(browser, member)
    browser.get(f"/forums/t/{thread.id}")
    browser.get(dict(links(browser.html))["Report post 1"])
    assert browser.url == f"/report/forums.post/{thread.last_post_id}"
    assert "Report post 1 in “" in words_of(browser.page) and "Buy cheap watches" in browser.html
    browser.submit({"reason": "  Spam  "}, button="Send report")
    assert browser.url.startswith(f"/forums/t/{thread.id}")
    assert "Thank you. The moderators will look at the post." in words_of(browser.page)
    [report] = session.scalars(select(Report))
    assert (report.kind, report.target_id) == ("forums.post", thread.last_post_id)
    assert (report.reason, report.reporter_id, report.status) == ("Spam", member.id, "open")


@pytest.mark.parametrize(("reason", "message"), [
    ("", "Tell the moderators what is wrong with the post"),
    ("   ", "Tell the moderators what is wrong with the post"),
    ("r" * 1001, "The reason must be 1000 characters or fewer (you entered 1001)"),
])
def test_a_report_without_a_good_reason_gets_422_and_keeps_the_text(browser, session, category, member, reason,
                                                                    message):
    thread = make_thread(session, category)
    sign_in(browser, member)
    browser.get(f"/report/forums.post/{thread.last_post_id}")
    assert browser.submit({"reason": reason}, button="Send report").status_code == 422
    assert f"Error: {message}" in words_of(browser.page)
    assert dict(browser.form(button="Send report").fields)["reason"].removeprefix("\r\n") == reason.strip()
    assert session.scalars(select(Report)).all() == []


def test_a_deleted_or_hidden_post_cannot_be_reported_or_shown_on_the_report_page(browser, session, category,
                                                                                 member, other, manager):
    thread = make_thread(session, category, other)
    deleted = make_post(session, thread, other, body="Words the author took back")
    hidden = make_post(session, thread, other, body="Words a moderator hid")
    services.delete_post(session, deleted)
    services.hide_post(session, hidden, manager, "Unkind")
    sign_in(browser, member)
    token = csrf_token(browser)
    for post in (deleted, hidden):
        page = browser.get(f"/report/forums.post/{post.id}")
        assert page.status_code == 404
        assert "Words" not in page.get_data(as_text=True)
        assert browser.client.post(f"/report/forums.post/{post.id}",
                                   data={"csrf_token": token, "reason": "Spam"}).status_code == 404
    assert session.scalars(select(Report)).all() == []


def test_a_post_in_a_category_the_member_cannot_see_cannot_be_reported(browser, session, lounge, member, mentor):
    thread = make_thread(session, lounge, mentor, body="Mentors only")
    sign_in(browser, member)
    assert browser.get(f"/report/forums.post/{thread.last_post_id}").status_code == 404
    assert browser.client.post(f"/report/forums.post/{thread.last_post_id}", data={
        "csrf_token": csrf_token(browser), "reason": "Spam"}).status_code == 404
    assert session.scalars(select(Report)).all() == []


# Forum posts in the moderation queue


def _prefix(post) -> str:
    return f"forums-post-{post.id}-"


@pytest.fixture
def reported(session, category, member, other):
    """A post by ``member`` reported twice, and another by ``other`` reported once."""
    thread = make_thread(session, category, make_person(session), title="Networking")
    post = make_post(session, thread, member, body="You are all *wrong*.")
    reports.report(session, "forums.post", post.id, other, "Unkind")
    reports.report(session, "forums.post", post.id, make_person(session, display_name="Rae Reporter"), "Rude")
    second = make_post(session, thread, other, body="Visit spam.example")
    reports.report(session, "forums.post", second.id, member, "Spam")
    session.commit()
    return post


def test_the_queue_shows_each_reported_post_with_its_reports(browser, session, reported, manager):
    sign_in(browser, manager)
    page = browser.get("/manage/moderation")
    assert page.status_code == 200
    words = words_of(page)
    assert "2 items with open reports" in words
    assert words.index("Post 2 in “Networking” by Mo Member") < words.index("Post 3 in “Networking” by Olu Other")
    assert "2 reports Olu Other, " in words and ": Unkind" in words and "Rae Reporter, " in words
    assert ": Rude" in words and ": Spam" in words
    assert "<em>wrong</em>" in browser.html
    assert ("See post 2 in its thread", f"/forums/p/{reported.id}") in links(browser.html)


def test_dismissing_the_reports_leaves_the_post(browser, session, reported, manager):
    sign_in(browser, manager)
    browser.get("/manage/moderation")
    browser.submit({_prefix(reported) + "action": "dismiss"}, button="Decide on post 2 in “Networking”")
    assert "The reports are dismissed; the post stays." in words_of(browser.page)
    assert "1 item with open reports" in words_of(browser.page)
    statuses = session.scalars(select(Report.status).where(Report.target_id == reported.id)).all()
    assert statuses == ["dismissed", "dismissed"]
    session.refresh(reported)
    assert reported.is_visible


def test_hiding_a_post_shows_its_author_the_reason_and_tells_them(app, browser, session, category, reported,
                                                                  manager, member, other):
    sign_in(browser, manager)
    browser.get("/manage/moderation")
    browser.submit({_prefix(reported) + "action": "hide", _prefix(reported) + "reason": "Please keep it kind"},
                   button="Decide on post 2 in “Networking”")
    assert "The post is hidden and its author told why." in words_of(browser.page)
    session.refresh(reported)
    assert reported.hidden_at is not None and reported.hidden_reason == "Please keep it kind"
    assert set(session.scalars(select(Report.status).where(Report.target_id == reported.id))) == {"actioned"}

    author = browser_for(app, member)
    page = words_of(author.get(f"/forums/p/{reported.id}", follow_redirects=True))
    assert "A moderator hid this post. Reason: Please keep it kind" in page
    assert "You are all" not in page
    onlooker = browser_for(app, make_person(session))
    page = words_of(onlooker.get(f"/forums/p/{reported.id}", follow_redirects=True))
    assert "A moderator hid this post." in page and "Please keep it kind" not in page and "You are all" not in page

    [note] = session.scalars(select(Notification).where(Notification.user_id == member.id))
    assert (note.kind, note.url, note.actor_id) == ("forums.post_hidden", f"/forums/p/{reported.id}", manager.id)
    assert note.text == "A moderator hid your post in “Networking”: Please keep it kind"
    assert [m.subject for m in outbox(session, member.email)] == [note.text]
    assert _search_ids(session, "wrong", [category]) == []


def test_restoring_a_hidden_post_shows_it_and_makes_it_findable_again(app, browser, session, category, reported,
                                                                      manager, member):
    services.hide_post(session, reported, manager, "Please keep it kind")
    reports.decide(session, reports.entry(session, registry().reportables["forums.post"], reported.id), manager,
                   reports.Decision(reports.DISMISS))
    session.commit()
    sign_in(browser, manager)
    browser.get("/manage/moderation?status=handled")
    assert "Hidden by a moderator. Reason: Please keep it kind" in words_of(browser.page)
    browser.submit({_prefix(reported) + "action": "restore"}, button="Decide on post 2 in “Networking”")
    assert "The post is restored." in words_of(browser.page)
    session.refresh(reported)
    assert reported.is_visible and reported.hidden_reason == ""
    assert _search_ids(session, "wrong", [category]) == [reported.id]
    reader = browser_for(app, make_person(session))
    assert "You are all" in words_of(reader.get(f"/forums/p/{reported.id}", follow_redirects=True))


def test_suspending_an_author_hides_the_post_and_stops_them_taking_part(app, browser, session, category, reported,
                                                                        manager, member):
    sign_in(browser, manager)
    browser.get("/manage/moderation")
    browser.submit({_prefix(reported) + "action": "suspend", _prefix(reported) + "reason": "Repeated insults",
                    _prefix(reported) + "length": "7"}, button="Decide on post 2 in “Networking”")
    assert "The post is hidden and its author suspended for 7 days." in words_of(browser.page)
    session.refresh(member)
    session.refresh(reported)
    assert member.is_suspended and member.suspension_reason == "Repeated insults"
    assert reported.hidden_at is not None

    author = browser_for(app, member)
    thread_id = reported.thread_id
    assert "Your account is suspended from taking part: Repeated insults" in words_of(
        author.get(f"/forums/t/{thread_id}"))
    token = csrf_token(author)
    assert author.client.post(f"/forums/t/{thread_id}/reply", data={"csrf_token": token, "body": "Hi"}
                              ).status_code == 403
    assert author.client.post(f"/forums/c/{category.slug}/new", data={
        "csrf_token": token, "title": "Hi", "body": "Hi"}).status_code == 403
    assert author.get(f"/forums/t/{thread_id}").status_code == 200, "they can still read"


def test_managers_cannot_be_suspended(browser, session, category, manager, admin, member):
    thread = make_thread(session, category)
    post = make_post(session, thread, admin, body="Admin words")
    reports.report(session, "forums.post", post.id, member, "Bossy")
    session.commit()
    sign_in(browser, manager)
    browser.get("/manage/moderation")
    response = browser.submit({_prefix(post) + "action": "suspend", _prefix(post) + "reason": "Too bossy",
                               _prefix(post) + "length": "1"}, button=f"Decide on post 2 in “{thread.title}”")
    assert response.status_code == 422
    assert "Community managers and admins cannot be suspended" in words_of(response)
    assert "Too bossy" in browser.html, "the reason typed is kept"
    session.refresh(admin)
    session.refresh(post)
    assert not admin.is_suspended and post.is_visible
    assert session.scalars(select(Report.status)).all() == ["open"]


@pytest.mark.parametrize(("data", "message"), [
    ({}, "Choose what should happen"),
    ({"action": "hide"}, "Give a reason; the author will see it"),
    ({"action": "suspend", "reason": "  ", "length": "7"}, "Give a reason; the author will see it"),
    ({"action": "suspend", "reason": "Spam"}, "Choose how long the suspension lasts"),
    ({"action": "hide", "reason": "x" * 501}, "The reason must be 500 characters or fewer (you entered 501)"),
])
def test_a_decision_without_what_it_needs_gets_422(browser, session, reported, manager, data, message):
    sign_in(browser, manager)
    browser.get("/manage/moderation")
    response = browser.submit({_prefix(reported) + name: value for name, value in data.items()},
                              button="Decide on post 2 in “Networking”")
    assert response.status_code == 422
    assert message in words_of(response)
    [summary] = [e for e in elements(browser.html) if e.attrs.get("class") == "error-summary"]
    assert summary.attrs["role"] == "alert" and message in summary.text
    session.refresh(reported)
    assert reported.is_visible
