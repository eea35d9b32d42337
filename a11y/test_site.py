"""Checks across pages: SQL queries stay flat as the data grows tenfold, every page
has its own title, and scripts and styles are compressed, deferred and cached for a year."""

from __future__ import annotations

import re
import time
from html import unescape

from a11y.checks import QUERY_BUDGET
from a11y.pages import DOWNLOADS, all_states
from a11y.report import Entry

GET_STATES = [state for state in all_states() if state.submission is None]
ONE_YEAR = "max-age=31536000"


def query_counts(portal, chromium) -> dict[str, int | None]:
    return {state.id: portal.fetch(state.url(portal), chromium.cookie_header(state.role)).query_count
            for state in GET_STATES}


def test_queries_do_not_grow_with_ten_times_the_data(portal, chromium, report):
    started = time.monotonic()
    before = query_counts(portal, chromium)
    portal.grow(10)
    try:
        after = query_counts(portal, chromium)
    finally:
        portal.shrink()
    problems = []
    for state in GET_STATES:
        was, now = before[state.id], after[state.id]
        if was is None or now is None:
            problems.append(f"{state.id}: no X-Query-Count header")
        elif now > was:
            problems.append(f"{state.id}: {was} SQL queries, but {now} with ten times the people, events "
                            "and threads; something queries once per row (load related rows in one query)")
        elif now > QUERY_BUDGET:
            problems.append(f"{state.id}: {now} SQL queries; the budget is {QUERY_BUDGET}")
    report.add(Entry("Across pages", "every GET page state", "SQL queries with ten times the data",
                     seconds=time.monotonic() - started, problems=problems))
    assert not problems, "Query budget:\n  - " + "\n  - ".join(problems)


def test_every_page_has_its_own_title(portal, chromium, report):
    started = time.monotonic()
    endpoints_by_title: dict[str, set[str]] = {}
    for state in GET_STATES:
        page = portal.fetch(state.url(portal), chromium.cookie_header(state.role))
        if page.status != 200:
            continue  # a redirect or an error page, shared by design
        title = unescape(re.search(r"<title>(.*?)</title>", page.text, re.S).group(1)).strip()
        endpoints_by_title.setdefault(title, set()).add(state.endpoint)
    problems = [f"title \"{title}\" is used by {', '.join(sorted(endpoints))}; give each page its own title"
                for title, endpoints in endpoints_by_title.items() if len(endpoints) > 1]
    report.add(Entry("Across pages", "every GET page state", f"{len(endpoints_by_title)} distinct titles",
                     seconds=time.monotonic() - started, problems=problems))
    assert not problems, "Titles:\n  - " + "\n  - ".join(problems)


def test_scripts_and_styles_are_compressed_deferred_and_cached_for_a_year(portal, report):
    started = time.monotonic()
    page = portal.fetch("/").text
    problems = [f"script {tag} is not deferred; scripts must not block the first paint"
                for tag in re.findall(r"<script\b[^>]*>", page) if " defer" not in tag]
    assets = re.findall(r'(?:href|src)="(/assets/[^"]+)"', page)
    assert assets, "the home page links no fingerprinted assets"
    for url in assets:
        asset = portal.fetch(url)
        cache = asset.headers.get("Cache-Control", "")
        if asset.status != 200 or ONE_YEAR not in cache or "immutable" not in cache:
            problems.append(f"{url}: status {asset.status}, Cache-Control {cache!r}; "
                            f"serve it with {ONE_YEAR}, immutable")
        if asset.headers.get("Content-Encoding") != "gzip":
            problems.append(f"{url}: sent uncompressed to a browser that accepts gzip")
    report.add(Entry("Across pages", "assets", f"{len(assets)} scripts and styles",
                     seconds=time.monotonic() - started, problems=problems))
    assert not problems, "Assets:\n  - " + "\n  - ".join(problems)


