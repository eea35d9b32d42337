"""Numbers in addresses and forms: out of range or not plain digits is "not found", never a 500."""

from __future__ import annotations

import pytest

from portal.core.routing import MAX_ID, parse_whole, path_for
from tests.blueprints.accounts.factories import make_user, sign_in
from tests.blueprints.forums.factories import make_category, make_thread

HUGE = "9" * 30


@pytest.mark.parametrize("text, expected", [
    ("0", 0), ("42", 42), (str(MAX_ID), MAX_ID), (str(MAX_ID + 1), None), ("9" * 5000, None),
    ("²", None), ("٣", None), ("-3", None), ("3.0", None), (" 3", None), ("", None), (None, None),
])
def test_a_whole_number_is_ascii_digits_within_the_maximum(text, expected):
    assert parse_whole(text, MAX_ID) == expected


@pytest.mark.parametrize("path", [
    f"/events/{HUGE}", f"/events/{MAX_ID + 1}", f"/events/{HUGE}/calendar.ics", f"/forums/t/{HUGE}",
    f"/forums/p/{HUGE}", f"/forums/t/{MAX_ID + 1}/reply",
])
def test_an_id_too_large_for_the_database_is_not_found(browser, session, path):
    sign_in(browser, make_user(session))
    assert browser.client.get(path).status_code == 404


def test_a_quoted_post_id_too_large_is_ignored(browser, session):
    member = make_user(session)
    thread = make_thread(session, make_category(session), member)
    sign_in(browser, member)
    response = browser.client.get(f"/forums/t/{thread.id}/reply?quote={HUGE}")
    assert response.status_code == 200


@pytest.mark.parametrize("page", ["²", HUGE, "-5", "abc"])
def test_a_page_number_that_is_not_plain_digits_shows_the_first_page(client, page):
    response = client.get(f"/events/?page={page}")
    assert response.status_code == 200


def test_a_path_can_be_made_inside_a_request_or_outside_one(app):
    assert path_for("forums.permalink", post_id=3) == "/forums/p/3"
    with app.test_request_context("/elsewhere"):
        assert path_for("forums.permalink", post_id=3) == "/forums/p/3"
