"""The one error moderation rules raise."""

from __future__ import annotations


class ModerationError(Exception):
    """A rule stopped the change; ``field`` names the form field to show ``message`` beside."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message
