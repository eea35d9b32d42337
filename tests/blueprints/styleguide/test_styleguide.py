"""The style guide: on in development and tests, not found in production."""

from __future__ import annotations

import pytest

from portal import create_app
from tests.blueprints.accounts.factories import sign_in
from tests.budget import CSS, QUERY_BUDGET, WEIGHT_BUDGET, compressed, measure
from tests.helpers import elements

PUBLIC = "https://mentoring.example.org"


def settings(tmp_path, **more) -> dict:
    return {"SECRET_KEY": "a-real-secret-key-for-the-tests-only-0123456789", "BASE_URL": PUBLIC,
            "DATABASE_URL": f"sqlite:///{tmp_path}/portal.sqlite3", **more}


@pytest.mark.parametrize("env, status", [("production", 404), ("development", 200), ("testing", 200)])
def test_the_style_guide_is_shown_in_development_and_tests_only(tmp_path, env, status):
    app = create_app(settings(tmp_path, ENV_NAME=env), instance_path=str(tmp_path))
    client = app.test_client()
    assert client.get("/style-guide", base_url=PUBLIC).status_code == status
    if env == "production":  # not there at all: its form is not checked for a token first
        assert client.post("/style-guide", base_url=PUBLIC).status_code == 404


def test_production_can_turn_it_on_and_development_off(tmp_path, monkeypatch):
    monkeypatch.setenv("PORTAL_STYLE_GUIDE", "yes")
    assert create_app(settings(tmp_path), instance_path=str(tmp_path)).config["STYLE_GUIDE"] is True
    monkeypatch.setenv("PORTAL_STYLE_GUIDE", "off")
    assert create_app(settings(tmp_path, ENV_NAME="development"),
                      instance_path=str(tmp_path)).config["STYLE_GUIDE"] is False


def test_it_draws_every_component_from_the_shared_macros(client):
    html = client.get("/style-guide").get_data(as_text=True)
    classes = {c for e in elements(html) for c in e.attrs.get("class", "").split()}
    assert {"button-primary", "button-secondary", "notice-info", "notice-warning", "notice-error",
            "notice-success", "tag", "badge", "toggle", "pagination", "panel", "summary-list",
            "date-badge", "event-card", "post-heading", "fieldset"} <= classes
    assert {f"avatar-{n}" for n in range(10)} <= classes and {"avatar-large", "avatar-small"} <= classes
    assert 'aria-pressed="true"' in html and 'aria-pressed="false"' in html
    assert 'aria-current="page"><span class="visually-hidden">Page </span>2<' in html
    assert "a former member</span>" in html and 'disabled>Unavailable action' in html


def test_members_see_who_is_going_within_the_budgets(app, browser, member):
    sign_in(browser, member)
    page = measure(app, browser.client, "/style-guide")
    assert b"Who is going" in page.html
    assert page.queries <= QUERY_BUDGET, page.statements
    assert compressed(page.html) + compressed(CSS.read_bytes()) <= WEIGHT_BUDGET


def test_the_sample_form_shows_its_errors_and_keeps_what_was_typed(browser):
    browser.get("/style-guide")
    response = browser.submit({"name": "", "contact": None, "captions": True}, button="Check these answers")
    assert response.status_code == 422
    assert "There is a problem" in browser.html and "<title>Error: Style guide" in browser.html
    assert '<a href="#name">Enter your name</a>' in browser.html
    assert '<a href="#contact-0">Choose how we should contact you</a>' in browser.html
    assert [e for e in elements(browser.html) if e.attrs.get("id") == "captions" and "checked" in e.attrs]
    browser.submit({"name": "Ada", "contact": "email"}, button="Check these answers")
    assert "your answers are correct" in browser.html
