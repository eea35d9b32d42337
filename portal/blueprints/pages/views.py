"""The home page and the accessibility statement."""

from __future__ import annotations

from flask import Blueprint
from flask_login import current_user

from portal.core.forms import ConfirmForm
from portal.blueprints.events import queries as events_queries
from portal.core.db import utcnow
from portal.core.htmx import render
from portal.extensions import db

bp = Blueprint("pages", __name__)


@bp.get("/")
def home():
    next_events = events_queries.next_for(db.session, current_user, utcnow()) if current_user.is_authenticated else []
    return render("pages/home.html", resend_form=ConfirmForm(), next_events=next_events)


@bp.get("/accessibility")
def accessibility():
    return render("pages/accessibility.html")
