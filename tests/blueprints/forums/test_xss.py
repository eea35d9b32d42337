"""A cross-site-scripting corpus typed into every field the forums take — thread title,
body, reply, edit, report reason, hiding reason, category name and description — renders
inert on every page, fragment, email and feed that shows it."""

from __future__ import annotations

import html
import re
from urllib.parse import quote
from xml.etree import ElementTree

import pytest
from sqlalchemy import select

from portal.blueprints.forums import services
from portal.blueprints.forums.models import Category, Post, Thread
from tests.blueprints.forums.factories import first_post
from tests.helpers import HX, browser_for, elements, outbox

# Short enough for a category name (80 characters), each with a letter so it is a real title.
SHORT = [
    '<script>alert("xss")</script>',
    '<img src=x onerror=alert("xss")>',
    '"><svg onload=alert("xss")>',
    "javascript:alert('xss')",
    '<a hx-get="/xss" hx-trigger="load">x</a>',
    '<iframe src="javascript:alert(`xss`)">',
    "' onmouseover='alert(1)' data-xss='&amp;",
]
LONG = SHORT + [
    '[click me](javascript:alert("xss"))',
    '![xss](javascript:alert("xss"))',
    '[x](JaVaScRiPt:alert("xss"))',
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgneHNzJyk8L3NjcmlwdD4=)",
    "[x](vbscript:msgbox(\"xss\"))",
    '<math><mtext><table><mglyph><style><img src=x onerror=alert("xss")>',
    '<<script>script>alert("xss")<</script>/script>',
    "![alt\" onerror=\"alert('xss')](https://example.org/i.png)",
    '<svg><animate onbegin=alert("xss") attributeName=x dur=1s>',
    '<a href="https://example.org" data-hx-get="/xss">x</a>',
    "[x](https://example.org/\" onmouseover=\"alert('xss'))",
    '<details open ontoggle=alert("xss")>',
    "<button hx-post=\"/account/delete\" hx-target=\"body\">xss</button>",
]
BODY = "\n\n".join(LONG)

FORBIDDEN_TAGS = {"svg", "math", "iframe", "object", "embed", "style", "base", "frame", "frameset", "applet",
                  "details", "animate", "mglyph", "mtext", "xss"}
ASSETS = ("/assets/", "/static/")
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "data", "xlink:href", "poster", "background"}


def assert_inert(markup: str, where: str) -> None:
    """No element, attribute or URL from the corpus is live in ``markup``."""
    for element in elements(markup):
        label = f"{where}: <{element.tag} {element.attrs}>"
        assert element.tag not in FORBIDDEN_TAGS, label
        if element.tag == "script":
            assert element.attrs.get("src", "").startswith(ASSETS) and not element.text.strip(), label
        if element.tag == "link":
            assert element.attrs.get("rel") in {"stylesheet", "icon"} and element.attrs["href"].startswith(ASSETS), label
        if element.tag == "meta":
            assert "http-equiv" not in element.attrs, label
        for name, value in element.attrs.items():
            assert not name.startswith("on"), label
            if name.startswith(("hx-", "data-hx-")):
                assert value.strip() not in {"/xss", "/account/delete", "load", "body"}, label
            if name in URL_ATTRIBUTES:
                scheme = re.match(r"\s*([a-z][a-z0-9+.-]*):", value.lower().replace("\t", "").replace("\n", ""))
                assert scheme is None or scheme.group(1) in {"http", "https", "mailto"}, label
    for content in re.findall(r'<div class="[^"]*user-content[^"]*"([^>]*)>', markup):
        assert "data-hx-disable" in content, f"{where}: user content without data-hx-disable"


def assert_inert_feed(xml: bytes, title: str) -> None:
    root = ElementTree.fromstring(xml)  # raises if not well-formed
    atom = "{http://www.w3.org/2005/Atom}"
    assert root.find(f"{atom}title").text.startswith(title)
    for entry in root.findall(f"{atom}entry"):
        assert entry.find(f"{atom}title").text == title
        assert list(entry.find(f"{atom}title")) == [], "the title is text, not elements"
        content = entry.find(f"{atom}content")
        if content is not None:
            assert content.get("type") == "html" and list(content) == [], "html content is escaped text"
            assert_inert(content.text, "feed entry content")


