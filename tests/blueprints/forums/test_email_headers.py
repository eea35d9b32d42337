"""Text people type reaches email subjects (thread titles, category names): line breaks
in it must never become new header lines."""

from __future__ import annotations

import email
import email.policy

import pytest

from portal.blueprints.forums import services
from portal.core.mail import build_message
from tests.blueprints.accounts.factories import sign_in
from tests.helpers import outbox

INJECTED = ["Hello\r\nBcc: evil@example.org", "Hello\nReply-To: evil@example.org\n\nFake body", "Hello\rX-Spam: no"]


@pytest.mark.parametrize("title", INJECTED)
def test_a_title_with_line_breaks_is_refused_by_the_form(browser, session, category, member, other, title):
    sign_in(browser, member)
    browser.get(f"/forums/c/{category.slug}/new")
    response = browser.submit({"title": title, "body": "Hello all"}, button="Post", follow=False)
    assert response.status_code == 422
    assert "The title must be on one line" in browser.html
    assert outbox(session, other.email) == []


@pytest.mark.parametrize("title", INJECTED)
def test_a_title_with_line_breaks_cannot_add_email_headers(session, category, member, other, title):
    """Behind the form, the mail layer holds too (titles from demo data, imports, commands)."""
    services.subscribe_category(session, category, other)
    services.start_thread(session, category, member, title, "Hello all")
    messages = outbox(session, other.email)
    assert len(messages) == 1
    for message in messages:
        assert "\n" not in message.subject and "\r" not in message.subject
        parsed = email.message_from_bytes(build_message(message).as_bytes(), policy=email.policy.default)
        assert parsed["Bcc"] is None and parsed["Reply-To"] is None and parsed["X-Spam"] is None
        assert parsed["Subject"] == message.subject == "New thread in Finding a mentor: “" + " ".join(title.split()) + "”"
