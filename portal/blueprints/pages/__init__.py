"""Pages that belong to no feature: home, accessibility statement."""

from portal.core.features import Feature, NavEntry


def feature() -> Feature:
    from portal.blueprints.pages.views import bp

    return Feature(
        name="pages",
        blueprint=bp,
        navigation=(
            NavEntry("Home", "pages.home", order=0),
            NavEntry("Accessibility", "pages.accessibility", order=100, section="/accessibility"),
        ),
    )
