"""Avatars drawn, not downloaded: a person's initials on a colour that follows their id.

The colours are ``.avatar-0`` to ``.avatar-{PALETTE_SIZE - 1}`` in ``portal.css``; each
keeps white initials at a contrast of at least 4.5:1 (``tests/core/test_avatars.py``
measures them), so a person looks the same wherever they appear and costs no request.
"""

from __future__ import annotations

PALETTE_SIZE = 10
# A step coprime with the palette size, so people with neighbouring ids get different colours.
_STEP = 3


def initials(name: str) -> str:
    """Up to two capitals: the first letters of the first and last words that start with a
    letter or digit; "?" when there is none."""
    words = [word for word in name.split() if word[0].isalnum()]
    if not words:
        return "?"
    letters = words[0][0] + (words[-1][0] if len(words) > 1 else "")
    return letters.upper()


def avatar_colour(person_id: int) -> int:
    """The palette index for this person (a former member has ``.avatar-former`` instead)."""
    return person_id * _STEP % PALETTE_SIZE
