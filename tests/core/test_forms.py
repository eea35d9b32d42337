"""The one rule for typed text, on every text field of every form."""

from __future__ import annotations

import pytest
from werkzeug.datastructures import MultiDict
from wtforms import HiddenField, PasswordField, StringField, TextAreaField

from portal.core.forms import MaxLength, PortalForm


class Sample(PortalForm):
    class Meta:
        csrf = False

    name = StringField("Name", validators=[MaxLength(80, "Your name")])
    story = TextAreaField("Story")
    secret = PasswordField("Password")
    hidden = HiddenField()


def errors_for(app, **data) -> dict:
    with app.test_request_context(method="POST"):
        form = Sample(formdata=MultiDict(data))
        form.validate()
        return form.errors


@pytest.mark.parametrize(("typed", "message"), [
    ("Ada\nLovelace", "Your name must be on one line"),
    ("Ada\u2028Lovelace", "Your name must be on one line"),
    ("Ada\x00", "Your name must not contain control characters"),
    ("Ada\x1b[31m", "Your name must not contain control characters"),
    ("\u202eecilA", "Your name must not contain invisible formatting characters"),
    ("Al\u200bice", "Your name must not contain invisible formatting characters"),
    ("Alice\u2066", "Your name must not contain invisible formatting characters"),
])
def test_a_single_line_field_refuses_breaks_controls_and_disguises(app, typed, message):
    assert errors_for(app, name=typed) == {"name": [message]}


@pytest.mark.parametrize("typed", ["Ana 👩\u200d💻", "می\u200cخواهم", "Zoë O’Brien", "李小龍", "Ada\u200f"])
def test_names_in_every_script_and_emoji_sequences_are_accepted(app, typed):
    assert errors_for(app, name=typed) == {}


def test_a_multi_line_field_keeps_its_lines_and_tabs_but_not_control_characters(app):
    assert errors_for(app, story="First line\r\nSecond\tline\n\u202ebidi is fine in prose") == {}
    assert errors_for(app, story="Hello\x00") == {"story": ["Story must not contain control characters"]}


def test_passwords_and_hidden_fields_are_left_as_they_are(app):
    assert errors_for(app, secret="\u202e\u200bodd but mine", hidden="\n") == {}


def test_every_text_field_in_every_form_gets_the_rule_once(app):
    with app.test_request_context(method="POST"):
        form = Sample(formdata=MultiDict())
        assert [type(v).__name__ for v in form.name.validators].count("TypedText") == 1


def test_a_text_field_left_out_of_a_post_is_empty_text(app):
    with app.test_request_context(method="POST"):
        form = Sample(formdata=MultiDict({"name": "Ada"}))
        assert form.story.data == "" and form.name.data == "Ada"
