"""The notification rules as plain functions: each person's delivery per kind and the
defaults, notify() and who it leaves out, emails at once (the generic one or the
feature's own) with one-click unsubscribe, switching while notifications wait for the
digest, the digest, the unread count, and unsubscribe tokens for every scope."""

from __future__ import annotations

import json

import pytest
from flask_login import AnonymousUserMixin
from sqlalchemy import func, select

from portal.blueprints.forums import services as forums
from portal.blueprints.notifications import services
from portal.blueprints.notifications.models import Notification, NotificationPreference
from portal.core.db import utcnow
from portal.core.features import registry
from portal.core.mail import Attachment
from tests.blueprints.forums.factories import make_person, make_post, make_thread
from tests.helpers import headers_of, outbox
from tests.blueprints.notifications.factories import tell
from tests.blueprints.notifications.support import notes_for

FORUM_KINDS = ["forums.reply", "forums.mention", "forums.new_thread", "forums.post_hidden"]
EVENT_KINDS = ["events.promoted", "events.changed", "events.cancelled"]


def rows_of(session, user) -> dict[str, str]:
    return dict(session.execute(select(NotificationPreference.kind, NotificationPreference.delivery)
                                .where(NotificationPreference.user_id == user.id)).all())


# Deliveries per kind


def test_the_installed_features_declare_their_kinds_grouped_in_the_features_order(app):
    groups = dict(services.kind_groups())
    assert [k.name for k in groups["events"]] == EVENT_KINDS
    assert [k.name for k in groups["forums"]] == FORUM_KINDS
    assert list(groups).index("events") < list(groups).index("forums")
    assert set(EVENT_KINDS + FORUM_KINDS) <= set(registry().notification_kinds)


def test_a_person_without_a_choice_has_each_kinds_default(session, member):
    assert services.deliveries(session, member) == {name: kind.default for name, kind
                                                      in registry().notification_kinds.items()}
    deliveries = services.deliveries(session, member)
    assert {deliveries[name] for name in EVENT_KINDS + FORUM_KINDS} == {"email"}, "as before kinds existed"


def test_each_kind_reaches_a_person_as_they_chose(session, member, other):
    services.save_deliveries(session, member, {"forums.reply": "digest", "forums.mention": "portal",
                                               "forums.new_thread": "off"})
    [reply] = tell(session, [member], "forums.reply")
    [mention] = tell(session, [member], "forums.mention")
    assert tell(session, [member], "forums.new_thread") == []
    [hidden] = tell(session, [member], "forums.post_hidden")
    assert [(n.kind, n.email_state) for n in (reply, mention, hidden)] == [
        ("forums.reply", "waiting"), ("forums.mention", "none"), ("forums.post_hidden", "sent")]
    assert [m.subject for m in outbox(session, member.email)] == [hidden.text]
    [others] = tell(session, [other], "forums.reply")
    assert others.email_state == "sent", "one person's choice is theirs alone"


def test_a_choice_is_kept_only_where_it_differs_from_the_default(session, member):
    services.save_deliveries(session, member, {"forums.reply": "digest", "events.changed": "email"})
    assert rows_of(session, member) == {"forums.reply": "digest"}
    services.save_deliveries(session, member, {"forums.reply": "portal"})
    assert rows_of(session, member) == {"forums.reply": "portal"}
    services.save_deliveries(session, member, {"forums.reply": "email"})
    assert rows_of(session, member) == {}


@pytest.mark.parametrize("choices", [{"nobody.declares": "email"}, {"forums.reply": "hourly"}])
def test_saving_refuses_an_undeclared_kind_or_an_unknown_delivery(session, member, choices):
    with pytest.raises(ValueError):
        services.save_deliveries(session, member, choices)


def test_notify_refuses_a_kind_nobody_declares(session, member):
    with pytest.raises(ValueError, match="nobody.declares"):
        tell(session, [member], "nobody.declares")


# Who notify() leaves out


def test_people_who_left_or_have_no_address_and_the_actor_get_nothing(session, member, other):
    gone = make_person(session)
    gone.deleted_at = utcnow()
    no_address = make_person(session)
    no_address.email = None
    session.flush()
    notes = tell(session, [member, member, gone, no_address, other], actor=other)
    assert [n.user_id for n in notes] == [member.id], "each person once; the actor hears nothing"
    assert notes[0].actor_id == other.id
    assert [m.recipient for m in outbox(session)] == [member.email]
    assert tell(session, [], "forums.reply") == []


