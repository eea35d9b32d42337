"""Profile, preferences, email address and leaving."""

import re

import pytest
from sqlalchemy import select

from portal.blueprints.accounts.models import FORMER_MEMBER, User
from portal.core.mail import OutboxMessage
from tests.blueprints.accounts.factories import PASSWORD, make_user, sign_in
from tests.helpers import Browser, forms_in, links


@pytest.fixture
def member(session):
    return make_user(session, display_name="Ada", email="ada@example.org")


@pytest.fixture
def signed_in(browser, member):
    sign_in(browser, member)
    return browser


PROFILE = {
    "display_name": "Ada L.",
    "pronouns": "she/her",
    "participation": "both",
    "bio": "I mentor **new** analysts.",
    "timezone": "America/New_York",
    "languages": "English, French",
    "interests": "data, mentoring",
}


def test_profile_is_saved_and_shown_to_members(app, signed_in, session, member):
    signed_in.get("/account/profile")
    assert 'value="Europe/London"' in signed_in.html, "the site's zone is offered until one is chosen"
    signed_in.submit(PROFILE, button="Save profile")
    assert "Your profile has been saved." in signed_in.html
    session.expire_all()
    saved = session.get(User, member.id)
    assert (saved.display_name, saved.timezone, saved.participation) == ("Ada L.", "America/New_York", "both")
    viewer = Browser(app.test_client())
    sign_in(viewer, make_user(session))
    viewer.get(f"/people/{member.id}")
    assert "<strong>new</strong>" in viewer.html
    assert "ada@example.org" not in viewer.html
    assert "EST" in viewer.html or "EDT" in viewer.html or "GMT" in viewer.html


def test_attendee_list_choice_and_usual_access_needs_are_saved(signed_in, session, member):
    signed_in.get("/account/profile")
    form = next(form for form in forms_in(signed_in.html) if form.action == "/account/profile")
    assert ("show_in_attendee_lists", "y") in form.fields, "on by default"
    signed_in.submit({**PROFILE, "show_in_attendee_lists": False, "usual_needs_captions": True,
                      "usual_needs_other": "Step-free access"}, button="Save profile")
    assert "Your profile has been saved." in signed_in.html
    session.expire_all()
    saved = session.get(User, member.id)
    assert not saved.show_in_attendee_lists
    assert (saved.usual_needs_captions, saved.usual_needs_interpreter, saved.usual_needs_other) == (
        True, False, "Step-free access")


def test_public_profile_needs_sign_in(client, member):
    assert client.get(f"/people/{member.id}").status_code == 302


def test_missing_profile_is_404(signed_in):
    assert signed_in.get("/people/999999").status_code == 404


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"timezone": "Mars/Olympus"}, "Enter a time zone name from the list"),
        ({"timezone": "london"}, "Did you mean Europe/London?"),
        ({"display_name": " "}, "Enter your display name"),
        ({"bio": "b" * 1001}, "1000 characters or fewer (you entered 1001)"),
        ({"pronouns": "p" * 41}, "Pronouns must be 40 characters or fewer"),
        ({"usual_needs_other": "n" * 501}, "Your usual access needs must be 500 characters or fewer"),
    ],
)
def test_profile_errors_keep_what_was_typed(signed_in, changes, message):
    signed_in.get("/account/profile")
    response = signed_in.submit({**PROFILE, **changes}, button="Save profile", follow=False)
    assert response.status_code == 422
    assert message in signed_in.html
    assert "I mentor **new** analysts." in signed_in.html or "b" * 1001 in signed_in.html


def test_preferences_apply_to_every_page(signed_in, session, member):
    signed_in.get("/account/preferences")
    signed_in.submit(
        {"reduced_motion": True, "high_contrast": True, "large_text": True, "low_data": True,
         "show_remote_images": True, "plain_text_email": True},
        button="Save preferences",
    )
    assert "Your preferences have been saved." in signed_in.html
    assert 'class="pref-reduced-motion pref-high-contrast pref-large-text"' in signed_in.html
    session.expire_all()
    saved = session.get(User, member.id)
    assert saved.low_data and saved.plain_text_email and saved.show_remote_images


def test_preferences_with_htmx_return_the_form_a_visible_confirmation_and_an_announcement(signed_in):
    signed_in.get("/account/preferences")
    response = signed_in.submit({"low_data": True}, button="Save preferences", follow=False,
                                headers={"HX-Request": "true"})
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert body.startswith('<div id="preferences"')
    assert '<div class="notice notice-success"><p>Your preferences have been saved.</p></div>' in body, "seen"
    assert '<div id="live-region" data-hx-swap-oob="innerHTML">Your preferences have been saved.</div>' in body


