"""Fixtures for the WCAG suite: one live portal, one Chromium per variant, one screen
reader, one report.

Everything is session-scoped so the suite pays for a server, a browser and a
sign-in per role once; checks then batch on each page load.
"""

from __future__ import annotations

import pytest

from a11y.browser import Chromium
from a11y.report import Report
from a11y.screenreader import ScreenReader
from a11y.server import LivePortal
from a11y.validator import Validator

TRANSCRIPT_FROM = pytest.StashKey[int]()


@pytest.fixture(scope="session")
def portal(tmp_path_factory):
    live = LivePortal(str(tmp_path_factory.mktemp("a11y")))
    yield live
    live.stop()


@pytest.fixture(scope="session")
def chromium(portal):
    """Chromium with JavaScript, as most people browse."""
    browser = Chromium(portal, "javascript")
    yield browser
    browser.quit()


@pytest.fixture(scope="session", params=["no-javascript", "htmx-blocked"])
def plain_browser(request, portal):
    """Chromium with JavaScript switched off, then with only the htmx file blocked."""
    browser = Chromium(portal, request.param)
    yield browser
    browser.quit()


@pytest.fixture(scope="session")
def validator():
    """The Nu Html Checker, for the markup of every page state."""
    checker = Validator()
    yield checker
    checker.stop()


@pytest.fixture(scope="session")
def report():
    """Collects what each test checked; written to a11y/report/index.html at the end."""
    collected = Report()
    yield collected
    if collected.entries:
        collected.write()


@pytest.fixture(scope="session")
def screen_reader(portal):
    """GNOME Orca with Chromium on a private display (see ``screenreader``), started once."""
    reader = ScreenReader(portal)
    yield reader
    reader.stop()


@pytest.fixture
def sr(screen_reader, request):
    """The session's screen reader; if the test fails, its report shows what Orca said during it."""
    request.node.stash[TRANSCRIPT_FROM] = screen_reader.mark()
    return screen_reader


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.failed and TRANSCRIPT_FROM in item.stash:
        report.sections.append(("What Orca said", item.funcargs["sr"].render(item.stash[TRANSCRIPT_FROM])))
    return report
