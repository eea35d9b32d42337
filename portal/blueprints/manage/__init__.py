"""The community manager's dashboard, and people and roles."""

from portal.core.features import Feature, NavEntry
from portal.core.permissions import Permission, has_permission


def feature() -> Feature:
    from portal.blueprints.manage.views import bp

    return Feature(
        name="manage",
        blueprint=bp,
        navigation=(NavEntry("Manage", "manage.dashboard", order=90, section="/manage/",
                             show=lambda user: has_permission(user, Permission.MANAGE_COMMUNITY)),),
    )
