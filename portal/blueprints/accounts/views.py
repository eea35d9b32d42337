"""Account pages. Thin: load, authorise, validate, call a service, commit once, respond."""

from __future__ import annotations

import logging
from datetime import timedelta

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    make_response,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from limits import parse
from flask_login import current_user, login_required, login_user, logout_user

from portal.blueprints.accounts import FIRST_VISIT, mentoring, services
from portal.blueprints.accounts.forms import (
    ChangeEmailForm,
    ChangePasswordForm,
    DeleteAccountForm,
    ForgotPasswordForm,
    MentorRequestForm,
    PreferencesForm,
    ProfileForm,
    RegisterForm,
    ResetPasswordForm,
    SignInForm,
    StartForm,
)
from portal.blueprints.accounts.models import User
from portal.blueprints.accounts.tokens import UNLOCKED_BROWSER, TokenError, make_token, read_token
from portal.core.forms import ConfirmForm
from portal.core.htmx import done, render, render_form
from portal.core.permissions import Permission, has_permission, require
from portal.core.security import client_address, minutes_until, safe_next
from portal.extensions import db, limiter

bp = Blueprint("accounts", __name__)
UNLOCK_COOKIE = "unlocked"
UNLOCK_EMAILS = parse("1 per hour")  # per address, however often its sign-ins are paused
log = logging.getLogger("portal.accounts")

TOKEN_PROBLEMS = {
    "expired": "This link has expired.",
    "used": "This link has already been used.",
    "invalid": "This link is not valid. Check you copied all of it.",
    "taken": "Another account now uses that email address.",
    "superseded": "You have asked to change to a different address since; use the link in the newest email.",
}


def _limit(name: str):
    return lambda: current_app.config[name]


def _posted_email() -> str:
    return "account:" + services.normalise_email(request.form.get("email", ""))


def _posted_email_from_here() -> str:
    return f"{_posted_email()} from:{client_address()}"


def _unlocked_here() -> bool:
    """This browser carries the cookie the owner's emailed link set for the posted address."""
    cookie = request.cookies.get(UNLOCK_COOKIE)
    if not cookie:
        return False
    try:
        payload = read_token(UNLOCKED_BROWSER, cookie, _unlock_cookie_age())
    except TokenError:
        return False
    return payload.get("email") == services.normalise_email(request.form.get("email", ""))


def _unlock_cookie_age() -> int:
    return int(current_app.config["REMEMBER_COOKIE_DAYS"]) * 24 * 3600


def _account_paused(breach) -> Response:
    """Too many failures for the posted address from everywhere: its owner gets a link (at
    most one an hour) that lets their own browser in; everyone else waits."""
    email = services.normalise_email(request.form.get("email", ""))
    if limiter.limiter.hit(UNLOCK_EMAILS, "unlock-email", email):
        services.send_unlock_link(db.session, email)
        db.session.commit()
    log.warning("sign-ins paused for an account address=%s", client_address())
    page = render_template("accounts/paused.html", retry_after=minutes_until(breach.reset_at))
    return make_response(page, 429)


def _failed(response) -> bool:
    return response.status_code >= 400


def _apply_error(form, error: services.AccountError) -> None:
    getattr(form, error.field).errors.append(error.message)


def _sign_in(user: User, remember: bool = False) -> None:
    """Sign this browser in, recorded on the server, and commit."""
    days = current_app.config["REMEMBER_COOKIE_DAYS" if remember else "SIGN_IN_DAYS"]
    first = services.start_sign_in(db.session, user, timedelta(days=int(days)))
    db.session.commit()
    # A new form token with the new session: one seen before signing in is worth nothing after.
    session.pop("csrf_token", None)
    login_user(user, remember=remember)
    # The start page greets a newcomer with "Welcome" for their whole first visit.
    session[FIRST_VISIT] = first
    log.info("sign-in user=%s address=%s", user.id, client_address())


def _sign_out() -> None:
    """Sign this browser out; nothing of the person stays in its session."""
    logout_user()
    session.pop(FIRST_VISIT, None)


# Registering


