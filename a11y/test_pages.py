"""Every page in every state: axe-core, structure, markup, keyboard, reflow, text spacing,
target size, media preferences and budgets, all on one load of the page."""

from __future__ import annotations

import time

import pytest

from a11y.checks import check_page
from a11y.pages import PageState, all_states
from a11y.report import Entry


def load(chromium, portal, state: PageState):
    """Show ``state`` in the browser; return its status and the server's response."""
    chromium.use_role(state.role)
    navigation = chromium.open(state.url(portal))
    if state.submission:
        navigation = chromium.fill_and_submit(dict(state.submission.values), state.submission.clear)
    exchange = portal.recorder.latest("POST" if state.submission else "GET", chromium.target())
    return navigation, exchange


@pytest.mark.parametrize("state", all_states(), ids=lambda state: state.id)
def test_page_state(state, portal, chromium, validator, report):
    started = time.monotonic()
    navigation, exchange = load(chromium, portal, state)
    result = check_page(chromium, validator, state, navigation.status, exchange)
    report.add(Entry("Pages", state.endpoint, state.name, navigation.url, navigation.status, result.title,
                     result.figures, result.axe_rules, time.monotonic() - started, result.problems))
    assert not result.problems, (
        f"{state.id} at {navigation.url} has {len(result.problems)} problems:\n  - "
        + "\n  - ".join(result.problems)
    )
