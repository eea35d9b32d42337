"""After every htmx swap the page is still accessible: the live region says what happened,
focus is not lost to <body>, nothing stays busy, and axe, structure and keyboard checks
pass on the page as swapped. Filters also push a URL that loads the same results
without JavaScript."""

from __future__ import annotations

import time

from selenium.common.exceptions import TimeoutException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from a11y import data
from a11y.checks import axe_violations, duplicate_ids, keyboard, structure
from a11y.data import ACCOUNTS
from a11y.pages import PageState
from a11y.report import Entry

LIVE_REGION = "return document.getElementById('live-region').textContent.trim()"
CLEAR_LIVE_REGION = "document.getElementById('live-region').textContent = '';"
SETTLED = "return !document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling, .htmx-added')"
# The text of a control's visible status message, beside it in the same form ("" when none or hidden).
VISIBLE_BESIDE = """
const said = document.querySelector(arguments[0]).form.querySelector('.toggle-said');
return said && said.offsetWidth > 0 && said.offsetHeight > 0 ? said.innerText : '';
"""
ERRORS_SHOWN = "return Boolean(document.querySelector('.error-summary'))"
HEADING = "const h = document.getElementById(arguments[0]); return h ? h.textContent.trim() : '';"
SWAP_STATE = """
const focused = document.activeElement;
const lost = !focused || focused === document.body || !focused.isConnected;
return {
  reloaded: !window.__a11yBeforeSwap,
  busy: [...document.querySelectorAll('[aria-busy=true]')].map(el => el.id || el.tagName),
  focus: lost ? null : (focused.id || focused.tagName),
  errors: Boolean(document.querySelector('.error-summary')),
};
"""


def begin(chromium, role: str | None, path: str) -> None:
    """Open ``path`` as ``role`` with an empty live region and a marker a reload would lose."""
    chromium.use_role(role)
    chromium.open(path)
    chromium.js("window.__a11yBeforeSwap = true;" + CLEAR_LIVE_REGION)


def after_swap(chromium, endpoint: str, name: str, announcement: str | None) -> list[str]:
    """Wait for the swap to finish, then check the page. ``announcement`` is what the live
    region must say; None means the swap brought form errors, whose summary (an alert)
    takes focus and says them instead."""
    if announcement is None:
        chromium.wait_until(lambda: chromium.js(SETTLED) and chromium.js(ERRORS_SHOWN), "the error summary")
    else:
        try:
            chromium.wait_until(lambda: chromium.js(LIVE_REGION) == announcement,
                                f"the live region to say {announcement!r}")
        except TimeoutException:
            return [f"live region: it says {chromium.js(LIVE_REGION)!r}, not {announcement!r}"]
    chromium.wait_until(lambda: chromium.js(SETTLED), "htmx to settle")
    state = chromium.js(SWAP_STATE)
    problems = []
    if state["reloaded"]:
        problems.append("htmx: the whole page reloaded instead of swapping in place")
    if state["busy"]:
        problems.append(f"aria-busy: still true on {state['busy']} after the swap")
    if state["focus"] is None:
        problems.append("focus: it fell to <body> (or a removed element) after the swap; "
                        "move it to the new content")
    page = PageState(endpoint, name, chromium.role, chromium.target(), status=422 if state["errors"] else 200)
    problems += duplicate_ids(chromium)
    problems += structure(chromium, page)
    problems += axe_violations(chromium)[0]
    problems += keyboard(chromium)
    return problems


def filtered(chromium, endpoint: str, heading: str) -> list[str]:
    """After a filter form is sent: the results heading (id ``heading``) is announced, and
    the URL htmx pushed loads the same results as a plain page."""
    try:
        chromium.wait_until(lambda: chromium.js(LIVE_REGION), "an announcement")
    except TimeoutException:
        return ["live region: nothing was announced when the results changed; say what the heading says"]
    shown = chromium.js(HEADING, heading)
    problems = after_swap(chromium, endpoint, "filtered", shown + ".")
    pushed = chromium.target()
    chromium.open(pushed)
    if chromium.js(HEADING, heading) != shown:
        problems.append(f"history: loading {pushed} shows {chromium.js(HEADING, heading)!r}, "
                        f"but the swap showed {shown!r}")
    return problems


