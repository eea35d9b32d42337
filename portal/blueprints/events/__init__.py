"""Events: networking events, talks and workshops that members find, RSVP to and join."""

from portal.core.features import BackgroundJob, Feature, NavEntry


def _demo(session, context: dict) -> str:
    from portal.blueprints.events import demo

    return f"{demo.seed(session, context['people'])} events"


def feature() -> Feature:
    from portal.blueprints.events.commands import reminders_pass, send_reminders_command
    from portal.blueprints.events.views import bp

    return Feature(
        name="events",
        blueprint=bp,
        navigation=(NavEntry("Events", "events.index", order=20, section="/events/"),),
        commands=(send_reminders_command,),
        demo=_demo,
        background=(BackgroundJob("reminders", reminders_pass, "REMINDER_INTERVAL"),),
    )
