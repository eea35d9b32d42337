"""Every events route, for each kind of visitor: signed out, unverified, member, host, manager, admin."""

from __future__ import annotations

from datetime import timedelta

import pytest

from portal.blueprints.events import services
from portal.blueprints.events.models import Answer, EventStatus, Rsvp
from tests.blueprints.accounts.factories import make_user, sign_in
from tests.blueprints.events.factories import make_event
from tests.permissions import assert_matrix, covered_routes, make_viewer, served_routes

ROLES = ["signed out", "unverified", "member", "host", "manager", "admin"]

# (endpoint, method, path, form data or None, expected status for each of ROLES).
# Signed out: 302 to the sign-in page. Drafts are 404 to those who may not see them.
# Order matters: the POSTs that change things come after everything that reads them.
ROUTES = [
    ("events.index", "GET", "/events/", None, [200, 200, 200, 200, 200, 200]),
    ("events.past", "GET", "/events/past", None, [200, 200, 200, 200, 200, 200]),
    ("events.calendar_now", "GET", "/events/calendar", None, [302, 302, 302, 302, 302, 302]),
    ("events.calendar", "GET", "/events/calendar/2026/11", None, [200, 200, 200, 200, 200, 200]),
    ("events.mine", "GET", "/events/mine", None, [302, 200, 200, 200, 200, 200]),
    ("events.show", "GET", "/events/{event}", None, [200, 200, 200, 200, 200, 200]),
    ("events.show", "GET", "/events/{draft}", None, [404, 404, 404, 200, 200, 200]),
    ("events.ics", "GET", "/events/{event}.ics", None, [200, 200, 200, 200, 200, 200]),
    ("events.ics", "GET", "/events/{draft}.ics", None, [404, 404, 404, 200, 200, 200]),
    ("events.public_feed", "GET", "/events/feed.ics", None, [200, 200, 200, 200, 200, 200]),
    ("events.personal_feed", "GET", "/events/calendar-feed/{token}.ics", None, [200, 200, 200, 200, 200, 200]),
    ("events.personal_feed", "GET", "/events/calendar-feed/guess.ics", None, [404, 404, 404, 404, 404, 404]),
    ("events.create", "GET", "/events/new", None, [302, 403, 403, 403, 200, 200]),
    ("events.edit", "GET", "/events/{event}/edit", None, [302, 403, 403, 200, 200, 200]),
    ("events.edit", "GET", "/events/{draft}/edit", None, [302, 404, 404, 200, 200, 200]),
    ("events.cancel", "GET", "/events/{event}/cancel", None, [302, 403, 403, 403, 200, 200]),
    ("events.cancel", "GET", "/events/{past}/cancel", None, [302, 403, 403, 403, 302, 302]),
    ("events.attendees", "GET", "/events/{event}/attendees", None, [302, 403, 403, 200, 200, 200]),
    ("events.attendees_csv", "GET", "/events/{event}/attendees.csv", None, [302, 403, 403, 200, 200, 200]),
    ("events.followup", "GET", "/events/{past}/follow-up", None, [302, 403, 403, 200, 200, 200]),
    ("events.feedback", "GET", "/events/{past}/feedback", None, [302, 403, 403, 403, 403, 403]),
    ("events.feedback", "POST", "/events/{past}/feedback", {}, [302, 403, 403, 403, 403, 403]),
    ("events.feedback", "GET", "/events/{past}/feedback", "attendee", [302, 403, 200, 200, 200, 200]),
    ("events.feedback", "POST", "/events/{past}/feedback", "attendee", [302, 403, 422, 422, 422, 422]),
    ("events.feedback_results", "GET", "/events/{past}/feedback/results", None, [302, 403, 403, 200, 200, 200]),
    ("events.rsvp", "POST", "/events/{draft}/rsvp", {"answer": "going"}, [302, 403, 404, 409, 409, 409]),
    ("events.rsvp", "POST", "/events/{event}/rsvp", {"answer": "going"}, [302, 403, 303, 409, 303, 303]),
    # Needs are for people going or waiting (the row above made them going, except the host, who
    # does not reply); a draft takes none.
    ("events.needs", "POST", "/events/{event}/needs", {}, [302, 403, 303, 409, 303, 303]),
    ("events.needs", "POST", "/events/{draft}/needs", {}, [302, 403, 404, 409, 409, 409]),
    ("events.create", "POST", "/events/new", {}, [302, 403, 403, 403, 422, 422]),
    ("events.edit", "POST", "/events/{event}/edit", {}, [302, 403, 403, 422, 422, 422]),
    ("events.cancel", "POST", "/events/{event}/cancel", {}, [302, 403, 403, 403, 422, 422]),
    ("events.followup", "POST", "/events/{past}/follow-up", {}, [302, 403, 403, 422, 422, 422]),
    ("events.attendance", "POST", "/events/{past}/attendance", {}, [302, 403, 403, 303, 303, 303]),
    ("events.duplicate", "POST", "/events/{event}/duplicate", {}, [302, 403, 403, 403, 303, 303]),
    ("events.publish", "POST", "/events/{draft}/publish", {}, [302, 403, 403, 403, 303, 303]),
    ("events.regenerate_feed", "POST", "/events/mine/feed", {}, [302, 303, 303, 303, 303, 303]),
]


