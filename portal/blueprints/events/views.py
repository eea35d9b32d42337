"""Event pages. Thin: load (404), authorise (403), validate, call a service, commit once."""

from __future__ import annotations

import csv
import io

from flask import Blueprint, Response, abort, current_app, redirect, request, url_for
from flask_login import current_user, login_required

from portal.core.forms import ConfirmForm
from portal.blueprints.accounts.models import User
from portal.blueprints.accounts.services import normalise_email
from portal.blueprints.events import ical, policies, queries, services
from portal.blueprints.events.forms import (
    CancelForm,
    EventForm,
    FeedbackForm,
    FollowupForm,
    NeedsForm,
    RsvpForm,
)
from portal.blueprints.events.models import PROVISION_NAMES, PROVISIONS, Answer, Event, EventFormat, Topic
from portal.core.db import column_length, utcnow
from portal.core.htmx import done, render, render_form, wants_fragment
from portal.core.permissions import Permission, require
from portal.core.routing import MAX_ID, page_arg, parse_whole
from portal.core.time import month_label, viewer_zone_name, zone
from portal.extensions import db

bp = Blueprint("events", __name__, url_prefix="/events")


def _load(event_id: int) -> Event:
    event = queries.event_for_page(db.session, event_id)
    if event is None or not policies.can_see(current_user, event):
        abort(404)
    return event


def _managed(event_id: int) -> Event:
    event = _load(event_id)
    if not policies.can_manage(current_user, event):
        abort(403)
    return event


def _filters() -> queries.Filters:
    formats = {f.value for f in EventFormat}
    return queries.Filters(
        topic=request.args.get("topic", "")[:column_length(Topic.slug)],
        format=request.args.get("format", "") if request.args.get("format") in formats else "",
        provisions=tuple(p for p in request.args.getlist("access") if p in PROVISION_NAMES),
    )


def _page() -> int:
    return page_arg()


# Finding events


@bp.get("/")
def index():
    filters = _filters()
    now = utcnow()
    result = queries.upcoming(db.session, filters, _page(), now, include_drafts=policies.can_create(current_user))
    answers = services.answers_by_event(db.session, current_user, [e.id for e in result.items])
    found = (f"{result.total} {'event' if result.total == 1 else 'events'}"
             f"{' match your filters' if filters.active else ''}"
             f"{f', page {result.number} of {result.pages}' if result.pages > 1 else ''}.")
    return render("events/index.html", "events/_results.html", announce=found, result=result, filters=filters,
                  topics=queries.topics(db.session), answers=answers, provisions=PROVISIONS,
                  formats=list(EventFormat), viewer_zone=viewer_zone_name())


@bp.get("/past")
def past():
    result = queries.past(db.session, _page(), utcnow())
    return render("events/past.html", result=result)


@bp.get("/calendar")
def calendar_now():
    today = utcnow().astimezone(zone(viewer_zone_name())).date()
    return redirect(url_for("events.calendar", year=today.year, month=today.month))


@bp.get("/calendar/<int:year>/<int:month>")
def calendar(year: int, month: int):
    if not (1 <= month <= 12 and 2000 <= year <= 2100):
        abort(404)
    zone_name = viewer_zone_name()
    shown = queries.month(db.session, year, month, zone_name, include_drafts=policies.can_create(current_user))
    today = utcnow().astimezone(zone(zone_name)).date()
    count = sum(len(events) for events in shown.by_day.values())
    shown_now = f"{month_label(shown.first)}: {count or 'no'} {'event' if count == 1 else 'events'}."
    return render("events/calendar.html", "events/_month.html", announce=shown_now, month=shown, today=today,
                  zone_name=zone_name)


@bp.get("/mine")
@login_required
def mine():
    mine = queries.my_events(db.session, current_user, utcnow())
    token = services.feed_token(db.session, current_user)
    feed_url = url_for("events.personal_feed", token=token, _external=True) if token else None
    return render("events/mine.html", mine=mine, feed_url=feed_url, regenerate_form=ConfirmForm())


# One event


def _needs_form(record) -> NeedsForm:
    """The access-needs form, showing the needs already sent, or before any, the member's
    usual needs from their profile, offered for them to send."""
    if record is not None and record.needs:
        return NeedsForm(formdata=None, obj=record)
    return NeedsForm(formdata=None, data={
        "needs_captions": current_user.usual_needs_captions,
        "needs_interpreter": current_user.usual_needs_interpreter,
        "needs_other": current_user.usual_needs_other,
    })