def test_long_texts_are_cut_to_what_the_table_holds(session, member):
    [note] = tell(session, [member], text="x" * 400, target_text="t" * 250, excerpt="e" * 350)
    assert (len(note.text), len(note.target_text), len(note.excerpt)) == (300, 200, 300)
    assert note.text.endswith("x…")
    [mail] = outbox(session, member.email)
    assert len(mail.subject) == 200 and mail.subject.endswith("…")


# Email at once


def test_an_email_at_once_carries_one_click_unsubscribe(session, member, other):
    [note] = tell(session, [member], "forums.mention", text="Olu Other mentioned you in “Bootcamps”",
                  url="/forums/p/7", target_text="Bootcamps", excerpt="Ask @Mo Member", actor=other)
    [mail] = outbox(session, member.email)
    assert mail.subject == note.text
    headers = headers_of(mail)
    assert headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    link = headers["List-Unsubscribe"][1:-1]
    assert link.startswith("http://portal.test/unsubscribe/") and headers["List-Unsubscribe"].endswith(">")
    assert link in mail.text_body and link in mail.html_body
    assert "Read it here: http://portal.test/forums/p/7" in mail.text_body
    assert '"Ask @Mo Member"' in mail.text_body
    assert "http://portal.test/account/notifications" in mail.text_body
    payload = services.read_unsubscribe_token(link.rsplit("/", 1)[1])
    assert payload == {"u": member.id, "k": "kind", "t": "forums.mention"}


def test_plain_text_readers_get_no_html(session):
    reader = make_person(session, plain_text_email=True)
    tell(session, [reader])
    [mail] = outbox(session, reader.email)
    assert mail.html_body is None and "Read it here:" in mail.text_body


def test_a_feature_can_send_its_own_email_with_attachments(session, member):
    def email(user):
        return services.Email("notifications/digest", f"Changed, for {user.display_name}",
                              {"intro": "The feature's own words:", "notes": [("Picnic", "http://x.test/9")]},
                              (Attachment("event.ics", "text/calendar", "BEGIN:VCALENDAR"),))

    [note] = tell(session, [member], "events.changed", text="The time of “Picnic” changed",
                  url="/events/9", target_text="Picnic", email=email)
    [mail] = outbox(session, member.email)
    assert mail.subject == "Changed, for Mo Member"
    assert "The feature's own words:" in mail.text_body and "http://x.test/9" in mail.text_body
    assert json.loads(mail.attachments_json) == [
        {"filename": "event.ics", "content_type": "text/calendar", "data": "BEGIN:VCALENDAR"}]
    link = headers_of(mail)["List-Unsubscribe"][1:-1]
    assert link in mail.text_body and link in mail.html_body
    assert services.read_unsubscribe_token(link.rsplit("/", 1)[1])["t"] == "events.changed"
    assert (note.text, note.url, note.email_state) == ("The time of “Picnic” changed", "/events/9", "sent")


def test_a_feature_scope_names_what_the_unsubscribe_link_stops(session, member):
    tell(session, [member], unsubscribe=("thread", 12))
    link = headers_of(outbox(session, member.email)[0])["List-Unsubscribe"][1:-1]
    assert services.read_unsubscribe_token(link.rsplit("/", 1)[1]) == {"u": member.id, "k": "thread", "t": 12}


# Switching while notifications wait for the digest


