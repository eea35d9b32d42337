"""The outbox: email is queued in the caller's transaction and delivered by a worker.

A message is written as a row beside the change it reports, so it is sent if
and only if that change commits. The worker claims due rows with a lease: if
it stops mid-way, the lease runs out and the message is tried again, so
nothing is lost (a message may, rarely, arrive twice; it is never dropped).
"""

from __future__ import annotations

import json
import logging
import smtplib
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from flask import current_app, render_template, url_for
from flask_mail import Message
from sqlalchemy import CheckConstraint, Index, String, Text, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from portal.core.db import Base, column_length, utcnow

log = logging.getLogger("portal.mail")

LEASE = timedelta(minutes=5)
BATCH = 50


class OutboxMessage(Base):
    __tablename__ = "outbox_message"
    __table_args__ = (
        CheckConstraint("status IN ('queued', 'sent', 'dead')", name="status"),
        Index("ix_outbox_message_due", "status", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    recipient: Mapped[str] = mapped_column(String(320))
    subject: Mapped[str] = mapped_column(String(200))
    text_body: Mapped[str] = mapped_column(Text)
    html_body: Mapped[str | None] = mapped_column(Text)
    headers_json: Mapped[str] = mapped_column(Text, default="{}")
    attachments_json: Mapped[str] = mapped_column(Text, default="[]")
    status: Mapped[str] = mapped_column(String(10), default="queued")
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_error: Mapped[str | None] = mapped_column(Text, info={"max_length": 1000})
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None]


@dataclass(frozen=True)
class Attachment:
    filename: str
    content_type: str
    data: str


def queue_email(
    session: Session,
    *,
    to: str,
    subject: str,
    template: str,
    plain_text_only: bool = False,
    headers: dict[str, str] | None = None,
    attachments: list[Attachment] | None = None,
    **context,
) -> OutboxMessage:
    """Render ``emails/<template>.txt`` (and ``.html`` unless plain text only) and queue it.

    Only flushes: the message is sent once the caller's transaction commits.
    """
    # The subject often carries what people typed (a thread title): a line break in it
    # would start a new header line, so every run of white space becomes one space.
    subject = " ".join(subject.split())
    context.setdefault("subject", subject)
    text = render_template(f"emails/{template}.txt", **context)
    html = None if plain_text_only else render_template(f"emails/{template}.html", **context)
    message = OutboxMessage(
        recipient=to,
        subject=subject,
        text_body=text,
        html_body=html,
        headers_json=json.dumps(headers or {}),
        attachments_json=json.dumps([a.__dict__ for a in attachments or []]),
    )
    session.add(message)
    session.flush()
    return message


def build_message(row: OutboxMessage) -> Message:
    message = Message(
        subject=row.subject,
        recipients=[row.recipient],
        body=row.text_body,
        html=row.html_body,
        extra_headers=json.loads(row.headers_json),
    )
    for item in json.loads(row.attachments_json):
        message.attach(item["filename"], item["content_type"], item["data"])
    return message


def _write_to_folder(row: OutboxMessage, message: Message) -> Path:
    folder = Path(current_app.instance_path) / "mail"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{row.created_at:%Y%m%d-%H%M%S}-{row.id:06d}.eml"
    path.write_bytes(message.as_bytes())
    return path


def _smtp_send(message: Message, recipient: str) -> None:
    """Send through the configured SMTP server, with a timeout so a stalled server
    cannot hold the worker (Flask-Mail's own connection has none)."""
    cfg = current_app.config
    smtp_class = smtplib.SMTP_SSL if cfg["MAIL_USE_SSL"] else smtplib.SMTP
    with smtp_class(cfg["MAIL_SERVER"], cfg["MAIL_PORT"], timeout=cfg["MAIL_TIMEOUT"]) as smtp:
        if cfg["MAIL_USE_TLS"]:
            smtp.starttls()
        if cfg["MAIL_USERNAME"] and cfg["MAIL_PASSWORD"]:
            smtp.login(cfg["MAIL_USERNAME"], cfg["MAIL_PASSWORD"])
        smtp.sendmail(message.sender, [recipient], message.as_bytes())


def _send(row: OutboxMessage) -> None:
    message = build_message(row)
    if current_app.config.get("MAIL_SERVER"):
        _smtp_send(message, row.recipient)
        log.info("mail sent id=%s", row.id)
    else:
        path = _write_to_folder(row, message)
        log.info("mail written id=%s path=%s", row.id, path)


def backoff(attempts: int) -> timedelta:
    """Wait before the next try: 1, 2, 4, 8... minutes, at most an hour."""
    return timedelta(minutes=min(2 ** max(attempts - 1, 0), 60))


def _claim(session: Session, now: datetime) -> list[OutboxMessage]:
    query = (
        select(OutboxMessage)
        .where(OutboxMessage.status == "queued", OutboxMessage.next_attempt_at <= now)
        .order_by(OutboxMessage.id)
        .limit(BATCH)
    )
    if session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    rows = list(session.scalars(query))
    for row in rows:
        row.next_attempt_at = now + LEASE
    session.commit()
    return rows


def deliver_due(session: Session, now: datetime | None = None) -> tuple[int, int]:
    """Send every due message once; return (sent, failed). Commits per message."""
    now = now or utcnow()
    max_attempts = current_app.config["MAIL_MAX_ATTEMPTS"]
    sent = failed = 0
    for row in _claim(session, now):
        try:
            _send(row)
        except Exception as error:  # any transport failure is retried, never fatal
            failed += 1
            row.attempts += 1
            row.last_error = f"{type(error).__name__}: {error}"[:column_length(OutboxMessage.last_error)]
            if row.attempts >= max_attempts:
                row.status = "dead"
                log.error("mail dead id=%s after %s attempts: %s", row.id, row.attempts, row.last_error)
            else:
                row.next_attempt_at = utcnow() + backoff(row.attempts)
                log.warning("mail retry id=%s attempt=%s: %s", row.id, row.attempts, row.last_error)
        else:
            sent += 1
            row.attempts += 1
            row.status = "sent"
            row.sent_at = utcnow()
        session.commit()
    return sent, failed


def external_url(endpoint: str, **values) -> str:
    """An absolute URL for an email or a feed, always on ``BASE_URL``: never on the request's
    Host header, which whoever sends the request chooses."""
    with current_app.test_request_context(base_url=current_app.config["BASE_URL"]):
        return url_for(endpoint, _external=True, **values)
