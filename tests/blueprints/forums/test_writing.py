"""Writing through the real forms with no JavaScript (and htmx where it helps): threads,
replies, preview, quoting, editing, deleting, helpful marks, and every kind of bad input."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from portal.blueprints.forums import services
from portal.blueprints.forums.models import Helpful, Post, PostRevision, Thread
from portal.core.db import utcnow
from portal.core.permissions import Role
from tests.blueprints.accounts.factories import make_user, sign_in
from tests.blueprints.forums.factories import first_post, make_person, make_post, make_thread
from tests.helpers import HX, browser_for, csrf_token, elements, links, text_of


def _fields(browser, button: str = "Post") -> dict:
    """The form's values as a browser holds them (it drops a textarea's first line break)."""
    return {name: value.removeprefix("\r\n") for name, value in browser.form(button=button).fields}


def _newest_thread(session) -> Thread:
    session.expire_all()
    return session.scalars(select(Thread).order_by(Thread.id.desc())).first()


def _posts(session, thread) -> list[Post]:
    session.expire_all()
    return list(session.scalars(select(Post).where(Post.thread_id == thread.id).order_by(Post.number)))


# Starting threads and replying


def test_a_member_starts_a_thread_from_the_category_page(browser, session, category, member):
    sign_in(browser, member)
    browser.get(f"/forums/c/{category.slug}/")
    start = dict(links(browser.html))["Start a thread in Finding a mentor"]
    browser.get(start)
    assert "<h1>Start a thread in Finding a mentor</h1>" in browser.html
    browser.submit({"title": "  Finding a mentor in data science ", "body": "How did you *find* yours?"},
                   button="Post")
    thread = _newest_thread(session)
    assert browser.url == f"/forums/t/{thread.id}"
    assert "Your thread is posted. You are following it." in text_of(browser.page)
    assert "<em>find</em>" in browser.html
    assert (thread.title, thread.author_id, thread.post_count) == ("Finding a mentor in data science", member.id, 1)
    assert services.is_subscribed_thread(session, thread, member)
    session.refresh(category)
    assert (category.thread_count, category.post_count) == (1, 1)
    assert 'aria-pressed="true"><span aria-hidden="true">✓ </span>Following<span class="visually-hidden"> this thread' in browser.html


def test_a_reply_is_posted_and_lands_on_its_page(browser, session, category, member, other):
    thread = make_thread(session, category, other, title="First meetings")
    make_post(session, thread, other, body="Anyone?")
    sign_in(browser, member)
    browser.get(f"/forums/t/{thread.id}")
    browser.submit({"body": "Ask about **goals** first."}, button="Post")
    [*_, mine] = _posts(session, thread)
    assert browser.url == f"/forums/t/{thread.id}?page=1"
    assert "Your reply is posted." in text_of(browser.page)
    assert (mine.number, mine.author_id, mine.body) == (3, member.id, "Ask about **goals** first.")
    assert f'id="post-{mine.id}"' in browser.html and "<strong>goals</strong>" in browser.html
    session.refresh(thread)
    assert thread.post_count == 3 and thread.last_post_id == mine.id
    assert services.is_subscribed_thread(session, thread, member), "posting follows the thread"


# Preview


def test_preview_without_javascript_shows_the_text_rendered_and_keeps_it(browser, session, category, member):
    sign_in(browser, member)
    browser.get(f"/forums/c/{category.slug}/new")
    response = browser.submit({"title": "Drafting", "body": "# Big idea\n\nSome *thoughts*"}, button="Preview")
    assert response.status_code == 200
    page = browser.html
    assert '<h2 id="preview-heading" tabindex="-1">Preview</h2>' in page
    assert "<h3>Big idea</h3>" in page and "<em>thoughts</em>" in page
    assert (_fields(browser)["title"], _fields(browser)["body"]) == ("Drafting", "# Big idea\n\nSome *thoughts*")
    assert _newest_thread(session) is None, "a preview posts nothing"
    browser.submit(button="Post")
    assert _newest_thread(session).title == "Drafting"


def test_preview_with_htmx_returns_only_the_preview(browser, session, category, member):
    thread = make_thread(session, category)
    sign_in(browser, member)
    for url in (f"/forums/c/{category.slug}/new", f"/forums/t/{thread.id}/reply", f"/forums/t/{thread.id}"):
        browser.get(url)
        response = browser.submit({"body": "Some **bold** words"}, button="Preview", headers=HX, follow=False)
        body = response.get_data(as_text=True)
        assert response.status_code == 200, url
        assert body.startswith('<h2 id="preview-heading"'), body[:80]
        assert "<html" not in body and "<form" not in body
        assert "<strong>bold</strong>" in body
        assert response.headers["Vary"] and "HX-Request" in response.headers["Vary"]
    browser.get(f"/forums/t/{thread.id}")
    preview = browser.form(button="Preview")
    [button] = [b for b in preview.buttons if b[2] == "Preview"]
    assert button[:2] == ("action", "preview")
    assert f'data-hx-post="/forums/t/{thread.id}/reply" data-hx-target="#preview"' in browser.html
    assert thread.post_count == 1


def test_an_empty_preview_says_there_is_nothing_yet(browser, session, category, member):
    sign_in(browser, member)
    browser.get(f"/forums/c/{category.slug}/new")
    browser.submit({"title": "", "body": ""}, button="Preview")
    assert browser.page.status_code == 200
    assert "There is nothing to preview yet." in browser.html


def test_preview_of_an_edit_keeps_the_new_text_unsaved(browser, session, category, member):
    thread = make_thread(session, category, member, body="Old words")
    sign_in(browser, member)
    browser.get(f"/forums/p/{thread.last_post_id}/edit")
    browser.submit({"body": "New *words*"}, button="Preview")
    assert browser.page.status_code == 200
    assert "<em>words</em>" in browser.html and _fields(browser)["body"] == "New *words*"
    assert first_post(session, thread).body == "Old words"


# Quoting


def test_quoting_a_post_prefills_the_reply_with_its_lines(browser, session, category, member, other):
    thread = make_thread(session, category, other, title="Time zones")
    quoted = make_post(session, thread, other, body="We meet at 7am my time.\n\nIt works, mostly.")
    sign_in(browser, member)
    browser.get(f"/forums/t/{thread.id}")
    browser.get(dict(links(browser.html))["Quote post 2 in a reply"])
    assert browser.url == f"/forums/t/{thread.id}/reply?quote={quoted.id}"
    assert _fields(browser)["body"] == "Olu Other wrote:\n\n> We meet at 7am my time.\n>\n> It works, mostly.\n\n"
    assert _fields(browser)["quote"] == str(quoted.id)
    body = _fields(browser)["body"] + "Same here: evenings for one of us."
    browser.submit({"body": body}, button="Post")
    mine = _posts(session, thread)[-1]
    assert mine.quoted_post_id == quoted.id and mine.body.startswith("Olu Other wrote:")
    assert "<blockquote>\n<p>We meet at 7am my time.</p>" in browser.html


def test_only_a_visible_post_of_the_same_thread_can_be_quoted(browser, session, category, member, other):
    thread = make_thread(session, category, other)
    elsewhere = make_thread(session, category, other, body="Another thread's words")
    gone = make_post(session, thread, other, body="Deleted words")
    services.delete_post(session, gone)
    sign_in(browser, member)
    for post_id in (elsewhere.last_post_id, gone.id, 999999, "abc"):
        browser.get(f"/forums/t/{thread.id}/reply?quote={post_id}")
        assert browser.page.status_code == 200
        assert _fields(browser)["body"] == "", post_id
        assert "quote" not in _fields(browser)


# Editing and deleting your own posts


def test_editing_your_post_marks_it_edited_and_keeps_the_earlier_version(app, browser, session, category, member,
                                                                         manager):
    thread = make_thread(session, category, member, title="Bootcamps", body="Worth it? I think **no**.")
    post = first_post(session, thread)
    sign_in(browser, member)
    browser.get(f"/forums/t/{thread.id}")
    browser.get(dict(links(browser.html))["Edit post 1"])
    assert _fields(browser)["body"] == "Worth it? I think **no**."
    browser.submit({"body": "Worth it? I think **yes**, now."}, button="Post")
    assert "Your post is updated." in text_of(browser.page)
    session.refresh(post)
    assert post.body == "Worth it? I think **yes**, now." and post.edited_at is not None
    assert "Edited <time" in browser.html
    assert "Earlier versions" not in browser.html, "only moderators see the history link"
    [revision] = session.scalars(select(PostRevision).where(PostRevision.post_id == post.id))
    assert revision.body == "Worth it? I think **no**."
    assert browser.get(f"/forums/p/{post.id}/history").status_code == 403

    moderator = browser_for(app, manager)
    moderator.get(f"/forums/t/{thread.id}")
    history = dict(links(moderator.html))["Earlier versions of post 1"]
    page = moderator.get(history)
    assert page.status_code == 200
    assert "<strong>no</strong>" in moderator.html and "<strong>yes</strong>" in moderator.html
    assert text_of(page).index("Now") < text_of(page).index("Version from")


def test_saving_an_edit_unchanged_keeps_no_new_version(browser, session, category, member):
    thread = make_thread(session, category, member, body="Same as ever")
    sign_in(browser, member)
    browser.get(f"/forums/p/{thread.last_post_id}/edit")
    browser.submit(button="Post")
    post = first_post(session, thread)
    assert post.edited_at is None
    assert session.scalar(select(func.count()).select_from(PostRevision)) == 0


def test_deleting_your_post_leaves_a_note_in_its_place(browser, session, category, member, other):
    thread = make_thread(session, category, other)
    post = make_post(session, thread, member, body="I regret this sentence.")
    sign_in(browser, member)
    browser.get(f"/forums/t/{thread.id}")
    browser.get(dict(links(browser.html))["Delete post 2"])
    assert "This cannot be undone." in browser.html
    browser.submit(button="Delete the post")
    assert "Your post is deleted." in text_of(browser.page)
    assert "This post was deleted." in browser.html
    assert "I regret this sentence." not in browser.html
    assert "Edit post 2" not in browser.html
    session.refresh(post)
    assert post.deleted_at is not None
    assert browser.get(f"/forums/p/{post.id}/edit").status_code == 403
    assert browser.get(f"/forums/p/{post.id}/delete").status_code == 403


@pytest.mark.parametrize("path", ["edit", "delete"])
def test_nobody_edits_or_deletes_someone_elses_post(app, session, category, member, other, manager, path):
    post = make_thread(session, category, other, body="Mine, not yours").last_post_id
    for person in (member, manager):
        browser = browser_for(app, person)
        token = csrf_token(browser)
        assert browser.get(f"/forums/p/{post}/{path}").status_code == 403
        response = browser.client.post(f"/forums/p/{post}/{path}", data={
            "csrf_token": token, "body": "Changed by someone else", "action": "post"})
        assert response.status_code == 403
    post = session.get(Post, post)
    session.refresh(post)
    assert (post.body, post.deleted_at) == ("Mine, not yours", None)


def test_your_posts_offer_edit_and_delete_and_others_offer_helpful_and_report(browser, session, category, member,
                                                                            other):
    thread = make_thread(session, category, other)
    make_post(session, thread, member)
    sign_in(browser, member)
    texts = [t for t, _ in links(browser.get(f"/forums/t/{thread.id}").get_data(as_text=True))]
    assert "Edit post 2" in texts and "Delete post 2" in texts and "Report post 1" in texts
    assert "Edit post 1" not in texts and "Report post 2" not in texts
    buttons = [" ".join(e.text.split()) for e in elements(browser.html) if e.tag == "button"]
    assert "Helpful: post 1, · 0" in buttons and not any("Helpful: post 2" in b for b in buttons)


# Helpful marks


def _helpful_button(markup: str, number: int):
    [button] = [e for e in elements(markup) if e.tag == "button"
                and f"Helpful: post {number}," in e.text]
    return button


def test_helpful_marks_toggle_with_a_plain_form(app, browser, session, category, member, other):
    thread = make_thread(session, category, other)
    post = first_post(session, thread)
    sign_in(browser, member)
    browser.get(f"/forums/t/{thread.id}")
    assert _helpful_button(browser.html, 1).attrs["aria-pressed"] == "false"
    browser.submit(button="Helpful: post 1, · 0")
    assert "Marked as helpful." in text_of(browser.page)
    assert _helpful_button(browser.html, 1).attrs["aria-pressed"] == "true"
    # Pressed: a check mark and the count, the same after the redirect as after an htmx swap.
    assert " ".join(_helpful_button(browser.html, 1).text.split()) == "✓ Helpful: post 1, · 1"
    assert 'class="toggle-said"' not in browser.html  # without htmx the banner reports it

    second = browser_for(app, make_person(session))
    second.get(f"/forums/t/{thread.id}")
    second.submit(button="Helpful: post 1, · 1")
    assert " ".join(_helpful_button(second.html, 1).text.split()) == "✓ Helpful: post 1, · 2"

    browser.get(f"/forums/t/{thread.id}")
    browser.submit(button="✓ Helpful: post 1, · 2")
    assert "Helpful mark removed." in text_of(browser.page)
    assert _helpful_button(browser.html, 1).attrs["aria-pressed"] == "false"
    session.refresh(post)
    assert post.helpful_count == 1
    assert session.scalar(select(func.count()).select_from(Helpful)) == 1


def test_helpful_with_htmx_swaps_the_button_and_announces(browser, session, category, member, other):
    thread = make_thread(session, category, other)
    post = first_post(session, thread)
    sign_in(browser, member)
    browser.get(f"/forums/t/{thread.id}")
    form = browser.form(button="Helpful: post 1, · 0")
    assert form.action == f"/forums/p/{post.id}/helpful"
    assert f'data-hx-post="/forums/p/{post.id}/helpful" data-hx-target="#helpful-{post.id}" data-hx-swap="outerHTML"' in browser.html
    response = browser.submit(button="Helpful: post 1, · 0", headers=HX, follow=False)
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert body.startswith(f'<form class="helpful" id="helpful-{post.id}"')
    assert 'aria-pressed="true"' in body and "·</span> 1</button>" in body and "<html" not in body
    assert '<span class="toggle-said">Marked as helpful.</span>' in body  # seen beside the button too
    assert body.endswith('<div id="live-region" data-hx-swap-oob="innerHTML">Marked as helpful.</div>')
    again = browser.client.post(f"/forums/p/{post.id}/helpful", data={"csrf_token": csrf_token(browser)}, headers=HX)
    assert 'aria-pressed="false"' in again.get_data(as_text=True) and "·</span> 0</button>" in again.get_data(as_text=True)
    assert "Helpful mark removed." in again.get_data(as_text=True)


def test_your_own_posts_cannot_be_marked_helpful(browser, session, category, member):
    thread = make_thread(session, category, member)
    sign_in(browser, member)
    response = browser.client.post(f"/forums/p/{thread.last_post_id}/helpful",
                                   data={"csrf_token": csrf_token(browser)})
    assert response.status_code == 403
    assert first_post(session, thread).helpful_count == 0


def test_helpful_marks_need_the_form_token(browser, session, category, member, other):
    thread = make_thread(session, category, other)
    sign_in(browser, member)
    assert browser.client.post(f"/forums/p/{thread.last_post_id}/helpful").status_code == 400
    assert first_post(session, thread).helpful_count == 0


def test_a_deleted_post_cannot_be_marked_helpful(browser, session, category, member, other):
    thread = make_thread(session, category, other)
    post = make_post(session, thread, other)
    services.delete_post(session, post)
    sign_in(browser, member)
    response = browser.client.post(f"/forums/p/{post.id}/helpful", data={"csrf_token": csrf_token(browser)})
    assert response.status_code == 403


def test_one_helpful_mark_per_person_per_post(session, category, member, other):
    thread = make_thread(session, category, other)
    post = first_post(session, thread)
    assert services.toggle_helpful(session, post, member) is True
    assert services.toggle_helpful(session, post, member) is False
    assert services.toggle_helpful(session, post, member) is True
    assert post.helpful_count == 1
    assert services.reader_marks(session, member, thread, [post.id])[:2] == ({post.id}, False)
    assert services.reader_marks(session, other, thread, [post.id])[:2] == (set(), True)  # starters follow


# Bad input: a message beside the field, 422, the text kept


def _new_thread_page(browser, category):
    browser.get(f"/forums/c/{category.slug}/new")


def _error_for(browser, field: str) -> str:
    [error] = [e for e in elements(browser.html) if e.attrs.get("id") == f"{field}-error"]
    return " ".join(error.text.split())


@pytest.mark.parametrize(("title", "body", "errors"), [
    ("", "", {"title": "Enter a title", "body": "Write your message"}),
    ("   ", " \n\t ", {"title": "Enter a title", "body": "Write your message"}),
    ("???", "A real question", {"title": "The title needs some words, not only symbols"}),
    ("!?… — ★", "A real question", {"title": "The title needs some words, not only symbols"}),
    ("x" * 151, "Fine", {"title": "The title must be 150 characters or fewer (you entered 151)"}),
    ("Fine", "y" * 20_001, {"body": "Your message must be 20000 characters or fewer (you entered 20001)"}),
    ("Tab\x07bell", "Fine", {"title": "The title must not contain control characters"}),
])
def test_a_new_thread_with_bad_input_gets_422_messages_and_keeps_the_text(browser, session, category, member,
                                                                          title, body, errors):
    sign_in(browser, member)
    _new_thread_page(browser, category)
    response = browser.submit({"title": title, "body": body}, button="Post")
    assert response.status_code == 422
    assert "<title>Error: " in browser.html and "There is a problem" in browser.html
    for field, message in errors.items():
        assert _error_for(browser, field) == f"Error: {message}"
        assert f'<a href="#{field}">{message}</a>' in browser.html
    kept = _fields(browser)
    assert kept["title"] == title.strip() and kept["body"] == body.strip()
    assert _newest_thread(session) is None


def test_the_longest_title_and_body_are_accepted(browser, session, category, member):
    sign_in(browser, member)
    _new_thread_page(browser, category)
    browser.submit({"title": "t" * 150, "body": "b" * 20_000}, button="Post")
    assert browser.page.status_code == 200
    assert len(_newest_thread(session).title) == 150


@pytest.mark.parametrize(("body", "message"), [
    ("", "Write your reply"),
    ("  \n ", "Write your reply"),
    ("z" * 20_001, "Your reply must be 20000 characters or fewer (you entered 20001)"),
])
def test_a_bad_reply_gets_422_and_keeps_the_text(browser, session, category, member, body, message):
    thread = make_thread(session, category)
    sign_in(browser, member)
    browser.get(f"/forums/t/{thread.id}")
    response = browser.submit({"body": body}, button="Post")
    assert response.status_code == 422
    assert _error_for(browser, "body") == f"Error: {message}"
    assert _fields(browser)["body"] == body.strip()
    assert len(_posts(session, thread)) == 1


@pytest.mark.parametrize(("body", "message"), [
    ("", "Write your message"),
    ("z" * 20_001, "Your message must be 20000 characters or fewer (you entered 20001)"),
])
def test_a_bad_edit_gets_422_and_keeps_the_text(browser, session, category, member, body, message):
    thread = make_thread(session, category, member, body="Original")
    sign_in(browser, member)
    browser.get(f"/forums/p/{thread.last_post_id}/edit")
    assert browser.submit({"body": body}, button="Post").status_code == 422
    assert _error_for(browser, "body") == f"Error: {message}"
    assert _fields(browser)["body"] == body
    assert first_post(session, thread).body == "Original"


def test_a_reply_to_a_locked_thread_is_refused_once_with_the_text_kept(browser, session, category, member):
    thread = make_thread(session, category)
    sign_in(browser, member)
    browser.get(f"/forums/t/{thread.id}/reply")
    thread.locked = True
    session.commit()
    response = browser.submit({"body": "Too late?"}, button="Post")
    assert response.status_code == 422
    assert _error_for(browser, "body") == "Error: This thread is locked, so no one can reply to it"
    assert browser.html.count("This thread is locked, so no one can reply to it") == 2, "beside the field and in the summary"
    assert _fields(browser)["body"] == "Too late?"
    assert len(_posts(session, thread)) == 1
    page = browser.get(f"/forums/t/{thread.id}").get_data(as_text=True)
    assert "This thread is locked, so no one can reply." in page and 'name="body"' not in page
    assert "Quote post 1" not in page


def test_a_locked_thread_refuses_empty_replies_with_both_messages(browser, session, category, member):
    thread = make_thread(session, category)
    thread.locked = True
    session.commit()
    sign_in(browser, member)
    assert "This thread is locked, so no one can reply to it." in browser.get(f"/forums/t/{thread.id}/reply").get_data(as_text=True)
    token = csrf_token(browser)
    browser.page = browser.client.post(f"/forums/t/{thread.id}/reply", data={"csrf_token": token, "body": ""})
    assert browser.page.status_code == 422
    assert _error_for(browser, "body") == (
        "Error: Write your reply. This thread is locked, so no one can reply to it")


def test_the_same_text_twice_within_a_minute_is_refused(browser, session, category, member):
    thread = make_thread(session, category)
    sign_in(browser, member)
    browser.get(f"/forums/t/{thread.id}")
    browser.submit({"body": "Thanks, that helps!"}, button="Post")
    browser.get(f"/forums/t/{thread.id}")
    response = browser.submit({"body": "  Thanks, that helps!  "}, button="Post")
    assert response.status_code == 422
    assert _error_for(browser, "body") == (
        "Error: You posted exactly this a moment ago; there is no need to post it twice")
    assert _fields(browser)["body"] == "Thanks, that helps!"
    assert len(_posts(session, thread)) == 2
    later = utcnow() + timedelta(minutes=1, seconds=1)
    services.reply(session, thread, member, "Thanks, that helps!", now=later, notify=False)


def test_the_same_title_and_text_as_a_new_thread_twice_is_refused(browser, session, category, member):
    sign_in(browser, member)
    for status in (200, 422):
        _new_thread_page(browser, category)
        assert browser.submit({"title": "Hello", "body": "Hello all"}, button="Post").status_code == status
    assert "You posted exactly this a moment ago" in browser.html
    assert _fields(browser)["title"] == "Hello"


def test_new_accounts_may_post_five_times_an_hour(browser, session, category):
    newcomer = make_user(session)  # created just now
    thread = make_thread(session, category)
    sign_in(browser, newcomer)
    for n in range(5):
        browser.get(f"/forums/t/{thread.id}")
        assert browser.submit({"body": f"Message {n}"}, button="Post").status_code == 200
    browser.get(f"/forums/t/{thread.id}")
    assert browser.submit({"body": "Message 6"}, button="Post").status_code == 422
    assert _error_for(browser, "body") == (
        "Error: New accounts can post 5 times an hour. Please try again a little later")
    assert _fields(browser)["body"] == "Message 6"
    services.reply(session, thread, newcomer, "An hour on", now=utcnow() + timedelta(hours=1, minutes=1),
                   notify=False)


def test_older_accounts_and_managers_are_not_limited(session, category):
    thread = make_thread(session, category)
    settled = make_person(session)
    new_manager = make_user(session, role=Role.MANAGER)
    for person in (settled, new_manager):
        for n in range(7):
            services.reply(session, thread, person, f"Message {n}", notify=False)
    assert thread.post_count == 15


def test_a_suspended_member_cannot_post(app, browser, session, category, member):
    thread = make_thread(session, category)
    member.suspended_at = utcnow()
    member.suspension_reason = "Repeated spam"
    session.commit()
    sign_in(browser, member)
    page = browser.get(f"/forums/t/{thread.id}").get_data(as_text=True)
    assert "Your account is suspended from taking part: Repeated spam" in text_of(browser.page)
    assert 'name="body"' not in page
    token = csrf_token(browser)
    for url in (f"/forums/t/{thread.id}/reply", f"/forums/c/{category.slug}/new"):
        assert browser.get(url).status_code == 403
        assert browser.client.post(url, data={"csrf_token": token, "title": "T", "body": "B"}).status_code == 403
    assert len(_posts(session, thread)) == 1


def test_an_unverified_member_is_asked_to_confirm_their_email(browser, session, category):
    thread = make_thread(session, category)
    sign_in(browser, make_user(session, verified=False))
    page = text_of(browser.get(f"/forums/t/{thread.id}"))
    assert "Confirm your email address to reply." in page
    assert browser.get(f"/forums/t/{thread.id}/reply").status_code == 403


def test_post_actions_show_short_labels_and_name_the_post_for_assistive_technology(browser, session, category,
                                                                                 member, other):
    thread = make_thread(session, category, other)
    make_post(session, thread, member)
    sign_in(browser, member)
    markup = browser.get(f"/forums/t/{thread.id}").get_data(as_text=True)
    # The visible label starts the accessible name (WCAG 2.5.3); no aria-label overrides it.
    for shown, hidden in (("Quote", " post 1 in a reply"), ("Report", " post 1"), ("Link", " to post 1"),
                          ("Edit", " post 2"), ("Delete", " post 2")):
        assert f'>{shown}<span class="visually-hidden">{hidden}</span></a>' in markup, shown
    assert "aria-label=" not in markup[markup.index('class="post-actions"'):]
    assert ("About Olu Other", f"/people/{other.id}") in links(markup)