def test_switching_to_email_sends_what_waits_in_one_email_and_to_portal_drops_it(session, member, other):
    services.save_deliveries(session, member, {"forums.reply": "digest", "forums.mention": "digest",
                                               "forums.new_thread": "digest"})
    services.save_deliveries(session, other, {"forums.reply": "digest"})
    replies = tell(session, [member], text="First reply") + tell(session, [member], text="Second reply")
    [mention] = tell(session, [member], "forums.mention")
    [new_thread] = tell(session, [member], "forums.new_thread")
    [others] = tell(session, [other])
    assert outbox(session) == []

    saved = services.save_deliveries(session, member, {"forums.reply": "email", "forums.mention": "portal",
                                                       "forums.new_thread": "digest"})
    assert (saved.emailed, saved.dropped) == (2, 1)
    assert saved.message == ("Your notification preferences are saved. 2 notifications that were waiting "
                             "for your digest are on their way to you in one email. 1 notification that "
                             "was waiting for your digest will not be emailed.")
    [mail] = outbox(session, member.email)
    assert mail.subject == "2 notifications that waited for your digest"
    assert "First reply" in mail.text_body and "Second reply" in mail.text_body
    assert mention.text not in mail.text_body
    assert headers_of(mail)["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert [n.email_state for n in replies] == ["sent", "sent"]
    assert (mention.email_state, new_thread.email_state, others.email_state) == ("dropped", "waiting", "waiting")

    assert services.send_digests(session) == 2
    assert new_thread.text in outbox(session, member.email)[-1].text_body
    assert mention.text not in outbox(session, member.email)[-1].text_body


def test_switching_to_off_drops_what_waits(session, member):
    services.save_deliveries(session, member, {"forums.reply": "digest"})
    [note] = tell(session, [member])
    saved = services.save_deliveries(session, member, {"forums.reply": "off"})
    assert (saved.emailed, saved.dropped, note.email_state) == (0, 1, "dropped")
    assert saved.message.endswith("1 notification that was waiting for your digest will not be emailed.")
    assert services.send_digests(session) == 0 and outbox(session) == []
    assert notes_for(session, member) == [note], "what was in the portal stays there"


def test_saving_without_a_change_leaves_waiting_notifications_waiting(session, member):
    services.save_deliveries(session, member, {"forums.reply": "digest"})
    [note] = tell(session, [member])
    saved = services.save_deliveries(session, member, services.deliveries(session, member))
    assert (saved.emailed, saved.dropped, note.email_state) == (0, 0, "waiting")
    assert saved.message == "Your notification preferences are saved."


# The digest


def test_the_daily_digest_gathers_each_notification_once(session, category, member, other):
    services.save_deliveries(session, member, {"forums.reply": "digest", "forums.new_thread": "digest"})
    thread = make_thread(session, category, member, title="Bootcamps")
    forums.subscribe_category(session, category, member)
    make_post(session, thread, other, body="One", notify=True)
    make_post(session, thread, other, body="Two", notify=True)
    make_thread(session, category, other, title="Portfolio tips", notify=True)
    assert outbox(session, member.email) == [], "nothing is emailed until the digest"
    assert services.send_digests(session) == 1
    [digest] = outbox(session, member.email)
    assert digest.subject == "Your daily digest: 3 new notifications"
    assert digest.text_body.count("Olu Other replied to “Bootcamps”") == 2
    assert "New thread in Finding a mentor: “Portfolio tips”" in digest.text_body
    assert f"http://portal.test/forums/p/{thread.last_post_id}" in digest.text_body
    link = headers_of(digest)["List-Unsubscribe"][1:-1]
    assert headers_of(digest)["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert services.read_unsubscribe_token(link.rsplit("/", 1)[1]) == {"u": member.id, "k": "all", "t": 0}
    assert services.send_digests(session) == 0, "each notification goes in one digest"
    make_post(session, thread, other, body="Three", notify=True)
    assert services.send_digests(session) == 1
    latest = outbox(session, member.email)[-1]
    assert latest.subject == "Your daily digest: 1 new notification"
    assert latest.text_body.count("replied to") == 1


def test_digests_leave_out_people_who_chose_otherwise_or_left(session, member, other):
    daily, gone = make_person(session), make_person(session)
    for person in (daily, gone):
        services.save_deliveries(session, person, {"forums.reply": "digest"})
    tell(session, [daily, gone, other, member])
    gone.deleted_at = utcnow()
    session.flush()
    before = len(outbox(session))
    assert services.send_digests(session) == 1
    assert [m.recipient for m in outbox(session)[before:]] == [daily.email]


# In the portal


def test_the_unread_count_and_marking_read_are_each_persons_own(session, member, other):
    tell(session, [member, other])
    tell(session, [member])
    assert (services.unread_count(session, member), services.unread_count(session, other)) == (2, 1)
    services.mark_all_read(session, member)
    assert (services.unread_count(session, member), services.unread_count(session, other)) == (0, 1)
    assert services.unread_count(session, AnonymousUserMixin()) == 0
    assert session.scalar(select(func.count()).select_from(Notification)) == 3


def test_the_list_is_newest_first_a_page_at_a_time(session, member):
    for _ in range(services.PER_PAGE + 2):
        tell(session, [member])
    first, second = services.notifications_page(session, member, 1), services.notifications_page(session, member, 2)
    assert (first.pages, first.total, len(first.items), len(second.items)) == (2, 52, 50, 2)
    assert first.items[0].id > first.items[-1].id > second.items[0].id


def test_a_target_path_becomes_an_address_for_emails(app):
    assert services.absolute_url("/forums/p/3") == "http://portal.test/forums/p/3"


# Unsubscribe tokens, for each scope


def test_unsubscribe_tokens_are_signed_and_say_what_they_stop(app, member):
    token = services.unsubscribe_token(member, "kind", "forums.reply")
    assert services.read_unsubscribe_token(token) == {"u": member.id, "k": "kind", "t": "forums.reply"}
    assert services.read_unsubscribe_token(token[:-2] + "xx") is None
    assert services.read_unsubscribe_token("not-a-token") is None
    assert services.read_unsubscribe_token(services._serializer().dumps(["u", "k", "t"])) is None


def test_the_kind_scope_stops_that_kinds_emails_and_drops_what_waits(session, member):
    services.save_deliveries(session, member, {"forums.new_thread": "digest"})
    [waiting] = tell(session, [member], "forums.new_thread")
    said = services.apply_unsubscribe(session, {"u": member.id, "k": "kind", "t": "forums.reply"})
    assert said == ("You will get no more emails about replies to threads you follow. They still appear "
                    "in your notifications, and you can change this in your notification preferences.")
    assert services.apply_unsubscribe(session, {"u": member.id, "k": "kind", "t": "forums.new_thread"})
    assert (rows_of(session, member), waiting.email_state) == (
        {"forums.reply": "portal", "forums.new_thread": "portal"}, "dropped")


def test_the_kind_scope_leaves_a_kind_that_is_off_off(session, member):
    services.save_deliveries(session, member, {"forums.reply": "off"})
    services.apply_unsubscribe(session, {"u": member.id, "k": "kind", "t": "forums.reply"})
    assert rows_of(session, member) == {"forums.reply": "off"}


def test_the_all_scope_stops_every_email_and_keeps_the_portal(session, member):
    services.save_deliveries(session, member, {"forums.reply": "off", "forums.mention": "digest"})
    said = services.apply_unsubscribe(session, {"u": member.id, "k": "all", "t": 0})
    assert said.startswith("You will get no more notification emails.")
    deliveries = services.deliveries(session, member)
    assert deliveries.pop("forums.reply") == "off"
    assert set(deliveries.values()) == {"portal"}


def test_feature_scopes_stop_what_the_feature_says(session, category, member):
    thread = make_thread(session, category, member, title="Time zones")
    forums.subscribe_category(session, category, member)
    assert services.apply_unsubscribe(session, {"u": member.id, "k": "thread", "t": thread.id}) == (
        "You will get no more emails about “Time zones”.")
    assert services.apply_unsubscribe(session, {"u": member.id, "k": "category", "t": category.id}) == (
        "You will get no more emails about new threads in Finding a mentor.")
    assert not forums.is_subscribed_thread(session, thread, member)
    assert not forums.is_subscribed_category(session, category, member)


@pytest.mark.parametrize("payload", [
    {"u": 999_999, "k": "all", "t": 0},
    {"k": "nonsense", "t": 0},
    {"k": "kind", "t": "nobody.declares"},
    {"k": "kind", "t": 5},
    {"k": "thread", "t": 999_999},
])
def test_a_token_for_nothing_that_exists_says_so(session, member, payload):
    said = services.apply_unsubscribe(session, {"u": member.id} | payload)
    assert said == "That subscription no longer exists."
    assert rows_of(session, member) == {}


def test_a_token_of_someone_who_left_stops_nothing(session, member):
    member.deleted_at = utcnow()
    session.flush()
    assert services.apply_unsubscribe(session, {"u": member.id, "k": "all", "t": 0}) == (
        "That subscription no longer exists.")
    assert rows_of(session, member) == {}
