"""What a feature adds to the whole portal, declared once, by the feature itself.

Every feature package exposes ``feature() -> Feature``. The app factory walks the
installed features (``portal.features``) and registers what each declares, so
adding a feature means adding one package and naming it in that list: no other
feature and nothing in core changes. Core knows these shapes and no feature.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from flask import Blueprint, current_app


def everyone(_user) -> bool:
    return True


def signed_in(user) -> bool:
    return bool(user and user.is_authenticated)


def signed_out(user) -> bool:
    return not signed_in(user)


@dataclass(frozen=True)
class NavEntry:
    """A link in the main navigation. ``order`` places it (smaller first), ``show``
    says who sees it, ``count`` (session, user) adds "(3 new)" to its label, and the
    link is marked current on any path under ``section`` (default: the link's own)."""

    label: str
    endpoint: str
    order: int
    show: Callable[[Any], bool] = everyone
    count: Callable[[Any, Any], int] | None = None
    section: str | None = None


@dataclass(frozen=True)
class NotificationKind:
    """Something a feature tells people about. ``name`` is unique across features
    ("forums.reply"); ``label`` and ``hint`` head its choice on the preferences page;
    ``default`` is the delivery a person has until they choose: "email" (in the
    portal and by email at once), "digest" (in the portal and the daily digest),
    "portal" (in the portal only) or "off"."""

    name: str
    label: str
    default: str = "email"
    hint: str = ""


@dataclass(frozen=True)
class Reportable:
    """Something members may report into the one moderation queue; the feature that owns
    it declares how it is found, shown, judged and put out of view, and nothing else
    changes to let its items be reported.

    ``kind`` is unique across features ("forums.post"); ``label`` names the kind in the
    queue's filter ("Forum posts") and ``noun`` one item in sentences ("post").
    ``load(session, ids)`` returns the items by id (missing ones left out) with whatever
    ``title``, ``author``, ``can_see`` and ``template`` read already loaded, in a fixed
    number of queries however many ids it is given. ``title(item)`` names the item
    mid-sentence ("post 2 in “Networking”"); ``excerpt(item)`` is plain text the report
    page quotes; ``template`` shows the item in the queue (it receives ``item``; its
    headings start at h4); ``author(item)`` is the person answerable for it (or None);
    ``url(item)`` is where it is read. ``can_see(user, item)`` says whether the person
    may see the item at all; ``is_shown(item)`` whether readers see it now (neither
    hidden nor deleted: only shown items can be reported or hidden); ``is_hidden(item)``
    whether a moderator hid it (so it can be restored). ``hide(session, item, moderator,
    reason)`` takes it out of view with a reason its author sees, ``restore(session, item,
    moderator)`` brings it back. Each flushes, never commits."""

    kind: str
    label: str
    noun: str
    load: Callable[[Any, list[int]], Mapping[int, Any]]
    template: str
    title: Callable[[Any], str]
    excerpt: Callable[[Any], str]
    author: Callable[[Any], Any]
    url: Callable[[Any], str]
    can_see: Callable[[Any, Any], bool]
    is_shown: Callable[[Any], bool]
    is_hidden: Callable[[Any], bool]
    hide: Callable[[Any, Any, Any, str], None]
    restore: Callable[[Any, Any, Any], None]


@dataclass(frozen=True)
class BackgroundJob:
    """Work run on a schedule: a thread under ``make run``, cron in production.
    ``run(session)`` does one pass, commits, and returns how many things it did;
    ``interval`` names the setting that holds the seconds between passes."""

    name: str
    run: Callable[[Any], int]
    interval: str


@dataclass(frozen=True)
class HomePanel:
    """A section of the start page. ``load(session, user, now)`` returns what ``template``
    needs (as ``panel``), or None to leave the section out; ``user`` is None for visitors.
    ``visitors`` and ``members`` say who sees it; sections show in ``order``."""

    name: str
    template: str
    load: Callable[[Any, Any, Any], dict | None]
    order: int
    visitors: bool = False
    members: bool = True


@dataclass(frozen=True)
class Feature:
    """Everything one feature adds to the whole. ``demo(session, context)`` loads its
    demo data (``context`` carries what earlier features made, such as "people")
    and returns a phrase for the summary ("30 events"); ``search_objects`` names
    tables and indexes that migrations make outside the models; ``unsubscribes``
    maps an email-unsubscribe scope to ``(session, user, target_id) -> sentence or
    None`` that stops those emails. ``switch`` names a setting that turns the whole
    feature on; where it is off the feature is not installed at all."""

    name: str
    blueprint: Blueprint | None = None
    switch: str | None = None
    navigation: tuple[NavEntry, ...] = ()
    commands: tuple = ()
    demo: Callable[[Any, dict], str | None] | None = None
    search_objects: tuple[str, ...] = ()
    notification_kinds: tuple[NotificationKind, ...] = ()
    reportables: tuple[Reportable, ...] = ()
    template_filters: Mapping[str, Callable] = field(default_factory=dict)
    template_globals: Mapping[str, Any] = field(default_factory=dict)
    background: tuple[BackgroundJob, ...] = ()
    unsubscribes: Mapping[str, Callable] = field(default_factory=dict)
    home_panels: tuple[HomePanel, ...] = ()


class Registry:
    """The installed features, and what they declare, looked up by name."""

    def __init__(self, features: list[Feature]) -> None:
        self.features = list(features)
        self.navigation = sorted((e for f in features for e in f.navigation), key=lambda e: e.order)
        self.notification_kinds = _unique((k.name, k) for f in features for k in f.notification_kinds)
        self.reportables = _unique((r.kind, r) for f in features for r in f.reportables)
        self.unsubscribes = _unique((scope, fn) for f in features for scope, fn in f.unsubscribes.items())
        self.search_objects = tuple(name for f in features for name in f.search_objects)
        self.home_panels = sorted((p for f in features for p in f.home_panels), key=lambda p: p.order)

    def home_panels_for(self, session, user, now) -> list[tuple[HomePanel, dict]]:
        """The start page's sections for ``user`` (None: a visitor) with what each shows."""
        shown = []
        for panel in self.home_panels:
            if (panel.members if user else panel.visitors):
                data = panel.load(session, user, now)
                if data is not None:
                    shown.append((panel, data))
        return shown


def _unique(pairs) -> dict:
    found: dict = {}
    for key, value in pairs:
        if key in found:
            raise ValueError(f"Two features declare {key!r}")
        found[key] = value
    return found


def registry() -> Registry:
    """The current app's features."""
    return current_app.extensions["features"]
