from sqlalchemy import select

from portal.blueprints.accounts.models import User
from portal.core.mail import OutboxMessage


def test_register_creates_unverified_member_and_queues_link(browser, session):
    browser.get("/register")
    response = browser.submit(
        {
            "display_name": "  Leila Haddad  ",
            "email": "Leila@Example.org ",
            "password": "a long enough passphrase",
            "confirm_password": "a long enough passphrase",
            "participation": "mentee",
        },
        button="Create account",
    )
    assert response.status_code == 200
    assert "Check your email" in browser.html
    user = session.scalar(select(User).where(User.email == "leila@example.org"))
    assert user.display_name == "Leila Haddad"
    assert not user.is_verified
    mail = session.scalars(select(OutboxMessage).where(OutboxMessage.recipient == "leila@example.org")).one()
    assert "/verify/" in mail.text_body
