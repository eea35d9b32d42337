"""Forum rules: posting, quoting, editing, helpful marks, following, who is notified,
moderation. Functions take the session and plain values; they flush, never commit."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import NamedTuple

from sqlalchemy import delete, func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from portal.blueprints.accounts.models import User
from portal.blueprints.forums import policies, search
from portal.blueprints.forums.models import (
    Category,
    CategorySubscription,
    Helpful,
    Post,
    PostRevision,
    Thread,
    ThreadRead,
    ThreadSubscription,
)
from portal.blueprints.notifications.services import EXCERPT_LENGTH, notify
from portal.core.db import column_length, lock_for_update, utcnow
from portal.core.permissions import Role
from portal.core.routing import path_for
from portal.core.text import excerpt, mentioned_names, slugify

DUPLICATE_WINDOW = timedelta(minutes=1)
NEW_ACCOUNT_AGE = timedelta(days=2)
NEW_ACCOUNT_POSTS_PER_HOUR = 5
MENTION_LIMIT = 20  # people one post can notify by mentioning them
# The notification kinds the forums declare (in ``feature()``).
REPLY = "forums.reply"
MENTIONED = "forums.mention"
NEW_THREAD = "forums.new_thread"
POST_HIDDEN = "forums.post_hidden"


class ForumError(Exception):
    """A rule stopped the change; ``field`` names the form field for ``message``."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


# Posting


def _check_posting(session: Session, author: User, body: str, now: datetime) -> None:
    """Refuse the same text twice within a minute, and too many posts from a new account.
    The author's row stays locked until the post is saved, so simultaneous posts by one
    person are checked one after another and cannot all slip under the limits."""
    lock_for_update(session, User, author.id)
    recent = session.scalars(
        select(Post.body).where(Post.author_id == author.id, Post.created_at >= now - DUPLICATE_WINDOW)
    ).all()
    if body.strip() in {b.strip() for b in recent}:
        raise ForumError("body", "You posted exactly this a moment ago; there is no need to post it twice")
    if author.created_at > now - NEW_ACCOUNT_AGE and author.role == Role.MEMBER:
        count = session.scalar(
            select(func.count()).select_from(Post)
            .where(Post.author_id == author.id, Post.created_at >= now - timedelta(hours=1))
        )
        if count >= NEW_ACCOUNT_POSTS_PER_HOUR:
            raise ForumError("body", "New accounts can post 5 times an hour. Please try again a little later")


def _add_post(session: Session, thread: Thread, author: User, body: str, quoted: Post | None,
              now: datetime) -> Post:
    """Number the post atomically: one UPDATE on the thread claims the next number."""
    number = session.execute(
        update(Thread).where(Thread.id == thread.id)
        .values(post_count=Thread.post_count + 1, last_post_at=now)
        .returning(Thread.post_count)
    ).scalar_one()
    post = Post(thread_id=thread.id, number=number, author_id=author.id, body=body,
                quoted_post_id=quoted.id if quoted else None, created_at=now)
    session.add(post)
    session.flush()
    session.execute(update(Thread).where(Thread.id == thread.id).values(last_post_id=post.id))
    session.execute(
        update(Category).where(Category.id == thread.category_id)
        .values(post_count=Category.post_count + 1, last_post_at=now)
    )
    session.refresh(thread)
    return post


def start_thread(session: Session, category: Category, author: User, title: str, body: str,
                 now: datetime | None = None, notify: bool = True) -> Thread:
    """Post a new thread; its author follows it. ``notify=False`` (demo data) tells nobody."""
    now = now or utcnow()
    _check_posting(session, author, body, now)
    thread = Thread(category_id=category.id, title=title, author_id=author.id, created_at=now,
                    last_post_at=now, post_count=0)
    session.add(thread)
    session.flush()
    session.execute(update(Category).where(Category.id == category.id)
                    .values(thread_count=Category.thread_count + 1))
    post = _add_post(session, thread, author, body, None, now)
    search.index_post(session, post, title)
    subscribe_thread(session, thread, author)
    _mark_read(session, thread, author, post.number)
    if notify:
        _notify_new_thread(session, thread, post, author)
        _notify_mentions(session, thread, post, author, already=set())
    return thread


