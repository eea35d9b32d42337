"""Test helpers: a client that forgets per-request state, a form-filling browser, the
outbox, and reading pages (text, links, elements, CSRF tokens)."""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urlsplit

from flask import g
from flask.ctx import _cv_app
from flask.testing import FlaskClient
from sqlalchemy import select
from werkzeug.datastructures import MultiDict
from werkzeug.test import TestResponse

from portal.core.mail import OutboxMessage
from tests.blueprints.accounts.factories import sign_in


class PortalTestClient(FlaskClient):
    """A test client whose requests start clean even inside the test's app context.

    Flask reuses an app context that is already pushed, so ``g`` (the user
    Flask-Login caches there, the CSRF token Flask-WTF caches) would otherwise
    outlive a request and leak between clients.
    """

    def open(self, *args, **kwargs):
        if _cv_app.get(None) is not None:
            vars(g._get_current_object()).clear()
        return super().open(*args, **kwargs)


@dataclass
class ParsedForm:
    action: str
    method: str
    fields: list[tuple[str, str]] = field(default_factory=list)
    choices: dict[str, list[str]] = field(default_factory=dict)
    checkable: set[str] = field(default_factory=set)
    buttons: list[tuple[str, str, str]] = field(default_factory=list)


class _FormParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[ParsedForm] = []
        self._form: ParsedForm | None = None
        self._textarea: str | None = None
        self._text: list[str] = []
        self._select: str | None = None
        self._button: dict | None = None

    def handle_starttag(self, tag, attrs):
        a = {k: (v or "") for k, v in attrs}
        if tag == "form":
            self._form = ParsedForm(a.get("action", ""), a.get("method", "get").lower())
            self.forms.append(self._form)
            return
        form = self._form
        if form is None:
            return
        name = a.get("name")
        if tag == "input" and name:
            kind = a.get("type", "text")
            if kind in ("checkbox", "radio"):
                form.checkable.add(name)
                form.choices.setdefault(name, []).append(a.get("value", "on"))
                if "checked" in a:
                    form.fields.append((name, a.get("value", "on")))
            elif kind in ("submit", "button"):
                form.buttons.append((name, a.get("value", ""), a.get("value", "")))
            else:
                form.fields.append((name, a.get("value", "")))
        elif tag == "textarea" and name:
            self._textarea, self._text = name, []
        elif tag == "select" and name:
            self._select = name
            form.choices.setdefault(name, [])
        elif tag == "option" and self._select is not None:
            form.choices.setdefault(self._select, []).append(a.get("value", ""))
            if "selected" in a:
                form.fields.append((self._select, a.get("value", "")))
        elif tag == "button":
            self._button = {"name": name or "", "value": a.get("value", ""), "text": []}

    def handle_data(self, data):
        if self._textarea is not None:
            self._text.append(data)
        if self._button is not None:
            self._button["text"].append(data)

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "textarea" and self._textarea is not None and self._form is not None:
            self._form.fields.append((self._textarea, "".join(self._text).removeprefix("\n")))
            self._textarea = None
        elif tag == "select":
            self._select = None
        elif tag == "button" and self._button is not None and self._form is not None:
            b = self._button
            self._form.buttons.append((b["name"], b["value"], " ".join("".join(b["text"]).split())))
            self._button = None


def forms_in(html: str) -> list[ParsedForm]:
    parser = _FormParser()
    parser.feed(html)
    return parser.forms


class Browser:
    """Fills in the forms a page really has, with no JavaScript, like a person would.

    ``submit`` refuses a field the form does not have, so a test cannot post
    what no person could.
    """

    def __init__(self, client: FlaskClient) -> None:
        self.client = client
        self.page: TestResponse | None = None
        self.url = "/"

    @property
    def html(self) -> str:
        return self.page.get_data(as_text=True)

    def get(self, url: str, **kwargs) -> TestResponse:
        self.url = url
        self.page = self.client.get(url, **kwargs)
        return self.page

    def follow(self, response: TestResponse) -> TestResponse:
        while response.status_code in (301, 302, 303, 307, 308):
            location = response.headers["Location"]
            parts = urlsplit(location)
            self.url = parts.path + (f"?{parts.query}" if parts.query else "")
            response = self.client.get(self.url)
        self.page = response
        return response

    def form(self, button: str | None = None, action: str | None = None) -> ParsedForm:
        """The form holding a submit button labelled ``button`` (or posting to ``action``)."""
        candidates = forms_in(self.html)
        for form in candidates:
            if action is not None and urlsplit(form.action).path != action:
                continue
            if button is not None and not any(button == text for _, _, text in form.buttons):
                continue
            return form
        labels = [[t for _, _, t in f.buttons] for f in candidates]
        raise AssertionError(f"No form with button {button!r} / action {action!r}; forms have {labels}")

    def submit(self, data: dict | None = None, button: str | None = None, action: str | None = None,
               follow: bool = True, headers: dict | None = None) -> TestResponse:
        form = self.form(button, action)
        data = data or {}
        names = {name for name, _ in form.fields} | set(form.choices)
        unknown = set(data) - names
        assert not unknown, f"The form has no fields {unknown}; it has {sorted(names)}"
        values: list[tuple[str, str]] = []
        for name, value in form.fields:
            if name in data:
                continue
            values.append((name, value))
        for name, value in data.items():
            if name in form.choices and value not in (None, False):
                if value is True:
                    value = form.choices[name][0]
                assert value in form.choices[name], f"{name} has no choice {value!r}"
            if value is None or value is False:
                continue
            values.append((name, value))
        for name, value, text in form.buttons:
            if name and (button is None or text == button):
                values.append((name, value))
                break
        target = form.action or self.url
        if form.method == "get":
            response = self.client.get(target, query_string=MultiDict(values), headers=headers or {})
        else:
            response = self.client.post(target, data=MultiDict(values), headers=headers or {})
        self.page = response
        return self.follow(response) if follow else response


