"""Second-factor devices (TOTP through django-otp)."""

import base64
from typing import TYPE_CHECKING

import segno
from django.utils.safestring import SafeString, mark_safe
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

if TYPE_CHECKING:
    from django.contrib.auth.base_user import AbstractBaseUser


def is_verified(user: object) -> bool:
    """Signed in with the second factor too (OTPMiddleware adds is_verified)."""
    check = getattr(user, "is_verified", None)
    return bool(check and check())


def confirmed_device(user: "AbstractBaseUser") -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user_id=user.pk, confirmed=True).first()


def pending_device(user: "AbstractBaseUser") -> TOTPDevice:
    device = TOTPDevice.objects.filter(user_id=user.pk, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)


def qr_svg(device: TOTPDevice) -> SafeString:
    """The provisioning QR code as inline SVG, drawn here, never by a third party."""
    svg = segno.make(device.config_url, error="m").svg_inline(scale=5, dark="#000", light="#fff")
    return mark_safe(svg)  # noqa: S308 - segno's own markup, no user input


def spaced_secret(device: TOTPDevice) -> str:
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def current_code(device: TOTPDevice) -> str:
    """The code an authenticator shows now (used by demo mode and tests)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"
