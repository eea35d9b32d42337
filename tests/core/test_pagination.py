"""One way to cut a list into pages."""

from __future__ import annotations

import pytest

from portal.core.pagination import clamp, page_count


@pytest.mark.parametrize(("total", "pages"), [(0, 1), (1, 1), (20, 1), (21, 2), (41, 3)])
def test_pages_needed_for_a_total(total, pages):
    assert page_count(total, 20) == pages


@pytest.mark.parametrize(("asked", "shown"), [(-3, 1), (0, 1), (2, 2), (99, 3)])
def test_a_page_outside_the_list_shows_the_nearest(asked, shown):
    assert clamp(asked, 3) == shown
