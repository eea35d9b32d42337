"""Every route, every form field, every role, sent what careless people and attackers send:
control characters, overlong text, huge and non-ASCII numbers, huge ids, malformed
addresses and dates, fields left out and fields added. No answer may be a 5xx; an answer
of 4xx must have stored nothing; a form sent back with errors keeps what was typed.

Routes come from the app's URL map and field names from the pages' own forms (and, for
routes only ever posted to, from every form class), so a new route or field is covered
without anyone adding it here. It runs against a portal with the demo data, on a database
of its own, on SQLite or PostgreSQL as the suite does.
"""

from __future__ import annotations

import html
import re
from urllib.parse import urlsplit

import pytest
from sqlalchemy import func, select
from wtforms.fields.core import UnboundField

from portal import create_app, schema
from portal.blueprints.accounts import passwords
from portal.blueprints.accounts.models import MentorRequest, User
from portal.blueprints.events.models import Event
from portal.blueprints.forums.models import Category, Post, Thread
from portal.blueprints.manage.models import Suspension
from portal.core.features import registry
from portal.core.forms import PortalForm
from portal.core.routing import MAX_ID
from portal.extensions import db
from tests.helpers import Browser, PortalTestClient, forms_in, test_settings
from tests.live import CHEAP_HASHER, fresh_database

pytestmark = pytest.mark.live

ROLES = {None: None, "member": "member@example.org", "manager": "manager@example.org",
         "admin": "admin@example.org"}
DEMO_PASSWORD = "demo-password"
KEPT = "Ünïcode ² kept"  # printable, so a form sent back must show it again
HOSTILE = [
    "\x00", "before\x00after", "\x1b[31m", "\u202eecilA", "line one\r\nBcc: evil@example.org",
    "x" * 25_000, "9" * 5000, "²", "-1", str(MAX_ID + 1), "1e309", "https://[::1", "//\u2100.example",
    "javascript:alert(1)", "2027-02-30", "25:61", "2027-03-28", "01:30", " ", KEPT,
]
QUERY_NAMES = ("page", "q", "next", "quote", "topic", "format", "kind", "status", "show", "role", "sent_to")
SKIPPED_ENDPOINTS = {"assets.serve"}  # files, not pages: they read no input
IDS = {"event_id": Event, "thread_id": Thread, "post_id": Post, "category_id": Category, "user_id": User,
       "request_id": MentorRequest, "suspension_id": Suspension, "target_id": Post}


@pytest.fixture(scope="module")
def portal(database_url, tmp_path_factory):
    """The portal with its demo data, on a database of its own."""
    folder = tmp_path_factory.mktemp("fuzz")
    url, drop = fresh_database(database_url, folder)
    app = create_app(test_settings(url), instance_path=str(folder / "instance"))
    app.test_client_class = PortalTestClient
    engine = db.state(app).engine
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(passwords, "_hasher", CHEAP_HASHER)
        schema.upgrade(engine)
        with app.app_context():
            context: dict = {}
            for feature in registry().features:
                if feature.demo:
                    feature.demo(db.session, context)
            db.session.commit()
        yield app
    engine.dispose()
    drop()


def _rules():
    app = create_app(test_settings("sqlite://"))
    return sorted((r for r in app.url_map.iter_rules() if r.endpoint not in SKIPPED_ENDPOINTS),
                  key=lambda r: (r.rule, sorted(r.methods)))


RULES = _rules()


def _field_names_of_every_form() -> list[str]:
    names, classes = set(), [PortalForm]
    while classes:
        cls = classes.pop()
        classes += cls.__subclasses__()
        names |= {n for n in dir(cls) if isinstance(getattr(cls, n, None), UnboundField)}
    return sorted(names)


EVERY_FIELD = _field_names_of_every_form()


