"""Member Markdown becomes inert, outline-friendly HTML; excerpts are plain text cut at a word;
its prose leaves out code and quotations."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

from portal.core.text import (
    ALLOWED_TAGS,
    excerpt,
    excerpt_of_html,
    mention_candidates,
    mentioned_names,
    prose,
    render_markdown,
    shown,
    slugify,
)

REL = "nofollow ugc noopener"

PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    '<a href="https://example.org" onclick="alert(1)">click</a>',
    '<p onmouseover="alert(1)">hover</p>',
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](java&#115;cript:alert(1))",
    "[click](vbscript:msgbox(1))",
    "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[click][evil]\n\n[evil]: javascript:alert(1)",
    "<javascript:alert(1)>",
    "![x](javascript:alert(1))",
    '<div hx-get="/sign-out" hx-trigger="load">x</div>',
    '<button hx-post="/account/delete" hx-target="body">Free gift</button>',
    '<div data-hx-get="/sign-out" data-hx-trigger="load">x</div>',
    '<svg onload="alert(1)"><circle r="1"/></svg>',
    "<svg><script>alert(1)</script></svg>",
    "<svg><a xlink:href=\"javascript:alert(1)\"><text>x</text></a></svg>",
    "![svg](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9ImFsZXJ0KDEpIi8+)",
    "<math><mtext><script>alert(1)</script></mtext></math>",
    "<iframe src=\"https://example.org\"></iframe>",
    '<form action="https://evil.example"><input name="password"></form>',
    '<meta http-equiv="refresh" content="0;url=https://evil.example">',
    "<style>body{display:none}</style>",
    '![alt" onerror="alert(1)](https://example.org/a.png)',
    "![a><svg onload=alert(1)>](https://example.org/a.png)",
    '[t](https://example.org "x\\" onmouseover=\\"alert(1)")',
]


class Elements(HTMLParser):
    """Every element and attribute the browser would build from the HTML."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, dict[str, str]]] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs) -> None:
        self.found.append((tag, {name: value or "" for name, value in attrs}))

    handle_startendtag = handle_starttag


def assert_inert(html: str) -> None:
    for tag, attrs in Elements(html).found:
        assert tag in ALLOWED_TAGS | {"h1", "h2"}, tag
        assert set(attrs) <= {"href", "title", "src", "alt", "rel", "scope", "start"}, attrs
        for name in ("href", "src"):
            if name in attrs:
                assert attrs[name].startswith(("https://", "http://", "mailto:", "/")), attrs


@pytest.mark.parametrize("source", PAYLOADS)
@pytest.mark.parametrize("images_as_links", [False, True])
def test_hostile_markdown_renders_inert(source, images_as_links):
    html = render_markdown(source, images_as_links=images_as_links)

    assert_inert(html)
    for live in ("<script", "<svg", "<iframe", "<form", "<meta", "<style", "<button", "<div"):
        assert live not in html.lower()


@pytest.mark.parametrize(
    "source",
    ["[f](ftp://example.org/f)", "[c](custom-app:open)", "![p](data:image/png;base64,iVBORw0K)"],
)
def test_addresses_other_than_web_and_mail_are_removed(source):
    html = render_markdown(source)

    assert [attrs for _, attrs in Elements(html).found if {"href", "src"} & set(attrs)] == []


def test_links_are_marked_as_user_content():
    html = render_markdown("[a mentor](https://example.org/m) or <https://example.org/auto>")

    links = [attrs for tag, attrs in Elements(html).found if tag == "a"]
    assert links == [
        {"href": "https://example.org/m", "rel": REL},
        {"href": "https://example.org/auto", "rel": REL},
    ]


@pytest.mark.parametrize(
    ("level", "expected"),
    [(3, ["h3", "h4", "h6"]), (2, ["h2", "h3", "h6"]), (5, ["h5", "h6", "h6"])],
)
def test_headings_are_demoted_below_the_page_heading(level, expected):
    html = render_markdown("# One\n\n## Two\n\n###### Six", heading_level=level)

    assert [tag for tag, _ in Elements(html).found] == expected


def test_images_without_alt_text_are_dropped():
    html = render_markdown("![](https://example.org/a.png) ![A heron](https://example.org/b.png)",
                           images_as_links=False)

    assert [attrs for tag, attrs in Elements(html).found if tag == "img"] == [
        {"src": "https://example.org/b.png", "alt": "A heron"}
    ]


def test_images_are_links_named_by_their_alt_text_unless_asked_for():
    html = render_markdown("![A heron & a fish](https://example.org/b.png)")

    assert "<img" not in html
    assert html == (
        '<p><a href="https://example.org/b.png" rel="nofollow ugc noopener">'
        "Image: A heron &amp; a fish</a></p>\n"
    )


def test_rendering_empty_or_missing_source_gives_nothing():
    assert render_markdown("") == ""
    assert render_markdown(None) == ""


def test_excerpt_keeps_short_text_whole_and_plain():
    assert excerpt("Fish **&** chips, <b>a < b</b>.\n\nSecond paragraph.") == (
        "Fish & chips, <b>a < b</b>. Second paragraph."
    )


