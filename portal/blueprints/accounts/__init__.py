"""Accounts: registration, verification, sign-in, passwords, profiles and preferences."""

from portal.core.features import Feature, NavEntry, signed_in, signed_out

# Session key: True during a person's first signed-in visit, for the start page's greeting.
FIRST_VISIT = "first_visit"


def _demo(session, context: dict) -> str:
    from portal.blueprints.accounts import demo

    context["people"] = demo.seed(session)
    return f"{len(context['people'])} demo accounts (password '{demo.DEMO_PASSWORD}')"


def feature() -> Feature:
    from portal.blueprints.accounts.commands import create_user
    from portal.blueprints.accounts.views import bp

    return Feature(
        name="accounts",
        blueprint=bp,
        navigation=(
            NavEntry("Your account", "accounts.settings", order=85, show=signed_in, section="/account"),
            NavEntry("Sign in", "accounts.sign_in", order=85, show=signed_out, section="/sign-in"),
            NavEntry("Register", "accounts.register", order=86, show=signed_out, section="/register"),
        ),
        commands=(create_user,),
        demo=_demo,
    )
