"""Activity in the forum lists (issue 11): each category's latest thread, who posted last
and when; each thread's participants as avatars with their names for assistive technology."""

from __future__ import annotations

import re
from datetime import timedelta

from portal.core.db import utcnow
from tests.blueprints.forums.factories import make_person, make_post, make_thread
from tests.helpers import elements, links, main_of, words_of


def test_the_index_shows_each_categorys_latest_thread_and_who_posted_last(browser, session, category, lounge):
    amara, ben = make_person(session, display_name="Amara Okafor"), make_person(session, display_name="Ben Carter")
    earlier = utcnow() - timedelta(days=3)
    older = make_thread(session, category, amara, title="An older thread", now=earlier)
    newer = make_thread(session, category, amara, title="Finding a mentor in data", now=earlier + timedelta(hours=1))
    make_post(session, older, ben, now=utcnow() - timedelta(minutes=5))  # the older thread moves up
    make_thread(session, lounge, amara, title="Only for mentors")
    session.commit()
    page = words_of(browser.get("/forums/"))
    assert "Latest: An older thread BC Last post by Ben Carter, 5 minutes ago (" in page
    assert "2 threads · 3 posts" in page
    assert ("An older thread", f"/forums/t/{older.id}") in links(browser.get("/forums/").get_data(as_text=True))
    assert newer.title not in page and "Only for mentors" not in page  # not the latest; not visible


def test_an_empty_category_shows_no_latest_thread(browser, session, category):
    session.commit()
    assert "Latest:" not in words_of(browser.get("/forums/"))


def test_a_thread_list_shows_participants_and_the_last_activity(browser, session, category):
    people = [make_person(session, display_name=name)
              for name in ("Amara Okafor", "Ben Carter", "Chen Wei", "Dana Kowalska", "Eli Mensah")]
    # Mid-morning two calendar days back, so the last post is "2 days ago" at any hour.
    start = (utcnow() - timedelta(days=2)).replace(hour=10, minute=0)
    thread = make_thread(session, category, people[0], title="Who is here", now=start)
    for n, person in enumerate(people[1:] + people[:1]):  # Amara again, last: she is not repeated
        make_post(session, thread, person, now=start + timedelta(hours=n + 1))
    session.commit()
    markup = main_of(browser.get(f"/forums/c/{category.slug}/").get_data(as_text=True))
    item = markup[markup.index("Who is here"):]
    participants = next(e for e in elements(item) if "participants" in e.attrs.get("class", "").split())
    assert participants.text.strip() == "AOBCCWDKTaking part: Amara Okafor, Ben Carter, Chen Wei, Dana Kowalska."
    avatars = [e for e in elements(item) if "avatar" in e.attrs.get("class", "").split()]
    assert all(a.attrs.get("aria-hidden") == "true" for a in avatars)
    assert "AO Last post by Amara Okafor, 2 days ago (" in " ".join(re.sub(r"<[^>]+>", " ", item).split())
    assert "Started by Amara Okafor · 6 posts." in words_of(browser.get(f"/forums/c/{category.slug}/"))


def test_a_deleted_post_or_account_does_not_count_as_taking_part(browser, session, category):
    amara, gone = make_person(session, display_name="Amara Okafor"), make_person(session, display_name="Gone Person")
    thread = make_thread(session, category, amara, title="Quiet thread")
    post = make_post(session, thread, make_person(session, display_name="Deleted Post"))
    post.deleted_at = utcnow()
    make_post(session, thread, gone)
    gone.deleted_at = utcnow()
    session.commit()
    page = words_of(browser.get(f"/forums/c/{category.slug}/"))
    assert "Taking part: Amara Okafor." in page
    assert "Deleted Post" not in page and "Gone Person" not in page


def test_someone_who_left_leaves_no_gap_among_the_first_four(browser, session, category):
    names = ["Amara Okafor", "Gone Person", "Ben Carter", "Chen Wei", "Dana Kowalska"]
    people = [make_person(session, display_name=name) for name in names]
    start = utcnow() - timedelta(days=1)
    thread = make_thread(session, category, people[0], title="Five voices", now=start)
    for n, person in enumerate(people[1:]):
        make_post(session, thread, person, now=start + timedelta(hours=n + 1))
    people[1].deleted_at = utcnow()
    session.commit()
    page = words_of(browser.get(f"/forums/c/{category.slug}/"))
    assert "Taking part: Amara Okafor, Ben Carter, Chen Wei, Dana Kowalska." in page


def test_post_headings_show_who_mentors_and_who_manages(browser, session, category, member, mentor, manager):
    thread = make_thread(session, category, member, title="Badges where they matter")
    make_post(session, thread, mentor)
    make_post(session, thread, manager)
    session.commit()
    headings = [" ".join(e.text.split()) for e in elements(browser.get(f"/forums/t/{thread.id}").get_data(as_text=True))
                if "post-heading" in e.attrs.get("class", "").split()]
    assert [h.split(",")[0] for h in headings] == ["MM Mo Member", "MM Meg Mentor Mentor", "MM Mia Manager Manager"]