@pytest.mark.parametrize("payload", SHORT)
def test_the_corpus_in_every_field_renders_inert(app, session, member, other, manager, payload):
    boss = browser_for(app, manager)
    boss.get("/forums/manage/new")
    boss.submit({"name": payload, "description": payload, "audience": "members", "position": "1"},
                button="Save category")
    assert boss.page.status_code == 200 and boss.url == "/forums/manage", boss.html[:500]
    category = session.scalars(select(Category).where(Category.name == payload)).one()
    assert category.description == payload
    services.subscribe_category(session, category, other)
    session.commit()

    author = browser_for(app, member)
    author.get(f"/forums/c/{category.slug}/new")
    author.submit({"title": payload, "body": BODY}, button="Post")
    thread = session.scalars(select(Thread).where(Thread.category_id == category.id)).one()
    assert thread.title == payload

    replier = browser_for(app, other)
    replier.get(f"/forums/t/{thread.id}")
    replier.submit({"body": BODY + "\n\nreply"}, button="Post")
    reply = session.scalars(select(Post).where(Post.thread_id == thread.id, Post.number == 2)).one()

    author.get(f"/forums/p/{first_post(session, thread).id}/edit")
    author.submit({"body": BODY + "\n\nedited"}, button="Post")
    opening = first_post(session, thread)
    assert opening.edited_at is not None

    replier.get(f"/report/forums.post/{opening.id}")
    replier.submit({"reason": payload}, button="Send report")

    pages = {
        "manage categories": (boss, "/forums/manage"),
        "category form": (boss, f"/forums/manage/{category.id}"),
        "index": (boss, "/forums/"),
        "category": (boss, f"/forums/c/{category.slug}/"),
        "thread (moderator)": (boss, f"/forums/t/{thread.id}"),
        "moderate": (boss, f"/forums/t/{thread.id}/moderate"),
        "history": (boss, f"/forums/p/{opening.id}/history"),
        "moderation queue": (boss, "/manage/moderation"),
        "search": (boss, "/forums/search?q=xss"),
        "search for the payload": (boss, "/forums/search?q=" + quote(payload)),
        "quote": (replier, f"/forums/t/{thread.id}/reply?quote={opening.id}"),
        "report": (replier, f"/report/forums.post/{opening.id}"),
        "delete": (replier, f"/forums/p/{reply.id}/delete"),
        "edit": (author, f"/forums/p/{opening.id}/edit"),
        "new thread": (author, f"/forums/c/{category.slug}/new"),
        "notifications": (replier, "/notifications"),
    }
    for where, (browser, url) in pages.items():
        response = browser.get(url)
        assert response.status_code == 200, where
        assert_inert(browser.html, where)
    assert "<mark>xss</mark>" in boss.get("/forums/search?q=xss").get_data(as_text=True)

    thread_page = boss.get(f"/forums/t/{thread.id}").get_data(as_text=True)
    h1 = [e for e in elements(thread_page) if e.tag == "h1"][0]
    assert h1.text == payload, "the title shows as typed, as text"
    shown = [e.text for e in elements(thread_page) if e.tag == "div" and "user-content" in e.attrs.get("class", "")]
    assert len(shown) == 2 and all('<script>alert("xss")</script>' in text for text in shown), "the body is text"

    # Previews, with and without htmx.
    for headers in ({}, HX):
        author.get(f"/forums/t/{thread.id}")
        response = author.submit({"body": BODY}, button="Preview", headers=headers, follow=False)
        assert response.status_code == 200
        assert_inert(response.get_data(as_text=True), f"preview {headers}")

    # A moderator hides the post with the payload as the reason; its author sees the reason.
    boss.get("/manage/moderation")
    prefix = f"forums-post-{opening.id}-"
    boss.submit({prefix + "action": "hide", prefix + "reason": payload},
                button=f"Decide on post {opening.number} in “{payload}”")
    assert boss.page.status_code == 200
    assert_inert(author.get(f"/forums/t/{thread.id}").get_data(as_text=True), "thread with the hiding reason")
    assert f"Reason: {payload}" in html.unescape(author.html)
    assert_inert(author.get("/notifications").get_data(as_text=True), "author's notifications")

    # The feed and every email.
    feed = browser_for(app, None).get(f"/forums/c/{category.slug}/feed.atom")
    assert feed.status_code == 200
    assert_inert_feed(feed.data, payload)
    mails = outbox(session)
    assert {m.recipient for m in mails} >= {member.email, other.email}
    for mail in mails:
        assert mail.html_body
        assert_inert(mail.html_body, f"email {mail.subject!r}")
