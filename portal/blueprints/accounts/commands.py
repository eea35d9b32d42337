"""Account commands: ``flask --app portal create-user``."""

from __future__ import annotations

import sys

import click
from email_validator import EmailNotValidError, validate_email

from portal.blueprints.accounts.models import User
from portal.blueprints.accounts.passwords import problem_with
from portal.blueprints.accounts.services import AccountError, NewAccount, create_verified_user
from portal.core.permissions import Role
from portal.extensions import db


@click.command("create-user")
@click.argument("email")
@click.option("--name", required=True, help="Display name.")
@click.option("--role", type=click.Choice([r.value for r in Role]), default=Role.MEMBER.value)
@click.option("--password-stdin", is_flag=True, required=True, help="Read the password from standard input.")
def create_user(email: str, name: str, role: str, password_stdin: bool) -> None:
    """Create a verified account with EMAIL, without any prompt."""
    password = sys.stdin.readline().rstrip("\r\n")
    problem = _problem_with_account(email, name, password)
    if problem:
        raise click.ClickException(problem)
    try:
        user = create_verified_user(db.session, NewAccount(email, name, password, Role(role)))
    except AccountError as error:
        raise click.ClickException(error.message) from error
    db.session.commit()
    click.echo(f"Created {user.email} ({user.role_label}).")


def _problem_with_account(email: str, name: str, password: str) -> str | None:
    """What stops this account being created, the same rules as registering."""
    try:
        validate_email(email.strip(), check_deliverability=False)
    except EmailNotValidError as error:
        return f"{email.strip()!r} is not an email address: {error}"
    if not name.strip():
        return "Give a display name with --name"
    if len(name.strip()) > User.display_name.type.length:
        return f"The display name must be {User.display_name.type.length} characters or fewer"
    return problem_with(password, email=email, name=name)
