"""Budgets of the notification pages (DESIGN.md): at most 10 SQL statements a request,
the same with a handful of notifications as with thousands, and HTML + CSS within
14 KB compressed. The notifications go in with one bulk insert."""

from __future__ import annotations

import pytest
from sqlalchemy import insert

from portal.blueprints.notifications import services
from portal.blueprints.notifications.models import Notification
from tests.blueprints.accounts.factories import sign_in
from tests.blueprints.forums.factories import make_person
from tests.budget import CSS, QUERY_BUDGET, WEIGHT_BUDGET, compressed, measure
from tests.helpers import Browser

SMALL, LARGE = 5, 5_000
PAGES = {
    "the list": "/notifications",
    "the list, last page": f"/notifications?page={-(-LARGE // services.PER_PAGE)}",
    "preferences": "/account/notifications",
}


def _add_notifications(session, user_id: int, count: int, start: int) -> None:
    session.execute(insert(Notification), [
        {"user_id": user_id, "kind": ("forums.reply", "forums.mention", "events.changed")[n % 3],
         "url": f"/forums/p/{n}", "target_text": f"A thread about mentoring, part {n}",
         "text": f"Someone replied to “A thread about mentoring, part {n}”",
         "excerpt": "Thank you for the question: what worked for me was writing goals down.",
         "read_at": None, "email_state": "sent"}
        for n in range(start, start + count)
    ])
    session.commit()


@pytest.fixture
def member_client(client, session):
    member = make_person(session, display_name="Measured Member")
    services.save_deliveries(session, member, {"forums.reply": "digest", "events.changed": "portal"})
    session.commit()
    sign_in(Browser(client), member)
    return client, member.id


def test_the_pages_run_a_fixed_small_number_of_queries_and_stay_light(app, session, member_client):
    client, member_id = member_client
    _add_notifications(session, member_id, SMALL, 0)
    small = {name: measure(app, client, url) for name, url in PAGES.items()}
    _add_notifications(session, member_id, LARGE - SMALL, SMALL)
    large = {name: measure(app, client, url) for name, url in PAGES.items()}
    for name, measured in large.items():
        assert measured.queries <= QUERY_BUDGET, f"{name}:\n  " + "\n  ".join(measured.statements)
        assert measured.queries == small[name].queries, (
            f"{name} ran {small[name].queries} statements with {SMALL} notifications but "
            f"{measured.queries} with {LARGE}:\n  " + "\n  ".join(measured.statements))
        weight = compressed(measured.html) + compressed(CSS.read_bytes())
        assert weight <= WEIGHT_BUDGET, f"{name} weighs {weight} bytes compressed"
    assert f"Notifications ({LARGE} new)".encode() in large["the list"].html
    assert large["the list"].html.count(b"<strong>New:</strong>") == services.PER_PAGE
