"""Confirming an address signs the newcomer in and leads to "start here"."""

from sqlalchemy import select

from portal.blueprints.accounts.models import User
from tests.blueprints.accounts.factories import make_user, sign_in
from tests.blueprints.accounts.test_register import link_in, mail_to, register
from tests.helpers import Browser


def _confirm(browser, session) -> None:
    browser.get(link_in(mail_to(session, "leila@example.org")[0], "/verify/"))
    browser.submit(button="Confirm my email address")


def test_confirming_the_address_signs_in_and_leads_to_start_here(browser, session):
    register(browser)
    _confirm(browser, session)
    assert browser.url == "/start"
    assert "your email address is confirmed" in browser.html
    assert "<h1>Start here, Leila Haddad</h1>" in browser.html
    assert "Signed in as" in browser.html
    browser.get("/")
    assert "<h1>Welcome, Leila Haddad</h1>" in browser.html


def test_start_here_saves_zone_interests_and_usual_needs(browser, session):
    register(browser)
    _confirm(browser, session)
    browser.submit({"timezone": "Asia/Kolkata", "interests": "public speaking", "usual_needs_captions": True,
                    "usual_needs_other": "Slides in advance"}, button="Save and continue")
    assert browser.url == "/"
    assert "Your details are saved." in browser.html
    session.expire_all()
    person = session.scalar(select(User).where(User.email == "leila@example.org"))
    assert (person.timezone, person.interests, person.usual_needs_captions, person.usual_needs_other) == (
        "Asia/Kolkata", "public speaking", True, "Slides in advance")


def test_start_here_errors_keep_what_was_typed(browser, session):
    register(browser)
    _confirm(browser, session)
    response = browser.submit({"timezone": "london", "interests": "data"}, button="Save and continue", follow=False)
    assert response.status_code == 422
    assert "Did you mean Europe/London?" in browser.html
    assert 'value="data"' in browser.html


def test_confirming_on_a_browser_where_someone_else_is_signed_in_switches_no_one(app, session):
    other = make_user(session, display_name="Olu")
    session.commit()
    browser = Browser(app.test_client())
    register(browser)
    sign_in(browser, other)
    _confirm(browser, session)
    assert "your email address is confirmed" in browser.html
    browser.get("/")
    assert "Olu" in browser.html and "Leila" not in browser.html


def test_start_here_needs_a_sign_in(client):
    assert client.get("/start").status_code == 302


def test_confirming_in_another_browser_confirms_but_signs_no_one_in(app, session):
    register(Browser(app.test_client()))
    elsewhere = Browser(app.test_client())
    _confirm(elsewhere, session)
    assert elsewhere.url == "/sign-in"
    assert "your email address is confirmed" in elsewhere.html
    assert "Signed in as" not in elsewhere.html
    assert session.scalar(select(User).where(User.email == "leila@example.org")).is_verified
