"""The main navigation, with the current section marked."""

from __future__ import annotations

from dataclasses import dataclass

from flask import request, url_for
from flask_login import current_user

from portal.blueprints.forums.services import unread_count
from portal.core.permissions import Permission, can
from portal.extensions import db


@dataclass(frozen=True)
class NavItem:
    label: str
    url: str
    current: bool


def _section(prefix: str) -> bool:
    return request.path == prefix or request.path.startswith(prefix.rstrip("/") + "/")


def navigation() -> list[NavItem]:
    """The links for the current person; ``current`` marks the section they are in."""
    items = [
        NavItem("Home", url_for("pages.home"), request.path == "/"),
        NavItem("Events", url_for("events.index"), _section("/events/")),
        NavItem("Forums", url_for("forums.index"), _section("/forums/")),
    ]
    if current_user.is_authenticated:
        unread = unread_count(db.session, current_user)
        label = f"Notifications ({unread} new)" if unread else "Notifications"
        items.append(NavItem(label, url_for("forums.notifications"), _section("/notifications")))
        items.append(NavItem("Your account", url_for("accounts.settings"), _section("/account")))
        if can(Permission.MANAGE_COMMUNITY):
            items.append(NavItem("Manage", url_for("manage.dashboard"), _section("/manage/")))
    else:
        items.append(NavItem("Sign in", url_for("accounts.sign_in"), _section("/sign-in")))
        items.append(NavItem("Register", url_for("accounts.register"), _section("/register")))
    items.append(NavItem("Accessibility", url_for("pages.accessibility"), _section("/accessibility")))
    return items
