"""The optional second factor (TOTP): who owes one, enrolment and verification."""

from __future__ import annotations

import base64

import segno
from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from .models import RoleAssignment, User


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


def otp_owed(request: HttpRequest) -> str | None:
    """The page the user must pass before any other, or None."""
    user = request.user
    if not settings.FPA_TOTP_ENABLED or user.is_verified():
        return None
    if device_for(user) is not None:
        return reverse("accounts:otp_verify")
    if required(user):
        return reverse("accounts:otp_setup")
    return None


def enrolment(user: User) -> TOTPDevice:
    """The unconfirmed device being enrolled (made on first visit)."""
    device = device_for(user, confirmed=False)
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="手机令牌", confirmed=False)
    return device


def qr_data_uri(device: TOTPDevice) -> str:
    svg = segno.make(device.config_url, error="m").svg_inline(scale=4)
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


def secret_base32(device: TOTPDevice) -> str:
    return base64.b32encode(device.bin_key).decode()
