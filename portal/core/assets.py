"""Static files under fingerprinted URLs, cached for a year and never revalidated."""

from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from pathlib import Path

from flask import Blueprint, Flask, abort, send_from_directory, url_for

STATIC = Path(__file__).resolve().parent.parent / "static"
HTMX_FILE = "vendor/htmx.min.js"
FAVICON = "img/favicon.svg"
ONE_YEAR = 31536000
ONE_DAY = 86400

bp = Blueprint("assets", __name__)


@lru_cache(maxsize=64)
def _digest(filename: str, mtime_ns: int) -> str:
    return hashlib.sha256((STATIC / filename).read_bytes()).hexdigest()[:12]


def fingerprint(filename: str) -> str:
    path = STATIC / filename
    return _digest(filename, path.stat().st_mtime_ns)


def asset_url(filename: str) -> str:
    """The URL of a static file, named by its content so it can be cached for good."""
    return url_for("assets.serve", digest=fingerprint(filename), filename=filename)


def htmx_available() -> bool:
    return (STATIC / HTMX_FILE).is_file()


@bp.get("/assets/<digest>/<path:filename>")
def serve(digest: str, filename: str):
    path = (STATIC / filename).resolve()
    if not path.is_file() or STATIC not in path.parents:
        abort(404)
    current = digest == fingerprint(filename)
    response = _small_file(filename, ONE_YEAR if current else 0)
    if current:
        response.cache_control.immutable = True
        response.cache_control.public = True
    return response


@bp.get("/favicon.ico")
def favicon():
    """The icon, for what asks the conventional address rather than reading the page's
    ``<link rel="icon">``: the same SVG, kept for a day (its name is not fingerprinted)."""
    response = _small_file(FAVICON, ONE_DAY, mimetype="image/svg+xml")
    response.cache_control.public = True
    return response


def _small_file(filename: str, max_age: int, **options):
    response = send_from_directory(STATIC, filename, max_age=max_age, **options)
    # Read the small file now and close it: compression then gzips the whole body (a
    # streamed one would get no gzip and no length), and no file outlives its request.
    opened = response.response
    response.direct_passthrough = False
    response.make_sequence()
    if hasattr(opened, "close"):
        opened.close()
    return response


def htmx_config() -> str:
    """The ``<meta name="htmx-config">`` JSON that DESIGN.md fixes: no eval, no inline
    scripts, no history cache; 409 and 422 swapped so problems show in place."""
    return json.dumps(
        {
            "selfRequestsOnly": True,
            "allowEval": False,
            "allowScriptTags": False,
            "historyCacheSize": 0,
            "includeIndicatorStyles": False,
            "defaultFocusScroll": False,
            "responseHandling": [
                {"code": "204", "swap": False},
                {"code": "[23]..", "swap": True},
                {"code": "409", "swap": True, "error": False},
                {"code": "422", "swap": True, "error": False},
                {"code": "[45]..", "swap": False, "error": True},
            ],
        },
        separators=(",", ":"),
    )


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    app.jinja_env.globals.update(asset_url=asset_url, htmx_available=htmx_available, htmx_config=htmx_config)
    if not htmx_available() and not app.config["TESTING"]:
        app.logger.warning(
            "htmx is not installed (%s missing): pages work without it, only slower. "
            "Install Node.js and npm, then run `make run` again.", STATIC / HTMX_FILE
        )
