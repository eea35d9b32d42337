"""Demo events for `flask seed-demo`: about 30 across past and coming months."""

from __future__ import annotations

import random
from datetime import datetime, time, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from portal.blueprints.accounts.models import User
from portal.blueprints.accounts.passwords import hash_password
from portal.blueprints.events.models import Answer, Event, EventStatus, Feedback, Rsvp, Topic
from portal.core.db import column_length, utcnow
from portal.core.text import slugify
from portal.core.time import zone

COMMUNITY = [
    "Hana Kobayashi", "Jamal Bakr", "Olga Petrova", "Kwame Mensah", "Lucía Romero", "Arjun Mehta",
    "Siobhán Murphy", "Chen Wei", "Fatima Zahra", "Mateus Silva", "Ngozi Eze", "Ewan Campbell",
    "Aylin Demir", "Rafael Costa", "Ingrid Berg", "Tariq Hussain",
]

TOPICS = ["Careers", "Public speaking", "Data and analytics", "Software engineering", "Wellbeing",
          "Leadership", "Job hunting"]

# (title, summary, topics, format, days from today, local hour, capacity, provisions)
EVENTS = [
    ("Mentor meet-and-greet", "Meet this term's mentors in small breakout rooms.", ["Careers"], "online", -60, 18, None, ["live_captions", "recording"]),
    ("CV clinic", "Bring your CV and get feedback from two mentors.", ["Job hunting"], "online", -45, 12, 8, ["live_captions"]),
    ("Speaking with confidence", "A practical workshop on presenting your work.", ["Public speaking"], "hybrid", -30, 18, 20, ["live_captions", "step_free", "quiet_room"]),
    ("Data careers panel", "Four analysts on how they got their first data job.", ["Data and analytics", "Careers"], "online", -21, 17, None, ["live_captions", "sign_language", "recording"]),
    ("Burnout and boundaries", "A peer conversation about looking after yourself.", ["Wellbeing"], "online", -14, 19, 12, ["live_captions", "materials_in_advance"]),
    ("First 90 days as a manager", "Stories and advice from new team leads.", ["Leadership"], "in_person", -10, 18, 25, ["step_free", "quiet_room"]),
    ("Pairing on a pull request", "Watch two engineers review real code, then try it.", ["Software engineering"], "online", -7, 16, None, ["recording"]),
    ("Networking without the awkwardness", "Low-pressure ways to meet people in your field.", ["Careers"], "online", -3, 18, None, ["live_captions"]),
    ("Interview practice evening", "Mock interviews in pairs with timed feedback.", ["Job hunting"], "online", 1, 18, 4, ["live_captions"]),
    ("Portfolio review", "Show your portfolio and hear what stands out.", ["Careers"], "online", 2, 13, 6, ["live_captions", "materials_in_advance"]),
    ("Intro to SQL for career changers", "A gentle first hour of querying data.", ["Data and analytics"], "online", 3, 18, 30, ["live_captions", "recording", "materials_in_advance"]),
    ("Mentors' round table", "Mentors compare notes on what helps mentees most.", ["Leadership"], "online", 4, 17, None, []),
    ("Lightning talks night", "Five-minute talks by mentees, friendly audience.", ["Public speaking"], "hybrid", 6, 18, 40, ["live_captions", "step_free", "sign_language"]),
    ("Salary negotiation", "How to prepare for the money conversation.", ["Job hunting", "Careers"], "online", 8, 18, 3, ["live_captions"]),
    ("Accessible design basics", "What every builder should know about accessibility.", ["Software engineering"], "online", 9, 16, None, ["live_captions", "sign_language", "recording", "materials_in_advance"]),
    ("Walk and talk", "A slow, step-free walk with mentoring pairs.", ["Wellbeing"], "in_person", 11, 10, 15, ["step_free"]),
    ("Writing a great README", "Documentation that helps people use your work.", ["Software engineering"], "online", 13, 18, None, ["recording"]),
    ("Leading without the title", "Influence and initiative before promotion.", ["Leadership"], "online", 15, 18, 50, ["live_captions"]),
    ("Dashboard design clinic", "Bring a chart; leave with a clearer one.", ["Data and analytics"], "online", 17, 14, 10, ["live_captions", "materials_in_advance"]),
    ("Community social", "An informal evening to meet the whole programme.", ["Careers"], "hybrid", 20, 18, 60, ["step_free", "quiet_room", "live_captions"]),
    ("Handling rejection", "What to do after the no: a peer circle.", ["Wellbeing", "Job hunting"], "online", 23, 19, 12, ["live_captions"]),
    ("Open-source first contributions", "Find and land your first contribution.", ["Software engineering"], "online", 27, 18, None, ["live_captions", "recording"]),
    ("Storytelling with data", "Turn analysis into a story people remember.", ["Data and analytics", "Public speaking"], "online", 31, 17, 25, ["live_captions"]),
    ("Mentoring skills refresher", "Active listening and useful questions.", ["Leadership"], "online", 35, 12, None, ["live_captions", "sign_language"]),
    ("Career change stories", "Three members on switching fields mid-career.", ["Careers"], "online", 40, 18, None, ["live_captions", "recording"]),
    ("Winter wellbeing check-in", "A calm hour to reflect on the year.", ["Wellbeing"], "online", 45, 18, 20, ["live_captions", "quiet_room"]),
    ("Technical interview deep dive", "System design questions, talked through slowly.", ["Software engineering", "Job hunting"], "online", 52, 18, 30, ["live_captions"]),
    ("New year goals workshop", "Set three goals with your mentor.", ["Careers"], "hybrid", 60, 10, 30, ["step_free", "live_captions"]),
    ("Public speaking open mic", "Practise any talk in front of kind people.", ["Public speaking"], "in_person", 70, 18, 20, ["step_free"]),
]
CANCELLED = "Mentors' round table"


