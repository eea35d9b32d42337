"""The start page: what visitors see happening, and a member's own sections."""

import re
from datetime import timedelta

from portal.blueprints.events.models import EventStatus, Topic
from portal.blueprints.events.services import Needs, rsvp
from portal.blueprints.forums import services as forum_services
from portal.blueprints.forums.models import Audience
from portal.core.db import utcnow
from tests.blueprints.accounts.factories import make_user, sign_in
from tests.blueprints.events.factories import make_event
from tests.blueprints.forums.factories import make_category, make_post, make_thread
from tests.budget import QUERY_BUDGET, measure
from tests.helpers import Browser, links


def section(html: str, heading: str) -> str:
    """The markup of the start page's section headed ``heading`` ("" when there is none)."""
    for body in re.findall(r"<section[^>]*>(.*?)</section>", html, flags=re.S):
        if re.search(rf"<h2[^>]*>{re.escape(heading)}</h2>", body):
            return body
    return ""


def test_visitors_see_the_next_events_and_open_discussions(client, session):
    make_event(session, title="Portfolio clinic", starts_in=timedelta(days=2))
    make_event(session, title="Draft social", status=EventStatus.DRAFT)
    make_event(session, title="Last week's talk", starts_in=timedelta(days=-7))
    open_to_all = make_category(session, audience=Audience.MEMBERS)
    mentors_only = make_category(session, audience=Audience.MENTORS)
    make_thread(session, open_to_all, title="Finding a first mentor")
    make_thread(session, mentors_only, title="Mentor-only planning")
    session.commit()
    html = client.get("/").get_data(as_text=True)
    titles = [text for text, _ in links(html)]
    assert "Portfolio clinic" in titles and "Finding a first mentor" in titles
    assert not {"Draft social", "Last week's talk", "Mentor-only planning"} & set(titles)
    assert ("All upcoming events", "/events/") in links(html)


def test_a_newcomer_is_welcomed_then_welcomed_back(app, session):
    person = make_user(session, display_name="Yusuf")
    session.commit()
    first = Browser(app.test_client())
    sign_in(first, person)
    first.get("/")
    assert "<h1>Welcome, Yusuf</h1>" in first.html
    again = Browser(app.test_client())
    sign_in(again, person)
    again.get("/")
    assert "<h1>Welcome back, Yusuf</h1>" in again.html


def test_the_welcome_ends_with_the_first_visit_on_the_same_browser(browser, session):
    newcomer = make_user(session, display_name="Yusuf")
    returning = make_user(session, display_name="Ines")
    returning.last_seen_at = utcnow()
    session.commit()
    sign_in(browser, newcomer)
    assert "<h1>Welcome, Yusuf</h1>" in browser.html
    browser.submit(button="Sign out")
    sign_in(browser, returning)
    assert "<h1>Welcome back, Ines</h1>" in browser.html


def test_members_see_their_next_event_with_its_link_once_open(browser, session):
    person = make_user(session)
    soon = make_event(session, title="Starting soon", starts_in=timedelta(minutes=10),
                      join_url="https://meet.example.org/soon")
    later = make_event(session, title="Next month", starts_in=timedelta(days=30))
    for event in (soon, later):
        rsvp(session, event, person, going=True, needs=Needs())
    session.commit()
    sign_in(browser, person)
    browser.get("/")
    html = browser.html
    assert ("Join “Starting soon” now", "https://meet.example.org/soon") in links(html)
    assert "Next month" in section(html, "Your next events")


def test_members_see_events_on_their_interests_and_new_posts_in_what_they_follow(browser, session):
    person = make_user(session, interests="Public speaking, data")
    talk = make_event(session, title="Speaking without notes")
    talk.topics = [Topic(name="public speaking", slug="public-speaking")]
    make_event(session, title="Unrelated")
    category = make_category(session)
    followed = make_thread(session, category, title="Interview practice")
    forum_services.subscribe_thread(session, followed, person)
    make_post(session, followed, body="A reply the member has not read.")
    make_post(session, followed, body="And another.")
    announcement = make_thread(session, category, title="Welcome to the new season")
    announcement.pinned = True
    session.commit()
    sign_in(browser, person)
    browser.get("/")
    html = browser.html
    assert "Speaking without notes" in section(html, "Events on your interests")
    assert "Unrelated" not in section(html, "Events on your interests")
    assert "Interview practice" in section(html, "New in what you follow")
    assert "3 new posts" in section(html, "New in what you follow")
    assert "Welcome to the new season" in section(html, "Announcements")


def test_a_members_start_page_keeps_the_query_budget(app, client, session):
    person = make_user(session, interests="data")
    category = make_category(session)
    for number in range(8):
        thread = make_thread(session, category, title=f"Thread {number}")
        forum_services.subscribe_thread(session, thread, person)
        thread.pinned = number % 2 == 0
        event = make_event(session, title=f"Event {number}")
        rsvp(session, event, person, going=True, needs=Needs())
    session.commit()
    sign_in(Browser(client), person)
    result = measure(app, client, "/")
    assert result.queries <= QUERY_BUDGET, result.statements


def test_pages_describe_themselves_and_public_events_share_as_cards(client, session):
    published = make_event(session, title="Portfolio clinic", summary="Bring one project; leave with three fixes.")
    draft = make_event(session, title="Secret plans", status=EventStatus.DRAFT)
    session.commit()
    home = client.get("/").get_data(as_text=True)
    assert '<meta name="description" content="Mentoring Circle: events, discussions' in home
    assert re.search(r'<link rel="icon" href="/assets/[0-9a-f]{12}/img/favicon.svg" type="image/svg\+xml">', home)
    event = client.get(f"/events/{published.id}").get_data(as_text=True)
    assert '<meta name="description" content="Bring one project; leave with three fixes.">' in event
    assert '<meta property="og:title" content="Portfolio clinic">' in event
    assert f'<meta property="og:url" content="http://portal.test/events/{published.id}">' in event
    assert "og:title" not in client.get(f"/events/{draft.id}").get_data(as_text=True)


def test_announcements_a_member_cannot_see_do_not_crowd_out_those_they_can(browser, session):
    person = make_user(session)
    open_to_all = make_category(session)
    mentors_only = make_category(session, audience=Audience.MENTORS)
    visible = make_thread(session, open_to_all, title="Visible announcement")
    visible.pinned = True
    for number in range(10):
        make_thread(session, mentors_only, title=f"Mentors' notice {number}").pinned = True
    session.commit()
    sign_in(browser, person)
    assert "Visible announcement" in section(browser.html, "Announcements")
    assert "Mentors' notice" not in browser.html
