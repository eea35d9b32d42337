"""Numbers from addresses and forms, bounded: what a database column cannot hold never
reaches a query (PostgreSQL refuses it with an error, which was a 500)."""

from __future__ import annotations

from flask import Flask, current_app, has_request_context, request, url_for
from werkzeug.routing import IntegerConverter

# Ids are INTEGER columns: 32 bits on PostgreSQL.
MAX_ID = 2**31 - 1


def parse_whole(text: str | None, maximum: int) -> int | None:
    """``text`` as a whole number from 0 to ``maximum``, written in ASCII digits; None
    otherwise ("²" and "٣" are digits to Python but not to a person typing a number)."""
    if not text or not (text.isascii() and text.isdigit()) or len(text) > len(str(maximum)):
        return None
    number = int(text)
    return number if number <= maximum else None


def id_arg(name: str) -> int | None:
    """The id in query or form parameter ``name``, or None when absent or out of range."""
    return parse_whole(request.values.get(name), MAX_ID)


def page_arg() -> int:
    """The page number asked for in ``?page=``; 1 when absent or not a number. Pages past
    the last are the caller's to clamp."""
    return parse_whole(request.args.get("page"), MAX_ID) or 1


class IdConverter(IntegerConverter):
    """``<int:...>`` in a route: an id too large for its column matches no page (404)."""

    def __init__(self, url_map, fixed_digits: int = 0, min: int | None = None,  # noqa: A002
                 max: int | None = MAX_ID, signed: bool = False) -> None:  # noqa: A002
        super().__init__(url_map, fixed_digits, min, max, signed)


def init_app(app: Flask) -> None:
    """Before any route is added: every ``int`` in a route is a bounded id."""
    app.url_map.converters["int"] = IdConverter


def path_for(endpoint: str, **values) -> str:
    """The portal path of ``endpoint``, inside a request or outside one (commands,
    background work, rendering while a flush runs)."""
    if has_request_context():
        return url_for(endpoint, **values)
    with current_app.test_request_context():
        return url_for(endpoint, **values)
