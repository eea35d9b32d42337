"""Budgets of the moderation pages (DESIGN.md): at most 10 SQL statements a request, the
same with 50 open reports as with 2, and HTML + CSS within 14 KB compressed."""

from __future__ import annotations

import pytest

from portal.blueprints.manage import reports, suspensions
from tests.blueprints.accounts.factories import sign_in
from tests.blueprints.forums.factories import make_person
from tests.blueprints.manage.factories import entry_of, reported_post, suspend
from tests.budget import CSS, QUERY_BUDGET, WEIGHT_BUDGET, compressed, measure

PAGES = ["/manage/moderation", "/manage/moderation?status=handled", "/manage/moderation?kind=forums.post&page=3",
         "/manage/suspensions", "/manage/suspensions?show=ended", "/manage/"]


def _moderation(session, category, manager, reports_count: int) -> None:
    """``reports_count`` open reports, two to an item, by different members, on posts by
    different authors; a handled item; a current suspension and a lifted one per ten."""
    reporters = [make_person(session) for _ in range(2)]
    for _ in range(reports_count // 2):
        reported_post(session, category, make_person(session), *reporters, body="Buy *cheap* followers!!!")
    handled = reported_post(session, category)
    reports.decide(session, entry_of(session, handled), manager, reports.Decision(reports.HIDE, "Spam"))
    for _ in range(max(1, reports_count // 10)):
        suspend(session, make_person(session), manager)
        suspensions.lift(session, suspend(session, make_person(session), manager), manager)


@pytest.fixture
def signed_in_manager(browser, session, manager):
    sign_in(browser, manager)
    return browser.client


def test_the_moderation_pages_stay_within_the_query_budget_as_reports_grow(app, session, category, manager,
                                                                          signed_in_manager):
    _moderation(session, category, manager, 4)
    few = {url: measure(app, signed_in_manager, url).queries for url in PAGES}
    _moderation(session, session.merge(category), session.merge(manager), 46)  # measuring emptied the session
    many = {url: measure(app, signed_in_manager, url) for url in PAGES}
    for url in PAGES:
        assert many[url].queries <= QUERY_BUDGET, (url, many[url].statements)
        assert many[url].queries == few[url], (url, few[url], many[url].statements)
    assert reports.items_to_review(session) == 25


def test_a_full_page_of_the_queue_fits_the_first_round_trip(app, session, category, manager, signed_in_manager):
    _moderation(session, category, manager, 2 * reports.PAGE_SIZE)
    page = measure(app, signed_in_manager, "/manage/moderation")
    assert page.html.count(b'<section class="report"') == reports.PAGE_SIZE
    assert compressed(page.html) + compressed(CSS.read_bytes()) <= WEIGHT_BUDGET


def test_the_report_page_stays_within_the_query_budget(app, browser, session, category, member):
    post = reported_post(session, category, None, member)
    sign_in(browser, member)
    assert measure(app, browser.client, f"/report/forums.post/{post.id}").queries <= QUERY_BUDGET
