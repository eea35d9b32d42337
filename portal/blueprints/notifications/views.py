"""Notification pages. Thin: load, authorise, validate, call a service, commit once."""

from __future__ import annotations

from flask import Blueprint, abort, request, url_for
from flask_login import current_user, login_required

from portal.blueprints.notifications import forms, services
from portal.core.forms import ConfirmForm
from portal.core.htmx import done, render, render_form
from portal.extensions import csrf, db

bp = Blueprint("notifications", __name__)


@bp.get("/notifications")
@login_required
def index():
    page = services.notifications_page(db.session, current_user, request.args.get("page", 1, type=int) or 1)
    return render("notifications/index.html", result=page, form=ConfirmForm())


@bp.post("/notifications/read")
@login_required
def mark_read():
    if not ConfirmForm().validate_on_submit():
        abort(400)
    services.mark_all_read(db.session, current_user)
    db.session.commit()
    return done(url_for("notifications.index"), "All notifications are marked as read.")


@bp.route("/account/notifications", methods=["GET", "POST"])
@login_required
def preferences():
    groups = services.kind_groups()
    kinds = [kind for _, declared in groups for kind in declared]
    current = services.deliveries(db.session, current_user) if request.method == "GET" else None
    form = forms.preferences_form(kinds, current)
    context = {"form": form, "sections": forms.sections(form, groups)}
    if not form.validate_on_submit():
        return render_form("notifications/preferences.html", "notifications/_preferences_form.html",
                           **context)
    saved = services.save_deliveries(db.session, current_user, forms.chosen(form, kinds))
    db.session.commit()
    return done(url_for("notifications.preferences"), saved.message,
                "notifications/_preferences_form.html", saved=saved, **context)


@bp.route("/unsubscribe/<token>", methods=["GET", "POST"])
@csrf.exempt  # mail clients post here with no token (RFC 8058); the signed token is the proof
def unsubscribe(token: str):
    """GET shows a button; POST (the button, or a mail client's one-click request) stops the emails."""
    payload = services.read_unsubscribe_token(token)
    if payload is None:
        abort(404)
    if request.method == "GET":
        return render("notifications/unsubscribe.html", token=token)
    message = services.apply_unsubscribe(db.session, payload)
    db.session.commit()
    return render("notifications/unsubscribed.html", message=message)