def _arguments(app, rule) -> list[dict]:
    """Values for the rule's arguments: real ones from the demo data, then impossible ones."""
    real, impossible = {}, {}
    with app.app_context():
        for name in rule.arguments:
            if name in IDS:
                model = IDS[name]
                real[name] = db.session.scalar(select(func.min(model.id))) or 1
                impossible[name] = MAX_ID
            elif name in ("year", "month"):
                real[name], impossible[name] = {"year": 2027, "month": 3}[name], {"year": 1, "month": 13}[name]
            elif name == "slug":
                real[name] = db.session.scalar(select(Category.slug).order_by(Category.id).limit(1))
                impossible[name] = "no-such-category"
            elif name in ("kind", "item_kind"):
                real[name], impossible[name] = "forums.post", "no.such-kind"
            else:
                real[name], impossible[name] = "not-a-real-token", "x" * 300
        db.session.rollback()
    return [real, impossible] if rule.arguments else [real]


def _table_counts(app) -> dict[str, int]:
    with app.app_context():
        counts = {t.name: db.session.scalar(select(func.count()).select_from(t)) for t in schema.metadata.sorted_tables}
        db.session.rollback()
    return counts


def _browser(app, role: str | None) -> Browser:
    browser = Browser(app.test_client())
    if ROLES[role]:
        browser.get("/sign-in")
        browser.submit({"email": ROLES[role], "password": DEMO_PASSWORD}, button="Sign in")
    return browser


def _token(browser) -> str:
    page = browser.client.get("/accessibility").get_data(as_text=True)
    found = re.search(r'"X-CSRFToken": "([^"]+)"', page)
    return found.group(1) if found else ""


def _forms_posting_to(page: str, path: str) -> list:
    return [f for f in forms_in(page) if f.method == "post" and urlsplit(f.action).path == path]


def _payloads(names: list[str], token: str) -> list[dict]:
    every = [{**{n: value for n in names}, "csrf_token": token} for value in HOSTILE]
    return [*every, {"csrf_token": token},  # everything left out
            {**{n: "" for n in names}, "csrf_token": token, "unexpected": "field", "csrf_token_2": "x"}]


def _check(problems: list, response, where: str) -> None:
    if response.status_code >= 500:
        problems.append(f"{where}: {response.status_code}")


@pytest.mark.parametrize("role", list(ROLES), ids=lambda r: r or "signed-out")
@pytest.mark.parametrize("rule", RULES, ids=lambda r: f"{r.endpoint}:{','.join(sorted(r.methods - {'HEAD', 'OPTIONS'}))}")
def test_no_input_gets_a_server_error_or_stores_anything_when_refused(portal, rule, role):
    problems: list[str] = []
    for arguments in _arguments(portal, rule):
        browser = _browser(portal, role)
        with portal.test_request_context():
            path = urlsplit(portal.url_for(rule.endpoint, **arguments)).path
        page = ""
        if "GET" in rule.methods:
            response = browser.client.get(path)
            _check(problems, response, f"GET {path}")
            page = response.get_data(as_text=True)
            for value in HOSTILE[:12]:
                _check(problems, browser.client.get(path, query_string={n: value for n in QUERY_NAMES}),
                       f"GET {path}?…={value[:20]!r}")
        if "POST" not in rule.methods:
            continue
        forms = _forms_posting_to(page, path)
        names = sorted({n for f in forms for n, _ in f.fields} | {n for f in forms for n in f.checkable}
                       - {"csrf_token"}) or EVERY_FIELD
        # What a person types: text inputs and text areas (not buttons, boxes or choices).
        typed = {n for f in forms for n, _ in f.fields if n not in f.checkable and n not in f.choices
                 and "password" not in n} - {"csrf_token"}
        token = dict(forms[0].fields).get("csrf_token", "") if forms else _token(browser)
        for payload in _payloads(names, token):
            before = _table_counts(portal)
            response = browser.client.post(path, data=payload)
            where = f"POST {path} with {next(iter(payload.values()))!r:.30}"
            _check(problems, response, where)
            if 400 <= response.status_code < 500:
                after = _table_counts(portal)
                changed = {t: (before[t], after[t]) for t in before if before[t] != after[t]}
                if changed:
                    problems.append(f"{where}: refused with {response.status_code} yet stored {changed}")
            if response.status_code == 422 and KEPT in payload.values() and typed:
                shown = html.unescape(response.get_data(as_text=True)).count(KEPT)
                if shown < len(typed):
                    problems.append(f"{where}: typed into {sorted(typed)}, shown again {shown} times")
    assert not problems, "\n".join(problems)
