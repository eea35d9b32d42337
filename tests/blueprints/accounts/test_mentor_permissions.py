"""Every mentoring route, for each kind of visitor: signed out, unverified, member, member
with a pending request, approved mentor, community manager, admin."""

from __future__ import annotations

import pytest

from portal.core.permissions import Role
from tests.blueprints.accounts.factories import make_mentor, make_mentor_request, make_user, sign_in
from tests.permissions import assert_matrix, covered_routes, make_viewer, served_routes

ROLES = ["signed out", "unverified", "member", "pending", "mentor", "manager", "admin"]
MANAGERS_ONLY = [302, 403, 403, 403, 403, 200, 200]

# (endpoint, method, path, form data or None, expected status for each of ROLES). {request}
# is someone else's pending request, {person} someone else who is a mentor. Signed out: 302
# to sign in. Asking comes before withdrawing, so a member asks and then withdraws.
ROUTES = [
    ("accounts.mentor", "GET", "/account/mentor", None, [302, 200, 200, 200, 200, 200, 200]),
    ("manage.mentor_request", "GET", "/manage/mentor-requests/{request}", None, MANAGERS_ONLY),
    (
        "manage.mentor_request",
        "GET",
        "/manage/mentor-requests/999999",
        None,
        [302, 403, 403, 403, 403, 404, 404],
    ),
    ("manage.mentor_status", "GET", "/manage/people/{person}/mentoring", None, MANAGERS_ONLY),
    (
        "manage.mentor_status",
        "GET",
        "/manage/people/999999/mentoring",
        None,
        [302, 403, 403, 403, 403, 404, 404],
    ),
    (
        "accounts.ask_to_mentor",
        "POST",
        "/account/mentor",
        {"note": "I have mentored before."},
        [302, 403, 303, 422, 422, 303, 303],
    ),
    (
        "accounts.withdraw_mentor_request",
        "POST",
        "/account/mentor/withdraw",
        {},
        [302, 303, 303, 303, 303, 303, 303],
    ),
    (
        "manage.mentor_request",
        "POST",
        "/manage/mentor-requests/{request}",
        {},
        [302, 403, 403, 403, 403, 422, 422],
    ),
    (
        "manage.mentor_status",
        "POST",
        "/manage/people/{person}/mentoring",
        {},
        [302, 403, 403, 403, 403, 422, 422],
    ),
]


@pytest.mark.parametrize("role", ROLES)
def test_each_role_gets_what_it_may_on_every_mentoring_route(browser, session, role):
    ids = {"request": make_mentor_request(session).id, "person": make_mentor(session).id}
    viewer = make_viewer(
        session,
        role,
        unverified=lambda: make_user(session, verified=False, participation="mentor"),
        pending=lambda: make_mentor_request(session).user,
        mentor=lambda: make_mentor(session),
    )
    session.commit()
    assert_matrix(browser, viewer, ROUTES, ROLES.index(role), ids)


def test_every_mentoring_route_is_in_the_matrix(app):
    assert served_routes(app, lambda endpoint: "mentor" in endpoint) == covered_routes(ROUTES)


def test_changes_without_the_form_token_are_refused(browser, session):
    manager = make_user(session, role=Role.MANAGER)
    asking = make_mentor_request(session)
    mentor = make_mentor(session)
    sign_in(browser, manager)
    for path in (
        "/account/mentor",
        "/account/mentor/withdraw",
        f"/manage/mentor-requests/{asking.id}",
        f"/manage/people/{mentor.id}/mentoring",
    ):
        response = browser.client.post(
            path, data={"note": "N", "decision": "approve", "reason": "R"}
        )
        assert response.status_code == 400, path
    session.expire_all()
    assert asking.is_pending and mentor.is_mentor and not manager.is_mentor