def reply(session: Session, thread: Thread, author: User, body: str, quoted: Post | None = None,
          now: datetime | None = None, notify: bool = True) -> Post:
    """Post a reply; its author follows the thread. ``notify=False`` (demo data) tells nobody."""
    now = now or utcnow()
    if thread.locked:
        raise ForumError("body", "This thread is locked, so no one can reply to it")
    if quoted is not None and (quoted.thread_id != thread.id or not quoted.is_visible):
        quoted = None
    _check_posting(session, author, body, now)
    post = _add_post(session, thread, author, body, quoted, now)
    search.index_post(session, post)
    subscribe_thread(session, thread, author)
    _mark_read(session, thread, author, post.number)
    if notify:
        notified = _notify_subscribers(session, thread, post, author)
        _notify_mentions(session, thread, post, author, already=notified)
    return post


def quote_text(post: Post) -> str:
    """The Markdown a reply starts with when quoting ``post``."""
    name = post.author.public_name if post.author else "a former member"
    lines = "\n".join(f"> {line}" if line else ">" for line in post.body.splitlines())
    return f"{name} wrote:\n\n{lines}\n\n"


def edit_post(session: Session, post: Post, body: str, now: datetime | None = None) -> None:
    """Change the text, keeping the earlier version for moderators."""
    if body == post.body:
        return
    # The earlier version keeps its rendering, mention links included.
    session.add(PostRevision(post_id=post.id, body=post.body, body_html=post.body_html,
                             markdown_version=post.markdown_version, created_at=post.edited_at or post.created_at))
    post.body = body
    post.edited_at = now or utcnow()
    session.flush()
    search.index_post(session, post, post.thread.title if post.number == 1 else None)


def delete_post(session: Session, post: Post, now: datetime | None = None) -> None:
    """The post stays in place as "This post was deleted"; its text leaves the index."""
    post.deleted_at = now or utcnow()
    session.flush()
    search.remove_post(session, post.id)


def toggle_helpful(session: Session, post: Post, user: User) -> bool:
    """Mark or unmark; returns True when now marked. One mark per person per post."""
    existing = session.get(Helpful, (post.id, user.id))
    if existing is not None:
        session.delete(existing)
        session.execute(update(Post).where(Post.id == post.id, Post.helpful_count > 0)
                        .values(helpful_count=Post.helpful_count - 1))
        session.flush()
        session.refresh(post, ["helpful_count"])
        return False
    savepoint = session.begin_nested()
    try:
        session.add(Helpful(post_id=post.id, user_id=user.id))
        session.flush()
    except IntegrityError:
        savepoint.rollback()
        return True
    savepoint.commit()
    session.execute(update(Post).where(Post.id == post.id).values(helpful_count=Post.helpful_count + 1))
    session.refresh(post, ["helpful_count"])
    return True


class ReaderMarks(NamedTuple):
    """What one reader has done in a thread: the posts they marked helpful, whether they
    follow it, and the number of the last post they had seen (None for visitors)."""

    helpful: set[int]
    following: bool
    read_up_to: int | None


def reader_marks(session: Session, user, thread: Thread, post_ids: list[int]) -> ReaderMarks:
    """``user``'s marks in ``thread``, for the shown ``post_ids``: one round trip, so a
    thread page stays within its query budget."""
    if not (user and user.is_authenticated):
        return ReaderMarks(set(), False, None)
    follows = (select(ThreadSubscription.user_id)
               .where(ThreadSubscription.thread_id == thread.id, ThreadSubscription.user_id == user.id).exists())
    read = (select(ThreadRead.last_read_number)
            .where(ThreadRead.thread_id == thread.id, ThreadRead.user_id == user.id).scalar_subquery())
    rows = session.execute(
        select(Post.id, Helpful.user_id.is_not(None), follows.label("following"), read.label("read")).select_from(Post)
        .outerjoin(Helpful, (Helpful.post_id == Post.id) & (Helpful.user_id == user.id))
        .where(Post.id.in_(post_ids))
    ).all() if post_ids else []
    if not rows:  # no posts to ask about: the thread-wide marks alone
        following, read_up_to = session.execute(select(follows, read)).one()
        return ReaderMarks(set(), bool(following), read_up_to or 0)
    return ReaderMarks({row[0] for row in rows if row[1]}, bool(rows[0].following), rows[0].read or 0)


# Reading


