"""The outbox: mail is queued in the caller's transaction and delivered through real SMTP.

An aiosmtpd server on loopback plays the mail server. Flask-Mail reads its
settings once, in ``mail.init_app``, so each test patches the settings and
rebuilds the app's mail state the same way; the rows stay in the test's
rolled-back transaction.
"""

from __future__ import annotations

import email
import re
import socket
from datetime import timedelta
from email import policy
from html.parser import HTMLParser
from pathlib import Path
from types import SimpleNamespace

import pytest
from aiosmtpd.controller import Controller
from jinja2 import ChainableUndefined
from sqlalchemy import func, select

from portal.core import mail as mail_module
from portal.core.db import utcnow
from portal.core.mail import LEASE, OutboxMessage, deliver_due, queue_email
from portal.extensions import mail

EMAILS = Path(__file__).resolve().parents[2] / "portal" / "templates" / "emails"
SUBJECT = "Bienvenue, Zoë: confirm your email address"
VERIFY_URL = "http://portal.test/verify/token-123?next=%2Fprofile&source=mail"


class Inbox:
    """An aiosmtpd handler that keeps every message it accepts, or refuses them all."""

    def __init__(self) -> None:
        self.received: list[tuple[list[str], email.message.EmailMessage]] = []
        self.refusal: str | None = None

    async def handle_DATA(self, server, session, envelope) -> str:
        if self.refusal:
            return self.refusal
        message = email.message_from_bytes(envelope.content, policy=policy.default)
        self.received.append((envelope.rcpt_tos, message))
        return "250 Message accepted for delivery"


class WorkerKilled(BaseException):
    """Stands for the worker process dying: not an Exception, so nothing in it catches it."""


class _Links(HTMLParser):
    """The links of an HTML email, and the text a reader sees."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.hrefs: list[str] = []
        self.text: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs) -> None:
        self.hrefs += [value for name, value in attrs if tag == "a" and name == "href"]

    def handle_data(self, data) -> None:
        self.text.append(data)


def links_in(html: str) -> list[str]:
    return _Links(html).hrefs


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def parts(message: email.message.EmailMessage) -> list[str]:
    return [part.get_content_type() for part in message.walk() if not part.is_multipart()]


@pytest.fixture
def use_smtp(app, monkeypatch):
    """Send the app's mail to 127.0.0.1:<port> for one test."""

    def use(port: int) -> None:
        monkeypatch.setitem(app.config, "MAIL_SERVER", "127.0.0.1")
        monkeypatch.setitem(app.config, "MAIL_PORT", port)
        monkeypatch.setitem(app.extensions, "mail", mail.init_mail(app.config))

    return use


@pytest.fixture
def inbox(use_smtp):
    handler = Inbox()
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    use_smtp(port)
    yield handler
    controller.stop()


@pytest.fixture
def mail_folder(app, monkeypatch, tmp_path) -> Path:
    """No MAIL_SERVER, and an instance folder of this test's own."""
    monkeypatch.setitem(app.config, "MAIL_SERVER", None)
    monkeypatch.setattr(app, "instance_path", str(tmp_path))
    return tmp_path / "mail"


def queue_verification(session, to: str = "zoe@example.org", **options) -> OutboxMessage:
    return queue_email(
        session,
        to=to,
        subject=SUBJECT,
        template="accounts/verify_email",
        user=SimpleNamespace(display_name="Zoë Ørsted"),
        verify_url=VERIFY_URL,
        **options,
    )


def assert_is_the_verification(message: email.message.EmailMessage) -> None:
    assert message["To"] == "zoe@example.org"
    assert message["Subject"] == SUBJECT
    assert parts(message) == ["text/plain", "text/html"]
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert "Hello Zoë Ørsted" in text
    assert "Hello Zoë Ørsted" in html
    assert links_in(html) == [VERIFY_URL]
    assert VERIFY_URL in text


def test_queued_message_arrives_with_text_and_html_parts(session, inbox):
    row = queue_verification(session)

    assert deliver_due(session) == (1, 0)

    ((recipients, message),) = inbox.received
    assert recipients == ["zoe@example.org"]
    assert message["From"] == "Mentoring Circle <no-reply@localhost>"
    assert_is_the_verification(message)
    assert (row.status, row.attempts, row.last_error) == ("sent", 1, None)
    assert row.sent_at is not None


def test_sent_message_is_not_sent_again(session, inbox):
    queue_verification(session)
    deliver_due(session)

    assert deliver_due(session, now=utcnow() + timedelta(days=1)) == (0, 0)
    assert len(inbox.received) == 1


def test_plain_text_preference_sends_a_single_text_part(session, inbox):
    row = queue_verification(session, plain_text_only=True)

    deliver_due(session)

    ((_, message),) = inbox.received
    assert row.html_body is None
    assert not message.is_multipart()
    assert message.get_content_type() == "text/plain"
    assert VERIFY_URL in message.get_content()


