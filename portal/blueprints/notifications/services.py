"""Notification rules: who hears of what and how, the daily digest, one-click unsubscribe.

A feature calls ``notify`` with the people it has found may see the target; the rest
happens here: each person's delivery for the kind, the email at once or the digest,
the in-portal list and its unread count, and unsubscribing from an email. Functions
take the session and plain values; they flush, never commit.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from portal.blueprints.accounts.models import User
from portal.blueprints.notifications.models import (
    Delivery,
    EmailState,
    Notification,
    NotificationPreference,
)
from portal.core.db import column_length, utcnow
from portal.core.features import NotificationKind, registry
from portal.core.mail import Attachment, OutboxMessage, external_url, queue_email
from portal.core.pagination import Page, paginate

PER_PAGE = 50
# How much of a target's text to pass as an excerpt: what the column holds, less the
# ellipsis ``portal.core.text.excerpt`` adds when it cuts.
EXCERPT_LENGTH = column_length(Notification.excerpt) - 1
ALL = "all"  # an unsubscribe scope: every notification email
KIND = "kind"  # an unsubscribe scope: the emails of one kind
NO_SUBSCRIPTION = "That subscription no longer exists."


@dataclass(frozen=True)
class Email:
    """A feature's own email for one notification: ``emails/<template>.txt`` and
    ``.html`` rendered with ``context``, to which ``notify`` adds ``user``,
    ``unsubscribe_url`` and ``preferences_url``."""

    template: str
    subject: str
    context: Mapping[str, Any] = field(default_factory=dict)
    attachments: tuple[Attachment, ...] = ()


# The kinds features declare, and each person's delivery for them


def declared_kind(name: str) -> NotificationKind:
    """The kind an installed feature declares as ``name``; ValueError for any other."""
    try:
        return registry().notification_kinds[name]
    except KeyError:
        raise ValueError(f"No installed feature declares the notification kind {name!r}") from None


def about(kind: NotificationKind) -> str:
    """The kind's label as it reads inside a sentence ("replies to threads you follow")."""
    return kind.label[:1].lower() + kind.label[1:]


def kind_groups() -> list[tuple[str, tuple[NotificationKind, ...]]]:
    """(feature name, its kinds) for each installed feature that declares kinds, in the
    features' order."""
    return [(f.name, f.notification_kinds) for f in registry().features if f.notification_kinds]


def deliveries(session: Session, user: User) -> dict[str, Delivery]:
    """The person's delivery for every declared kind: their choice, or the kind's default."""
    chosen = dict(session.execute(
        select(NotificationPreference.kind, NotificationPreference.delivery)
        .where(NotificationPreference.user_id == user.id)
    ).all())
    return {name: Delivery(chosen.get(name, kind.default))
            for name, kind in registry().notification_kinds.items()}


def _deliveries_of(session: Session, people: list[User], kind: NotificationKind) -> dict[int, Delivery]:
    chosen = dict(session.execute(
        select(NotificationPreference.user_id, NotificationPreference.delivery)
        .where(NotificationPreference.kind == kind.name,
               NotificationPreference.user_id.in_([p.id for p in people]))
    ).all())
    return {p.id: Delivery(chosen.get(p.id, kind.default)) for p in people}


@dataclass(frozen=True)
class Saved:
    """What saving deliveries did to notifications that were waiting for the digest."""

    emailed: int = 0
    dropped: int = 0

    @property
    def message(self) -> str:
        said = ["Your notification preferences are saved."]
        if self.emailed == 1:
            said.append("1 notification that was waiting for your digest is on its way to you by email.")
        elif self.emailed:
            said.append(f"{self.emailed} notifications that were waiting for your digest are on their way "
                        "to you in one email.")
        if self.dropped:
            said.append(f"{_count(self.dropped)} that {'was' if self.dropped == 1 else 'were'} waiting "
                        "for your digest will not be emailed.")
        return " ".join(said)


def _count(number: int) -> str:
    return f"{number} {'notification' if number == 1 else 'notifications'}"


def save_deliveries(session: Session, user: User, choices: Mapping[str, str]) -> Saved:
    """Set the person's delivery for each kind named in ``choices`` (kind name to
    delivery), keeping a row only where it differs from the kind's default.

    Notifications of those kinds still waiting for the digest follow the new choice:
    "email" sends them now, all in one email; "portal" or "off" drops them from email.
    ValueError for an undeclared kind or an unknown delivery.
    """
    wanted = {declared_kind(name).name: Delivery(value) for name, value in choices.items()}
    # One save per person at a time (a double submit, two unsubscribe clicks): each then
    # finds the other's rows instead of inserting the same one twice.
    session.execute(select(User.id).where(User.id == user.id).with_for_update())
    rows = {row.kind: row for row in session.scalars(
        select(NotificationPreference).where(NotificationPreference.user_id == user.id))}
    for name, delivery in wanted.items():
        row = rows.get(name)
        if delivery == Delivery(declared_kind(name).default):
            if row is not None:
                session.delete(row)
        elif row is None:
            session.add(NotificationPreference(user_id=user.id, kind=name, delivery=delivery.value))
        else:
            row.delivery = delivery.value
    session.flush()
    return _settle_waiting(session, user, wanted)


