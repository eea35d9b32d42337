"""Forgotten passwords, reset links, and changing a password."""

import re

from sqlalchemy import select

from portal.blueprints.accounts import services
from portal.core.mail import OutboxMessage
from tests.blueprints.accounts.factories import PASSWORD, make_user, sign_in
from tests.helpers import outbox

NEW = "a fresh long passphrase"


def reset_link(session, address):
    message = session.scalars(
        select(OutboxMessage).where(OutboxMessage.recipient == address, OutboxMessage.subject == "Reset your password")
    ).one()
    return re.search(r"http://portal\.test(/reset-password/\S+)", message.text_body).group(1)


def ask_for_reset(browser, email):
    browser.get("/forgot-password")
    return browser.submit({"email": email}, button="Send the link")


def _without_form_tokens(page: str) -> str:
    """The page with its CSRF tokens blanked: each is signed with the second it was made."""
    return re.sub(r'"X-CSRFToken": "[^"]+"|name="csrf_token" value="[^"]+"', "TOKEN", page)


def test_same_answer_whether_or_not_the_address_is_known(browser, session):
    make_user(session, email="known@example.org")
    known = ask_for_reset(browser, "known@example.org")
    known_text = _without_form_tokens(browser.html.replace("known@example.org", "ADDRESS"))
    unknown = ask_for_reset(browser, "unknown@example.org")
    unknown_text = _without_form_tokens(browser.html.replace("unknown@example.org", "ADDRESS"))
    assert known.status_code == unknown.status_code == 200
    assert known_text == unknown_text
    assert session.scalar(select(OutboxMessage).where(OutboxMessage.recipient == "unknown@example.org")) is None


def test_reset_link_changes_the_password_once_and_signs_in(browser, session):
    user = make_user(session, email="forgetful@example.org")
    ask_for_reset(browser, user.email)
    link = reset_link(session, user.email)
    browser.get(link)
    browser.submit({"password": NEW, "confirm_password": NEW}, button="Change password")
    assert "Your password has been changed and you are signed in." in browser.html
    assert services.authenticate(session, user.email, NEW) is not None
    response = browser.get(link)
    assert response.status_code == 400
    assert "already been used" in browser.html


def test_reset_link_expires_after_an_hour(browser, session, app, monkeypatch):
    user = make_user(session)
    ask_for_reset(browser, user.email)
    link = reset_link(session, user.email)
    assert app.config["PASSWORD_RESET_MAX_AGE"] == 3600
    monkeypatch.setitem(app.config, "PASSWORD_RESET_MAX_AGE", -1)
    assert browser.get(link).status_code == 400
    assert "expired" in browser.html


def test_reset_revokes_other_sessions(app, browser, session):
    from tests.helpers import Browser

    user = make_user(session)
    elsewhere = Browser(app.test_client())
    sign_in(elsewhere, user)
    ask_for_reset(browser, user.email)
    browser.get(reset_link(session, user.email))
    browser.submit({"password": NEW, "confirm_password": NEW}, button="Change password")
    assert elsewhere.get("/account").status_code == 302


def test_reset_form_errors_keep_the_link_working(browser, session):
    user = make_user(session)
    ask_for_reset(browser, user.email)
    browser.get(reset_link(session, user.email))
    response = browser.submit({"password": NEW, "confirm_password": "different"}, button="Change password",
                              follow=False)
    assert response.status_code == 422
    assert "do not match" in browser.html
    browser.submit({"password": NEW, "confirm_password": NEW}, button="Change password")
    assert "Your password has been changed" in browser.html


def test_forgot_password_needs_a_valid_address(browser):
    browser.get("/forgot-password")
    response = browser.submit({"email": "nope"}, button="Send the link", follow=False)
    assert response.status_code == 422
    assert 'value="nope"' in browser.html


def test_change_password_needs_the_current_one(browser, session):
    user = make_user(session)
    sign_in(browser, user)
    browser.get("/account/password")
    response = browser.submit(
        {"current_password": "wrong one", "password": NEW, "confirm_password": NEW},
        button="Change password", follow=False,
    )
    assert response.status_code == 422
    assert "Your current password is not right" in browser.html
    assert services.authenticate(session, user.email, PASSWORD) is not None


def test_change_password_emails_the_owner(browser, session):
    user = make_user(session)
    sign_in(browser, user)
    browser.get("/account/password")
    browser.submit({"current_password": PASSWORD, "password": NEW, "confirm_password": NEW}, button="Change password")
    subjects = session.scalars(select(OutboxMessage.subject).where(OutboxMessage.recipient == user.email)).all()
    assert "Your password was changed" in subjects


def test_a_reset_link_points_at_the_portal_whatever_host_the_request_named(client, session):
    make_user(session, email="known@example.org")
    page = client.get("/forgot-password", base_url="http://evil.example").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)

    client.post("/forgot-password", data={"csrf_token": token, "email": "known@example.org"},
                base_url="http://evil.example", headers={"X-Forwarded-Host": "evil.example"})

    (message,) = outbox(session, "known@example.org")
    assert "evil.example" not in message.text_body + (message.html_body or "")
    assert "http://portal.test/reset-password/" in message.text_body
