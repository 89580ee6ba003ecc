"""Sealing and opening the words and photos of documents agents show.

Each document has its own key, sealed to the offices that answer for the
school: its site administrators, the area office, the district office and
the legal office. The server keeps no key that opens it; a member of one of
those offices opens it with their own key, unlocked at sign-in."""

import json
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings

from safezones.accounts.models import User
from safezones.accounts.offices import office_for, open_office_key
from safezones.campus.models import DocumentKey, Incident, IncidentDocument
from safezones.lib import crypto, files

PHOTO_FOLDER = "incident-documents"


class LockedError(Exception):
    """This person cannot open the document now (no office key in this session)."""


@dataclass(frozen=True)
class OpenDocument:
    text: str
    markers: list[dict[str, Any]]


def public_result(result: dict[str, Any]) -> dict[str, Any]:
    """What every responder sees: the markers' names without the words they quote."""
    return {**result, "markers": [{"marker": found["marker"]} for found in result.get("markers", [])]}


def seal_document(document: IncidentDocument, text: str, markers: list[dict[str, Any]], photo: bytes) -> None:
    """Encrypt the words, the quoted markers and the photo; call inside the
    transaction that creates the document."""
    key = crypto.new_key()
    incident = document.incident
    for office in _offices(incident):
        DocumentKey.objects.create(
            document=document, office=office, sealed_key=crypto.seal(bytes(office.public_key), key)
        )
    payload = json.dumps({"text": text, "markers": markers}).encode()
    document.sealed = crypto.encrypt(key, payload, _context(document))
    if photo:
        document.photo = f"{uuid.uuid4().hex}.bin"
        path = _photo_path(document.photo)
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        path.write_bytes(crypto.encrypt(key, photo, _context(document) + ":photo"))
        path.chmod(0o600)
    document.save(update_fields=["sealed", "photo"])


def open_document(user: User, private_key: bytes | None, document: IncidentDocument) -> OpenDocument:
    opened = json.loads(crypto.decrypt(_key(user, private_key, document), bytes(document.sealed), _context(document)))
    return OpenDocument(opened["text"], opened["markers"])


def open_photo(user: User, private_key: bytes | None, document: IncidentDocument) -> bytes:
    sealed = _photo_path(document.photo).read_bytes()
    return crypto.decrypt(_key(user, private_key, document), sealed, _context(document) + ":photo")


def sweep_orphan_photos(now: float) -> int:
    """Delete the photo files no document holds (see lib/files.py)."""

    def names_in_use(names: list[str]) -> list[str]:
        return list(IncidentDocument.objects.filter(photo__in=names).values_list("photo", flat=True))

    return files.sweep(Path(settings.MEDIA_ROOT) / PHOTO_FOLDER, names_in_use, now)


def may_open(user: User, document: IncidentDocument) -> bool:
    """Whether the person belongs to one of the offices the document is sealed to."""
    from safezones.schools import access

    offices = access.offices_of(user)
    return DocumentKey.objects.filter(document=document, office__in=offices).exists()


def _key(user: User, private_key: bytes | None, document: IncidentDocument) -> bytes:
    if private_key is None:
        raise LockedError
    for sealed in DocumentKey.objects.filter(document=document).select_related("office"):
        office_private = open_office_key(user, private_key, sealed.office)
        if office_private is not None:
            return crypto.unseal(office_private, bytes(sealed.sealed_key))
    raise LockedError


def _offices(incident: Incident) -> list[Any]:
    school = incident.school
    return [
        office_for("school", school=school),
        office_for("area", area=school.area),
        office_for("district"),
        office_for("legal"),
    ]


def _context(document: IncidentDocument) -> str:
    return f"incident-document:{document.pk}"


def _photo_path(name: str) -> Path:
    return Path(settings.MEDIA_ROOT) / PHOTO_FOLDER / name
