"""Search across titles and posts behind one function (SQLite FTS5 or PostgreSQL
full-text search): matching words marked in context, only what the person may see,
nothing deleted or hidden, and no query a person types can break it."""

from __future__ import annotations

from datetime import timedelta

import pytest

from portal.blueprints.forums import search, services
from portal.core.db import utcnow
from tests.blueprints.accounts.factories import approve_mentor, sign_in
from tests.blueprints.forums.factories import first_post, make_person, make_post, make_thread
from tests.helpers import HX, elements, links, words_of


def _results(markup: str) -> list[tuple[str, str]]:
    """(thread title, link) of each result."""
    return [(" ".join(e.text.split()), e.attrs["href"]) for e in elements(markup)
            if e.tag == "a" and e.attrs.get("href", "").startswith("/forums/p/")]


def _snippets(markup: str) -> list[str]:
    import re
    return re.findall(r'<p class="snippet">(.*?)</p>', markup, flags=re.S)


@pytest.fixture
def corpus(session, category, lounge):
    author = make_person(session, display_name="Amara Okafor")
    data = make_thread(session, category, author, title="Finding a mentor in data science",
                       body="I moved from teaching into analytics last year.")
    reply = make_post(session, data, body="My mentor helped me plan a portfolio of small projects.")
    cv = make_thread(session, category, author, title="Writing a CV", body="Transferable skills from retail work.")
    secret = make_thread(session, lounge, title="Mentor burnout", body="Mentees ask a lot of their mentor.")
    return {"data": data, "reply": reply, "cv": cv, "secret": secret}


def test_matching_words_are_marked_in_context(browser, session, corpus):
    page = browser.get("/forums/search?q=portfolio")
    markup = page.get_data(as_text=True)
    assert page.status_code == 200
    assert _results(markup) == [("Finding a mentor in data science, post 2", f"/forums/p/{corpus['reply'].id}")]
    [snippet] = _snippets(markup)
    assert "<mark>portfolio</mark>" in snippet and "small projects" in snippet
    words = words_of(page)
    assert "1 post matches “portfolio”" in words
    assert "Post 2 by " in words and "in Finding a mentor" in words


def test_titles_are_searched_with_their_opening_post(browser, session, corpus):
    markup = browser.get("/forums/search?q=science").get_data(as_text=True)
    assert _results(markup) == [("Finding a mentor in data science, post 1",
                                 f"/forums/p/{corpus['data'].last_post_id - 1}")]
    assert "<mark>science</mark>" in _snippets(markup)[0]


def test_every_word_must_match_and_forms_of_a_word_match(browser, session, corpus):
    assert len(_results(browser.get("/forums/search?q=transferable+skills").get_data(as_text=True))) == 1
    assert _results(browser.get("/forums/search?q=transferable+portfolio").get_data(as_text=True)) == []
    assert len(_results(browser.get("/forums/search?q=projects").get_data(as_text=True))) == 1
    assert len(_results(browser.get("/forums/search?q=project").get_data(as_text=True))) == 1, "stemmed"
    assert len(_results(browser.get("/forums/search?q=PORTFOLIO").get_data(as_text=True))) == 1


@pytest.mark.parametrize(("who", "finds_lounge"), [
    ("signed out", False), ("mentee", False), ("mentor", True), ("manager", True)])
def test_search_respects_who_may_see_each_category(browser, session, corpus, who, finds_lounge):
    people = {"mentee": {}, "mentor": {"participation": "mentor"}, "manager": {"role": "manager"}}
    if who != "signed out":
        person = make_person(session, **people[who])
        if who == "mentor":
            approve_mentor(session, person)
        sign_in(browser, person)
    markup = browser.get("/forums/search?q=burnout").get_data(as_text=True)
    assert bool(_results(markup)) is finds_lounge
    assert ("Mentor burnout" in markup) is finds_lounge


def test_deleted_and_hidden_posts_are_not_found(browser, session, corpus, manager):
    services.delete_post(session, corpus["reply"])
    services.hide_post(session, first_post(session, corpus["cv"]), manager, "Off topic")
    session.commit()
    for query in ("portfolio", "transferable", "CV"):
        markup = browser.get(f"/forums/search?q={query}").get_data(as_text=True)
        assert _results(markup) == [], query
        assert "Nothing matches. Try fewer or different words." in markup


def test_an_edited_post_is_found_by_its_new_words_only(session, corpus):
    post = corpus["reply"]
    services.edit_post(session, post, "My mentor suggested open-source contributions.")
    found = search.search(session, "contributions", [corpus["data"].category_id], 1)
    assert [h.post_id for h in found.hits] == [post.id] and found.total == 1
    assert search.search(session, "portfolio", [corpus["data"].category_id], 1).total == 0


def test_the_snippet_shows_user_text_escaped(browser, session, category):
    make_thread(session, category, title="Markup", body='Try <b onclick="x()">bold</b> & "quotes" in kerfuffle')
    markup = browser.get("/forums/search?q=kerfuffle").get_data(as_text=True)
    [snippet] = _snippets(markup)
    assert [e.tag for e in elements(snippet)] == ["mark"], "only the marks are markup"
    assert "bold" in snippet and "onclick" not in snippet.replace("&lt;b onclick=", "")


