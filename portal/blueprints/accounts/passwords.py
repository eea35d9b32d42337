"""Password hashing (argon2id) and the rules a new password must meet."""

from __future__ import annotations

import unicodedata
from functools import lru_cache
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

MIN_LENGTH = 8
MAX_LENGTH = 128

_hasher = PasswordHasher()
# Verifying against this when no account matches keeps the timing of
# "no such person" and "wrong password" alike.
_DUMMY_HASH = _hasher.hash("a password nobody has")


@lru_cache(maxsize=1)
def common_passwords() -> frozenset[str]:
    path = Path(__file__).with_name("common-passwords.txt")
    lines = path.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip().lower() for line in lines if line.strip() and not line.startswith("#"))


def normalise(password: str) -> str:
    """NFKC, so the same password typed on different keyboards hashes the same."""
    return unicodedata.normalize("NFKC", password)


def problem_with(password: str, *, email: str = "", name: str = "") -> str | None:
    """Why ``password`` cannot be used, in words for the person, or None when it can."""
    length = len(normalise(password))
    if length < MIN_LENGTH:
        return f"Enter a password of at least {MIN_LENGTH} characters"
    if length > MAX_LENGTH:
        return f"Enter a password of {MAX_LENGTH} characters or fewer"
    lowered = normalise(password).strip().lower()
    if lowered in common_passwords() or len(set(lowered)) == 1:
        return "That password is one of the most common and easy to guess; choose another"
    if lowered in {email.strip().lower(), name.strip().lower()}:
        return "Your password must not be your email address or name"
    return None


def hash_password(password: str) -> str:
    return _hasher.hash(normalise(password))


def verify_password(stored_hash: str | None, password: str) -> bool:
    try:
        return _hasher.verify(stored_hash or _DUMMY_HASH, normalise(password)) and stored_hash is not None
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(stored_hash: str) -> bool:
    return _hasher.check_needs_rehash(stored_hash)
