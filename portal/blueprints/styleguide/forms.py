"""A sample form that shows the form macros, and their errors when it is sent."""

from __future__ import annotations

from wtforms import BooleanField, StringField
from wtforms.fields.choices import SelectChoice

from portal.core.forms import Choice, PortalForm, Required


class SampleForm(PortalForm):
    """Every kind of field the form macros draw; a name and a choice are required."""

    name = StringField("Your name", validators=[Required("Enter your name")])
    contact = Choice("How should we contact you?",
                     [SelectChoice("email", "By email"), SelectChoice("portal", "In the portal only")],
                     "Choose how we should contact you")
    captions = BooleanField("Live captions")
    interpreter = BooleanField("A sign language interpreter")
