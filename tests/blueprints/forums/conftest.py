"""Forums test fixtures: a category for mentors and one for managers (the people and the
open ``category`` are in tests/conftest.py)."""

from __future__ import annotations

import pytest

from portal.blueprints.forums.models import Audience
from tests.blueprints.forums.factories import make_category


@pytest.fixture
def lounge(session):
    return make_category(session, name="Mentors' lounge", audience=Audience.MENTORS)


@pytest.fixture
def office(session):
    return make_category(session, name="Managers' office", audience=Audience.MANAGERS)