def _mark_read(session: Session, thread: Thread, user: User, number: int) -> None:
    """Record that ``user`` has read ``thread`` up to post ``number``, unless they had read
    further: one statement, which changes nothing when the marker would not move, and
    which two requests of the same person can run at once."""
    upsert = (postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert)(ThreadRead)
    session.execute(
        upsert.values(thread_id=thread.id, user_id=user.id, last_read_number=number)
        .on_conflict_do_update(index_elements=[ThreadRead.thread_id, ThreadRead.user_id],
                               set_={"last_read_number": number}, where=ThreadRead.last_read_number < number))


def marker_moves(read_up_to: int | None, last_number_shown: int) -> bool:
    """Whether showing posts up to ``last_number_shown`` takes a reader who had seen up to
    ``read_up_to`` (None: a visitor, who has no marker) further. Only then does a page write."""
    return read_up_to is not None and last_number_shown > read_up_to


def record_reading(session: Session, thread: Thread, user: User, last_number_shown: int) -> None:
    """Remember that ``user`` has seen ``thread`` up to post ``last_number_shown``."""
    _mark_read(session, thread, user, last_number_shown)


def last_read(session: Session, user, thread_ids: list[int]) -> dict[int, int]:
    if not (user and user.is_authenticated) or not thread_ids:
        return {}
    return dict(session.execute(
        select(ThreadRead.thread_id, ThreadRead.last_read_number)
        .where(ThreadRead.user_id == user.id, ThreadRead.thread_id.in_(thread_ids))
    ).all())


# Following


def subscribe_thread(session: Session, thread: Thread, user: User) -> None:
    if session.get(ThreadSubscription, (thread.id, user.id)) is None:
        session.add(ThreadSubscription(thread_id=thread.id, user_id=user.id))
        session.flush()


def unsubscribe_thread(session: Session, thread: Thread, user: User) -> None:
    session.execute(delete(ThreadSubscription).where(ThreadSubscription.thread_id == thread.id,
                                                     ThreadSubscription.user_id == user.id))


def is_subscribed_thread(session: Session, thread: Thread, user) -> bool:
    return bool(user and user.is_authenticated) and session.get(ThreadSubscription, (thread.id, user.id)) is not None


def subscribe_category(session: Session, category: Category, user: User) -> None:
    if session.get(CategorySubscription, (category.id, user.id)) is None:
        session.add(CategorySubscription(category_id=category.id, user_id=user.id))
        session.flush()


def unsubscribe_category(session: Session, category: Category, user: User) -> None:
    session.execute(delete(CategorySubscription).where(CategorySubscription.category_id == category.id,
                                                       CategorySubscription.user_id == user.id))


def is_subscribed_category(session: Session, category: Category, user) -> bool:
    return bool(user and user.is_authenticated) and session.get(
        CategorySubscription, (category.id, user.id)) is not None


def toggle_thread_subscription(session: Session, thread: Thread, user: User) -> bool:
    """Follow the thread, or stop following it; True when now following."""
    if is_subscribed_thread(session, thread, user):
        unsubscribe_thread(session, thread, user)
        return False
    subscribe_thread(session, thread, user)
    return True


def toggle_category_subscription(session: Session, category: Category, user: User) -> bool:
    """Follow the category's new threads, or stop; True when now following."""
    if is_subscribed_category(session, category, user):
        unsubscribe_category(session, category, user)
        return False
    subscribe_category(session, category, user)
    return True


# Notifications


def stop_thread_emails(session: Session, user: User, thread_id: int) -> str | None:
    """The "thread" unsubscribe scope: stop following the thread; None when it is gone."""
    thread = session.get(Thread, thread_id)
    if thread is None:
        return None
    unsubscribe_thread(session, thread, user)
    return f"You will get no more emails about “{thread.title}”."


def stop_category_emails(session: Session, user: User, category_id: int) -> str | None:
    """The "category" unsubscribe scope: stop following the category; None when it is gone."""
    category = session.get(Category, category_id)
    if category is None:
        return None
    unsubscribe_category(session, category, user)
    return f"You will get no more emails about new threads in {category.name}."


def _notify_about(session: Session, people, kind: str, thread: Thread, post: Post, actor: User | None,
                  text: str, unsubscribe: tuple[str, int] | None = None) -> None:
    """Tell those of ``people`` who may still see the thread's category about ``post``."""
    notify(session, [p for p in people if policies.can_see_category(p, thread.category)], kind, text=text,
           url=path_for("forums.permalink", post_id=post.id), target_text=thread.title, actor=actor,
           excerpt=excerpt(post.body, EXCERPT_LENGTH), unsubscribe=unsubscribe)


