"""One URL, two renderings: a full page for browsers, a fragment for htmx."""

from __future__ import annotations

from flask import Response, flash, make_response, redirect, render_template, request
from markupsafe import Markup, escape

from portal.extensions import htmx


def wants_fragment() -> bool:
    """An htmx request that expects a fragment (history restores want full pages)."""
    return bool(htmx) and not htmx.history_restore_request


def live_region_update(message: str) -> Markup:
    """An out-of-band swap that puts ``message`` into the page's one status region."""
    return Markup('<div id="live-region" data-hx-swap-oob="innerHTML">{}</div>').format(escape(message))


def render(
    page: str,
    fragment: str | None = None,
    *,
    announce: str | None = None,
    status: int = 200,
    **context,
) -> Response:
    """Render ``fragment`` (plus the announcement) for htmx, otherwise the full ``page``.

    The page template includes the fragment, so both renderings share markup.
    A 422 marks the page as having errors, so its title starts "Error: ".
    """
    context.setdefault("page_has_errors", status == 422)
    if fragment and wants_fragment():
        body = Markup(render_template(fragment, **context))
        if announce:
            body += live_region_update(announce)
        response = make_response(body, status)
    else:
        response = make_response(render_template(page, **context), status)
    response.vary.add("HX-Request")
    return response


def render_form(page: str, fragment: str | None = None, **context) -> Response:
    """A page with a form: 200 when first shown, 422 when a submission brought it back
    with errors; the same for both renderings."""
    status = 422 if request.method == "POST" else 200
    return render(page, fragment, status=status, **context)


def done(
    location: str,
    message: str,
    fragment: str | None = None,
    *,
    category: str = "success",
    **context,
) -> Response:
    """Finish a successful action: the fragment and an announcement for htmx,
    otherwise a notification banner and a 303 redirect (POST-redirect-GET). The fragment
    gets the message as ``said``, to show it beside the control as well as announce it."""
    if fragment and wants_fragment():
        response = make_response(Markup(render_template(fragment, said=message, **context))
                                 + live_region_update(message))
        response.vary.add("HX-Request")
        return response
    flash(message, category)
    return redirect(location, code=303)