@bp.route("/register", methods=["GET", "POST"])
@limiter.limit(_limit("RATELIMIT_REGISTER"), methods=["POST"])
def register():
    if current_user.is_authenticated:
        return redirect(url_for("pages.home"))
    form = RegisterForm()
    if not form.validate_on_submit():
        if request.method == "POST":
            return render_form("accounts/register.html", form=form)
        return render("accounts/register.html", form=form)
    services.register(
        db.session,
        email=form.email.data,
        display_name=form.display_name.data,
        password=form.password.data,
        participation=form.participation.data,
    )
    db.session.commit()
    session["sent_to"] = form.email.data
    return redirect(url_for("accounts.check_email"), code=303)


@bp.get("/register/check-your-email")
def check_email():
    return render("accounts/check_email.html", sent_to=session.get("sent_to"))


@bp.route("/verify/<token>", methods=["GET", "POST"])
def verify_email(token: str):
    """GET shows a button; only the POST verifies, so mail scanners cannot spend the link."""
    form = ConfirmForm()
    if not form.validate_on_submit():
        return render("accounts/verify.html", form=form, token=token)
    try:
        user = services.verify_email(db.session, token, current_app.config["EMAIL_VERIFY_MAX_AGE"])
    except TokenError as error:
        return render("accounts/token_problem.html", problem=TOKEN_PROBLEMS[error.reason],
                      resend=True, status=400)
    db.session.commit()
    confirmed = f"Thank you, {user.display_name}: your email address is confirmed."
    if current_user.is_authenticated and current_user.id != user.id:
        # Someone else is signed in on this browser: confirm the address, switch no one.
        return done(url_for("pages.home"), confirmed)
    if not current_user.is_authenticated:
        if services.normalise_email(session.get("sent_to", "")) != user.email:
            # Opened elsewhere than where the account was made: the mailbox's owner may not be
            # whoever chose the password, so they are not signed in to it.
            return done(url_for("accounts.sign_in"), confirmed)
        _sign_in(user)
    return done(url_for("accounts.start"), confirmed)


def _details_page(form_class: type[StartForm], template: str, saved_url: str, saved: str):
    """Show or save the person's own details (``start`` and ``edit_profile``): the site's
    time zone offered until they choose one; none stored when they clear it."""
    form = form_class(obj=current_user)
    if request.method == "GET" and not current_user.timezone:
        form.timezone.data = current_app.config["DEFAULT_TIMEZONE"]
    if not form.validate_on_submit():
        if request.method == "POST":
            return render_form(template, form=form)
        return render(template, form=form)
    form.populate_obj(current_user)
    current_user.timezone = form.timezone.data or None
    db.session.commit()
    return done(saved_url, saved)


@bp.route("/start", methods=["GET", "POST"])
@login_required
def start():
    """Where a newcomer lands after confirming their address: the profile details that
    make the portal theirs, and what to do first. Works any time after, too."""
    return _details_page(StartForm, "accounts/start.html", url_for("pages.home"),
                         "Your details are saved. Welcome aboard!")


@bp.post("/account/resend-confirmation")
@login_required
@limiter.limit(_limit("RATELIMIT_EMAIL"), methods=["POST"])
def resend_verification():
    form = ConfirmForm()
    if not form.validate_on_submit():
        abort(400)
    if current_user.is_verified:
        return done(url_for("accounts.settings"), "Your email address is already confirmed.",
                    "accounts/_verify_notice.html")
    services.send_verification(db.session, current_user)
    db.session.commit()
    return done(safe_next(request.form.get("next"), url_for("accounts.settings")),
                f"We have sent a new confirmation link to {current_user.email}.",
                "accounts/_verify_notice.html", resent=True)


# Signing in and out


@bp.route("/sign-in", methods=["GET", "POST"])
@limiter.limit(_limit("RATELIMIT_SIGNIN"), methods=["POST"], deduct_when=_failed)
@limiter.limit(_limit("RATELIMIT_SIGNIN_PAIR"), key_func=_posted_email_from_here, methods=["POST"],
               deduct_when=_failed)
@limiter.limit(_limit("RATELIMIT_SIGNIN_ACCOUNT"), key_func=_posted_email, methods=["POST"],
               deduct_when=_failed, exempt_when=_unlocked_here, on_breach=_account_paused)
