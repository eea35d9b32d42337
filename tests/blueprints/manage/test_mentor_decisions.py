"""Community managers decide who mentors: pending requests on the people page, a page per
request to approve or decline with a reason, and a page per person to remove mentor
status; the member is emailed either way. Through the real forms, without JavaScript."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from portal.blueprints.accounts import mentoring
from portal.blueprints.accounts.models import MentorDecision, User
from portal.core.db import utcnow
from portal.core.permissions import Role
from tests.blueprints.accounts.factories import (
    approve_mentor,
    make_mentor,
    make_mentor_request,
    make_user,
    sign_in,
)
from tests.helpers import links, outbox, words_of


@pytest.fixture
def manager(session):
    return make_user(session, display_name="Priya Natarajan", role=Role.MANAGER)


@pytest.fixture
def hana(session):
    return make_user(
        session, display_name="Hana Kobayashi", email="hana@example.org", participation="mentor"
    )


@pytest.fixture
def asking(session, hana):
    return make_mentor_request(session, hana, "Six years managing a data team.")


def decisions_about(session, person) -> list[tuple[str, str]]:
    session.expire_all()
    return [
        (d.outcome, d.reason)
        for d in session.scalars(
            select(MentorDecision)
            .where(MentorDecision.user_id == person.id)
            .order_by(MentorDecision.id)
        )
    ]


# The people page


def test_the_people_page_lists_pending_requests_and_everyone_s_mentor_status(
    browser, session, manager, asking
):
    older = make_mentor_request(
        session, make_user(session, display_name="Jamal Bakr", participation="both")
    )
    older.created_at = utcnow() - timedelta(days=2)
    mentor = make_mentor(
        session, approved_by=manager, display_name="Tomás Herrera", email="tomas@example.org"
    )
    ticked = make_user(
        session, display_name="Amara Okafor", email="amara@example.org", participation="mentor"
    )
    sign_in(browser, manager)
    browser.get("/manage/people")
    page = words_of(browser.page)
    assert "Mentor requests waiting for a decision 2 people have asked to be a mentor." in page
    requests = [
        (text, href)
        for text, href in links(browser.html)
        if href.startswith("/manage/mentor-requests/")
    ]
    assert requests[:2] == [
        ("Review Jamal Bakr’s request", f"/manage/mentor-requests/{older.id}"),
        ("Review Hana Kobayashi’s request", f"/manage/mentor-requests/{asking.id}"),
    ]
    assert "Hana Kobayashi hana@example.org To mentor others Asked" in page
    assert "Tomás Herrera tomas@example.org To mentor others Mentor since" in page
    assert "Amara Okafor amara@example.org To mentor others No Details" in page, (
        "ticking 'mentor' is not status"
    )
    assert (
        "Details of Tomás Herrera’s mentor status",
        f"/manage/people/{mentor.id}/mentoring",
    ) in links(browser.html)
    assert (
        "Details of Amara Okafor’s mentor status",
        f"/manage/people/{ticked.id}/mentoring",
    ) in links(browser.html)


def test_the_people_page_says_when_no_request_waits(browser, session, manager):
    sign_in(browser, manager)
    assert "No mentor requests are waiting for a decision." in words_of(
        browser.get("/manage/people")
    )


def test_filtering_people_with_htmx_leaves_the_requests_out(browser, session, manager, asking):
    sign_in(browser, manager)
    body = browser.client.get("/manage/people?q=hana", headers={"HX-Request": "true"}).get_data(
        as_text=True
    )
    assert "Mentor requests waiting" not in body
    assert f'href="/manage/mentor-requests/{asking.id}">Review' in body


# Approving and declining


def test_a_manager_approves_a_request_and_the_member_is_told(
    app, browser, session, manager, hana, asking
):
    sign_in(browser, manager)
    browser.get("/manage/people")
    browser.get(dict(links(browser.html))["Review Hana Kobayashi’s request"])
    page = words_of(browser.page)
    assert (
        "Hana Kobayashi’s request to be a mentor" in page
        and "Six years managing a data team." in page
    )
    assert "Looking for To mentor others" in page
    browser.submit({"decision": "approve"}, button="Save decision")
    assert browser.url == "/manage/people"
    assert "Hana Kobayashi is now a mentor. We have emailed them." in words_of(browser.page)
    assert "No mentor requests are waiting for a decision." in words_of(browser.page)
    session.expire_all()
    assert hana.is_mentor and hana.mentorship.approved_by == manager
    assert decisions_about(session, hana) == [("approved", "")]
    [mail] = outbox(session, "hana@example.org")
    assert mail.subject == "You are now a mentor"


def test_declining_without_a_reason_is_refused_and_the_choice_kept(
    browser, session, manager, hana, asking
):
    sign_in(browser, manager)
    browser.get(f"/manage/mentor-requests/{asking.id}")
    response = browser.submit({"decision": "decline", "reason": "  "}, button="Save decision")
    assert response.status_code == 422
    assert "<title>Error: Hana Kobayashi" in browser.html
    assert "Give a reason for declining: the member will read it" in words_of(browser.page)
    assert dict(browser.form(button="Save decision").fields)["decision"] == "decline"
    assert 'id="reason-error"' in browser.html
    assert decisions_about(session, hana) == [] and outbox(session, hana.email) == []


def test_a_decision_must_be_chosen(browser, session, manager, asking):
    sign_in(browser, manager)
    browser.get(f"/manage/mentor-requests/{asking.id}")
    response = browser.submit({"decision": None}, button="Save decision")
    assert response.status_code == 422
    assert "Choose whether to approve or decline the request" in words_of(browser.page)
    assert 'href="#decision-0"' in browser.html


def test_a_manager_declines_with_a_reason_the_member_reads(browser, session, manager, hana, asking):
    sign_in(browser, manager)
    browser.get(f"/manage/mentor-requests/{asking.id}")
    browser.submit(
        {"decision": "decline", "reason": "Tell us about mentoring you have done."},
        button="Save decision",
    )
    assert "You declined Hana Kobayashi’s request. We have emailed them your reason." in words_of(
        browser.page
    )
    assert decisions_about(session, hana) == [
        ("declined", "Tell us about mentoring you have done.")
    ]
    [mail] = outbox(session, "hana@example.org")
    assert "Tell us about mentoring you have done." in mail.text_body
    assert not hana.is_mentor


def test_a_decided_request_says_so_and_refuses_another_decision(
    browser, session, manager, hana, asking
):
    mentoring.decline(session, asking, manager, "Not yet")
    sign_in(browser, make_user(session, role=Role.ADMIN))
    browser.get(f"/manage/mentor-requests/{asking.id}")
    page = words_of(browser.page)
    assert "This request was declined on" in page and "by Priya Natarajan" in page
    assert "Save decision" not in page
    assert "Decisions about Hana Kobayashi" in page and "Not yet" in page
    token = dict(browser.form(action="/sign-out").fields)["csrf_token"]
    response = browser.client.post(
        f"/manage/mentor-requests/{asking.id}", data={"csrf_token": token, "decision": "approve"}
    )
    assert response.status_code == 409
    assert decisions_about(session, hana) == [("declined", "Not yet")] and not hana.is_mentor


def test_a_withdrawn_request_says_who_withdrew_it(browser, session, manager, hana, asking):
    mentoring.withdraw(session, hana)
    sign_in(browser, manager)
    assert "Hana Kobayashi withdrew this request on" in words_of(
        browser.get(f"/manage/mentor-requests/{asking.id}")
    )


def test_a_manager_cannot_approve_their_own_request(browser, session, manager):
    own = make_mentor_request(session, manager)
    sign_in(browser, manager)
    browser.get(f"/manage/mentor-requests/{own.id}")
    response = browser.submit({"decision": "approve"}, button="Save decision")
    assert response.status_code == 422
    assert "Someone else must decide about your own mentor status" in words_of(browser.page)
    assert not session.get(User, manager.id).is_mentor


def test_a_request_that_is_missing_or_from_a_deleted_account_is_404(
    browser, session, manager, hana, asking
):
    sign_in(browser, manager)
    assert browser.get("/manage/mentor-requests/999999").status_code == 404
    hana.deleted_at = utcnow()
    session.flush()
    assert browser.get(f"/manage/mentor-requests/{asking.id}").status_code == 404
    assert browser.get(f"/manage/people/{hana.id}/mentoring").status_code == 404


# Removing mentor status


def test_a_manager_removes_mentor_status_with_a_reason(browser, session, manager, hana):
    approve_mentor(session, hana, make_user(session, role=Role.ADMIN, display_name="Sam Lindqvist"))
    sign_in(browser, manager)
    browser.get("/manage/people")
    browser.get(dict(links(browser.html))["Details of Hana Kobayashi’s mentor status"])
    page = words_of(browser.page)
    assert "Mentor status Mentor since" in page and "approved by Sam Lindqvist" in page
    assert "Approved Sam Lindqvist" in page, "the history shows who approved"
    response = browser.submit({"reason": ""}, button="Remove mentor status", follow=False)
    assert response.status_code == 422
    assert "Give a reason for removing their mentor status: they will read it" in words_of(
        browser.page
    )
    browser.submit({"reason": "You asked for a break."}, button="Remove mentor status")
    assert "Hana Kobayashi is no longer a mentor. We have emailed them your reason." in words_of(
        browser.page
    )
    session.expire_all()
    assert not hana.is_mentor
    assert decisions_about(session, hana) == [
        ("approved", ""),
        ("removed", "You asked for a break."),
    ]
    assert [m.subject for m in outbox(session, hana.email)] == ["Your mentor status has ended"]


def test_the_status_page_of_someone_who_is_not_a_mentor_has_no_remove_form(
    browser, session, manager, hana, asking
):
    sign_in(browser, manager)
    browser.get(f"/manage/people/{hana.id}/mentoring")
    page = words_of(browser.page)
    assert "Asked to be a mentor on" in page and "No decisions yet." in page
    assert ("review Hana Kobayashi’s request", f"/manage/mentor-requests/{asking.id}") in links(
        browser.html
    )
    assert "Remove mentor status" not in page
    token = dict(browser.form(action="/sign-out").fields)["csrf_token"]
    response = browser.client.post(
        f"/manage/people/{hana.id}/mentoring", data={"csrf_token": token, "reason": "Whatever"}
    )
    assert response.status_code == 409
    assert decisions_about(session, hana) == []


# The dashboard


def test_the_dashboard_links_to_the_requests(browser, session, manager, asking):
    sign_in(browser, manager)
    browser.get("/manage/")
    assert '<span class="figure">1</span> asking to be mentors' in browser.html
    assert ("See everyone, and the mentor requests", "/manage/people") in links(browser.html)
