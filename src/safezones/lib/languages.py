"""Which languages the site offers: exactly those with a catalogue.

Adding a district language is adding `locale/<code>/LC_MESSAGES/django.po`;
nothing else has to change.
"""

from pathlib import Path

from django.conf.locale import LANG_INFO


def catalogue_languages(locale_dir: Path, default: str) -> list[tuple[str, str]]:
    codes = {default}
    codes.update(po.parent.parent.name for po in locale_dir.glob("*/LC_MESSAGES/django.po"))
    ordered = [default, *sorted(codes - {default})]
    return [(code.replace("_", "-").lower(), _local_name(code)) for code in ordered]


def _local_name(code: str) -> str:
    info = LANG_INFO.get(code.replace("_", "-").lower(), {})
    return str(info.get("name_local", code))


def is_language_code(code: str) -> bool:
    """A code Django knows (a district may list languages it has no catalogue for yet)."""
    return code.lower() in LANG_INFO or code.lower().split("-")[0] in LANG_INFO


def language_name(code: str) -> str:
    return _local_name(code)