def sign_in():
    """Only failures count against the limits, so a roomful of people on one network can
    sign in. Failures per address, and per account from one address, slow guessing; the
    account's own ceiling (failures from everywhere) cannot lock its owner out, since
    their emailed link lets their browser past it."""
    next_url = safe_next(request.values.get("next"), url_for("pages.home"))
    if current_user.is_authenticated:
        return redirect(next_url)
    form = SignInForm()
    if not form.validate_on_submit():
        if request.method == "POST":
            return render_form("accounts/sign_in.html", form=form, next_url=next_url)
        return render("accounts/sign_in.html", form=form, next_url=next_url)
    user = services.authenticate(db.session, form.email.data, form.password.data)
    if user is None:
        log.warning("failed sign-in address=%s", client_address())
        form.email.errors.append("The email address or password is not right")
        return render_form("accounts/sign_in.html", form=form, next_url=next_url)
    _sign_in(user, remember=form.remember.data)
    return redirect(next_url, code=303)


@bp.route("/sign-in/unlock/<token>", methods=["GET", "POST"])
def unlock(token: str):
    """GET shows a button (mail scanners open links); POST lets this browser sign in to the
    account while its sign-ins are paused for everyone else."""
    try:
        email = services.unlocked_address(db.session, token, current_app.config["SIGNIN_UNLOCK_MAX_AGE"])
    except TokenError as error:
        return render("accounts/token_problem.html", problem=TOKEN_PROBLEMS[error.reason], unlock=True,
                      status=400)
    form = ConfirmForm()
    if not form.validate_on_submit():
        return render("accounts/unlock.html", form=form)
    response = done(url_for("accounts.sign_in"), "This browser can sign in to your account now.")
    response.set_cookie(UNLOCK_COOKIE, make_token(UNLOCKED_BROWSER, {"email": email}),
                        max_age=_unlock_cookie_age(), path=url_for("accounts.sign_in"), httponly=True,
                        secure=current_app.config["SESSION_COOKIE_SECURE"], samesite="Lax")
    return response


@bp.post("/sign-out")
def sign_out():
    if not ConfirmForm().validate_on_submit():
        abort(400)
    if current_user.is_authenticated:
        services.end_sign_in(db.session, current_user)
        db.session.commit()
    _sign_out()
    return done(url_for("pages.home"), "You have signed out.")


@bp.post("/sign-out-everywhere")
@login_required
def sign_out_everywhere():
    if not ConfirmForm().validate_on_submit():
        abort(400)
    services.sign_out_everywhere(db.session, current_user)
    db.session.commit()
    _sign_out()
    return done(url_for("accounts.sign_in"), "You have signed out on every device.")


# Passwords


@bp.route("/forgot-password", methods=["GET", "POST"])
@limiter.limit(_limit("RATELIMIT_EMAIL"), methods=["POST"])
@limiter.limit(_limit("RATELIMIT_EMAIL"), key_func=_posted_email, methods=["POST"])
def forgot_password():
    form = ForgotPasswordForm()
    if not form.validate_on_submit():
        if request.method == "POST":
            return render_form("accounts/forgot_password.html", form=form)
        return render("accounts/forgot_password.html", form=form)
    services.request_password_reset(db.session, form.email.data)
    db.session.commit()
    session["sent_to"] = form.email.data
    return redirect(url_for("accounts.reset_sent"), code=303)


@bp.get("/forgot-password/sent")
def reset_sent():
    # Only the address this browser submitted: one in the link would let anyone put their
    # words on this page under the portal's name.
    return render("accounts/reset_sent.html", sent_to=session.get("sent_to"))


@bp.route("/reset-password/<token>", methods=["GET", "POST"])
def reset_password(token: str):
    try:
        user = services.user_for_reset(db.session, token, current_app.config["PASSWORD_RESET_MAX_AGE"])
    except TokenError as error:
        return render("accounts/token_problem.html", problem=TOKEN_PROBLEMS[error.reason], status=400)
    form = ResetPasswordForm()
    if not form.validate_on_submit():
        if request.method == "POST":
            return render_form("accounts/reset_password.html", form=form, token=token)
        return render("accounts/reset_password.html", form=form, token=token)
    services.set_password(db.session, user, form.password.data)
    _sign_in(user)
    return done(url_for("pages.home"), "Your password has been changed and you are signed in.")


# Account settings


@bp.get("/account")
@login_required
def settings():
    return render("accounts/settings.html", resend_form=ConfirmForm(), everywhere_form=ConfirmForm())


@bp.route("/account/profile", methods=["GET", "POST"])
@login_required
def edit_profile():
    return _details_page(ProfileForm, "accounts/profile_form.html", url_for("accounts.settings"),
                         "Your profile has been saved.")


# Mentoring: asking to be a mentor, and where the request stands

