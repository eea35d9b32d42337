"""Checks of the page the browser shows. Each returns a list of problems, every one a
sentence naming the check, the rule and the element, so a failure says what to fix;
an empty list is a pass. ``check_page`` runs them all on one page load.

Most checks run small scripts from ``a11y/js/`` (each prefixed with ``common.js``).
They leave the page as they found it: viewport, media emulation and injected
styles are reset, and focus is returned to the start of the document.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import html5lib
from axe_selenium_python import Axe
from html5lib.constants import E as HTML5LIB_ERRORS

from a11y.browser import Chromium
from a11y.pages import PageState
from a11y.server import Exchange
from a11y.validator import Validator

ROOT = Path(__file__).resolve().parent.parent
AXE_SCRIPT = ROOT / "node_modules" / "axe-core" / "axe.min.js"
AXE_VERSION = "4.14."
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
CONTRAST_RULES = ["color-contrast", "link-in-text-block"]

HTML_CSS_BUDGET = 14 * 1024  # bytes, compressed: the first round trip
JS_BUDGET = 20 * 1024  # bytes, compressed, every script together
QUERY_BUDGET = 10  # SQL statements per request

LANDMARKS = ("banner", "main", "contentinfo")
NAMELESS_ROLES = ("", "generic", "none", "presentation", "StaticText", "InlineTextBox")
NOT_CONTROLS = ("RootWebArea",)

# Nothing when the error summary has focus; otherwise what has.
FOCUSED_ERROR_SUMMARY = """
const el = document.activeElement;
return el && el.matches('.error-summary') ? null : (el ? el.outerHTML.slice(0, 80) : 'nothing');
"""

REFLOW_WIDTH = 320
MAX_PRESSES_PER_STOP = 3  # a date input takes three presses of Tab (day, month, year)


@cache
def script(name: str) -> str:
    folder = Path(__file__).resolve().parent / "js"
    return (folder / "common.js").read_text() + "\n" + (folder / f"{name}.js").read_text()


@dataclass
class Figures:
    """What one page weighed and cost the database."""

    html_css: int = 0
    js: int = 0
    queries: int | None = None


@dataclass
class PageResult:
    title: str = ""
    figures: Figures = field(default_factory=Figures)
    axe_rules: int = 0
    problems: list[str] = field(default_factory=list)


# axe-core


def axe_violations(browser: Chromium, rules: list[str] | None = None) -> tuple[list[str], int]:
    """Run axe-core 4.14 on the page: every WCAG 2.x A/AA and best-practice rule, or only
    ``rules``. Returns one problem per failing element, and how many rules ran."""
    axe = Axe(browser.driver, script_url=str(AXE_SCRIPT))
    if not browser.js("return typeof axe !== 'undefined'"):
        axe.inject()
    version = browser.js("return axe.version")
    assert version.startswith(AXE_VERSION), f"axe-core {version} is injected; the suite needs {AXE_VERSION}x"
    run_only = {"type": "rule", "values": rules} if rules else {"type": "tag", "values": AXE_TAGS}
    results = axe.run(options=json.dumps({"runOnly": run_only, "resultTypes": ["violations"]}))
    problems = []
    for violation in results["violations"]:
        for node in violation["nodes"]:
            target = " ".join(str(t) for t in node["target"])
            fix = node.get("failureSummary", "").replace("\n", " ")
            problems.append(f"axe {violation['id']} ({violation['impact']}): {violation['help']} "
                            f"at `{target}`. {fix} See {violation['helpUrl']}")
    ran = sum(len(results[kind]) for kind in ("passes", "inapplicable", "incomplete", "violations"))
    return problems, ran


# Structure: landmarks, headings, names, title


def _ax_nodes_in_order(browser: Chromium) -> list[dict]:
    """The accessibility tree, flattened in document order, ignored nodes left out."""
    nodes = browser.cdp("Accessibility.getFullAXTree")["nodes"]
    by_id = {node["nodeId"]: node for node in nodes}
    ordered, pending = [], [nodes[0]["nodeId"]]
    while pending:
        node = by_id.get(pending.pop())
        if node is None:
            continue
        if not node.get("ignored"):
            ordered.append(node)
        pending.extend(reversed(node.get("childIds", [])))
    return ordered


def _role(node: dict) -> str:
    return node.get("role", {}).get("value", "")


def _name(node: dict) -> str:
    return str(node.get("name", {}).get("value", "")).strip()


def _property(node: dict, name: str):
    for prop in node.get("properties", []):
        if prop["name"] == name:
            return prop["value"].get("value")
    return None


def structure(browser: Chromium, state: PageState) -> list[str]:
    """One banner, main and contentinfo; exactly one h1; no heading level skipped; every
    focusable control with a role and a name; a title, "Error: " first when a form has
    errors; and then the error summary focused, each of its links reaching a field."""
    problems = []
    nodes = _ax_nodes_in_order(browser)
    for landmark in LANDMARKS:
        count = sum(_role(node) == landmark for node in nodes)
        if count != 1:
            problems.append(f"landmarks: the page has {count} `{landmark}` landmarks; it needs exactly one")
    headings = [(_property(node, "level"), _name(node)) for node in nodes if _role(node) == "heading"]
    top = [name for level, name in headings if level == 1]
    if len(top) != 1:
        problems.append(f"headings: the page has {len(top)} h1 headings ({top}); it needs exactly one")
    previous = 1
    for level, name in headings:
        if level and level > previous + 1:
            problems.append(f"headings: h{level} \"{name}\" follows h{previous}; do not skip heading levels")
        previous = level or previous
    for node in nodes:
        if not _property(node, "focusable") or _role(node) in NOT_CONTROLS:
            continue
        if _role(node) in NAMELESS_ROLES or not _name(node):
            problems.append(f"accessibility tree: a focusable control has role `{_role(node)}` and name "
                            f"\"{_name(node)}\"; give it a proper element or role and a label")
    problems += _title(browser, state)
    problems += [f"error summary: {link}" for link in browser.js(script("error_links"))]
    return problems


def _title(browser: Chromium, state: PageState) -> list[str]:
    title = browser.driver.title.strip()
    if not title:
        return ["title: the page has no <title>"]
    if state.has_form_errors != title.startswith("Error: "):
        if state.has_form_errors:
            return [f"title: \"{title}\" should start with \"Error: \" (the form has errors)"]
        return [f"title: \"{title}\" should not start with \"Error: \" (the form has no errors)"]
    if state.has_form_errors and browser.variant == "javascript":
        focused = browser.js(FOCUSED_ERROR_SUMMARY)
        if focused:
            return [f"error summary: focus is on {focused} after the page loads; "
                    "it belongs on the error summary (data-autofocus)"]
    return []


# Markup


def markup(exchange: Exchange, validator: Validator) -> list[str]:
    """The HTML as sent parses without errors (html5lib), uses each id once and is valid
    (the Nu Html Checker reports no errors)."""
    parser = html5lib.HTMLParser(strict=False, namespaceHTMLElements=False)
    document = parser.parse(exchange.text)
    problems = [f"HTML line {line}, column {column}: {HTML5LIB_ERRORS[code] % data}"
                for (line, column), code, data in parser.errors]
    ids: dict[str, int] = {}
    for element in document.iter():
        if isinstance(element.tag, str) and element.get("id"):
            ids[element.get("id")] = ids.get(element.get("id"), 0) + 1
    problems += [f"HTML: id \"{name}\" is used {count} times; ids must be unique"
                 for name, count in ids.items() if count > 1]
    return problems + validator.errors(exchange.text)


def duplicate_ids(browser: Chromium) -> list[str]:
    """Ids used twice in the live page (after a swap, say)."""
    return [f"DOM: id {entry}; ids must be unique" for entry in browser.js(script("duplicate_ids"))]


# Keyboard


def reset_focus(browser: Chromium) -> None:
    """Put the sequential focus starting point at the top of the document."""
    browser.js("const b = document.body; b.setAttribute('tabindex', '-1'); b.focus();"
               "b.removeAttribute('tabindex'); window.scrollTo(0, 0);")


def keyboard(browser: Chromium) -> list[str]:
    """Tab from the top: the skip link comes first and takes focus into main; every link,
    button and field is reached once, in DOM order, then focus leaves the page (no trap);
    each focused element shows an outline and is not covered."""
    stops = browser.js(script("stops"))
    if not stops:
        return []
    browser.js(script("instant_scroll"), True)
    try:
        return _tab_through(browser, stops)
    finally:
        browser.js(script("instant_scroll"), False)


def _tab_through(browser: Chromium, stops: list[str]) -> list[str]:
    problems = []
    if "skip-link" not in stops[0]:
        problems.append(f"keyboard: the first tab stop is {stops[0]}; it should be the skip link")
    reset_focus(browser)
    visited = []
    presses = MAX_PRESSES_PER_STOP * len(stops) + 3
    for _ in range(presses):
        browser.press()
        focused = browser.js(script("focused"))
        if focused["end"] or (visited and focused["stop"] == 0):
            break
        if visited and focused["stop"] is not None and focused["stop"] == visited[-1]["stop"]:
            continue  # the next part of a date or time input: the same stop
        visited.append(focused)
        for issue in ("outline", "covered"):
            if focused[issue]:
                problems.append(f"keyboard: focused {focused['name']}: {focused[issue]}")
    else:
        problems.append(f"keyboard: focus is trapped; after {presses} presses of Tab it is on "
                        f"{visited[-1]['name']} and has not left the page")
    if visited and visited[0]["stop"] != 0:
        problems.append(f"keyboard: the first Tab goes to {visited[0]['name']}, not the skip link")
    problems += _tab_order(stops, visited)
    problems += _skip_link(browser)
    reset_focus(browser)
    return problems


def _tab_order(stops: list[str], visited: list[dict]) -> list[str]:
    problems = [f"keyboard: Tab reached {v['name']}, which is not a visible link, button or field"
                for v in visited if v["stop"] is None]
    order = [v["stop"] for v in visited if v["stop"] is not None]
    problems += [f"keyboard: Tab never reaches {stops[i]}" for i in range(len(stops)) if i not in order]
    for before, after in zip(order, order[1:]):
        if after <= before:
            problems.append(f"keyboard: Tab goes from {stops[before]} back to {stops[after]}; "
                            "the tab order must follow the DOM order (no positive tabindex)")
    return problems


def _skip_link(browser: Chromium) -> list[str]:
    reset_focus(browser)
    browser.press()
    browser.press("Enter", 13, text="\r")
    focused = browser.js(script("focused"))
    if focused["end"] or not focused["inMain"]:
        where = "nowhere" if focused["end"] else focused["name"]
        return [f"keyboard: the skip link moves focus to {where}, not into main"]
    return []


# Size and spacing


def targets(browser: Chromium) -> list[str]:
    """WCAG 2.5.8: interactive targets at least 24 by 24 (inline links and spaced-out
    small targets excepted)."""
    return [f"target size: {problem}" for problem in browser.js(script("targets"))]


def text_spacing(browser: Chromium, where: str = "") -> list[str]:
    """WCAG 1.4.12: with line, paragraph, letter and word spacing raised, no text is cut off."""
    return [f"text spacing{where}: {problem}" for problem in browser.js(script("spacing"))]


def reflow(browser: Chromium) -> list[str]:
    """WCAG 1.4.10: at 320 CSS px wide nothing scrolls sideways (scroll regions excepted),
    and text spacing still cuts nothing off."""
    browser.cdp("Emulation.setDeviceMetricsOverride", width=REFLOW_WIDTH, height=800,
                deviceScaleFactor=1, mobile=False)
    try:
        problems = [f"reflow at {REFLOW_WIDTH} px: {problem}; the page scrolls sideways"
                    for problem in browser.js(script("reflow"))]
        return problems + text_spacing(browser, f" at {REFLOW_WIDTH} px")
    finally:
        browser.cdp("Emulation.clearDeviceMetricsOverride")


# Media preferences


def emulate(browser: Chromium, feature: str | None = None, value: str = "") -> None:
    features = [{"name": feature, "value": value}] if feature else []
    browser.cdp("Emulation.setEmulatedMedia", media="", features=features)


def media(browser: Chromium) -> list[str]:
    """With reduced motion nothing moves; with forced colours every focus outline still
    shows; in dark mode axe's contrast rules pass."""
    try:
        emulate(browser, "prefers-reduced-motion", "reduce")
        problems = [f"reduced motion: {moving}" for moving in browser.js(script("motion"))]
        emulate(browser, "forced-colors", "active")
        reset_focus(browser)
        browser.press()  # focus by keyboard, so :focus-visible applies to what follows
        problems += [f"forced colours: focused {problem}" for problem in browser.js(script("outlines"))]
        emulate(browser, "prefers-color-scheme", "dark")
        problems += [f"dark mode: {problem}" for problem in axe_violations(browser, CONTRAST_RULES)[0]]
    finally:
        emulate(browser)
        reset_focus(browser)
    return problems


