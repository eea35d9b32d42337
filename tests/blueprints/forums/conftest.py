"""Forums test fixtures: people of each kind and a category for each audience."""

from __future__ import annotations

import pytest

from portal.blueprints.forums.models import Audience
from portal.core.permissions import Role
from tests.blueprints.accounts.factories import approve_mentor
from tests.blueprints.forums.factories import make_category, make_person


@pytest.fixture
def member(session):
    return make_person(session, display_name="Mo Member", email="mo@example.org")


@pytest.fixture
def other(session):
    return make_person(session, display_name="Olu Other", email="olu@example.org")


@pytest.fixture
def mentor(session):
    """An approved mentor (ticking "mentor" in a profile grants nothing)."""
    person = make_person(session, display_name="Meg Mentor", email="meg@example.org",
                         participation="mentor")
    approve_mentor(session, person)
    return person


@pytest.fixture
def manager(session):
    return make_person(session, display_name="Mia Manager", email="mia@example.org", role=Role.MANAGER)


@pytest.fixture
def admin(session):
    return make_person(session, display_name="Ada Admin", email="ada@example.org", role=Role.ADMIN)


@pytest.fixture
def category(session):
    return make_category(session, name="Finding a mentor", description="Matching and first meetings.")


@pytest.fixture
def lounge(session):
    return make_category(session, name="Mentors' lounge", audience=Audience.MENTORS)


@pytest.fixture
def office(session):
    return make_category(session, name="Managers' office", audience=Audience.MANAGERS)