def record(report, chromium, page: str, name: str, started: float, problems: list[str]) -> None:
    report.add(Entry("After htmx swaps", page, name, chromium.driver.current_url, None,
                     chromium.driver.title, seconds=time.monotonic() - started, problems=problems))
    assert not problems, f"{page} [{name}]:\n  - " + "\n  - ".join(problems)


def test_saving_preferences_swaps_the_form_and_applies_them_at_once(chromium, report):
    started = time.monotonic()
    begin(chromium, "member", "/account/preferences")
    problems = []
    for name, applied in (("larger text on", True), ("larger text off", False)):
        chromium.js(CLEAR_LIVE_REGION)
        chromium.click("label[for=large_text]")
        chromium.click("#preferences button[type=submit]")
        problems += after_swap(chromium, "accounts.preferences", name, "Your preferences have been saved.")
        if chromium.js("return document.documentElement.classList.contains('pref-large-text')") != applied:
            problems.append(f"preferences: after saving {name}, the page does not show it until a reload")
    record(report, chromium, "accounts.preferences", "larger text on, then off, with htmx", started, problems)


def test_saving_notification_preferences_says_so_beside_the_button(chromium, report):
    started = time.monotonic()
    saved = "Your notification preferences are saved."
    begin(chromium, "mentor", "/account/notifications")
    problems = []
    for name, choice in (("mentions in the portal only", "portal"), ("mentions by email again", "email")):
        chromium.js(CLEAR_LIVE_REGION)
        chromium.click(f"input[name=forums-mention][value={choice}] + label")
        chromium.click("#notification-preferences button[type=submit]")
        chromium.wait_until(lambda: chromium.js(LIVE_REGION) == saved and chromium.js(SETTLED), "the save")
        # Before the checks below move focus about: it is back on the button that was pressed.
        focused = chromium.js("return document.activeElement.textContent.trim()")
        if focused != "Save notification preferences":
            problems.append(f"focus: after saving it is on {focused[:40]!r}, not back on the button pressed")
        beside = chromium.js("const p = document.getElementById('notification-preferences-saved');"
                             "return p ? p.previousElementSibling.textContent.trim() : '';")
        if beside != "Save notification preferences":
            problems.append("preferences: after saving, no confirmation shows beside the button")
        problems += after_swap(chromium, "notifications.preferences", name, saved)
    record(report, chromium, "notifications.preferences", "mentions to the portal and back, with htmx",
           started, problems)


def test_filtering_people_swaps_the_results_and_pushes_a_working_url(chromium, report):
    started = time.monotonic()
    begin(chromium, "manager", "/manage/people")
    chromium.type_into("#q", "Sample")
    Select(chromium.driver.find_element(By.ID, "role")).select_by_value("manager")
    chromium.click("form[role=search] button")
    problems = filtered(chromium, "manage.people", "people-heading")
    if chromium.target() != "/manage/people?q=Sample&role=manager":
        problems.append(f"history: the URL is {chromium.target()} after filtering; push the filter's own URL")
    record(report, chromium, "manage.people", "filter by name and role with htmx", started, problems)


def test_resending_the_confirmation_link_swaps_the_notice(chromium, report):
    started = time.monotonic()
    begin(chromium, "unverified", "/")
    chromium.click("#verify-notice button")
    problems = after_swap(chromium, "pages.home", "confirmation link sent",
                          f"We have sent a new confirmation link to {ACCOUNTS['unverified']}.")
    if "Send another link" not in chromium.js("return document.getElementById('verify-notice').textContent"):
        problems.append("verify notice: after resending, its button should offer another link")
    record(report, chromium, "pages.home", "resend the confirmation link with htmx", started, problems)


def test_replying_to_an_event_swaps_the_reply_and_announces_it(chromium, portal, report):
    started = time.monotonic()
    begin(chromium, "mentor", f"/events/{portal.lookup(data.event_id, 'open')}")
    problems = []
    for label, said, shown in (("Attend", "You're going.", "You're going."),
                               ("Cancel my place", "You're not going. Thanks for letting the hosts know.",
                                "You said you're not going.")):
        chromium.js(CLEAR_LIVE_REGION)
        button = chromium.js("return document.querySelector('#rsvp button[name=answer]').textContent.trim()")
        if button != label:
            problems.append(f"reply button: it says {button!r}, not {label!r}")
        chromium.click("#rsvp button[name=answer]")
        problems += after_swap(chromium, "events.show", f"pressed {label}", said)
        if shown not in chromium.js("return document.getElementById('rsvp').textContent"):
            problems.append(f"after {label}: the reply section does not show {shown!r} beside the button")
    record(report, chromium, "events.show", "attend, then cancel the place, with htmx", started, problems)


