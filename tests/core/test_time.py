"""Times are stored in UTC and shown in a named zone inside a valid <time datetime>."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from portal.core.time import (
    exists_locally,
    format_in_zone,
    is_valid_zone,
    relative_text,
    relative_time_tag,
    suggest_zones,
    time_tag,
    zone,
)

# 18:30 UTC on Friday 27 November 2026, and a summer moment.
WINTER = datetime(2026, 11, 27, 18, 30, tzinfo=UTC)
SUMMER = datetime(2026, 7, 3, 9, 5, 42, 123456, tzinfo=UTC)
INDIA = timezone(timedelta(hours=5, minutes=30))

# HTML's valid global date and time string: at most three digits of fractions.
HTML_DATETIME = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d{1,3})?)?(Z|[+-]\d\d:\d\d)")


@pytest.mark.parametrize(
    "name", ["Europe/London", "America/Argentina/Buenos_Aires", "UTC", "Asia/Kolkata"]
)
def test_real_zone_names_are_valid(name):
    assert is_valid_zone(name)


@pytest.mark.parametrize(
    "name", ["", "london", "europe/london", "Mars/Olympus_Mons", "Europe/../etc/passwd"]
)
def test_other_names_are_not_zones(name):
    assert not is_valid_zone(name)


@pytest.mark.parametrize(
    ("typed", "suggested"),
    [
        ("london", "Europe/London"),
        ("  New York ", "America/New_York"),
        ("KOLKATA", "Asia/Kolkata"),
        ("lima", "America/Lima"),
    ],
)
def test_suggest_zones_turns_a_city_into_its_zone(typed, suggested):
    assert suggest_zones(typed) == [suggested]


@pytest.mark.parametrize(
    ("typed", "suggested"), [("Europe/Lodnon", "Europe/London"), ("asia/kolkatta", "Asia/Kolkata")]
)
def test_suggest_zones_puts_the_closest_zone_to_a_misspelling_first(typed, suggested):
    suggestions = suggest_zones(typed)

    assert suggestions[0] == suggested
    assert all(is_valid_zone(zone) for zone in suggestions)


def test_suggest_zones_offers_nothing_for_nonsense():
    assert suggest_zones("qqqqzzzz") == []


@pytest.mark.parametrize(
    ("moment", "zone", "shown"),
    [
        (WINTER, "Europe/London", "Friday 27 November 2026, 18:30 GMT"),
        (SUMMER, "Europe/London", "Friday 3 July 2026, 10:05 BST"),
        (WINTER, "America/New_York", "Friday 27 November 2026, 13:30 EST"),
        (WINTER, "Asia/Kolkata", "Saturday 28 November 2026, 00:00 IST"),
        (WINTER, "UTC", "Friday 27 November 2026, 18:30 UTC"),
    ],
)
def test_format_in_zone_shows_local_time_and_names_the_zone(moment, zone, shown):
    assert format_in_zone(moment, zone) == shown


@pytest.mark.parametrize(
    ("zone", "shown"),
    [
        ("America/Sao_Paulo", "15:30 Sao Paulo time (UTC-3)"),
        ("Asia/Dubai", "22:30 Dubai time (UTC+4)"),
        ("Asia/Kathmandu", "00:15 Kathmandu time (UTC+5:45)"),
        ("America/St_Johns", "15:00 NST"),
        ("Etc/GMT+5", "13:30 UTC-5"),
    ],
)
def test_zones_without_an_abbreviation_are_named_by_their_place(zone, shown):
    assert format_in_zone(WINTER, zone, with_date=False) == shown


def test_format_in_zone_falls_back_to_utc_for_an_unknown_zone():
    assert format_in_zone(WINTER, "Nowhere/Special", with_date=False) == "18:30 UTC"


def test_time_tag_gives_a_machine_readable_moment_and_a_named_local_time():
    tag = time_tag(WINTER, "America/New_York")

    assert tag == (
        '<time datetime="2026-11-27T18:30:00+00:00">Friday 27 November 2026, 13:30 EST</time>'
    )


def test_time_tag_uses_the_site_zone_for_visitors(app, monkeypatch):
    monkeypatch.setitem(app.config, "DEFAULT_TIMEZONE", "Asia/Tokyo")

    assert time_tag(WINTER).endswith(">Saturday 28 November 2026, 03:30 JST</time>")


@pytest.mark.parametrize(
    "moment",
    [SUMMER, WINTER, datetime.now(UTC), WINTER.astimezone(INDIA)],
)
def test_time_tag_datetime_is_a_valid_html_date_and_time(moment):
    datetime_value = re.search(r'datetime="([^"]+)"', time_tag(moment, "UTC")).group(1)

    assert HTML_DATETIME.fullmatch(datetime_value)
    assert datetime.fromisoformat(datetime_value) == moment.replace(microsecond=0)


def test_time_tag_of_nothing_is_empty():
    assert time_tag(None) == ""


@pytest.mark.parametrize(("local", "zone_name", "exists"), [
    (datetime(2027, 3, 28, 1, 30), "Europe/London", False),
    (datetime(2027, 3, 28, 2, 0), "Europe/London", True),
    (datetime(2027, 10, 31, 1, 30), "Europe/London", True),  # happens twice: it exists
    (datetime(2027, 10, 3, 2, 30), "Australia/Sydney", False),
    (datetime(2027, 3, 14, 2, 30), "America/New_York", False),
    (datetime(2027, 6, 1, 12, 0), "Asia/Kolkata", True),
])
def test_a_local_time_exists_unless_the_clocks_skip_it(local, zone_name, exists):
    assert exists_locally(local.replace(tzinfo=ZoneInfo(zone_name))) is exists


# Relative times: 18:30 UTC on Friday 27 November 2026, seen from moments after it.


@pytest.mark.parametrize(("later", "said"), [
    (timedelta(seconds=0), "just now"),
    (timedelta(seconds=59), "just now"),
    (timedelta(seconds=-30), "just now"),  # the writer's clock ran ahead
    (timedelta(minutes=1), "1 minute ago"),
    (timedelta(minutes=59), "59 minutes ago"),
    (timedelta(hours=1), "1 hour ago"),
    (timedelta(hours=5), "5 hours ago"),  # 23:30 the same day
    (timedelta(hours=6), "yesterday"),  # 00:30 the next day
    (timedelta(days=1, hours=5), "yesterday"),  # 23:30 the next day
    (timedelta(days=2), "2 days ago"),
    (timedelta(days=6), "6 days ago"),
    (timedelta(days=7), "1 week ago"),
    (timedelta(days=34), "4 weeks ago"),
    (timedelta(days=35), "27 November 2026"),
])
def test_relative_text_says_how_long_ago(later, said):
    assert relative_text(WINTER, WINTER + later, "UTC") == said


def test_relative_days_follow_the_viewers_calendar():
    # 14:00 and 16:00 UTC are 23:00 and 01:00 the next day in Tokyo: a day apart there only.
    moment = WINTER - timedelta(hours=4, minutes=30)
    assert relative_text(moment, moment + timedelta(hours=2), "Asia/Tokyo") == "yesterday"
    assert relative_text(moment, moment + timedelta(hours=2), "UTC") == "2 hours ago"


def test_relative_time_tag_keeps_the_exact_time_for_machines_and_assistive_technology():
    tag = relative_time_tag(WINTER, "America/New_York", now=WINTER + timedelta(days=3))
    assert tag == ('<time datetime="2026-11-27T18:30:00+00:00" role="presentation">3 days ago '
                   '<span class="visually-hidden">(Friday 27 November 2026, 13:30 EST)</span></time>')
    assert "title=" not in tag


def test_relative_time_tag_uses_the_site_zone_and_the_clock(app, monkeypatch):
    monkeypatch.setitem(app.config, "DEFAULT_TIMEZONE", "Asia/Tokyo")
    with app.test_request_context():
        tag = relative_time_tag(datetime.now(UTC) - timedelta(minutes=3))
    assert ">3 minutes ago <" in tag and " JST)" in tag


def test_relative_time_tag_of_nothing_is_empty():
    assert relative_time_tag(None) == ""


def test_a_zone_is_built_once_per_name():
    zone.cache_clear()
    for _ in range(3):
        zone("Europe/London")
    assert zone.cache_info().misses == 1
    assert zone("Nowhere/Atlantis") == ZoneInfo("UTC")
