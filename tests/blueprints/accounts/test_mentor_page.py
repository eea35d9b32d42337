"""The member's mentoring page, through the real forms without JavaScript and with htmx:
asking with a note, errors, pending, withdrawing, approved and declined; and the profile
answer that grants nothing."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from portal.blueprints.accounts import mentoring
from portal.blueprints.accounts.models import MentorRequest
from portal.core.db import utcnow
from portal.core.permissions import Role
from tests.blueprints.accounts.factories import make_mentor, make_mentor_request, make_user, sign_in
from tests.helpers import HX, text_of, words_of

PAGE = "/account/mentor"


@pytest.fixture
def member(session):
    return make_user(session, display_name="Hana Kobayashi", participation="mentor")


@pytest.fixture
def manager(session):
    return make_user(session, display_name="Priya Natarajan", role=Role.MANAGER)


def requests_of(session, user) -> list[tuple[str, str]]:
    session.expire_all()
    return [
        (r.status, r.note)
        for r in session.scalars(
            select(MentorRequest).where(MentorRequest.user_id == user.id).order_by(MentorRequest.id)
        )
    ]


def test_a_member_asks_with_a_note_then_sees_it_pending(browser, session, member):
    sign_in(browser, member)
    browser.get(PAGE)
    assert "You are not a mentor." in text_of(browser.page)
    browser.submit({"note": "  Ten years leading data teams.  "}, button="Ask to be a mentor")
    page = words_of(browser.page)
    assert browser.url == PAGE
    assert (
        "You have asked to be a mentor. We will email you when a community manager decides." in page
    )
    assert "You asked to be a mentor on" in page and "Ten years leading data teams." in page
    assert requests_of(session, member) == [("pending", "Ten years leading data teams.")]
    assert browser.form(button="Withdraw your request")
    assert not [f for f in browser.html.split("<form") if 'name="note"' in f], (
        "no second request form"
    )


@pytest.mark.parametrize(
    ("note", "message"),
    [
        ("", "Tell us about your experience, so a community manager can decide"),
        ("   ", "Tell us about your experience, so a community manager can decide"),
        ("x" * 1001, "Your note must be 1000 characters or fewer (you entered 1001)"),
        ("Hello\x00there", "Your note must not contain control characters"),
    ],
)
def test_a_note_that_will_not_do_is_explained_and_kept(browser, session, member, note, message):
    sign_in(browser, member)
    browser.get(PAGE)
    response = browser.submit({"note": note}, button="Ask to be a mentor")
    assert response.status_code == 422
    assert "<title>Error: Mentoring" in browser.html and "There is a problem" in browser.html
    assert re.search(
        r'id="note-error"><span class="visually-hidden">Error:</span>[^<]*' + re.escape(message),
        browser.html,
    )
    assert 'aria-describedby="note-hint note-error"' in browser.html
    if note.strip() and "\x00" not in note:
        assert dict(browser.form(button="Ask to be a mentor").fields)["note"].lstrip("\r\n") == note
    assert requests_of(session, member) == []


def test_asking_twice_says_so_beside_the_note(browser, session, member):
    sign_in(browser, member)
    browser.get(PAGE)
    form = browser.form(button="Ask to be a mentor")
    browser.submit({"note": "First"}, button="Ask to be a mentor")
    token = dict(form.fields)["csrf_token"]
    response = browser.client.post(PAGE, data={"csrf_token": token, "note": "Second"})
    assert response.status_code == 422
    assert (
        "You have already asked to be a mentor. Withdraw that request if you want to send a "
        "different note. Nothing was changed." in words_of(response)
    )
    assert 'role="alert" tabindex="-1" data-autofocus' in response.get_data(as_text=True)
    assert requests_of(session, member) == [("pending", "First")]


def test_withdrawing_a_request_lets_the_member_ask_again(browser, session, member):
    make_mentor_request(session, member, "My first note")
    sign_in(browser, member)
    browser.get(PAGE)
    assert "My first note" in text_of(browser.page)
    browser.submit(button="Withdraw your request")
    page = words_of(browser.page)
    assert "You have withdrawn your request to be a mentor." in page
    assert "You withdrew your request to be a mentor on" in page
    browser.submit({"note": "A better note"}, button="Ask again")
    assert requests_of(session, member) == [
        ("withdrawn", "My first note"),
        ("pending", "A better note"),
    ]


def test_withdrawing_when_nothing_waits_says_so(browser, session, member):
    sign_in(browser, member)
    browser.get(PAGE)
    token = dict(browser.form(button="Ask to be a mentor").fields)["csrf_token"]
    response = browser.client.post(f"{PAGE}/withdraw", data={"csrf_token": token})
    assert response.status_code == 303
    page = text_of(browser.follow(response))
    assert "You have no request waiting for a decision, so nothing was withdrawn." in page
    assert 'class="notice notice-error" role="alert"' in browser.html


def test_withdrawing_needs_the_form_token(browser, session, member):
    make_mentor_request(session, member)
    sign_in(browser, member)
    assert browser.client.post(f"{PAGE}/withdraw").status_code == 400
    assert requests_of(session, member)[0][0] == "pending"


def test_a_declined_member_reads_the_reason_and_may_ask_again(browser, session, member, manager):
    mentoring.decline(
        session,
        make_mentor_request(session, member),
        manager,
        "Tell us which areas you could help with.\nA line or two is enough.",
    )
    sign_in(browser, member)
    browser.get(PAGE)
    page = words_of(browser.page)
    assert "Your request was declined on" in page
    assert (
        '<p class="pre-line">Tell us which areas you could help with.\nA line or two is enough.</p>'
        in browser.html
    )
    browser.submit({"note": "Career changes into analytics."}, button="Ask again")
    assert requests_of(session, member)[-1] == ("pending", "Career changes into analytics.")


def test_a_removed_mentor_reads_the_reason(browser, session, member, manager):
    from tests.blueprints.accounts.factories import approve_mentor

    approve_mentor(session, member, manager)
    mentoring.remove(session, member, manager, "You asked to take a break.")
    sign_in(browser, member)
    page = words_of(browser.get(PAGE))
    assert "Your mentor status was removed on" in page and "You asked to take a break." in page
    assert browser.form(button="Ask again")


def test_an_approved_mentor_sees_since_when_and_who_approved(browser, session, manager):
    mentor = make_mentor(session, approved_by=manager)
    sign_in(browser, mentor)
    page = words_of(browser.get(PAGE))
    assert "You are a mentor since" in page and "approved by Priya Natarajan" in page
    assert "Ask to be a mentor" not in page
    settings = text_of(browser.get("/account"))
    assert "You are a mentor since" in settings and "See your mentor status" in settings


def test_an_unconfirmed_member_is_asked_to_confirm_first(browser, session):
    sign_in(browser, make_user(session, verified=False))
    page = text_of(browser.get(PAGE))
    assert "To ask to be a mentor, first confirm your email address." in page
    assert 'name="note"' not in browser.html


def test_a_suspended_member_cannot_ask(browser, session):
    sign_in(browser, make_user(session, suspended_at=utcnow(), suspension_reason="Spam"))
    page = text_of(browser.get(PAGE))
    assert "You cannot ask to be a mentor while your account is suspended." in page
    assert 'name="note"' not in browser.html


def test_the_account_page_links_to_mentoring(browser, session, member):
    sign_in(browser, member)
    page = text_of(browser.get("/account"))
    assert "You are not a mentor. A community manager approves each mentor." in page
    assert 'href="/account/mentor">Ask to be a mentor, or see your request</a>' in browser.html


# With htmx: the status section is swapped and the outcome announced


def test_asking_with_htmx_swaps_the_status_and_announces_it(browser, session, member):
    sign_in(browser, member)
    browser.get(PAGE)
    token = dict(browser.form(button="Ask to be a mentor").fields)["csrf_token"]
    response = browser.client.post(
        PAGE, data={"csrf_token": token, "note": "Data teams"}, headers=HX
    )
    body = response.get_data(as_text=True)
    assert response.status_code == 200 and "HX-Request" in response.headers["Vary"]
    assert body.startswith('<section id="mentor-status"') and "<html" not in body
    assert (
        "<strong>You asked to be a mentor</strong> on" in body and "Withdraw your request" in body
    )
    assert (
        '<div id="live-region" data-hx-swap-oob="innerHTML">You have asked to be a mentor. '
        "We will email you when a community manager decides.</div>"
    ) in body


def test_errors_with_htmx_come_back_in_the_section_with_422(browser, session, member):
    sign_in(browser, member)
    browser.get(PAGE)
    token = dict(browser.form(button="Ask to be a mentor").fields)["csrf_token"]
    response = browser.client.post(PAGE, data={"csrf_token": token, "note": ""}, headers=HX)
    body = response.get_data(as_text=True)
    assert response.status_code == 422
    assert body.startswith('<section id="mentor-status"') and 'class="error-summary"' in body
    assert requests_of(session, member) == []


def test_withdrawing_with_htmx_swaps_the_status(browser, session, member):
    make_mentor_request(session, member)
    sign_in(browser, member)
    browser.get(PAGE)
    token = dict(browser.form(button="Withdraw your request").fields)["csrf_token"]
    response = browser.client.post(f"{PAGE}/withdraw", data={"csrf_token": token}, headers=HX)
    body = response.get_data(as_text=True)
    assert body.startswith('<section id="mentor-status"') and "Ask again" in body
    assert ">You have withdrawn your request to be a mentor.</div>" in body


# The profile answer: what a person is looking for, which grants nothing


def test_registering_asks_what_a_person_is_looking_for_and_says_mentoring_needs_approval(browser):
    page = text_of(browser.get("/register"))
    assert "What are you looking for?" in page
    assert (
        "A mentor" in page
        and "To mentor others" in page
        and "A mentor, and to mentor others" in page
    )
    assert "To mentor, you also need a community manager’s approval" in page
    assert 'aria-describedby="participation-hint"' in browser.html
    form = dict(browser.form(button="Create account").fields)
    response = browser.client.post(
        "/register", data={"csrf_token": form["csrf_token"], "display_name": "Ama"}
    )
    assert response.status_code == 422
    assert 'href="#participation-0">Choose what you are looking for' in response.get_data(
        as_text=True
    ), "the error summary links to the first radio button, which exists"


def test_saying_mentor_in_the_profile_grants_nothing(browser, session):
    person = make_user(session, participation="mentee")
    sign_in(browser, person)
    browser.get("/account/profile")
    assert "It does not make you a mentor: a community manager approves mentors" in text_of(
        browser.page
    )
    browser.submit({"participation": "mentor"}, button="Save profile")
    session.expire_all()
    assert person.participation == "mentor" and not person.is_mentor
    assert "You are not a mentor." in text_of(browser.get(PAGE))
    profile = words_of(browser.get(f"/people/{person.id}"))
    assert "Looking for To mentor others" in profile
    assert '<li class="tag">Mentor</li>' not in browser.html


def test_a_profile_shows_an_approved_mentor_as_a_mentor(browser, session, member, manager):
    mentor = make_mentor(session, approved_by=manager, display_name="Tomás Herrera")
    sign_in(browser, member)
    browser.get(f"/people/{mentor.id}")
    assert '<li class="tag">Mentor</li>' in browser.html
    assert "Mentor since" in text_of(browser.page)


def test_a_manager_is_told_their_role_already_opens_the_mentor_spaces(browser, session, manager):
    sign_in(browser, manager)
    page = words_of(browser.get(PAGE))
    assert "Your role already lets you into the spaces for mentors." in page
    assert browser.form(button="Ask to be a mentor"), "a manager may still ask to mentor"