def test_access_needs_too_long_swap_in_their_errors_then_save(chromium, portal, report):
    started = time.monotonic()
    begin(chromium, "admin", f"/events/{portal.lookup(data.event_id, 'open')}")
    problems = []
    if "Cancel my place" not in chromium.js("return document.getElementById('rsvp').textContent"):
        chromium.click("#rsvp button[name=answer]")
        problems += after_swap(chromium, "events.show", "pressed Attend", "You're going.")
    chromium.type_into("#needs_other", "n" * 501)
    chromium.click("#rsvp form[action$=needs] button")
    problems += after_swap(chromium, "events.show", "access needs too long", None)
    chromium.type_into("#needs_other", "Large print")
    chromium.click("#rsvp form[action$=needs] button")
    problems += after_swap(chromium, "events.show", "access needs saved",
                           "Your access needs are saved. Only the hosts and community managers see them.")
    if "The hosts know: Large print." not in chromium.js("return document.getElementById('rsvp').textContent"):
        problems.append("after saving: the reply section does not show the needs the hosts now have")
    record(report, chromium, "events.show", "access needs too long, then corrected, with htmx", started, problems)


def test_filtering_events_swaps_the_results_and_pushes_a_working_url(chromium, report):
    started = time.monotonic()
    begin(chromium, None, "/events/")
    chromium.click(".filters-disclosure > summary")
    Select(chromium.driver.find_element(By.ID, "format")).select_by_value("online")
    chromium.click("label[for=access-live_captions]")
    chromium.click("form[role=search] button")
    problems = filtered(chromium, "events.index", "results-heading")
    record(report, chromium, "events.index", "filter by format and access with htmx", started, problems)


def test_moving_through_the_calendar_swaps_the_month_and_pushes_its_url(chromium, report):
    started = time.monotonic()
    begin(chromium, None, "/events/calendar/2099/1")
    chromium.click(".month-nav a[rel=next]")
    chromium.wait_until(lambda: chromium.target() == "/events/calendar/2099/2", "the next month's URL")
    problems = after_swap(chromium, "events.calendar", "next month", "February 2099: no events.")
    record(report, chromium, "events.calendar", "next month with htmx", started, problems)


def test_following_a_thread_and_marking_a_post_helpful_swap_their_buttons(chromium, portal, report):
    started = time.monotonic()
    title = data.FORUM_THREAD
    begin(chromium, "member", f"/forums/t/{portal.lookup(data.thread_id, title)}")
    helpful = f"#helpful-{portal.lookup(data.post_id, 2)} button"
    problems = []
    for selector, said, pressed in (
        ("#follow-thread button", f"You are no longer following “{title}”.", "false"),
        ("#follow-thread button",
         f"You are following “{title}”. Replies reach you by your email choice.", "true"),
        (helpful, "Marked as helpful.", "true"),
        (helpful, "Helpful mark removed.", "false"),
    ):
        chromium.js(CLEAR_LIVE_REGION)
        chromium.click(selector)
        problems += after_swap(chromium, "forums.thread", said, said)
        shown = chromium.js("return document.querySelector(arguments[0]).ariaPressed", selector)
        if shown != pressed:
            problems.append(f"{selector}: aria-pressed is {shown} after “{said}”; it should be {pressed}")
        # The state shows in the label too, and the result beside the control, not only in the live region.
        label = chromium.js("return document.querySelector(arguments[0]).innerText", selector)
        if label.startswith("✓") != (pressed == "true"):
            problems.append(f"{selector}: the label “{label}” does not show the state after “{said}”")
        beside = chromium.js(VISIBLE_BESIDE, selector)
        if beside != said:
            problems.append(f"{selector}: beside it shows “{beside}”; it should show “{said}”")
    record(report, chromium, "forums.thread", "follow and helpful, on and off, with htmx", started, problems)


def test_previewing_a_reply_shows_and_announces_the_preview(chromium, portal, report):
    started = time.monotonic()
    begin(chromium, "member", f"/forums/t/{portal.lookup(data.thread_id, data.FORUM_THREAD)}/reply")
    chromium.type_into("#body", "A *preview* of my reply.")
    chromium.click("button[value=preview]")
    problems = after_swap(chromium, "forums.reply", "previewed", "The preview is below the buttons.")
    if "A preview of my reply." not in chromium.js("return document.getElementById('preview').textContent"):
        problems.append("preview: the rendered text is not in the preview box")
    record(report, chromium, "forums.reply", "preview a reply with htmx", started, problems)


