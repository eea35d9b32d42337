"""Field helpers shared by every feature's forms: messages a person understands."""

from __future__ import annotations

import unicodedata
from urllib.parse import urlsplit

from email_validator import EmailNotValidError, validate_email
from flask_wtf import FlaskForm
from wtforms import Field, HiddenField, PasswordField, RadioField, StringField, TextAreaField, ValidationError
from wtforms.meta import DefaultMeta
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


LINE_BREAKS = frozenset("\n\r\x0b\x0c\x85\u2028\u2029")
# Characters that reorder or hide text (bidirectional embeddings, overrides and isolates;
# zero-width spaces and joiners that join nothing). Zero-width (non-)joiners and the
# left-to-right and right-to-left marks stay allowed: scripts and emoji need them.
DISGUISING = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200b\u2060\ufeff")


def _label_of(field: Field) -> str:
    """How messages name the field: as its length limit does ("The title"), else its label."""
    for validator in field.validators:
        if isinstance(validator, MaxLength):
            return validator.label
    return field.label.text


class TypedText:
    """The one rule for text a person types, added to every text field of a ``PortalForm``:
    no control characters (NUL and the like: nobody types them and PostgreSQL refuses NUL),
    and in a single-line field (a name, a title) no line breaks and no characters that
    reorder or hide text, which can make one name look like another."""

    def __init__(self, single_line: bool) -> None:
        self.single_line = single_line

    def __call__(self, form: FlaskForm, field: Field) -> None:
        text = field.data if isinstance(field.data, str) else ""
        label = _label_of(field)
        if self.single_line and any(ch in LINE_BREAKS for ch in text):
            raise StopValidation(f"{label} must be on one line")
        if any(unicodedata.category(ch) == "Cc" and ch not in "\n\r\t" for ch in text):
            raise StopValidation(f"{label} must not contain control characters")
        if self.single_line and any(ch in DISGUISING for ch in text):
            raise StopValidation(f"{label} must not contain invisible formatting characters")


class PortalForm(FlaskForm):
    """Every form of the portal: each text field a person types in follows ``TypedText``,
    and a text field missing from a post counts as empty."""

    class Meta:
        def bind_field(self, form, unbound_field, options):
            field = DefaultMeta.bind_field(self, form, unbound_field, options)
            if isinstance(field, StringField) and field.default is None:
                # A text field left out of a post (not only left empty) is empty text, not
                # None, which no text column accepts.
                field.default = ""
            if isinstance(field, StringField) and not isinstance(field, (PasswordField, HiddenField)):
                single_line = not isinstance(field, TextAreaField)
                field.validators = [TypedText(single_line), *field.validators]
            return field


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


# How a web address field renders: a URL keyboard on phones, but typed as text, because
# type="url" makes the page invalid HTML whenever a wrong address is shown back for correcting.
LINK_INPUT = {"inputmode": "url", "spellcheck": "false", "autocapitalize": "none"}


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


class ConfirmForm(PortalForm):
    """A button that needs only its CSRF token (resend link, sign out, sign out everywhere)."""
