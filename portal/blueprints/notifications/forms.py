"""The notification preferences form: one radio group per declared kind."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from wtforms import Field
from wtforms.fields.choices import SelectChoice

from portal.blueprints.notifications.models import Delivery
from portal.blueprints.notifications.services import about
from portal.core.features import NotificationKind
from portal.core.forms import Choice, PortalForm

DELIVERY_CHOICES = [SelectChoice(d.value, d.label) for d in Delivery]


def field_name(kind: NotificationKind) -> str:
    """The form field of a kind: its name with the dot made a hyphen ("forums-reply"),
    so the name is also a plain HTML id."""
    return kind.name.replace(".", "-")


def preferences_form(kinds: Iterable[NotificationKind],
                     current: Mapping[str, Delivery] | None = None) -> PortalForm:
    """A form with a required choice of delivery for each of ``kinds``, showing
    ``current`` (kind name to delivery); None reads the posted answers only, so a kind
    left unanswered is an error rather than its old value kept."""

    class NotificationPreferencesForm(PortalForm):
        pass

    for kind in kinds:
        setattr(NotificationPreferencesForm, field_name(kind), Choice(
            kind.label, DELIVERY_CHOICES, f"Choose how you hear about {about(kind)}"))
    if current is None:
        return NotificationPreferencesForm()
    return NotificationPreferencesForm(data={field_name(k): current[k.name].value for k in kinds})


def chosen(form: PortalForm, kinds: Iterable[NotificationKind]) -> dict[str, str]:
    """The validated answers: kind name to delivery."""
    return {kind.name: form[field_name(kind)].data for kind in kinds}


def sections(form: PortalForm, groups: Iterable[tuple[str, Iterable[NotificationKind]]]
             ) -> list[tuple[str, list[tuple[Field, str]]]]:
    """The form's radio groups under their feature: (heading, [(field, hint)])."""
    return [(name.capitalize(), [(form[field_name(kind)], kind.hint) for kind in kinds])
            for name, kinds in groups]
