"""Manage test fixtures: people of each role and a forum category whose posts get reported."""

from __future__ import annotations

import pytest

from portal.core.permissions import Role
from tests.blueprints.forums.factories import make_category, make_person


@pytest.fixture
def member(session):
    return make_person(session, display_name="Mo Member", email="mo@example.org")


@pytest.fixture
def other(session):
    return make_person(session, display_name="Olu Other", email="olu@example.org")


@pytest.fixture
def manager(session):
    return make_person(session, display_name="Mia Manager", email="mia@example.org", role=Role.MANAGER)


@pytest.fixture
def admin(session):
    return make_person(session, display_name="Ada Admin", email="ada@example.org", role=Role.ADMIN)


@pytest.fixture
def category(session):
    return make_category(session, name="Finding a mentor")
