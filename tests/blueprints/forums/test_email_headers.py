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
def test_a_title_with_line_breaks_cannot_add_email_headers(browser, session, category, member, other, title):
    services.subscribe_category(session, category, other)
    session.commit()
    sign_in(browser, member)
    browser.get(f"/forums/c/{category.slug}/new")
    browser.submit({"title": title, "body": "Hello all"}, button="Post")
    messages = outbox(session, other.email)
    assert len(messages) == 1
    for message in messages:
        assert "\n" not in message.subject and "\r" not in message.subject
        parsed = email.message_from_bytes(build_message(message).as_bytes(), policy=email.policy.default)
        assert parsed["Bcc"] is None and parsed["Reply-To"] is None and parsed["X-Spam"] is None
        assert parsed["Subject"] == message.subject == "New thread in Finding a mentor: “" + " ".join(title.split()) + "”"