HX = {"HX-Request": "true"}



def outbox(session, to: str | None = None) -> list[OutboxMessage]:
    """Queued emails, oldest first, optionally only those to one address."""
    query = select(OutboxMessage).order_by(OutboxMessage.id)
    if to is not None:
        query = query.where(OutboxMessage.recipient == to)
    return list(session.scalars(query))


def headers_of(message: OutboxMessage) -> dict:
    return json.loads(message.headers_json)


def text_of(response) -> str:
    """The body with character references decoded and runs of white space made one space."""
    return " ".join(html.unescape(response.get_data(as_text=True)).split())


def words_of(response) -> str:
    """The visible words of the page's ``main``, tags removed, white space collapsed."""
    markup = response.get_data(as_text=True)
    markup = markup[markup.index("<main"):markup.index("</main>")]
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", markup)).split())


def csrf_token(browser, url: str = "/forums/") -> str:
    """The session's CSRF token, read from ``url``; when that page has no form that needs
    one (most of a visitor's pages), from the sign-in form."""
    for page_url in (url, "/sign-in"):
        page = browser.client.get(page_url).get_data(as_text=True)
        found = re.search(r'name="csrf_token" value="([^"]+)"', page) or re.search(
            r'"X-CSRFToken": "([^"]+)"', page)
        if found:
            return found.group(1)
    raise AssertionError(f"no CSRF token on {url} or the sign-in page")


def browser_for(app, user) -> Browser:
    """A separate browser for ``user``, signed in through the real form (None: signed out)."""
    other = Browser(app.test_client())
    if user is not None:
        sign_in(other, user)
    return other


class Element:
    def __init__(self, tag: str, attrs: dict[str, str]) -> None:
        self.tag, self.attrs, self.text = tag, attrs, ""


class _Collector(HTMLParser):
    """Every element with its attributes and (for a few) its text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[Element] = []
        self._open: list[Element] = []

    def handle_starttag(self, tag, attrs):
        element = Element(tag, {k: v or "" for k, v in attrs})
        self.elements.append(element)
        if tag not in ("br", "img", "input", "meta", "link", "hr"):
            self._open.append(element)

    def handle_startendtag(self, tag, attrs):
        self.elements.append(Element(tag, {k: v or "" for k, v in attrs}))

    def handle_endtag(self, tag):
        for index in range(len(self._open) - 1, -1, -1):
            if self._open[index].tag == tag:
                del self._open[index:]
                break

    def handle_data(self, data):
        for element in self._open:
            element.text += data


def elements(markup: str) -> list[Element]:
    parser = _Collector()
    parser.feed(markup)
    parser.close()
    return parser.elements


def links(markup: str) -> list[tuple[str, str]]:
    """(accessible text, href) of every link; the text with white space collapsed."""
    return [(" ".join(e.text.split()), e.attrs.get("href", "")) for e in elements(markup) if e.tag == "a"]


def main_of(markup: str) -> str:
    """The page's ``main`` element: what the feature itself renders."""
    return markup[markup.index("<main"):markup.index("</main>")]


def test_settings(database_url: str, **more) -> dict:
    settings = {
        "ENV_NAME": "testing",
        "TESTING": True,
        "SECRET_KEY": "test-secret-key",
        "DATABASE_URL": database_url,
        "RATELIMIT_ENABLED": False,
        "BASE_URL": "http://portal.test",
        "SERVER_NAME": None,
    }
    settings.update(more)
    return settings


test_settings.__test__ = False  # a helper, not a test, though its name says so