def test_preferences_lead_to_the_choice_of_notifications(signed_in):
    signed_in.get("/account/preferences")
    assert ("Choose how you hear about replies, mentions, events and more",
            "/account/notifications") in links(signed_in.html)
    assert 'type="radio"' not in signed_in.html, "how notifications arrive is chosen per kind there"


def test_low_data_mode_shows_images_as_links(signed_in, session, member):
    member.bio = "![A chart of progress](https://example.org/chart.png)"
    member.low_data = True
    session.flush()
    signed_in.get(f"/people/{member.id}")
    assert "<img" not in signed_in.html
    assert "Image: A chart of progress" in signed_in.html


def test_change_email_asks_the_password_and_confirms_the_new_address(signed_in, session, member):
    signed_in.get("/account/email")
    response = signed_in.submit({"email": "new@example.org", "password": "wrong"}, button="Send the link",
                                follow=False)
    assert response.status_code == 422
    assert "Your password is not right" in signed_in.html
    assert 'value="new@example.org"' in signed_in.html
    signed_in.submit({"email": "new@example.org", "password": PASSWORD}, button="Send the link")
    assert "We have sent a link to new@example.org" in signed_in.html
    message = session.scalars(select(OutboxMessage).where(OutboxMessage.recipient == "new@example.org")).one()
    link = re.search(r"http://portal\.test(/email/confirm/\S+)", message.text_body).group(1)
    signed_in.get(link)
    signed_in.submit(button="Use my new email address")
    assert "Your email address is now new@example.org." in signed_in.html
    session.expire_all()
    assert session.get(User, member.id).email == "new@example.org"
    notice = session.scalars(select(OutboxMessage).where(OutboxMessage.recipient == "ada@example.org")).one()
    assert notice.subject == "Your email address was changed"
    signed_in.get(link)
    assert signed_in.submit(button="Use my new email address").status_code == 400


def test_change_email_refuses_an_address_in_use(signed_in, session):
    make_user(session, email="other@example.org")
    signed_in.get("/account/email")
    response = signed_in.submit({"email": "other@example.org", "password": PASSWORD}, button="Send the link",
                                follow=False)
    assert response.status_code == 422
    assert "Another account uses that email address" in signed_in.html


def test_delete_needs_confirmation_then_keeps_a_former_member(signed_in, session, member):
    signed_in.get("/account/delete")
    response = signed_in.submit({"password": PASSWORD}, button="Delete my account", follow=False)
    assert response.status_code == 422
    assert "Tick the box" in signed_in.html
    signed_in.submit({"password": PASSWORD, "confirm": True}, button="Delete my account")
    assert "Your account has been deleted." in signed_in.html
    session.expire_all()
    gone = session.get(User, member.id)
    assert gone.email is None and gone.password_hash is None
    assert gone.public_name == FORMER_MEMBER
    assert signed_in.get("/account").status_code == 302
    browser = Browser(signed_in.client)
    assert sign_in(browser, member).status_code == 422


def test_the_last_admin_cannot_delete_themselves(browser, session):
    from portal.core.permissions import Role

    admin = make_user(session, role=Role.ADMIN)
    sign_in(browser, admin)
    browser.get("/account/delete")
    response = browser.submit({"password": PASSWORD, "confirm": True}, button="Delete my account", follow=False)
    assert response.status_code == 422
    assert "only admin" in browser.html


def _confirm_link(session, address: str) -> str:
    message = session.scalars(select(OutboxMessage).where(OutboxMessage.recipient == address)).one()
    return re.search(r"http://portal\.test(/email/confirm/\S+)", message.text_body).group(1)


def test_only_the_newest_email_change_link_works(signed_in, session, member):
    for address in ("first@example.org", "second@example.org"):
        signed_in.get("/account/email")
        signed_in.submit({"email": address, "password": PASSWORD}, button="Send the link")
    older, newer = _confirm_link(session, "first@example.org"), _confirm_link(session, "second@example.org")

    signed_in.get(older)
    assert signed_in.submit(button="Use my new email address").status_code == 400
    assert "use the link in the newest email" in signed_in.html
    signed_in.get(newer)
    signed_in.submit(button="Use my new email address")
    session.expire_all()
    assert session.get(User, member.id).email == "second@example.org"
