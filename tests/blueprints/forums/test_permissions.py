"""Every forums route (and the report page for forum posts), for each kind of visitor:
signed out, unverified, member (a mentee), mentor (approved), manager, admin."""

from __future__ import annotations

import pytest

from portal.blueprints.forums.models import Audience
from portal.core.permissions import Role
from tests.blueprints.accounts.factories import approve_mentor, sign_in
from tests.blueprints.forums.factories import make_category, make_person, make_thread
from tests.permissions import assert_matrix, covered_routes, make_viewer, served_routes

ROLES = ["signed out", "unverified", "member", "mentor", "manager", "admin"]
ALL = [200] * 6
NOT_FOUND = [404] * 6

# (endpoint, method, path, form data or None, expected status for each of ROLES).
# Signed out: 302 to sign in wherever signing in is needed. {mine} is a post by the viewer
# (by the author of {post} when signed out). Posts that change things come last.
ROUTES = [
    ("forums.index", "GET", "/forums/", None, ALL),
    ("forums.category", "GET", "/forums/c/{open}/", None, ALL),
    ("forums.category", "GET", "/forums/c/{lounge}/", None, [404, 404, 404, 200, 200, 200]),
    ("forums.category", "GET", "/forums/c/{office}/", None, [404, 404, 404, 404, 200, 200]),
    ("forums.category", "GET", "/forums/c/nowhere/", None, NOT_FOUND),
    ("forums.thread", "GET", "/forums/t/{thread}", None, ALL),
    ("forums.thread", "GET", "/forums/t/{lounge_thread}", None, [404, 404, 404, 200, 200, 200]),
    ("forums.thread", "GET", "/forums/t/{office_thread}", None, [404, 404, 404, 404, 200, 200]),
    ("forums.permalink", "GET", "/forums/p/{post}", None, [302] * 6),
    ("forums.permalink", "GET", "/forums/p/{lounge_post}", None, [404, 404, 404, 302, 302, 302]),
    ("forums.new_thread", "GET", "/forums/c/{open}/new", None, [302, 403, 200, 200, 200, 200]),
    ("forums.new_thread", "GET", "/forums/c/{lounge}/new", None, [302, 403, 404, 200, 200, 200]),
    ("forums.new_thread", "GET", "/forums/c/{office}/new", None, [302, 403, 404, 404, 200, 200]),
    ("forums.new_thread", "GET", "/forums/c/nowhere/new", None, [302, 403, 404, 404, 404, 404]),
    ("forums.reply", "GET", "/forums/t/{thread}/reply", None, [302, 403, 200, 200, 200, 200]),
    ("forums.reply", "GET", "/forums/t/{lounge_thread}/reply", None, [302, 403, 404, 200, 200, 200]),
    ("forums.edit", "GET", "/forums/p/{post}/edit", None, [302, 403, 403, 403, 403, 403]),
    ("forums.edit", "GET", "/forums/p/{mine}/edit", None, [302, 403, 200, 200, 200, 200]),
    ("forums.delete", "GET", "/forums/p/{post}/delete", None, [302, 403, 403, 403, 403, 403]),
    ("forums.delete", "GET", "/forums/p/{mine}/delete", None, [302, 200, 200, 200, 200, 200]),
    ("manage.report", "GET", "/report/forums.post/{post}", None, [302, 403, 200, 200, 200, 200]),
    ("manage.report", "GET", "/report/forums.post/{lounge_post}", None, [302, 403, 404, 200, 200, 200]),
    ("manage.report", "GET", "/report/forums.post/{office_post}", None, [302, 403, 404, 404, 200, 200]),
    ("forums.history", "GET", "/forums/p/{post}/history", None, [302, 403, 403, 403, 200, 200]),
    ("forums.history", "GET", "/forums/p/{office_post}/history", None, [302, 403, 403, 403, 200, 200]),
    ("forums.moderate_thread", "GET", "/forums/t/{thread}/moderate", None, [302, 403, 403, 403, 200, 200]),
    ("forums.categories", "GET", "/forums/manage", None, [302, 403, 403, 403, 200, 200]),
    ("forums.category_form", "GET", "/forums/manage/new", None, [302, 403, 403, 403, 200, 200]),
    ("forums.category_form", "GET", "/forums/manage/{open_id}", None, [302, 403, 403, 403, 200, 200]),
    ("forums.category_form", "GET", "/forums/manage/999999", None, [302, 403, 403, 403, 404, 404]),
    ("forums.search_posts", "GET", "/forums/search?q=opening", None, ALL),
    ("forums.feed", "GET", "/forums/c/{open}/feed.atom", None, ALL),
    ("forums.feed", "GET", "/forums/c/{lounge}/feed.atom", None, NOT_FOUND),
    ("forums.feed", "GET", "/forums/c/{office}/feed.atom", None, NOT_FOUND),
    ("forums.helpful", "POST", "/forums/p/{post}/helpful", {}, [302, 403, 303, 303, 303, 303]),
    ("forums.helpful", "POST", "/forums/p/{lounge_post}/helpful", {}, [302, 403, 404, 303, 303, 303]),
    ("forums.follow_thread", "POST", "/forums/t/{thread}/follow", {}, [302, 403, 303, 303, 303, 303]),
    ("forums.follow_thread", "POST", "/forums/t/{lounge_thread}/follow", {}, [302, 403, 404, 303, 303, 303]),
    ("forums.follow_category", "POST", "/forums/c/{open}/follow", {}, [302, 403, 303, 303, 303, 303]),
    ("forums.follow_category", "POST", "/forums/c/{lounge}/follow", {}, [302, 403, 404, 303, 303, 303]),
    ("forums.new_thread", "POST", "/forums/c/{open}/new", {}, [302, 403, 422, 422, 422, 422]),
    ("forums.new_thread", "POST", "/forums/c/{lounge}/new", {}, [302, 403, 422, 422, 422, 422]),
    ("forums.reply", "POST", "/forums/t/{thread}/reply", {}, [302, 403, 422, 422, 422, 422]),
    ("forums.reply", "POST", "/forums/t/{lounge_thread}/reply", {}, [302, 403, 404, 422, 422, 422]),
    ("forums.edit", "POST", "/forums/p/{post}/edit", {"body": ""}, [302, 403, 403, 403, 403, 403]),
    ("forums.edit", "POST", "/forums/p/{mine}/edit", {"body": ""}, [302, 403, 422, 422, 422, 422]),
    ("manage.report", "POST", "/report/forums.post/{post}", {}, [302, 403, 422, 422, 422, 422]),
    ("manage.report", "POST", "/report/forums.post/{lounge_post}", {}, [302, 403, 404, 422, 422, 422]),
    ("forums.moderate_thread", "POST", "/forums/t/{thread}/moderate", {}, [302, 403, 403, 403, 422, 422]),
    ("forums.category_form", "POST", "/forums/manage/new", {}, [302, 403, 403, 403, 422, 422]),
    ("forums.category_form", "POST", "/forums/manage/{open_id}", {"name": ""}, [302, 403, 403, 403, 422, 422]),
    ("forums.delete", "POST", "/forums/p/{post}/delete", {}, [302, 403, 403, 403, 403, 403]),
    ("forums.delete", "POST", "/forums/p/{mine}/delete", {}, [302, 303, 303, 303, 303, 303]),
]