def test_results_come_twenty_to_a_page(browser, session, category):
    author = make_person(session)
    thread = make_thread(session, category, author, title="Weekly check-in", now=utcnow() - timedelta(hours=2))
    for n in range(24):
        make_post(session, thread, author, body=f"Update {n}: progress on the capstone.",
                  now=utcnow() - timedelta(minutes=90 - n))
    first = browser.get("/forums/search?q=capstone")
    assert "24 posts match “capstone”, page 1 of 2" in words_of(first)
    assert len(_results(first.get_data(as_text=True))) == 20
    nav = [e for e in elements(first.get_data(as_text=True)) if e.tag == "nav" and e.attrs.get("class") == "pagination"]
    assert nav and nav[0].attrs["aria-label"] == "Search result pages"
    assert ("Page 2", "/forums/search?page=2&q=capstone") in links(first.get_data(as_text=True))
    second = browser.get("/forums/search?q=capstone&page=2")
    assert "page 2 of 2" in words_of(second) and len(_results(second.get_data(as_text=True))) == 4
    ids = {h for _, h in _results(first.get_data(as_text=True))} | {h for _, h in _results(second.get_data(as_text=True))}
    assert len(ids) == 24
    for beyond in ("9", "0", "-3", "abc"):
        page = browser.get(f"/forums/search?q=capstone&page={beyond}")
        shown = len(_results(page.get_data(as_text=True)))
        assert page.status_code == 200 and shown in (20, 4), beyond
        assert ("page 2 of 2" if shown == 4 else "page 1 of 2") in words_of(page), "the heading names the page shown"


def test_search_with_htmx_returns_the_results_only(browser, session, corpus):
    response = browser.get("/forums/search?q=portfolio", headers=HX)
    body = response.get_data(as_text=True)
    assert body.startswith('<div id="search-results">') and "<html" not in body and "<mark>portfolio</mark>" in body
    assert "HX-Request" in response.headers["Vary"]


def test_an_empty_search_shows_just_the_form(browser, corpus):
    for url in ("/forums/search", "/forums/search?q=", "/forums/search?q=+++"):
        page = browser.get(url)
        assert page.status_code == 200
        assert "match" not in words_of(page) and "Nothing matches" not in words_of(page)
        assert 'name="q"' in page.get_data(as_text=True)


TYPED = [
    '"finding a mentor"', '"finding a mentor', "mentor AND data", "mentor OR cv", "mentor NOT data", "mentor -data",
    "-mentor", "ment*", "*", "**", "(mentor", "mentor)", "(mentor OR data) AND science", "NEAR(mentor data)",
    "NEAR(mentor data, 2)", "mentor NEAR data", "NEAR", "AND", "OR", "NOT", "^mentor", "document:mentor",
    "title:mentor", "mentor:", ":", "'", "''", "\\", "%", "_", "mentor's", "don't", "&", "|", "!", "<->", "a <-> b",
    "mentor & data", "mentor | data", "!mentor", "mentor:*", "{}", "[]", "+mentor", "@mentor", "#tag",
    "ménteur", "日本語 メンター", "🙂 mentor", "mentor\u200bdata", "x" * 300, "mentor " * 50, "\t\n",
    "-", "--", "-\"x\"", ")(", "\"\"", "a OR", "OR a", "NEAR(", "mentor NEAR/2 data",
]


@pytest.mark.parametrize("query", TYPED)
def test_no_query_a_person_types_causes_an_error(client, session, corpus, query):
    response = client.get("/forums/search", query_string={"q": query})
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    assert client.get("/forums/search", query_string={"q": query, "page": "2"}).status_code == 200


@pytest.mark.parametrize("query", ["\x00", "mentor\x00data", "\x1f"])
def test_a_query_with_control_characters_is_a_bad_request(client, query):
    assert client.get("/forums/search", query_string={"q": query}).status_code == 400


@pytest.mark.parametrize(("query", "found"), [
    ('"data science"', ["data"]),
    ('"science data"', []),
    ("data AND science", ["data"]),
    ("(data science)", ["data"]),
    ("science*", ["data"]),
    ("mentor -portfolio", ["data"]),
    ('mentor -"small projects"', ["data"]),
    ("portfolio OR transferable", ["reply", "cv"]),
    ("portfolio or transferable", ["reply", "cv"]),
])
def test_typed_operators_mean_the_same_on_both_databases(client, session, corpus, query, found):
    """SQLite reads a query the way PostgreSQL's websearch_to_tsquery does."""
    markup = client.get("/forums/search", query_string={"q": query}).get_data(as_text=True)
    expected = {f"/forums/p/{first_post(session, corpus[k]).id if k != 'reply' else corpus[k].id}" for k in found}
    assert {href for _, href in _results(markup)} == expected


def test_past_the_cap_the_newest_come_first_and_the_count_says_more(session, category, monkeypatch, member):
    monkeypatch.setattr(search, "COUNT_CAP", 3)
    thread = make_thread(session, category, member, title="Ceramics")
    posts = [make_post(session, thread, member, body=f"Pottery wheel tips number {n}") for n in range(5)]
    found = search.search(session, "pottery", [category.id], 1)
    assert found.more and found.total == 3 and found.newest_first
    assert [h.post_id for h in found.hits] == [p.id for p in posts[::-1][:3]]


def test_a_page_past_the_last_shows_the_last(session, category, member):
    make_thread(session, category, member, title="Kiln notes")
    found = search.search(session, "kiln", [category.id], 7)
    assert (found.number, found.pages, len(found.hits)) == (1, 1, 1)