def _notify_subscribers(session: Session, thread: Thread, post: Post, author: User) -> set[int]:
    users = session.scalars(
        select(User).join(ThreadSubscription, ThreadSubscription.user_id == User.id)
        .where(ThreadSubscription.thread_id == thread.id, User.id != author.id)
    ).all()
    _notify_about(session, users, REPLY, thread, post, author,
                  f"{author.public_name} replied to “{thread.title}”", ("thread", thread.id))
    return {u.id for u in users}


def _notify_new_thread(session: Session, thread: Thread, post: Post, author: User) -> None:
    users = session.scalars(
        select(User).join(CategorySubscription, CategorySubscription.user_id == User.id)
        .where(CategorySubscription.category_id == thread.category_id, User.id != author.id)
    ).all()
    _notify_about(session, users, NEW_THREAD, thread, post, author,
                  f"New thread in {thread.category.name}: “{thread.title}”", ("category", thread.category_id))


def _notify_mentions(session: Session, thread: Thread, post: Post, author: User, already: set[int]) -> None:
    """Tell the people ``post`` mentions (at most ``MENTION_LIMIT``, the first mentioned
    first), except its author and those ``already`` told about it."""
    names = mentioned_names(post.body)
    if not names:
        return
    order = {name: position for position, name in enumerate(names)}
    users = session.scalars(
        select(User).where(func.lower(User.display_name).in_(names), User.deleted_at.is_(None),
                           User.id != author.id, User.id.not_in(already))
    ).all()
    mentioned = sorted(users, key=lambda user: (order.get(user.display_name.lower(), len(order)), user.id))
    visible = [user for user in mentioned if policies.can_see_category(user, thread.category)]
    _notify_about(session, visible[:MENTION_LIMIT], MENTIONED, thread, post, author,
                  f"{author.public_name} mentioned you in “{thread.title}”")


# Moderation


def set_thread_flags(session: Session, thread: Thread, *, title: str, pinned: bool, locked: bool,
                     category: Category) -> None:
    """Rename, pin, lock or move a thread, keeping the category counts right."""
    if category.id != thread.category_id:
        session.execute(update(Category).where(Category.id == thread.category_id).values(
            thread_count=Category.thread_count - 1, post_count=Category.post_count - thread.post_count))
        session.execute(update(Category).where(Category.id == category.id).values(
            thread_count=Category.thread_count + 1, post_count=Category.post_count + thread.post_count))
        thread.category_id = category.id
    if title != thread.title:
        thread.title = title
        first = session.scalar(select(Post).where(Post.thread_id == thread.id, Post.number == 1))
        if first is not None and first.is_visible:
            search.index_post(session, first, title)
    thread.pinned, thread.locked = pinned, locked
    session.flush()


def hide_post(session: Session, post: Post, moderator: User, reason: str) -> None:
    """Hide the post with a reason its author sees, and tell them."""
    post.hidden_at = utcnow()
    post.hidden_reason = reason.strip()
    session.flush()
    search.remove_post(session, post.id)
    if post.author is not None:
        _notify_about(session, [post.author], POST_HIDDEN, post.thread, post, moderator,
                      f"A moderator hid your post in “{post.thread.title}”: {reason.strip()}")


def restore_post(session: Session, post: Post, moderator: User) -> None:
    """Show a hidden post again, and make it findable again."""
    post.hidden_at = None
    post.hidden_reason = ""
    session.flush()
    search.index_post(session, post, post.thread.title if post.number == 1 else None)


# Categories


def save_category(session: Session, category: Category | None, *, name: str, description: str,
                  audience: str, position: int) -> Category:
    """Create (``category`` None) or change a category; names and their slugs are unique."""
    slug = slugify(name, column_length(Category.slug))
    clash = session.scalar(select(Category).where(Category.slug == slug))
    if clash is not None and (category is None or clash.id != category.id):
        raise ForumError("name", "Another category has that name; choose a different one")
    if category is None:
        category = Category()
        session.add(category)
    category.name, category.slug, category.description = name, slug, description
    category.audience, category.position = audience, position
    session.flush()
    return category
