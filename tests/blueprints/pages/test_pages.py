"""Home, the accessibility statement and the error pages."""

import re

import pytest
from flask_login import login_user, logout_user
from werkzeug.exceptions import Forbidden

from portal.core.permissions import Permission, Role, has_permission, require
from tests.blueprints.accounts.factories import make_user, sign_in
from tests.budget import measure
from tests.helpers import elements


def test_visitors_learn_what_the_portal_is_and_how_to_join(client):
    html = client.get("/").get_data(as_text=True)
    assert "<h1>Mentoring that everyone can take part in</h1>" in html
    assert 'href="/register"' in html and 'href="/sign-in"' in html
    assert '<a href="/" aria-current="page">Home</a>' in html


def test_members_get_their_own_start_page(browser, session):
    sign_in(browser, make_user(session, display_name="Yusuf"))
    assert "<h1>Welcome, Yusuf</h1>" in browser.html, "a first sign-in"
    assert "Open the dashboard" not in browser.html


def test_managers_start_page_links_the_dashboard(browser, session):
    sign_in(browser, make_user(session, role=Role.MANAGER))
    assert "Open the dashboard" in browser.html
    assert 'href="/manage/">Manage</a>' in browser.html


def test_accessibility_statement(client):
    html = client.get("/accessibility").get_data(as_text=True)
    for heading in ("The standard we aim for", "How we test", "Known limitations",
                    "Report a barrier or ask for another format"):
        assert heading in html
    assert 'mailto:access@example.org' in html
    assert 'aria-current="page">Accessibility</a>' in html


def test_every_page_has_the_layout_landmarks(client):
    html = client.get("/accessibility").get_data(as_text=True)
    assert html.index('class="skip-link" href="#main"') < html.index("<header")
    assert html.count("<main") == 1 and html.count("<header") == 1 and html.count("<footer") == 1
    assert '<html lang="en-GB"' in html


def test_screen_readers_meet_no_stray_focus_or_empty_status_bar(browser, session):
    """Main takes focus only from the skip link (portal.js), so a screen reader's caret
    inside it does not drag the next Tab back to its first link; the live region has no
    role, so an empty one is not read out as a bare "status bar"; the member's name is
    outside the sign-out form, so it is not announced as clickable."""
    sign_in(browser, make_user(session, display_name="Yusuf"))
    main = next(e for e in elements(browser.html) if e.tag == "main")
    assert "tabindex" not in main.attrs
    region = next(e for e in elements(browser.html) if e.attrs.get("id") == "live-region")
    assert region.attrs.get("aria-live") == "polite" and "role" not in region.attrs
    sign_out = re.search(r'<form[^>]*action="/sign-out"[^>]*>(.*?)</form>', browser.html, flags=re.S).group(1)
    assert "Yusuf" not in sign_out and "<a " not in sign_out


@pytest.mark.parametrize(
    ("path", "method", "status", "title"),
    [
        ("/no-such-page", "get", 404, "Page not found"),
        ("/sign-out", "get", 405, "That action is not available here"),
        ("/sign-in", "post", 400, "Something was wrong with that request"),
    ],
)
def test_error_pages_keep_the_navigation(client, path, method, status, title):
    response = getattr(client, method)(path)
    html = response.get_data(as_text=True)
    assert response.status_code == status
    assert f"<h1>{title}</h1>" in html
    assert f"<title>{title} – Mentoring Circle</title>" in html
    assert '<nav aria-label="Main">' in html


def test_taking_part_needs_a_confirmed_address(app, session):
    @require(Permission.TAKE_PART)
    def take_part():
        return "ok"

    with app.test_request_context("/"):
        login_user(make_user(session, verified=True))
        assert take_part() == "ok"
    with app.test_request_context("/"):
        login_user(make_user(session, verified=False))
        with pytest.raises(Forbidden):
            take_part()
        logout_user()
    with app.test_request_context("/"):
        assert take_part().status_code == 302, "signed-out people are sent to sign in"


def test_403_page_tells_an_unverified_member_to_confirm(app, session):
    with app.test_request_context("/"):
        login_user(make_user(session, verified=False))
        response = app.make_response(app.handle_user_exception(Forbidden()))
    html = response.get_data(as_text=True)
    assert response.status_code == 403
    assert "confirm your email address before you can take part" in html
    assert "Send a new link" in html


@pytest.mark.parametrize(
    ("role", "verified", "permission", "allowed"),
    [
        (Role.MEMBER, True, Permission.TAKE_PART, True),
        (Role.MEMBER, False, Permission.TAKE_PART, False),
        (Role.MEMBER, True, Permission.MANAGE_COMMUNITY, False),
        (Role.MANAGER, True, Permission.MANAGE_COMMUNITY, True),
        (Role.MANAGER, True, Permission.MANAGE_ROLES, False),
        (Role.ADMIN, True, Permission.MANAGE_ROLES, True),
    ],
)
def test_permissions_by_role(session, role, verified, permission, allowed):
    assert has_permission(make_user(session, role=role, verified=verified), permission) is allowed


def test_nobody_signed_in_has_no_permissions():
    assert not has_permission(None, Permission.TAKE_PART)


def test_the_health_check_answers_without_the_database(client, app, session):
    page = measure(app, client, "/health")
    assert (page.queries, page.html) == (0, b"ok\n")
