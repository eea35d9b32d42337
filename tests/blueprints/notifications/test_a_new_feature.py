"""A feature added later (``tests.sample_feature``) declares a notification kind and
calls notify(); with no edit to any other feature, its kind is on the preferences page,
and its notifications reach the in-portal list, the email at once and the digest."""

from __future__ import annotations

import pytest

from portal import create_app, features
from portal.blueprints.notifications import services
from portal.extensions import db
from tests import sample_feature
from tests.blueprints.accounts.factories import sign_in
from tests.blueprints.forums.factories import make_person
from tests.helpers import outbox, text_of, words_of
from tests.helpers import test_settings
from tests.helpers import Browser, PortalTestClient


@pytest.fixture
def club(database_url, tmp_path, transaction):
    """The portal with the sample feature installed, on the test's own transaction."""
    app = create_app(test_settings(database_url, FEATURES=[*features.INSTALLED, "tests.sample_feature"]),
                     instance_path=str(tmp_path))
    app.test_client_class = PortalTestClient
    state = db.state(app)
    state.bind, state.join_transaction_mode = transaction, "create_savepoint"
    with app.app_context():
        yield app
        db.session.remove()
    state.engine.dispose()


def test_a_new_features_kind_is_chosen_notified_listed_and_digested(club):
    session = db.session
    reader, keen, chooser = (make_person(session, display_name=name) for name in ("Rae Reader", "Kit Keen", "Cy"))
    session.commit()

    keen_browser = Browser(club.test_client())
    sign_in(keen_browser, keen)
    keen_browser.get("/account/notifications")
    assert "<h2>Bookclub</h2>" in keen_browser.html
    assert "<legend>New books to read together</legend>" in keen_browser.html
    assert "When the club picks its next book." in keen_browser.html
    assert dict(keen_browser.form(button="Save notification preferences").fields)["bookclub-new_book"] == "digest"
    keen_browser.submit({"bookclub-new_book": "email"}, button="Save notification preferences")
    assert "Your notification preferences are saved." in text_of(keen_browser.page)

    sample_feature.announce(session, [reader, keen], "Small Island", chosen_by=chooser)
    session.commit()

    [at_once] = outbox(session, keen.email)
    assert at_once.subject == "The book club's next book is “Small Island”"
    assert "Read it here: http://portal.test/bookclub/" in at_once.text_body
    assert outbox(session, reader.email) == [], "the kind's default is the digest"

    reader_browser = Browser(club.test_client())
    sign_in(reader_browser, reader)
    assert "Notifications (1 new)" in reader_browser.get("/notifications").get_data(as_text=True)
    assert "New: The book club's next book is “Small Island” ," in words_of(reader_browser.page)

    assert services.send_digests(session) == 1
    [digest] = outbox(session, reader.email)
    assert "The book club's next book is “Small Island”" in digest.text_body
    assert "http://portal.test/bookclub/" in digest.text_body


def test_the_installed_portal_does_not_know_the_sample_kind(app):
    assert "bookclub.new_book" not in app.extensions["features"].notification_kinds
