"""Event forms. Times are entered as a date and a time in the event's zone."""

from __future__ import annotations

from datetime import date, datetime, time

from wtforms import BooleanField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import ValidationError

from portal.blueprints.events.models import MAX_CAPACITY, PROVISIONS, Event, EventFormat, Feedback, Rsvp

# Typed as one line and stored as separate topics, or emailed and not stored.
TOPICS_MAX = 300
CANCEL_REASON_MAX = 1000
from portal.core.forms import LINK_INPUT, Choice, MaxLength, PortalForm, Required, TimeZone, WebLink, strip
from portal.core.time import exists_locally, zone


FIRST_YEAR, LAST_YEAR = 2000, 2100


def parse_date(text: str) -> date | None:
    try:
        return date.fromisoformat(text.strip())
    except (ValueError, AttributeError):
        return None


def parse_time(text: str) -> time | None:
    text = (text or "").strip().replace(".", ":")
    for pattern in ("%H:%M", "%H:%M:%S"):
        try:
            # Seconds are dropped: the form shows minutes, so an unchanged save changes nothing.
            return datetime.strptime(text, pattern).time().replace(second=0)
        except ValueError:
            continue
    return None


def combine(day: date, clock: time, zone_name: str) -> datetime:
    """A moment from a local date and time in ``zone_name``, as an aware datetime. A time the
    clocks pass twice (when they go back) means its first passing."""
    return datetime.combine(day, clock, tzinfo=zone(zone_name))


class DateField(StringField):
    def __init__(self, label: str, what: str, **kwargs) -> None:
        kwargs.setdefault("render_kw", {"type": "date", "class": "input-10"})
        super().__init__(label, filters=[strip], **kwargs)
        self.what = what

    def pre_validate(self, form) -> None:
        if not self.data:
            return
        day = parse_date(self.data)
        if day is None:
            raise ValidationError(f"Enter the {self.what} as a real date, like 2026-12-04")
        # Beyond these, times overflow when converted to UTC; the month calendar stops there too.
        if not FIRST_YEAR <= day.year <= LAST_YEAR:
            raise ValidationError(f"The {self.what} must be between {FIRST_YEAR} and {LAST_YEAR}")


class TimeField(StringField):
    def __init__(self, label: str, what: str, **kwargs) -> None:
        kwargs.setdefault("render_kw", {"type": "time"})
        super().__init__(label, filters=[strip], **kwargs)
        self.what = what

    def pre_validate(self, form) -> None:
        if self.data and parse_time(self.data) is None:
            raise ValidationError(f"Enter the {self.what} as hours and minutes, like 18:30")


def provision_fields(cls):
    for provision in PROVISIONS:
        setattr(cls, provision.name, BooleanField(provision.label))
    return cls


