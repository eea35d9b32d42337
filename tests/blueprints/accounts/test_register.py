"""Registering and confirming an email address, with no JavaScript."""

import re

import pytest
from sqlalchemy import func, select

from portal.blueprints.accounts import passwords, services
from portal.blueprints.accounts.models import User
from portal.core.mail import OutboxMessage
from tests.blueprints.accounts.factories import make_user, sign_in

GOOD = {
    "display_name": "Leila Haddad",
    "email": "leila@example.org",
    "password": "a long enough passphrase",
    "confirm_password": "a long enough passphrase",
    "participation": "mentee",
}


def register(browser, **changes):
    browser.get("/register")
    return browser.submit({**GOOD, **changes}, button="Create account", follow=False)


def mail_to(session, address):
    return session.scalars(
        select(OutboxMessage).where(OutboxMessage.recipient == address).order_by(OutboxMessage.id)
    ).all()


def link_in(message, path):
    return re.search(rf"http://portal\.test({path}[^\s\"<]+)", message.text_body).group(1)


def test_register_creates_unverified_member_and_sends_link(browser, session):
    response = register(browser, display_name="  Leila Haddad  ", email=" Leila@Example.org ")
    assert response.status_code == 303
    browser.follow(response)
    assert "Check your email" in browser.html
    user = session.scalar(select(User).where(User.email == "leila@example.org"))
    assert user.display_name == "Leila Haddad"
    assert user.participation == "mentee"
    assert not user.is_verified
    assert user.password_hash.startswith("$argon2id$")
    (message,) = mail_to(session, "leila@example.org")
    assert message.subject == "Confirm your email address"
    assert "/verify/" in message.html_body


def test_verification_link_confirms_once(browser, session):
    register(browser)
    (message,) = mail_to(session, "leila@example.org")
    link = link_in(message, "/verify/")
    browser.get(link)
    assert "Confirm your email address" in browser.html
    browser.submit(button="Confirm my email address")
    assert "your email address is confirmed" in browser.html
    session.expire_all()
    assert session.scalar(select(User).where(User.email == "leila@example.org")).is_verified
    browser.get(link)
    response = browser.submit(button="Confirm my email address")
    assert response.status_code == 400
    assert "already been used" in browser.html


def test_visiting_the_link_alone_changes_nothing(browser, session):
    register(browser)
    browser.get(link_in(mail_to(session, "leila@example.org")[0], "/verify/"))
    session.expire_all()
    assert not session.scalar(select(User).where(User.email == "leila@example.org")).is_verified


def test_tampered_verification_link_is_refused(browser):
    browser.get("/verify/not-a-real-token")
    response = browser.submit(button="Confirm my email address")
    assert response.status_code == 400
    assert "not valid" in browser.html


def test_expired_verification_link_is_refused(browser, session, app, monkeypatch):
    register(browser)
    link = link_in(mail_to(session, "leila@example.org")[0], "/verify/")
    monkeypatch.setitem(app.config, "EMAIL_VERIFY_MAX_AGE", -1)
    browser.get(link)
    response = browser.submit(button="Confirm my email address")
    assert response.status_code == 400
    assert "expired" in browser.html


def test_existing_address_gets_the_same_page_and_an_email(browser, session):
    existing = make_user(session, email="taken@example.org")
    response = register(browser, email="TAKEN@example.org")
    assert response.status_code == 303
    browser.follow(response)
    assert "Check your email" in browser.html
    assert session.scalar(select(func.count()).select_from(User).where(User.email == "taken@example.org")) == 1
    (message,) = mail_to(session, existing.email)
    assert message.subject == "Someone tried to register with your email address"


def test_unverified_member_can_sign_in_edit_profile_and_resend(browser, session):
    user = make_user(session, verified=False)
    sign_in(browser, user)
    browser.get("/")
    assert "Confirm your email address to take part" in browser.html
    browser.submit(button="Send a new link")
    assert f"We have sent a new confirmation link to {user.email}" in browser.html
    assert len(mail_to(session, user.email)) == 1
    browser.get("/account/profile")
    assert browser.page.status_code == 200


