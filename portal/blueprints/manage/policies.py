"""Who may do what with reports."""

from __future__ import annotations

from typing import Any

from portal.core.features import Reportable


def may_report(user, reportable: Reportable, item: Any) -> bool:
    """A person taking part may report an item they can see while readers see it (not
    hidden or deleted); the view has already checked that they take part."""
    return reportable.can_see(user, item) and reportable.is_shown(item)
