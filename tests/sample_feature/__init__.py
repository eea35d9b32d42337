"""A feature that lives outside the portal's packages, to prove that adding a feature
takes one package and the ``FEATURES`` setting, and no edit to any other feature."""

from flask import Blueprint

from portal.core.features import Feature, NavEntry
from portal.core.htmx import render

bp = Blueprint("bookclub", __name__, url_prefix="/bookclub")


@bp.get("/")
def index():
    return render("pages/accessibility.html")


def feature() -> Feature:
    return Feature(
        name="bookclub",
        blueprint=bp,
        navigation=(NavEntry("Book club", "bookclub.index", order=25, section="/bookclub/"),),
        template_filters={"shout": str.upper},
    )
