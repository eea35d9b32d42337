"""Events test fixtures: the people in most stories and a published event."""

from __future__ import annotations

import pytest

from portal.core.permissions import Role
from tests.blueprints.accounts.factories import make_user
from tests.blueprints.events.factories import make_event


@pytest.fixture
def member(session):
    return make_user(session, display_name="Mo Member", email="mo@example.org")


@pytest.fixture
def host(session):
    return make_user(session, display_name="Hana Host", email="hana@example.org")


@pytest.fixture
def manager(session):
    return make_user(session, display_name="Mia Manager", email="mia@example.org", role=Role.MANAGER)


@pytest.fixture
def event(session, host):
    """A published online event a week away, hosted by ``host``."""
    return make_event(session, hosts=[host], title="Finding a mentor", capacity=10)
