"""The mentors' category is for approved mentors (and managers): ticking "mentor" in a
profile opens nothing, a manager's approval does, and removing mentor status closes it."""

from __future__ import annotations

from portal.core.db import utcnow
from tests.blueprints.accounts.factories import sign_in
from tests.blueprints.forums.factories import make_person, make_thread
from tests.helpers import browser_for, links


def lounge_answers(reader, lounge, thread) -> tuple[int, int, bool]:
    """What the reader gets: the category page, the thread, and whether the index lists it."""
    listed = ("Mentors' lounge", f"/forums/c/{lounge.slug}/") in links(
        reader.get("/forums/").get_data(as_text=True)
    )
    return (
        reader.get(f"/forums/c/{lounge.slug}/").status_code,
        reader.get(f"/forums/t/{thread.id}").status_code,
        listed,
    )


def test_only_a_managers_approval_opens_the_mentors_category(
    app, browser, session, lounge, manager
):
    thread = make_thread(session, lounge, manager, title="Compare notes")
    member = make_person(session, display_name="Kwame Mensah", participation="mentee")
    session.commit()
    sign_in(browser, member)

    browser.get("/account/profile")
    browser.submit({"participation": "mentor"}, button="Save profile")
    assert lounge_answers(browser, lounge, thread) == (404, 404, False), (
        "a profile answer grants nothing"
    )

    browser.get("/account/mentor")
    browser.submit({"note": "I coach new engineers at work."}, button="Ask to be a mentor")
    assert lounge_answers(browser, lounge, thread) == (404, 404, False), "nor does asking"

    managing = browser_for(app, manager)
    managing.get("/manage/people")
    managing.get(dict(links(managing.html))["Review Kwame Mensah’s request"])
    managing.submit({"decision": "approve"}, button="Save decision")
    assert lounge_answers(browser, lounge, thread) == (200, 200, True), "approval opens it"

    managing.get(f"/manage/people/{member.id}/mentoring")
    managing.submit({"reason": "Taking a break."}, button="Remove mentor status")
    assert lounge_answers(browser, lounge, thread) == (404, 404, False), "removal closes it again"


def test_a_declined_member_stays_outside(app, browser, session, lounge, manager):
    thread = make_thread(session, lounge, manager)
    member = make_person(session, display_name="Olga Petrova", participation="both")
    session.commit()
    sign_in(browser, member)
    browser.get("/account/mentor")
    browser.submit({"note": "Happy to help."}, button="Ask to be a mentor")
    managing = browser_for(app, manager)
    managing.get("/manage/people")
    managing.get(dict(links(managing.html))["Review Olga Petrova’s request"])
    managing.submit(
        {"decision": "decline", "reason": "Tell us more first."}, button="Save decision"
    )
    assert lounge_answers(browser, lounge, thread) == (404, 404, False)


def test_an_approved_mentor_who_is_suspended_loses_the_mentors_category(
    browser, session, lounge, mentor, manager
):
    thread = make_thread(session, lounge, manager)
    sign_in(browser, mentor)
    assert lounge_answers(browser, lounge, thread) == (200, 200, True)
    mentor.suspended_at = utcnow()
    session.commit()
    assert lounge_answers(browser, lounge, thread) == (404, 404, False)
