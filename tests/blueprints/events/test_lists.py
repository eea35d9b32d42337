"""Finding events: the upcoming list with filters, day headings and pages; past events;
the month calendar."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from portal.blueprints.events import services
from portal.blueprints.events.models import EventStatus
from portal.blueprints.events.queries import PAGE_SIZE
from portal.core.db import utcnow
from portal.core.time import day_label
from tests.blueprints.accounts.factories import make_user, sign_in
from tests.blueprints.events.factories import make_event
from tests.helpers import text_of

HX = {"HX-Request": "true"}


def titles(page: str) -> list[str]:
    """Event titles in the order the cards show them."""
    return re.findall(r'class="event-title"><a href="/events/\d+">([^<]+)</a>', page)


def at(year, month, day, hour=18, minute=0, zone="Europe/London") -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=ZoneInfo(zone))


def place(session, event, starts: datetime, hours: int = 2):
    event.starts_at, event.ends_at = starts, starts + timedelta(hours=hours)
    session.flush()
    return event


# The upcoming list


def day_headings(page: str) -> list[str]:
    """The words of each day heading (the date badges) in the list, as assistive technology
    hears them: without the short forms phones show, which are hidden from it."""
    return [" ".join(re.sub(r"<[^>]+>", " ", re.sub(r'<span[^>]*aria-hidden="true"[^>]*>[^<]*</span>', "", h)).split())
            for h in re.findall(r'<h3 class="day-heading[^"]*"[^>]*>(.*?)</h3>', page)]


def test_upcoming_events_are_grouped_under_day_headings_soonest_first(client, session, host):
    day_one = (utcnow() + timedelta(days=3)).astimezone(ZoneInfo("Europe/London")).date()
    day_two = day_one + timedelta(days=1)
    late = place(session, make_event(session, hosts=[host], title="Evening talk"),
                 datetime(day_one.year, day_one.month, day_one.day, 19, tzinfo=ZoneInfo("Europe/London")))
    early = place(session, make_event(session, hosts=[host], title="Morning talk"),
                  datetime(day_one.year, day_one.month, day_one.day, 9, tzinfo=ZoneInfo("Europe/London")))
    place(session, make_event(session, hosts=[host], title="Next day talk"),
          datetime(day_two.year, day_two.month, day_two.day, 12, tzinfo=ZoneInfo("Europe/London")))
    make_event(session, hosts=[host], title="Over already", starts_in=-timedelta(hours=5))
    make_event(session, hosts=[host], title="Not yet public", status=EventStatus.DRAFT)
    page = text_of(client.get("/events/"))
    assert titles(page) == ["Morning talk", "Evening talk", "Next day talk"]
    assert "3 events</h2>" in page
    assert day_headings(page) == [day_label(day_one), day_label(day_two)], "each date once, as the day's badge"
    short = f'<span class="date-short" aria-hidden="true">{day_one:%a}</span>'
    assert short in page, "phones show the weekday short, beside the day's events"
    first_heading, second_heading = f'id="day-{day_one.isoformat()}"', f'id="day-{day_two.isoformat()}"'
    assert page.count(str(day_one.day) + " " + f"{day_one:%B}") == 0, "cards give the time, not the date again"
    assert page.index(first_heading) < page.index("Morning talk") < page.index("Evening talk")
    assert page.index("Evening talk") < page.index(second_heading) < page.index("Next day talk")
    assert '<h4 id="event-' in page, "cards sit one level below their day"
    assert late.id != early.id


def test_an_event_in_progress_is_still_upcoming(client, session, host):
    make_event(session, hosts=[host], title="Happening now", starts_in=-timedelta(minutes=30))
    assert titles(client.get("/events/").get_data(as_text=True)) == ["Happening now"]


def test_days_follow_the_viewers_time_zone(browser, session, host):
    tokyo_viewer = make_user(session, timezone="Asia/Tokyo")
    when = (utcnow() + timedelta(days=5)).replace(hour=20, minute=0, second=0, microsecond=0)
    place(session, make_event(session, hosts=[host], title="Late in London"), when)
    sign_in(browser, tokyo_viewer)
    page = text_of(browser.get("/events/"))
    tokyo_day = when.astimezone(ZoneInfo("Asia/Tokyo")).date()
    assert day_headings(page) == [day_label(tokyo_day)]
    assert "your time" in page, "the event's own zone and the viewer's are both named"


@pytest.fixture
def varied(session, host):
    careers = services._topics(session, ["Careers"])
    captioned = make_event(session, hosts=[host], title="Captioned careers chat", live_captions=True)
    captioned.topics = careers
    make_event(session, hosts=[host], title="Uncaptioned careers chat").topics = careers
    make_event(session, hosts=[host], title="Captioned meet-up", format="in_person", venue="Hall",
               live_captions=True, step_free=True)
    make_event(session, hosts=[host], title="Plain talk")
    session.flush()


@pytest.mark.parametrize(
    ("choices", "expected"),
    [
        ({"topic": "careers"}, ["Captioned careers chat", "Uncaptioned careers chat"]),
        ({"format": "in_person"}, ["Captioned meet-up"]),
        ({"access": "live_captions"}, ["Captioned careers chat", "Captioned meet-up"]),
        ({"access": "step_free", "format": "in_person"}, ["Captioned meet-up"]),
        ({"topic": "careers", "access": "live_captions"}, ["Captioned careers chat"]),
        ({"access": "sign_language"}, []),
    ],
)
def test_filters_through_the_real_form(browser, varied, choices, expected):
    browser.get("/events/")
    browser.submit(choices, button="Show events")
    page = text_of(browser.page)
    assert sorted(titles(page)) == sorted(expected)
    if expected:
        noun = "event matches" if len(expected) == 1 else "events match"
        assert f"{len(expected)} {noun} your filters" in page
    else:
        assert "No upcoming events match your filters." in page
        assert 'href="/events/">Show all upcoming events</a>' in page
    for name, value in choices.items():
        assert f'value="{value}" selected' in page or f'value="{value}" checked' in page, "the choice is kept"


def test_unknown_filter_values_are_ignored(client, varied):
    page = client.get("/events/?format=teleport&access=jetpack&topic=").get_data(as_text=True)
    assert len(titles(page)) == 4


def test_filters_with_htmx_return_only_the_results(client, varied):
    response = client.get("/events/?format=in_person", headers=HX)
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert body.startswith('<div id="event-results">') and "<html" not in body
    assert titles(body) == ["Captioned meet-up"]
    assert "HX-Request" in response.headers["Vary"]


def test_the_list_is_paginated_and_pages_keep_the_filters(client, session, host):
    for number in range(PAGE_SIZE + 3):
        make_event(session, hosts=[host], title=f"Online {number:02d}", starts_in=timedelta(days=1, hours=number))
    make_event(session, hosts=[host], title="In person", format="in_person", venue="Hall")
    first = client.get("/events/?format=online").get_data(as_text=True)
    assert titles(first) == [f"Online {n:02d}" for n in range(PAGE_SIZE)]
    assert f"{PAGE_SIZE + 3} events match your filters, page 1 of 2" in first
    assert '<nav class="pagination" aria-label="Event pages">' in first
    assert 'href="/events/?page=2&amp;format=online" rel="next"' in first
    assert 'href="/events/?page=1&amp;format=online" aria-current="page"' in first
    second = client.get("/events/?format=online&page=2").get_data(as_text=True)
    assert titles(second) == [f"Online {n:02d}" for n in range(PAGE_SIZE, PAGE_SIZE + 3)]
    assert 'rel="prev"' in second and 'rel="next"' not in second
    assert titles(client.get("/events/?format=online&page=99").get_data(as_text=True)) == titles(second)
    assert titles(client.get("/events/?format=online&page=0").get_data(as_text=True)) == titles(first)
    assert titles(client.get("/events/?format=online&page=abc").get_data(as_text=True)) == titles(first)


def test_an_empty_list_says_so(client):
    page = client.get("/events/").get_data(as_text=True)
    assert "No upcoming events." in page
    assert "0 events</h2>" in page


def test_a_members_own_answers_show_on_the_cards(browser, session, host, member):
    first = make_event(session, hosts=[host], title="First", capacity=1)
    second = make_event(session, hosts=[host], title="Second", capacity=1, starts_in=timedelta(days=8))
    services.rsvp(session, first, member, True, services.Needs())
    services.rsvp(session, second, make_user(session), True, services.Needs())
    services.rsvp(session, second, member, True, services.Needs())
    sign_in(browser, member)
    page = text_of(browser.get("/events/"))
    assert page.index("You're going") < page.index("Second") < page.index("You're on the waiting list")
    assert "Full: waiting list" in page


# Past events


def test_past_events_are_most_recent_first_with_their_follow_ups(client, session, host):
    older = make_event(session, hosts=[host], title="Older", starts_in=-timedelta(days=10))
    make_event(session, hosts=[host], title="Newer", starts_in=-timedelta(days=2))
    make_event(session, hosts=[host], title="Called off", starts_in=-timedelta(days=3), status=EventStatus.CANCELLED)
    make_event(session, hosts=[host], title="Never published", starts_in=-timedelta(days=4), status=EventStatus.DRAFT)
    make_event(session, hosts=[host], title="Still to come")
    services.post_followup(session, older, "We covered **interviews**.", "https://video.example.org/older", "")
    page = text_of(client.get("/events/past"))
    assert titles(page) == ["Newer", "Older"]
    assert "2 past events" in page
    assert "Follow-up:</strong> We covered interviews." in page
    assert 'href="https://video.example.org/older"' in page


def test_no_past_events_yet(client):
    assert "No events have happened yet." in client.get("/events/past").get_data(as_text=True)


# The month calendar


def month_cells(page: str) -> dict[int, str]:
    """The content of each day cell, by day of the month."""
    cells = re.findall(r'<td(?: class="today" aria-current="date")?>\s*<span class="day-number">(\d+)(.*?)</td>',
                       page, re.S)
    return {int(day): content for day, content in cells}


def test_the_month_is_a_table_with_a_caption_day_headers_and_events_in_their_cells(client, session, host):
    talk = place(session, make_event(session, hosts=[host], title="Winter talk"), at(2026, 11, 20, 18, 30))
    off = place(session, make_event(session, hosts=[host], title="Called off", status=EventStatus.CANCELLED),
                at(2026, 11, 3))
    place(session, make_event(session, hosts=[host], title="Hidden draft", status=EventStatus.DRAFT), at(2026, 11, 4))
    place(session, make_event(session, hosts=[host], title="December do"), at(2026, 12, 1))
    page = text_of(client.get("/events/calendar/2026/11"))
    assert "<title>Events in November 2026" in page
    assert '<table class="table month-table">' in page
    assert "<caption>November 2026<span" in page
    assert page.count('<th scope="col">') == 7
    assert '<th scope="col"><abbr title="Monday">Mon</abbr></th>' in page
    cells = month_cells(page)
    assert sorted(cells) == list(range(1, 31))
    assert f'<a href="/events/{talk.id}">18:30 Winter talk</a>' in cells[20]
    assert f'<a href="/events/{off.id}">' in cells[3] and "(cancelled)" in cells[3]
    assert "Hidden draft" not in page and "December do" not in page
    assert 'href="/events/calendar/2026/10" rel="prev"' in page
    assert 'href="/events/calendar/2026/12" rel="next"' in page
    assert 'href="/events/">See upcoming events as a list</a>' in page
    assert "<h3>Friday 20 November 2026</h3>" in page, "the list view beside the table"


def test_the_month_weeks_start_on_monday(client):
    page = client.get("/events/calendar/2026/11").get_data(as_text=True)
    first_row = page.split("<tbody>", 1)[1].split("</tr>", 1)[0]
    assert first_row.count('<td class="empty-day"></td>') == 6, "1 November 2026 is a Sunday"


def test_the_year_turns_in_the_month_links(client):
    january = client.get("/events/calendar/2027/1").get_data(as_text=True)
    assert 'href="/events/calendar/2026/12" rel="prev"' in january
    december = client.get("/events/calendar/2026/12").get_data(as_text=True)
    assert 'href="/events/calendar/2027/1" rel="next"' in december


def test_events_sit_on_the_viewers_day(browser, session, host):
    place(session, make_event(session, hosts=[host], title="Late night"), datetime(2026, 11, 20, 23, 30, tzinfo=UTC))
    sign_in(browser, make_user(session, timezone="Asia/Tokyo"))
    cells = month_cells(browser.get("/events/calendar/2026/11").get_data(as_text=True))
    assert "Late night" in cells[21] and "08:30" in cells[21]
    assert "Late night" not in cells[20]


def test_the_calendar_link_goes_to_this_month_and_today_is_marked(client):
    response = client.get("/events/calendar")
    today = utcnow().astimezone(ZoneInfo("Europe/London")).date()
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/events/calendar/{today.year}/{today.month}")
    page = client.get(f"/events/calendar/{today.year}/{today.month}").get_data(as_text=True)
    assert page.count('aria-current="date"') == 1
    assert f'class="today" aria-current="date">\n        <span class="day-number">{today.day}<' in page


@pytest.mark.parametrize("path", ["2026/13", "2026/0", "1999/12", "2101/1", "2026/abc", "2026/-1"])
def test_a_month_that_does_not_exist_is_404(client, path):
    assert client.get(f"/events/calendar/{path}").status_code == 404


def test_month_links_swap_in_place_with_htmx(client, session, host):
    place(session, make_event(session, hosts=[host], title="Winter talk"), at(2026, 11, 20))
    response = client.get("/events/calendar/2026/11", headers=HX)
    body = response.get_data(as_text=True)
    assert body.startswith('<div id="month" class="month">') and "<html" not in body
    assert "Winter talk" in body
    assert 'data-hx-get="/events/calendar/2026/12" data-hx-target="#month"' in body
    assert "HX-Request" in response.headers["Vary"]


def test_an_empty_month_says_so(client):
    assert "No events this month." in client.get("/events/calendar/2030/6").get_data(as_text=True)


def test_filters_sit_behind_a_disclosure_sent_folded_unless_some_are_on(client, session, host):
    make_event(session, hosts=[host], title="Captioned", live_captions=True, step_free=True)
    page = text_of(client.get("/events/"))
    # Folded as sent (the results come first, and nothing moves while the page loads); open
    # when a filter is on, so what is applied shows.
    assert '<details class="filters-disclosure">' in page
    assert "<summary>Filter events</summary>" in page
    filtered = text_of(client.get("/events/?access=live_captions"))
    assert '<details class="filters-disclosure" open>' in filtered
    assert "(filters on)" in filtered
    card = filtered.split('class="event-card"')[1]
    assert '<span class="visually-hidden">Access: </span>Captions' in card
    assert '<span class="visually-hidden">Access: </span>Step-free' in card
    assert '<span class="visually-hidden">Format: </span>Online' in card