def test_searching_the_forums_swaps_the_results_and_pushes_a_working_url(chromium, report):
    started = time.monotonic()
    begin(chromium, "member", "/forums/search")
    chromium.type_into("#q", "mentor")
    chromium.click("form[role=search] button")
    problems = filtered(chromium, "forums.search_posts", "search-heading")
    record(report, chromium, "forums.search_posts", "search with htmx", started, problems)


def test_deciding_in_the_moderation_queue_swaps_the_item_or_brings_the_errors_to_the_top(chromium, portal,
                                                                                         report):
    started = time.monotonic()
    begin(chromium, "manager", "/manage/moderation")
    item = chromium.js("return document.querySelector('#queue-results section.report').id")
    problems = []
    try:
        chromium.click(f"#{item} button[type=submit]")
        chromium.wait_until(lambda: chromium.js(SETTLED) and chromium.js(ERRORS_SHOWN), "the error summary")
        if chromium.js("return document.activeElement.id") != "error-summary":
            problems.append("error summary: a decision with errors should move focus to the summary at the top")
        problems += after_swap(chromium, "manage.queue", "decision sent empty", None)
        chromium.js(CLEAR_LIVE_REGION)
        chromium.click(f"#{item} input[value=dismiss] + label")
        chromium.click(f"#{item} button[type=submit]")
        said = "The reports are dismissed; the post stays."
        problems += after_swap(chromium, "manage.queue", "reports dismissed", said)
        if chromium.js(ERRORS_SHOWN):
            problems.append("error summary: it stays at the top after the decision was corrected and made")
        if f"Done: {said}" not in chromium.js("return document.getElementById(arguments[0]).textContent", item):
            problems.append(f"{item}: the decision is announced but not shown beside the item")
    finally:
        with portal.session() as session:
            data.reopen_reports(session)
            session.commit()
    record(report, chromium, "manage.queue", "a decision sent empty, then made, with htmx", started, problems)


def test_lifting_a_suspension_swaps_the_list_and_announces_it(chromium, portal, report):
    started = time.monotonic()
    begin(chromium, "manager", "/manage/suspensions")
    row = f"#suspension-{portal.lookup(data.suspension_id, 'suspended')}"
    said = "The suspension is lifted: Sol Suspended can take part again."
    try:
        chromium.click(f"{row} button[type=submit]")
        problems = after_swap(chromium, "manage.suspensions", "lifted", said)
        if f"Done: {said}" not in chromium.js("return document.getElementById('suspensions').textContent"):
            problems.append("suspensions: the lifting is announced but not shown on the page")
    finally:
        with portal.session() as session:
            data.suspend_again(session)
            session.commit()
    record(report, chromium, "manage.suspensions", "lift a suspension with htmx", started, problems)


def test_withdrawing_and_asking_to_be_a_mentor_swap_the_status_and_announce_it(chromium, report):
    """Withdraw the pending request, ask with no note (errors), then ask properly: the
    account ends as it began, with a request waiting."""
    started = time.monotonic()
    begin(chromium, "asking", "/account/mentor")
    problems = []
    chromium.click("#mentor-status button[type=submit]")
    problems += after_swap(chromium, "accounts.mentor", "request withdrawn",
                           "You have withdrawn your request to be a mentor.")
    chromium.js(CLEAR_LIVE_REGION)
    chromium.click("#mentor-status button[type=submit]")
    problems += after_swap(chromium, "accounts.mentor", "note sent empty", None)
    chromium.type_into("#note", "I have coached new colleagues at work for three years.")
    chromium.click("#mentor-status button[type=submit]")
    asked = "You have asked to be a mentor. We will email you when a community manager decides."
    problems += after_swap(chromium, "accounts.mentor", "asked again", asked)
    shown = chromium.js("return document.getElementById('mentor-status').textContent")
    if "Withdraw your request" not in shown:
        problems.append("mentor status: after asking, it should offer to withdraw the request")
    record(report, chromium, "accounts.mentor", "withdraw, ask with errors, ask again, with htmx",
           started, problems)