def test_refused_message_is_retried_after_waits_of_1_2_4_minutes(session, inbox):
    inbox.refusal = "451 Try again later"
    row = queue_verification(session)

    for attempt, minutes in enumerate((1, 2, 4), start=1):
        before = utcnow()
        assert deliver_due(session, now=row.next_attempt_at) == (0, 1)
        wait = timedelta(minutes=minutes)
        assert before + wait <= row.next_attempt_at <= utcnow() + wait
        assert (row.status, row.attempts) == ("queued", attempt)
        assert "451" in row.last_error and "Try again later" in row.last_error
        assert deliver_due(session, now=row.next_attempt_at - timedelta(seconds=1)) == (0, 0)

    inbox.refusal = None
    assert deliver_due(session, now=row.next_attempt_at) == (1, 0)
    assert (row.status, row.attempts) == ("sent", 4)
    assert len(inbox.received) == 1


def test_unreachable_server_makes_a_dead_message_that_is_kept(app, session, use_smtp, monkeypatch):
    monkeypatch.setitem(app.config, "MAIL_MAX_ATTEMPTS", 3)
    use_smtp(free_port())  # nothing listens there
    row = queue_verification(session)

    for _ in range(3):
        assert deliver_due(session, now=row.next_attempt_at) == (0, 1)

    assert deliver_due(session, now=utcnow() + timedelta(days=1)) == (0, 0)
    session.expire_all()
    kept = session.get(OutboxMessage, row.id)
    assert (kept.status, kept.attempts) == ("dead", 3)
    assert kept.last_error.startswith("ConnectionRefusedError")
    assert VERIFY_URL in kept.text_body
    assert kept.sent_at is None


def test_message_claimed_by_a_worker_that_died_is_sent_after_the_lease(session, inbox, monkeypatch):
    row = queue_verification(session)
    now = utcnow()

    def die(message, recipient):
        raise WorkerKilled

    with monkeypatch.context() as patch:
        patch.setattr(mail_module, "_smtp_send", die)
        with pytest.raises(WorkerKilled):
            deliver_due(session, now=now)
    session.rollback()  # the dead worker's open transaction is lost; its claim was committed

    assert (row.status, row.attempts, row.next_attempt_at) == ("queued", 0, now + LEASE)
    assert deliver_due(session, now=now + LEASE - timedelta(seconds=1)) == (0, 0)
    assert deliver_due(session, now=now + LEASE) == (1, 0)
    assert len(inbox.received) == 1


def test_mail_queued_in_a_transaction_that_rolls_back_is_never_sent(session, inbox):
    queue_verification(session, to="rolled-back@example.org")

    session.rollback()

    queued = select(func.count()).where(OutboxMessage.recipient == "rolled-back@example.org")
    assert session.scalar(queued) == 0
    assert deliver_due(session) == (0, 0)
    assert inbox.received == []


def test_without_mail_server_mail_is_written_to_the_instance_folder(session, mail_folder):
    row = queue_verification(session)

    assert deliver_due(session) == (1, 0)

    (path,) = mail_folder.glob("*.eml")
    assert path.name.endswith(f"-{row.id:06d}.eml")
    assert_is_the_verification(email.message_from_bytes(path.read_bytes(), policy=policy.default))
    assert row.status == "sent"


def email_templates() -> list[str]:
    """Every email, not the partials (``_name``) they include."""
    return sorted(
        str(path.relative_to(EMAILS).with_suffix(""))
        for path in EMAILS.rglob("*.txt")
        if not path.name.startswith("_")
    )


def sample_urls() -> dict[str, str]:
    """A distinct address, with a query string to escape, for every ``*_url`` the emails use."""
    names = {
        name
        for path in EMAILS.rglob("*.*")
        for name in re.findall(r"\b([a-z_]+_url)\b", path.read_text(encoding="utf-8"))
    }
    return {name: f"http://portal.test/{name}?token=t0k3n&next=%2F" for name in names}


@pytest.mark.parametrize("template", email_templates())
def test_every_link_in_an_email_is_also_a_visible_url(app, session, monkeypatch, template):
    # Only the URLs matter here: any other value the email reads renders as nothing.
    monkeypatch.setattr(app.jinja_env, "undefined", ChainableUndefined)
    urls = sample_urls()

    row = queue_email(session, to="zoe@example.org", subject="Subject", template=template, **urls)

    html = _Links(row.html_body)
    for href in html.hrefs:
        assert href in urls.values(), f"{template}.html links to {href!r}, not a known URL"
        assert href in "".join(html.text), f"{template}.html does not show {href} as text"
        assert href in row.text_body, f"{template}.txt does not show {href}"


def test_a_server_that_accepts_and_then_stalls_times_out_and_is_retried(session, use_smtp, app, monkeypatch):
    listener = socket.create_server(("127.0.0.1", 0))
    try:
        use_smtp(listener.getsockname()[1])
        monkeypatch.setitem(app.config, "MAIL_TIMEOUT", 0.5)
        row = queue_verification(session)

        assert deliver_due(session) == (0, 1)

        assert (row.status, row.attempts) == ("queued", 1)
        assert "timed out" in row.last_error
    finally:
        listener.close()