@pytest.mark.parametrize(
    ("length", "expected"),
    [
        (13, "Finding a…"),
        (15, "Finding a…"),
        (16, "Finding a mentor…"),
        (17, "Finding a mentor…"),
        (18, "Finding a mentor…"),
        (99, "Finding a mentor today"),
    ],
)
def test_excerpt_cuts_at_a_word(length, expected):
    assert excerpt("Finding a *mentor* today", length) == expected


def test_excerpt_of_one_long_word_is_cut_to_the_length():
    assert excerpt("Donaudampfschifffahrtsgesellschaft", 10) == "Donaudampf…"


def test_a_slug_fits_its_limit_without_a_trailing_hyphen():
    assert slugify("Public speaking for beginners", 16) == "public-speaking"
    assert slugify("Café Überall", 80) == "cafe-uberall"
    assert slugify("???", 80) == "topic"


@pytest.mark.parametrize(("source", "expected"), [
    ("Hello *there*,\nfriend", "Hello there,\nfriend"),
    ("Run `make test` now", "Run   now"),
    ("Before\n\n```\ncode block\n```\n\n    indented code\n\nAfter", "Before\nAfter"),
    ("Said:\n\n> quoted\n> > deeper\n\nreplied", "Said:\nreplied"),
    ("- one [link](https://example.org)\n- ![alt text](https://example.org/i.png) two", "one link\n two"),
    ("", ""),
])
def test_prose_is_the_running_text_without_code_or_quotations(source, expected):
    assert prose(source) == expected


# Mentions: "@Name" of a known person becomes a highlighted link to them.

PEOPLE = {"amara okafor": "/people/1", "amara": "/people/2", "ben": "/people/3"}


@pytest.mark.parametrize(("source", "html"), [
    ("Thanks @Amara Okafor, that helps", '<p>Thanks <a href="/people/1" class="mention" rel="nofollow ugc noopener">'
                                         "@Amara Okafor</a>, that helps</p>"),
    ("@amara agreed", '<p><a href="/people/2" class="mention" rel="nofollow ugc noopener">@amara</a> agreed</p>'),
    ("@Amara Okafor's idea.", '<p><a href="/people/1" class="mention" rel="nofollow ugc noopener">'
                              "@Amara Okafor</a>'s idea.</p>"),
    ("Ask @Ben.", '<p>Ask <a href="/people/3" class="mention" rel="nofollow ugc noopener">@Ben</a>.</p>'),
])
def test_mentions_of_known_people_become_mention_links(source, html):
    assert str(render_markdown(source, mentions=PEOPLE)).strip() == html


@pytest.mark.parametrize("source", [
    "@Nobody here", "email me at ben@example.org", "`@Ben`", "> @Ben said so", "[ask @Ben](https://example.org)",
])
def test_unknown_names_quotes_code_and_links_mention_nobody(source):
    assert 'class="mention"' not in render_markdown(source, mentions=PEOPLE)


def test_without_mentions_nothing_is_linked_and_no_one_can_write_the_class():
    assert "<a" not in render_markdown("@Ben")
    assert "<a" not in render_markdown('<a class="mention" href="/x">x</a>')  # raw HTML stays text


@pytest.mark.parametrize(("words", "expected"), [
    ("Amara Okafor thanks", ["Amara Okafor thanks", "Amara Okafor", "Amara"]),
    ("J. Smith.", ["J. Smith", "J"]),
    ("Amara Okafor's idea", ["Amara Okafor's idea", "Amara Okafor's", "Amara Okafor", "Amara"]),
])
def test_a_mention_stands_for_its_first_words_longest_first(words, expected):
    assert mention_candidates(words) == expected


def test_mentioned_names_ignore_quotes_and_code_and_try_the_longest_names_first():
    assert mentioned_names("Hi @Amara Okafor thanks\n> @Quoted Person `@In Code`") == [
        "amara okafor thanks", "amara okafor", "amara"]
    assert mentioned_names("@Ben, then @Amara") == ["ben", "amara"]
    assert mentioned_names("mail me at a@b.org") == []


STORED = '<h3>Plan</h3><p><img src="https://example.org/a.png" alt="A chart"></p><h6>Deep</h6>'


def test_stored_html_is_shown_with_images_as_links_unless_the_reader_asked_for_them():
    assert str(shown(STORED, images_as_links=False)) == STORED
    assert str(shown(STORED)) == ('<h3>Plan</h3><p><a href="https://example.org/a.png" rel="nofollow ugc noopener">'
                                  'Image: A chart</a></p><h6>Deep</h6>')


def test_stored_headings_move_down_where_the_page_nests_them_deeper():
    assert str(shown(STORED, heading_level=4, images_as_links=False)).startswith("<h4>Plan</h4>")
    assert "<h6>Deep</h6>" in str(shown(STORED, heading_level=4))  # no level below six


def test_an_excerpt_of_stored_html_reads_as_the_excerpt_of_its_markdown():
    source = "# Plan\n\nWrite down **three questions** & bring them. " + "More words " * 30
    assert excerpt_of_html(str(render_markdown(source)), 60) == excerpt(source, 60)
    assert excerpt_of_html("<p>Fish &amp; chips</p>") == "Fish & chips"
