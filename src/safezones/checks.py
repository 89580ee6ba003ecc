"""System checks for promises Django's own checks do not cover."""

from typing import Any

from django.conf import settings
from django.core.checks import Error, register

CSRF_MIDDLEWARE = "safezones.csrf.NoReferrerCsrfViewMiddleware"


@register("security", deploy=True)
def check_csrf_middleware(app_configs: Any, **kwargs: Any) -> list[Error]:
    """Django's security.W003 is silenced because our CSRF middleware has
    another name; this check takes its place."""
    if CSRF_MIDDLEWARE in settings.MIDDLEWARE:
        return []
    return [
        Error(f"{CSRF_MIDDLEWARE} must be in MIDDLEWARE: forms would have no CSRF protection.", id="safezones.E001")
    ]
