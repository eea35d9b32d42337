"""``a11y/report/index.html``: every page and state checked, its problems, weight and queries,
so a person can look instead of reading logs."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from html import escape
from pathlib import Path
from urllib.parse import urlsplit

from a11y.checks import HTML_CSS_BUDGET, JS_BUDGET, QUERY_BUDGET, Figures

REPORT = Path(__file__).resolve().parent / "report" / "index.html"
GROUPS = ("Pages", "After htmx swaps", "Without JavaScript", "Across pages")  # in this order

STYLE = """
body { font: 1rem/1.5 system-ui, sans-serif; margin: 1rem auto; max-width: 80rem; padding: 0 1rem;
       color: #1b1b1b; }
table { border-collapse: collapse; width: 100%; margin: 1rem 0 2rem; }
caption { text-align: left; font-weight: 700; font-size: 1.25rem; padding: .5rem 0; }
th, td { text-align: left; vertical-align: top; padding: .4rem .5rem; border-bottom: 1px solid #8a9095; }
td.number { text-align: right; font-variant-numeric: tabular-nums; }
.pass { color: #1d6b3a; font-weight: 700; } .fail { color: #b3261e; font-weight: 700; }
.scroll { overflow-x: auto; }
ul { margin: 0; padding-left: 1.25rem; }
"""


@dataclass
class Entry:
    """One thing checked: a page state, an htmx interaction, a journey or a budget."""

    group: str  # one of GROUPS
    page: str
    state: str
    url: str = ""  # where the browser ended; the report shows its path
    status: int | None = None
    title: str = ""
    figures: Figures | None = None
    axe_rules: int | None = None
    seconds: float = 0.0
    problems: list[str] = field(default_factory=list)


class Report:
    def __init__(self) -> None:
        self.entries: list[Entry] = []

    def add(self, entry: Entry) -> None:
        self.entries.append(entry)

    def write(self, path: Path = REPORT) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(self.render(), encoding="utf-8")

    def render(self) -> str:
        groups = {name: [e for e in self.entries if e.group == name] for name in GROUPS}
        body = [self._summary()] + [self._table(name, entries) for name, entries in groups.items() if entries]
        stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
        return (f'<!doctype html>\n<html lang="en-GB">\n<head>\n<meta charset="utf-8">\n'
                f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
                f"<title>Accessibility report – {stamp}</title>\n<style>{STYLE}</style>\n</head>\n"
                f"<body>\n<main>\n<h1>Accessibility report</h1>\n"
                f"<p>Written {stamp} by <code>pytest a11y</code>.</p>\n"
                + "\n".join(body) + "\n</main>\n</body>\n</html>\n")

    def _summary(self) -> str:
        failed = [e for e in self.entries if e.problems]
        measured = [e.figures for e in self.entries if e.figures]
        heaviest = max((f.html_css for f in measured), default=0)
        scripts = max((f.js for f in measured), default=0)
        queries = max((f.queries or 0 for f in measured), default=0)
        verdict = ('<span class="fail">' + f"{len(failed)} with problems</span>" if failed
                   else '<span class="pass">no problems found</span>')
        pages = [e for e in self.entries if e.group == "Pages"]
        return ("<h2>Summary</h2>\n<ul>\n"
                f"<li>{len(self.entries)} checks: {len(pages)} states of "
                f"{len({e.page for e in pages})} pages, "
                f"and the htmx swaps, journeys without JavaScript and cross-page budgets: {verdict}.</li>\n"
                f"<li>Heaviest page: {heaviest:,} bytes of HTML + CSS compressed "
                f"(budget {HTML_CSS_BUDGET:,}); "
                f"JavaScript {scripts:,} bytes compressed (budget {JS_BUDGET:,}).</li>\n"
                f"<li>Most SQL queries on one page: {queries} (budget {QUERY_BUDGET}).</li>\n</ul>")

    def _table(self, name: str, entries: list[Entry]) -> str:
        rows = "\n".join(self._row(entry) for entry in entries)
        return (f'<div class="scroll" role="region" aria-label="{escape(name)}" tabindex="0">\n'
                f"<table>\n<caption>{escape(name)} ({len(entries)})</caption>\n<thead><tr>"
                '<th scope="col">Page</th><th scope="col">State</th><th scope="col">Address</th>'
                '<th scope="col">Status</th>'
                '<th scope="col">Title</th><th scope="col">HTML + CSS bytes</th><th scope="col">JS bytes</th>'
                '<th scope="col">Queries</th><th scope="col">Seconds</th><th scope="col">Violations</th>'
                f"</tr></thead>\n<tbody>\n{rows}\n</tbody>\n</table>\n</div>")

    def _row(self, e: Entry) -> str:
        f = e.figures
        address = urlsplit(e.url)._replace(scheme="", netloc="", fragment="").geturl() if e.url else ""
        verdict = ('<ul>' + "".join(f"<li>{escape(p)}</li>" for p in e.problems) + "</ul>" if e.problems
                   else '<span class="pass">none</span>')
        axe = f" ({e.axe_rules} axe rules)" if e.axe_rules else ""
        return (f'<tr><th scope="row">{escape(e.page)}</th><td>{escape(e.state)}{axe}</td>'
                f"<td><code>{escape(address)}</code></td>{_number(e.status)}"
                f"<td>{escape(e.title)}</td>{_number(f.html_css if f else None)}"
                f"{_number(f.js if f else None)}{_number(f.queries if f else None)}"
                f'<td class="number">{e.seconds:.1f}</td><td>{verdict}</td></tr>')


def _number(value: int | None) -> str:
    return f'<td class="number">{"" if value is None else f"{value:,}"}</td>'
