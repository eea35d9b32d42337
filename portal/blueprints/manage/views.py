"""The dashboard, people and roles, mentor decisions, the one moderation queue,
suspensions, and the report page every reportable kind shares."""

from __future__ import annotations

from flask import Blueprint, Response, abort, request, url_for
from flask_login import current_user

from portal.blueprints.accounts import mentoring
from portal.blueprints.accounts.forms import MentorDecisionForm, RemoveMentorForm, RoleForm
from portal.blueprints.accounts.models import MentorRequest, User
from portal.blueprints.accounts.services import AccountError, set_role
from portal.blueprints.manage import policies, reports, services, suspensions
from portal.blueprints.manage.errors import ModerationError
from portal.blueprints.manage.forms import ModerationForm, QueueFilters, ReportForm, moderation_form
from portal.core.db import utcnow
from portal.core.features import Reportable, registry
from portal.core.forms import ConfirmForm
from portal.core.htmx import done, render, render_form, wants_fragment
from portal.core.permissions import Permission, Role, has_permission, require
from portal.core.routing import page_arg
from portal.extensions import db

bp = Blueprint("manage", __name__)

SUSPENSION_LISTS = {"current": "Current", "ended": f"Ended in the last {suspensions.ENDED_WITHIN.days} days"}


@bp.get("/manage/")
@require(Permission.MANAGE_COMMUNITY)
def dashboard():
    return render("manage/dashboard.html", overview=services.overview(db.session, utcnow()))


# People and roles


def _people_filters() -> tuple[str | None, str, int]:
    role = request.args.get("role") or None
    if role not in (None, *Role):
        role = None
    query = request.args.get("q", "").strip()[:100]
    return role, query, page_arg()


@bp.get("/manage/people")
@require(Permission.VIEW_PEOPLE)
def people():
    role, query, page = _people_filters()
    result = services.people(db.session, role=role, query=query, page=page)
    found = f"{result.total} {'person' if result.total == 1 else 'people'}{' found' if query or role else ''}."
    # The requests waiting head the full page; a filtered list (htmx) leaves them be.
    listing = has_permission(current_user, Permission.APPROVE_MENTORS) and not wants_fragment()
    return render("manage/people.html", "manage/_people_results.html", announce=found,
                  result=result, role=role, query=query, roles=list(Role),
                  waiting=mentoring.waiting(db.session) if listing else None,
                  asked=mentoring.pending_by_person(db.session, (p.id for p in result.items)))


# Mentors: approving and declining requests, removing mentor status


def _person_or_404(user_id: int) -> User:
    person = db.session.get(User, user_id)
    if person is None or person.is_deleted:
        abort(404)
    return person


@bp.route("/manage/mentor-requests/<int:request_id>", methods=["GET", "POST"])
@require(Permission.APPROVE_MENTORS)
def mentor_request(request_id: int):
    """One request: the member's note and history, and the decision while it waits.
    Once decided or withdrawn the page says so, and a decision posted then is a 409."""
    asking = db.session.get(MentorRequest, request_id)
    if asking is None or asking.user.is_deleted:
        abort(404)
    person = asking.user
    form = MentorDecisionForm()
    if asking.is_pending and form.validate_on_submit():
        try:
            message = _decide(asking, form)
        except mentoring.MentorError as error:
            form[error.field].errors.append(error.message)
        else:
            db.session.commit()
            return done(url_for("manage.people"), message)
    return _answer("manage/mentor_request.html", conflict=not asking.is_pending, form=form,
                   asking=asking, person=person, history=mentoring.history(db.session, person))


def _decide(asking: MentorRequest, form: MentorDecisionForm) -> str:
    name = asking.user.display_name
    if form.decision.data == "approve":
        mentoring.approve(db.session, asking, current_user)
        return f"{name} is now a mentor. We have emailed them."
    mentoring.decline(db.session, asking, current_user, form.reason.data)
    return f"You declined {name}’s request. We have emailed them your reason."


@bp.route("/manage/people/<int:user_id>/mentoring", methods=["GET", "POST"])
@require(Permission.APPROVE_MENTORS)
def mentor_status(user_id: int):
    """A person's mentor status and the decisions about it; a mentor's can be removed
    here. Removing from someone who is not a mentor (any more) is a 409."""
    person = _person_or_404(user_id)
    form = RemoveMentorForm()
    if person.is_mentor and form.validate_on_submit():
        try:
            mentoring.remove(db.session, person, current_user, form.reason.data)
        except mentoring.MentorError as error:
            form.reason.errors.append(error.message)
        else:
            db.session.commit()
            return done(url_for("manage.people"), f"{person.display_name} is no longer a mentor. "
                                                  "We have emailed them your reason.")
    return _answer("manage/mentor_status.html", conflict=not person.is_mentor, form=form,
                   person=person, mentor_status=mentoring.status_of(db.session, person),
                   history=mentoring.history(db.session, person))


def _answer(page: str, conflict: bool, **context):
    """The page again: 409 for a post about something already settled, else the form's answer."""
    if conflict and request.method == "POST":
        return render(page, status=409, **context)
    return render_form(page, **context)


@bp.route("/manage/people/<int:user_id>/role", methods=["GET", "POST"])
@require(Permission.MANAGE_ROLES)
def change_role(user_id: int):
    person = _person_or_404(user_id)
    form = RoleForm(obj=person)
    if form.validate_on_submit():
        try:
            set_role(db.session, person, Role(form.role.data))
        except AccountError as error:
            form.role.errors.append(error.message)
        else:
            db.session.commit()
            return done(url_for("manage.people"), f"{person.display_name} is now: {person.role_label}.")
    return render_form("manage/change_role.html", form=form, person=person)


# Reporting


