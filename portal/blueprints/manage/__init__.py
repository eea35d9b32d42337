"""The community manager's dashboard, people and roles, and mentor decisions."""

from portal.core.features import Feature, NavEntry
from portal.core.permissions import Permission, has_permission


def _demo(session, context: dict) -> str:
    from portal.blueprints.manage import demo

    return demo.seed(session, context["people"])


def feature() -> Feature:
    from portal.blueprints.manage.views import bp

    return Feature(
        name="manage",
        blueprint=bp,
        navigation=(NavEntry("Manage", "manage.dashboard", order=90, section="/manage/",
                             show=lambda user: has_permission(user, Permission.MANAGE_COMMUNITY)),),
        demo=_demo,
    )
