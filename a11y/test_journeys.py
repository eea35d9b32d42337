"""The main journeys complete with plain HTML: in Chromium with JavaScript switched off,
and again with only the htmx file blocked (portal.js runs, htmx never arrives)."""

from __future__ import annotations

import time
from contextlib import contextmanager

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from a11y.browser import FORM, Chromium
from a11y.report import Entry
from a11y import data
from a11y.data import ACCOUNTS

NEW_PASSWORD = "a long journey through the portal"


@contextmanager
def journey(report, browser: Chromium, name: str):
    """Record the journey in the report, with the failure if a step fails."""
    started = time.monotonic()
    problems: list[str] = []
    try:
        yield
    except AssertionError as error:
        problems.append(str(error).split("\n")[0])
        raise
    finally:
        report.add(Entry("Without JavaScript", name, browser.variant, browser.driver.current_url, None,
                         browser.driver.title, seconds=time.monotonic() - started, problems=problems))


def arrive(browser: Chromium, navigation, title: str, status: int = 200) -> None:
    """The step ended on the page called ``title`` with ``status``."""
    shown = browser.driver.title
    assert navigation.status == status and shown.startswith(title), (
        f"[{browser.variant}] expected {title!r} ({status}) but got {shown!r} ({navigation.status}) "
        f"at {navigation.url}")


def notice(browser: Chromium) -> str:
    """The text of the notification banners on the page."""
    return " ".join(e.text for e in browser.driver.find_elements(By.CSS_SELECTOR, "main .notice"))


def assert_without_htmx(browser: Chromium) -> None:
    assert browser.js("return typeof window.htmx") == "undefined", f"[{browser.variant}] htmx loaded"


def test_register_verify_sign_in_edit_profile_and_preferences_sign_out(plain_browser, portal, report):
    b = plain_browser
    email = f"journey-{b.variant}@a11y.example.org"
    with journey(report, b, "register, confirm (signed in), start here, sign out and in, profile, preferences, sign out"):
        b.forget_role()
        b.open("/register")
        assert_without_htmx(b)
        b.type_into("#display_name", "Jo Journey")
        b.type_into("#email", email)
        b.type_into("#password", NEW_PASSWORD)
        b.type_into("#confirm_password", NEW_PASSWORD)
        b.click("label[for=participation-1]")
        arrive(b, b.click_and_wait(f"{FORM} button[type=submit]"), "Check your email")

        b.open(portal.mail_link(email, "/verify/"))
        arrive(b, b.click_and_wait(f"{FORM} button[type=submit]"), "Start here")
        assert "your email address is confirmed" in notice(b), f"[{b.variant}] no confirmation: {notice(b)!r}"
        b.type_into("#timezone", "America/New_York")
        b.type_into("#interests", "public speaking")
        arrive(b, b.click_and_wait(f"{FORM} button[type=submit]"), "Your start page")
        assert "Your details are saved." in notice(b), f"[{b.variant}] start not saved: {notice(b)!r}"
        arrive(b, b.click_and_wait(".account button"), "Welcome")

        b.open("/sign-in")
        b.type_into("#email", email)
        b.type_into("#password", "not the password")
        arrive(b, b.click_and_wait(f"{FORM} button[type=submit]"), "Error: Sign in", 422)
        focused = b.js("return document.activeElement.id || document.activeElement.tagName")
        expected = "error-summary" if b.variant == "htmx-blocked" else "BODY"  # portal.js runs only there
        assert focused == expected, f"[{b.variant}] focus is on {focused} after the error, not {expected}"
        b.type_into("#password", NEW_PASSWORD)
        arrive(b, b.click_and_wait(f"{FORM} button[type=submit]"), "Your start page")

        b.open("/account/profile")
        b.type_into("#pronouns", "they/them")
        arrive(b, b.click_and_wait(f"{FORM} button[type=submit]"), "Your account")
        assert "Your profile has been saved." in notice(b), f"[{b.variant}] profile not saved: {notice(b)!r}"
        assert "America/New_York" in b.driver.find_element(By.TAG_NAME, "main").text

        b.open("/account/preferences")
        b.click("label[for=large_text]")
        b.click("label[for=plain_text_email]")
        arrive(b, b.click_and_wait(f"{FORM} button[type=submit]"), "Display and email preferences")
        assert "Your preferences have been saved." in notice(b), f"[{b.variant}] not saved: {notice(b)!r}"
        assert b.js("return document.getElementById('large_text').checked"
                    " && document.getElementById('plain_text_email').checked"
                    " && document.documentElement.classList.contains('pref-large-text')"), (
            f"[{b.variant}] the saved preferences are not shown or applied")

        arrive(b, b.click_and_wait(".account button"), "Welcome")
        assert "You have signed out." in notice(b), f"[{b.variant}] no sign-out notice: {notice(b)!r}"
        b.forget_role()


