"""Following, @mentions and notifications: in the portal with an unread count, and by
email as each person prefers — immediately (with one-click unsubscribe), in a daily
digest, or not at all."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from sqlalchemy import func, select

from portal.blueprints.forums import services
from portal.blueprints.forums.models import Notification, NotificationKind
from portal.core.db import utcnow
from tests.blueprints.accounts.factories import sign_in
from tests.blueprints.forums.factories import make_person, make_post, make_thread
from tests.helpers import HX, csrf_token, headers_of, links, outbox, text_of, words_of


def notes_for(session, user, kind: NotificationKind | None = None) -> list[Notification]:
    query = select(Notification).where(Notification.user_id == user.id).order_by(Notification.id)
    if kind is not None:
        query = query.where(Notification.kind == kind.value)
    return list(session.scalars(query))


# @mentions


@pytest.mark.parametrize(("body", "mentioned"), [
    ("Thanks @Olu Other, that helped.", True),
    ("@olu other what do you think?", True),
    ("I agree with @Olu Other's point.", True),
    ("I agree with @Olu Other’s point.", True),
    ("Ask @Olu. Or not.", False),  # "Olu" alone names nobody
    ("Write to olu@example.org for slides.", False),
    ("Olu Other wrote:\n\n> @Olu Other is quoting themself\n\nSo true.", False),
    ("> Thanks @Olu Other\n\nquoted only", False),
    ("No mention here.", False),
])
def test_a_mention_notifies_the_member_named(session, category, member, other, body, mentioned):
    thread = make_thread(session, category, make_person(session))
    make_post(session, thread, member, body=body, notify=True)
    notes = notes_for(session, other, NotificationKind.MENTION)
    assert len(notes) == (1 if mentioned else 0)
    if mentioned:
        assert notes[0].text == f"Mo Member mentioned you in “{thread.title}”"


def test_a_mention_in_a_new_thread_notifies_too(session, category, member, other):
    thread = make_thread(session, category, member, body="Hello @Olu Other!", notify=True)
    [note] = notes_for(session, other)
    assert (note.kind, note.thread_id) == ("mention", thread.id)


def test_names_with_letters_beyond_ascii_can_be_mentioned(session, category, member):
    elodie = make_person(session, display_name="Élodie Durand")
    zoe = make_person(session, display_name="ZOË Ørsted")
    thread = make_thread(session, category, make_person(session))
    make_post(session, thread, member, body="Merci @élodie durand et @Zoë Ørsted !", notify=True)
    assert len(notes_for(session, elodie, NotificationKind.MENTION)) == 1
    assert len(notes_for(session, zoe, NotificationKind.MENTION)) == 1


def test_nobody_is_notified_of_their_own_mention_or_twice(session, category, member, other):
    thread = make_thread(session, category, other)  # other follows it
    make_post(session, thread, member, body="@Mo Member and @Olu Other, hello", notify=True)
    assert notes_for(session, member) == []
    assert [n.kind for n in notes_for(session, other)] == ["reply"], "a follower mentioned gets one notification"


def test_a_mention_does_not_reach_someone_who_cannot_see_the_category(session, lounge, mentor, member):
    thread = make_thread(session, lounge, mentor)
    make_post(session, thread, make_person(session, participation="mentor"), body="Ask @Mo Member?", notify=True)
    assert notes_for(session, member) == []
    assert outbox(session, member.email) == []


def test_a_mention_skips_people_who_left(session, category, member, other):
    other.deleted_at = utcnow()
    session.flush()
    make_thread(session, category, member, body="@Olu Other?", notify=True)
    assert notes_for(session, other) == []


def test_mentioned_names_ignore_quotes_and_try_the_longest_names():
    assert services.mentioned_names("Hi @Amara Okafor thanks\n> @Quoted Person") == {
        "amara okafor thanks", "amara okafor", "amara"}
    assert services.mentioned_names("mail me at a@b.org") == set()


# Following


def test_posting_follows_the_thread_and_followers_hear_of_replies(session, category, member, other):
    thread = make_thread(session, category, member, notify=True)
    reply = make_post(session, thread, other, body="A reply", notify=True)
    [note] = notes_for(session, member)
    assert (note.kind, note.post_id, note.text) == ("reply", reply.id, f"Olu Other replied to “{thread.title}”")
    make_post(session, thread, member, body="Thanks!", notify=True)
    assert [n.kind for n in notes_for(session, other)] == ["reply"], "replying made other a follower"
    assert len(notes_for(session, member)) == 1, "nobody hears of their own reply"


def test_following_and_unfollowing_a_thread_with_the_button(browser, session, category, member, other):
    thread = make_thread(session, category, other, title="Time zones")
    sign_in(browser, member)
    browser.get(f"/forums/t/{thread.id}")
    assert 'aria-pressed="false">Follow this thread' in browser.html
    browser.submit(button="Follow this thread")
    assert "You are following “Time zones”. Replies reach you by your email choice." in text_of(browser.page)
    assert 'aria-pressed="true">Follow this thread' in browser.html
    make_post(session, thread, other, body="News", notify=True)
    assert len(notes_for(session, member)) == 1
    browser.get(f"/forums/t/{thread.id}")
    browser.submit(button="Follow this thread")
    assert "You are no longer following “Time zones”." in text_of(browser.page)
    make_post(session, thread, other, body="More news", notify=True)
    assert len(notes_for(session, member)) == 1


def test_following_with_htmx_swaps_the_button_and_announces(browser, session, category, member):
    thread = make_thread(session, category, title="Time zones")
    sign_in(browser, member)
    browser.get(f"/forums/t/{thread.id}")
    response = browser.submit(button="Follow this thread", headers=HX, follow=False)
    body = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in body
    assert body.startswith('<form class="follow" id="follow-thread"') and 'aria-pressed="true"' in body
    assert body.endswith('<div id="live-region" hx-swap-oob="innerHTML">You are following “Time zones”. '
                         'Replies reach you by your email choice.</div>')


def test_following_a_category_brings_its_new_threads(browser, session, category, member, other):
    sign_in(browser, member)
    browser.get(f"/forums/c/{category.slug}/")
    browser.submit(button="Follow this category")
    assert "You are following Finding a mentor: new threads reach you by your email choice." in text_of(browser.page)
    thread = make_thread(session, category, other, title="Where to start", notify=True)
    [note] = notes_for(session, member)
    assert (note.kind, note.thread_id, note.text) == ("new_thread", thread.id,
                                                      "New thread in Finding a mentor: “Where to start”")
    make_post(session, thread, other, body="Bump", notify=True)
    assert len(notes_for(session, member)) == 1, "following a category is not following its threads"
    browser.get(f"/forums/c/{category.slug}/")
    response = browser.submit(button="Follow this category", headers=HX, follow=False)
    assert 'aria-pressed="false"' in response.get_data(as_text=True)
    assert "You are no longer following Finding a mentor." in response.get_data(as_text=True)
    make_thread(session, category, other, notify=True)
    assert len(notes_for(session, member)) == 1


def test_following_needs_the_form_token(browser, session, category, member):
    thread = make_thread(session, category)
    sign_in(browser, member)
    assert browser.client.post(f"/forums/t/{thread.id}/follow").status_code == 400
    assert browser.client.post(f"/forums/c/{category.slug}/follow").status_code == 400
    assert not services.is_subscribed_thread(session, thread, member)


# Email, by preference


def test_immediately_sends_an_email_with_one_click_unsubscribe_headers(session, category, member, other):
    thread = make_thread(session, category, member, title="First meetings")
    reply = make_post(session, thread, other, body="Ask about *goals*.", notify=True)
    [mail] = outbox(session, member.email)
    assert mail.subject == "Olu Other replied to “First meetings”"
    headers = headers_of(mail)
    assert headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    unsubscribe = headers["List-Unsubscribe"]
    assert unsubscribe.startswith("<http://portal.test/unsubscribe/") and unsubscribe.endswith(">")
    assert unsubscribe[1:-1] in mail.text_body and unsubscribe[1:-1] in mail.html_body
    assert f"http://portal.test/forums/p/{reply.id}" in mail.text_body
    assert "Ask about goals." in mail.text_body
    [note] = notes_for(session, member)
    assert note.emailed_at is not None


def test_plain_text_readers_get_no_html(session, category, other):
    reader = make_person(session, plain_text_email=True)
    thread = make_thread(session, category, reader)
    make_post(session, thread, other, notify=True)
    [mail] = outbox(session, reader.email)
    assert mail.html_body is None and "Read it here:" in mail.text_body


def test_one_click_unsubscribe_works_without_a_form_token(app, client, session, category, member, other):
    thread = make_thread(session, category, member)
    make_post(session, thread, other, notify=True)
    url = headers_of(outbox(session, member.email)[0])["List-Unsubscribe"][1:-1]
    response = client.post(urlsplit(url).path, data={"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert f"You will get no more emails about “{thread.title}”." in text_of(response)
    assert not services.is_subscribed_thread(session, thread, member)
    make_post(session, thread, other, body="Another", notify=True)
    assert len(outbox(session, member.email)) == 1


def test_the_unsubscribe_link_shows_a_button_first(app, browser, session, category, member, other):
    make_thread(session, category, member, notify=True)
    services.subscribe_category(session, category, other)
    make_thread(session, category, member, title="Second", notify=True)
    url = headers_of(outbox(session, other.email)[0])["List-Unsubscribe"][1:-1]
    page = browser.get(urlsplit(url).path)
    assert page.status_code == 200 and "<h1>Stop these emails</h1>" in browser.html
    assert services.is_subscribed_category(session, category, other), "a GET (a link scanner) changes nothing"
    browser.submit(button="Unsubscribe")
    assert "You will get no more emails about new threads in Finding a mentor." in text_of(browser.page)
    assert not services.is_subscribed_category(session, category, other)


def test_a_mention_email_unsubscribes_from_all_notification_emails(client, session, category, member, other):
    make_thread(session, category, member, body="@Olu Other hi", notify=True)
    url = headers_of(outbox(session, other.email)[0])["List-Unsubscribe"][1:-1]
    response = client.post(urlsplit(url).path)
    assert "You will get no more notification emails." in text_of(response)
    session.refresh(other)
    assert other.notification_delivery == "off"


@pytest.mark.parametrize("token", ["nonsense", "eyJ1IjoxLCJrIjoiYWxsIiwidCI6MH0.forged"])
def test_a_bad_unsubscribe_token_is_404(client, token):
    assert client.get(f"/unsubscribe/{token}").status_code == 404
    assert client.post(f"/unsubscribe/{token}").status_code == 404


def test_off_means_no_email_but_the_notification_is_kept(browser, session, category, member, other):
    sign_in(browser, member)
    browser.get("/account/preferences")
    browser.submit({"notification_delivery": "off"}, button="Save preferences")
    thread = make_thread(session, category, member)
    make_post(session, thread, other, notify=True)
    assert outbox(session, member.email) == []
    assert len(notes_for(session, member)) == 1
    assert services.send_digests(session) == 0


def test_the_daily_digest_gathers_each_notification_once(app, session, category, member, other):
    member.notification_delivery = "daily"
    thread = make_thread(session, category, member, title="Bootcamps")
    services.subscribe_category(session, category, member)
    make_post(session, thread, other, body="One", notify=True)
    make_post(session, thread, other, body="Two", notify=True)
    make_thread(session, category, other, title="Portfolio tips", notify=True)
    assert outbox(session, member.email) == [], "nothing is emailed until the digest"
    assert services.send_digests(session) == 1
    [digest] = outbox(session, member.email)
    assert digest.subject == "Your daily digest: 3 new notifications"
    assert digest.text_body.count("Olu Other replied to “Bootcamps”") == 2
    assert "New thread in Finding a mentor: “Portfolio tips”" in digest.text_body
    assert headers_of(digest)["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert services.send_digests(session) == 0, "each notification goes in one digest"
    make_post(session, thread, other, body="Three", notify=True)
    assert services.send_digests(session) == 1
    latest = outbox(session, member.email)[-1]
    assert latest.subject == "Your daily digest: 1 new notification"
    assert "Two" not in latest.text_body and latest.text_body.count("replied to") == 1


def test_the_send_digests_command(app, session, category, member, other):
    member.notification_delivery = "daily"
    thread = make_thread(session, category, member)
    make_post(session, thread, other, notify=True)
    session.commit()
    result = app.test_cli_runner().invoke(args=["send-digests"])
    assert result.exit_code == 0, result.output
    assert result.output == "Queued 1 digests.\n"
    assert len(outbox(session, member.email)) == 1
    again = app.test_cli_runner().invoke(args=["send-digests"])
    assert again.output == "Queued 0 digests.\n"


# In the portal


def test_the_navigation_counts_unread_notifications_until_marked_read(browser, session, category, member, other):
    thread = make_thread(session, category, member, title="Time zones")
    sign_in(browser, member)
    assert "Notifications" in [t for t, _ in links(browser.get("/forums/").get_data(as_text=True))]
    make_post(session, thread, other, body="One", notify=True)
    make_post(session, thread, other, body="Two", notify=True)
    session.commit()
    nav = dict(links(browser.get("/forums/").get_data(as_text=True)))
    assert nav["Notifications (2 new)"] == "/notifications"
    page = browser.get("/notifications")
    assert words_of(page).count("New: Olu Other replied to “Time zones” ,") == 2
    browser.submit(button="Mark all as read")
    assert "All notifications are marked as read." in text_of(browser.page)
    assert "Notifications (" not in browser.html and "New:" not in browser.html
    assert "Mark all as read" not in browser.html
    assert services.unread_count(session, member) == 0


def test_a_notification_links_to_the_post(browser, session, category, member, other):
    thread = make_thread(session, category, member)
    reply = make_post(session, thread, other, notify=True)
    sign_in(browser, member)
    browser.get("/notifications")
    assert (f"Olu Other replied to “{thread.title}”", f"/forums/p/{reply.id}") in links(browser.html)


def test_the_notifications_page_is_friendly_when_empty(browser, member):
    sign_in(browser, member)
    assert "No notifications yet." in text_of(browser.get("/notifications"))


def test_marking_read_needs_the_form_token_and_touches_only_your_own(app, browser, session, category, member,
                                                                     other):
    thread = make_thread(session, category, member)
    make_post(session, thread, other, notify=True, body="One")
    make_post(session, thread, member, notify=True, body="Two")
    sign_in(browser, member)
    assert browser.client.post("/notifications/read").status_code == 400
    browser.client.post("/notifications/read", data={"csrf_token": csrf_token(browser)})
    assert services.unread_count(session, member) == 0
    assert services.unread_count(session, other) == 1
    assert session.scalar(select(func.count()).select_from(Notification)) == 2
