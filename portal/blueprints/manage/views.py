"""The dashboard, and the people page where admins grant and remove roles."""

from __future__ import annotations

from flask import Blueprint, abort, request, url_for

from portal.blueprints.accounts.forms import RoleForm
from portal.blueprints.accounts.models import User
from portal.blueprints.accounts.services import AccountError, set_role
from portal.blueprints.manage import services
from portal.core.htmx import done, render
from portal.core.permissions import Permission, Role, require
from portal.extensions import db

bp = Blueprint("manage", __name__, url_prefix="/manage")


@bp.get("/")
@require(Permission.MANAGE_COMMUNITY)
def dashboard():
    return render("manage/dashboard.html", overview=services.overview(db.session))


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
    status = 422 if request.method == "POST" else 200
    return render("manage/change_role.html", form=form, person=person, status=status)
