"""Signed, expiring, single-use tokens for links sent by email.

Each token names its purpose (the salt) and carries a fingerprint of the
state it may change; once that state changes (password reset, address
verified) the fingerprint no longer matches, so the link works only once.
"""

from __future__ import annotations

import hashlib
import hmac

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

VERIFY_EMAIL = "verify-email"
RESET_PASSWORD = "reset-password"
CHANGE_EMAIL = "change-email"
UNLOCK_SIGN_IN = "unlock-sign-in"
UNLOCKED_BROWSER = "unlocked-browser"


class TokenError(Exception):
    """The link is broken, expired or already used; ``reason`` says which."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _serializer(purpose: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=f"portal.{purpose}")


def fingerprint(*parts: object) -> str:
    """A short keyed digest of state that using the token will change."""
    message = "\x1f".join(str(p) for p in parts).encode()
    key = current_app.config["SECRET_KEY"].encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()[:24]


def make_token(purpose: str, payload: dict) -> str:
    return _serializer(purpose).dumps(payload)


def read_token(purpose: str, token: str, max_age: int) -> dict:
    try:
        payload = _serializer(purpose).loads(token, max_age=max_age)
    except SignatureExpired as error:
        raise TokenError("expired") from error
    except BadSignature as error:
        raise TokenError("invalid") from error
    if not isinstance(payload, dict):
        raise TokenError("invalid")
    return payload
