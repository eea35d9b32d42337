"""The home page and the accessibility statement."""

from __future__ import annotations

from flask import Blueprint

from portal.blueprints.accounts.forms import ConfirmForm
from portal.core.htmx import render

bp = Blueprint("pages", __name__)


@bp.get("/")
def home():
    return render("pages/home.html", resend_form=ConfirmForm())


@bp.get("/accessibility")
def accessibility():
    return render("pages/accessibility.html")