def test_manager_filters_people(plain_browser, report):
    b = plain_browser
    with journey(report, b, "filter people by name and role"):
        b.use_role("manager")
        b.open("/manage/people")
        b.type_into("#q", "Sample")
        Select(b.driver.find_element(By.ID, "role")).select_by_value("manager")
        arrive(b, b.click_and_wait("form[role=search] button"), "People")
        assert b.target() == "/manage/people?q=Sample&role=manager", f"[{b.variant}] filtered to {b.target()}"
        heading = b.driver.find_element(By.ID, "people-heading").text
        assert heading.endswith("people found"), f"[{b.variant}] results say {heading!r}"


def test_admin_changes_a_role_and_back(plain_browser, portal, report):
    b = plain_browser
    path = f"/manage/people/{portal.lookup(data.user, 'mentor').id}/role"
    with journey(report, b, "change someone's role, then back"):
        b.use_role("admin")
        for role, label in (("manager", "Community manager"), ("member", "Member")):
            b.open(path)
            b.click(f"input[name=role][value={role}] + label")
            arrive(b, b.click_and_wait(f"{FORM} button[type=submit]"), "People")
            assert f"is now: {label}." in notice(b), f"[{b.variant}] role not changed: {notice(b)!r}"


def test_unconfirmed_member_asks_for_a_new_link(plain_browser, report):
    b = plain_browser
    with journey(report, b, "ask for a new confirmation link"):
        b.use_role("unverified")
        b.open("/")
        arrive(b, b.click_and_wait("#verify-notice button"), "Your start page")
        sent = f"We have sent a new confirmation link to {ACCOUNTS['unverified']}."
        assert sent in notice(b), f"[{b.variant}] no notice of the new link: {notice(b)!r}"



def test_member_replies_to_an_event_and_changes_their_mind(plain_browser, portal, report):
    b = plain_browser
    path = f"/events/{portal.lookup(data.event_id, 'open')}"
    with journey(report, b, "reply to an event, then change the reply"):
        b.use_role("mentor")
        for _ in range(2):
            b.open(path)
            label = b.js("return document.querySelector('#rsvp button[name=answer]').textContent.trim()")
            said = {"Attend": "You're going.", "Cancel my place": "You're not going."}[label]
            arrive(b, b.click_and_wait("#rsvp button[name=answer]"), data.EVENTS["open"])
            assert said in notice(b), f"[{b.variant}] pressing {label!r} not confirmed: {notice(b)!r}"


def test_anyone_filters_events_and_moves_through_the_calendar(plain_browser, report):
    b = plain_browser
    with journey(report, b, "filter events, then move through the calendar"):
        b.use_role(None)
        b.open("/events/")
        b.click(".filters-disclosure > summary")
        Select(b.driver.find_element(By.ID, "format")).select_by_value("online")
        b.click("label[for=access-live_captions]")
        arrive(b, b.click_and_wait("form[role=search] button"), "Upcoming events")
        assert "format=online" in b.target() and "access=live_captions" in b.target(), (
            f"[{b.variant}] filtered to {b.target()}")
        heading = b.driver.find_element(By.ID, "results-heading").text
        assert "match your filters" in heading, f"[{b.variant}] results say {heading!r}"
        b.open("/events/calendar/2099/1")
        arrive(b, b.click_and_wait(".month-nav a[rel=next]"), "Events in February 2099")


def test_member_previews_and_posts_a_reply_and_follows_the_thread(plain_browser, portal, report):
    b = plain_browser
    thread = portal.lookup(data.thread_id, data.FORUM_THREAD)
    body = f"Thank you all; replying without JavaScript ({b.variant})."
    with journey(report, b, "preview and post a forum reply, unfollow and follow the thread"):
        b.use_role("member")
        b.open(f"/forums/t/{thread}/reply")
        b.type_into("#body", body)
        arrive(b, b.click_and_wait("button[value=preview]"), "Reply to")
        preview = b.driver.find_element(By.ID, "preview").text
        assert body in preview, f"[{b.variant}] the preview shows {preview!r}"
        arrive(b, b.click_and_wait("button[value=post]"), data.FORUM_THREAD)
        assert "Your reply is posted." in notice(b), f"[{b.variant}] reply not posted: {notice(b)!r}"
        for said in ("You are no longer following", "You are following"):
            arrive(b, b.click_and_wait("#follow-thread button"), data.FORUM_THREAD)
            assert said in notice(b), f"[{b.variant}] following not changed: {notice(b)!r}"


def test_member_withdraws_a_mentor_request_and_asks_again(plain_browser, report):
    b = plain_browser
    with journey(report, b, "withdraw a request to be a mentor, then ask again"):
        b.use_role("asking")
        b.open("/account/mentor")
        arrive(b, b.click_and_wait("#mentor-status button"), "Mentoring")
        withdrawn = notice(b)
        assert "You have withdrawn your request" in withdrawn, f"[{b.variant}] kept: {withdrawn!r}"
        arrive(b, b.click_and_wait("#mentor-status button"), "Error: Mentoring", 422)
        b.type_into("#note", "I have coached new colleagues at work for three years.")
        arrive(b, b.click_and_wait("#mentor-status button"), "Mentoring")
        asked = notice(b)
        assert "You have asked to be a mentor." in asked, f"[{b.variant}] not asked: {asked!r}"
