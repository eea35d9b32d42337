"""Account rules. Functions take the session and plain values; they flush, never commit."""

from __future__ import annotations

import hashlib
import logging
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, or_, select, update
from sqlalchemy.orm import Session, joinedload

from portal.blueprints.accounts import mentoring, passwords, tokens
from portal.blueprints.accounts.models import FORMER_MEMBER, SignIn, User
from portal.core.db import utcnow
from portal.core.mail import external_url, queue_email
from portal.core.permissions import Role

log = logging.getLogger("portal.accounts")


class AccountError(Exception):
    """A rule stopped the change; ``field`` names the form field to show ``message`` beside."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


def normalise_email(email: str) -> str:
    return email.strip().lower()


def find_by_email(session: Session, email: str) -> User | None:
    return session.scalar(select(User).where(User.email == normalise_email(email)))


def _mail(session: Session, user: User, to: str, subject: str, template: str, **context) -> None:
    queue_email(
        session,
        to=to,
        subject=subject,
        template=template,
        plain_text_only=user.plain_text_email,
        user=user,
        **context,
    )


# Registration and verification


def register(
    session: Session, *, email: str, display_name: str, password: str, participation: str
) -> User | None:
    """Create an unverified member and send the verification link.

    When the address already has an account, nobody learns that from the
    page: the owner is emailed instead, and None is returned.
    """
    existing = find_by_email(session, email)
    if existing is not None:
        # The same work as a new account (hashing is most of it), so the time taken does
        # not tell whether the address is registered.
        passwords.hash_password(password)
        _mail(
            session,
            existing,
            existing.email,
            "Someone tried to register with your email address",
            "accounts/already_registered",
            sign_in_url=external_url("accounts.sign_in"),
            reset_url=external_url("accounts.forgot_password"),
        )
        return None
    user = User(
        email=normalise_email(email),
        display_name=display_name.strip(),
        password_hash=passwords.hash_password(password),
        participation=participation,
    )
    session.add(user)
    session.flush()
    send_verification(session, user)
    return user


def verification_token(user: User) -> str:
    return tokens.make_token(tokens.VERIFY_EMAIL, {"id": user.id, "email": user.email})


def send_verification(session: Session, user: User) -> None:
    _mail(
        session,
        user,
        user.email,
        "Confirm your email address",
        "accounts/verify_email",
        verify_url=external_url("accounts.verify_email", token=verification_token(user)),
    )


def verify_email(session: Session, token: str, max_age: int) -> User:
    """Mark the address in ``token`` verified; raise TokenError when the link cannot be used."""
    payload = tokens.read_token(tokens.VERIFY_EMAIL, token, max_age)
    user = session.get(User, payload.get("id"))
    if user is None or user.is_deleted or user.email != payload.get("email"):
        raise tokens.TokenError("invalid")
    if user.is_verified:
        raise tokens.TokenError("used")
    user.email_verified_at = utcnow()
    session.flush()
    return user


# Signing in


def authenticate(session: Session, email: str, password: str) -> User | None:
    """The active account matching both, or None; upgrades old hashes on the way."""
    user = find_by_email(session, email)
    if not passwords.verify_password(user.password_hash if user else None, password):
        return None
    if user.is_deleted:
        return None
    if passwords.needs_rehash(user.password_hash):
        user.password_hash = passwords.hash_password(password)
    session.flush()
    return user


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def start_sign_in(session: Session, user: User, lasts: timedelta, now: datetime | None = None) -> bool:
    """Record a new sign-in for this browser, ending after ``lasts``; the key goes into the
    cookie through ``user.get_id()``. The person's ended and expired sign-ins are cleared.
    True when this is the person's first sign-in ever."""
    now = now or utcnow()
    first = user.last_seen_at is None
    user.last_seen_at = now
    session.execute(delete(SignIn).where(SignIn.user_id == user.id,
                                         or_(SignIn.ended_at.is_not(None), SignIn.expires_at <= now)))
    user.sign_in_key = secrets.token_urlsafe(32)
    session.add(SignIn(user_id=user.id, key_digest=_digest(user.sign_in_key), created_at=now,
                       expires_at=now + lasts))
    session.flush()
    return first


