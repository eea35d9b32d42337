"""Pages are discovered from the URL map: every GET endpoint needs page states."""

from __future__ import annotations

from urllib.parse import urlsplit

from werkzeug.exceptions import MethodNotAllowed, NotFound
from werkzeug.routing import MapAdapter

from a11y.pages import DOWNLOADS, NO_ROUTE, REGISTRY, all_states

NOT_PAGES = {"assets.serve"}  # fingerprinted static files, checked in test_site


def get_endpoints(app) -> set[str]:
    return {rule.endpoint for rule in app.url_map.iter_rules() if "GET" in rule.methods} - NOT_PAGES


def route_of(adapter: MapAdapter, url: str) -> str:
    """The endpoint ``url`` reaches, whatever its method, or NO_ROUTE."""
    path = urlsplit(url).path
    try:
        return adapter.match(path, method="GET")[0]
    except MethodNotAllowed as error:
        return adapter.match(path, method=sorted(error.valid_methods)[0])[0]
    except NotFound:
        return NO_ROUTE


def test_every_get_endpoint_has_page_states(portal):
    missing = sorted(get_endpoints(portal.app) - REGISTRY.keys() - DOWNLOADS.keys())
    assert not missing, (
        "These GET endpoints have no page states, so no accessibility check sees them: "
        + ", ".join(missing) + ". Register their states (with sample URLs) in a11y/pages.py, "
        "or offer(...) them there as downloads if they answer with a file."
    )


def test_every_page_state_and_download_reaches_its_endpoint(portal):
    adapter = portal.app.url_map.bind("127.0.0.1")
    checked = all_states() + [download for downloads in DOWNLOADS.values() for download in downloads]
    wrong = [f"{item.endpoint}: {item.url(portal)} reaches {route_of(adapter, item.url(portal))}"
             for item in checked if route_of(adapter, item.url(portal)) != item.endpoint]
    assert not wrong, "Page states whose URL reaches another endpoint:\n" + "\n".join(wrong)
