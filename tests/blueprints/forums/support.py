"""Forums test helpers: the outbox, page text, CSRF tokens, other people's browsers."""

from __future__ import annotations

import html
import json
import re
from html.parser import HTMLParser

from sqlalchemy import select

from portal.core.mail import OutboxMessage
from tests.blueprints.accounts.factories import sign_in
from tests.helpers import Browser

HX = {"HX-Request": "true"}


def outbox(session, to: str | None = None) -> list[OutboxMessage]:
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
    page = browser.client.get(url).get_data(as_text=True)
    found = re.search(r'name="csrf_token" value="([^"]+)"', page) or re.search(
        r'"X-CSRFToken": "([^"]+)"', page)
    return found.group(1)


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
