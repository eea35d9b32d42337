"""Every page state the suite checks, registered per endpoint by the feature that owns it.

A state is one way a page can look: who is signed in, which URL (with sample
arguments), and optionally a form submitted empty or with invalid values. The
suite discovers GET endpoints from the app's URL map and fails, naming the
endpoint, when one has no states here; so a new page is checked without anyone
remembering to. A feature adds its pages with ``register(...)`` in its own
section below (``form_errors`` gives the two error states of a form), and its
non-HTML responses (calendar files, spreadsheets) with ``offer(...)``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from a11y import data
from a11y.server import LivePortal

NO_ROUTE = "(no route)"  # the key for URLs that match no endpoint at all (the 404 page)

Path = str | Callable[[LivePortal], str]


@dataclass(frozen=True)
class Submission:
    """After the page loads, fill in its main form with ``values`` (every other field
    emptied first when ``clear``) and submit it; the response is the state checked."""

    values: Mapping[str, str] = field(default_factory=dict)
    clear: bool = False


@dataclass(frozen=True)
class PageState:
    """One page in one state. ``role`` names an account in ``data.ACCOUNTS`` (None: signed
    out); ``status`` is what the page must answer; 422 means a form with errors."""

    endpoint: str
    name: str
    role: str | None
    path: Path
    submission: Submission | None = None
    status: int = 200

    @property
    def id(self) -> str:
        return f"{self.endpoint} [{self.name}]"

    @property
    def has_form_errors(self) -> bool:
        return self.status == 422

    def url(self, portal: LivePortal) -> str:
        """The path to load, with sample arguments from the running portal."""
        return self.path(portal) if callable(self.path) else self.path


@dataclass(frozen=True)
class Download:
    """A GET endpoint that answers with a file, not a page: checked for its type and budget."""

    endpoint: str
    role: str | None
    path: Path
    content_type: str

    def url(self, portal: LivePortal) -> str:
        return self.path(portal) if callable(self.path) else self.path


REGISTRY: dict[str, list[PageState]] = {}
DOWNLOADS: dict[str, list[Download]] = {}


def register(*states: PageState) -> None:
    for state in states:
        REGISTRY.setdefault(state.endpoint, []).append(state)


def offer(*downloads: Download) -> None:
    for download in downloads:
        DOWNLOADS.setdefault(download.endpoint, []).append(download)


def all_states() -> list[PageState]:
    return [state for states in REGISTRY.values() for state in states]


def form_errors(endpoint: str, role: str | None, path: Path, invalid: Mapping[str, str]) -> list[PageState]:
    """The form at ``path`` submitted with every field empty, and with ``invalid`` values."""
    return [
        PageState(endpoint, "submitted empty", role, path, Submission(clear=True), 422),
        PageState(endpoint, "invalid values", role, path, Submission(invalid), 422),
    ]


def link(name: str) -> Callable[[LivePortal], str]:
    """The path of a working emailed link (``verify``, ``reset``, ``confirm-email``)."""
    return lambda portal: portal.links[name]


def of(role: str, template: str) -> Callable[[LivePortal], str]:
    """A path about the account ``role`` signs in to: ``template`` with its ``{id}``."""
    return lambda portal: template.format(id=portal.lookup(data.user, role).id)


def event(key: str, template: str = "/events/{id}") -> Callable[[LivePortal], str]:
    """A path about one of the events in ``data.EVENTS``: ``template`` with its ``{id}``."""
    return lambda portal: template.format(id=portal.lookup(data.event_id, key))


def month_of(key: str) -> Callable[[LivePortal], str]:
    """The calendar page of the month the event ``key`` starts in (London time)."""
    return lambda portal: "/events/calendar/{0.year}/{0.month}".format(portal.lookup(data.event_month, key))


def thread(title: str, template: str = "/forums/t/{id}") -> Callable[[LivePortal], str]:
    """A path about the forum thread called ``title``: ``template`` with its ``{id}``."""
    return lambda portal: template.format(id=portal.lookup(data.thread_id, title))


def mentor_request(status: str) -> Callable[[LivePortal], str]:
    """The decision page of the oldest mentor request in ``status``."""
    return lambda portal: f"/manage/mentor-requests/{portal.lookup(data.mentor_request_id, status)}"


def post(number: int, template: str) -> Callable[[LivePortal], str]:
    """A path about post ``number`` of the member's thread (1: theirs, 2: the mentor's)."""
    return lambda portal: template.format(id=portal.lookup(data.post_id, number))


# Pages: home and the accessibility statement

register(
    PageState("pages.home", "signed out", None, "/"),
    PageState("pages.home", "member", "member", "/"),
    PageState("pages.home", "unconfirmed member", "unverified", "/"),
    PageState("pages.home", "community manager", "manager", "/"),
    PageState("pages.home", "manager with every display preference on", "preferences", "/"),
    PageState("pages.home", "admin", "admin", "/"),
    PageState("pages.accessibility", "signed out", None, "/accessibility"),
    PageState("pages.accessibility", "member", "member", "/accessibility"),
)
offer(
    Download("pages.health", None, "/health", "text/plain"),
    Download("assets.favicon", None, "/favicon.ico", "image/svg+xml"),
)

# Accounts: registering, confirming, signing in, passwords, settings, profiles

register(
    PageState("accounts.register", "signed out", None, "/register"),
    *form_errors("accounts.register", None, "/register", {
        "display_name": "", "email": "not an email address", "password": "short",
        "confirm_password": "different", "participation": "",
    }),
    PageState("accounts.check_email", "signed out", None,
              "/register/check-your-email"),
    PageState("accounts.verify_email", "signed out, working link", None, link("verify")),
    PageState("accounts.verify_email", "signed out, broken link", None, "/verify/not-a-real-token",
              Submission(), 400),
    PageState("accounts.sign_in", "signed out", None, "/sign-in"),
    *form_errors("accounts.sign_in", None, "/sign-in",
                 {"email": "member@example.org", "password": "not the password"}),
    PageState("accounts.forgot_password", "signed out", None, "/forgot-password"),
    *form_errors("accounts.forgot_password", None, "/forgot-password", {"email": "member@"}),
    PageState("accounts.reset_sent", "signed out", None,
              "/forgot-password/sent"),
    PageState("accounts.reset_password", "signed out, working link", None, link("reset")),
    *form_errors("accounts.reset_password", None, link("reset"),
                 {"password": "short", "confirm_password": "different"}),
    PageState("accounts.reset_password", "signed out, broken link", None, "/reset-password/not-a-real-token",
              status=400),
    PageState("accounts.unlock", "signed out, working link", None, link("unlock")),
    PageState("accounts.unlock", "signed out, broken link", None, "/sign-in/unlock/not-a-real-token", status=400),
    PageState("accounts.settings", "member", "member", "/account"),
    PageState("accounts.settings", "unconfirmed member", "unverified", "/account"),
    PageState("accounts.settings", "member changing their email address", "pending", "/account"),
    PageState("accounts.settings", "signed out, sent to sign in", None, "/account"),
    PageState("accounts.edit_profile", "member", "member", "/account/profile"),
    *form_errors("accounts.edit_profile", "member", "/account/profile",
                 {"pronouns": "x" * 41, "timezone": "Mars/Olympus_Mons"}),
    PageState("accounts.start", "member", "member", "/start"),
    PageState("accounts.start", "invalid values", "member", "/start",
              Submission({"timezone": "london", "usual_needs_other": "n" * 501}), 422),
    # Preferences has no error state a person can reach: every box and a radio are always set.
    PageState("accounts.preferences", "member", "member", "/account/preferences"),
    PageState("accounts.preferences", "every display preference on", "preferences", "/account/preferences"),
    PageState("accounts.change_password", "member", "member", "/account/password"),
    *form_errors("accounts.change_password", "member", "/account/password",
                 {"current_password": "not the password", "password": "short",
                  "confirm_password": "different"}),
    PageState("accounts.change_email", "member", "member", "/account/email"),
    *form_errors("accounts.change_email", "member", "/account/email",
                 {"email": "not an email address", "password": "not the password"}),
    PageState("accounts.confirm_email_change", "signed out, working link", None, link("confirm-email")),
    PageState("accounts.confirm_email_change", "signed out, broken link", None,
              "/email/confirm/not-a-real-token", Submission(), 400),
    PageState("accounts.delete_account", "member", "member", "/account/delete"),
    *form_errors("accounts.delete_account", "member", "/account/delete", {"password": "not the password"}),
    PageState("accounts.profile", "member, their own", "member", of("member", "/people/{id}")),
    PageState("accounts.profile", "member, someone else's", "member", of("mentor", "/people/{id}")),
    PageState("accounts.profile", "member, nobody there", "member", "/people/999999", status=404),
    PageState("accounts.sign_out", "signed out, opened as a page", None, "/sign-out", status=405),
)

# Manage: the community dashboard, people and roles

register(
    PageState("manage.dashboard", "community manager", "manager", "/manage/"),
    PageState("manage.dashboard", "admin", "admin", "/manage/"),
    PageState("manage.dashboard", "member, not allowed", "member", "/manage/", status=403),
    PageState("manage.people", "community manager", "manager", "/manage/people"),
    PageState("manage.people", "admin", "admin", "/manage/people"),
    PageState("manage.people", "admin, second page", "admin", "/manage/people?page=2"),
    PageState("manage.people", "community manager, nobody matches", "manager",
              "/manage/people?q=nobody+has+this+name"),
    PageState("manage.change_role", "admin", "admin", of("mentor", "/manage/people/{id}/role")),
    PageState("manage.change_role", "the only admin making themselves a member", "admin",
              of("admin", "/manage/people/{id}/role"), Submission({"role": "member"}), 422),
    PageState("manage.change_role", "community manager, not allowed", "manager",
              of("mentor", "/manage/people/{id}/role"), status=403),
)

# Moderation: the one queue for every reportable kind, the report page they share, and
# suspensions (the demo reports three forum posts and suspends one member; the suite adds
# a suspended account whose refusals say why and until when)

register(
    PageState("manage.queue", "community manager, reported forum posts", "manager", "/manage/moderation"),
    PageState("manage.queue", "admin, filtered to forum posts", "admin", "/manage/moderation?kind=forums.post"),
    PageState("manage.queue", "community manager, nothing handled yet", "manager",
              "/manage/moderation?status=handled"),
    PageState("manage.queue", "a decision sent empty", "manager", "/manage/moderation",
              Submission(clear=True), 422),
    PageState("manage.queue", "member, not allowed", "member", "/manage/moderation", status=403),
    PageState("manage.report", "member, a forum post", "member", post(2, "/report/forums.post/{id}")),
    PageState("manage.report", "submitted empty", "member", post(2, "/report/forums.post/{id}"),
              Submission(clear=True), 422),
    PageState("manage.report", "member, a hidden or missing item", "member", "/report/forums.post/999999",
              status=404),
    PageState("manage.suspensions", "community manager, people suspended", "manager", "/manage/suspensions"),
    PageState("manage.suspensions", "admin, none ended lately", "admin", "/manage/suspensions?show=ended"),
    PageState("manage.suspensions", "member, not allowed", "member", "/manage/suspensions", status=403),
    PageState("forums.new_thread", "suspended member, told why and until when", "suspended",
              "/forums/c/introductions/new", status=403),
)

# Mentoring: asking to be a mentor, and the community managers' decisions

MENTOR_PAGE = "/account/mentor"
MENTOR_STATUS = "/manage/people/{id}/mentoring"

register(
    PageState("accounts.mentor", "member, not asked", "member", MENTOR_PAGE),
    *form_errors("accounts.mentor", "member", MENTOR_PAGE, {"note": "x" * 1001}),
    PageState("accounts.mentor", "member, request pending", "asking", MENTOR_PAGE),
    PageState("accounts.mentor", "member, request declined with a reason", "declined", MENTOR_PAGE),
    PageState("accounts.mentor", "approved mentor", "mentor", MENTOR_PAGE),
    PageState("accounts.mentor", "unconfirmed member", "unverified", MENTOR_PAGE),
    PageState("accounts.mentor", "signed out, sent to sign in", None, MENTOR_PAGE),
    PageState("manage.people", "community manager, mentor requests waiting", "manager",
              "/manage/people?role=member"),
    PageState("manage.mentor_request", "community manager, a request waiting", "manager",
              mentor_request("pending")),
    *form_errors("manage.mentor_request", "manager", mentor_request("pending"),
                 {"decision": "decline", "reason": ""}),
    PageState("manage.mentor_request", "admin, a declined request", "admin",
              mentor_request("declined")),
    PageState("manage.mentor_request", "mentor, not allowed", "mentor", mentor_request("pending"),
              status=403),
    PageState("manage.mentor_status", "community manager, a mentor", "manager",
              of("mentor", MENTOR_STATUS)),
    PageState("manage.mentor_status", "reason sent empty", "manager", of("mentor", MENTOR_STATUS),
              Submission(clear=True), 422),
    PageState("manage.mentor_status", "admin, someone whose request waits", "admin",
              of("asking", MENTOR_STATUS)),
    PageState("manage.mentor_status", "member, not allowed", "member", of("mentor", MENTOR_STATUS),
              status=403),
)

# Events: finding, replying, hosting

register(
    PageState("events.index", "signed out", None, "/events/"),
    PageState("events.index", "member", "member", "/events/"),
    PageState("events.index", "community manager, drafts included", "manager", "/events/"),
    PageState("events.index", "member, second page", "member", "/events/?page=2"),
    PageState("events.index", "signed out, nothing matches the filters", None,
              "/events/?format=in_person&access=sign_language"),
    PageState("events.past", "signed out", None, "/events/past"),
    PageState("events.past", "member", "member", "/events/past"),
    PageState("events.calendar_now", "member, this month", "member", "/events/calendar"),
    PageState("events.calendar", "signed out, a month with events", None, month_of("open")),
    PageState("events.calendar", "member, a month without events", "member", "/events/calendar/2099/1"),
    PageState("events.mine", "member going to events", "member", "/events/mine"),
    PageState("events.mine", "community manager hosting events", "manager", "/events/mine"),
    PageState("events.mine", "unconfirmed member, nothing yet", "unverified", "/events/mine"),
    PageState("events.show", "signed out", None, event("open")),
    PageState("events.show", "member, not replied", "member", event("open")),
    PageState("events.show", "member, event full", "member", event("full")),
    PageState("events.show", "member going, joining link open, access needs sent", "member", event("now")),
    PageState("events.show", "community manager hosting, people going", "manager", event("now")),
    PageState("events.show", "community manager hosting, after the event", "manager", event("past")),
    PageState("events.show", "member who went, after the event", "member", event("past")),
    PageState("events.show", "member, event cancelled", "member", event("cancelled")),
    PageState("events.show", "unconfirmed member", "unverified", event("open")),
    PageState("events.show", "community manager, a draft", "manager", event("draft")),
    PageState("events.show", "member, a draft they cannot see", "member", event("draft"), status=404),
    PageState("events.create", "community manager", "manager", "/events/new"),
    *form_errors("events.create", "manager", "/events/new", {
        "title": "Planning", "summary": "A meeting.", "start_date": "2099-01-05", "start_time": "18:00",
        "end_date": "2099-01-05", "end_time": "17:00", "timezone": "Mars/Olympus_Mons", "format": "online",
        "join_url": "not a link", "capacity": "lots", "hosts": "nobody@a11y.example.org",
    }),
    PageState("events.create", "member, not allowed", "member", "/events/new", status=403),
    PageState("events.edit", "community manager", "manager", event("open", "/events/{id}/edit")),
    PageState("events.edit", "submitted empty", "manager", event("open", "/events/{id}/edit"),
              Submission(clear=True), 422),
    PageState("events.edit", "member, not allowed", "member", event("open", "/events/{id}/edit"), status=403),
    PageState("events.cancel", "community manager", "manager", event("open", "/events/{id}/cancel")),
    PageState("events.cancel", "submitted empty", "manager", event("open", "/events/{id}/cancel"),
              Submission(clear=True), 422),
    PageState("events.attendees", "community manager, after the event", "manager",
              event("past", "/events/{id}/attendees")),
    PageState("events.attendees", "community manager, with a waiting list", "manager",
              event("full", "/events/{id}/attendees")),
    PageState("events.followup", "community manager", "manager", event("past", "/events/{id}/follow-up")),
    PageState("events.followup", "submitted empty", "manager", event("past", "/events/{id}/follow-up"),
              Submission(clear=True), 422),
    PageState("events.feedback", "member who went", "member", event("past", "/events/{id}/feedback")),
    PageState("events.feedback", "submitted empty", "member", event("past", "/events/{id}/feedback"),
              Submission(clear=True), 422),
    PageState("events.feedback_results", "community manager", "manager",
              event("past", "/events/{id}/feedback/results")),
)
offer(
    Download("events.ics", None, event("open", "/events/{id}.ics"), "text/calendar"),
    Download("events.public_feed", None, "/events/feed.ics", "text/calendar"),
    Download("events.personal_feed", None,
             lambda portal: f"/events/calendar-feed/{portal.lookup(data.feed_token, 'member')}.ics",
             "text/calendar"),
    Download("events.attendees_csv", "manager", event("past", "/events/{id}/attendees.csv"), "text/csv"),
)

# Forums: categories, threads, posting, moderation, search

register(
    PageState("forums.index", "signed out", None, "/forums/"),
    PageState("forums.index", "member", "member", "/forums/"),
    PageState("forums.index", "mentor, mentors' lounge included", "mentor", "/forums/"),
    PageState("forums.category", "signed out", None, "/forums/c/introductions/"),
    PageState("forums.category", "member", "member", "/forums/c/introductions/"),
    PageState("forums.category", "member, a category for mentors", "member", "/forums/c/mentors-lounge/",
              status=404),
    PageState("forums.thread", "signed out", None, thread(data.FORUM_THREAD)),
    PageState("forums.thread", "member, their own thread", "member", thread(data.FORUM_THREAD)),
    PageState("forums.thread", "community manager, moderating", "manager", thread(data.FORUM_THREAD)),
    PageState("forums.thread", "member, a long thread's third page", "member",
              thread(data.LONG_THREAD, "/forums/t/{id}?page=3")),
    PageState("forums.thread", "member, a locked thread", "member", thread(data.LOCKED_THREAD)),
    PageState("forums.thread", "unconfirmed member", "unverified", thread(data.FORUM_THREAD)),
    PageState("forums.permalink", "member, a link to a post", "member", post(2, "/forums/p/{id}")),
    PageState("forums.new_thread", "member", "member", "/forums/c/introductions/new"),
    *form_errors("forums.new_thread", "member", "/forums/c/introductions/new",
                 {"title": "x" * 200, "body": ""}),
    PageState("forums.new_thread", "unconfirmed member, not allowed", "unverified",
              "/forums/c/introductions/new", status=403),
    PageState("forums.reply", "member", "member", thread(data.FORUM_THREAD, "/forums/t/{id}/reply")),
    PageState("forums.reply", "member, quoting a post", "member",
              lambda portal: "/forums/t/{}/reply?quote={}".format(
                  portal.lookup(data.thread_id, data.FORUM_THREAD), portal.lookup(data.post_id, 2))),
    PageState("forums.reply", "submitted empty", "member", thread(data.FORUM_THREAD, "/forums/t/{id}/reply"),
              Submission(clear=True), 422),
    PageState("forums.edit", "member, their post", "member", post(1, "/forums/p/{id}/edit")),
    PageState("forums.edit", "submitted empty", "member", post(1, "/forums/p/{id}/edit"),
              Submission(clear=True), 422),
    PageState("forums.edit", "member, someone else's post", "member", post(2, "/forums/p/{id}/edit"),
              status=403),
    PageState("forums.delete", "member, their post", "member", post(1, "/forums/p/{id}/delete")),
    PageState("forums.history", "community manager", "manager", post(1, "/forums/p/{id}/history")),
    PageState("forums.history", "member, not allowed", "member", post(1, "/forums/p/{id}/history"),
              status=403),
    PageState("forums.moderate_thread", "community manager", "manager",
              thread(data.FORUM_THREAD, "/forums/t/{id}/moderate")),
    PageState("forums.moderate_thread", "submitted empty", "manager",
              thread(data.FORUM_THREAD, "/forums/t/{id}/moderate"), Submission({"title": ""}), 422),
    PageState("forums.categories", "community manager", "manager", "/forums/manage"),
    PageState("forums.category_form", "community manager, a new category", "manager", "/forums/manage/new"),
    PageState("forums.category_form", "submitted empty", "manager", "/forums/manage/new",
              Submission(clear=True), 422),
    PageState("forums.category_form", "community manager, a category", "manager",
              lambda portal: f"/forums/manage/{portal.lookup(data.category_id, 'introductions')}"),
    PageState("forums.search_posts", "signed out", None, "/forums/search"),
    PageState("forums.search_posts", "member, words found", "member", "/forums/search?q=mentor"),
    PageState("forums.search_posts", "member, nothing found", "member", "/forums/search?q=xylophone"),
)
offer(Download("forums.feed", None, "/forums/c/introductions/feed.atom", "application/atom+xml"))

# Notifications: the list, the choice of delivery per kind, one-click unsubscribe

register(
    PageState("notifications.index", "member, mentioned and told of a change", "member", "/notifications"),
    PageState("notifications.index", "admin, nothing yet", "admin", "/notifications"),
    PageState("notifications.preferences", "member, every kind at its default", "member",
              "/account/notifications"),
    PageState("notifications.preferences", "saved, some kinds changed", "preferences", "/account/notifications",
              Submission({"forums-reply": "digest", "forums-new_thread": "portal", "events-changed": "off"})),
    # Every kind is always answered on the page; a kind posted without an answer, or with a
    # delivery that is not offered, comes back with its error.
    PageState("notifications.preferences", "submitted with no answers", "member", "/account/notifications",
              Submission(clear=True), 422),
    PageState("notifications.unsubscribe", "signed out, from an email", None,
              lambda portal: f"/unsubscribe/{portal.lookup(data.unsubscribe_token, 'member')}"),
    PageState("notifications.unsubscribe", "signed out, unsubscribed", None,
              lambda portal: f"/unsubscribe/{portal.lookup(data.unsubscribe_token, 'admin')}", Submission()),
    PageState("notifications.unsubscribe", "signed out, a broken link", None, "/unsubscribe/not-a-real-token",
              status=404),
)

# Style guide: every shared component (on in tests), its sample form's errors and success

register(
    PageState("styleguide.show", "signed out", None, "/style-guide"),
    PageState("styleguide.show", "member, with who is going", "member", "/style-guide"),
    PageState("styleguide.show", "manager, every display preference on", "preferences", "/style-guide"),
    *form_errors("styleguide.show", None, "/style-guide", {"name": "Ada", "interpreter": "on"}),
    PageState("styleguide.show", "sent complete, a success notice", "member", "/style-guide",
              Submission({"name": "Ada", "contact": "email"})),
)

# No route: an address that matches nothing

register(PageState(NO_ROUTE, "signed out", None, "/no-such-page", status=404))
