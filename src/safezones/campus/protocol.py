"""The protocol as a document: read it from YAML, check every part of it, and
write it back out. What is published is the checked, normalised form, so a
page never meets a step without a title or a text without English.

A text is a mapping of language code to words; English is required (it is
what a script read to agents is in), other languages are optional and fall
back to English when a page asks for one that is missing.
"""

from pathlib import Path
from typing import Any

import yaml
from django.utils.translation import gettext as _

from safezones.lib.languages import is_language_code

FORMAT = 1
ROLES = ("front_office", "site_admin", "area_office", "legal_office")
CAPTURES = ("agents", "documents")
FAMILY_MESSAGES = ("agents_present", "agents_departed")
MAX_SIZE = 256 * 1024
DEFAULT_PATH = Path(__file__).with_name("default_protocol.yaml")


class ProtocolError(ValueError):
    """The document cannot be published; `problems` names each place and what is wrong."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


def default_source() -> str:
    return DEFAULT_PATH.read_text(encoding="utf-8")


def parse_protocol(source: str) -> dict[str, Any]:
    """The checked, normalised protocol, or ProtocolError listing every problem."""
    if len(source.encode("utf-8")) > MAX_SIZE:
        raise ProtocolError([_("The file is larger than 256 KB; a protocol is much smaller.")])
    try:
        document = yaml.safe_load(source)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 1 if mark is not None else 0
        raise ProtocolError([_("This is not valid YAML (line %(line)s).") % {"line": line}]) from None
    checker = _Checker()
    protocol = checker.document(document)
    if checker.problems:
        raise ProtocolError(checker.problems)
    return protocol


def dump_protocol(protocol: dict[str, Any]) -> str:
    return yaml.safe_dump(protocol, allow_unicode=True, sort_keys=False, width=100)


class _Checker:
    def __init__(self) -> None:
        self.problems: list[str] = []

    def fail(self, where: str, message: str) -> None:
        self.problems.append(f"{where}: {message}")

    def document(self, document: object) -> dict[str, Any]:
        if not isinstance(document, dict):
            self.fail(_("protocol"), _("expected a mapping with reference, title, roles and family_messages"))
            return {}
        if document.get("format", FORMAT) != FORMAT:
            self.fail("format", _("only format %(format)s is understood") % {"format": FORMAT})
        reference = document.get("reference", "")
        if not isinstance(reference, str) or len(reference) > 64:
            self.fail("reference", _("expected a policy reference of at most 64 characters"))
            reference = ""
        return {
            "format": FORMAT,
            "reference": reference,
            "title": self.text(document.get("title"), "title"),
            "summary": self.text(document.get("summary"), "summary", required=False),
            "roles": self.roles(document.get("roles"), "roles"),
            "emergency": self.emergency(document.get("emergency"), "emergency"),
            "family_messages": self.family_messages(document.get("family_messages"), "family_messages"),
        }

    def text(self, value: object, where: str, required: bool = True) -> dict[str, str]:
        if value is None and not required:
            return {}
        if isinstance(value, str):
            value = {"en": value}
        if not isinstance(value, dict):
            self.fail(where, _("expected words in each language, such as en: … and es: …"))
            return {}
        text: dict[str, str] = {}
        for code, words in value.items():
            if not isinstance(code, str) or not is_language_code(code):
                self.fail(where, _("“%(code)s” is not a language code") % {"code": code})
            elif not isinstance(words, str) or not words.strip():
                self.fail(f"{where}.{code}", _("the text is empty"))
            elif len(words) > 4000:
                self.fail(f"{where}.{code}", _("the text is longer than 4,000 characters"))
            else:
                text[code] = words.strip()
        if "en" not in text and not any(problem.startswith(where) for problem in self.problems):
            self.fail(where, _("the English text is missing"))
        return text

    def roles(self, value: object, where: str) -> list[dict[str, Any]]:
        if not isinstance(value, list) or not value:
            self.fail(where, _("expected a list of roles, each with its steps"))
            return []
        roles, seen = [], set()
        for index, entry in enumerate(value):
            here = f"{where}[{index + 1}]"
            role = entry.get("role") if isinstance(entry, dict) else None
            if role not in ROLES:
                self.fail(here, _("role must be one of: %(roles)s") % {"roles": ", ".join(ROLES)})
                continue
            if role in seen:
                self.fail(here, _("the role %(role)s appears twice") % {"role": role})
                continue
            seen.add(role)
            roles.append({"role": role, "steps": self.steps(entry.get("steps"), f"{here}.steps")})
        if "front_office" not in seen and roles:
            self.fail(where, _("the front_office role is required: it is what staff follow when agents arrive"))
        return roles

    def steps(self, value: object, where: str) -> list[dict[str, Any]]:
        if not isinstance(value, list) or not value:
            self.fail(where, _("expected a list of steps"))
            return []
        steps: list[dict[str, Any]] = []
        keys: set[str] = set()
        for index, entry in enumerate(value):
            here = f"{where}[{index + 1}]"
            if not isinstance(entry, dict):
                self.fail(here, _("expected a step with a key and a title"))
                continue
            key = self.key(entry.get("key"), f"{here}.key", keys)
            step: dict[str, Any] = {"key": key, "title": self.text(entry.get("title"), f"{here}.title")}
            for part in ("say", "do"):
                if entry.get(part) is not None:
                    step[part] = self.text(entry[part], f"{here}.{part}")
            capture = entry.get("capture")
            if capture is not None:
                if capture in CAPTURES:
                    step["capture"] = capture
                else:
                    self.fail(f"{here}.capture", _("must be one of: %(kinds)s") % {"kinds": ", ".join(CAPTURES)})
            step["checklist"] = self.checklist(entry.get("checklist") or [], f"{here}.checklist")
            steps.append(step)
        return steps

    def checklist(self, value: object, where: str) -> list[dict[str, Any]]:
        if not isinstance(value, list):
            self.fail(where, _("expected a list of items"))
            return []
        items: list[dict[str, Any]] = []
        keys: set[str] = set()
        for index, entry in enumerate(value):
            here = f"{where}[{index + 1}]"
            if not isinstance(entry, dict):
                self.fail(here, _("expected an item with a key and a text"))
                continue
            key = self.key(entry.get("key"), f"{here}.key", keys)
            items.append({"key": key, "text": self.text(entry.get("text"), f"{here}.text")})
        return items

    def key(self, value: object, where: str, seen: set[str]) -> str:
        valid = isinstance(value, str) and 0 < len(value) <= 40 and value.replace("-", "").isalnum()
        if not valid:
            self.fail(where, _("expected a short key of letters, digits and hyphens"))
            return ""
        assert isinstance(value, str)
        if value in seen:
            self.fail(where, _("the key %(key)s is used twice here") % {"key": value})
        seen.add(value)
        return value

    def emergency(self, value: object, where: str) -> dict[str, Any]:
        if not isinstance(value, dict):
            self.fail(where, _("expected a title and what to do when agents declare an emergency"))
            return {}
        return {
            "title": self.text(value.get("title"), f"{where}.title"),
            "do": self.text(value.get("do"), f"{where}.do"),
        }

    def family_messages(self, value: object, where: str) -> dict[str, dict[str, str]]:
        if not isinstance(value, dict):
            self.fail(where, _("expected the agents_present and agents_departed messages"))
            return {}
        return {name: self.text(value.get(name), f"{where}.{name}") for name in FAMILY_MESSAGES}


def in_language(text: dict[str, str], language: str) -> str:
    """The words in the language, else in its base language, else English."""
    return text.get(language) or text.get(language.split("-", maxsplit=1)[0]) or text.get("en", "")
