"""Field helpers shared by every feature's forms: messages a person understands."""

from __future__ import annotations

import unicodedata
from urllib.parse import urlsplit

from email_validator import EmailNotValidError, validate_email
from flask_wtf import FlaskForm
from wtforms import Field, RadioField, ValidationError
from wtforms.validators import StopValidation

from portal.core.db import column_length
from portal.core.time import is_valid_zone, suggest_zones


def strip(value: str | None) -> str | None:
    return value.strip() if isinstance(value, str) else value


class Required:
    """Stop with ``message`` when the field is empty or only white space."""

    def __init__(self, message: str) -> None:
        self.message = message
        self.field_flags = {"required": True}

    def __call__(self, form: FlaskForm, field: Field) -> None:
        if field.data is None or (isinstance(field.data, str) and not field.data.strip()):
            field.errors[:] = []
            raise StopValidation(self.message)


class MaxLength:
    """At most as many characters as ``limit``: a model attribute, whose column says
    how many it holds, or a number for input that is not stored as typed."""

    def __init__(self, limit, label: str) -> None:
        self.limit = limit if isinstance(limit, int) else column_length(limit)
        self.label = label

    def __call__(self, form: FlaskForm, field: Field) -> None:
        if field.data and len(field.data) > self.limit:
            raise ValidationError(
                f"{self.label} must be {self.limit} characters or fewer "
                f"(you entered {len(field.data)})"
            )


class PlainText:
    """Refuse control and invisible formatting characters a person would never mean to type."""

    def __init__(self, label: str) -> None:
        self.label = label

    def __call__(self, form: FlaskForm, field: Field) -> None:
        for ch in field.data or "":
            if ch in "\n\r\t":
                continue
            if unicodedata.category(ch) == "Cc":
                raise ValidationError(f"{self.label} must not contain control characters")


class EmailAddress:
    def __call__(self, form: FlaskForm, field: Field) -> None:
        try:
            validate_email(field.data or "", check_deliverability=False)
        except EmailNotValidError as error:
            raise ValidationError(
                "Enter an email address in the correct format, like name@example.com"
            ) from error


class TimeZone:
    def __call__(self, form: FlaskForm, field: Field) -> None:
        if not field.data or is_valid_zone(field.data):
            return
        suggestions = suggest_zones(field.data)
        hint = f" Did you mean {' or '.join(suggestions)}?" if suggestions else ""
        raise ValidationError(
            f"Enter a time zone name from the list, like Europe/London or America/New_York.{hint}"
        )


class Choice(RadioField):
    """Radio buttons whose one message covers both nothing chosen and a value no
    button offers ("Choose a rating from 1 to 5", not "Not a valid choice")."""

    def __init__(self, label: str, choices, message: str, **kwargs) -> None:
        super().__init__(label, choices=choices, validators=[Required(message)], **kwargs)
        self.message = message

    def pre_validate(self, form) -> None:
        try:
            super().pre_validate(form)
        except ValidationError as error:
            raise ValidationError(self.message) from error


class WebLink:
    """Only http and https links, with a host."""

    def __init__(self, label: str) -> None:
        self.label = label

    def __call__(self, form, field) -> None:
        if not field.data:
            return
        try:
            parts = urlsplit(field.data)
        except ValueError:  # "https://[::1", or a host that changes under NFKC normalisation
            parts = None
        if (
            parts is None
            or parts.scheme not in ("http", "https")
            or not parts.netloc
            or any(c.isspace() for c in field.data)
        ):
            raise ValidationError(f"Enter the {self.label} as a web address starting with https://")


class ConfirmForm(FlaskForm):
    """A button that needs only its CSRF token (resend link, sign out, sign out everywhere)."""
