"""Demo forums for `flask seed-demo`: five categories, about 60 threads, one long one."""

from __future__ import annotations

import random
from datetime import timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from portal.blueprints.accounts.models import User
from portal.blueprints.forums import policies, services
from portal.blueprints.forums.models import Audience, Category, Thread
from portal.blueprints.manage import reports
from portal.core.db import utcnow

CATEGORIES = [
    ("Introductions", "Say hello and tell us what you hope to get from the programme.", Audience.MEMBERS),
    ("Finding a mentor", "Questions about matching, first meetings and making the most of mentoring.", Audience.MEMBERS),
    ("Career change", "Moving into a new field: routes, courses, CVs and interviews.", Audience.MEMBERS),
    ("Accessibility and inclusion", "Tools, adjustments and experiences at work and in the programme.", Audience.MEMBERS),
    ("Mentors' lounge", "A space for mentors to compare notes and ask each other for advice.", Audience.MENTORS),
]

TOPICS = {
    "Introductions": [
        ("Hello from Leeds!", "Hi all, I'm a career changer from retail moving into data. Looking forward to the events."),
        ("New mentor, long-time lurker", "I've been a software engineer for 12 years and finally signed up to mentor."),
        ("Hi from a screen-reader user", "I use NVDA every day. Happy to share tips on accessible tools for work."),
        ("Returning to work after a career break", "Five years away raising kids; nervous but excited to be here."),
        ("Introduce yourself: what are you learning this month?", "I'll start: SQL window functions and how to explain them."),
    ],
    "Finding a mentor": [
        ("Finding a mentor in data science", "How did you find a mentor who had made the same switch as you?"),
        ("What should I ask in a first meeting?", "My first session is on Thursday. What questions worked for you?"),
        ("How often should we meet?", "Is every two weeks too much to ask of a volunteer mentor?"),
        ("Mentor and mentee in different time zones", "My mentor is 8 hours ahead. How do other pairs manage it?"),
        ("Ending a mentoring relationship kindly", "We're not a good fit. How do I say so without burning a bridge?"),
    ],
    "Career change": [
        ("Is a bootcamp worth it?", "Weighing a 12-week bootcamp against self-study. Experiences welcome."),
        ("Writing a CV with no experience in the field", "How do I show transferable skills from teaching?"),
        ("Portfolio projects that stand out", "What made a portfolio project memorable when you were hiring?"),
        ("Interviewing after 40", "Has anyone changed field later in their career? How did interviews go?"),
        ("Part-time study while working", "Managing a course alongside a full-time job and family."),
    ],
    "Accessibility and inclusion": [
        ("Asking for adjustments in an interview", "When and how did you ask for adjustments? Did it go well?"),
        ("Captioning in video calls", "Which tools give the best live captions in your experience?"),
        ("Dyslexia-friendly tools for coding", "Fonts, editors and settings that help you read code."),
        ("Neurodivergent at work", "A thread to share what helps you focus and what managers can do."),
    ],
    "Mentors' lounge": [
        ("Mentees who go quiet", "How do you check in without pressuring someone who has gone quiet?"),
        ("Giving honest CV feedback", "How blunt is too blunt when a CV needs a lot of work?"),
        ("Setting boundaries on time", "I said yes to too many mentees. How do you manage it?"),
    ],
}

REPLIES = [
    "This is really useful, thank you for sharing.",
    "Same here! I found it helped to write my questions down before each session.",
    "I had the same worry. What worked for me was agreeing goals in the first meeting.",
    "Have a look at the events calendar: there's a session on exactly this soon.",
    "+1 to this. Small, regular steps worked better for me than big pushes.",
    "I'd add: ask what they wish they'd known when they started.",
    "Great question. In my experience it depends a lot on the team, so ask in the interview.",
    "Thanks, I'll try that this week and report back.",
    "Could you say a bit more about how you found the time for it?",
    "I wrote a short guide about this last year; happy to share it in the resources library.",
]


def seed(session: Session, people: list[User]) -> int:
    """Create the demo forums when there are no categories yet; return the thread count."""
    if session.scalar(select(func.count()).select_from(Category)):
        return session.scalar(select(func.count()).select_from(Thread))
    rng = random.Random(5)
    community = list(session.scalars(select(User).where(User.deleted_at.is_(None), User.email.is_not(None))))
    by_email = {p.email: p for p in people}
    # About 500 posts 37 minutes apart: they end a week or so ago, so lists say "8 days ago".
    start = utcnow() - timedelta(days=21)
    clock = iter(start + timedelta(minutes=37 * n) for n in range(100_000))
    threads = []
    for position, (name, description, audience) in enumerate(CATEGORIES):
        category = services.save_category(session, None, name=name, description=description,
                                          audience=audience.value, position=position)
        # Only people who may read a category write in it: the mentors' lounge is for
        # approved mentors and the community managers.
        authors = [u for u in community if policies.can_see_category(u, category)]
        for round_ in range(3):
            for title, opening in TOPICS[name]:
                title = title if round_ == 0 else f"{title} ({'again' if round_ == 1 else 'part 3'})"
                author = rng.choice(authors)
                thread = services.start_thread(session, category, author, title, opening, now=next(clock),
                                              notify=False)
                for n in range(rng.randint(0, 6)):
                    text = rng.choice(REPLIES)
                    if n == 0 and round_ == 0:  # a first reply answers the starter by name: a mention
                        text = f"@{author.display_name} {text}"
                    services.reply(session, thread, rng.choice(authors), text, now=next(clock), notify=False)
                threads.append(thread)
    long_thread = threads[5]
    for n in range(200):
        services.reply(session, long_thread, rng.choice(community),
                       f"{rng.choice(REPLIES)} (Reply {n + 1} in our long-running conversation.)", now=next(clock),
                      notify=False)
    threads[0].pinned = True
    threads[14].locked = True
    reporter = by_email["member@example.org"]
    for thread in threads[20:23]:
        post = services.reply(session, thread, rng.choice(community),
                              "Buy cheap followers at example dot com!!! Best prices!!!", now=next(clock),
                              notify=False)
        reports.report(session, "forums.post", post.id, reporter, "This looks like spam.")
    session.flush()
    return len(threads)
