"""Forum forms."""

from __future__ import annotations

from wtforms import BooleanField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import ValidationError

from portal.blueprints.forums.models import Audience, Category, Post, Thread
from portal.core.forms import Choice, MaxLength, PortalForm, Required, strip
from portal.core.routing import parse_whole

POSITION_MAX = 1000


class RealTitle:
    """A title needs at least one letter or digit: "???" says nothing."""

    def __call__(self, form, field) -> None:
        if field.data and not any(ch.isalnum() for ch in field.data):
            raise ValidationError("The title needs some words, not only symbols")


def _body(label: str = "Your message") -> TextAreaField:
    """The Markdown text of a post; messages name the field as its label does."""
    return TextAreaField(
        label,
        filters=[strip],
        validators=[Required(f"Write {label.lower()}"), MaxLength(Post.body, label)],
    )


class ThreadForm(PortalForm):
    title = StringField(
        "Title",
        filters=[strip],
        validators=[
            Required("Enter a title"),
            MaxLength(Thread.title, "The title"),
            RealTitle(),
        ],
    )
    body = _body()


class ReplyForm(PortalForm):
    body = _body("Your reply")


class EditForm(PortalForm):
    body = _body()


class ModerateThreadForm(PortalForm):
    title = StringField(
        "Title",
        filters=[strip],
        validators=[
            Required("Enter a title"),
            MaxLength(Thread.title, "The title"),
            RealTitle(),
        ],
    )
    category = SelectField("Category", coerce=int)
    pinned = BooleanField("Pinned: shown first in its category")
    locked = BooleanField("Locked: nobody can reply")


class CategoryForm(PortalForm):
    name = StringField(
        "Name",
        filters=[strip],
        validators=[
            Required("Enter a name"),
            MaxLength(Category.name, "The name"),
            RealTitle(),
        ],
    )
    description = StringField(
        "Description",
        filters=[strip],
        validators=[MaxLength(Category.description, "The description")],
    )
    audience = Choice(
        "Who can see it?",
        [SelectChoice(a.value, a.label) for a in Audience],
        "Choose who can see the category",
    )
    position = StringField(
        "Position in the list", filters=[strip], render_kw={"inputmode": "numeric"}
    )

    def validate_position(self, field) -> None:
        if not field.data:
            return
        digits = field.data.removeprefix("-")
        if not (digits.isascii() and digits.isdigit()):  # "²" is a digit to Python, not a number
            raise ValidationError("Enter the position as a whole number, like 3")
        if parse_whole(digits, POSITION_MAX) is None:  # also 5,000 digits, which int() refuses
            raise ValidationError(f"Enter a position from -{POSITION_MAX} to {POSITION_MAX}")
