"""Sign-in limits count failures only: a roomful of people on one network signs in, guessing
stays slow, and nobody can lock an account's owner out (limited_app: 4 failures a minute per
address, 2 per account from one address, 3 per account from everywhere)."""

from __future__ import annotations

import logging
import re

import pytest
from sqlalchemy import select

from portal.core.mail import OutboxMessage
from portal.extensions import db
from tests.blueprints.accounts.factories import PASSWORD, make_user
from tests.helpers import Browser


def browser_at(app, address: str) -> Browser:
    """A browser whose requests come from ``address`` (as the proxy reports it)."""
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return Browser(client)


def attempt(browser, email, password="wrong password"):
    browser.get("/sign-in")
    return browser.submit({"email": email, "password": password}, button="Sign in", follow=False)


@pytest.fixture
def people(limited_app):
    with limited_app.app_context():
        made = [make_user(db.session, email=f"person{n}@workshop.example") for n in range(12)]
        owner = make_user(db.session, email="owner@example.org")
        db.session.commit()
        return [p.email for p in made], owner.email


def test_a_roomful_signs_in_from_one_address(limited_app, people):
    emails, _ = people
    statuses = [attempt(browser_at(limited_app, "192.0.2.1"), email, PASSWORD).status_code for email in emails]
    assert statuses == [303] * len(emails)


def test_failures_from_one_address_are_limited(limited_app, caplog):
    browser = browser_at(limited_app, "192.0.2.2")
    with caplog.at_level(logging.WARNING, "portal.security"):
        statuses = [attempt(browser, f"guess{n}@example.org").status_code for n in range(5)]
    assert statuses == [422, 422, 422, 422, 429]
    assert "Too many attempts" in browser.html
    assert "rate limit hit path=/sign-in" in caplog.text


def test_failures_for_one_account_from_one_address_are_limited(limited_app, people):
    _, owner = people
    browser = browser_at(limited_app, "192.0.2.3")
    assert [attempt(browser, owner).status_code for _ in range(3)] == [422, 422, 429]
    assert 0 < int(browser.page.headers["Retry-After"]) <= 60
    assert attempt(browser, "someone-else@example.org").status_code == 422


def _unlock_link(app, owner: str) -> str:
    with app.app_context():
        bodies = db.session.scalars(select(OutboxMessage.text_body).where(
            OutboxMessage.recipient == owner, OutboxMessage.subject == "Someone is trying to sign in to your account"))
        links = [re.search(r"http://portal\.test(/sign-in/unlock/\S+)", body).group(1) for body in bodies]
    return links


def test_guessing_from_everywhere_cannot_keep_the_owner_out(limited_app, people):
    _, owner = people
    for n in range(3):  # one failure from each of three addresses: the account's ceiling
        assert attempt(browser_at(limited_app, f"198.51.100.{n}"), owner).status_code == 422
    attacker = browser_at(limited_app, "198.51.100.9")
    assert attempt(attacker, owner).status_code == 429
    assert "Sign-ins to this account are paused" in attacker.html

    own = browser_at(limited_app, "203.0.113.5")
    assert attempt(own, owner, PASSWORD).status_code == 429
    (link,) = _unlock_link(limited_app, owner)  # one email, however many attempts were refused
    own.get(link)
    assert "Let this browser sign in" in own.html
    own.follow(own.submit({}, button="Let this browser sign in", follow=False))
    assert "This browser can sign in to your account now." in own.html

    assert attempt(own, owner, PASSWORD).status_code == 303
    assert attempt(attacker, owner).status_code == 429


def test_an_unlock_link_that_was_tampered_with_is_refused(limited_app, people):
    browser = browser_at(limited_app, "203.0.113.6")
    response = browser.client.get("/sign-in/unlock/not-a-real-token")
    assert response.status_code == 400
    assert "This link cannot be used" in response.get_data(as_text=True)
