"""Who may keep a copy of a page.

A page for someone signed in, or for a visitor whose session holds anything (a form's
token, a message after a redirect, the address a link was just sent to), is
``private, no-store``: nobody in between keeps it. Any other page a GET answers is the
same for every visitor, so shared caches may keep it (``public``) for ``PUBLIC_CACHE_SECONDS`` and serve it a while longer while they fetch
a fresh one (``stale-while-revalidate``); its ``ETag`` lets a browser or cache ask
whether it changed and get a bodyless 304 when it did not. Flask-Compress, which runs
after this, gives the compressed body its own ETag and answers conditional requests
for it the same way.
"""

from __future__ import annotations

from flask import Flask, Response, current_app, request, session
from flask_login import current_user

SAFE_METHODS = frozenset({"GET", "HEAD"})


def is_shared_page() -> bool:
    """The response is the same for every signed-out visitor: nobody is signed in, and the
    session holds nothing the page could have shown (an address just sent to, a form's
    token, a message) and is not being set."""
    signed_in = current_user and current_user.is_authenticated
    return not signed_in and not session and not session.modified


def cache_policy(response: Response) -> Response:
    if request.path.startswith("/assets/") or "Cache-Control" in response.headers:
        return response  # fingerprinted files, and responses that chose for themselves
    if not is_shared_page():
        response.headers["Cache-Control"] = "private, no-store"
        return response
    if request.method in SAFE_METHODS and response.status_code == 200:
        seconds = current_app.config["PUBLIC_CACHE_SECONDS"]
        response.headers["Cache-Control"] = f"public, max-age={seconds}, stale-while-revalidate={seconds * 5}"
        response.add_etag()
        response.make_conditional(request)
    return response


def init_app(app: Flask) -> None:
    app.after_request(cache_policy)
