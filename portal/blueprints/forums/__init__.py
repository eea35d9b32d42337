"""Forums: categories, threads and replies that work with a screen reader and on a slow link."""

from portal.core.features import BackgroundJob, Feature, NavEntry, signed_in


def _demo(session, context: dict) -> str:
    from portal.blueprints.forums import demo

    return f"{demo.seed(session, context['people'])} forum threads"


def _unread(session, user) -> int:
    from portal.blueprints.forums.services import unread_count

    return unread_count(session, user)


def feature() -> Feature:
    from portal.blueprints.forums.commands import digests_pass, send_digests_command
    from portal.blueprints.forums.models import Audience
    from portal.blueprints.forums.search import SEARCH_OBJECTS
    from portal.blueprints.forums.views import bp

    return Feature(
        name="forums",
        blueprint=bp,
        navigation=(
            NavEntry("Forums", "forums.index", order=30, section="/forums/"),
            NavEntry("Notifications", "forums.notifications", order=80, show=signed_in, count=_unread,
                     section="/notifications"),
        ),
        commands=(send_digests_command,),
        demo=_demo,
        search_objects=SEARCH_OBJECTS,
        template_filters={"audience_label": lambda value: Audience(value).label},
        background=(BackgroundJob("digests", digests_pass, "DIGEST_INTERVAL"),),
    )
