"""Account forms. Every message says what to do, in the GOV.UK style."""

from __future__ import annotations

from wtforms import BooleanField, PasswordField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import ValidationError

from portal.blueprints.accounts import passwords
from portal.blueprints.accounts.models import (
    MentorDecision,
    MentorRequest,
    Participation,
    User,
)
from portal.core.forms import Choice, EmailAddress, MaxLength, PortalForm, Required, TimeZone, strip
from portal.core.permissions import Role

PARTICIPATION_CHOICES = [SelectChoice(p.value, p.label) for p in Participation]


def _participation_field() -> Choice:
    """What the person is looking for: an answer others read, which grants nothing."""
    return Choice("What are you looking for?", PARTICIPATION_CHOICES,
                  "Choose what you are looking for: a mentor, to mentor others, or both")


def _email_field(label: str = "Email address") -> StringField:
    return StringField(
        label,
        filters=[strip],
        validators=[
            Required("Enter your email address"),
            MaxLength(User.email, "Email address"),
            EmailAddress(),
        ],
        render_kw={"autocomplete": "email", "spellcheck": "false", "type": "email"},
    )


def _display_name_field() -> StringField:
    return StringField(
        "Display name",
        filters=[strip],
        validators=[
            Required("Enter your display name"),
            MaxLength(User.display_name, "Display name"),
        ],
        render_kw={"autocomplete": "nickname"},
    )


def _new_password_field(label: str = "Password") -> PasswordField:
    return PasswordField(
        label,
        validators=[Required("Enter a password")],
        render_kw={"autocomplete": "new-password"},
    )


class NewPasswordMixin:
    """A new password typed twice, checked against the rules in ``passwords``."""

    def validate_password(self, field) -> None:
        email = getattr(self, "email", None)
        name = getattr(self, "display_name", None)
        problem = passwords.problem_with(
            field.data or "",
            email=(email.data or "") if email else "",
            name=(name.data or "") if name else "",
        )
        if problem:
            raise ValidationError(problem)

    def validate_confirm_password(self, field) -> None:
        if field.data != self.password.data:
            raise ValidationError("The passwords do not match; type the same password twice")


class RegisterForm(NewPasswordMixin, PortalForm):
    display_name = _display_name_field()
    email = _email_field()
    password = _new_password_field()
    confirm_password = PasswordField(
        "Confirm password",
        validators=[Required("Type your password again")],
        render_kw={"autocomplete": "new-password"},
    )
    participation = _participation_field()


class SignInForm(PortalForm):
    email = _email_field()
    password = PasswordField(
        "Password",
        validators=[Required("Enter your password")],
        render_kw={"autocomplete": "current-password"},
    )
    remember = BooleanField("Keep me signed in on this device for 30 days")


class ForgotPasswordForm(PortalForm):
    email = _email_field()


class ResetPasswordForm(NewPasswordMixin, PortalForm):
    password = _new_password_field("New password")
    confirm_password = PasswordField(
        "Confirm new password",
        validators=[Required("Type your new password again")],
        render_kw={"autocomplete": "new-password"},
    )


class ChangePasswordForm(ResetPasswordForm):
    current_password = PasswordField(
        "Current password",
        validators=[Required("Enter your current password")],
        render_kw={"autocomplete": "current-password"},
    )


class ChangeEmailForm(PortalForm):
    email = _email_field("New email address")
    password = PasswordField(
        "Your password",
        validators=[Required("Enter your password")],
        render_kw={"autocomplete": "current-password"},
    )


class DeleteAccountForm(PortalForm):
    password = PasswordField(
        "Your password",
        validators=[Required("Enter your password to delete your account")],
        render_kw={"autocomplete": "current-password"},
    )
    confirm = BooleanField("I understand that my account will be deleted and this cannot be undone")

    def validate_confirm(self, field) -> None:
        if not field.data:
            raise ValidationError("Tick the box to confirm you want to delete your account")


class StartForm(PortalForm):
    """What a newcomer is asked first ("start here"); the profile form asks it again."""

    timezone = StringField(
        "Time zone",
        filters=[strip],
        validators=[MaxLength(User.timezone, "Time zone"), TimeZone()],
        render_kw={"spellcheck": "false", "autocomplete": "off"},
    )
    interests = StringField(
        "Interests (optional)",
        filters=[strip],
        validators=[MaxLength(User.interests, "Interests")],
    )
    usual_needs_captions = BooleanField("Live captions")
    usual_needs_interpreter = BooleanField("A sign-language interpreter")
    usual_needs_other = StringField(
        "Other access needs you usually have (optional)",
        filters=[strip],
        validators=[MaxLength(User.usual_needs_other, "Your usual access needs")],
    )


class ProfileForm(StartForm):
    display_name = _display_name_field()
    pronouns = StringField(
        "Pronouns (optional)",
        filters=[strip],
        validators=[MaxLength(User.pronouns, "Pronouns")],
    )
    participation = _participation_field()
    bio = TextAreaField(
        "Short bio (optional)",
        filters=[strip],
        validators=[MaxLength(User.bio, "Your bio")],
    )
    languages = StringField(
        "Languages you speak (optional)",
        filters=[strip],
        validators=[MaxLength(User.languages, "Languages")],
    )
    show_in_attendee_lists = BooleanField("Show me in attendee lists")


class PreferencesForm(PortalForm):
    reduced_motion = BooleanField("Reduce motion")
    high_contrast = BooleanField("Higher contrast")
    large_text = BooleanField("Larger text")
    low_data = BooleanField("Low-data mode: no images or embeds, the smallest pages")
    show_remote_images = BooleanField("Show pictures from other websites in posts")
    plain_text_email = BooleanField("Plain-text email only")


class RoleForm(PortalForm):
    role = Choice("Role", [SelectChoice(r.value, r.label) for r in Role], "Choose a role")


# Mentoring


class MentorRequestForm(PortalForm):
    note = TextAreaField(
        "Your experience",
        filters=[strip],
        validators=[
            Required("Tell us about your experience, so a community manager can decide"),
            MaxLength(MentorRequest.note, "Your note"),
        ],
    )


def _reason_field(label: str, *required: Required) -> TextAreaField:
    return TextAreaField(
        label,
        filters=[strip],
        validators=[*required, MaxLength(MentorDecision.reason, "The reason")],
    )


class MentorDecisionForm(PortalForm):
    """Approve or decline a request; declining needs a reason, which the member reads."""

    decision = Choice(
        "Your decision",
        [SelectChoice("approve", "Approve: they become a mentor"),
         SelectChoice("decline", "Decline")],
        "Choose whether to approve or decline the request",
    )
    reason = _reason_field("Reason (needed to decline)")

    def validate_reason(self, field) -> None:
        if self.decision.data == "decline" and not field.data:
            raise ValidationError("Give a reason for declining: the member will read it")


class RemoveMentorForm(PortalForm):
    reason = _reason_field(
        "Reason", Required("Give a reason for removing their mentor status: they will read it"))