def _settle_waiting(session: Session, user: User, wanted: dict[str, Delivery]) -> Saved:
    no_longer_digest = [name for name, delivery in wanted.items() if delivery is not Delivery.DIGEST]
    if not no_longer_digest:
        return Saved()
    query = (
        select(Notification)
        .where(Notification.user_id == user.id, Notification.email_state == EmailState.WAITING,
               Notification.kind.in_(no_longer_digest))
        .order_by(Notification.id)
    )
    if session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update()  # a digest being sent now skips what this takes
    waiting = list(session.scalars(query))
    at_once = [n for n in waiting if wanted[n.kind] is Delivery.EMAIL and _reachable(user)]
    dropped = [n for n in waiting if n not in at_once]
    if at_once:
        _queue_summary(session, user, at_once, f"{_count(len(at_once))} that waited for your digest",
                       "You chose to get these by email at once, so here are the ones that were "
                       "waiting for your daily digest:")
    for note in dropped:
        note.email_state = EmailState.DROPPED.value
    session.flush()
    return Saved(emailed=len(at_once), dropped=len(dropped))


# Telling people


def absolute_url(path: str) -> str:
    """``path`` at the portal's public address (``BASE_URL``), for an email."""
    return urljoin(external_url("notifications.index"), path)


def _fit(text: str, column) -> str:
    """``text`` cut to what ``column`` holds, with an ellipsis when cut."""
    limit = column_length(column)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _reachable(user: User) -> bool:
    return user.email is not None and not user.is_deleted


def notify(
    session: Session,
    recipients: Iterable[User],
    kind: str,
    *,
    text: str,
    url: str,
    target_text: str,
    actor: User | None = None,
    excerpt: str = "",
    email: Callable[[User], Email] | None = None,
    unsubscribe: tuple[str, int] | None = None,
) -> list[Notification]:
    """Tell ``recipients`` (people the caller has found may see the target) about
    ``url`` (a portal path) named by ``target_text``, in the sentence ``text``.

    Each person gets what they chose for ``kind`` (a declared kind's name): nothing,
    a notification in the portal, and for "email" an email queued now in this
    transaction, the generic one or ``email(person)``. The actor, people who left and
    people without an address get nothing. The email's unsubscribe link stops
    ``unsubscribe`` (a feature's scope and target, like ("thread", 12)), else the kind.
    Returns the notifications written.
    """
    declared = declared_kind(kind)
    people = list({p.id: p for p in recipients
                   if _reachable(p) and (actor is None or p.id != actor.id)}.values())
    if not people:
        return []
    chosen = _deliveries_of(session, people, declared)
    notes = []
    for person in people:
        delivery = chosen[person.id]
        if delivery is Delivery.OFF:
            continue
        note = Notification(
            user_id=person.id, kind=declared.name, actor_id=actor.id if actor else None, url=url,
            target_text=_fit(target_text, Notification.target_text), text=_fit(text, Notification.text),
            excerpt=_fit(excerpt, Notification.excerpt),
            email_state=(EmailState.WAITING if delivery is Delivery.DIGEST else EmailState.NONE).value,
        )
        session.add(note)
        if delivery is Delivery.EMAIL:
            _email_now(session, person, note, declared, email, unsubscribe or (KIND, declared.name))
            note.email_state = EmailState.SENT.value
        notes.append(note)
    session.flush()
    return notes


def _email_now(session: Session, user: User, note: Notification, kind: NotificationKind,
               email: Callable[[User], Email] | None, unsubscribe: tuple[str, Any]) -> None:
    link = unsubscribe_url(user, *unsubscribe)
    common = {"user": user, "unsubscribe_url": link,
              "preferences_url": external_url("notifications.preferences")}
    if email is None:
        queue_email(session, to=user.email, subject=_fit(note.text, OutboxMessage.subject),
                    template="notifications/notification", plain_text_only=user.plain_text_email,
                    headers=_unsubscribe_headers(link), note=note, kind=kind,
                    target_url=absolute_url(note.url), **common)
        return
    own = email(user)
    queue_email(session, to=user.email, subject=own.subject, template=own.template,
                plain_text_only=user.plain_text_email, headers=_unsubscribe_headers(link),
                attachments=list(own.attachments), **{**own.context, **common})