def end_sign_in(session: Session, user: User) -> None:
    """End this browser's sign-in on the server: a copy of its cookie no longer works."""
    if user.sign_in_key:
        session.execute(update(SignIn).where(SignIn.key_digest == _digest(user.sign_in_key))
                        .values(ended_at=utcnow()))


def load_session_user(session: Session, session_id: str) -> User | None:
    """The user a cookie names, while its session version is current and its sign-in has
    neither ended nor expired on the server."""
    user_id, version, key = (session_id.split(":") + ["", ""])[:3]
    if not (user_id.isdigit() and version.isdigit() and key):
        return None
    # Mentor status comes in the same query: permission checks read it on most pages.
    user = session.scalar(
        select(User).join(SignIn, SignIn.user_id == User.id)
        .where(User.id == int(user_id), SignIn.key_digest == _digest(key), SignIn.ended_at.is_(None),
               SignIn.expires_at > utcnow())
        .options(joinedload(User.mentorship))
    )
    if user is None or user.is_deleted or user.session_version != int(version):
        return None
    user.sign_in_key = key
    return user


def sign_out_everywhere(session: Session, user: User) -> None:
    """Revoke every cookie issued to ``user`` so far, and end their sign-ins."""
    user.session_version += 1
    session.execute(update(SignIn).where(SignIn.user_id == user.id, SignIn.ended_at.is_(None))
                    .values(ended_at=utcnow()))
    session.flush()


# Passwords


def _password_fingerprint(user: User) -> str:
    return tokens.fingerprint(user.id, user.password_hash)


def request_password_reset(session: Session, email: str) -> None:
    """Email a reset link when the address has an account; say nothing either way."""
    user = find_by_email(session, email)
    if user is None or user.is_deleted:
        log.info("password reset requested for an unknown address")
        return
    token = tokens.make_token(tokens.RESET_PASSWORD, {"id": user.id, "fp": _password_fingerprint(user)})
    _mail(
        session,
        user,
        user.email,
        "Reset your password",
        "accounts/reset_password",
        reset_url=external_url("accounts.reset_password", token=token),
    )


def send_unlock_link(session: Session, email: str) -> None:
    """Email the owner of ``email`` (when it has an account) a link that lets one browser
    past the pause on the account's sign-ins; say nothing either way."""
    user = find_by_email(session, email)
    if user is None or user.is_deleted:
        return
    token = tokens.make_token(tokens.UNLOCK_SIGN_IN, {"id": user.id, "email": normalise_email(user.email)})
    _mail(session, user, user.email, "Someone is trying to sign in to your account", "accounts/unlock",
          unlock_url=external_url("accounts.unlock", token=token))


def unlocked_address(session: Session, token: str, max_age: int) -> str:
    """The address an emailed unlock link was made for, while the account still has it."""
    payload = tokens.read_token(tokens.UNLOCK_SIGN_IN, token, max_age)
    user = session.get(User, payload.get("id"))
    if user is None or user.is_deleted or normalise_email(user.email or "") != payload.get("email"):
        raise tokens.TokenError("invalid")
    return payload["email"]


def user_for_reset(session: Session, token: str, max_age: int) -> User:
    payload = tokens.read_token(tokens.RESET_PASSWORD, token, max_age)
    user = session.get(User, payload.get("id"))
    if user is None or user.is_deleted:
        raise tokens.TokenError("invalid")
    if payload.get("fp") != _password_fingerprint(user):
        raise tokens.TokenError("used")
    return user


def set_password(session: Session, user: User, new_password: str) -> None:
    """Change the password and revoke every existing session (the caller signs in again)."""
    user.password_hash = passwords.hash_password(new_password)
    # A reset link proves control of the address.
    if user.email_verified_at is None:
        user.email_verified_at = utcnow()
    sign_out_everywhere(session, user)
    _mail(session, user, user.email, "Your password was changed", "accounts/password_changed",
          reset_url=external_url("accounts.forgot_password"))


