"""Headers, CSRF, rate limits, request size, assets and error pages."""

import logging
from urllib.parse import quote

import pytest

from portal.core.assets import fingerprint
from portal.core.security import is_safe_redirect
from tests.blueprints.accounts.factories import PASSWORD, make_user, sign_in
from tests.helpers import Browser


def assert_security_headers(response):
    csp = response.headers["Content-Security-Policy"]
    for part in ("object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'", "form-action 'self'",
                 "script-src 'self'"):
        assert part in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"]


@pytest.mark.parametrize("path", ["/", "/sign-in", "/no-such-page", "/accessibility"])
def test_headers_on_pages_and_errors(client, path):
    assert_security_headers(client.get(path))


def test_headers_on_a_server_error(app, client, monkeypatch):
    from portal.blueprints.pages import views

    def boom(*args, **kwargs):
        raise RuntimeError("kaput")

    monkeypatch.setattr(views, "render", boom)
    response = client.get("/accessibility")
    assert response.status_code == 500
    assert "Sorry, there is a problem with the portal" in response.get_data(as_text=True)
    assert "kaput" not in response.get_data(as_text=True)
    assert_security_headers(response)


def test_no_inline_scripts_or_styles(client):
    html = client.get("/register").get_data(as_text=True)
    assert "<script>" not in html and "style=" not in html and "<style" not in html
    assert " on" + "click=" not in html


def test_form_without_csrf_token_is_refused(client, session, caplog):
    user = make_user(session)
    with caplog.at_level(logging.WARNING, "portal.security"):
        response = client.post("/sign-in", data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 400
    assert "nothing was changed" in response.get_data(as_text=True)
    assert "reason=csrf" in caplog.text


def test_htmx_requests_carry_the_token_in_a_header(browser, session):
    sign_in(browser, make_user(session))
    browser.get("/account/preferences")
    token = dict(browser.form(button="Save preferences").fields)["csrf_token"]
    assert f'data-hx-headers=\'{{"X-CSRFToken": "{token}"}}\'' in browser.html
    response = browser.client.post("/account/preferences", data={"low_data": "y"},
                                   headers={"X-CSRFToken": token, "HX-Request": "true"})
    assert response.status_code == 200


@pytest.mark.parametrize("path", ["/sign-out", "/sign-out-everywhere", "/account/resend-confirmation"])
def test_actions_refuse_get(client, path):
    assert client.get(path).status_code == 405


@pytest.mark.parametrize(
    ("target", "safe"),
    [("/account", True), ("/a?b=c", True), ("//evil.example", False), ("https://evil.example", False),
     ("/\\evil", False), ("", False), (None, False), ("account", False), ("/\tx", False),
     ("//\u2100.example", False), ("https://[::1", False), ("/ok?next=https://[::1", True)],
)
def test_safe_redirects(target, safe):
    assert is_safe_redirect(target) is safe


def test_oversized_request_gets_a_friendly_413(client):
    response = client.post("/sign-in", data={"email": "x" * (2 * 1024 * 1024)})
    assert response.status_code == 413
    assert "too large" in response.get_data(as_text=True)
    assert_security_headers(response)


def test_assets_are_fingerprinted_and_cached_for_a_year(client):
    html = client.get("/").get_data(as_text=True)
    digest = fingerprint("css/portal.css")
    url = f"/assets/{digest}/css/portal.css"
    assert url in html
    with client.get(url) as response:
        assert response.status_code == 200
        assert "max-age=31536000" in response.headers["Cache-Control"]
        assert "immutable" in response.headers["Cache-Control"]
    with client.get("/assets/000000000000/css/portal.css") as stale:
        assert "immutable" not in stale.headers.get("Cache-Control", "")
    assert client.get("/assets/x/../../config.py").status_code == 404


def test_responses_are_compressed(client):
    response = client.get("/accessibility", headers={"Accept-Encoding": "gzip"})
    assert response.headers["Content-Encoding"] == "gzip"


def _sign_in_attempt(browser, email, password="wrong password"):
    browser.get("/sign-in")
    return browser.submit({"email": email, "password": password}, button="Sign in", follow=False)


def test_password_reset_emails_are_limited(limited_app):
    browser = Browser(limited_app.test_client())
    with limited_app.app_context():
        browser.get("/forgot-password")
        browser.submit({"email": "x@example.org"}, button="Send the link")
        browser.get("/forgot-password")
        assert browser.submit({"email": "x@example.org"}, button="Send the link").status_code == 429


def test_failed_sign_in_is_logged_without_the_password(browser, session, caplog):
    user = make_user(session)
    with caplog.at_level(logging.INFO):
        _sign_in_attempt(browser, user.email, "hunter2-secret")
        sign_in(browser, user)
    assert "failed sign-in" in caplog.text
    assert f"sign-in user={user.id}" in caplog.text
    assert "hunter2-secret" not in caplog.text and PASSWORD not in caplog.text


def test_signed_out_request_for_a_member_page_is_logged(client, caplog):
    with caplog.at_level(logging.WARNING, "portal.security"):
        assert client.get("/account").status_code == 302
    assert "denied path=/account status=401" in caplog.text


def test_forbidden_request_is_logged(browser, session, caplog):
    sign_in(browser, make_user(session))
    with caplog.at_level(logging.WARNING, "portal.security"):
        assert browser.get("/manage/").status_code == 403
    assert "denied path=/manage/ status=403" in caplog.text


@pytest.mark.parametrize("target", ["//%E2%84%80.example", "https://[::1", "//\u2100.example"])
def test_sign_in_with_a_malformed_next_address_goes_home(browser, session, target):
    user = make_user(session)
    browser.get(f"/sign-in?next={quote(target, safe='%')}")
    response = browser.submit({"email": user.email, "password": PASSWORD}, button="Sign in", follow=False)
    assert response.status_code == 303
    assert response.headers["Location"] == "/"


@pytest.mark.parametrize("path", [
    "/events/?topic=%00", "/events/?format=a%00b", "/forums/search?q=mentor%00", "/forums/?x%01=1",
    "/events/past?page=%1b", "/forums/c/intro%00ductions/", "/forums/c/%00/feed.atom",
])
def test_a_control_character_in_the_address_is_a_bad_request(client, path):
    response = client.get(path)
    assert response.status_code == 400


def test_tabs_and_line_breaks_in_the_address_are_allowed(client):
    assert client.get("/forums/search?q=finding%09a%0Amentor").status_code == 200
