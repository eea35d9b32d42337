"""The dashboard, and the people page where admins grant and remove roles."""

from __future__ import annotations

from flask import Blueprint, abort, request, url_for
from flask_login import current_user

from portal.blueprints.accounts.forms import RoleForm
from portal.blueprints.accounts.models import User
from portal.blueprints.accounts.services import AccountError, set_role
from portal.blueprints.forums import services as forum_services
from portal.blueprints.forums.forms import ModerationActionForm
from portal.blueprints.forums.models import Post
from portal.blueprints.manage import services
from portal.core.db import utcnow
from portal.core.htmx import done, render, render_form
from portal.core.permissions import Permission, Role, require
from portal.core.routing import page_arg
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
    page = page_arg()
    return role, query, page


@bp.get("/people")
@require(Permission.VIEW_PEOPLE)
def people():
    role, query, page = _people_filters()
    result = services.people(db.session, role=role, query=query, page=page)
    found = f"{result.total} {'person' if result.total == 1 else 'people'}{' found' if query or role else ''}."
    return render("manage/people.html", "manage/_people_results.html", announce=found,
                  result=result, role=role, query=query, roles=list(Role))


@bp.route("/people/<int:user_id>/role", methods=["GET", "POST"])
@require(Permission.MANAGE_ROLES)
def change_role(user_id: int):
    person = db.session.get(User, user_id)
    if person is None or person.is_deleted:
        abort(404)
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
