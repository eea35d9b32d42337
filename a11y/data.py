"""Data the page states need beyond ``flask seed-demo``: one function per feature.

The demo data is loaded first, as ``make run`` loads it; then each function in
``SEEDS`` adds the accounts and records whose states the suite shows (an
unconfirmed member, a full event, a past event someone went to...). Lookups
used by page-state URLs live beside the data they find.
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from portal.blueprints.accounts import demo, mentoring, passwords, services
from portal.blueprints.accounts.models import MentorRequest, RequestStatus, User
from portal.blueprints.events import services as event_services
from portal.blueprints.events.models import Answer, Event, EventStatus, Rsvp
from portal.blueprints.forums import services as forum_services
from portal.blueprints.forums.models import Category, Post, Thread
from portal.blueprints.notifications import services as notification_services
from portal.blueprints.manage import suspensions
from portal.blueprints.manage.models import Report, Suspension
from portal.core.db import utcnow
from portal.core.permissions import Role
from portal.core.routing import path_for
from portal.core.time import zone

PASSWORD = demo.DEMO_PASSWORD

# Who signs in for each role a page state names; everyone uses ``PASSWORD``.
ACCOUNTS = {
    "member": "member@example.org",
    "mentor": "mentor@example.org",
    "manager": "manager@example.org",
    "admin": "admin@example.org",
    "unverified": "unverified@a11y.example.org",
    "pending": "pending@a11y.example.org",
    "preferences": "preferences@a11y.example.org",
    "suspended": "suspended@a11y.example.org",
    "asking": "asking@a11y.example.org",
    "declined": "declined@a11y.example.org",
}
NEW_ADDRESS = "pending-new@a11y.example.org"
SAMPLE_PEOPLE = 30  # with the demo people, more than one page of the people list
SAMPLE_DOMAIN = "sample.a11y.example.org"


def user(session: Session, role: str) -> User:
    return services.find_by_email(session, ACCOUNTS[role])


# Accounts


def _person(number: int, password_hash: str, domain: str) -> User:
    """A sample person; confirmation, role and participation vary with ``number``."""
    return User(
        email=f"person{number:04d}@{domain}",
        display_name=f"Sample Person {number:04d}",
        password_hash=password_hash,
        role=(Role.MEMBER, Role.MEMBER, Role.MEMBER, Role.MANAGER)[number % 4].value,
        participation=("mentee", "mentor", "both")[number % 3],
        email_verified_at=None if number % 5 == 0 else utcnow(),
        pronouns="they/them" if number % 2 else "",
        timezone="Europe/Paris",
    )


def add_people(session: Session, count: int, domain: str) -> None:
    """Insert ``count`` sample people at once (one password hash shared, for speed)."""
    shared = passwords.hash_password(PASSWORD)
    start = session.scalar(select(func.count()).select_from(User))
    session.add_all(_person(start + n, shared, domain) for n in range(count))
    session.flush()


def accounts(session: Session) -> None:
    """Sample people, an unconfirmed member, a member changing address, and a manager
    with every display preference on."""
    add_people(session, SAMPLE_PEOPLE, SAMPLE_DOMAIN)
    services.register(session, email=ACCOUNTS["unverified"], display_name="Uma Unconfirmed",
                      password=PASSWORD, participation="mentee")
    pending = services.create_verified_user(
        session, services.NewAccount(ACCOUNTS["pending"], "Pat Pending", PASSWORD))
    services.request_email_change(session, pending, PASSWORD, NEW_ADDRESS)
    preferences = services.create_verified_user(
        session, services.NewAccount(ACCOUNTS["preferences"], "Robin Preferences", PASSWORD, Role.MANAGER))
    preferences.reduced_motion = preferences.high_contrast = preferences.large_text = True
    session.flush()


# Events

EVENTS = {
    "open": "A11y: open for replies",
    "full": "A11y: full, with a waiting list",
    "now": "A11y: starting now, member going",
    "past": "A11y: past, member went",
    "cancelled": "A11y: cancelled",
    "draft": "A11y: draft",
}


def _event(session: Session, key: str, starts_in: timedelta, host: User, **values) -> Event:
    starts = utcnow() + starts_in
    fields = dict(
        title=EVENTS[key], summary=f"The {key} event the accessibility suite looks at.",
        description="Everyone is welcome.\n\n- Questions aloud or in the chat\n- Slides shared afterwards",
        agenda="1. Welcome\n2. Talk\n3. Questions", starts_at=starts, ends_at=starts + timedelta(hours=1),
        timezone="Europe/London", format="online", join_url="https://meet.example.org/a11y",
        status=EventStatus.PUBLISHED.value, going_count=0, created_by_id=host.id, live_captions=True,
        access_notes="Tell the hosts what you need once you reply.",
    )
    event = Event(**(fields | values))
    event.hosts = [host]
    session.add(event)
    session.flush()
    return event


def _going(session: Session, event: Event, person: User, **values) -> None:
    session.add(Rsvp(event_id=event.id, user_id=person.id, answer=Answer.GOING.value, **values))
    event.going_count += 1
    session.flush()


def events(session: Session) -> None:
    """Events in each state a page shows, hosted by the manager."""
    manager, member, mentor = user(session, "manager"), user(session, "member"), user(session, "mentor")
    open_event = _event(session, "open", timedelta(days=5), manager)
    # More people going than the page shows, so it lists eight faces and counts the rest.
    for person in session.scalars(select(User).where(User.email.like(f"%@{SAMPLE_DOMAIN}"))
                                  .order_by(User.id).limit(11)):
        _going(session, open_event, person)
    full = _event(session, "full", timedelta(days=6), manager, capacity=1)
    _going(session, full, mentor)
    # Someone waiting already, so the button says where the member would join the queue.
    session.add(Rsvp(event_id=full.id, user_id=user(session, "preferences").id, answer=Answer.WAITING.value))
    happening = _event(session, "now", timedelta(minutes=10), manager, capacity=10)
    _going(session, happening, member, needs_captions=True)
    past = _event(session, "past", -timedelta(days=2), manager, followup_summary="Thank you for coming.",
                  followup_link="https://example.org/recording", followup_at=utcnow() - timedelta(days=1))
    _going(session, past, member, attended=True)
    _event(session, "cancelled", timedelta(days=8), manager, status=EventStatus.CANCELLED.value,
           cancelled_at=utcnow())
    _event(session, "draft", timedelta(days=30), manager, status=EventStatus.DRAFT.value)
    event_services.regenerate_feed(session, member)


def event_id(session: Session, key: str) -> int:
    return session.scalar(select(Event.id).where(Event.title == EVENTS[key]))


def forget_reply(session: Session, key: str, role: str) -> None:
    """Undo a reply a test sent: ``role`` has not answered event ``key``."""
    event = session.scalar(select(Event).where(Event.title == EVENTS[key]))
    reply = event_services.find_rsvp(session, event, user(session, role))
    if reply is not None:
        event.going_count -= reply.answer == Answer.GOING.value
        session.delete(reply)
        session.flush()


def event_month(session: Session, key: str) -> date:
    starts = session.scalar(select(Event.starts_at).where(Event.title == EVENTS[key]))
    return starts.astimezone(zone("Europe/London")).date()


def feed_token(session: Session, role: str) -> str:
    return event_services.feed_token(session, user(session, role))


# Forums

FORUM_THREAD = "A11y: a thread the member started"
LONG_THREAD = "Finding a mentor in data science"  # the demo thread with 200 replies
LOCKED_THREAD = "Introduce yourself: what are you learning this month? (part 3)"  # locked in the demo


def forums(session: Session) -> None:
    """A thread the member started and edited, with a reply from the mentor that mentions
    them (so the member has a notification and an earlier version to show)."""
    member, mentor = user(session, "member"), user(session, "mentor")
    category = session.scalar(select(Category).where(Category.slug == "introductions"))
    thread = forum_services.start_thread(session, category, member, FORUM_THREAD,
                                         "Hello! I use a screen reader and I am **new** here.", notify=False)
    forum_services.edit_post(session, _first_post(session, thread.id), "Hello! I use a screen reader, "
                             "and I am **new** here. Edited to add: I am in Leeds.")
    forum_services.reply(session, thread, mentor, f"Welcome, @{member.display_name}! Ask me anything.")


def _first_post(session: Session, thread: int) -> Post:
    return session.scalar(select(Post).where(Post.thread_id == thread, Post.number == 1))


def thread_id(session: Session, title: str) -> int:
    return session.scalar(select(Thread.id).where(Thread.title == title))


def post_id(session: Session, number: int) -> int:
    """The id of post ``number`` in the member's thread (1: theirs, 2: the mentor's reply)."""
    return session.scalar(select(Post.id).where(Post.thread_id == thread_id(session, FORUM_THREAD),
                                                Post.number == number))


def category_id(session: Session, slug: str) -> int:
    return session.scalar(select(Category.id).where(Category.slug == slug))


# Notifications


def notifications(session: Session) -> None:
    """The member is told of a change to the event they are going to (they were mentioned
    in the forums already), so their list holds two features' kinds."""
    event = session.scalar(select(Event).where(Event.title == EVENTS["now"]))
    notification_services.notify(session, [user(session, "member")], "events.changed",
                                 text=f"The place of “{event.title}” changed",
                                 url=path_for("events.show", event_id=event.id),
                                 target_text=event.title)


