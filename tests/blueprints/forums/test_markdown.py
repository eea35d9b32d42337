"""What a post's Markdown becomes on the page: the outline kept, links marked as user
content, images only with alt text, and links instead of images unless the reader chose
pictures from other sites (and never in low-data mode)."""

from __future__ import annotations

import re

import pytest

from portal.core.text import render_markdown
from tests.blueprints.accounts.factories import sign_in
from tests.blueprints.forums.factories import make_person, make_post, make_thread
from tests.helpers import elements, main_of


def _user_content(markup: str) -> str:
    return "".join(re.findall(r'<div class="user-content" data-hx-disable>(.*?)</div>', markup, flags=re.S))


def _thread_page(browser, session, category, body: str, reader=None) -> str:
    thread = make_thread(session, category, body="Opening")
    make_post(session, thread, body=body)
    if reader is not None:
        sign_in(browser, reader)
    return browser.get(f"/forums/t/{thread.id}").get_data(as_text=True)


def test_headings_in_posts_are_demoted_below_the_post_heading(browser, session, category):
    page = _thread_page(browser, session, category, "# Big\n\n## Smaller\n\n### Smaller still\n\n#### Four")
    content = _user_content(page)
    assert re.findall(r"<h(\d)>(\w[\w ]*)</h\1>", content) == [
        ("3", "Big"), ("4", "Smaller"), ("5", "Smaller still"), ("6", "Four")]
    headings = [int(e.tag[1]) for e in elements(main_of(page)) if re.fullmatch(r"h[1-6]", e.tag)]
    assert headings.count(1) == 1
    assert all(b - a <= 1 for a, b in zip(headings, headings[1:], strict=False)), headings


def test_links_are_kept_only_for_web_and_mail_and_marked_as_user_content(browser, session, category):
    page = _thread_page(browser, session, category,
                        "[site](https://example.org/a) [plain](http://example.org/b) [mail](mailto:a@example.org) "
                        "[ftp](ftp://example.org/c) [js](javascript:alert(1)) <https://example.org/auto>")
    anchors = [e for e in elements(_user_content(page)) if e.tag == "a"]
    assert [(a.text, a.attrs.get("href")) for a in anchors] == [
        ("site", "https://example.org/a"), ("plain", "http://example.org/b"), ("mail", "mailto:a@example.org"),
        ("ftp", None), ("https://example.org/auto", "https://example.org/auto")]
    assert all(a.attrs["rel"] == "nofollow ugc noopener" for a in anchors)
    assert "javascript:" not in " ".join(str(a.attrs) for a in anchors)


def test_images_are_shown_only_with_alt_text_to_readers_who_chose_them(browser, session, category):
    page = _thread_page(browser, session, category,
                        "![A chart of mentoring hours](https://example.org/chart.png)\n\n"
                        "![](https://example.org/no-alt.png)\n\n![ ](https://example.org/blank-alt.png)",
                        reader=make_person(session, show_remote_images=True))
    images = [e.attrs for e in elements(_user_content(page)) if e.tag == "img"]
    assert images == [{"src": "https://example.org/chart.png", "alt": "A chart of mentoring hours"}]


@pytest.mark.parametrize("choices", [{}, {"low_data": True, "show_remote_images": True}],
                         ids=["not chosen", "low-data mode wins"])
def test_without_choosing_pictures_a_reader_gets_a_link_instead(browser, session, category, choices):
    reader = make_person(session, **choices)
    page = _thread_page(browser, session, category,
                        "![A chart of mentoring hours](https://example.org/chart.png)\n\n"
                        "![](https://example.org/no-alt.png)", reader=reader)
    content = _user_content(page)
    assert "<img" not in content
    anchors = [(e.text, e.attrs["href"]) for e in elements(content) if e.tag == "a"]
    assert anchors == [("Image: A chart of mentoring hours", "https://example.org/chart.png")]


def test_previews_follow_the_same_rules(browser, session, category):
    reader = make_person(session, low_data=True)
    sign_in(browser, reader)
    browser.get(f"/forums/c/{category.slug}/new")
    browser.submit({"title": "Pictures", "body": "# Heading\n\n![Alt](https://example.org/a.png)"}, button="Preview")
    assert "<h3>Heading</h3>" in browser.html and "Image: Alt</a>" in browser.html and "<img" not in browser.html


@pytest.mark.parametrize(("source", "expected"), [
    ("**bold** and *em* and ~~gone~~", "<p><strong>bold</strong> and <em>em</em> and <s>gone</s></p>"),
    ("> quoted\n\nnot", "<blockquote>\n<p>quoted</p>\n</blockquote>\n<p>not</p>"),
    ("1. one\n2. two", "<ol>\n<li>one</li>\n<li>two</li>\n</ol>"),
    ("`<b>`", "<p><code>&lt;b&gt;</code></p>"),
    ("<b>raw</b>", "<p>&lt;b&gt;raw&lt;/b&gt;</p>"),
])
def test_everyday_markdown_renders(source, expected):
    assert str(render_markdown(source)).strip() == expected
