"""The installed features, in the order they are registered and seeded.

Adding a feature means writing its package and naming it here; nothing else changes.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable

from portal.core.features import Feature

INSTALLED = (
    "portal.blueprints.pages",
    "portal.blueprints.accounts",
    "portal.blueprints.notifications",
    "portal.blueprints.events",
    "portal.blueprints.forums",
    "portal.blueprints.manage",
    "portal.blueprints.styleguide",
)


def load(names: Iterable[str] = INSTALLED) -> list[Feature]:
    """Import each named package and ask it what it adds."""
    return [importlib.import_module(name).feature() for name in names]
