"""Every length limit is read from the column that stores the value."""

from __future__ import annotations

import pytest
from sqlalchemy import Column, Integer, String, Text

from portal.blueprints.events.models import Event
from portal.blueprints.forums.models import Post
from portal.core.db import column_length
from portal.core.forms import MaxLength


def test_a_string_column_gives_its_declared_length():
    assert column_length(Event.title) == 120


def test_unbounded_text_gives_the_length_in_its_info():
    assert column_length(Post.body) == 20_000


@pytest.mark.parametrize("column", [Column("n", Integer), Column("t", Text)], ids=["integer", "bare text"])
def test_a_column_without_a_length_is_refused_at_once(column):
    with pytest.raises(ValueError, match="has no length"):
        column_length(column)


def test_the_form_limit_follows_the_column():
    assert MaxLength(Event.summary, "The summary").limit == Event.summary.type.length
    assert MaxLength(Column("x", String(7)), "X").limit == 7
