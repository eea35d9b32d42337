"""The notification pages through the real forms, without JavaScript and with htmx: the
list with its unread count, the per-kind preferences, one-click unsubscribe, and the
send-digests command."""

from __future__ import annotations

from urllib.parse import urlsplit

from portal.blueprints.notifications import services
from tests.blueprints.accounts.factories import sign_in
from tests.blueprints.forums.factories import make_post, make_thread
from tests.blueprints.notifications.factories import tell
from tests.helpers import HX, csrf_token, elements, headers_of, links, outbox, text_of, words_of
from tests.blueprints.notifications.support import notes_for

SAVE = "Save notification preferences"


# The list


def test_the_navigation_counts_unread_notifications_until_marked_read(browser, session, category, member,
                                                                      other):
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
    assert 'aria-current="page">Notifications (2 new)</a>' in browser.html
    browser.submit(button="Mark all as read")
    assert "All notifications are marked as read." in text_of(browser.page)
    assert "Notifications (" not in browser.html and "New:" not in browser.html
    assert "Mark all as read" not in browser.html
    assert services.unread_count(session, member) == 0


def test_a_notification_links_to_its_target_and_shows_its_excerpt(browser, session, category, member, other):
    thread = make_thread(session, category, member)
    reply = make_post(session, thread, other, body="Have you tried *pairing*?", notify=True)
    sign_in(browser, member)
    browser.get("/notifications")
    assert (f"Olu Other replied to “{thread.title}”", f"/forums/p/{reply.id}") in links(browser.html)
    assert "Have you tried pairing?" in words_of(browser.page)


def test_the_list_is_friendly_when_empty_and_leads_to_the_preferences(browser, member):
    sign_in(browser, member)
    page = browser.get("/notifications")
    assert "No notifications yet." in text_of(page)
    assert ("Choose how you get notifications", "/account/notifications") in links(browser.html)
    assert "Mark all as read" not in browser.html


def test_a_long_list_has_pages(browser, session, member):
    for _ in range(services.PER_PAGE + 1):
        tell(session, [member])
    session.commit()
    sign_in(browser, member)
    first = words_of(browser.get("/notifications"))
    assert first.count("New:") == services.PER_PAGE
    assert ("Next page", "/notifications?page=2") in links(browser.html)
    second = browser.get("/notifications?page=2")
    assert words_of(second).count("New:") == 1
    assert "<title>Notifications, page 2" in browser.html


def test_marking_read_needs_the_form_token_and_touches_only_your_own(browser, session, member, other):
    tell(session, [member])
    tell(session, [other])
    sign_in(browser, member)
    assert browser.client.post("/notifications/read").status_code == 400
    browser.client.post("/notifications/read", data={"csrf_token": csrf_token(browser)})
    assert services.unread_count(session, member) == 0
    assert services.unread_count(session, other) == 1


# Preferences


def test_every_kind_has_its_own_choice_grouped_by_feature(browser, member):
    sign_in(browser, member)
    browser.get("/account/preferences")
    browser.get(dict(links(browser.html))["Choose how you hear about replies, mentions, events and more"])
    assert "<h1>Notification preferences</h1>" in browser.html
    found = elements(browser.html)
    assert [e.text for e in found if e.tag == "h2"] == ["Events", "Forums"]
    legends = [e.text for e in found if e.tag == "legend"]
    assert legends == ["A place for you from a waiting list", "Changes to events you replied to",
                       "Cancellations of events you replied to", "Replies to threads you follow",
                       "Mentions of your name", "New threads in categories you follow",
                       "Your posts hidden by a moderator"]
    fieldsets = [e for e in found if e.tag == "fieldset"]
    assert fieldsets[3].attrs["aria-describedby"] == "forums-reply-hint"
    assert "You follow the threads you start or reply to." in text_of(browser.page)
    form = browser.form(button=SAVE)
    assert form.choices["forums-reply"] == ["email", "digest", "portal", "off"]
    assert dict(form.fields)["forums-reply"] == "email", "each kind shows its default"


def test_saving_without_javascript_redirects_with_a_banner(browser, session, member):
    sign_in(browser, member)
    browser.get("/account/notifications")
    response = browser.submit({"forums-reply": "digest", "events-changed": "portal"}, button=SAVE,
                              follow=False)
    assert response.status_code == 303 and response.headers["Location"].endswith("/account/notifications")
    browser.follow(response)
    assert "Your notification preferences are saved." in text_of(browser.page)
    chosen = dict(browser.form(button=SAVE).fields)
    assert (chosen["forums-reply"], chosen["events-changed"], chosen["forums-mention"]) == (
        "digest", "portal", "email")
    deliveries = services.deliveries(session, member)
    assert (deliveries["forums.reply"], deliveries["events.changed"]) == ("digest", "portal")


