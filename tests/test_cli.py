"""Operator commands, run through Flask's CLI runner inside the test's transaction."""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace

import pytest
from sqlalchemy import func, select, update

from portal import create_app, schema
from portal.blueprints.accounts.demo import DEMO_PASSWORD, DEMO_PEOPLE
from portal.blueprints.accounts.models import User
from portal.blueprints.accounts.passwords import verify_password
from portal.blueprints.accounts.services import find_by_email
from portal.blueprints.events.demo import COMMUNITY
from portal.blueprints.events.models import Event
from portal.core.db import utcnow
from portal.core.mail import queue_email
from portal.extensions import db
from tests.blueprints.accounts.factories import make_user
from tests.helpers import test_settings

PASSPHRASE = "a long enough passphrase"
DEMO_EMAILS = [account.email for account, _ in DEMO_PEOPLE]


def flask(app, *args: str, input: str | None = None):
    return app.test_cli_runner().invoke(args=list(args), input=input)


def create_user(app, email: str, password: str, name: str = "Priya Natarajan"):
    return flask(app, "create-user", email, "--name", name, "--role", "manager", "--password-stdin",
                 input=password + "\n")


def count_users(session, emails: list[str]) -> int:
    return session.scalar(select(func.count()).select_from(User).where(User.email.in_(emails)))


def test_create_user_makes_a_verified_account_with_the_role(app, session):
    result = create_user(app, " Priya@Example.org ", PASSPHRASE)

    assert result.exit_code == 0, result.output
    assert result.output == "Created priya@example.org (Community manager).\n"
    session.rollback()  # keeps only what the command committed
    user = find_by_email(session, "priya@example.org")
    assert (user.display_name, user.role) == ("Priya Natarajan", "manager")
    assert user.is_verified
    assert verify_password(user.password_hash, PASSPHRASE)


@pytest.mark.parametrize(
    ("email", "password", "name", "message"),
    [
        ("priya@example.org", "password", "Priya", "one of the most common"),
        ("priya@example.org", "short", "Priya", "at least 8 characters"),
        ("priya@example.org", "", "Priya", "at least 8 characters"),
        ("priya@example.org", "priya@example.org", "Priya", "must not be your email address"),
        ("priya.example.org", PASSPHRASE, "Priya", "not an email address"),
        ("priya@example.org", PASSPHRASE, "   ", "Give a display name"),
        ("priya@example.org", PASSPHRASE, "P" * 81, "80 characters or fewer"),
    ],
)
def test_create_user_refuses_bad_input_clearly(app, session, email, password, name, message):
    result = create_user(app, email, password, name=name)

    assert result.exit_code == 1
    assert result.output.startswith("Error: ")
    assert message in result.output
    assert count_users(session, [email]) == 0


def test_create_user_refuses_an_email_already_taken(app, session):
    make_user(session, email="priya@example.org")

    result = create_user(app, "PRIYA@example.org", PASSPHRASE)

    assert result.exit_code == 1
    assert result.output == "Error: An account with PRIYA@example.org already exists\n"
    assert count_users(session, ["priya@example.org"]) == 1


def test_seed_demo_loads_demo_people_and_events_once(app, session):
    assert session.scalar(select(func.count()).select_from(User)) == 0

    first = flask(app, "seed-demo", "--if-empty")
    again = flask(app, "seed-demo")

    for result in (first, again):
        assert result.exit_code == 0, result.output
        assert result.output == (
            "Demo data ready: 4 demo accounts (password 'demo-password'), 30 events, "
            "66 forum threads, 8 approved mentors and 2 mentor requests waiting, 1 suspension.\n")
    session.rollback()  # keeps only what the commands committed
    assert count_users(session, DEMO_EMAILS) == 4
    assert session.scalar(select(func.count()).select_from(User)) == 4 + len(COMMUNITY)
    assert session.scalar(select(func.count()).select_from(Event)) == 30
    manager = find_by_email(session, "manager@example.org")
    assert (manager.role, manager.timezone) == ("manager", "Asia/Kolkata")
    assert manager.is_verified
    assert verify_password(manager.password_hash, DEMO_PASSWORD)


def test_seed_demo_if_empty_leaves_a_database_with_accounts_alone(app, session):
    make_user(session)

    result = flask(app, "seed-demo", "--if-empty")

    assert result.exit_code == 0
    assert result.output == "The database already has accounts; demo data not loaded.\n"
    assert count_users(session, DEMO_EMAILS) == 0


def test_mail_worker_once_delivers_due_mail_and_prints_counts(app, session, monkeypatch, tmp_path):
    monkeypatch.setitem(app.config, "MAIL_SERVER", None)
    monkeypatch.setattr(app, "instance_path", str(tmp_path))
    due, later = (
        queue_email(session, to=to, subject="Reset", template="accounts/reset_password",
                    user=SimpleNamespace(display_name="Zoë"), reset_url="http://portal.test/r")
        for to in ("due@example.org", "later@example.org")
    )
    later.next_attempt_at = utcnow() + timedelta(hours=1)
    session.flush()

    result = flask(app, "mail-worker", "--once")

    assert result.exit_code == 0, result.output
    assert result.output == "Sent 1, failed 0.\n"
    assert (due.status, later.status) == ("sent", "queued")
    assert len(list((tmp_path / "mail").glob("*.eml"))) == 1


@pytest.fixture
def scratch_app(database_url, tmp_path):
    """An app of its own on an empty SQLite file: `db check` reads through its own
    connection, which the test database's open outer transaction would block."""
    url = "sqlite:///" + str(tmp_path / "scratch.sqlite3")
    scratch = create_app(test_settings(url), instance_path=str(tmp_path))
    yield scratch
    db.state(scratch).engine.dispose()


def test_db_check_passes_when_the_models_match_the_migrations(scratch_app):
    with scratch_app.app_context():
        schema.upgrade(db.engine)
        result = flask(scratch_app, "db", "check")

    assert result.exit_code == 0, result.output
    assert result.output == ""


def test_db_check_fails_and_lists_changes_on_an_unmigrated_database(scratch_app):
    with scratch_app.app_context():
        result = flask(scratch_app, "db", "check")

    assert result.exit_code == 1
    assert "pending: ('add_table', Table('user_account'" in result.output


def test_db_upgrade_renders_again_what_an_older_renderer_wrote(scratch_app):
    with scratch_app.app_context():
        schema.upgrade(db.engine)
        person = make_user(db.session, bio="I *mentor* analysts")
        db.session.commit()
        db.session.execute(update(User).where(User.id == person.id).values(bio_html="", markdown_version=0))
        db.session.commit()
        result = flask(scratch_app, "db", "upgrade")
        db.session.expire_all()
        assert db.session.get(User, person.id).bio_html == "<p>I <em>mentor</em> analysts</p>\n"
        db.session.remove()

    assert result.exit_code == 0, result.output
    assert "Rendered 1 text with Markdown." in result.output


def test_the_scheduler_runs_every_features_jobs_once(app, session):
    result = flask(app, "scheduler", "--once")
    assert result.exit_code == 0, result.output
    assert sorted(result.output.splitlines()) == ["digests: 0", "reminders: 0"]
