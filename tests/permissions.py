"""The authorisation matrix each feature's ``test_permissions`` fills in.

A feature lists its routes as rows ``(endpoint, method, path, form data, statuses)``: ``path``
may hold ``{names}`` filled from ``ids``; ``statuses`` has the status each role in the
feature's ``ROLES`` gets, in that order. Form data is None for a GET, a dict for a POST (the
form's CSRF token is added), or a string naming something ``arrange`` must set up first.
"""

from __future__ import annotations

from collections.abc import Callable

from portal.blueprints.accounts.models import User
from portal.core.permissions import Role
from tests.blueprints.accounts.factories import make_user, sign_in
from tests.blueprints.forums.factories import make_person
from tests.helpers import csrf_token

ROLE_NAMED = {"member": Role.MEMBER, "manager": Role.MANAGER, "admin": Role.ADMIN}


def make_viewer(session, role: str, **others: Callable[[], User]) -> User | None:
    """The visitor for ``role``: None when signed out, a new unverified account, a verified
    member, manager or admin; ``others`` makes the feature's own roles (or overrides these)."""
    if role in others:
        return others[role]()
    if role == "signed out":
        return None
    if role == "unverified":
        return make_user(session, verified=False)
    return make_person(session, role=ROLE_NAMED[role])


def assert_matrix(browser, viewer: User | None, routes, column: int, ids: dict, *,
                  token_page: str = "/", arrange: Callable[[str], bool] | None = None) -> None:
    """Sign in as ``viewer`` (unless None), request every route in order, and assert that each
    answers with its status in ``column``. ``arrange(name)`` prepares a row whose form data is
    a name, and returns False when the row does not apply to this viewer."""
    if viewer is not None:
        sign_in(browser, viewer)
    token = csrf_token(browser, token_page)
    got, expected = {}, {}
    for _endpoint, method, path, data, statuses in routes:
        label = f"{method} {path}"
        if isinstance(data, str):
            label += f" ({data})"
            if not arrange(data):
                got[label] = expected[label] = "skipped"
                continue
            data = {}
        url = path.format(**ids)
        if method == "GET":
            response = browser.client.get(url)
        else:
            response = browser.client.post(url, data={"csrf_token": token, **data})
        got[label] = response.status_code
        expected[label] = statuses[column]
    assert got == expected


def served_routes(app, belongs: Callable[[str], bool]) -> set[tuple[str, str]]:
    """Every (endpoint, method) the app serves whose endpoint ``belongs`` to the feature."""
    return {
        (rule.endpoint, method)
        for rule in app.url_map.iter_rules()
        if belongs(rule.endpoint)
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }


def covered_routes(routes) -> set[tuple[str, str]]:
    """Every (endpoint, method) that has a row in the matrix."""
    return {(endpoint, method) for endpoint, method, *_ in routes}
