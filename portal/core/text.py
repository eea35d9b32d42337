"""Member-written Markdown, rendered and sanitised so it is inert and fits the page outline."""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Mapping

import nh3
from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token
from markupsafe import Markup

ALLOWED_TAGS = {
    "p", "br", "strong", "em", "code", "pre", "blockquote", "ul", "ol", "li",
    "a", "h3", "h4", "h5", "h6", "hr", "img", "del", "s", "table", "thead", "tbody",
    "tr", "th", "td",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "img": {"src", "alt"}, "th": {"scope"}, "ol": {"start"}}
URL_SCHEMES = {"http", "https", "mailto"}

# Raise when ``render_markdown`` would write different HTML for the same source: stored
# renderings older than this are rendered again by ``flask db upgrade`` (portal.core.rendered).
RENDERER_VERSION = 1

# "@Amara Okafor": an @ (not inside a word or after another @) and up to four words.
MENTION = re.compile(r"(?<![\w@])@(\w[\w'’.-]*(?:[ \t]+\w[\w'’.-]*){0,3})")


def mention_candidates(words: str) -> list[str]:
    """The names an @mention's ``words`` (``MENTION``'s group) may stand for, longest first,
    as written: each run of its first words, without a closing full stop, and without "'s".
    Links (``_known_name``) and notifications (forums' ``mentioned_names``) both use this,
    so a mention that is linked to someone is the mention that tells them."""
    candidates: list[str] = []
    for end in reversed([m.end() for m in re.finditer(r"\S+", words)]):
        written = words[:end].rstrip(".")
        for name in (written, re.sub(r"['’]s$", "", written)):
            if name not in candidates:
                candidates.append(name)
    return candidates


def _known_name(words: str, people: Mapping[str, str]) -> tuple[str, str] | None:
    """The longest name in ``words`` that ``people`` knows by its lowercased form, and that
    person's address."""
    for name in mention_candidates(words):
        if name.lower() in people:
            return name, people[name.lower()]
    return None


def _text_token(content: str) -> Token:
    token = Token("text", "", 0)
    token.content = content
    return token


def _mention_tokens(text: str, people: Mapping[str, str]) -> list[Token]:
    """``text`` with each @mention of a known person made a link of class "mention"."""
    tokens, done = [], 0
    for match in MENTION.finditer(text):
        found = _known_name(match.group(1), people)
        if found is None:
            continue
        name, href = found
        link = Token("link_open", "a", 1, attrs={"href": href, "class": "mention"})
        tokens += [_text_token(text[done:match.start()]), link, _text_token("@" + name), Token("link_close", "a", -1)]
        done = match.start(1) + len(name)
    tokens.append(_text_token(text[done:]))
    return [t for t in tokens if t.type != "text" or t.content]


def _link_mentions(state: StateCore) -> None:
    """A core rule: mentions of the people in ``env["mentions"]`` (lowercased name to
    address) become links, except in quotations, links and code, which name nobody
    (as ``prose`` has it; code is not a text token)."""
    people = state.env.get("mentions")
    if not people:
        return
    quoted = 0
    for block in state.tokens:
        quoted += {"blockquote_open": 1, "blockquote_close": -1}.get(block.type, 0)
        if block.type != "inline" or not block.children or quoted:
            continue
        children, in_link = [], 0
        for token in block.children:
            in_link += {"link_open": 1, "link_close": -1}.get(token.type, 0)
            if token.type == "text" and not in_link and "@" in token.content:
                children += _mention_tokens(token.content, people)
            else:
                children.append(token)
        block.children = children


_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("strikethrough").enable("table")
_markdown.core.ruler.push("mentions", _link_mentions)


def _demote_headings(html: str, top: int) -> str:
    """Shift headings so a post's ``#`` becomes ``<h{top}>``: the page keeps one h1."""

    def shift(match: re.Match) -> str:
        level = min(int(match.group(2)) + top - 1, 6)
        return f"<{match.group(1)}h{level}"

    return re.sub(r"<(/?)h([1-6])\b", shift, html)


def _images_as_links(html: str) -> str:
    """An image becomes a link to it, named by its alt text."""

    def as_link(match: re.Match) -> str:
        tag = match.group(0)
        src = re.search(r'src="([^"]*)"', tag)
        alt = re.search(r'alt="([^"]*)"', tag)
        label = alt.group(1) if alt and alt.group(1) else "an image"
        if src is None:  # its address was not one we allow: only the words are left
            return f"Image: {label}"
        return f'<a href="{src.group(1)}" rel="nofollow ugc noopener">Image: {label}</a>'

    return re.sub(r"<img\b[^>]*>", as_link, html)


