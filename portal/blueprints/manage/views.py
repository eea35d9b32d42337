"""The dashboard, the people page where admins grant and remove roles, and where
community managers decide who mentors."""

from __future__ import annotations

from flask import Blueprint, abort, request, url_for
from flask_login import current_user

from portal.blueprints.accounts import mentoring
from portal.blueprints.accounts.forms import MentorDecisionForm, RemoveMentorForm, RoleForm
from portal.blueprints.accounts.models import MentorRequest, User
from portal.blueprints.accounts.services import AccountError, set_role
from portal.blueprints.forums import services as forum_services
from portal.blueprints.forums.forms import ModerationActionForm
from portal.blueprints.forums.models import Post
from portal.blueprints.manage import services
from portal.core.db import utcnow
from portal.core.htmx import done, render, render_form, wants_fragment
from portal.core.permissions import Permission, Role, has_permission, require
from portal.extensions import db

bp = Blueprint("manage", __name__, url_prefix="/manage")


@bp.get("/")
@require(Permission.MANAGE_COMMUNITY)
def dashboard():
    return render("manage/dashboard.html", overview=services.overview(db.session, utcnow()))


def _people_filters() -> tuple[str | None, str, int]:
    role = request.args.get("role") or None
    if role not in (None, *Role):
        role = None
    query = request.args.get("q", "").strip()[:100]
    page = request.args.get("page", 1, type=int) or 1
    return role, query, page


@bp.get("/people")
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


@bp.route("/mentor-requests/<int:request_id>", methods=["GET", "POST"])
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


@bp.route("/people/<int:user_id>/mentoring", methods=["GET", "POST"])
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


@bp.route("/people/<int:user_id>/role", methods=["GET", "POST"])
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
    status = 422 if request.method == "POST" else 200
    return render("manage/change_role.html", form=form, person=person, status=status)


@bp.get("/reports")
@require(Permission.MODERATE)
def reports():
    return render("manage/reports.html", reports=forum_services.open_reports(db.session), form=ModerationActionForm())


@bp.post("/reports/<int:post_id>")
@require(Permission.MODERATE)
def resolve_report(post_id: int):
    post = db.session.get(Post, post_id)
    if post is None:
        abort(404)
    form = ModerationActionForm()
    if form.validate_on_submit():
        try:
            _moderate(post, form.action.data, form.reason.data or "")
        except forum_services.ForumError as error:
            form.reason.errors.append(error.message)
        else:
            db.session.commit()
            return done(url_for("manage.reports"), MODERATION_DONE[form.action.data])
    return render("manage/reports.html", reports=forum_services.open_reports(db.session), form=form,
                  failed_post_id=post.id, status=422)


MODERATION_DONE = {
    "dismiss": "The report is dismissed.",
    "hide": "The post is hidden and its author told why.",
    "suspend": "The post is hidden and its author suspended from taking part.",
}


def _moderate(post: Post, action: str, reason: str) -> None:
    if action == "dismiss":
        forum_services.dismiss_reports(db.session, post, current_user)
        return
    if action == "suspend":
        forum_services.suspend_author(db.session, post, current_user, reason)
    forum_services.hide_post(db.session, post, current_user, reason)
