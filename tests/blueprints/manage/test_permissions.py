"""Every moderation route for each kind of visitor: signed out, unverified, member,
suspended member, community manager, admin."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from portal.blueprints.manage.models import Report, Suspension
from portal.core.permissions import Role
from tests.blueprints.accounts.factories import sign_in
from tests.blueprints.forums.factories import make_person
from tests.blueprints.manage.factories import reported_post, suspend
from tests.helpers import csrf_token
from tests.permissions import assert_matrix, covered_routes, make_viewer, served_routes

ROLES = ["signed out", "unverified", "member", "suspended", "manager", "admin"]
MODERATORS_ONLY = [302, 403, 403, 403, 200, 200]

# (endpoint, method, path, form data or None, expected status for each of ROLES).
# Signed out: 302 to sign in. Posts that change things come last.
ROUTES = [
    ("manage.queue", "GET", "/manage/moderation", None, MODERATORS_ONLY),
    ("manage.queue", "GET", "/manage/moderation?status=handled&kind=forums.post", None, MODERATORS_ONLY),
    ("manage.suspensions", "GET", "/manage/suspensions", None, MODERATORS_ONLY),
    ("manage.suspensions", "GET", "/manage/suspensions?show=ended", None, MODERATORS_ONLY),
    ("manage.report", "GET", "/report/forums.post/{post}", None, [302, 403, 200, 403, 200, 200]),
    ("manage.report", "GET", "/report/forums.post/999999", None, [302, 403, 404, 403, 404, 404]),
    ("manage.report", "GET", "/report/no.such.kind/{post}", None, [302, 403, 404, 403, 404, 404]),
    ("manage.report", "POST", "/report/forums.post/{post}", {}, [302, 403, 422, 403, 422, 422]),
    ("manage.moderate", "POST", "/manage/moderation/forums.post/{post}", {}, [302, 403, 403, 403, 422, 422]),
    ("manage.moderate", "POST", "/manage/moderation/forums.post/999999", {}, [302, 403, 403, 403, 404, 404]),
    ("manage.moderate", "POST", "/manage/moderation/no.such.kind/{post}", {}, [302, 403, 403, 403, 404, 404]),
    ("manage.lift", "POST", "/manage/suspensions/999999/lift", {}, [302, 403, 403, 403, 404, 404]),
    ("manage.lift", "POST", "/manage/suspensions/{suspension}/lift", {}, [302, 403, 403, 403, 303, 303]),
]


def _suspended_member(session, moderator):
    person = make_person(session)
    suspend(session, person, moderator)
    return person


@pytest.mark.parametrize("role", ROLES)
def test_each_role_gets_what_it_may_on_every_route(browser, session, category, role):
    moderator = make_person(session, role=Role.MANAGER)
    post = reported_post(session, category)
    suspension = suspend(session, make_person(session), moderator)
    viewer = make_viewer(session, role, suspended=lambda: _suspended_member(session, moderator))
    session.commit()
    assert_matrix(browser, viewer, ROUTES, ROLES.index(role), {"post": post.id, "suspension": suspension.id},
                  token_page="/forums/")
    allowed = role in ("manager", "admin")
    session.expire_all()
    assert (session.get(Suspension, suspension.id).lifted_at is not None) == allowed
    assert session.scalars(select(Report.status)).all() == ["open"], "nothing was decided by an empty form"


def test_every_moderation_route_is_in_the_matrix(app):
    moderation = ("manage.queue", "manage.moderate", "manage.suspensions", "manage.lift", "manage.report")
    assert served_routes(app, lambda endpoint: endpoint in moderation) == covered_routes(ROUTES)


def test_members_cannot_decide_or_lift_with_a_complete_form(browser, session, category, member, manager):
    post = reported_post(session, category, member)
    suspension = suspend(session, make_person(session), manager)
    session.commit()
    sign_in(browser, member)
    token = csrf_token(browser)
    prefix = f"forums-post-{post.id}-"
    assert browser.client.post(f"/manage/moderation/forums.post/{post.id}", data={
        "csrf_token": token, prefix + "action": "hide", prefix + "reason": "Mine now"}).status_code == 403
    assert browser.client.post(f"/manage/suspensions/{suspension.id}/lift",
                               data={"csrf_token": token}).status_code == 403
    session.refresh(post)
    session.refresh(suspension)
    assert post.is_visible and suspension.lifted_at is None


def test_lifting_without_the_form_token_is_refused(browser, session, member, manager):
    suspension = suspend(session, member, manager)
    session.commit()
    sign_in(browser, manager)
    assert browser.client.post(f"/manage/suspensions/{suspension.id}/lift").status_code == 400
    session.refresh(suspension)
    assert suspension.lifted_at is None
