"""A feature that lives outside the portal's packages, to prove that adding a feature
takes one package and the ``FEATURES`` setting, and no edit to any other feature: it
adds a page, a navigation entry, a template filter, a kind of notification, and book
reviews members can report into the one moderation queue.

Its reviews live in ``REVIEWS`` (a dict, so the portal's schema gains no table);
tests fill it in and empty it again."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Blueprint, abort, url_for
from flask_login import current_user
from sqlalchemy import select

from portal.blueprints.accounts.models import User
from portal.blueprints.notifications.services import notify
from portal.core.features import Feature, NavEntry, NotificationKind, Reportable
from portal.core.htmx import render
from portal.core.routing import path_for

bp = Blueprint("bookclub", __name__, url_prefix="/bookclub", template_folder="templates")
NEW_BOOK = NotificationKind("bookclub.new_book", "New books to read together",
                            default="digest", hint="When the club picks its next book.")


@dataclass
class Review:
    id: int
    book: str
    text: str
    author_id: int
    hidden_reason: str | None = None  # None while readers see it


@dataclass(frozen=True)
class LoadedReview:
    """A review with its author, as the moderation queue and the report page need it."""

    review: Review
    author: User | None


REVIEWS: dict[int, Review] = {}


def load(session, ids: list[int]) -> dict[int, LoadedReview]:
    wanted = [REVIEWS[i] for i in ids if i in REVIEWS]
    authors = {u.id: u for u in session.scalars(select(User).where(User.id.in_([r.author_id for r in wanted])))}
    return {r.id: LoadedReview(r, authors.get(r.author_id)) for r in wanted}


def hide(session, item: LoadedReview, moderator, reason: str) -> None:
    item.review.hidden_reason = reason


def restore(session, item: LoadedReview, moderator) -> None:
    item.review.hidden_reason = None


@bp.get("/")
def index():
    return render("pages/accessibility.html")


def announce(session, readers, title: str, chosen_by=None) -> None:
    """Tell ``readers`` the club's next book: the feature's whole use of notifications."""
    notify(session, readers, NEW_BOOK.name, text=f"The book club's next book is “{title}”",
           url=path_for("bookclub.index"), target_text=title, actor=chosen_by)
@bp.get("/reviews/<int:review_id>")
def review(review_id: int):
    found = REVIEWS.get(review_id)
    if found is None:
        abort(404)
    mine = current_user.is_authenticated and current_user.id == found.author_id
    return render("bookclub/review.html", review=found, mine=mine)


REPORTABLE = Reportable(
    kind="bookclub.review",
    label="Book reviews",
    noun="review",
    load=load,
    template="bookclub/_reported_review.html",
    title=lambda item: f"the review of “{item.review.book}”",
    excerpt=lambda item: item.review.text,
    author=lambda item: item.author,
    url=lambda item: url_for("bookclub.review", review_id=item.review.id),
    can_see=lambda user, item: True,
    is_shown=lambda item: item.review.hidden_reason is None,
    is_hidden=lambda item: item.review.hidden_reason is not None,
    hide=hide,
    restore=restore,
)


def feature() -> Feature:
    return Feature(
        name="bookclub",
        blueprint=bp,
        navigation=(NavEntry("Book club", "bookclub.index", order=25, section="/bookclub/"),),
        template_filters={"shout": str.upper},
        notification_kinds=(NEW_BOOK,),
        reportables=(REPORTABLE,),
    )