def _approved_mentor(session):
    person = make_person(session, participation="mentor")
    approve_mentor(session, person)
    return person


@pytest.mark.parametrize("role", ROLES)
def test_each_role_gets_what_it_may_on_every_route(browser, session, role):
    author = make_person(session, participation="both", role=Role.MANAGER)
    open_ = make_category(session, name="Open")
    lounge = make_category(session, name="Lounge", audience=Audience.MENTORS)
    office = make_category(session, name="Office", audience=Audience.MANAGERS)
    thread = make_thread(session, open_, author)
    lounge_thread = make_thread(session, lounge, author)
    office_thread = make_thread(session, office, author)
    viewer = make_viewer(session, role, mentor=lambda: _approved_mentor(session))
    mine = make_thread(session, open_, viewer or author, title="Mine")
    ids = {
        "open": open_.slug, "lounge": lounge.slug, "office": office.slug, "open_id": open_.id,
        "thread": thread.id, "lounge_thread": lounge_thread.id, "office_thread": office_thread.id,
        "post": thread.last_post_id, "lounge_post": lounge_thread.last_post_id,
        "office_post": office_thread.last_post_id, "mine": mine.last_post_id,
    }
    session.commit()
    assert_matrix(browser, viewer, ROUTES, ROLES.index(role), ids, token_page="/forums/")


def test_every_forums_route_is_in_the_matrix(app):
    assert served_routes(app, lambda endpoint: endpoint.startswith("forums.")) - covered_routes(ROUTES) == set()


def test_signed_out_visitors_are_sent_to_sign_in_and_back(client, session, category):
    thread = make_thread(session, category)
    response = client.get(f"/forums/t/{thread.id}/reply")
    assert response.status_code == 302
    assert f"/sign-in?next=%2Fforums%2Ft%2F{thread.id}%2Freply" in response.headers["Location"]


def test_changes_without_the_form_token_are_refused(browser, session, category, manager):
    thread = make_thread(session, category)
    mine = make_thread(session, category, manager)
    sign_in(browser, manager)
    for path in (f"/forums/c/{category.slug}/new", f"/forums/t/{thread.id}/reply", f"/forums/p/{mine.last_post_id}/edit",
                 f"/forums/p/{mine.last_post_id}/delete", f"/forums/p/{thread.last_post_id}/helpful",
                 f"/report/forums.post/{thread.last_post_id}", f"/forums/t/{thread.id}/follow",
                 f"/forums/c/{category.slug}/follow", f"/forums/t/{thread.id}/moderate", "/forums/manage/new",
                 f"/manage/moderation/forums.post/{thread.last_post_id}"):
        response = browser.client.post(path, data={"title": "T", "body": "Changed", "reason": "R", "name": "N",
                                                   "audience": "members", "action": "dismiss"})
        assert response.status_code in (400, 422), path
    session.refresh(thread)
    assert thread.post_count == 1 and not thread.locked
