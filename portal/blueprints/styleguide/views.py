"""The style guide page; its sample form is validated as any form is."""

from __future__ import annotations

from flask import Blueprint, url_for

from portal.blueprints.styleguide import samples
from portal.blueprints.styleguide.forms import SampleForm
from portal.core.db import utcnow
from portal.core.htmx import done, render, render_form

bp = Blueprint("styleguide", __name__)


@bp.route("/style-guide", methods=["GET", "POST"])
def show():
    """GET shows every component; sending the sample form shows its errors (422) or, when it
    is complete, a success notice after the redirect."""
    form = SampleForm()
    if form.validate_on_submit():
        return done(url_for("styleguide.show"), "Thank you: your answers are correct (nothing was saved).")
    now = utcnow()
    people = samples.people()
    thread, posts = samples.posts(people[2], now)
    context = dict(form=form, people=people, former=samples.former_member(now), event=samples.event(now),
                   thread=thread, posts=posts,
                   marks=samples.helpful_marks(people[5], now), pages=samples.page())
    if form.is_submitted():
        return render_form("styleguide/index.html", **context)
    return render("styleguide/index.html", **context)
