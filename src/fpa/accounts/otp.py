"""The optional second factor (TOTP): who owes one, enrolment and verification."""

from __future__ import annotations

import base64

import segno
from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from fpa.audit.services import record
from fpa.kernel.scope import Actor

from .models import LoginEvent, RoleAssignment, User


def device_for(user: User, confirmed: bool | None = True) -> TOTPDevice | None:
    devices = TOTPDevice.objects.filter(user=user)
    if confirmed is not None:
        devices = devices.filter(confirmed=confirmed)
    return devices.first()


def required(user: User) -> bool:
    """A second factor is required for the roles named in FPA_TOTP_REQUIRED_ROLES."""
    return (
        settings.FPA_TOTP_ENABLED
        and RoleAssignment.objects.filter(
            user=user, role__code__in=settings.FPA_TOTP_REQUIRED_ROLES
        ).exists()
    )


def otp_owed(user: User) -> str | None:
    """The page the signed-in user must pass before any other, or None."""
    if not settings.FPA_TOTP_ENABLED or user.is_verified():
        return None
    if device_for(user) is not None:
        return reverse("accounts:otp_verify")
    if required(user):
        return reverse("accounts:otp_setup")
    return None


def enrolment(user: User) -> TOTPDevice | None:
    """The unconfirmed device being enrolled, if the user has started."""
    return device_for(user, confirmed=False)


@transaction.atomic
def start_enrolment(user: User, *, actor: Actor) -> TOTPDevice:
    """Make the device to enrol (by POST: a cross-site link must not make one)."""
    device = device_for(user, confirmed=False)
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="手机令牌", confirmed=False)
        record(actor, "fpa.account.totp.started", user, {})
    return device


@transaction.atomic
def confirm_enrolment(device: TOTPDevice, token: str, *, actor: Actor) -> bool:
    """Confirm the device with a first code from the phone; False if the code is wrong."""
    if not device.verify_token(token):
        return False
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    record(actor, "fpa.account.totp.enrolled", device.user, {})
    return True


@transaction.atomic
def verify(device: TOTPDevice, token: str, *, actor: Actor, user_agent: str = "") -> bool:
    """Check a login's second factor; a wrong code goes into the login log as a failure."""
    if device.verify_token(token):
        return True
    LoginEvent.objects.create(
        user=device.user,
        username=device.user.username,
        ip=actor.ip,
        user_agent=user_agent[:300],
        result=LoginEvent.Result.FAILED,
    )
    return False


def qr_data_uri(device: TOTPDevice) -> str:
    svg = segno.make(device.config_url, error="m").svg_inline(scale=4)
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


def secret_base32(device: TOTPDevice) -> str:
    return base64.b32encode(device.bin_key).decode()
