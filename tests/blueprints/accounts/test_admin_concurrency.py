"""The portal always keeps an admin, even when admins demote each other at the same moment
(through a live server, on SQLite and PostgreSQL)."""

from __future__ import annotations

from collections import Counter

import pytest
from sqlalchemy import func, select, update

from portal.blueprints.accounts.models import User
from portal.core.permissions import Role
from tests.live import LiveServer, all_at_once, members

pytestmark = pytest.mark.live


def _admins(server: LiveServer, count: int) -> list[tuple[str, int]]:
    emails = members(server, count, "admin")
    with server.session() as session:
        session.execute(update(User).where(User.email.in_(emails)).values(role=Role.ADMIN.value))
        session.commit()
        return [(email, session.scalar(select(User.id).where(User.email == email))) for email in emails]


@pytest.mark.parametrize("count", [2, 3, 8])
def test_admins_demoting_each_other_at_once_leave_one_admin(live_server, count):
    admins = _admins(live_server, count)
    jobs = []
    for (email, _), (_, next_id) in zip(admins, admins[1:] + admins[:1], strict=True):
        person = live_server.person(email)
        person.sign_in()
        path = f"/manage/people/{next_id}/role"
        person.hold_token(path, path)
        jobs.append((person, path, {"csrf_token": person.csrf_token, "role": Role.MEMBER.value}))

    replies = all_at_once(jobs)

    statuses = Counter(r.status for r in replies)
    # A demotion is refused by the rule (422) or, when another demotion already landed on
    # the person asking, because they are no longer an admin (403).
    assert set(statuses) <= {303, 403, 422}, statuses
    with live_server.session() as session:
        left = session.scalar(select(func.count()).select_from(User).where(User.role == Role.ADMIN.value))
        session.rollback()
    assert left >= 1
    assert left == count - statuses[303]