MENTOR_STATUS = "accounts/_mentor_status.html"
ASKED = "You have asked to be a mentor. We will email you when a community manager decides."


def _mentor_context(form: MentorRequestForm) -> dict:
    return {"form": form, "mentor_status": mentoring.status_of(db.session, current_user),
            "can_ask": has_permission(current_user, Permission.TAKE_PART)}


@bp.get("/account/mentor")
@login_required
def mentor():
    return render("accounts/mentor.html", **_mentor_context(MentorRequestForm()))


@bp.post("/account/mentor")
@require(Permission.TAKE_PART)
def ask_to_mentor():
    form = MentorRequestForm()
    if form.validate_on_submit():
        try:
            mentoring.ask(db.session, current_user, form.note.data)
        except mentoring.MentorError as error:
            _apply_error(form, error)
        else:
            db.session.commit()
            return done(url_for("accounts.mentor"), ASKED, MENTOR_STATUS,
                        **_mentor_context(MentorRequestForm(formdata=None)))
    return render_form("accounts/mentor.html", MENTOR_STATUS, **_mentor_context(form))


@bp.post("/account/mentor/withdraw")
@login_required
def withdraw_mentor_request():
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        mentoring.withdraw(db.session, current_user)
    except mentoring.MentorError as error:
        message, category = error.message, "error"
    else:
        db.session.commit()
        message, category = "You have withdrawn your request to be a mentor.", "success"
    return done(url_for("accounts.mentor"), message, MENTOR_STATUS, category=category,
                **_mentor_context(MentorRequestForm(formdata=None)))


@bp.route("/account/preferences", methods=["GET", "POST"])
@login_required
def preferences():
    form = PreferencesForm(obj=current_user)
    if not form.validate_on_submit():
        return render_form("accounts/preferences.html", "accounts/_preferences_form.html", form=form)
    form.populate_obj(current_user)
    db.session.commit()
    return done(url_for("accounts.preferences"), "Your preferences have been saved.",
                "accounts/_preferences_form.html", form=form)


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            services.change_password(db.session, current_user, form.current_password.data, form.password.data)
        except services.AccountError as error:
            _apply_error(form, error)
        else:
            # The version rose, so this device signs in afresh; every other one is out.
            _sign_in(current_user._get_current_object())
            return done(url_for("accounts.settings"),
                        "Your password has been changed. You have been signed out on every other device.")
    return render_form("accounts/change_password.html", form=form)


@bp.route("/account/email", methods=["GET", "POST"])
@login_required
@limiter.limit(_limit("RATELIMIT_EMAIL"), methods=["POST"])
def change_email():
    form = ChangeEmailForm()
    if form.validate_on_submit():
        try:
            services.request_email_change(db.session, current_user, form.password.data, form.email.data)
        except services.AccountError as error:
            _apply_error(form, error)
        else:
            db.session.commit()
            return done(url_for("accounts.settings"),
                        f"We have sent a link to {current_user.pending_email}. "
                        "Follow it to finish changing your email address.")
    return render_form("accounts/change_email.html", form=form)


@bp.route("/email/confirm/<token>", methods=["GET", "POST"])
def confirm_email_change(token: str):
    form = ConfirmForm()
    if not form.validate_on_submit():
        return render("accounts/confirm_email.html", form=form, token=token)
    try:
        user = services.confirm_email_change(db.session, token, current_app.config["EMAIL_VERIFY_MAX_AGE"])
    except TokenError as error:
        return render("accounts/token_problem.html", problem=TOKEN_PROBLEMS[error.reason], status=400)
    db.session.commit()
    return done(url_for("accounts.settings") if current_user.is_authenticated else url_for("accounts.sign_in"),
                f"Your email address is now {user.email}.")


@bp.route("/account/delete", methods=["GET", "POST"])
@login_required
def delete_account():
    form = DeleteAccountForm()
    if form.validate_on_submit():
        try:
            services.delete_account(db.session, current_user, form.password.data)
        except services.AccountError as error:
            _apply_error(form, error)
        else:
            db.session.commit()
            _sign_out()
            return done(url_for("pages.home"), "Your account has been deleted. Thank you for taking part.")
    return render_form("accounts/delete.html", form=form)


# Public profile


@bp.get("/people/<int:user_id>")
@login_required
def profile(user_id: int):
    person = db.session.get(User, user_id)
    if person is None or person.is_deleted:
        abort(404)
    return render("accounts/profile.html", person=person)
