"""Times are stored in UTC and shown in the viewer's zone, with the zone named."""

from __future__ import annotations

import difflib
from datetime import UTC, date, datetime
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from flask import current_app
from flask_login import current_user
from markupsafe import Markup


@lru_cache(maxsize=1)
def all_zones() -> frozenset[str]:
    return frozenset(z for z in available_timezones() if "/" in z or z == "UTC")


def is_valid_zone(name: str) -> bool:
    return name in all_zones()


def suggest_zones(name: str, limit: int = 3) -> list[str]:
    """Zone names close to a mistyped ``name`` ("london" -> "Europe/London")."""
    wanted = name.strip().replace(" ", "_").lower()
    by_lower = {z.lower(): z for z in all_zones()}
    by_city = {z.rsplit("/", 1)[-1].lower(): z for z in all_zones()}
    if wanted in by_city:
        return [by_city[wanted]]
    close = difflib.get_close_matches(wanted, list(by_lower), n=limit, cutoff=0.6)
    return [by_lower[c] for c in close]


def viewer_zone_name() -> str:
    """The signed-in person's zone, or the site's default for everyone else."""
    if current_user and current_user.is_authenticated and current_user.timezone:
        return current_user.timezone
    return current_app.config["DEFAULT_TIMEZONE"]


@lru_cache(maxsize=64)
def zone(name: str) -> ZoneInfo:
    """The zone called ``name`` (UTC when there is none), built once per name."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def exists_locally(moment: datetime) -> bool:
    """False for a wall-clock time the zone skips (the hour the clocks go forward): it comes
    back different after a trip through UTC."""
    back = moment.astimezone(UTC).astimezone(moment.tzinfo)
    return back.replace(tzinfo=None) == moment.replace(tzinfo=None)


def format_in_zone(moment: datetime, zone_name: str, with_date: bool = True) -> str:
    """``moment`` as a person reads it in ``zone_name``: "Friday 27 November 2026, 18:30 GMT"."""
    local = moment.astimezone(zone(zone_name))
    clock = f"{local:%H:%M} {_zone_label(local, zone_name)}"
    if not with_date:
        return clock
    return f"{local:%A} {local.day} {local:%B %Y}, {clock}"


def _zone_label(local: datetime, zone_name: str) -> str:
    """The zone's abbreviation ("GMT"); where it has none, its place and offset
    ("Sao Paulo time (UTC-3)") rather than a bare "-03"."""
    abbreviation = local.tzname()
    if abbreviation[0] not in "+-":
        return abbreviation
    total = int(local.utcoffset().total_seconds()) // 60
    hours, minutes = divmod(abs(total), 60)
    offset = f"UTC{'-' if total < 0 else '+'}{hours}" + (f":{minutes:02d}" if minutes else "")
    if zone_name.startswith("Etc/"):
        return offset
    return f"{zone_name.rsplit('/', 1)[-1].replace('_', ' ')} time ({offset})"


def time_tag(moment: datetime | None, zone_name: str | None = None) -> Markup:
    """A ``<time datetime>`` element showing ``moment`` in the viewer's zone, zone named."""
    if moment is None:
        return Markup("")
    text = format_in_zone(moment, zone_name or viewer_zone_name())
    moment_text = moment.isoformat(timespec="seconds")  # HTML allows at most milliseconds
    return Markup('<time datetime="{}">{}</time>').format(moment_text, text)


def relative_text(moment: datetime, now: datetime, zone_name: str) -> str:
    """How long before ``now`` ``moment`` was, as a person says it: "just now", "5 minutes
    ago", "3 hours ago", "yesterday", "4 days ago", "2 weeks ago"; from five weeks back,
    the date ("3 March 2025"). Days count by the calendar in ``zone_name``, so 23:50
    seen at 00:10 was "yesterday". A moment ahead of ``now`` (clocks differ) is "just now"."""
    seconds = (now - moment).total_seconds()
    if seconds < 60:
        return "just now"
    if seconds < 3600:
        return _ago(int(seconds // 60), "minute")
    local, today = moment.astimezone(zone(zone_name)), now.astimezone(zone(zone_name)).date()
    days = (today - local.date()).days
    if days == 0:
        return _ago(int(seconds // 3600), "hour")
    if days == 1:
        return "yesterday"
    if days < 7:
        return _ago(days, "day")
    if days < 35:
        return _ago(days // 7, "week")
    return f"{local.day} {local:%B %Y}"


def _ago(count: int, unit: str) -> str:
    return f"{count} {unit if count == 1 else unit + 's'} ago"


def relative_time_tag(moment: datetime | None, zone_name: str | None = None, now: datetime | None = None) -> Markup:
    """A ``<time datetime>`` element whose visible text is relative ("3 days ago") and whose
    text for assistive technology adds the exact time in the viewer's zone; no ``title``,
    which keyboard and touch users cannot reach."""
    if moment is None:
        return Markup("")
    zone_name = zone_name or viewer_zone_name()
    # No role for the element: Chromium gives <time> one, and screen readers then split a
    # heading that holds it ("Amara, heading" then "3 days ago, heading").
    return Markup('<time datetime="{}" role="presentation">{} <span class="visually-hidden">({})</span></time>').format(
        moment.isoformat(timespec="seconds"), relative_text(moment, now or datetime.now(UTC), zone_name),
        format_in_zone(moment, zone_name))


def format_for_viewer(moment: datetime, event_zone: str, viewer_zone: str, with_date: bool = True) -> str:
    """``moment`` in the event's zone, then in the viewer's when that differs:
    "Friday 4 December 2026, 18:00 GMT (19:00 your time, CET)"."""
    text = format_in_zone(moment, event_zone, with_date)
    if format_in_zone(moment, event_zone, False) == format_in_zone(moment, viewer_zone, False):
        return text
    local = moment.astimezone(zone(viewer_zone))
    same_day = local.date() == moment.astimezone(zone(event_zone)).date()
    when = f"{local:%H:%M}" if same_day else f"{local:%A} {local.day} {local:%B}, {local:%H:%M}"
    return f"{text} ({when} your time, {_zone_label(local, viewer_zone)})"


def event_time_tag(moment: datetime, event_zone: str, with_date: bool = True) -> Markup:
    """A ``<time>`` element for an event's time, for the current viewer; without the date
    where the page already shows it (a list under day headings)."""
    text = format_for_viewer(moment, event_zone, viewer_zone_name(), with_date)
    return Markup('<time datetime="{}">{}</time>').format(moment.isoformat(timespec="seconds"), text)


def local_date(moment: datetime, zone_name: str) -> date:
    return moment.astimezone(zone(zone_name)).date()


def day_label(day: date) -> str:
    """"Friday 4 December 2026"."""
    return f"{day:%A} {day.day} {day:%B %Y}"


def group_by_day(items, zone_name: str) -> list[tuple[date, list]]:
    """Items with a ``starts_at``, grouped under the day they start in ``zone_name``, in order."""
    groups: list[tuple[date, list]] = []
    for item in items:
        day = local_date(item.starts_at, zone_name)
        if groups and groups[-1][0] == day:
            groups[-1][1].append(item)
        else:
            groups.append((day, [item]))
    return groups


def month_label(day: date) -> str:
    """"November 2026"."""
    return f"{day:%B %Y}"


def clock(moment: datetime, zone_name: str) -> str:
    """"18:30", in ``zone_name``."""
    return f"{moment.astimezone(zone(zone_name)):%H:%M}"