def _rsvp_context(event: Event, form: RsvpForm | None = None, needs_form: NeedsForm | None = None) -> dict:
    """What the reply section and the list of people going show, for the page and its swaps."""
    now = utcnow()
    signed_in = current_user.is_authenticated
    record = services.find_rsvp(db.session, event, current_user) if signed_in else None
    answer = record.answer if record else None
    can_rsvp = policies.can_rsvp(current_user, event, now)
    # Pressing "Join the waiting list" would put them last: the button says where.
    joins_queue = (can_rsvp and event.capacity is not None and not event.places_left
                   and answer not in (Answer.GOING, Answer.WAITING))
    return {
        "event": event,
        "rsvp": record,
        "position": services.waiting_position(db.session, record) if answer == Answer.WAITING else None,
        "next_position": queries.waiting_count(db.session, event) + 1 if joins_queue else None,
        # A form makes a token, which sets a cookie: only for those who can reply.
        "form": form or (RsvpForm(formdata=None) if can_rsvp else None),
        "needs_form": needs_form or (_needs_form(record) if answer in (Answer.GOING, Answer.WAITING) else None),
        "going": queries.going_shown(db.session, event) if signed_in else [],
        "rsvp_open": policies.rsvp_open(event, now),
        "closes_at": policies.rsvp_closes_at(event),
        "can_rsvp": can_rsvp,
        "hosting": event.is_host(current_user),
        "show_join_link": policies.can_see_join_link(current_user, event, record, now),
        "can_feedback": policies.can_give_feedback(event, record, now),
        "can_manage": policies.can_manage(current_user, event),
        "can_cancel": policies.can_publish(current_user) and policies.cancellable(event, now),
        "now": now,
    }


@bp.get("/<int:event_id>")
def show(event_id: int):
    event = _load(event_id)
    return render("events/show.html", **_rsvp_context(event))


def _refused(event: Event, status: int, problem: str | None = None, **forms) -> Response:
    """The reply section again, with the form's errors (422) or the rule that stopped it (409)."""
    return render("events/show.html", "events/_rsvp.html", status=status, problem=problem,
                  **_rsvp_context(event, **forms))


def _replied(event: Event, message: str) -> Response:
    """After a reply or needs were saved: the reply section and who is going (htmx), or back to the page."""
    if wants_fragment():
        return done("", message, "events/_rsvp_swap.html", **_rsvp_context(event))
    return done(url_for("events.show", event_id=event.id, _anchor="rsvp"), message)


@bp.post("/<int:event_id>/rsvp")
@require(Permission.TAKE_PART)
def rsvp(event_id: int):
    event = _load(event_id)
    form = RsvpForm()
    if not form.validate_on_submit():
        return _refused(event, 422, form=form)
    going = form.answer.data == Answer.GOING
    record = services.find_rsvp(db.session, event, current_user)
    # The one button carries no needs: a repeated "Attend" keeps those already sent.
    needs = (services.Needs(record.needs_captions, record.needs_interpreter, record.needs_other)
             if going and record else services.Needs())
    try:
        result = services.rsvp(db.session, event, current_user, going, needs)
    except services.EventError as error:
        # Replies closed while the page was open: a conflict, said where the form was.
        return _refused(event, 409, error.message, form=form)
    db.session.commit()
    return _replied(event, result.message)


@bp.post("/<int:event_id>/needs")
@require(Permission.TAKE_PART)
def needs(event_id: int):
    event = _load(event_id)
    form = NeedsForm()
    if not form.validate_on_submit():
        return _refused(event, 422, needs_form=form)
    try:
        services.save_needs(db.session, event, current_user,
                            services.Needs(form.needs_captions.data, form.needs_interpreter.data,
                                           form.needs_other.data or ""))
    except services.EventError as error:
        return _refused(event, 409, error.message, needs_form=form)
    db.session.commit()
    return _replied(event, "Your access needs are saved. Only the hosts and community managers see them.")


def _ics_response(body: str, filename: str) -> Response:
    response = Response(body, mimetype="text/calendar")
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@bp.get("/<int:event_id>.ics")
def ics(event_id: int):
    event = _load(event_id)
    return _ics_response(ical.event_calendar([event]), f"event-{event.id}.ics")


@bp.get("/feed.ics")
def public_feed():
    events = queries.public_feed_events(db.session, utcnow())
    return _ics_response(ical.event_calendar(events, f"{current_app.config['SITE_NAME']} events"), "events.ics")


@bp.get("/calendar-feed/<token>.ics")
def personal_feed(token: str):
    owner = services.feed_owner(db.session, token)
    if owner is None:
        abort(404)
    events = services.personal_feed_events(db.session, owner)
    response = _ics_response(ical.event_calendar(events, f"My {current_app.config['SITE_NAME']} events"),
                             "my-events.ics")
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.post("/mine/feed")
@login_required
def regenerate_feed():
    if not ConfirmForm().validate_on_submit():
        abort(400)
    had_one = services.feed_token(db.session, current_user) is not None
    services.regenerate_feed(db.session, current_user)
    db.session.commit()
    message = ("Your calendar feed has a new address. The old one no longer works." if had_one
               else "Your calendar feed address is ready. Add it to your calendar app.")
    return done(url_for("events.mine", _anchor="calendar-feed"), message)


