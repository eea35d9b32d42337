"""Notifications: the kinds features declare, each person's choice per kind, the
in-portal list with its unread count, email at once or in a daily digest, and
one-click unsubscribe."""

from portal.core.features import BackgroundJob, Feature, NavEntry, signed_in


def _unread(session, user) -> int:
    from portal.blueprints.notifications.services import unread_count

    return unread_count(session, user)


def feature() -> Feature:
    from portal.blueprints.notifications.commands import digests_pass, send_digests_command
    from portal.blueprints.notifications.views import bp

    return Feature(
        name="notifications",
        blueprint=bp,
        navigation=(NavEntry("Notifications", "notifications.index", order=80, show=signed_in,
                             count=_unread, section="/notifications"),),
        commands=(send_digests_command,),
        background=(BackgroundJob("digests", digests_pass, "DIGEST_INTERVAL"),),
    )
