"""Features plug themselves in; core knows none of them. The sample feature (tests/
sample_feature) adds a page, a navigation entry, a filter, and book reviews that members
report into the one moderation queue, where they are hidden and restored, with no edit
to any other feature."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

from portal import create_app, features
from portal.core.features import Feature, NavEntry, NotificationKind, Registry
from portal.extensions import db
from tests import sample_feature
from tests.blueprints.accounts.factories import sign_in
from tests.blueprints.forums.factories import make_person
from tests.helpers import HX, Browser, PortalTestClient, test_settings, words_of

CORE = Path(__file__).resolve().parents[2] / "portal" / "core"
ALLOWED_FROM_CORE = ("portal.core", "portal.extensions", "portal.config")


def _imports(path: Path) -> list[str]:
    names = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names += [f"{node.module}.{alias.name}" for alias in node.names]
    return names


@pytest.mark.parametrize("path", sorted(CORE.glob("*.py")), ids=lambda p: p.name)
def test_core_imports_nothing_of_the_portal_but_core(path):
    theirs = [n for n in _imports(path) if n.startswith("portal.") and not n.startswith(ALLOWED_FROM_CORE)]
    assert theirs == [], f"{path.name} imports {theirs}"


def test_importing_all_of_core_loads_no_feature():
    modules = " ".join(f"portal.core.{p.stem}" for p in CORE.glob("*.py") if p.stem != "__init__")
    code = (f"import importlib, sys\nfor m in {modules.split()!r}: importlib.import_module(m)\n"
            "print(sorted(m for m in sys.modules if m.startswith(('portal.blueprints', 'portal.schema'))))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


def test_two_features_cannot_declare_the_same_notification_kind():
    kind = NotificationKind("shared.kind", "A kind")
    with pytest.raises(ValueError, match="shared.kind"):
        Registry([Feature("one", notification_kinds=(kind,)), Feature("two", notification_kinds=(kind,))])


def test_navigation_follows_the_declared_order():
    registry = Registry([Feature("b", navigation=(NavEntry("Later", "x.later", order=50),)),
                         Feature("a", navigation=(NavEntry("Sooner", "x.sooner", order=10),))])
    assert [e.label for e in registry.navigation] == ["Sooner", "Later"]


def test_two_features_cannot_declare_the_same_reportable_kind():
    with pytest.raises(ValueError, match="bookclub.review"):
        Registry([Feature("one", reportables=(sample_feature.REPORTABLE,)),
                  Feature("two", reportables=(sample_feature.REPORTABLE,))])


@pytest.fixture
def sample_app(database_url, tmp_path, transaction):
    """The portal with the sample feature installed, on the test's own transaction."""
    settings = test_settings(database_url, FEATURES=[*features.INSTALLED, "tests.sample_feature"])
    app = create_app(settings, instance_path=str(tmp_path))
    app.test_client_class = PortalTestClient
    state = db.state(app)
    state.bind, state.join_transaction_mode = transaction, "create_savepoint"
    yield app
    state.engine.dispose()


def test_a_new_feature_adds_its_pages_navigation_and_filters_by_itself(sample_app):
    page = sample_app.test_client().get("/bookclub/")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert '<a href="/bookclub/" aria-current="page">Book club</a>' in html
    assert html.index('href="/events/"') < html.index('href="/bookclub/"') < html.index('href="/forums/"')
    assert sample_app.jinja_env.filters["shout"]("hi") == "HI"


def test_the_installed_portal_does_not_know_the_sample_feature(app):
    assert "bookclub" not in app.blueprints
    assert "tests.sample_feature" not in features.INSTALLED


@pytest.fixture
def review(session):
    """A review in the sample feature's store, emptied again after the test."""
    author = make_person(session, display_name="Rob Reviewer")
    found = sample_feature.Review(1, "Tiny Habits", "Skip it, read my blog at spam.example instead.", author.id)
    sample_feature.REVIEWS[found.id] = found
    session.commit()
    yield found
    sample_feature.REVIEWS.clear()


def test_a_new_features_items_are_reported_queued_hidden_and_restored(sample_app, session, review):
    reader = Browser(sample_app.test_client())
    sign_in(reader, make_person(session, display_name="Rae Reader"))
    reader.get(f"/bookclub/reviews/{review.id}")
    reader.get("/report/bookclub.review/1")
    assert "Report the review of “Tiny Habits”" in words_of(reader.page)
    assert "Skip it, read my blog" in words_of(reader.page)
    reader.submit({"reason": "An advert, not a review"}, button="Send report")
    assert reader.url == "/bookclub/reviews/1"
    assert "Thank you. The moderators will look at the review." in words_of(reader.page)

    moderator = Browser(sample_app.test_client())
    sign_in(moderator, make_person(session, display_name="Mia Manager", role="manager"))
    moderator.get("/manage/moderation")
    words = words_of(moderator.page)
    assert "The review of “Tiny Habits” by Rob Reviewer Book reviews" in words
    assert "Rae Reader, " in words and ": An advert, not a review" in words
    assert "Read the review of “Tiny Habits”" in words, "shown through the feature's own template"
    moderator.submit({"kind": "bookclub.review"}, button="Show reports")
    assert "1 item with open reports" in words_of(moderator.page)

    button = "Decide on the review of “Tiny Habits”"
    moderator.submit({"bookclub-review-1-action": "hide", "bookclub-review-1-reason": "Adverts are not reviews"},
                     button=button)
    assert "The review is hidden and its author told why." in words_of(moderator.page)
    assert review.hidden_reason == "Adverts are not reviews"
    assert "A moderator hid this review." in words_of(reader.get("/bookclub/reviews/1"))
    assert reader.get("/report/bookclub.review/1").status_code == 404, "hidden items cannot be reported"

    moderator.get("/manage/moderation?status=handled")
    response = moderator.submit({"bookclub-review-1-action": "restore"}, button=button, headers=HX, follow=False)
    assert "Done: The review is restored." in response.get_data(as_text=True)
    assert review.hidden_reason is None
    assert "Skip it, read my blog" in words_of(reader.get("/bookclub/reviews/1"))