# Managing events


def _hosts(session, text: str) -> tuple[list[User], list[str]]:
    emails = [normalise_email(p) for p in text.replace(",", "\n").splitlines() if p.strip()]
    users = queries.people_by_email(session, emails)
    found = {u.email for u in users}
    return users, [e for e in emails if e not in found]


def _event_data(form: EventForm, is_new: bool) -> services.EventData | None:
    """The form's values as EventData, or None with errors put beside the fields."""
    moments = form.moments()
    if moments:
        starts, ends, deadline = moments
        if ends <= starts:
            form.end_time.errors.append("The end must be after the start")
        if is_new and starts <= utcnow():
            form.start_date.errors.append("The start must be in the future")
        if deadline and deadline > starts:
            form.deadline_date.errors.append("The reply-by date must be before the start")
    # Addresses the form already refused (a NUL, say) never reach a query.
    hosts, unknown = _hosts(db.session, form.hosts.data or "") if not form.hosts.errors else ([], [])
    if unknown:
        form.hosts.errors.append(f"No member has the email address {', '.join(unknown)}")
    if any(f.errors for f in form) or not moments:
        return None
    values = {name: getattr(form, name).data for name in (
        "title", "summary", "description", "agenda", "timezone", "format", "access_notes", *PROVISION_NAMES)}
    values.update(
        starts_at=starts, ends_at=ends, rsvp_deadline=deadline,
        join_url=form.join_url.data or None,
        venue=form.venue.data or None if form.format.data != EventFormat.ONLINE else None,
        capacity=int(form.capacity.data) if form.capacity.data else None,
    )
    topics = [t for t in (form.topics.data or "").split(",") if t.strip()]
    return services.EventData(values, hosts, topics)


def _validated(form: EventForm, is_new: bool) -> services.EventData | None:
    """Every check, field rules and event rules together, so all errors show at once."""
    form.validate()
    return _event_data(form, is_new)


def _fill_form(form: EventForm, event: Event) -> None:
    local_start = event.starts_at.astimezone(zone(event.timezone))
    local_end = event.ends_at.astimezone(zone(event.timezone))
    form.start_date.data, form.start_time.data = local_start.date().isoformat(), f"{local_start:%H:%M}"
    form.end_date.data, form.end_time.data = local_end.date().isoformat(), f"{local_end:%H:%M}"
    if event.rsvp_deadline:
        local = event.rsvp_deadline.astimezone(zone(event.timezone))
        form.deadline_date.data, form.deadline_time.data = local.date().isoformat(), f"{local:%H:%M}"
    form.capacity.data = str(event.capacity) if event.capacity else ""
    form.hosts.data = "\n".join(h.email for h in event.hosts if h.email)
    form.topics.data = ", ".join(t.name for t in event.topics)


@bp.route("/new", methods=["GET", "POST"])
@require(Permission.MANAGE_COMMUNITY)
def create():
    form = EventForm()
    if request.method == "GET":
        form.timezone.data = viewer_zone_name()
        form.hosts.data = current_user.email
    elif data := _validated(form, is_new=True):
        event = services.create_event(db.session, data, current_user)
        db.session.commit()
        return done(url_for("events.show", event_id=event.id),
                    "The event is saved as a draft. Check it, then publish it.")
    return render_form("events/form.html", form=form, event=None)


@bp.route("/<int:event_id>/edit", methods=["GET", "POST"])
@login_required
def edit(event_id: int):
    event = _managed(event_id)
    # Only the blank form takes the event's values: a posted form missing a field must
    # not fall back to the event's own (an int capacity, a list of hosts) and crash.
    form = EventForm(obj=event if request.method == "GET" else None)
    if request.method == "GET":
        _fill_form(form, event)
    elif data := _validated(form, is_new=False):
        changed = services.update_event(db.session, event, data)
        db.session.commit()
        told = f" Everyone going or waiting has been told about the new {' and '.join(changed)}." if (
            changed and event.is_published) else ""
        return done(url_for("events.show", event_id=event.id), f"The event has been saved.{told}")
    return render_form("events/form.html", form=form, event=event)