def test_resend_with_htmx_swaps_the_notice_and_announces(browser, session):
    user = make_user(session, verified=False)
    sign_in(browser, user)
    browser.get("/")
    response = browser.submit(button="Send a new link", follow=False, headers={"HX-Request": "true"})
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert body.startswith('<div class="notice notice-warning" id="verify-notice">')
    assert 'data-hx-swap-oob="innerHTML"' in body and "We have sent a new confirmation link" in body
    assert "HX-Request" in response.headers["Vary"]


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"display_name": ""}, "display_name", "Enter your display name"),
        ({"display_name": "   "}, "display_name", "Enter your display name"),
        ({"display_name": "x" * 81}, "display_name", "80 characters or fewer"),
        ({"email": ""}, "email", "Enter your email address"),
        ({"email": "not-an-email"}, "email", "correct format"),
        ({"email": "a@b"}, "email", "correct format"),
        ({"password": "short", "confirm_password": "short"}, "password", "at least 8 characters"),
        ({"password": "p" * 129, "confirm_password": "p" * 129}, "password", "128 characters or fewer"),
        ({"password": "password123", "confirm_password": "password123"}, "password", "most common"),
        ({"password": "leila@example.org", "confirm_password": "leila@example.org"}, "password",
         "must not be your email"),
        ({"confirm_password": "something else entirely"}, "confirm_password", "do not match"),
        ({"participation": None}, "participation", "Choose what you are looking for"),
    ],
)
def test_bad_input_is_explained_beside_the_field_and_kept(browser, session, changes, field, message):
    response = register(browser, **changes)
    assert response.status_code == 422
    html = browser.html
    assert "<title>Error: Create an account" in html
    assert "There is a problem" in html
    assert re.search(rf'id="{field}-error">[^<]*<span class="visually-hidden">Error:</span>[^<]*{message}', html)
    assert f'aria-describedby="{field}-hint {field}-error"' in html or f'aria-describedby="{field}-error"' in html
    kept = {**GOOD, **changes}
    if field not in ("display_name",) and kept["display_name"].strip():
        assert f'value="{kept["display_name"].strip()}"' in html
    if field != "email":
        assert f'value="{kept["email"]}"' in html
    assert session.scalar(select(func.count()).select_from(User)) == 0


def test_unicode_and_right_to_left_names_are_kept(browser, session):
    response = register(browser, display_name="  لينا حداد  ", email="lina@example.org")
    assert response.status_code == 303
    assert session.scalar(select(User.display_name).where(User.email == "lina@example.org")) == "لينا حداد"


def test_spaces_and_unicode_passwords_work(browser, session):
    register(browser, email="ut@example.org", password="  ключ к двери  ", confirm_password="  ключ к двери  ")
    assert services.authenticate(session, "ut@example.org", "  ключ к двери  ") is not None
    assert services.authenticate(session, "ut@example.org", "ключ к двери") is None


def test_control_characters_in_name_are_refused(browser):
    response = register(browser, display_name="Bad\x07Name")
    assert response.status_code == 422
    assert "control characters" in browser.html


def test_signed_in_people_are_sent_home_from_register(browser, session):
    sign_in(browser, make_user(session))
    response = browser.get("/register")
    assert response.status_code == 302


def test_the_check_your_email_page_names_only_the_address_this_browser_gave(browser, app):
    browser.follow(register(browser, email="new.person@example.org"))
    assert "new.person@example.org" in browser.html
    forged = app.test_client().get("/register/check-your-email?sent_to=Call+0800+to+claim+your+prize").get_data(as_text=True)
    assert "0800" not in forged and "the address you gave" in forged


def test_the_reset_sent_page_names_only_the_address_this_browser_gave(browser, app):
    browser.get("/forgot-password")
    browser.submit({"email": "someone@example.org"}, button="Send the link")
    assert "someone@example.org" in browser.html
    forged = app.test_client().get("/forgot-password/sent?sent_to=Your+account+is+closed").get_data(as_text=True)
    assert "closed" not in forged and "that address" in forged


def test_registering_a_known_address_does_the_same_work_as_a_new_one(browser, session, monkeypatch):
    make_user(session, email="taken@example.org")
    hashed = []
    real = passwords.hash_password
    monkeypatch.setattr(passwords, "hash_password", lambda password: hashed.append(password) or real(password))
    register(browser, email="taken@example.org")
    register(browser, email="brand.new@example.org")
    assert hashed == [GOOD["password"]] * 2


def test_a_name_that_reverses_itself_is_refused_and_kept(browser, session):
    response = register(browser, display_name="\u202eecilA", email="rlo@example.org")
    assert response.status_code == 422
    assert "Display name must not contain invisible formatting characters" in browser.html
    assert 'value="\u202eecilA"' in browser.html
    assert session.scalar(select(User).where(User.email == "rlo@example.org")) is None