def _drop_images_without_alt(html: str) -> str:
    return re.sub(r'<img\b(?![^>]*\balt="[^"]*[^"\s][^"]*")[^>]*>', "", html)


def render_markdown(source: str, *, heading_level: int = 3, images_as_links: bool = True,
                    mentions: Mapping[str, str] | None = None) -> Markup:
    """Markdown to safe HTML: no raw HTML, links http/https/mailto only and marked as
    user content, headings demoted below ``heading_level`` - 1, images only with alt text,
    and as links unless ``images_as_links`` is False (every image is on another site, which
    would learn who reads: a reader's choice). ``mentions`` maps lowercased names to the
    addresses of the people they name: "@Name" for one of them becomes a link of class
    "mention" (the longest name that fits wins: "@Amara Okafor" before "@Amara")."""
    raw = _markdown.render(source or "", {"mentions": mentions or {}})
    clean = nh3.clean(
        raw,
        tags=ALLOWED_TAGS | {"h1", "h2"},
        attributes=ALLOWED_ATTRIBUTES,
        allowed_classes={"a": {"mention"}},
        url_schemes=URL_SCHEMES,
        link_rel="nofollow ugc noopener",
    )
    clean = _demote_headings(clean, heading_level)
    clean = _drop_images_without_alt(clean)
    if images_as_links:
        clean = _images_as_links(clean)
    return Markup(clean)


def mentioned_names(source: str) -> list[str]:
    """Display names written as @Name in Markdown ``source``, lowercased, in the order they
    first appear; mentions in quotations and in code name nobody."""
    names: dict[str, None] = {}
    for match in MENTION.finditer(prose(source)):
        for name in mention_candidates(match.group(1)):
            names[name.lower()] = None
    return list(names)


def shown(stored: str, *, heading_level: int = 3, images_as_links: bool = True) -> Markup:
    """HTML that ``render_markdown`` stored (headings from level 3, images kept), as a page
    shows it: headings from ``heading_level`` (3 or deeper), images as links unless the
    reader chose to see them. No Markdown is parsed: a regular expression or nothing."""
    if heading_level > 3 and "<h" in stored:
        stored = _demote_headings(stored, heading_level - 2)
    if images_as_links and "<img" in stored:
        stored = _images_as_links(stored)
    return Markup(stored)


def excerpt(source: str, length: int = 160) -> str:
    """Plain text (not HTML: escape it to show it) of the first ``length`` characters
    of Markdown, cut at a word."""
    return _shorten(_markdown.render(source or ""), length)


def excerpt_of_html(stored: str, length: int = 160) -> str:
    """``excerpt`` of HTML that ``render_markdown`` stored: what pages use, parsing no Markdown."""
    return _shorten(stored, length)


def _shorten(rendered: str, length: int) -> str:
    text = html.unescape(nh3.clean(rendered, tags=set()))
    text = re.sub(r"\s+", " ", text).strip()
    if len(text) <= length:
        return text
    head = text[: length + 1]  # one more, to see whether the cut falls between words
    return (head.rsplit(" ", 1)[0] if " " in head else head[:length]) + "…"


def prose(source: str) -> str:
    """The running text of Markdown ``source``, as written: one line per line of text,
    leaving out code (inline and blocks) and quotations, which repeat or show words
    rather than say them (so an @name there addresses nobody)."""
    lines: list[str] = []
    quoted = 0
    for token in _markdown.parse(source or ""):
        if token.type == "blockquote_open":
            quoted += 1
        elif token.type == "blockquote_close":
            quoted -= 1
        elif token.type == "inline" and not quoted:
            parts = []
            for child in token.children or []:
                if child.type == "text":
                    parts.append(child.content)
                elif child.type in ("softbreak", "hardbreak"):
                    parts.append("\n")
                elif child.type == "code_inline":
                    parts.append(" ")  # keeps the words either side of the code apart
            lines.append("".join(parts))
    return "\n".join(lines)


def slugify(text: str, limit: int) -> str:
    """A lowercase, hyphenated key for ``text`` ("Public speaking" -> "public-speaking"), at
    most ``limit`` characters. Accents are dropped; letters of other scripts are kept
    ("日本語" stays "日本語")."""
    folded = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    slug = re.sub(r"[\W_]+", "-", folded.lower()).strip("-")
    return slug[:limit].rstrip("-") or "topic"
