"""Bad input on the event form: 422, a message beside the field, and nothing typed lost."""

from __future__ import annotations

import html
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from portal.blueprints.events.models import Event
from portal.core.db import utcnow
from tests.blueprints.accounts.factories import sign_in
from tests.blueprints.events.factories import make_event
from tests.blueprints.events.support import future_form
from tests.helpers import csrf_token, text_of

YESTERDAY = (utcnow() - timedelta(days=1)).date().isoformat()

CASES = [
    pytest.param({"start_date": "2027-03-28", "start_time": "01:30", "end_date": "2027-03-28", "end_time": "02:15"},
                 "start_time", "01:30 does not happen on 28 March 2027 in Europe/London: the clocks go forward",
                 id="start in the spring gap"),
    pytest.param({"start_date": "2027-03-28", "start_time": "00:30", "end_date": "2027-03-28", "end_time": "01:15"},
                 "end_time", "01:15 does not happen on 28 March 2027 in Europe/London", id="end in the spring gap"),
    pytest.param({"end_time": "17:00"}, "end_time", "The end must be after the start", id="end before start"),
    pytest.param({"end_time": "18:00"}, "end_time", "The end must be after the start", id="end at the start"),
    pytest.param({"start_date": YESTERDAY, "end_date": YESTERDAY}, "start_date", "The start must be in the future",
                 id="start in the past"),
    pytest.param({"deadline_date": "START", "deadline_time": "18:30"}, "deadline_date",
                 "The reply-by date must be before the start", id="reply-by after the start"),
    pytest.param({"deadline_date": "START"}, "deadline_time", "Enter both a reply-by date and time, or neither",
                 id="reply-by date without a time"),
    pytest.param({"capacity": "0"}, "capacity", "The number of places must be at least 1", id="capacity 0"),
    pytest.param({"capacity": "-1"}, "capacity", "Enter the number of places as a whole number", id="capacity -1"),
    pytest.param({"capacity": "10001"}, "capacity", "The number of places must be 10,000 or fewer",
                 id="capacity 10001"),
    pytest.param({"capacity": "abc"}, "capacity", "Enter the number of places as a whole number", id="capacity abc"),
    pytest.param({"capacity": "2.5"}, "capacity", "Enter the number of places as a whole number", id="capacity 2.5"),
    pytest.param({"capacity": "²"}, "capacity", "Enter the number of places as a whole number",
                 id="capacity superscript two"),
    pytest.param({"capacity": "9" * 5000}, "capacity", "The number of places must be 10,000 or fewer",
                 id="capacity with 5000 digits"),
    pytest.param({"timezone": "Mars/Olympus"}, "timezone", "Enter a time zone name from the list",
                 id="unknown time zone"),
    pytest.param({"timezone": "london"}, "timezone", "Did you mean Europe/London?", id="time zone suggestion"),
    pytest.param({"title": "T" * 121}, "title", "The title must be 120 characters or fewer (you entered 121)",
                 id="title 121 characters"),
    pytest.param({"summary": "S" * 301}, "summary", "The summary must be 300 characters or fewer",
                 id="summary 301 characters"),
    pytest.param({"join_url": "javascript:alert(1)"}, "join_url",
                 "Enter the joining link as a web address starting with https://", id="javascript link"),
    pytest.param({"join_url": "ftp://files.example.org/room"}, "join_url",
                 "Enter the joining link as a web address starting with https://", id="ftp link"),
    pytest.param({"join_url": "https://[::1"}, "join_url",
                 "Enter the joining link as a web address starting with https://", id="unparseable address"),
    pytest.param({"join_url": "https://\u2100.example/room"}, "join_url",
                 "Enter the joining link as a web address starting with https://", id="host changed by NFKC"),
    pytest.param({"join_url": "https://"}, "join_url",
                 "Enter the joining link as a web address starting with https://", id="link without a host"),
    pytest.param({"format": "in_person", "venue": ""}, "venue",
                 "Enter the venue's address for an in-person or hybrid event", id="in person without a venue"),
    pytest.param({"format": "hybrid", "venue": " "}, "venue",
                 "Enter the venue's address for an in-person or hybrid event", id="hybrid without a venue"),
    pytest.param({"hosts": "hana@example.org\nnobody@example.org"}, "hosts",
                 "No member has the email address nobody@example.org", id="unknown host"),
    pytest.param({"hosts": ""}, "hosts", "Enter the email address of at least one host", id="no host"),
    pytest.param({"topics": "Careers, " + "Long" * 16}, "topics", "Each topic must be 60 characters or fewer",
                 id="topic 64 characters"),
    pytest.param({"title": ""}, "title", "Enter a title", id="no title"),
    pytest.param({"summary": ""}, "summary", "Enter a one-sentence summary", id="no summary"),
    pytest.param({"start_date": ""}, "start_date", "Enter the start date, like 2026-12-04", id="no start date"),
    pytest.param({"start_time": ""}, "start_time", "Enter the start time, like 18:30", id="no start time"),
    pytest.param({"end_date": ""}, "end_date", "Enter the end date, like 2026-12-04", id="no end date"),
    pytest.param({"end_time": ""}, "end_time", "Enter the end time, like 20:00", id="no end time"),
    pytest.param({"timezone": ""}, "timezone", "Enter the event's time zone", id="no time zone"),
    pytest.param({"format": None}, "format", "Choose whether the event is online, in person or hybrid",
                 id="no format"),
    pytest.param({"start_date": "2026-02-30"}, "start_date", "Enter the start date as a real date",
                 id="impossible date"),
    pytest.param({"start_time": "25:00"}, "start_time", "Enter the start time as hours and minutes",
                 id="impossible time"),
    pytest.param({"end_date": "9999-12-31", "end_time": "23:59", "timezone": "America/New_York"}, "end_date",
                 "The end date must be between 2000 and 2100", id="end at the end of time"),
    pytest.param({"deadline_date": "0001-01-01", "deadline_time": "00:00", "timezone": "Asia/Tokyo"},
                 "deadline_date", "The reply-by date must be between 2000 and 2100", id="reply-by at the dawn of time"),
]


