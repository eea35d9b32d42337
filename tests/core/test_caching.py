"""Who may keep a copy of a page: pages the same for every signed-out visitor are public
for a short while, with an ETag; anything personal, or setting a cookie, is stored nowhere."""

from __future__ import annotations

import pytest

from tests.blueprints.accounts.factories import make_user, sign_in
from tests.blueprints.events.factories import make_event
from tests.blueprints.forums.factories import make_thread

PUBLIC = "public, max-age=60, stale-while-revalidate=300"
GZIP = {"Accept-Encoding": "gzip"}


def test_a_visitors_page_sets_no_cookie_and_may_be_kept_by_anyone(client, session, category):
    thread, event = make_thread(session, category), make_event(session, capacity=10)
    session.commit()
    for path in ("/", "/events/", f"/events/{event.id}", "/events/past", "/forums/", f"/forums/c/{category.slug}/",
                 f"/forums/t/{thread.id}", "/forums/search?q=opening", "/accessibility"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert "Set-Cookie" not in response.headers, path
        assert response.headers["Cache-Control"] == PUBLIC, path
        assert response.headers["ETag"], path


def test_an_unchanged_page_is_answered_304_without_a_body_compressed_or_not(client, session, category):
    session.commit()
    for headers in ({}, GZIP):
        first = client.get("/forums/", headers=headers)
        again = client.get("/forums/", headers={**headers, "If-None-Match": first.headers["ETag"]})
        assert (again.status_code, again.get_data()) == (304, b"")
        assert again.headers["Cache-Control"] == PUBLIC
    assert client.get("/forums/", headers=GZIP).headers["ETag"].endswith(':gzip"'), "its own tag for the gzip body"


def test_a_change_gives_the_page_a_new_etag(client, session, category):
    session.commit()
    before = client.get("/forums/").headers["ETag"]
    category.description = "Now described"
    session.commit()
    changed = client.get("/forums/", headers={"If-None-Match": before})
    assert changed.status_code == 200 and changed.headers["ETag"] != before


@pytest.mark.parametrize("path", ["/sign-in", "/register", "/forgot-password"])
def test_a_page_whose_form_needs_a_token_sets_a_cookie_and_is_kept_by_nobody(client, path):
    response = client.get(path)
    assert "session=" in response.headers["Set-Cookie"]
    assert response.headers["Cache-Control"] == "private, no-store"
    assert "ETag" not in response.headers


def test_a_page_for_a_visitor_whose_session_holds_something_is_kept_by_nobody(client):
    with client.session_transaction() as session:
        session["sent_to"] = "zoe@example.org"
    page = client.get("/register/check-your-email")
    assert "zoe@example.org" in page.get_data(as_text=True)
    assert page.headers["Cache-Control"] == "private, no-store"
    client.get("/sign-in")  # now the session holds a form's token too
    again = client.get("/sign-in")
    assert "Set-Cookie" not in again.headers, "the token was already there"
    assert again.headers["Cache-Control"] == "private, no-store" and "ETag" not in again.headers


def test_the_health_check_is_never_kept(client):
    assert client.get("/health").headers["Cache-Control"] == "no-store"


def test_every_page_for_someone_signed_in_is_kept_by_nobody(browser, session, category):
    sign_in(browser, make_user(session))
    for path in ("/", "/forums/", "/account", "/events/"):
        response = browser.get(path)
        assert response.headers["Cache-Control"] == "private, no-store", path
        assert "ETag" not in response.headers


def test_a_message_after_a_redirect_is_not_shared(client, session):
    session.commit()
    response = client.get("/account", follow_redirects=True)  # "Sign in to see that page."
    assert "Sign in to see that page" in response.get_data(as_text=True)
    assert response.headers["Cache-Control"] == "private, no-store"


def test_the_conventional_icon_address_answers_with_the_icon(client):
    response = client.get("/favicon.ico")
    assert (response.status_code, response.mimetype) == (200, "image/svg+xml")
    assert response.get_data().startswith(b"<svg")
    assert response.headers["Cache-Control"] == "public, max-age=86400"
    assert "Set-Cookie" not in response.headers
