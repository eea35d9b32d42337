"""Who the forums tell, and about what: followers of a thread or a category, people
@mentioned (not in quotes or code, at most 20 a post), authors of hidden posts; only
people who may see the category. How each person gets them (the list, email at once,
the digest) is the notifications feature's, tested in tests/blueprints/notifications."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from portal.blueprints.forums import services
from portal.blueprints.notifications import services as notifications
from portal.core.db import utcnow
from tests.blueprints.accounts.factories import approve_mentor, sign_in
from tests.blueprints.forums.factories import make_person, make_post, make_thread
from tests.blueprints.notifications.support import notes_for
from tests.helpers import HX, headers_of, outbox, text_of

MENTION = "forums.mention"

# @mentions


@pytest.mark.parametrize(("body", "mentioned"), [
    ("Thanks @Olu Other, that helped.", True),
    ("@olu other what do you think?", True),
    ("I agree with @Olu Other's point.", True),
    ("I agree with @Olu Other’s point.", True),
    ("See `the code` and ask @Olu Other.", True),
    ("Ask [@Olu Other](https://example.org/olu) too.", True),
    ("Ask @Olu. Or not.", False),  # "Olu" alone names nobody
    ("Ask @Olu  Other.", False),  # two spaces: not the name as written, so neither linked nor told
    ("Write to olu@example.org for slides.", False),
    ("Olu Other wrote:\n\n> @Olu Other is quoting themself\n\nSo true.", False),
    ("> Thanks @Olu Other\n\nquoted only", False),
    ("Type `@Olu Other` to mention someone.", False),
    ("```\nmention(\"@Olu Other\")\n```", False),
    ("An example:\n\n    @Olu Other hello\n\nThat is all.", False),
    ("No mention here.", False),
])
def test_a_mention_notifies_the_member_named(session, category, member, other, body, mentioned):
    thread = make_thread(session, category, make_person(session))
    make_post(session, thread, member, body=body, notify=True)
    notes = notes_for(session, other, MENTION)
    assert len(notes) == (1 if mentioned else 0)
    if mentioned:
        assert notes[0].text == f"Mo Member mentioned you in “{thread.title}”"
        assert notes[0].actor_id == member.id


def test_a_mention_in_a_new_thread_notifies_too(session, category, member, other):
    thread = make_thread(session, category, member, body="Hello @Olu Other!", notify=True)
    [note] = notes_for(session, other)
    assert (note.kind, note.url, note.target_text) == (MENTION, f"/forums/p/{thread.last_post_id}", thread.title)


def test_a_name_with_a_full_stop_inside_is_told_as_it_is_linked(session, category, member):
    initial = make_person(session, display_name="J. Smith")
    thread = make_thread(session, category, make_person(session))
    make_post(session, thread, member, body="Thanks @J. Smith.", notify=True)
    assert len(notes_for(session, initial, MENTION)) == 1


def test_names_with_letters_beyond_ascii_can_be_mentioned(session, category, member):
    elodie = make_person(session, display_name="Élodie Durand")
    zoe = make_person(session, display_name="ZOË Ørsted")
    thread = make_thread(session, category, make_person(session))
    make_post(session, thread, member, body="Merci @élodie durand et @Zoë Ørsted !", notify=True)
    assert len(notes_for(session, elodie, MENTION)) == 1
    assert len(notes_for(session, zoe, MENTION)) == 1


def test_nobody_is_notified_of_their_own_mention_or_twice(session, category, member, other):
    thread = make_thread(session, category, other)  # other follows it
    make_post(session, thread, member, body="@Mo Member and @Olu Other, hello", notify=True)
    assert notes_for(session, member) == []
    assert [n.kind for n in notes_for(session, other)] == ["forums.reply"], (
        "a follower mentioned gets one notification")


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


def test_one_post_notifies_at_most_twenty_mentioned_people_the_first_named_first(session, category,
                                                                                member):
    people = [make_person(session, display_name=f"Reader {n:02d}") for n in range(25)]
    named = list(reversed(people))  # named in the opposite order to their ids
    body = "Welcome " + ", ".join(f"@{p.display_name}" for p in named) + "!"
    make_thread(session, category, member, body=body, notify=True)
    told = [p for p in people if notes_for(session, p, MENTION)]
    assert len(told) == services.MENTION_LIMIT == 20
    assert set(told) == set(named[:20])


def test_the_limit_counts_only_people_who_can_be_told(session, lounge, mentor):
    members = [make_person(session, display_name=f"Member {n:02d}") for n in range(5)]
    mentors = [make_person(session, display_name=f"Mentor {n:02d}", participation="mentor") for n in range(20)]
    for person in mentors:
        approve_mentor(session, person)
    thread = make_thread(session, lounge, mentor)
    body = " ".join(f"@{p.display_name}" for p in members + mentors)
    make_post(session, thread, mentor, body=body, notify=True)
    assert all(notes_for(session, p, MENTION) for p in mentors)
    assert not any(notes_for(session, p) for p in members)


# Following


def test_posting_follows_the_thread_and_followers_hear_of_replies(session, category, member, other):
    thread = make_thread(session, category, member, notify=True)
    reply = make_post(session, thread, other, body="A *reply*", notify=True)
    [note] = notes_for(session, member)
    assert (note.kind, note.url, note.text, note.excerpt, note.actor_id) == (
        "forums.reply", f"/forums/p/{reply.id}", f"Olu Other replied to “{thread.title}”", "A reply", other.id)
    make_post(session, thread, member, body="Thanks!", notify=True)
    assert [n.kind for n in notes_for(session, other)] == ["forums.reply"], "replying made other a follower"
    assert len(notes_for(session, member)) == 1, "nobody hears of their own reply"


def test_following_and_unfollowing_a_thread_with_the_button(browser, session, category, member, other):
    thread = make_thread(session, category, other, title="Time zones")
    sign_in(browser, member)
    browser.get(f"/forums/t/{thread.id}")
    assert 'aria-pressed="false">Follow<span class="visually-hidden"> this thread' in browser.html
    browser.submit(button="Follow this thread")
    assert "You are following “Time zones”. Replies reach you by your email choice." in text_of(browser.page)
    # The same visible state as after an htmx swap: "Following", a check mark, pressed.
    assert 'aria-pressed="true"><span aria-hidden="true">✓ </span>Following<span class="visually-hidden"> this thread' in browser.html
    make_post(session, thread, other, body="News", notify=True)
    assert len(notes_for(session, member)) == 1
    browser.get(f"/forums/t/{thread.id}")
    browser.submit(button="✓ Following this thread")
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
    assert ('<span class="toggle-said">You are following “Time zones”. Replies reach you by your email choice.</span>'
            in body), "the result shows beside the button as well as in the live region"
    assert body.endswith('<div id="live-region" data-hx-swap-oob="innerHTML">You are following “Time zones”. '
                         'Replies reach you by your email choice.</div>')


def test_following_a_category_brings_its_new_threads(browser, session, category, member, other):
    sign_in(browser, member)
    browser.get(f"/forums/c/{category.slug}/")
    browser.submit(button="Follow this category")
    assert "You are following Finding a mentor: new threads reach you by your email choice." in text_of(browser.page)
    thread = make_thread(session, category, other, title="Where to start", notify=True)
    [note] = notes_for(session, member)
    assert (note.kind, note.url, note.text) == ("forums.new_thread", f"/forums/p/{thread.last_post_id}",
                                                "New thread in Finding a mentor: “Where to start”")
    make_post(session, thread, other, body="Bump", notify=True)
    assert len(notes_for(session, member)) == 1, "following a category is not following its threads"
    browser.get(f"/forums/c/{category.slug}/")
    response = browser.submit(button="✓ Following this category", headers=HX, follow=False)
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


# The emails the forums send, and what their unsubscribe links stop


def test_a_reply_email_names_the_thread_and_links_to_the_post(session, category, member, other):
    thread = make_thread(session, category, member, title="First meetings")
    reply = make_post(session, thread, other, body="Ask about *goals*.", notify=True)
    [mail] = outbox(session, member.email)
    assert mail.subject == "Olu Other replied to “First meetings”"
    assert f"Read it here: http://portal.test/forums/p/{reply.id}" in mail.text_body
    assert "Ask about goals." in mail.text_body
    assert "Go to “First meetings”" in mail.html_body
    [note] = notes_for(session, member)
    assert note.email_state == "sent"


def test_a_reply_emails_unsubscribe_link_unfollows_the_thread(client, session, category, member, other):
    thread = make_thread(session, category, member)
    make_post(session, thread, other, notify=True)
    url = headers_of(outbox(session, member.email)[0])["List-Unsubscribe"][1:-1]
    response = client.post(urlsplit(url).path, data={"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert f"You will get no more emails about “{thread.title}”." in text_of(response)
    assert not services.is_subscribed_thread(session, thread, member)
    make_post(session, thread, other, body="Another", notify=True)
    assert len(outbox(session, member.email)) == 1


def test_a_new_thread_emails_unsubscribe_link_unfollows_the_category(browser, session, category, member,
                                                                       other):
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


def test_a_mention_emails_unsubscribe_link_stops_mention_emails(client, session, category, member, other):
    make_thread(session, category, member, body="@Olu Other hi", notify=True)
    url = headers_of(outbox(session, other.email)[0])["List-Unsubscribe"][1:-1]
    response = client.post(urlsplit(url).path)
    assert "You will get no more emails about mentions of your name." in text_of(response)
    deliveries = notifications.deliveries(session, other)
    assert deliveries[MENTION] == "portal" and deliveries["forums.reply"] == "email"
    make_thread(session, category, member, body="@Olu Other again", notify=True)
    assert len(outbox(session, other.email)) == 1
    assert len(notes_for(session, other, MENTION)) == 2, "mentions still reach the portal"


def test_unsubscribing_from_a_thread_or_category_that_is_gone_says_so(app, session, category, member):
    thread = make_thread(session, category, member)
    thread_id = thread.id
    session.delete(thread)
    session.flush()
    assert services.stop_thread_emails(session, member, thread_id) is None
    assert services.stop_category_emails(session, member, 999_999) is None
    payload = notifications.read_unsubscribe_token(notifications.unsubscribe_token(member, "thread", thread_id))
    assert notifications.apply_unsubscribe(session, payload) == "That subscription no longer exists."


def test_a_long_post_is_excerpted_at_a_word_to_fit(session, category, member, other):
    thread = make_thread(session, category, member)
    make_post(session, thread, other, body="word " * 200, notify=True)
    [note] = notes_for(session, member)
    assert len(note.excerpt) <= 300 and note.excerpt.endswith("word…")