@pytest.fixture
def creating(browser, manager, host):
    sign_in(browser, manager)
    browser.get("/events/new")
    return browser


def _answers(changes: dict) -> dict:
    answers = future_form()
    for name, value in changes.items():
        answers[name] = answers["start_date"] if value == "START" else value
    return answers


@pytest.mark.parametrize(("changes", "field", "message"), CASES)
def test_bad_input_on_a_new_event(creating, session, changes, field, message):
    answers = _answers(changes)
    response = creating.submit(answers, button="Save event", follow=False)
    page = response.get_data(as_text=True)
    assert response.status_code == 422, page
    assert "<title>Error: " in page
    assert '<h2 id="error-summary-title">There is a problem</h2>' in page
    error = html.unescape(page.split(f'id="{field}-error"', 1)[1].split("</p>", 1)[0])
    assert message in error
    assert f'aria-describedby="{field}-hint {field}-error"' in page or f'aria-describedby="{field}-error"' in page
    _assert_kept(page, answers)
    assert session.scalar(select(func.count()).select_from(Event)) == 0


def _assert_kept(page: str, answers: dict) -> None:
    """Every answer typed is in the form again."""
    for name, value in answers.items():
        if isinstance(value, str) and value.strip():
            assert html.escape(value.strip(), quote=True) in page or html.escape(value.strip(), quote=False) in page, (
                f"{name}={value!r} was lost")
    if answers.get("format"):
        assert 'checked class="choice-input" id="format-' in page
    if answers.get("live_captions"):
        assert 'checked class="choice-input" id="live_captions"' in page


def test_every_problem_is_listed_at_once(creating):
    response = creating.submit(_answers({"title": "", "capacity": "0", "join_url": "ftp://x", "end_time": "17:00",
                                         "hosts": "nobody@example.org"}), button="Save event", follow=False)
    assert response.status_code == 422
    page = text_of(response)
    summary = page.split('id="error-summary"', 1)[1].split("</div>", 1)[0]
    for target in ("#title", "#capacity", "#join_url", "#end_time", "#hosts"):
        assert f'href="{target}"' in summary


