"""Signing in and out, remembered sessions and their revocation."""

from datetime import timedelta

import pytest
from sqlalchemy import select, update

from portal.blueprints.accounts.models import SignIn, User
from portal.blueprints.accounts.services import load_session_user
from portal.core.db import utcnow
from tests.blueprints.accounts.factories import PASSWORD, make_user, sign_in
from tests.helpers import csrf_token


def test_sign_in_and_out(browser, session):
    user = make_user(session, display_name="Noor")
    sign_in(browser, user)
    assert "Welcome, Noor" in browser.html
    assert "Signed in as" in browser.html
    browser.submit(button="Sign out")
    assert "You have signed out." in browser.html
    assert browser.get("/account").status_code == 302


def test_email_is_matched_without_case_or_spaces(browser, session):
    user = make_user(session, email="mixed@example.org")
    browser.get("/sign-in")
    browser.submit({"email": "  MIXED@example.org ", "password": PASSWORD}, button="Sign in")
    assert "Welcome, " in browser.html
    session.expire_all()
    assert session.get(User, user.id).last_seen_at is not None


@pytest.mark.parametrize(
    ("email", "password", "message"),
    [
        ("", "", "Enter your email address"),
        ("nobody@example.org", "whatever-it-is", "The email address or password is not right"),
        ("person@", "x", "correct format"),
    ],
)
def test_failed_sign_in_keeps_the_email_and_says_why(browser, email, password, message):
    browser.get("/sign-in")
    response = browser.submit({"email": email, "password": password}, button="Sign in", follow=False)
    assert response.status_code == 422
    assert message in browser.html
    assert f'value="{email.strip()}"' in browser.html
    assert 'name="password" required type="password" value=""' in browser.html or 'value="' + password not in browser.html


def test_wrong_password_is_refused(browser, session):
    user = make_user(session)
    response = sign_in(browser, user, password="not the password")
    assert response.status_code == 422
    assert "not right" in browser.html


def test_deleted_account_cannot_sign_in(browser, session):
    user = make_user(session, email="gone@example.org")
    user.deleted_at = user.created_at
    session.flush()
    response = sign_in(browser, user)
    assert response.status_code == 422


def test_next_goes_to_the_page_asked_for(browser, session):
    user = make_user(session)
    response = browser.get("/account/preferences")
    assert response.status_code == 302
    browser.follow(response)
    browser.submit({"email": user.email, "password": PASSWORD}, button="Sign in")
    assert browser.url == "/account/preferences"


@pytest.mark.parametrize(
    "target",
    ["https://evil.example/", "//evil.example/", "/\\evil.example", "javascript:alert(1)", "\\\\evil", "/%0a/evil"],
)
def test_next_never_leaves_the_site(client, session, target):
    user = make_user(session)
    client.get("/sign-in")
    from tests.helpers import Browser

    browser = Browser(client)
    browser.get(f"/sign-in?next={target}")
    response = browser.submit({"email": user.email, "password": PASSWORD}, button="Sign in", follow=False)
    assert response.status_code == 303
    location = response.headers["Location"]
    assert location == "/" or (location.startswith("/") and not location.startswith("//") and "evil" not in location.split("/")[1])


def test_remember_me_sets_a_long_lived_cookie(browser, session):
    user = make_user(session)
    response = sign_in(browser, user, remember=True)
    assert response.status_code == 200
    cookie = browser.client.get_cookie("remember_token")
    assert cookie is not None and cookie.http_only and cookie.expires is not None


def test_without_remember_me_there_is_no_long_lived_cookie(browser, session):
    sign_in(browser, make_user(session))
    assert browser.client.get_cookie("remember_token") is None


def test_sign_out_everywhere_revokes_other_sessions(app, browser, session):
    user = make_user(session)
    other = app.test_client()
    from tests.helpers import Browser

    other_browser = Browser(other)
    sign_in(other_browser, user, remember=True)
    sign_in(browser, user)
    browser.get("/account")
    browser.submit(button="Sign out on every device")
    assert "signed out on every device" in browser.html
    assert other.get("/account").status_code == 302
    other.delete_cookie("session")
    assert other.get("/account").status_code == 302, "the remember cookie must be revoked too"


def test_cookie_from_before_a_password_change_is_refused(app, browser, session):
    user = make_user(session)
    from tests.helpers import Browser

    other = Browser(app.test_client())
    sign_in(other, user)
    sign_in(browser, user)
    browser.get("/account/password")
    browser.submit(
        {"current_password": PASSWORD, "password": "a brand new passphrase", "confirm_password": "a brand new passphrase"},
        button="Change password",
    )
    assert "signed out on every other device" in browser.html
    assert browser.get("/account").status_code == 200, "this device stays signed in"
    assert other.get("/account").status_code == 302
    session.expire_all()
    assert session.scalar(select(User.session_version).where(User.id == user.id)) == 2


def test_sign_out_needs_post_and_a_token(client, session):
    assert client.get("/sign-out").status_code == 405


def test_the_form_token_changes_at_sign_in(browser, session):
    user = make_user(session)
    before = csrf_token(browser, "/sign-in")
    sign_in(browser, user)
    after = csrf_token(browser, "/account")
    assert before != after
    signed_out = browser.client.post("/sign-out", data={"csrf_token": before})
    assert signed_out.status_code == 400, "a token from before signing in must not work after"


def _copy_cookies(source, target, names=("session", "remember_token")) -> None:
    for name in names:
        cookie = source.get_cookie(name)
        if cookie is not None:
            target.set_cookie(name, cookie.value)


def test_a_copied_session_cookie_stops_working_at_sign_out(app, browser, session):
    sign_in(browser, make_user(session))
    thief = app.test_client()
    _copy_cookies(browser.client, thief)
    assert thief.get("/account").status_code == 200, "a copy works while the sign-in lasts"
    browser.get("/account")
    browser.submit(button="Sign out")
    assert thief.get("/account").status_code == 302


def test_a_copied_remember_me_cookie_stops_working_at_sign_out(app, browser, session):
    sign_in(browser, make_user(session), remember=True)
    thief = app.test_client()
    _copy_cookies(browser.client, thief, names=("remember_token",))
    assert thief.get("/account").status_code == 200
    browser.get("/account")
    browser.submit(button="Sign out")
    fresh = app.test_client()
    _copy_cookies(thief, fresh, names=("remember_token",))
    assert fresh.get("/account").status_code == 302


def test_remember_me_expires_on_the_server(app, browser, session):
    user = make_user(session)
    sign_in(browser, user, remember=True)
    session.execute(update(SignIn).where(SignIn.user_id == user.id).values(expires_at=utcnow() - timedelta(seconds=1)))
    returning = app.test_client()
    _copy_cookies(browser.client, returning, names=("remember_token",))
    assert returning.get("/account").status_code == 302


def test_a_cookie_from_before_sign_ins_were_recorded_is_not_enough(session):
    user = make_user(session)
    assert load_session_user(session, f"{user.id}:{user.session_version}") is None


def test_signing_in_again_clears_the_persons_ended_sign_ins(browser, session):
    user = make_user(session)
    for _ in range(3):
        sign_in(browser, user)
        browser.get("/account")
        browser.submit(button="Sign out")
    sign_in(browser, user)
    assert session.scalars(select(SignIn.ended_at).where(SignIn.user_id == user.id)).all() == [None]