@bp.post("/<int:event_id>/duplicate")
@require(Permission.MANAGE_COMMUNITY)
def duplicate(event_id: int):
    event = _load(event_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    copy = services.duplicate(db.session, event, current_user)
    db.session.commit()
    return done(url_for("events.edit", event_id=copy.id), "This is a draft copy. Change what you need, then save.")


@bp.post("/<int:event_id>/publish")
@require(Permission.MANAGE_COMMUNITY)
def publish(event_id: int):
    event = _load(event_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        services.publish(db.session, event)
    except services.EventError as error:
        return done(url_for("events.show", event_id=event.id), error.message, category="error")
    db.session.commit()
    return done(url_for("events.show", event_id=event.id), "The event is published. Members can now find it.")


@bp.route("/<int:event_id>/cancel", methods=["GET", "POST"])
@require(Permission.MANAGE_COMMUNITY)
def cancel(event_id: int):
    event = _load(event_id)
    if not policies.cancellable(event, utcnow()):
        return redirect(url_for("events.show", event_id=event.id))
    form = CancelForm()
    if form.validate_on_submit():
        services.cancel(db.session, event, form.reason.data or "")
        db.session.commit()
        return done(url_for("events.show", event_id=event.id),
                    "The event is cancelled. Everyone who replied has been told.")
    return render_form("events/cancel.html", form=form, event=event)


# Hosting


@bp.get("/<int:event_id>/attendees")
@login_required
def attendees(event_id: int):
    event = _managed(event_id)
    return render("events/attendees.html", event=event,
                  going=services.attendees(db.session, event, Answer.GOING),
                  waiting=services.attendees(db.session, event, Answer.WAITING),
                  started=utcnow() >= event.starts_at, form=ConfirmForm())


@bp.get("/<int:event_id>/attendees.csv")
@login_required
def attendees_csv(event_id: int):
    event = _managed(event_id)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["Name", "Email", "Answer", "Waiting position", "Captions", "Interpreter",
                     "Other needs", "Attended"])
    for answer in (Answer.GOING, Answer.WAITING):
        for position, record in enumerate(services.attendees(db.session, event, answer), start=1):
            writer.writerow([
                _csv_safe(record.user.public_name), _csv_safe(record.user.email or ""), answer.value,
                position if answer == Answer.WAITING else "", "yes" if record.needs_captions else "",
                "yes" if record.needs_interpreter else "", _csv_safe(record.needs_other),
                {True: "yes", False: "no", None: ""}[record.attended],
            ])
    response = Response(out.getvalue(), mimetype="text/csv")
    response.headers["Content-Disposition"] = f'attachment; filename="event-{event.id}-attendees.csv"'
    return response


def _csv_safe(text: str) -> str:
    """Spreadsheets run cells starting with these as formulas; a leading quote stops that."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


@bp.post("/<int:event_id>/attendance")
@login_required
def attendance(event_id: int):
    event = _managed(event_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    ids = {n for v in request.form.getlist("attended") if (n := parse_whole(v, MAX_ID)) is not None}
    try:
        count = services.mark_attendance(db.session, event, ids)
    except services.EventError as error:
        return done(url_for("events.attendees", event_id=event.id), error.message, category="error")
    db.session.commit()
    return done(url_for("events.attendees", event_id=event.id),
                f"Attendance saved: {count} {'person' if count == 1 else 'people'} attended.")


@bp.route("/<int:event_id>/follow-up", methods=["GET", "POST"])
@login_required
def followup(event_id: int):
    event = _managed(event_id)
    form = FollowupForm(obj=None if request.method == "POST" else _FollowupValues(event))
    if form.validate_on_submit():
        try:
            sent = services.post_followup(db.session, event, form.summary.data, form.link.data or None,
                                          form.action.data or "")
        except services.EventError as error:
            form.summary.errors.append(error.message)
        else:
            db.session.commit()
            return done(url_for("events.show", event_id=event.id, _anchor="follow-up"),
                        f"The follow-up is on the event page and was emailed to {sent} "
                        f"{'attendee' if sent == 1 else 'attendees'}.")
    return render_form("events/followup.html", form=form, event=event)


class _FollowupValues:
    def __init__(self, event: Event) -> None:
        self.summary = event.followup_summary
        self.link = event.followup_link
        self.action = event.followup_action


@bp.route("/<int:event_id>/feedback", methods=["GET", "POST"])
@require(Permission.TAKE_PART)
def feedback(event_id: int):
    event = _load(event_id)
    if not policies.can_give_feedback(event, services.find_rsvp(db.session, event, current_user), utcnow()):
        abort(403)
    form = FeedbackForm()
    if form.validate_on_submit():
        services.leave_feedback(db.session, event, current_user, int(form.rating.data), form.worked.data or "",
                                form.improve.data or "")
        db.session.commit()
        return done(url_for("events.show", event_id=event.id), "Thank you for your feedback.")
    return render_form("events/feedback.html", form=form, event=event)


@bp.get("/<int:event_id>/feedback/results")
@login_required
def feedback_results(event_id: int):
    event = _managed(event_id)
    answers, average = services.feedback_summary(db.session, event)
    return render("events/feedback_results.html", event=event, answers=answers, average=average)

