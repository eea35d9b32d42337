"""Features plug themselves in; core knows none of them."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

from portal import create_app, features
from portal.core.features import Feature, NavEntry, NotificationKind, Registry
from tests.helpers import test_settings

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


@pytest.fixture
def sample_app(database_url, tmp_path):
    settings = test_settings(database_url, FEATURES=[*features.INSTALLED, "tests.sample_feature"])
    return create_app(settings, instance_path=str(tmp_path))


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
