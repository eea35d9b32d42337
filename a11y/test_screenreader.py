"""What a blind member hears on the key journeys, through GNOME Orca and Chromium.

Each test drives Orca with real key presses (``h`` next heading, ``b`` next button,
Insert+A focus mode, KP_Insert+KP_Enter the title, KP_Add say all) and checks what it
said; a failing test's report shows everything Orca said during it ("What Orca said").
The utterances are Orca 43's own words, so a change in Orca can change them too.
"""

from __future__ import annotations

import re

import pytest

from a11y import data

pytestmark = pytest.mark.screenreader

SUMMARY = re.compile(r"Page has \d+ landmarks, \d+ headings?, .*links?\.")
WHEN = re.compile(r"\w+day \d{1,2} \w+ \d{4}, \d{2}:\d{2} \w+")  # as Orca reads a <time>


def said(utterances: list[str], phrase: str) -> bool:
    return any(phrase in utterance for utterance in utterances)


def expect(utterances: list[str], *phrases: str) -> None:
    """Orca said each of ``phrases`` (each within one utterance) among ``utterances``."""
    missing = [phrase for phrase in phrases if not said(utterances, phrase)]
    assert not missing, f"Orca did not say {missing}; it said {utterances}"


def focused(sr) -> str:
    """The element with focus in the page: its id, or its tag and text."""
    return sr.browser.js("const e = document.activeElement;"
                         "return e.id || e.tagName + ' ' + e.textContent.trim().slice(0, 40);")


# Home, signed out


def test_home_speaks_its_title_and_a_page_summary_on_load(sr):
    sr.use_role(None)
    heard = sr.open("/")
    expect(heard, "Finished loading Welcome – Mentoring Circle.")
    assert any(SUMMARY.fullmatch(u) for u in heard), f"no page summary among {heard}"


def test_home_first_tab_reaches_the_skip_link_and_it_moves_into_main(sr):
    sr.use_role(None)
    loaded = sr.open("/")
    tabbed = sr.press("Tab")
    assert focused(sr) == "A Skip to main content", f"the first Tab reached {focused(sr)}"
    # Orca reads the skip link as the page's first line once loaded; when it has also made
    # the link its locus of focus then (it varies with the order of load events), the Tab
    # that focuses the link says nothing new: "Setting locusOfFocus to existing locusOfFocus".
    expect(tabbed or loaded, "Skip to main content")
    landed = sr.press("Return")
    expect(landed, "Mentoring that everyone can take part in")
    assert not said(landed, "clickable"), f"main is spoken as {landed}"
    expect(sr.press("Tab"), "Create an account link.")


def test_home_h_reaches_the_h1(sr):
    sr.use_role(None)
    sr.open("/")
    expect(sr.press("h"), "Mentoring that everyone can take part in heading level 1.")


def test_home_tab_after_reading_down_to_a_heading_continues_from_that_heading(sr):
    """Past the skip link and the first link in <main>, ``h`` reads on to a heading: the
    next Tab goes to the first link after that heading, not back to the first in <main>
    (as it does when <main> can take focus, and so takes it when Orca moves the caret)."""
    sr.use_role(None)
    sr.open("/")
    sr.press("Tab")
    sr.press("Return")
    expect(sr.press("Tab"), "Create an account link.")
    sr.press_until("h", "What you can do here heading level 2.")
    expect(sr.press("Tab"), "networking events, talks and workshops link.")


# Signing in with a wrong password


def test_sign_in_with_a_wrong_password_speaks_the_errors_and_leads_to_the_field(sr):
    sr.use_role(None)
    sr.open("/sign-in")
    expect(sr.press("e"), "Email address entry")
    expect(sr.press("Insert+a"), "Focus mode")
    sr.type(data.ACCOUNTS["member"])
    expect(sr.press("Tab"), "Password")
    sr.type("not the password")
    wrong = "The email address or password is not right"
    expect(sr.press("Return", until="Finished loading"),
           "Finished loading Error: Sign in – Mentoring Circle.", "There is a problem", wrong)
    title = sr.press("KP_Insert+KP_Enter")
    assert title and title[0].startswith("Error: Sign in"), f"the title is spoken as {title}"
    expect(sr.press("Tab"), f"{wrong} link.")
    expect(sr.press("Return"), "Email address entry", "invalid entry", f"Error: {wrong}.")
    assert focused(sr) == "email", f"the summary's link left focus on {focused(sr)}"


# An event, as a member; a moderation decision, as a manager


