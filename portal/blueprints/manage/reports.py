"""The one moderation queue: members report items of any reportable kind, moderators
dismiss the reports, hide or restore the item, or suspend its author. Functions take
the session and plain values (and the kind's ``Reportable``); they flush, never commit."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, case, func, select, update
from sqlalchemy.orm import Session, aliased, joinedload

from portal.blueprints.accounts.models import User
from portal.blueprints.manage import suspensions
from portal.blueprints.manage.errors import ModerationError
from portal.blueprints.manage.models import Report, ReportStatus
from portal.core.db import utcnow
from portal.core.features import Reportable
from portal.core.pagination import Page, paginate

PAGE_SIZE = 10
OPEN, HANDLED = "open", "handled"
DISMISS, HIDE, RESTORE, SUSPEND = "dismiss", "hide", "restore", "suspend"


# Reporting


def find_report(session: Session, kind: str, target_id: int, reporter: User) -> Report | None:
    """The member's own report of the item, if they made one."""
    return session.scalar(select(Report).where(Report.kind == kind, Report.target_id == target_id,
                                               Report.reporter_id == reporter.id))


def report(session: Session, kind: str, target_id: int, reporter: User, reason: str,
           now: datetime | None = None) -> Report:
    """Record that ``reporter`` finds the item wrong, for ``reason``.

    One report per member per item: reporting again replaces the reason, and a report
    already handled opens again. Only items readers can see may be reported (the
    caller checks), so a second report is about an item the moderators left up or
    restored: the member still finds it wrong, and it should be looked at again.
    """
    now = now or utcnow()
    existing = find_report(session, kind, target_id, reporter)
    if existing is None:
        existing = Report(kind=kind, target_id=target_id, reporter_id=reporter.id, created_at=now)
        session.add(existing)
    existing.reason, existing.updated_at = reason.strip(), now
    existing.status = ReportStatus.OPEN.value
    existing.resolved_by_id, existing.resolved_at, existing.resolution = None, None, ""
    session.flush()
    return existing


# The queue


@dataclass
class Entry:
    """One reported item in the queue with every report of it (oldest first). ``item``
    is None when the item no longer exists."""

    reportable: Reportable
    target_id: int
    item: Any | None
    reports: list[Report] = field(default_factory=list)

    @property
    def key(self) -> str:
        """Unique on the page and safe in ids and form prefixes: "forums-post-12"."""
        return f"{self.reportable.kind.replace('.', '-')}-{self.target_id}"

    @property
    def title(self) -> str:
        if self.item is None:
            return f"a {self.reportable.noun} that no longer exists"
        return self.reportable.title(self.item)

    @property
    def heading(self) -> str:
        return self.title[:1].upper() + self.title[1:]

    @property
    def author(self) -> User | None:
        return self.reportable.author(self.item) if self.item is not None else None

    @property
    def open_reports(self) -> list[Report]:
        return [r for r in self.reports if r.is_open]

    def actions(self) -> list[str]:
        """What a moderator may do now: dismiss open reports; hide a shown item, or
        restore a hidden one; suspend the author of an item that exists."""
        allowed = [DISMISS] if self.open_reports else []
        if self.item is None:
            return allowed
        if self.reportable.is_shown(self.item):
            allowed.append(HIDE)
        elif self.reportable.is_hidden(self.item):
            allowed.append(RESTORE)
        return [*allowed, SUSPEND]


def _groups(kinds: list[str], status: str):
    """One row per reported item (the id of its first report), in queue order: items with
    open reports, the longest waiting first; or items whose reports are all handled,
    the most recently handled first."""
    query = select(func.min(Report.id)).where(Report.kind.in_(kinds)).group_by(Report.kind, Report.target_id)
    if status == OPEN:
        return (query.where(Report.status == ReportStatus.OPEN)
                .order_by(func.min(Report.updated_at), func.min(Report.id)))
    still_open = func.count(case((Report.status == ReportStatus.OPEN, 1)))
    return query.having(still_open == 0).order_by(func.max(Report.resolved_at).desc(), func.min(Report.id))


def _reports_of(session: Session, first_ids: list[int]) -> list[Report]:
    """Every report of the items whose first reports are ``first_ids``, in one query."""
    first = aliased(Report)
    return list(session.scalars(
        select(Report)
        .join(first, and_(first.kind == Report.kind, first.target_id == Report.target_id))
        .where(first.id.in_(first_ids))
        .order_by(Report.created_at, Report.id)
        .options(joinedload(Report.reporter), joinedload(Report.resolved_by))
        .execution_options(populate_existing=True)
    ))