def _community(session: Session, rng: random.Random) -> list[User]:
    """The demo community members (also password ``demo-password``), created once."""
    people = []
    password_hash = None
    for name in COMMUNITY:
        email = f"{slugify(name, 64).replace('-', '.')}@example.org"
        user = session.scalar(select(User).where(User.email == email))
        if user is None:
            password_hash = password_hash or hash_password("demo-password")
            user = User(email=email, display_name=name, password_hash=password_hash,
                        participation=rng.choice(["mentee", "mentee", "mentor", "both"]),
                        email_verified_at=utcnow(), timezone=rng.choice(
                            ["Europe/London", "Europe/Berlin", "America/New_York", "Africa/Lagos", "Asia/Kolkata"]))
            session.add(user)
        people.append(user)
    session.flush()
    return people


def _topics(session: Session) -> dict[str, Topic]:
    found = {t.name: t for t in session.scalars(select(Topic))}
    for name in TOPICS:
        if name not in found:
            found[name] = Topic(name=name, slug=slugify(name, column_length(Topic.slug)))
            session.add(found[name])
    session.flush()
    return found


def seed(session: Session, people: list[User]) -> int:
    """Create the demo events when there are none yet; return how many events exist."""
    existing = session.scalar(select(func.count()).select_from(Event))
    if existing:
        return existing
    rng = random.Random(2026)
    by_email = {p.email: p for p in people}
    member, mentor, manager = by_email["member@example.org"], by_email["mentor@example.org"], by_email["manager@example.org"]
    community = _community(session, rng)
    topics = _topics(session)
    today = utcnow().astimezone(zone("Europe/London")).date()
    for index, (title, summary, topic_names, fmt, days, hour, capacity, provisions) in enumerate(EVENTS):
        starts = datetime.combine(today + timedelta(days=days), time(hour, 0), tzinfo=zone("Europe/London"))
        event = Event(
            title=title, summary=summary, format=fmt, timezone="Europe/London",
            description=f"{summary}\n\nEveryone in the programme is welcome, whatever your experience. "
                        "Questions can be asked aloud or in the chat.",
            agenda="1. Welcome and introductions\n2. Main session\n3. Questions\n4. Next steps",
            starts_at=starts, ends_at=starts + timedelta(minutes=90), capacity=capacity,
            join_url="https://meet.example.org/mentoring-" + slugify(title, 80) if fmt != "in_person" else None,
            venue="Community Hall, 12 Market Street, Leeds LS1 6DT\nStep-free entrance on Vicar Lane."
                  if fmt != "online" else None,
            status=EventStatus.PUBLISHED.value, going_count=0, created_by_id=manager.id,
            access_notes="Tell the hosts what you need when you reply, or email them any time." if provisions else "",
        )
        for name in provisions:
            setattr(event, name, True)
        event.hosts = [manager, mentor] if index % 3 == 0 else [manager]
        event.topics = [topics[n] for n in topic_names]
        session.add(event)
        session.flush()
        _replies(session, event, rng, [member, *community], days)
        if title == CANCELLED:
            event.status, event.cancelled_at, event.sequence = EventStatus.CANCELLED.value, utcnow(), 1
    session.add(Event(
        title="Spring mentoring fair (draft)", summary="Planning in progress: a day of talks and stalls.",
        format="hybrid", timezone="Europe/London", status=EventStatus.DRAFT.value, going_count=0,
        starts_at=datetime.combine(today + timedelta(days=100), time(10), tzinfo=zone("Europe/London")),
        ends_at=datetime.combine(today + timedelta(days=100), time(16), tzinfo=zone("Europe/London")),
        venue="Community Hall, 12 Market Street, Leeds", created_by_id=manager.id, hosts=[manager],
    ))
    session.flush()
    return len(EVENTS) + 1


def _replies(session: Session, event: Event, rng: random.Random, people: list[User], days: int) -> None:
    """Fill some events, leave others quiet; past ones get attendance, a follow-up and feedback."""
    wanted = rng.randint(2, 12) if event.capacity is None else event.capacity + rng.choice([-2, 0, 2, 3])
    chosen = rng.sample(people, min(max(wanted, 1), len(people)))
    for order, person in enumerate(chosen):
        going = event.capacity is None or event.going_count < event.capacity
        record = Rsvp(event_id=event.id, user_id=person.id, answer=(Answer.GOING if going else Answer.WAITING).value,
                      queued_at=event.starts_at - timedelta(days=10, minutes=-order),
                      needs_captions=rng.random() < 0.2, needs_interpreter=rng.random() < 0.05)
        if going:
            event.going_count += 1
        if days < 0 and going:
            record.attended = rng.random() < 0.85
        session.add(record)
    session.flush()
    if days < 0:
        event.followup_summary = (f"Thank you to everyone who came to **{event.title}**. We covered the main "
                                  "questions people sent in advance and shared the slides.")
        event.followup_link = "https://example.org/recordings/" + slugify(event.title, 80)
        event.followup_action = "Book a follow-up session with your mentor this month."
        event.followup_at = event.ends_at + timedelta(days=1)
        for person in chosen[: min(5, event.going_count)]:
            session.add(Feedback(event_id=event.id, user_id=person.id, rating=rng.choice([3, 4, 4, 5, 5]),
                                 worked="The small groups made it easy to speak up.",
                                 improve="A little more time for questions."))
        session.flush()