@pytest.fixture
def open_event(portal):
    """The open event's path; the member's reply to it is undone afterwards."""
    yield f"/events/{portal.lookup(data.event_id, 'open')}"
    with portal.session() as session:
        data.forget_reply(session, "open", "member")
        session.commit()


def test_attending_an_event_speaks_the_new_state_and_keeps_focus_at_the_reply(sr, open_event):
    sr.use_role("member")
    sr.open(open_event)
    sr.press_until("h", "Taking part heading level 2")
    expect(sr.press("b"), "Attend push button.")
    expect(sr.press("Return", until="You're going."), "You're going.")
    inside = sr.browser.js("return Boolean(document.activeElement.closest('#rsvp'))")
    assert inside, f"after replying, focus is on {focused(sr)}, outside the reply"


def test_access_needs_too_long_speak_the_error_and_its_link_reaches_the_field(sr, open_event):
    sr.use_role("member")
    sr.open(open_event)
    sr.press_until("b", "Attend push button.")
    sr.press("Return", until="You're going.")
    sr.browser.type_into("#needs_other", "n" * 501)  # 501 key presses through X would take seconds
    expect(sr.press("Tab"), "Send my access needs push button.")
    too_long = "Your access needs must be 500 characters or fewer"
    expect(sr.press("Return", until="There is a problem"), too_long)
    expect(sr.press("Tab"), f"{too_long} (you entered 501) link.")
    expect(sr.press("Return"), "Anything else the hosts should know (optional) entry", "invalid entry",
           f"Error: {too_long}")
    assert focused(sr) == "needs_other", f"the summary's link left focus on {focused(sr)}"


def test_an_event_reply_heading_is_not_spoken_as_clickable(sr, open_event):
    """The heading takes focus after a swap (tabindex -1) but does nothing when clicked."""
    sr.use_role("member")
    sr.open(open_event)
    heading = sr.press_until("h", "Taking part heading level 2")
    assert not said(heading, "clickable"), f"the heading is spoken as {heading}"


def test_an_empty_moderation_decision_speaks_the_error_and_its_link_reaches_the_choices(sr):
    sr.use_role("manager")
    sr.open("/manage/moderation")
    sr.press_until("b", "Decide on")
    expect(sr.press("Return", until="There is a problem"), "Choose what should happen")
    expect(sr.press("Tab"), "Choose what should happen link.")
    expect(sr.press("Return"), "Dismiss the reports", "not selected radio button")
    assert focused(sr).endswith("-action-0"), f"the summary's link left focus on {focused(sr)}"


# A forum thread, as a member


@pytest.fixture
def thread(portal):
    return f"/forums/t/{portal.lookup(data.thread_id, data.FORUM_THREAD)}"


def test_thread_h_moves_post_by_post_each_heading_one_phrase(sr, portal, thread):
    """A post's heading is one utterance with its author and time, not "author link",
    a comma and the time in three."""
    authors = [portal.lookup(lambda session, role: data.user(session, role).display_name, role)
               for role in ("member", "mentor")]
    sr.use_role("member")
    sr.open(thread)
    expect(sr.press("h"), f"{data.FORUM_THREAD} heading level 1.")
    for author in authors:
        heading = sr.press("h")
        assert len(heading) == 1 and author in heading[0] and WHEN.search(heading[0]), (
            f"the heading of {author}'s post is spoken as {heading}")


def test_thread_tab_from_the_reply_heading_reaches_the_reply_box(sr, thread):
    sr.use_role("member")
    sr.open(thread)
    sr.press_until("h", "Reply to “")
    expect(sr.press("Tab"), "Your reply entry")


def test_thread_an_empty_reply_speaks_the_error(sr, thread):
    sr.use_role("member")
    sr.open(thread)
    sr.press_until("b", "Post push button.")
    expect(sr.press("Return", until="Finished loading"), "There is a problem", "Write your reply")


# Every page's frame


def test_signed_in_as_is_not_spoken_as_clickable(sr):
    sr.use_role("member")
    sr.open("/")
    line = sr.press_until("Down", "Signed in as")  # reading the banner line by line
    assert not said(line, "clickable"), f"the line is spoken as {line}"


def test_reading_a_page_through_does_not_end_in_a_bare_statusbar(sr):
    sr.use_role("member")
    sr.open("/")
    heard = sr.press("KP_Add")  # say all
    expect(heard, "Mentoring Circle is a community portal for virtual mentoring.")
    bare = [u for u in heard if u.strip(" .").lower() == "statusbar"]
    assert not bare, f"reading the page through ends in {heard[-3:]}"
