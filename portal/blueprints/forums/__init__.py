"""Forums: categories, threads and replies that work with a screen reader and on a slow link."""

from portal.core.features import Feature, NavEntry, NotificationKind

NOTIFICATION_KINDS = (
    NotificationKind("forums.reply", "Replies to threads you follow",
                     hint="You follow the threads you start or reply to."),
    NotificationKind("forums.mention", "Mentions of your name",
                     hint="Someone wrote @ and your display name in a post."),
    NotificationKind("forums.new_thread", "New threads in categories you follow"),
    NotificationKind("forums.post_hidden", "Your posts hidden by a moderator",
                     hint="With the reason the moderator gave."),
)


def _demo(session, context: dict) -> str:
    from portal.blueprints.forums import demo

    return f"{demo.seed(session, context['people'])} forum threads"


def feature() -> Feature:
    from portal.blueprints.forums.models import Audience
    from portal.blueprints.forums.search import SEARCH_OBJECTS
    from portal.blueprints.forums.services import stop_category_emails, stop_thread_emails
    from portal.blueprints.forums.views import bp

    return Feature(
        name="forums",
        blueprint=bp,
        navigation=(NavEntry("Forums", "forums.index", order=30, section="/forums/"),),
        demo=_demo,
        search_objects=SEARCH_OBJECTS,
        template_filters={"audience_label": lambda value: Audience(value).label},
        notification_kinds=NOTIFICATION_KINDS,
        unsubscribes={"thread": stop_thread_emails, "category": stop_category_emails},
    )