# Budgets


def weight(browser: Chromium, exchange: Exchange | None) -> tuple[Figures, list[str]]:
    """Compressed HTML + CSS and JavaScript as the browser loaded them, requests to other
    origins, web fonts, and the SQL statements the server ran for the page."""
    loaded = browser.js(script("weight"))
    figures = Figures(html_css=loaded["html"] + loaded["css"], js=loaded["js"],
                      queries=exchange.query_count if exchange else None)
    problems = []
    if figures.html_css > HTML_CSS_BUDGET:
        problems.append(f"budget: HTML + CSS is {figures.html_css} bytes compressed "
                        f"(HTML {loaded['html']}, CSS {loaded['css']}); the budget is {HTML_CSS_BUDGET}")
    if figures.js > JS_BUDGET:
        problems.append(f"budget: JavaScript is {figures.js} bytes compressed; the budget is {JS_BUDGET}")
    problems += [f"budget: a request went to another origin: {url}" for url in loaded["foreign"]]
    problems += [f"budget: the page loads a web font: {font}" for font in loaded["fonts"]]
    if figures.queries is None:
        problems.append("budget: the response has no X-Query-Count header (is EXPOSE_QUERY_COUNT on?)")
    elif figures.queries > QUERY_BUDGET:
        problems.append(f"budget: the page ran {figures.queries} SQL queries; the budget is {QUERY_BUDGET}")
    return figures, problems


# Everything, on one page load


def check_page(browser: Chromium, validator: Validator, state: PageState, status: int,
               exchange: Exchange | None) -> PageResult:
    """Every check on the page as loaded for ``state``; the page is left as loaded."""
    result = PageResult(title=browser.driver.title)
    if status != state.status:
        result.problems.append(f"status: the page answered {status}; this state should answer {state.status}")
    result.problems += structure(browser, state)
    if exchange is None:
        result.problems.append("markup: the server recorded no response for this page")
    else:
        result.problems += markup(exchange, validator)
    violations, result.axe_rules = axe_violations(browser)
    result.problems += violations
    result.figures, over_budget = weight(browser, exchange)
    result.problems += over_budget
    result.problems += keyboard(browser)
    result.problems += targets(browser)
    result.problems += text_spacing(browser)
    result.problems += reflow(browser)
    result.problems += media(browser)
    return result
