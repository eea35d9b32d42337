"""The style guide: every shared component in every state, drawn by the real macros and
partials, at /style-guide. Only where the ``STYLE_GUIDE`` setting is on (development and
tests by default); elsewhere the page is not found."""

from portal.core.features import Feature


def feature() -> Feature:
    from portal.blueprints.styleguide.views import bp

    return Feature(name="styleguide", blueprint=bp, switch="STYLE_GUIDE")
