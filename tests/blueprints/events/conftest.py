"""Events test fixtures: a host and a published event (the people are in tests/conftest.py)."""

from __future__ import annotations

import pytest

from tests.blueprints.accounts.factories import make_user
from tests.blueprints.events.factories import make_event


@pytest.fixture
def host(session):
    return make_user(session, display_name="Hana Host", email="hana@example.org")


@pytest.fixture
def event(session, host):
    """A published online event a week away, hosted by ``host``."""
    return make_event(session, hosts=[host], title="Finding a mentor", capacity=10)