def _unsubscribe_headers(link: str) -> dict[str, str]:
    """One-click unsubscribe (RFC 8058): mail clients POST to the link."""
    return {"List-Unsubscribe": f"<{link}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}


# The digest


def _queue_summary(session: Session, user: User, notes: list[Notification], subject: str,
                   intro: str) -> None:
    """One email listing ``notes``, which are then sent."""
    link = unsubscribe_url(user, ALL)
    queue_email(
        session, to=user.email, subject=subject, template="notifications/digest",
        plain_text_only=user.plain_text_email, headers=_unsubscribe_headers(link), user=user,
        intro=intro, notes=[(n.text, absolute_url(n.url)) for n in notes], unsubscribe_url=link,
        preferences_url=external_url("notifications.preferences"),
    )
    for note in notes:
        note.email_state = EmailState.SENT.value


def send_digests(session: Session) -> int:
    """One email per person with notifications waiting for the digest, listing them;
    each is sent once. Run daily. Returns how many digests were queued."""
    query = (
        select(Notification).join(User, User.id == Notification.user_id)
        .where(Notification.email_state == EmailState.WAITING, User.deleted_at.is_(None),
               User.email.is_not(None))
        .order_by(Notification.user_id, Notification.id)
    )
    if session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(of=Notification, skip_locked=True)
    by_user: dict[int, list[Notification]] = {}
    for note in session.scalars(query):
        by_user.setdefault(note.user_id, []).append(note)
    for user_id, notes in by_user.items():
        _queue_summary(session, session.get(User, user_id), notes,
                       f"Your daily digest: {len(notes)} new "
                       f"{'notification' if len(notes) == 1 else 'notifications'}",
                       "Here is what happened since your last digest:")
    session.flush()
    return len(by_user)


# In the portal


def unread_count(session: Session, user) -> int:
    if not (user and user.is_authenticated):
        return 0
    return session.scalar(
        select(func.count()).select_from(Notification)
        .where(Notification.user_id == user.id, Notification.read_at.is_(None))
    )


def notifications_page(session: Session, user: User, page: int) -> Page:
    """The person's notifications, newest first, a page at a time."""
    query = select(Notification).where(Notification.user_id == user.id).order_by(Notification.id.desc())
    return paginate(session, query, page, PER_PAGE)


def mark_all_read(session: Session, user: User) -> None:
    session.execute(
        update(Notification).where(Notification.user_id == user.id, Notification.read_at.is_(None))
        .values(read_at=utcnow())
    )


# One-click unsubscribe


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="portal.unsubscribe")


def unsubscribe_token(user: User, scope: str, target: int | str = 0) -> str:
    """A token that stops one scope of email for one person, without signing in: "all",
    "kind" (``target`` is the kind's name) or a scope a feature declares ("thread",
    with the thread's id). Tokens never expire: an old email's link keeps working."""
    return _serializer().dumps({"u": user.id, "k": scope, "t": target})


def unsubscribe_url(user: User, scope: str, target: int | str = 0) -> str:
    return external_url("notifications.unsubscribe", token=unsubscribe_token(user, scope, target))


def read_unsubscribe_token(token: str) -> dict | None:
    try:
        payload = _serializer().loads(token)
    except BadSignature:
        return None
    return payload if isinstance(payload, dict) and {"u", "k", "t"} <= payload.keys() else None


def apply_unsubscribe(session: Session, payload: dict) -> str:
    """Stop what the token names; returns a sentence saying what stopped."""
    user = session.get(User, payload["u"])
    if user is None or user.is_deleted:
        return NO_SUBSCRIPTION
    scope, target = payload["k"], payload["t"]
    if scope == ALL:
        return _stop_all(session, user)
    if scope == KIND:
        return _stop_kind(session, user, target)
    stop = registry().unsubscribes.get(scope)
    return (stop(session, user, target) if stop else None) or NO_SUBSCRIPTION


def _stop_all(session: Session, user: User) -> str:
    emailed = {name: Delivery.PORTAL.value for name, d in deliveries(session, user).items() if d.emails}
    save_deliveries(session, user, emailed)
    return ("You will get no more notification emails. They still appear in your notifications, "
            "and you can turn emails on again in your notification preferences.")


def _stop_kind(session: Session, user: User, name) -> str:
    kind = registry().notification_kinds.get(name) if isinstance(name, str) else None
    if kind is None:
        return NO_SUBSCRIPTION
    if deliveries(session, user)[kind.name].emails:
        save_deliveries(session, user, {kind.name: Delivery.PORTAL.value})
    return (f"You will get no more emails about {about(kind)}. They still "
            "appear in your notifications, and you can change this in your notification preferences.")
