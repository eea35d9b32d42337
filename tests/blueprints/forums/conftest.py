"""Forums test fixtures: people of each kind and a category for each audience."""

from __future__ import annotations

import pytest
from argon2 import PasswordHasher

from portal.blueprints.accounts import passwords
from portal.blueprints.forums.models import Audience
from portal.core.permissions import Role
from tests.blueprints.forums.factories import make_category, make_person


@pytest.fixture(autouse=True)
def cheap_passwords(monkeypatch):
    """Argon2id at a tiny cost: these tests sign in a great deal and are about forums."""
    monkeypatch.setattr(passwords, "_hasher", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))


@pytest.fixture
def member(session):
    return make_person(session, display_name="Mo Member", email="mo@example.org")


@pytest.fixture
def other(session):
    return make_person(session, display_name="Olu Other", email="olu@example.org")


@pytest.fixture
def mentor(session):
    return make_person(session, display_name="Meg Mentor", email="meg@example.org", participation="mentor")


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