def _entries(session: Session, reportables: Mapping[str, Reportable], reports: list[Report],
             order: list[tuple[str, int]]) -> list[Entry]:
    """Entries in ``order``, each kind's items loaded in one call."""
    by_item: dict[tuple[str, int], list[Report]] = {}
    for row in reports:
        by_item.setdefault((row.kind, row.target_id), []).append(row)
    items: dict[tuple[str, int], Any] = {}
    for kind in {kind for kind, _ in order}:
        ids = [target for k, target in order if k == kind]
        items.update(((kind, target), item) for target, item in reportables[kind].load(session, ids).items())
    return [Entry(reportables[kind], target, items.get((kind, target)), by_item.get((kind, target), []))
            for kind, target in order]


def queue(session: Session, reportables: Mapping[str, Reportable], *, kind: str | None, status: str,
          page: int) -> Page:
    """A page of reported items of ``kind`` (None: every installed kind) with open
    reports (``status`` "open") or with every report handled ("handled"), as ``Entry``s;
    a fixed number of queries, plus one load per kind on the page."""
    kinds = [kind] if kind else list(reportables)
    groups = paginate(session, _groups(kinds, status), page, PAGE_SIZE)
    reports = _reports_of(session, groups.items) if groups.items else []
    firsts = {r.id: (r.kind, r.target_id) for r in reports}
    entries = _entries(session, reportables, reports, [firsts[i] for i in groups.items])
    return Page(entries, groups.number, groups.pages, groups.total)


def entry(session: Session, reportable: Reportable, target_id: int) -> Entry | None:
    """The queue entry of one item, or None when nobody reported it."""
    reports = list(session.scalars(
        select(Report).where(Report.kind == reportable.kind, Report.target_id == target_id)
        .order_by(Report.created_at, Report.id)
        .options(joinedload(Report.reporter), joinedload(Report.resolved_by))
        .execution_options(populate_existing=True)
    ))
    if not reports:
        return None
    item = reportable.load(session, [target_id]).get(target_id)
    return Entry(reportable, target_id, item, reports)


def items_to_review(session: Session) -> int:
    """How many items have open reports (the dashboard's figure)."""
    items = (select(Report.kind, Report.target_id).where(Report.status == ReportStatus.OPEN)
             .group_by(Report.kind, Report.target_id).subquery())
    return session.scalar(select(func.count()).select_from(items))


# Deciding


@dataclass(frozen=True)
class Decision:
    """What a moderator chose for an item: an action, the reason its author sees (for
    hiding and suspending), and a suspension's length (None: until lifted)."""

    action: str
    reason: str = ""
    length: timedelta | None = None


def _resolve(session: Session, entry_: Entry, moderator: User, status: ReportStatus, resolution: str,
             now: datetime) -> None:
    session.execute(
        update(Report)
        .where(Report.kind == entry_.reportable.kind, Report.target_id == entry_.target_id,
               Report.status == ReportStatus.OPEN)
        .values(status=status.value, resolved_by_id=moderator.id, resolved_at=now, updated_at=now,
                resolution=resolution)
    )


def decide(session: Session, entry_: Entry, moderator: User, decision: Decision,
           now: datetime | None = None) -> str:
    """Carry out ``decision`` on the entry's item and close its open reports with what
    was done; returns the sentence that tells the moderator. An action the item's state
    does not allow (hiding what is already hidden, say) raises ``ModerationError``."""
    now = now or utcnow()
    if decision.action not in entry_.actions():
        raise ModerationError("action", "That cannot be done to it now; choose another action")
    reportable, item, noun, reason = entry_.reportable, entry_.item, entry_.reportable.noun, decision.reason.strip()
    if decision.action == DISMISS:
        _resolve(session, entry_, moderator, ReportStatus.DISMISSED, f"Dismissed: the {noun} stays", now)
        return f"The reports are dismissed; the {noun} stays."
    if decision.action == RESTORE:
        reportable.restore(session, item, moderator)
        _resolve(session, entry_, moderator, ReportStatus.DISMISSED, f"The {noun} was restored", now)
        return f"The {noun} is restored."
    if decision.action == SUSPEND:
        suspension = suspensions.suspend(session, entry_.author, moderator, reason, decision.length, now)
        length = suspensions.describe(suspension)
        if reportable.is_shown(item):
            reportable.hide(session, item, moderator, reason)
            _resolve(session, entry_, moderator, ReportStatus.ACTIONED,
                     f"Hidden, and its author suspended {length}: {reason}", now)
            return f"The {noun} is hidden and its author suspended {length}."
        _resolve(session, entry_, moderator, ReportStatus.ACTIONED, f"Its author suspended {length}: {reason}", now)
        return f"Its author is suspended {length}."
    reportable.hide(session, item, moderator, reason)
    _resolve(session, entry_, moderator, ReportStatus.ACTIONED, f"Hidden: {reason}", now)
    return f"The {noun} is hidden and its author told why."