def unsubscribe_token(session: Session, role: str) -> str:
    """A link from an email about replies to the person's threads."""
    return notification_services.unsubscribe_token(user(session, role), "kind", "forums.reply")


# Moderation

SUSPENSION_REASON = "Posted the same advert in five threads after a warning."


def moderation(session: Session) -> None:
    """A member suspended for a week by the manager, so a refusal says why and until when."""
    suspended = services.create_verified_user(
        session, services.NewAccount(ACCOUNTS["suspended"], "Sol Suspended", PASSWORD))
    suspensions.suspend(session, suspended, user(session, "manager"), SUSPENSION_REASON, timedelta(days=7))


def suspension_id(session: Session, role: str) -> int:
    return session.scalar(select(Suspension.id).where(Suspension.user_id == user(session, role).id))


def reopen_reports(session: Session) -> None:
    """Undo a decision an htmx check made in the queue: every report open again."""
    session.execute(update(Report).values(status="open", resolved_by_id=None, resolved_at=None, resolution=""))


def suspend_again(session: Session) -> None:
    """Undo an htmx check's lifting of the suspended account's suspension."""
    person = user(session, "suspended")
    suspension = session.scalar(select(Suspension).where(Suspension.user_id == person.id))
    suspension.lifted_at = suspension.lifted_by_id = None
    person.suspended_at, person.suspended_until = suspension.starts_at, suspension.ends_at
    person.suspension_reason = suspension.reason


