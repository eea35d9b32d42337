"""Forums: categories, threads and replies that work with a screen reader and on a slow link."""

from flask import url_for

from portal.core.features import Feature, HomePanel, NavEntry, NotificationKind, Reportable

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


def _reported_post() -> Reportable:
    """Forum posts in the one moderation queue."""
    from portal.blueprints.forums import policies, queries, services
    from portal.core.text import excerpt_of_html

    return Reportable(
        kind="forums.post",
        label="Forum posts",
        noun="post",
        load=queries.reported_posts,
        template="forums/_reported_post.html",
        title=lambda post: f"post {post.number} in “{post.thread.title}”",
        excerpt=lambda post: excerpt_of_html(post.body_html, 300),
        author=lambda post: post.author,
        url=lambda post: url_for("forums.permalink", post_id=post.id),
        can_see=lambda user, post: policies.can_see_category(user, post.thread.category),
        is_shown=lambda post: post.is_visible,
        is_hidden=lambda post: post.hidden_at is not None,
        hide=services.hide_post,
        restore=services.restore_post,
    )


def feature() -> Feature:
    from portal.blueprints.forums import home
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
        reportables=(_reported_post(),),
        home_panels=(
            HomePanel("forums.announcements", "forums/_home_announcements.html", home.announcements, order=5),
            HomePanel("forums.recent", "forums/_home_recent.html", home.recent_discussions, order=20,
                      visitors=True, members=False),
            HomePanel("forums.followed", "forums/_home_followed.html", home.new_in_followed, order=20),
        ),
    )
