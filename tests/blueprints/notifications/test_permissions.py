"""Every notifications route, for each kind of visitor: signed out, unverified, member,
manager, admin. Notifications are everyone's own; unsubscribing needs only the link."""

from __future__ import annotations

import re

import pytest

from portal.blueprints.notifications import services
from portal.core.permissions import Role
from tests.blueprints.accounts.factories import make_user, sign_in
from tests.blueprints.forums.factories import make_person

ROLES = ["signed out", "unverified", "member", "manager", "admin"]
ALL = [200] * 5
SIGNED_IN = [302, 200, 200, 200, 200]

# (endpoint, method, path, expected status for each of ROLES). Signed out: 302 to sign in.
# {token} unsubscribes someone else from their reply emails. Posts that change things come last.
ROUTES = [
    ("notifications.index", "GET", "/notifications", SIGNED_IN),
    ("notifications.index", "GET", "/notifications?page=99", SIGNED_IN),
    ("notifications.preferences", "GET", "/account/notifications", SIGNED_IN),
    ("notifications.unsubscribe", "GET", "/unsubscribe/{token}", ALL),
    ("notifications.unsubscribe", "GET", "/unsubscribe/forged", [404] * 5),
    ("notifications.mark_read", "POST", "/notifications/read", [302, 303, 303, 303, 303]),
    ("notifications.preferences", "POST", "/account/notifications", [302, 422, 422, 422, 422]),
    ("notifications.unsubscribe", "POST", "/unsubscribe/{token}", ALL),
    ("notifications.unsubscribe", "POST", "/unsubscribe/forged", [404] * 5),
]


def _viewer(session, role: str):
    if role == "signed out":
        return None
    if role == "unverified":
        return make_user(session, verified=False)
    return make_person(session, role={"member": Role.MEMBER, "manager": Role.MANAGER, "admin": Role.ADMIN}[role])


def _token(browser) -> str:
    page = browser.client.get("/").get_data(as_text=True)
    return re.search(r'"X-CSRFToken": "([^"]+)"', page).group(1)


@pytest.mark.parametrize("role", ROLES)
def test_each_role_gets_what_it_may_on_every_route(browser, session, role):
    someone = make_person(session)
    ids = {"token": services.unsubscribe_token(someone, "kind", "forums.reply")}
    viewer = _viewer(session, role)
    session.commit()
    if viewer is not None:
        sign_in(browser, viewer)
    token = _token(browser)
    got, expected = {}, {}
    for _endpoint, method, path, statuses in ROUTES:
        url = path.format(**ids)
        label = f"{method} {path}"
        if method == "GET":
            response = browser.client.get(url)
        else:
            response = browser.client.post(url, data={"csrf_token": token})
        got[label] = response.status_code
        expected[label] = statuses[ROLES.index(role)]
    assert got == expected


def test_every_notifications_route_is_in_the_matrix(app):
    covered = {(endpoint, method) for endpoint, method, *_ in ROUTES}
    routes = {
        (rule.endpoint, method)
        for rule in app.url_map.iter_rules()
        if rule.endpoint.startswith("notifications.")
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }
    assert routes - covered == set()


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