def change_password(session: Session, user: User, current: str, new_password: str) -> None:
    if not passwords.verify_password(user.password_hash, current):
        raise AccountError("current_password", "Your current password is not right")
    set_password(session, user, new_password)


# Email address


def request_email_change(session: Session, user: User, password: str, new_email: str) -> None:
    """Send a confirmation link to the new address; the change happens when it is followed."""
    if not passwords.verify_password(user.password_hash, password):
        raise AccountError("password", "Your password is not right")
    new_email = normalise_email(new_email)
    if new_email == user.email:
        raise AccountError("email", "That is already your email address")
    if find_by_email(session, new_email) is not None:
        raise AccountError("email", "Another account uses that email address; enter a different one")
    user.pending_email = new_email
    token = tokens.make_token(
        tokens.CHANGE_EMAIL, {"id": user.id, "new": new_email, "fp": tokens.fingerprint(user.id, user.email)}
    )
    _mail(session, user, new_email, "Confirm your new email address", "accounts/change_email",
          confirm_url=external_url("accounts.confirm_email_change", token=token), new_email=new_email)
    session.flush()


def confirm_email_change(session: Session, token: str, max_age: int) -> User:
    payload = tokens.read_token(tokens.CHANGE_EMAIL, token, max_age)
    user = session.get(User, payload.get("id"))
    if user is None or user.is_deleted:
        raise tokens.TokenError("invalid")
    if payload.get("fp") != tokens.fingerprint(user.id, user.email):
        raise tokens.TokenError("used")
    new_email = payload["new"]
    if new_email != user.pending_email:
        raise tokens.TokenError("superseded")
    if find_by_email(session, new_email) is not None:
        raise tokens.TokenError("taken")
    old_email = user.email
    user.email = new_email
    user.pending_email = None
    user.email_verified_at = utcnow()
    _mail(session, user, old_email, "Your email address was changed", "accounts/email_changed",
          new_email=new_email)
    session.flush()
    return user


# Leaving


def delete_account(session: Session, user: User, password: str) -> None:
    """Remove what identifies the person; what they wrote stays, from "a former member"."""
    if not passwords.verify_password(user.password_hash, password):
        raise AccountError("password", "Your password is not right")
    if user.role == Role.ADMIN and count_admins(session) <= 1:
        raise AccountError("password", "You are the only admin: make someone else an admin first")
    user.email = None
    user.pending_email = None
    user.password_hash = None
    user.display_name = FORMER_MEMBER
    user.pronouns = user.bio = user.languages = user.interests = ""
    user.deleted_at = utcnow()
    user.role = Role.MEMBER.value
    mentoring.forget(session, user)
    sign_out_everywhere(session, user)


# Roles


def count_admins(session: Session) -> int:
    """How many admins there are, with their rows locked until the transaction ends, so two
    admins demoting each other at once cannot both see the other still there (SQLite's write
    transactions are already one at a time)."""
    query = select(User.id).where(User.role == Role.ADMIN.value, User.deleted_at.is_(None))
    if session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update()
    return len(session.scalars(query).all())


def set_role(session: Session, user: User, role: Role) -> None:
    """Give ``user`` ``role``; the portal always keeps at least one admin."""
    if user.role == Role.ADMIN and role != Role.ADMIN and count_admins(session) <= 1:
        raise AccountError("role", "The portal needs at least one admin: make someone else an admin first")
    user.role = role.value
    session.flush()


@dataclass(frozen=True)
class NewAccount:
    email: str
    display_name: str
    password: str
    role: Role = Role.MEMBER
    participation: str = "mentee"


def create_verified_user(session: Session, account: NewAccount) -> User:
    """An operator-made account, verified at once (``flask create-user``, demo data)."""
    if find_by_email(session, account.email) is not None:
        raise AccountError("email", f"An account with {account.email} already exists")
    user = User(
        email=normalise_email(account.email),
        display_name=account.display_name.strip(),
        password_hash=passwords.hash_password(account.password),
        role=account.role.value,
        participation=account.participation,
        email_verified_at=utcnow(),
    )
    session.add(user)
    session.flush()
    return user
