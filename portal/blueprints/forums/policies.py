"""Who may do what in the forums; used by views, services and templates alike."""

from __future__ import annotations

from portal.blueprints.forums.models import Audience, Category, Post
from portal.core.permissions import Permission, has_permission


def can_see_category(user, category: Category) -> bool:
    """Members' categories are open to everyone; the others to the people they are for."""
    return can_see_audience(user, Audience(category.audience))


def visible_audiences(user) -> list[str]:
    """The audiences of the categories ``user`` can see, for filtering in SQL."""
    return [audience.value for audience in Audience if can_see_audience(user, audience)]


def can_see_audience(user, audience: Audience) -> bool:
    if audience is Audience.MEMBERS:
        return True
    if not (user and user.is_authenticated):
        return False
    if audience is Audience.MANAGERS:
        return has_permission(user, Permission.MODERATE)
    return has_permission(user, Permission.MENTOR_SPACES)


def can_post_in(user, category: Category) -> bool:
    return has_permission(user, Permission.TAKE_PART) and can_see_category(user, category)


def is_own_post(user, post: Post) -> bool:
    """The author's own post, not yet deleted: theirs to edit or delete."""
    return bool(user and user.is_authenticated) and post.author_id == user.id and post.deleted_at is None
