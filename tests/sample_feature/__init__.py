"""A feature that lives outside the portal's packages, to prove that adding a feature
takes one package and the ``FEATURES`` setting, and no edit to any other feature."""

from flask import Blueprint

from portal.blueprints.notifications.services import notify, path_for
from portal.core.features import Feature, NavEntry, NotificationKind
from portal.core.htmx import render

bp = Blueprint("bookclub", __name__, url_prefix="/bookclub")
NEW_BOOK = NotificationKind("bookclub.new_book", "New books to read together",
                            default="digest", hint="When the club picks its next book.")


@bp.get("/")
def index():
    return render("pages/accessibility.html")


def announce(session, readers, title: str, chosen_by=None) -> None:
    """Tell ``readers`` the club's next book: the feature's whole use of notifications."""
    notify(session, readers, NEW_BOOK.name, text=f"The book club's next book is “{title}”",
           url=path_for("bookclub.index"), target_text=title, actor=chosen_by)


def feature() -> Feature:
    return Feature(
        name="bookclub",
        blueprint=bp,
        navigation=(NavEntry("Book club", "bookclub.index", order=25, section="/bookclub/"),),
        template_filters={"shout": str.upper},
        notification_kinds=(NEW_BOOK,),
    )
