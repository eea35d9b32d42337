"""Forms for reporting, the moderation queue and its filters."""

from __future__ import annotations

from wtforms import Form, RadioField, SelectField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import ValidationError

from portal.blueprints.manage import reports
from portal.blueprints.manage.models import Report, Suspension
from portal.blueprints.manage.reports import DISMISS, HANDLED, HIDE, OPEN, RESTORE, SUSPEND, Entry
from portal.blueprints.manage.suspensions import LENGTHS
from portal.core.forms import Choice, MaxLength, PortalForm, strip


class ReportForm(PortalForm):
    """Why a member reports an item; ``noun`` names the item ("post") in the label and
    the message."""

    reason = TextAreaField(
        "What is wrong with it?",
        filters=[strip],
        validators=[MaxLength(Report.reason, "The reason")],
    )

    def __init__(self, noun: str, **kwargs) -> None:
        super().__init__(**kwargs)
        self.noun = noun
        self.reason.label.text = f"What is wrong with this {noun}?"

    def validate_reason(self, field) -> None:
        if not field.data:
            raise ValidationError(f"Tell the moderators what is wrong with the {self.noun}")


class ModerationForm(PortalForm):
    """A moderator's decision on one item of the queue. Each item's form has the item's
    key as its prefix, so every id on the page is unique; the actions offered are the
    ones the item's state allows (see ``moderation_form``)."""

    action = Choice("What should happen?", [], "Choose what should happen")
    reason = TextAreaField(
        "Reason (its author sees it; needed to hide or suspend)",
        filters=[strip],
        validators=[MaxLength(Suspension.reason, "The reason")],
    )
    length = RadioField(
        "How long should a suspension last?",
        choices=[SelectChoice(key, label) for key, (label, _) in LENGTHS.items()],
        validate_choice=False,  # checked below, only when suspending
    )

    def validate_reason(self, field) -> None:
        if self.action.data in (HIDE, SUSPEND) and not field.data:
            raise ValidationError("Give a reason; the author will see it")

    def validate_length(self, field) -> None:
        if self.action.data == SUSPEND and field.data not in LENGTHS:
            raise ValidationError("Choose how long the suspension lasts")
        if field.data is not None and field.data not in LENGTHS:
            raise ValidationError("Choose one of the lengths offered")

    def decision(self) -> reports.Decision:
        length = LENGTHS[self.length.data][1] if self.length.data in LENGTHS else None
        return reports.Decision(self.action.data, self.reason.data or "", length)


def _action_label(action: str, entry: Entry) -> str:
    noun = entry.reportable.noun
    if action == SUSPEND:
        shown = entry.item is not None and entry.reportable.is_shown(entry.item)
        return f"Hide the {noun} and suspend its author" if shown else "Suspend its author"
    return {
        DISMISS: f"Dismiss the reports: the {noun} is fine",
        HIDE: f"Hide the {noun} (its author sees your reason)",
        RESTORE: f"Restore the {noun}: readers see it again",
    }[action]


def moderation_form(entry: Entry, submitted: bool = True) -> ModerationForm:
    """The decision form for ``entry``: bound to the request when ``submitted``, empty
    otherwise (the other items on a page, and an item after its decision)."""
    options = {"prefix": entry.key}
    if not submitted:
        options["formdata"] = None
    form = ModerationForm(**options)
    form.action.choices = [SelectChoice(action, _action_label(action, entry)) for action in entry.actions()]
    form.action.label.text = f"What should happen to {entry.title}?"
    return form


class QueueFilters(Form):
    """The queue's filters, read from the query string (no CSRF: a GET form changes nothing).
    A value no option offers (an old link, a kind no longer installed) falls back to the
    default: every kind, open reports."""

    kind = SelectField("Kind", choices=[SelectChoice("", "Every kind")], default="")
    status = RadioField("Show", choices=[SelectChoice(OPEN, "Open reports"), SelectChoice(HANDLED, "Handled")],
                        default=OPEN)

    def __init__(self, formdata, labels: dict[str, str]) -> None:
        super().__init__(formdata)
        self.kind.choices = [SelectChoice("", "Every kind"),
                             *(SelectChoice(kind, label) for kind, label in labels.items())]
        for field in (self.kind, self.status):
            if not field.validate(self):
                field.data, field.errors = field.default, []

    @property
    def chosen_kind(self) -> str | None:
        return self.kind.data or None

    @property
    def args(self) -> dict[str, str]:
        """The filters as query arguments, for links and the way back after a decision."""
        return {name: value for name, value in (("kind", self.kind.data), ("status", self.status.data))
                if value and not (name == "status" and value == OPEN)}