@pytest.mark.parametrize("role", ROLES)
def test_each_role_gets_what_it_may_on_every_route(browser, session, role):
    host = make_user(session, display_name="Hana Host")
    event = make_event(session, hosts=[host], capacity=10)
    draft = make_event(session, hosts=[host], status=EventStatus.DRAFT)
    past = make_event(session, hosts=[host], starts_in=-timedelta(hours=3))
    ids = {"event": event.id, "draft": draft.id, "past": past.id, "token": services.regenerate_feed(session, host)}
    viewer = make_viewer(session, role, host=lambda: host)

    def attended(_name: str) -> bool:
        """Only a verified viewer can have gone to the past event."""
        if viewer is None or not viewer.is_verified:
            return False
        services.find_rsvp(session, past, viewer) or _went(session, past, viewer)
        return True

    assert_matrix(browser, viewer, ROUTES, ROLES.index(role), ids, token_page="/events/", arrange=attended)


def _went(session, event, user):
    session.add(Rsvp(event_id=event.id, user_id=user.id, answer=Answer.GOING.value))
    session.flush()


def test_every_events_route_is_in_the_matrix(app):
    assert served_routes(app, lambda endpoint: endpoint.startswith("events.")) - covered_routes(ROUTES) == set()


def test_signed_out_visitors_are_sent_to_sign_in_and_back(client, session, host):
    event = make_event(session, hosts=[host])
    response = client.get(f"/events/{event.id}/attendees")
    assert response.status_code == 302
    assert f"/sign-in?next=%2Fevents%2F{event.id}%2Fattendees" in response.headers["Location"]


def test_a_host_manages_only_their_own_events(browser, session, host):
    mine = make_event(session, hosts=[host])
    theirs = make_event(session, hosts=[make_user(session)])
    sign_in(browser, host)
    assert browser.get(f"/events/{mine.id}/attendees").status_code == 200
    for path in ("edit", "attendees", "attendees.csv", "follow-up", "feedback/results"):
        assert browser.get(f"/events/{theirs.id}/{path}").status_code == 403, path
    assert "Hosting tools" not in browser.get(f"/events/{theirs.id}").get_data(as_text=True)


def test_posts_without_the_form_token_are_refused(browser, session, host, manager):
    event = make_event(session, hosts=[host])
    draft = make_event(session, hosts=[host], status=EventStatus.DRAFT)
    sign_in(browser, manager)
    for path in (f"/events/{event.id}/rsvp", "/events/new", f"/events/{event.id}/edit",
                 f"/events/{event.id}/duplicate", f"/events/{draft.id}/publish", f"/events/{event.id}/cancel",
                 f"/events/{event.id}/attendance", f"/events/{event.id}/follow-up", "/events/mine/feed"):
        assert browser.client.post(path, data={"answer": "going", "confirm": "y"}).status_code == 400, path
    assert not draft.is_published and not event.is_cancelled


def test_a_missing_event_is_404_everywhere(browser, session, manager):
    sign_in(browser, manager)
    for path in ("", ".ics", "/edit", "/cancel", "/attendees", "/attendees.csv", "/follow-up", "/feedback",
                 "/feedback/results"):
        assert browser.get(f"/events/999999{path}").status_code == 404, path