@pytest.mark.parametrize(("changes", "field", "message"), [
    ({"end_date": "2000-01-01"}, "end_time", "The end must be after the start"),
    ({"capacity": "0"}, "capacity", "at least 1"),
    ({"join_url": "javascript:alert(1)"}, "join_url", "starting with https://"),
    ({"title": "T" * 121}, "title", "120 characters or fewer"),
])
def test_bad_input_when_editing_keeps_the_event_as_it_was(browser, session, event, host, changes, field, message):
    sign_in(browser, host)
    browser.get(f"/events/{event.id}/edit")
    response = browser.submit(changes, button="Save event", follow=False)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert f'id="{field}-error"' in page and message in page
    assert html.escape(next(iter(changes.values())), quote=True) in page
    session.refresh(event)
    assert (event.title, event.capacity, event.join_url) == ("Finding a mentor", 10, "https://meet.example.org/room")


def test_an_edit_posted_with_fields_missing_is_refused_not_crashed(browser, session, event, host):
    sign_in(browser, host)
    browser.get(f"/events/{event.id}/edit")
    token = dict(browser.form(button="Save event").fields)["csrf_token"]
    response = browser.client.post(f"/events/{event.id}/edit", data={"csrf_token": token, "title": "Only this"})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    for field in ("summary", "start_date", "timezone", "format", "hosts"):
        assert f'id="{field}-error"' in page, field
    assert 'value="Only this"' in page
    session.refresh(event)
    assert event.title == "Finding a mentor"


def test_an_edited_event_may_keep_a_start_in_the_past(browser, session, host):
    started = make_event(session, hosts=[host], starts_in=-timedelta(hours=1))
    sign_in(browser, host)
    browser.get(f"/events/{started.id}/edit")
    browser.submit({"summary": "What we covered."}, button="Save event")
    assert "The event has been saved." in text_of(browser.page)


def test_an_in_person_event_keeps_its_venue_and_an_online_one_drops_it(creating, session):
    creating.submit(_answers({"format": "in_person", "venue": "The Library\nRoom 2", "join_url": ""}),
                    button="Save event")
    event = session.scalars(select(Event)).one()
    assert (event.format, event.venue, event.join_url) == ("in_person", "The Library\nRoom 2", None)
    creating.get("/events/new")
    creating.submit(_answers({"format": "online", "venue": "Ignored"}), button="Save event")
    online = session.scalars(select(Event).where(Event.id != event.id)).one()
    assert online.venue is None


def test_host_addresses_are_matched_whatever_their_case_and_separator(creating, session, host, manager):
    creating.submit(_answers({"hosts": " HANA@Example.org , mia@example.org\n"}), button="Save event")
    event = session.scalars(select(Event)).one()
    assert sorted(h.email for h in event.hosts) == ["hana@example.org", "mia@example.org"]


def test_times_are_entered_in_the_events_zone(creating, session):
    creating.submit(_answers({"timezone": "America/New_York", "start_time": "09:00", "end_time": "10:00"}),
                    button="Save event")
    event = session.scalars(select(Event)).one()
    local = event.starts_at.astimezone(ZoneInfo("America/New_York"))
    assert (local.hour, local.minute) == (9, 0)
    assert event.timezone == "America/New_York"


def test_a_time_the_clocks_pass_twice_means_the_first_passing(creating, session):
    answers = future_form(start_date="2027-10-31", start_time="01:30", end_date="2027-10-31", end_time="03:00")
    response = creating.submit(answers, button="Save event", follow=False)
    assert response.status_code == 303
    event = session.scalar(select(Event))
    assert event.starts_at == datetime(2027, 10, 31, 0, 30, tzinfo=UTC), "01:30 BST, before the clocks go back"


@pytest.mark.parametrize("left_out", [("description",), ("agenda",), ("description", "agenda", "access_notes")])
def test_an_edit_posted_without_its_optional_text_fields_saves_them_empty(browser, session, manager, host,
                                                                           left_out):
    sign_in(browser, manager)
    browser.get("/events/new")
    browser.submit(future_form(), button="Save event")
    event = session.scalar(select(Event))
    answers = {k: v for k, v in future_form().items() if k not in left_out}
    response = browser.client.post(f"/events/{event.id}/edit",
                                   data={**answers, "csrf_token": csrf_token(browser, f"/events/{event.id}/edit")})
    assert response.status_code == 303
    session.refresh(event)
    assert all(getattr(event, name) == "" for name in left_out)
