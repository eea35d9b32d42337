"""The dashboard and people pages, for each role."""

import pytest
from sqlalchemy import select

from portal.blueprints.accounts.models import User
from portal.core.permissions import Role
from tests.blueprints.accounts.factories import make_mentor, make_mentor_request, make_user, sign_in

ROUTES = ["/manage/", "/manage/people", "/manage/people/{id}/role"]


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        (None, [302, 302, 302]),
        (Role.MEMBER, [403, 403, 403]),
        (Role.MANAGER, [200, 200, 403]),
        (Role.ADMIN, [200, 200, 200]),
    ],
)
def test_each_role_sees_what_it_may(browser, session, role, expected):
    target = make_user(session)
    if role is not None:
        sign_in(browser, make_user(session, role=role))
    got = [browser.get(route.format(id=target.id)).status_code for route in ROUTES]
    assert got == expected


def test_unverified_manager_still_manages_but_403_page_explains_verification(browser, session):
    manager = make_user(session, role=Role.MANAGER, verified=False)
    sign_in(browser, manager)
    assert browser.get("/manage/").status_code == 200


def test_dashboard_counts_people(browser, session):
    manager = make_user(session, role=Role.MANAGER, participation="mentee")
    make_mentor(session, approved_by=manager, participation="both")
    make_mentor_request(session, make_user(session, participation="mentor"))
    make_user(session, participation="mentor")
    make_user(session, participation="both", verified=False)
    sign_in(browser, manager)
    browser.get("/manage/")
    html = browser.html
    assert '<span class="figure">5</span> members' in html
    assert '<span class="figure">1</span> approved mentors' in html, "ticking 'mentor' is not it"
    assert '<span class="figure">1</span> asking to be mentors' in html
    assert '<span class="figure">3</span> looking for a mentor' in html
    assert '<span class="figure">1</span> have not confirmed' in html


def test_people_filters_by_role_and_name(browser, session):
    make_user(session, display_name="Zanele Mokoena", role=Role.MANAGER)
    make_user(session, display_name="Zack Member")
    sign_in(browser, make_user(session, role=Role.ADMIN, display_name="Root"))
    browser.get("/manage/people")
    browser.submit({"q": "za", "role": "manager"}, button="Show people")
    assert "Zanele Mokoena" in browser.html
    assert "Zack Member" not in browser.html
    assert "1 person found" in browser.html


def test_people_filter_with_htmx_returns_the_results_only(browser, session):
    sign_in(browser, make_user(session, role=Role.MANAGER))
    response = browser.client.get("/manage/people?q=&role=", headers={"HX-Request": "true"})
    body = response.get_data(as_text=True)
    assert body.startswith('<div id="people-results">')
    assert "<html" not in body
    assert "HX-Request" in response.headers["Vary"]


def test_people_pages_are_numbered(browser, session):
    for n in range(30):
        make_user(session, display_name=f"Pat {n:02d}")
    sign_in(browser, make_user(session, role=Role.MANAGER, display_name="Zed"))
    browser.get("/manage/people?page=2")
    assert 'aria-current="page"><span class="visually-hidden">Page </span>2' in browser.html
    assert browser.get("/manage/people?page=99").status_code == 200
    assert browser.get("/manage/people?page=abc").status_code == 200
    assert browser.get("/manage/people?role=wizard").status_code == 200


def test_admin_grants_and_removes_a_role(browser, session):
    person = make_user(session, display_name="Kofi")
    sign_in(browser, make_user(session, role=Role.ADMIN))
    browser.get(f"/manage/people/{person.id}/role")
    browser.submit({"role": "manager"}, button="Save role")
    assert "Kofi is now: Community manager." in browser.html
    session.expire_all()
    assert session.get(User, person.id).role == "manager"
    browser.get(f"/manage/people/{person.id}/role")
    browser.submit({"role": "member"}, button="Save role")
    session.expire_all()
    assert session.get(User, person.id).role == "member"


def test_the_last_admin_cannot_remove_themselves(browser, session):
    admin = make_user(session, role=Role.ADMIN)
    sign_in(browser, admin)
    browser.get(f"/manage/people/{admin.id}/role")
    response = browser.submit({"role": "member"}, button="Save role", follow=False)
    assert response.status_code == 422
    assert "at least one admin" in browser.html
    assert session.scalar(select(User.role).where(User.id == admin.id)) == "admin"


def test_an_admin_may_step_down_when_another_remains(browser, session):
    admin = make_user(session, role=Role.ADMIN)
    make_user(session, role=Role.ADMIN)
    sign_in(browser, admin)
    browser.get(f"/manage/people/{admin.id}/role")
    browser.submit({"role": "manager"}, button="Save role")
    session.expire_all()
    assert session.get(User, admin.id).role == "manager"


def test_role_form_rejects_an_unknown_role(browser, session):
    person = make_user(session)
    sign_in(browser, make_user(session, role=Role.ADMIN))
    browser.get(f"/manage/people/{person.id}/role")
    token = dict(browser.form(button="Save role").fields)["csrf_token"]
    response = browser.client.post(f"/manage/people/{person.id}/role", data={"csrf_token": token, "role": "owner"})
    assert response.status_code == 422


def test_role_change_for_a_missing_person_is_404(browser, session):
    sign_in(browser, make_user(session, role=Role.ADMIN))
    assert browser.get("/manage/people/999999/role").status_code == 404


def test_dashboard_counts_events_and_reports(browser, session):
    from datetime import timedelta

    from portal.blueprints.events.models import EventStatus
    from portal.blueprints.forums import services as forums
    from portal.blueprints.manage import reports
    from tests.blueprints.events.factories import make_event

    manager = make_user(session, role=Role.MANAGER)
    make_event(session)
    make_event(session, status=EventStatus.DRAFT)
    make_event(session, starts_in=timedelta(days=-3))
    category = forums.save_category(session, None, name="Talk", description="", audience="members", position=0)
    thread = forums.start_thread(session, category, manager, "Hello", "First post", notify=False)
    post = forums.reply(session, thread, make_user(session), "Spam spam", notify=False)
    reports.report(session, "forums.post", post.id, manager, "Spam")
    reports.report(session, "forums.post", post.id, make_user(session), "Spam, I think")
    sign_in(browser, manager)
    browser.get("/manage/")
    assert '<span class="figure">1</span> upcoming events' in browser.html
    assert '<span class="figure">1</span> draft events' in browser.html
    assert ('<a href="/manage/moderation"><span class="figure">1</span> reported item to review</a>'
            in browser.html), "two reports of one post: one item to review"
    assert '<a href="/manage/suspensions"><span class="figure">0</span> people suspended</a>' in browser.html
