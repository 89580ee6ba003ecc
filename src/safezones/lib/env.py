"""Typed readers for settings that come from the environment.

Every reader fails loudly with the variable's name and what was expected, so a
misconfigured server stops at start-up instead of running half-configured.
"""

import os
from pathlib import Path
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


def env_str(name: str, default: str | None = None) -> str:
    value = os.environ.get(name, "").strip()
    if value:
        return value
    if default is None:
        raise ImproperlyConfigured(f"{name} must be set.")
    return default


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name, "").strip().lower()
    if not value:
        return default
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}.")


def env_int(name: str, default: int, minimum: int = 0) -> int:
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        number = int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}.") from None
    if number < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}, not {number}.")
    return number


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def env_url(name: str, schemes: set[str], default: str | None = None) -> str | None:
    """A URL from NAME, or from the file named by NAME_FILE (URLs may hold passwords)."""
    value = os.environ.get(name, "").strip() or _from_file(name) or default
    if value is None:
        return None
    parts = urlsplit(value)
    if parts.scheme not in schemes:
        expected = ", ".join(sorted(schemes))
        raise ImproperlyConfigured(
            f"{name} must be a URL starting with one of: {expected} (got scheme {parts.scheme!r})."
        )
    return value


def _from_file(name: str) -> str:
    path_value = os.environ.get(f"{name}_FILE", "").strip()
    if not path_value:
        return ""
    try:
        return Path(path_value).read_text(encoding="utf-8").strip()
    except OSError as error:
        raise ImproperlyConfigured(f"{name}_FILE names {path_value}, which cannot be read: {error.strerror}.") from None


def env_secret(name: str, default_file: Path | None = None) -> str:
    """Read a secret from NAME, or from the file named by NAME_FILE.

    The file form keeps secrets out of process listings and works with
    container secrets.
    """
    value = os.environ.get(name, "").strip()
    if value:
        return value
    path_value = os.environ.get(f"{name}_FILE", "").strip()
    path = Path(path_value) if path_value else default_file
    if path is None or not path.is_file():
        where = f" or create {path}" if path else ""
        raise ImproperlyConfigured(f"{name} must be set (or {name}_FILE name a file{where}).")
    secret = path.read_text(encoding="utf-8").strip()
    if not secret:
        raise ImproperlyConfigured(f"The file {path} named for {name} is empty.")
    return secret
