"""Events: networking events, talks and workshops that members find, RSVP to and join."""

from portal.core.features import BackgroundJob, Feature, HomePanel, NavEntry, NotificationKind

NOTIFICATION_KINDS = (
    NotificationKind("events.promoted", "A place for you from a waiting list",
                     hint="Someone gave up their place and it is now yours. The email has a calendar file."),
    NotificationKind("events.changed", "Changes to events you replied to",
                     hint="A new time, place or joining link. The email has the updated calendar file."),
    NotificationKind("events.cancelled", "Cancellations of events you replied to",
                     hint="The email has a calendar file that removes the event from your calendar."),
)


def _demo(session, context: dict) -> str:
    from portal.blueprints.events import demo

    return f"{demo.seed(session, context['people'])} events"


def feature() -> Feature:
    from portal.blueprints.events import home
    from portal.blueprints.events.commands import reminders_pass, send_reminders_command
    from portal.blueprints.events.views import bp

    return Feature(
        name="events",
        blueprint=bp,
        navigation=(NavEntry("Events", "events.index", order=20, section="/events/"),),
        commands=(send_reminders_command,),
        demo=_demo,
        background=(BackgroundJob("reminders", reminders_pass, "REMINDER_INTERVAL"),),
        notification_kinds=NOTIFICATION_KINDS,
        home_panels=(
            HomePanel("events.coming-up", "events/_home_coming_up.html", home.coming_up, order=10,
                      visitors=True, members=False),
            HomePanel("events.yours", "events/_home_yours.html", home.your_events, order=10),
            HomePanel("events.interests", "events/_home_interests.html", home.on_your_interests, order=40),
        ),
    )
