"""Notifications test data, made through ``notify`` as a feature would."""

from __future__ import annotations

import itertools

from portal.blueprints.notifications import services
from portal.blueprints.notifications.models import Notification

_numbers = itertools.count(1)


def tell(session, people, kind: str = "forums.reply", **fields) -> list[Notification]:
    """Notify ``people`` of a sample target with a declared ``kind``; ``fields`` override
    the text, URL, target text, actor, excerpt, email and unsubscribe scope."""
    number = next(_numbers)
    values = {"text": f"Something happened {number}", "url": f"/forums/t/{number}",
              "target_text": f"Thread {number}"} | fields
    return services.notify(session, people, kind, **values)