def test_downloads_are_files_within_the_query_budget(portal, chromium, report):
    started = time.monotonic()
    problems = []
    for download in [d for downloads in DOWNLOADS.values() for d in downloads]:
        url = download.url(portal)
        answer = portal.fetch(url, chromium.cookie_header(download.role))
        kind = answer.headers.get("Content-Type", "")
        if answer.status != 200 or not kind.startswith(download.content_type):
            problems.append(f"{download.endpoint} at {url}: status {answer.status}, {kind!r}; "
                            f"expected 200 with {download.content_type}")
        elif (answer.query_count or 0) > QUERY_BUDGET:
            problems.append(f"{download.endpoint}: {answer.query_count} SQL queries; "
                            f"the budget is {QUERY_BUDGET}")
    report.add(Entry("Across pages", "downloads", f"{sum(map(len, DOWNLOADS.values()))} files",
                     seconds=time.monotonic() - started, problems=problems))
    assert not problems, "Downloads:\n  - " + "\n  - ".join(problems)


HEADER_HEIGHT = "return Math.round(document.querySelector('header.banner').getBoundingClientRect().height)"
NAVIGATION_LINES = """
const tops = new Set([...document.querySelectorAll('.nav-list a')].map(a => Math.round(a.getBoundingClientRect().top)));
return tops.size;
"""
NARROW_HEADER_LIMIT = 120  # CSS px at 320 px wide, so the page itself starts on the first screen


def test_the_header_stays_small_on_a_phone_and_one_line_on_a_desktop(chromium, report):
    """At 320 px the header (name and Menu) takes at most 120 px, with larger text too; at
    1280 px a community manager's navigation, the longest, fits one line."""
    started = time.monotonic()
    problems = []
    chromium.use_role("manager")
    chromium.open("/")
    try:
        chromium.cdp("Emulation.setDeviceMetricsOverride", width=320, height=800, deviceScaleFactor=1,
                     mobile=False)
        for classes in ("", "pref-large-text"):
            chromium.js("document.documentElement.className = arguments[0];", classes)
            height = chromium.js(HEADER_HEIGHT)
            if height > NARROW_HEADER_LIMIT:
                problems.append(f"at 320 px{' with larger text' if classes else ''} the header is "
                                f"{height} px tall; at most {NARROW_HEADER_LIMIT}")
        chromium.js("document.documentElement.className = '';")
        chromium.cdp("Emulation.setDeviceMetricsOverride", width=1280, height=800, deviceScaleFactor=1,
                     mobile=False)
        lines = chromium.js(NAVIGATION_LINES)
        if lines != 1:
            problems.append(f"at 1280 px a manager's navigation takes {lines} lines; it should fit one")
    finally:
        chromium.cdp("Emulation.clearDeviceMetricsOverride")
    report.add(Entry("Across pages", "header", "320 px and 1280 px", seconds=time.monotonic() - started,
                     problems=problems))
    assert not problems, "Header:\n  - " + "\n  - ".join(problems)


EVENT_LIST_HEIGHT = """
const cards = document.querySelectorAll('#event-results .event-card');
const groups = [...document.querySelectorAll('#event-results .day-group')];
const top = groups[0].getBoundingClientRect().top, bottom = groups.at(-1).getBoundingClientRect().bottom;
return [cards.length, Math.round(bottom - top)];
"""
PHONE_HEIGHT_PER_EVENT = 200  # CSS px at 320 px, date badges included: twenty events in 4,000 px


def test_a_list_of_events_scrolls_by_quickly_on_a_phone(chromium, report):
    """At 320 px the events list gives each event, its day's badge included, at most 200 px
    on average (it was 415 before cards put the time and tags on one line and the date
    beside them), with the same facts: time, format, access, places, summary."""
    started = time.monotonic()
    chromium.use_role("member")
    chromium.open("/")
    try:
        chromium.cdp("Emulation.setDeviceMetricsOverride", width=320, height=800, deviceScaleFactor=1,
                     mobile=False)
        chromium.open("/events/")
        count, height = chromium.js(EVENT_LIST_HEIGHT)
    finally:
        chromium.cdp("Emulation.clearDeviceMetricsOverride")
    problems = [] if height <= count * PHONE_HEIGHT_PER_EVENT else [
        f"{count} events take {height} px at 320 px: {height // count} px each, at most {PHONE_HEIGHT_PER_EVENT}"]
    report.add(Entry("Across pages", "events list at 320 px", f"{count} events in {height} px",
                     seconds=time.monotonic() - started, problems=problems))
    assert count >= 3 and not problems, "Events list:\n  - " + "\n  - ".join(problems)
