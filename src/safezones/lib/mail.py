"""Turning SMTP_URL into Django's MAILERS entry."""

from typing import Any
from urllib.parse import unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured

SMTP_SCHEMES = {"smtp": (25, False, False), "smtp+starttls": (587, True, False), "smtps": (465, False, True)}


def smtp_mailer(url: str, timeout: int = 20) -> dict[str, Any]:
    parts = urlsplit(url)
    default_port, use_tls, use_ssl = SMTP_SCHEMES[parts.scheme]
    if not parts.hostname:
        raise ImproperlyConfigured("SMTP_URL must name a host, for example smtp://mail.example.org:25.")
    try:
        port = parts.port or default_port
    except ValueError:
        raise ImproperlyConfigured("SMTP_URL has a port that is not a number.") from None
    return {
        "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "OPTIONS": {
            "host": parts.hostname,
            "port": port,
            "username": unquote(parts.username or ""),
            "password": unquote(parts.password or ""),
            "use_tls": use_tls,
            "use_ssl": use_ssl,
            "timeout": timeout,
        },
    }