@provision_fields
class EventForm(PortalForm):
    title = StringField(
        "Title",
        filters=[strip],
        validators=[Required("Enter a title"), MaxLength(Event.title, "The title")],
    )
    summary = StringField(
        "Summary",
        filters=[strip],
        validators=[
            Required("Enter a one-sentence summary"),
            MaxLength(Event.summary, "The summary"),
        ],
    )
    description = TextAreaField(
        "Description (optional)", filters=[strip], validators=[MaxLength(Event.description, "The description")]
    )
    agenda = TextAreaField(
        "Agenda (optional)", filters=[strip], validators=[MaxLength(Event.agenda, "The agenda")]
    )
    start_date = DateField(
        "Start date", "start date", validators=[Required("Enter the start date, like 2026-12-04")]
    )
    start_time = TimeField(
        "Start time", "start time", validators=[Required("Enter the start time, like 18:30")]
    )
    end_date = DateField(
        "End date", "end date", validators=[Required("Enter the end date, like 2026-12-04")]
    )
    end_time = TimeField(
        "End time", "end time", validators=[Required("Enter the end time, like 20:00")]
    )
    timezone = StringField(
        "Time zone of the event",
        filters=[strip],
        validators=[
            Required("Enter the event's time zone, like Europe/London"),
            MaxLength(Event.timezone, "The time zone"),
            TimeZone(),
        ],
        render_kw={"spellcheck": "false", "autocomplete": "off"},
    )
    format = Choice(
        "Format",
        [SelectChoice(f.value, f.label) for f in EventFormat],
        "Choose whether the event is online, in person or hybrid",
    )
    join_url = StringField(
        "Joining link (optional until the day)",
        filters=[strip],
        validators=[MaxLength(Event.join_url, "The joining link"), WebLink("joining link")],
        render_kw=LINK_INPUT,
    )
    venue = TextAreaField(
        "Venue", filters=[strip], validators=[MaxLength(Event.venue, "The venue")]
    )
    capacity = StringField(
        "Places (optional)",
        filters=[strip],
        render_kw={"inputmode": "numeric", "class": "input-10"},
    )
    deadline_date = DateField("Reply by date (optional)", "reply-by date")
    deadline_time = TimeField("Reply by time (optional)", "reply-by time")
    hosts = TextAreaField(
        "Hosts",
        filters=[strip],
        validators=[Required("Enter the email address of at least one host")],
    )
    topics = StringField(
        "Topics (optional)", filters=[strip], validators=[MaxLength(TOPICS_MAX, "The topics")]
    )
    access_notes = TextAreaField(
        "Other access information (optional)",
        filters=[strip],
        validators=[MaxLength(Event.access_notes, "The access information")],
    )

    def validate_capacity(self, field) -> None:
        if not field.data:
            return
        # ASCII digits only: int() refuses "²", and a few thousand digits are too many for it.
        if not (field.data.isascii() and field.data.isdigit()):
            raise ValidationError(
                "Enter the number of places as a whole number, like 30, or leave it empty"
            )
        if len(field.data.lstrip("0")) > len(str(MAX_CAPACITY)) or int(field.data) > MAX_CAPACITY:
            raise ValidationError(f"The number of places must be {MAX_CAPACITY:,} or fewer")
        if int(field.data) < 1:
            raise ValidationError(
                "The number of places must be at least 1, or leave it empty for no limit"
            )

    def validate_topics(self, field) -> None:
        if any(len(name.strip()) > 60 for name in (field.data or "").split(",")):
            raise ValidationError("Each topic must be 60 characters or fewer")

    def validate_venue(self, field) -> None:
        if self.format.data in (EventFormat.IN_PERSON, EventFormat.HYBRID) and not field.data:
            raise ValidationError("Enter the venue's address for an in-person or hybrid event")

    def validate_deadline_time(self, field) -> None:
        if bool(self.deadline_date.data) != bool(field.data):
            raise ValidationError("Enter both a reply-by date and time, or neither")

    def moments(self) -> tuple[datetime, datetime, datetime | None] | None:
        """Start, end and reply-by as aware datetimes, once each part is valid."""
        parts = (self.start_date, self.start_time, self.end_date, self.end_time, self.timezone)
        if any(f.errors or not f.data for f in parts):
            return None
        zone_name = self.timezone.data
        starts = combine(
            parse_date(self.start_date.data), parse_time(self.start_time.data), zone_name
        )
        ends = combine(parse_date(self.end_date.data), parse_time(self.end_time.data), zone_name)
        for moment, field in ((starts, self.start_time), (ends, self.end_time)):
            if not exists_locally(moment):
                field.errors.append(
                    f"{field.data} does not happen on {moment:%-d %B %Y} in {zone_name}: the clocks go "
                    "forward then. Choose a time outside the skipped hour")
        if self.start_time.errors or self.end_time.errors:
            return None
        deadline = None
        if (
            self.deadline_date.data
            and self.deadline_time.data
            and not (self.deadline_date.errors or self.deadline_time.errors)
        ):
            deadline = combine(
                parse_date(self.deadline_date.data), parse_time(self.deadline_time.data), zone_name
            )
        return starts, ends, deadline


class RsvpForm(PortalForm):
    """The one reply button: its ``answer`` says what pressing it does ("going" attends or
    joins the waiting list; "not_going" gives the place back or leaves the list)."""

    answer = Choice(
        "Are you going?",
        [SelectChoice("going", "Attend"), SelectChoice("not_going", "Cancel my place")],
        "Choose whether you are going",
    )


class NeedsForm(PortalForm):
    """Access needs for one event, asked once the person is going or waiting."""

    needs_captions = BooleanField("Live captions")
    needs_interpreter = BooleanField("A sign-language interpreter")
    needs_other = StringField(
        "Anything else the hosts should know (optional)",
        filters=[strip],
        validators=[MaxLength(Rsvp.needs_other, "Your access needs")],
    )


class CancelForm(PortalForm):
    reason = TextAreaField(
        "Why is it cancelled? (optional)",
        filters=[strip],
        validators=[MaxLength(CANCEL_REASON_MAX, "The reason")],
    )
    confirm = BooleanField("Yes, cancel this event and tell everyone who replied")

    def validate_confirm(self, field) -> None:
        if not field.data:
            raise ValidationError("Tick the box to confirm you want to cancel the event")


class FollowupForm(PortalForm):
    summary = TextAreaField(
        "What happened",
        filters=[strip],
        validators=[Required("Write a short summary of the event"), MaxLength(Event.followup_summary, "The summary")],
    )
    link = StringField(
        "Recording or transcript link (optional)",
        filters=[strip],
        validators=[MaxLength(Event.followup_link, "The link"), WebLink("recording or transcript link")],
        render_kw=LINK_INPUT,
    )
    action = StringField(
        "What should people do next? (optional)",
        filters=[strip],
        validators=[MaxLength(Event.followup_action, "The next step")],
    )


class FeedbackForm(PortalForm):
    rating = Choice(
        "How useful was the event?",
        [
            SelectChoice(str(n), label)
            for n, label in (
                (5, "5 – very useful"),
                (4, "4"),
                (3, "3"),
                (2, "2"),
                (1, "1 – not useful"),
            )
        ],
        "Choose a rating from 1 to 5",
    )
    worked = TextAreaField(
        "What worked well? (optional)", filters=[strip], validators=[MaxLength(Feedback.worked, "Your answer")]
    )
    improve = TextAreaField(
        "What could be better? (optional)",
        filters=[strip],
        validators=[MaxLength(Feedback.improve, "Your answer")],
    )


class AttendanceForm(PortalForm):
    """Checkboxes named ``attended`` with RSVP ids; built in the template from the list."""
