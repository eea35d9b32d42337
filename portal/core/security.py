"""Security headers, rate-limit keys and safe redirects."""

from __future__ import annotations

import logging
import time
from urllib.parse import urlsplit

from flask import Flask, Response, abort, request
from flask_login import user_unauthorized

log = logging.getLogger("portal.security")

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' https: data:",
        "font-src 'none'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
        "form-action 'self'",
    ]
)

STATIC_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), interest-cohort=()",
}


def client_address() -> str:
    """The address rate limits count against (the proxy's ProxyFix sets ``remote_addr``)."""
    return request.remote_addr or "unknown"


def minutes_until(reset_at: float) -> int:
    """Whole minutes, at least one, until a rate limit's window resets (``reset_at``, epoch seconds)."""
    return max(1, round((reset_at - time.time()) / 60))


def is_safe_redirect(target: str | None) -> bool:
    """True only for a path on this site: no scheme, no host, no backslash tricks."""
    if not target:
        return False
    if "\\" in target or any(ord(c) < 32 for c in target):
        return False
    try:
        parts = urlsplit(target)
    except ValueError:  # "https://[::1", or a host that changes under NFKC ("//℀.example")
        return False
    return not parts.scheme and not parts.netloc and target.startswith("/") and not target.startswith("//")


def safe_next(target: str | None, fallback: str) -> str:
    """``target`` when it stays on this site, otherwise ``fallback``."""
    return target if is_safe_redirect(target) else fallback


def add_security_headers(response: Response) -> Response:
    for name, value in STATIC_HEADERS.items():
        response.headers.setdefault(name, value)
    if request.is_secure:
        response.headers.setdefault("Strict-Transport-Security", "max-age=31536000")
    return response


def has_control_characters(text: str) -> bool:
    """Control characters other than tab and line breaks: nobody types them, and PostgreSQL
    refuses NUL in text outright."""
    return any(ord(c) < 32 and c not in "\t\n\r" or c == "\x7f" for c in text)


def refuse_control_characters_in_the_address() -> None:
    """An address whose path (a slug) or query (a filter, a search) has a control character
    is a bad request, answered once here for every route rather than as an error deep in a
    query."""
    parameters = (part for pair in request.args.items(multi=True) for part in pair)
    if has_control_characters(request.path) or any(has_control_characters(p) for p in parameters):
        log_denial("control-characters")
        abort(400)


def log_denial(reason: str) -> None:
    log.warning("denied path=%s reason=%s address=%s", request.path, reason, client_address())


def _log_sign_in_required(_app: Flask, **_extra) -> None:
    log.warning("denied path=%s status=401 reason=signed-out address=%s", request.path, client_address())


def init_app(app: Flask) -> None:
    app.before_request(refuse_control_characters_in_the_address)
    app.after_request(add_security_headers)
    user_unauthorized.connect(_log_sign_in_required, app)