def test_saving_with_htmx_swaps_the_form_and_says_so_beside_the_button(browser, session, member):
    sign_in(browser, member)
    browser.get("/account/notifications")
    response = browser.submit({"forums-mention": "off"}, button=SAVE, headers=HX, follow=False)
    body = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in body
    assert body.startswith('<div id="notification-preferences">')
    assert ('type="submit" data-autofocus>Save notification preferences</button> <p class="notice" '
            'id="notification-preferences-saved">Your notification preferences are saved.</p>'
            ) in " ".join(body.split()), "the button keeps focus, the result beside it"
    assert body.endswith('<div id="live-region" data-hx-swap-oob="innerHTML">'
                         'Your notification preferences are saved.</div>')
    assert 'checked class="choice-input" id="forums-mention-3"' in body
    assert services.deliveries(session, member)["forums.mention"] == "off"


def test_switching_to_email_on_the_page_sends_what_waited(browser, session, member):
    services.save_deliveries(session, member, {"forums.reply": "digest"})
    tell(session, [member], text="A reply you have not seen")
    session.commit()
    sign_in(browser, member)
    browser.get("/account/notifications")
    browser.submit({"forums-reply": "email"}, button=SAVE)
    assert ("Your notification preferences are saved. 1 notification that was waiting for your digest "
            "is on its way to you by email.") in text_of(browser.page)
    [mail] = outbox(session, member.email)
    assert "A reply you have not seen" in mail.text_body


def test_an_unknown_delivery_is_refused_with_the_answers_kept(browser, session, member):
    sign_in(browser, member)
    browser.get("/account/notifications")
    form = dict(browser.form(button=SAVE).fields)
    for headers in ({}, HX):
        response = browser.client.post("/account/notifications", headers=headers,
                                       data=form | {"forums-reply": "hourly", "forums-mention": "portal"})
        page = response.get_data(as_text=True)
        assert response.status_code == 422
        assert "Choose how you hear about replies to threads you follow" in page
        assert 'checked class="choice-input" id="forums-mention-2"' in page, "the other answers are kept"
        assert ('<p class="field-error" id="forums-reply-error"><span class="visually-hidden">Error:</span> '
                'Choose how you hear about replies to threads you follow</p>') in page
    assert services.deliveries(session, member)["forums.mention"] == "email", "nothing is saved"


def test_a_kind_left_unanswered_is_an_error_not_its_old_value(browser, session, member):
    sign_in(browser, member)
    browser.get("/account/notifications")
    response = browser.submit({"events-promoted": None}, button=SAVE, follow=False)
    assert response.status_code == 422
    assert "<title>Error: Notification preferences" in browser.html
    assert ('<li><a href="#events-promoted-0">Choose how you hear about a place for you from a waiting list'
            '</a></li>') in browser.html
    assert "forums-reply" in browser.html


# One-click unsubscribe


def test_one_click_unsubscribe_works_without_a_form_token(client, session, member):
    tell(session, [member])
    url = headers_of(outbox(session, member.email)[0])["List-Unsubscribe"][1:-1]
    assert url.startswith("http://portal.test/unsubscribe/")
    response = client.post(urlsplit(url).path, data={"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert "You will get no more emails about replies to threads you follow." in text_of(response)
    tell(session, [member])
    assert len(outbox(session, member.email)) == 1
    assert len(notes_for(session, member)) == 2


def test_the_unsubscribe_link_shows_a_button_first(browser, session, member):
    services.save_deliveries(session, member, {"forums.reply": "digest"})
    tell(session, [member])
    services.send_digests(session)
    url = headers_of(outbox(session, member.email)[0])["List-Unsubscribe"][1:-1]
    page = browser.get(urlsplit(url).path)
    assert page.status_code == 200 and "<h1>Stop these emails</h1>" in browser.html
    assert services.deliveries(session, member)["forums.reply"] == "digest", "a GET (a link scanner) changes nothing"
    browser.submit(button="Unsubscribe")
    assert "You will get no more notification emails." in text_of(browser.page)
    assert set(services.deliveries(session, member).values()) == {"portal"}


def test_a_bad_unsubscribe_token_is_404(client):
    for token in ("nonsense", "eyJ1IjoxLCJrIjoiYWxsIiwidCI6MH0.forged"):
        assert client.get(f"/unsubscribe/{token}").status_code == 404
        assert client.post(f"/unsubscribe/{token}").status_code == 404


def test_portal_only_means_no_email_but_the_notification_is_kept(browser, session, member):
    sign_in(browser, member)
    browser.get("/account/notifications")
    browser.submit({"forums-reply": "portal"}, button=SAVE)
    tell(session, [member])
    assert outbox(session, member.email) == []
    assert len(notes_for(session, member)) == 1
    assert services.send_digests(session) == 0


# The command


def test_the_send_digests_command(app, session, member):
    services.save_deliveries(session, member, {"forums.reply": "digest"})
    tell(session, [member])
    session.commit()
    result = app.test_cli_runner().invoke(args=["send-digests"])
    assert result.exit_code == 0, result.output
    assert result.output == "Queued 1 digests.\n"
    assert len(outbox(session, member.email)) == 1
    again = app.test_cli_runner().invoke(args=["send-digests"])
    assert again.output == "Queued 0 digests.\n"
