"""Made-up people, an event and posts for the style guide: objects never added to the
database (their ids are far above real ones), so the page costs no query."""

from __future__ import annotations

from datetime import datetime, timedelta

from portal.blueprints.accounts.models import User
from portal.blueprints.events.models import Event, EventStatus
from portal.blueprints.forums.models import Post, Thread
from portal.core.avatars import PALETTE_SIZE, avatar_colour
from portal.core.pagination import Page
from portal.core.rendered import stored_html

BASE_ID = 1_000_000  # a multiple of the palette size, so BASE_ID + n has colour avatar_colour(n)
NAMES = ("Amara Okafor", "Bea Lind", "Chen Wei", "Dara Kelly", "Esi Mensah",
         "Farid Haddad", "Grace Hopper", "Hana Sato", "Ines Duarte", "Jonas Berg")


def people() -> list[User]:
    """One person in each avatar colour, in palette order."""
    ids = sorted(range(PALETTE_SIZE), key=avatar_colour)
    return [User(id=BASE_ID + n, display_name=name) for n, name in zip(ids, NAMES, strict=True)]


def former_member(now: datetime) -> User:
    return User(id=BASE_ID + PALETTE_SIZE, display_name="Left Long Ago", deleted_at=now)


def event(now: datetime) -> Event:
    """An upcoming hybrid event with captions and places left."""
    starts = (now + timedelta(days=7)).replace(hour=18, minute=30, second=0, microsecond=0)
    return Event(id=BASE_ID, title="Finding your first mentor", summary="Mentors share how they started and answer questions.",
                 starts_at=starts, ends_at=starts + timedelta(hours=1), timezone="Europe/London", format="hybrid",
                 status=EventStatus.PUBLISHED.value, capacity=20, going_count=12, live_captions=True, step_free=True)


def posts(author: User, now: datetime) -> tuple[Thread, list[Post]]:
    """A thread and two posts: one marked helpful by three people, one edited."""
    thread = Thread(id=BASE_ID, title="Preparing for a first meeting", locked=False)
    first = Post(id=BASE_ID, number=1, author=author, helpful_count=3, created_at=now - timedelta(hours=3),
                 body="Write down **three questions** before you meet. It helps more than you think.")
    second = Post(id=BASE_ID + 1, number=2, author=author, helpful_count=0, created_at=now - timedelta(days=2),
                  edited_at=now - timedelta(days=1), body="I keep a short list of what I *want to learn* this month.")
    for post in (first, second):  # never saved, so nobody renders them on the way in
        post.body_html = stored_html(post.body)
    return thread, [first, second]


def helpful_marks(author: User, now: datetime) -> list[Post]:
    """Two posts for the Helpful toggle beside each other: one pressed, one not."""
    return [Post(id=BASE_ID + 10 + n, number=n, author=author, helpful_count=count, created_at=now, body="")
            for n, count in ((3, 4), (4, 0))]


def page(number: int = 2, pages: int = 7) -> Page:
    """Page ``number`` of ``pages``: what the pagination macro draws."""
    return Page(items=[], number=number, pages=pages, total=pages * 20)