# Mentoring

COACHED = "I have coached new colleagues at work for three years,\nmostly on writing and talks."
DECLINED_BECAUSE = ("Thank you for offering. Tell us which areas you could help mentees with,\n"
                    "and about any mentoring you have done, then ask again.")


def mentoring_requests(session: Session) -> None:
    """A member whose request waits, and one whose request was declined with a reason
    (the demo data already has an approved mentor and community requests waiting)."""
    manager = user(session, "manager")
    for role, name in (("asking", "Ash Asking"), ("declined", "Dee Declined")):
        person = services.create_verified_user(
            session, services.NewAccount(ACCOUNTS[role], name, PASSWORD, participation="mentor"))
        request = mentoring.ask(session, person, COACHED)
        if role == "declined":
            mentoring.decline(session, request, manager, DECLINED_BECAUSE)


def mentor_request_id(session: Session, status: str) -> int:
    """The oldest request in ``status`` ("pending": a demo community member's)."""
    return session.scalar(
        select(MentorRequest.id).where(MentorRequest.status == RequestStatus(status))
        .order_by(MentorRequest.created_at, MentorRequest.id).limit(1))


SEEDS = (accounts, events, forums, notifications, moderation, mentoring_requests)


# Growth: each feature multiplies its data, for the query budget at ten times the size

SCALE_DOMAIN = "scale.a11y.example.org"
SCALE_TITLE = "Scale copy"


def grow_people(session: Session, factor: int) -> None:
    active = session.scalar(select(func.count()).select_from(User).where(User.deleted_at.is_(None)))
    add_people(session, active * (factor - 1), SCALE_DOMAIN)


def grow_events(session: Session, factor: int) -> None:
    """Published events spread over the coming three months, hosted by the manager."""
    manager = user(session, "manager")
    count = session.scalar(select(func.count()).select_from(Event)) * (factor - 1)
    for n in range(count):
        _event(session, "open", timedelta(days=1 + n % 90, minutes=n), manager,
               title=f"{SCALE_TITLE} {n}", capacity=None if n % 2 else 20)


def grow_threads(session: Session, factor: int) -> None:
    """Threads of one post each, in every category, with the category counts kept right."""
    admin = user(session, "admin")
    now = utcnow()
    for category in session.scalars(select(Category)).all():
        added = [Thread(category_id=category.id, title=f"{SCALE_TITLE} {n}", author_id=admin.id,
                        post_count=1, last_post_at=now - timedelta(minutes=n))
                 for n in range(category.thread_count * (factor - 1))]
        session.add_all(added)
        session.flush()
        session.add_all(Post(thread_id=t.id, number=1, author_id=admin.id, body=t.title) for t in added)
        category.thread_count += len(added)
        category.post_count += len(added)
    session.flush()


def shrink(session: Session) -> None:
    """Remove everything the growth functions added."""
    for category in session.scalars(select(Category)).all():
        added = session.scalar(select(func.count()).select_from(Thread).where(
            Thread.category_id == category.id, Thread.title.like(f"{SCALE_TITLE} %")))
        category.thread_count -= added
        category.post_count -= added
    session.execute(delete(Thread).where(Thread.title.like(f"{SCALE_TITLE} %")))
    session.execute(delete(Event).where(Event.title.like(f"{SCALE_TITLE} %")))
    session.execute(delete(User).where(User.email.like(f"%@{SCALE_DOMAIN}")))
    session.flush()


GROWTH = (grow_people, grow_events, grow_threads)