def _reportable(kind: str) -> Reportable:
    reportable = registry().reportables.get(kind)
    if reportable is None:
        abort(404)
    return reportable


@bp.route("/report/<kind>/<int:target_id>", methods=["GET", "POST"])
@require(Permission.TAKE_PART)
def report(kind: str, target_id: int):
    reportable = _reportable(kind)
    item = reportable.load(db.session, [target_id]).get(target_id)
    if item is None or not policies.may_report(current_user, reportable, item):
        abort(404)  # nothing to report, and a hidden item's words must not show here
    earlier = reports.find_report(db.session, kind, target_id, current_user)
    form = ReportForm(reportable.noun, data={"reason": earlier.reason} if earlier and earlier.is_open else None)
    if form.validate_on_submit():
        reports.report(db.session, kind, target_id, current_user, form.reason.data)
        db.session.commit()
        return done(reportable.url(item), f"Thank you. The moderators will look at the {reportable.noun}.")
    return render_form("manage/report.html", form=form, reportable=reportable, item=item, target_id=target_id,
                       earlier=earlier)


# The moderation queue


def _queue_filters() -> QueueFilters:
    return QueueFilters(request.args, {kind: r.label for kind, r in registry().reportables.items()})


def _queue_context(filters: QueueFilters, failed: ModerationForm | None = None,
                   failed_entry: reports.Entry | None = None) -> dict:
    """The queue page: the filtered page of items, each with its decision form; after a
    decision that failed, that item's form (shown even if the item has left this page)."""
    result = reports.queue(db.session, registry().reportables, kind=filters.chosen_kind,
                           status=filters.status.data, page=page_arg())
    entries = list(result.items)
    if failed_entry is not None and failed_entry.key not in {e.key for e in entries}:
        entries.insert(0, failed_entry)
    forms = {e.key: moderation_form(e, submitted=False) for e in entries}
    if failed is not None:
        forms[failed_entry.key] = failed
    return {"result": result, "entries": entries, "forms": forms, "filters": filters, "failed": failed,
            "queue_args": _queue_args(filters)}


def _queue_args(filters: QueueFilters) -> dict:
    """The filters and page the moderator was on, to go back to after a decision."""
    page = page_arg()
    return {**filters.args, **({"page": page} if page > 1 else {})}


def _found(filters: QueueFilters, total: int) -> str:
    noun = "item" if total == 1 else "items"
    return f"{total} {noun} with open reports." if filters.status.data == reports.OPEN else \
        f"{total} {noun} handled."


@bp.get("/manage/moderation")
@require(Permission.MODERATE)
def queue():
    filters = _queue_filters()
    context = _queue_context(filters)
    return render("manage/queue.html", "manage/_queue_results.html",
                  announce=_found(filters, context["result"].total), **context)


def _decision_failed(filters: QueueFilters, entry: reports.Entry, form: ModerationForm) -> Response:
    """422: without JavaScript, the queue with the error summary at the top and the
    messages beside the item's fields; with htmx, the summary swapped into the top of
    the page (where focus goes) and the item, with its messages, swapped out of band."""
    if wants_fragment():
        response = render("manage/queue.html", "manage/_decision_failed.html", status=422,
                          entry=entry, form=form, queue_args=_queue_args(filters))
        response.headers["HX-Retarget"] = "#queue-errors"
        response.headers["HX-Reswap"] = "innerHTML"
        return response
    return render("manage/queue.html", status=422, **_queue_context(filters, form, entry))


@bp.post("/manage/moderation/<item_kind>/<int:target_id>")
@require(Permission.MODERATE)
def moderate(item_kind: str, target_id: int):
    """Decide on one item. Its kind is ``item_kind`` in the URL, leaving ``kind`` in the
    query string to the filters the moderator goes back to."""
    entry = reports.entry(db.session, _reportable(item_kind), target_id)
    if entry is None:
        abort(404)
    filters = _queue_filters()
    form = moderation_form(entry)
    if form.validate_on_submit():
        try:
            message = reports.decide(db.session, entry, current_user, form.decision())
        except ModerationError as error:
            getattr(form, error.field).errors.append(error.message)
        else:
            db.session.commit()
            back = url_for("manage.queue", **_queue_args(filters))
            if not wants_fragment():
                return done(back, message)
            after = reports.entry(db.session, entry.reportable, target_id)
            return done(back, message, "manage/_decided.html", entry=after, queue_args=_queue_args(filters),
                        form=moderation_form(after, submitted=False), confirmation=message)
    return _decision_failed(filters, entry, form)


# Suspensions


def _suspensions_context(shown: str, confirmation: str | None = None) -> dict:
    listing = suspensions.current if shown == "current" else suspensions.ended
    return {"result": listing(db.session, page_arg()), "shown": shown, "lists": SUSPENSION_LISTS,
            "days": suspensions.ENDED_WITHIN.days, "confirmation": confirmation}


@bp.get("/manage/suspensions", endpoint="suspensions")
@require(Permission.MODERATE)
def suspensions_page():
    shown = request.args.get("show", "current")
    if shown not in SUSPENSION_LISTS:
        shown = "current"
    return render("manage/suspensions.html", **_suspensions_context(shown))


@bp.post("/manage/suspensions/<int:suspension_id>/lift")
@require(Permission.MODERATE)
def lift(suspension_id: int):
    suspension = suspensions.find(db.session, suspension_id)
    if suspension is None:
        abort(404)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    name = suspension.person.display_name
    if suspensions.lift(db.session, suspension, current_user):
        message = f"The suspension is lifted: {name} can take part again."
    else:
        message = f"{name}’s suspension had already ended."
    db.session.commit()
    return done(url_for("manage.suspensions"), message, "manage/_suspensions.html",
                **_suspensions_context("current", confirmation=message))
