"""Every notifications route, for each kind of visitor: signed out, unverified, member,
manager, admin. Notifications are everyone's own; unsubscribing needs only the link."""

from __future__ import annotations

import pytest

from portal.blueprints.notifications import services
from tests.blueprints.accounts.factories import sign_in
from tests.blueprints.forums.factories import make_person
from tests.permissions import assert_matrix, covered_routes, make_viewer, served_routes

ROLES = ["signed out", "unverified", "member", "manager", "admin"]
ALL = [200] * 5
SIGNED_IN = [302, 200, 200, 200, 200]

# (endpoint, method, path, form data or None, expected status for each of ROLES). Signed out:
# 302 to sign in. {token} unsubscribes someone else from their reply emails. Posts that change
# things come last.
ROUTES = [
    ("notifications.index", "GET", "/notifications", None, SIGNED_IN),
    ("notifications.index", "GET", "/notifications?page=99", None, SIGNED_IN),
    ("notifications.preferences", "GET", "/account/notifications", None, SIGNED_IN),
    ("notifications.unsubscribe", "GET", "/unsubscribe/{token}", None, ALL),
    ("notifications.unsubscribe", "GET", "/unsubscribe/forged", None, [404] * 5),
    ("notifications.mark_read", "POST", "/notifications/read", {}, [302, 303, 303, 303, 303]),
    ("notifications.preferences", "POST", "/account/notifications", {}, [302, 422, 422, 422, 422]),
    ("notifications.unsubscribe", "POST", "/unsubscribe/{token}", {}, ALL),
    ("notifications.unsubscribe", "POST", "/unsubscribe/forged", {}, [404] * 5),
]


@pytest.mark.parametrize("role", ROLES)
def test_each_role_gets_what_it_may_on_every_route(browser, session, role):
    someone = make_person(session)
    ids = {"token": services.unsubscribe_token(someone, "kind", "forums.reply")}
    viewer = make_viewer(session, role)
    session.commit()
    assert_matrix(browser, viewer, ROUTES, ROLES.index(role), ids)


def test_every_notifications_route_is_in_the_matrix(app):
    served = served_routes(app, lambda endpoint: endpoint.startswith("notifications."))
    assert served - covered_routes(ROUTES) == set()


def test_signed_out_visitors_are_sent_to_sign_in_and_back(client):
    response = client.get("/account/notifications")
    assert response.status_code == 302
    assert "/sign-in?next=%2Faccount%2Fnotifications" in response.headers["Location"]


def test_changes_without_the_form_token_are_refused(browser, session):
    person = make_person(session)
    services.notify(session, [person], "forums.reply", text="Unread", url="/forums/t/1", target_text="Thread")
    session.commit()
    sign_in(browser, person)
    for path in ("/notifications/read", "/account/notifications"):
        assert browser.client.post(path, data={"forums-reply": "off"}).status_code == 400, path
    assert services.deliveries(session, person)["forums.reply"] == "email"
    assert services.unread_count(session, person) == 1


def test_no_one_can_see_or_change_someone_elses_notifications(browser, session):
    owner, visitor = make_person(session), make_person(session)
    services.notify(session, [owner], "forums.reply", text="Only for the owner", url="/forums/t/1",
                    target_text="Thread")
    session.commit()
    sign_in(browser, visitor)
    assert "Only for the owner" not in browser.get("/notifications").get_data(as_text=True)
    browser.get("/account/notifications")
    browser.submit({"forums-reply": "off"}, button="Save notification preferences")
    assert services.deliveries(session, owner)["forums.reply"] == "email"
    assert services.deliveries(session, visitor)["forums.reply"] == "off"
