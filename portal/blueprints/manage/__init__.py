"""The community manager's dashboard, people and roles, mentor decisions, the one
moderation queue for every reportable kind, and suspensions."""

from portal.core.features import Feature, NavEntry
from portal.core.permissions import Permission, has_permission


def _demo(session, context: dict) -> str:
    from portal.blueprints.manage import demo

    mentors = demo.seed_mentors(session, context["people"])
    count = demo.seed_suspension(session, context["people"])
    return f"{mentors}, {count} {'suspension' if count == 1 else 'suspensions'}"


def feature() -> Feature:
    from portal.blueprints.manage.views import bp

    return Feature(
        name="manage",
        blueprint=bp,
        navigation=(NavEntry("Manage", "manage.dashboard", order=90, section="/manage/",
                             show=lambda user: has_permission(user, Permission.MANAGE_COMMUNITY)),),
        demo=_demo,
    )
