"""Reading the forums: who sees which category, posts as articles, pages, permalinks and
"new since your last visit"."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from portal.core.db import utcnow
from tests.blueprints.accounts.factories import approve_mentor, sign_in
from tests.blueprints.forums.factories import make_person, make_post, make_replies, make_thread
from tests.helpers import csrf_token, elements, links, main_of, text_of


def _post_articles(markup: str):
    return [e for e in elements(markup) if e.tag == "article" and "post" in e.attrs.get("class", "").split()]


# Categories by audience


@pytest.mark.parametrize(("who", "sees"), [
    ("signed out", {"Finding a mentor"}),
    ("mentee", {"Finding a mentor"}),
    ("says mentor, not approved", {"Finding a mentor"}),
    ("says both, not approved", {"Finding a mentor"}),
    ("approved mentor", {"Finding a mentor", "Mentors' lounge"}),
    ("manager", {"Finding a mentor", "Mentors' lounge", "Managers' office"}),
    ("admin", {"Finding a mentor", "Mentors' lounge", "Managers' office"}),
])
def test_each_person_sees_the_categories_for_their_audience(browser, session, category, lounge, office, who, sees):
    people = {
        "mentee": lambda: make_person(session, participation="mentee"),
        "says mentor, not approved": lambda: make_person(session, participation="mentor"),
        "says both, not approved": lambda: make_person(session, participation="both"),
        "approved mentor": lambda: approve_mentor(
            session, make_person(session, participation="both")).user,
        "manager": lambda: make_person(session, role="manager"),
        "admin": lambda: make_person(session, role="admin"),
    }
    threads = {c.slug: make_thread(session, c, title=f"Talk in {c.name}") for c in (category, lounge, office)}
    if who != "signed out":
        sign_in(browser, people[who]())
    listed = {text for text, href in links(browser.get("/forums/").get_data(as_text=True))
              if href.startswith("/forums/c/")}
    assert listed == sees
    for c in (category, lounge, office):
        expected = 200 if c.name in sees else 404
        thread = threads[c.slug]
        assert browser.get(f"/forums/c/{c.slug}/").status_code == expected, c.name
        assert browser.get(f"/forums/t/{thread.id}").status_code == expected, c.name
        assert browser.get(f"/forums/p/{thread.last_post_id}").status_code == (302 if expected == 200 else 404)


def test_the_index_says_who_a_restricted_category_is_for(browser, session, category, lounge, manager):
    sign_in(browser, manager)
    page = text_of(browser.get("/forums/"))
    assert "Mentors only" in page
    assert "Matching and first meetings." in page
    assert page.index("Finding a mentor") < page.index("Mentors' lounge")


def test_a_crafted_post_into_a_hidden_category_is_refused_with_a_message(browser, session, category, lounge, member):
    sign_in(browser, member)
    token = csrf_token(browser, f"/forums/c/{category.slug}/new")
    response = browser.client.post(f"/forums/c/{lounge.slug}/new", data={
        "csrf_token": token, "title": "Sneaking in", "body": "Mentees in the lounge", "action": "post"})
    assert response.status_code == 422
    page = text_of(response)
    assert "You cannot post in this category" in page
    assert page.startswith("<!doctype html>") and "<title>Error: " in page
    assert "Mentors' lounge" not in page, "the refusal does not name the hidden category"
    [error] = [e for e in elements(response.get_data(as_text=True)) if e.attrs.get("id") == "body-error"]
    assert " ".join(error.text.split()) == "Error: You cannot post in this category", "beside the field"
    fields = {e.attrs.get("name"): e for e in elements(response.get_data(as_text=True)) if e.tag in ("input", "textarea")}
    assert fields["title"].attrs["value"] == "Sneaking in" and fields["body"].text.strip() == "Mentees in the lounge"
    assert lounge.thread_count == 0
    assert browser.get(f"/forums/c/{lounge.slug}/new").status_code == 404


def test_a_missing_category_thread_or_post_is_404(browser, session, member):
    sign_in(browser, member)
    for url in ("/forums/c/nowhere/", "/forums/c/nowhere/new", "/forums/t/999999", "/forums/p/999999",
                "/forums/t/999999/reply", "/forums/c/nowhere/feed.atom"):
        assert browser.get(url).status_code == 404, url


# Posts as articles, links that say where they go


def test_each_post_is_an_article_headed_by_its_author_and_time(browser, session, category, member, other):
    thread = make_thread(session, category, member, title="Finding a mentor in data science")
    make_post(session, thread, other, body="I asked at a meet-up.")
    sign_in(browser, other)
    markup = browser.get(f"/forums/t/{thread.id}").get_data(as_text=True)
    articles = _post_articles(markup)
    assert len(articles) == 2
    by_id = {e.attrs.get("id"): e for e in elements(markup)}
    for article, name in zip(articles, ["Mo Member", "Olu Other"], strict=True):
        heading = by_id[article.attrs["aria-labelledby"]]
        assert heading.tag == "h2"
        assert name in heading.text
    headings = re.findall(r"<h2 class=\"post-heading\"[^>]*>(.*?)</h2>", markup, flags=re.S)
    # A relative time ("just now") shown, the exact one in datetime and for assistive technology.
    # The <time> has no role, so a screen reader speaks the heading as one phrase.
    assert all(re.search(r'<time datetime="\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00" role="presentation">just now '
                         r'<span class="visually-hidden">\([^<]+ GMT\)</span></time>', h) for h in headings), headings
    # One phrase for a screen reader: a link inside would split it into three.
    assert not any("<a " in h for h in headings), headings
    assert ("About Olu Other", f"/people/{other.id}") in links(markup)
    assert markup.count("<h1") == 1


def test_links_say_where_they_go(browser, session, category, member, other):
    thread = make_thread(session, category, member, title="Finding a mentor")
    make_replies(session, thread, 3, other)
    sign_in(browser, other)
    markup = main_of(browser.get(f"/forums/t/{thread.id}").get_data(as_text=True))
    found = links(markup)
    texts = [text for text, _ in found]
    assert not {t.lower() for t in texts} & {"here", "click here", "more", "read more", "link", "reply", "edit",
                                             "delete", "report", "quote", ""}
    targets: dict[str, set[str]] = {}
    for text, href in found:
        targets.setdefault(text, set()).add(href)
    assert {t: h for t, h in targets.items() if len(h) > 1} == {}, "one link text, one destination"
    assert "Quote post 1 in a reply" in texts and "Report post 1" in texts and "Edit post 2" in texts
    assert "Link to post 4" in texts
    assert "Reply to “Finding a mentor”" in text_of(browser.page)
    category_page = browser.get(f"/forums/c/{category.slug}/").get_data(as_text=True)
    assert ("Start a thread in Finding a mentor", f"/forums/c/{category.slug}/new") in links(category_page)


def test_signed_out_readers_are_offered_a_sign_in_that_returns_to_the_thread(browser, session, category):
    thread = make_thread(session, category, title="Finding a mentor")
    markup = browser.get(f"/forums/t/{thread.id}").get_data(as_text=True)
    assert ("Sign in to reply to “Finding a mentor”",
            f"/sign-in?next=/forums/t/{thread.id}") in [(t, h.replace("%2F", "/")) for t, h in links(markup)]
    assert "Quote post" not in markup and 'name="body"' not in markup


# Pages and permanent links


@pytest.fixture
def long_thread(session, category, member, other):
    """Forty-five posts: pages of 20, 20 and 5."""
    thread = make_thread(session, category, member, title="A long talk", now=utcnow() - timedelta(hours=2))
    make_replies(session, thread, 44, other, start=utcnow() - timedelta(minutes=100))
    return thread


def test_a_thread_shows_twenty_posts_a_page_with_numbered_pages(browser, session, long_thread):
    counts = {}
    for page in (1, 2, 3):
        markup = browser.get(f"/forums/t/{long_thread.id}?page={page}").get_data(as_text=True)
        counts[page] = len(_post_articles(markup))
        navs = [e for e in elements(markup) if e.tag == "nav" and e.attrs.get("class") == "pagination"]
        assert [n.attrs["aria-label"] for n in navs] == ["Pages of this thread", "Pages of this thread, again"]
        current = [(t, h) for e in elements(markup) if e.tag == "a" and e.attrs.get("aria-current") == "page"
                   for t, h in [(" ".join(e.text.split()), e.attrs["href"])]]
        assert (f"Page {page}", f"/forums/t/{long_thread.id}?page={page}") in current
        assert {t for t, _ in links(markup)} >= {"Page 1", "Page 2", "Page 3"}
        assert f"45 posts, page {page} of 3" in text_of(browser.page)
    assert counts == {1: 20, 2: 20, 3: 5}
    assert "Reply 43 in the thread." in browser.get(f"/forums/t/{long_thread.id}?page=3").get_data(as_text=True)
    second = browser.get(f"/forums/t/{long_thread.id}?page=2").get_data(as_text=True)
    assert "Reply 19 in the thread." in second and "Reply 18 in the thread." not in second


@pytest.mark.parametrize("page", ["0", "-1", "99", "abc"])
def test_a_page_out_of_range_shows_the_nearest_page(browser, long_thread, page):
    response = browser.get(f"/forums/t/{long_thread.id}?page={page}")
    assert response.status_code == 200
    assert len(_post_articles(response.get_data(as_text=True))) in (20, 5)


@pytest.mark.parametrize(("number", "page"), [(1, 1), (20, 1), (21, 2), (40, 2), (41, 3), (45, 3)])
def test_a_permanent_link_lands_on_the_right_page_at_the_post(browser, session, long_thread, number, page):
    from sqlalchemy import select

    from portal.blueprints.forums.models import Post

    post = session.scalar(select(Post).where(Post.thread_id == long_thread.id, Post.number == number))
    response = browser.get(f"/forums/p/{post.id}")
    assert response.status_code == 302
    assert response.headers["Location"] == f"/forums/t/{long_thread.id}?page={page}#post-{post.id}"
    landed = browser.follow(response).get_data(as_text=True)
    assert f'<article class="post" id="post-{post.id}"' in landed


def test_the_category_lists_threads_pinned_first_then_most_recent(browser, session, category):
    old = make_thread(session, category, title="Old news", now=utcnow() - timedelta(days=3))
    new = make_thread(session, category, title="Fresh question", now=utcnow() - timedelta(hours=1))
    pinned = make_thread(session, category, title="Read this first", now=utcnow() - timedelta(days=9))
    pinned.pinned = True
    session.flush()
    make_post(session, old, body="Bumped back to the top.", now=utcnow() - timedelta(minutes=5))
    markup = browser.get(f"/forums/c/{category.slug}/").get_data(as_text=True)
    order = [t for t, h in links(markup) if h in {f"/forums/t/{x.id}" for x in (old, new, pinned)}]
    assert order == ["Read this first", "Old news", "Fresh question"]
    assert "Pinned" in text_of(browser.page)
    assert "3 threads" in text_of(browser.page)


def test_the_category_list_pages_threads_twenty_at_a_time(browser, session, category):
    start = utcnow() - timedelta(days=1)
    author = make_person(session)
    for n in range(23):
        make_thread(session, category, author, title=f"Question {n}", now=start + timedelta(minutes=n))
    first = browser.get(f"/forums/c/{category.slug}/").get_data(as_text=True)
    assert "23 threads, page 1 of 2" in text_of(browser.page)
    assert "Question 22" in first and "Question 2<" not in first
    second = browser.get(f"/forums/c/{category.slug}/?page=2").get_data(as_text=True)
    assert [t for t, h in links(second) if t.startswith("Question ")] == ["Question 2", "Question 1", "Question 0"]


# New since your last visit


def test_new_posts_since_the_last_visit_are_marked_with_a_link_to_the_first(app, browser, session, category,
                                                                            member, other):
    thread = make_thread(session, category, other, title="Keeping up", now=utcnow() - timedelta(hours=3))
    make_replies(session, thread, 24, other, start=utcnow() - timedelta(hours=2))  # 25 posts
    sign_in(browser, member)

    first_visit = browser.get(f"/forums/t/{thread.id}").get_data(as_text=True)
    assert "New since your last visit" not in first_visit, "on a first visit everything is new"
    assert "Go to the first unread post" not in first_visit  # it is this very page

    listing = browser.get(f"/forums/c/{category.slug}/").get_data(as_text=True)
    assert ("5 new in “Keeping up”", f"/forums/t/{thread.id}?page=2#unread") in links(listing)

    again = browser.get(f"/forums/t/{thread.id}").get_data(as_text=True)
    assert ("Go to the first unread post", f"/forums/t/{thread.id}?page=2#unread") in links(again)
    page_two = browser.get(f"/forums/t/{thread.id}?page=2").get_data(as_text=True)
    marker = page_two.index('id="unread"')
    assert "New since your last visit" in page_two[marker:marker + 120]
    post_21 = [a.attrs["id"] for a in _post_articles(page_two)][0]
    assert page_two.index(f'id="{post_21}"') < marker < page_two.index("Reply 19 in the thread.")

    make_post(session, thread, other, body="One more thing.")
    session.commit()
    latest = browser.get(f"/forums/t/{thread.id}?page=2").get_data(as_text=True)
    marker = latest.index("New since your last visit")
    assert latest.index("Reply 23 in the thread.") < marker < latest.index("One more thing.")
    listing = browser.get(f"/forums/c/{category.slug}/").get_data(as_text=True)
    assert not [t for t, _ in links(listing) if " new in " in t], "everything is read now"


def test_going_back_to_an_earlier_page_keeps_what_was_read(browser, session, category, member, other):
    thread = make_thread(session, category, other, now=utcnow() - timedelta(hours=3))
    make_replies(session, thread, 30, other, start=utcnow() - timedelta(hours=2))
    sign_in(browser, member)
    browser.get(f"/forums/t/{thread.id}?page=2")
    browser.get(f"/forums/t/{thread.id}?page=1")
    again = browser.get(f"/forums/t/{thread.id}?page=1").get_data(as_text=True)
    assert "Go to the first unread post" not in again and "New since your last visit" not in again


def test_your_own_posts_are_not_new_to_you(browser, session, category, member, other):
    thread = make_thread(session, category, other, now=utcnow() - timedelta(hours=1))
    sign_in(browser, member)
    browser.get(f"/forums/t/{thread.id}")
    make_post(session, thread, member, body="My own reply.")
    session.commit()
    listing = browser.get(f"/forums/c/{category.slug}/").get_data(as_text=True)
    assert "new in “" not in text_of(browser.page) and "New to you" not in text_of(browser.page), listing


def test_a_thread_never_opened_is_new_to_you(browser, session, category, member):
    make_thread(session, category, title="Unopened")
    sign_in(browser, member)
    browser.get(f"/forums/c/{category.slug}/")
    assert "New to you." in text_of(browser.page)


def test_a_post_by_someone_who_left_names_a_former_member(browser, session, category, member):
    thread = make_thread(session, category, member, title="Old times")
    member.deleted_at = utcnow()
    session.commit()
    markup = browser.get(f"/forums/t/{thread.id}").get_data(as_text=True)
    [article] = _post_articles(markup)
    heading = [e for e in elements(markup) if e.attrs.get("id") == article.attrs["aria-labelledby"]][0]
    assert heading.text.startswith("? A former member, ")  # "?": the avatar of someone who left
    assert "Mo Member" not in markup and f"/people/{member.id}" not in markup


def test_mentions_of_people_are_highlighted_links_to_them(browser, session, category, member, other):
    thread = make_thread(session, category, member, body="Hello @Olu Other, and @Nobody Known.")
    make_post(session, thread, other, body="> @Mo Member wrote\n\nHi @mo member!")
    session.commit()
    markup = main_of(browser.get(f"/forums/t/{thread.id}").get_data(as_text=True))
    mentions = [(e.attrs["href"], e.text) for e in elements(markup) if e.attrs.get("class") == "mention"]
    assert mentions == [(f"/people/{other.id}", "@Olu Other"), (f"/people/{member.id}", "@mo member")]


def test_the_side_column_names_the_people_whose_posts_are_shown(browser, session, category, member, other):
    thread = make_thread(session, category, member, title="Side by side")
    make_post(session, thread, other, body="Me too.")
    make_post(session, thread, member, body="Thanks!")
    markup = browser.get(f"/forums/t/{thread.id}").get_data(as_text=True)
    aside = markup.split('<div class="aside">', 1)[1].split("</main>", 1)[0]
    assert markup.index('<div class="aside">') > markup.rindex('<article class="post"'), "after the posts"
    assert "In this conversation" in aside
    assert [name for name, _ in links(aside)] == ["Mo Member", "Olu Other"], "each person once, in order"
