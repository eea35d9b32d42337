"""The main navigation: the entries every installed feature declares, with the
current section marked."""

from __future__ import annotations

from dataclasses import dataclass

from flask import request, url_for
from flask_login import current_user

from portal.core.features import NavEntry, registry
from portal.extensions import db


@dataclass(frozen=True)
class NavItem:
    label: str
    url: str
    current: bool


def _is_current(entry: NavEntry, url: str) -> bool:
    if entry.section is None:
        return request.path == url
    prefix = entry.section
    return request.path == prefix or request.path.startswith(prefix.rstrip("/") + "/")


def _label(entry: NavEntry) -> str:
    if entry.count is None:
        return entry.label
    count = entry.count(db.session, current_user)
    return f"{entry.label} ({count} new)" if count else entry.label


def navigation() -> list[NavItem]:
    """The links for the current person, in the features' order."""
    items = []
    for entry in registry().navigation:
        if entry.show(current_user):
            url = url_for(entry.endpoint)
            items.append(NavItem(_label(entry), url, _is_current(entry, url)))
    return items
