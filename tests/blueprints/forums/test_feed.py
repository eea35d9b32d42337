"""The Atom feed of a category open to all members: well-formed XML, escaped text,
newest threads first; no feed for restricted categories."""

from __future__ import annotations

from datetime import datetime, timedelta
from xml.etree import ElementTree

import pytest

from portal.blueprints.forums import services
from portal.core.db import utcnow
from tests.blueprints.accounts.factories import sign_in
from tests.blueprints.forums.factories import first_post, make_person, make_thread
from tests.helpers import links

ATOM = "{http://www.w3.org/2005/Atom}"


def _feed(client, category):
    response = client.get(f"/forums/c/{category.slug}/feed.atom")
    assert response.status_code == 200
    assert response.mimetype == "application/atom+xml"
    assert response.data.startswith(b'<?xml version="1.0" encoding="utf-8"?>')
    return ElementTree.fromstring(response.data)


def test_the_feed_parses_and_lists_threads_newest_first(client, session, category):
    author = make_person(session, display_name="Amara & Co")
    old = make_thread(session, category, author, title="Tips & tricks <for> \"first\" meetings",
                      body="Bring **questions** & a notebook.", now=utcnow() - timedelta(days=2))
    new = make_thread(session, category, title="Newer thread", now=utcnow() - timedelta(hours=1))
    root = _feed(client, category)
    assert root.tag == f"{ATOM}feed"
    assert root.find(f"{ATOM}title").text.startswith("Finding a mentor – ")
    assert root.find(f"{ATOM}id").text == f"http://portal.test/forums/c/{category.slug}/"
    self_link = [link for link in root.findall(f"{ATOM}link") if link.get("rel") == "self"][0]
    assert self_link.get("href") == f"http://portal.test/forums/c/{category.slug}/feed.atom"
    entries = root.findall(f"{ATOM}entry")
    assert [e.find(f"{ATOM}title").text for e in entries] == ["Newer thread", 'Tips & tricks <for> "first" meetings']
    assert [e.find(f"{ATOM}id").text for e in entries] == [
        f"http://portal.test/forums/t/{new.id}", f"http://portal.test/forums/t/{old.id}"]
    tips = entries[1]
    assert tips.find(f"{ATOM}author/{ATOM}name").text == "Amara & Co"
    content = tips.find(f"{ATOM}content")
    assert content.get("type") == "html" and list(content) == []
    assert content.text.strip() == "<p>Bring <strong>questions</strong> &amp; a notebook.</p>"
    for entry in entries:
        assert datetime.fromisoformat(entry.find(f"{ATOM}updated").text).tzinfo is not None
    assert datetime.fromisoformat(root.find(f"{ATOM}updated").text) == new.created_at.replace(microsecond=0)


def test_an_empty_category_has_a_valid_feed(client, category):
    root = _feed(client, category)
    assert root.findall(f"{ATOM}entry") == []
    assert root.find(f"{ATOM}updated").text


def test_a_deleted_or_hidden_opening_post_is_left_out_of_the_feed(client, session, category, manager):
    deleted = make_thread(session, category, title="Deleted opening", body="Secret words one")
    hidden = make_thread(session, category, title="Hidden opening", body="Secret words two")
    services.delete_post(session, first_post(session, deleted))
    services.hide_post(session, first_post(session, hidden), manager, "Off topic")
    root = _feed(client, category)
    assert [e.find(f"{ATOM}content") for e in root.findall(f"{ATOM}entry")] == [None, None]
    assert b"Secret words" not in client.get(f"/forums/c/{category.slug}/feed.atom").data


def test_the_feed_holds_the_twenty_newest_threads(client, session, category):
    author = make_person(session)
    start = utcnow() - timedelta(days=1)
    for n in range(23):
        make_thread(session, category, author, title=f"Thread {n:02}", now=start + timedelta(minutes=n))
    titles = [e.find(f"{ATOM}title").text for e in _feed(client, category).findall(f"{ATOM}entry")]
    assert titles == [f"Thread {n:02}" for n in range(22, 2, -1)]


@pytest.mark.parametrize("who", ["signed out", "mentor", "manager"])
def test_restricted_categories_have_no_feed(browser, session, lounge, office, who):
    if who != "signed out":
        sign_in(browser, make_person(session, participation="mentor", role="manager" if who == "manager" else "member"))
    for restricted in (lounge, office):
        assert browser.get(f"/forums/c/{restricted.slug}/feed.atom").status_code == 404


def test_only_member_categories_link_to_their_feed(browser, session, category, lounge, manager):
    sign_in(browser, manager)
    open_links = links(browser.get(f"/forums/c/{category.slug}/").get_data(as_text=True))
    assert ("Follow Finding a mentor in a feed reader", f"/forums/c/{category.slug}/feed.atom") in open_links
    assert "feed.atom" not in browser.get(f"/forums/c/{lounge.slug}/").get_data(as_text=True)
