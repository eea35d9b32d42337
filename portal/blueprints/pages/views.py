"""The home page and the accessibility statement."""

from __future__ import annotations

from flask import Blueprint, session
from flask_login import current_user

from portal.blueprints.accounts import FIRST_VISIT
from portal.core.db import utcnow
from portal.core.features import registry
from portal.core.forms import ConfirmForm
from portal.core.htmx import render
from portal.extensions import db

bp = Blueprint("pages", __name__)


@bp.get("/")
def home():
    """Visitors see what is happening; members their own start page. Each section comes
    from the feature that owns it (``HomePanel``)."""
    user = current_user if current_user.is_authenticated else None
    panels = registry().home_panels_for(db.session, user, utcnow())
    # A form makes a token, which sets a cookie: only for the one who needs it.
    resend_form = ConfirmForm() if user and not user.is_verified else None
    return render("pages/home.html", resend_form=resend_form, panels=panels,
                  first_visit=bool(session.get(FIRST_VISIT)))


@bp.get("/health")
def health():
    """For load balancers and monitors: the app server answers. Touches no database, so it
    is also the benchmarks' ceiling for a request through this stack."""
    # Never kept: a cache would answer "ok" for a server that is down.
    return "ok\n", 200, {"Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store"}


@bp.get("/accessibility")
def accessibility():
    return render("pages/accessibility.html")
