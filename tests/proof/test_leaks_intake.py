"""Nothing leaks: a unique canary goes in through every way text and files
enter Safe Zones, every request carries a canary user agent and client
address, and afterwards the raw database (the SQLite file image, or a
`pg_dump` on PostgreSQL), the media folder, every file written, the cache and
everything logged are read as bytes.

What families write, what staff write to a family and the words and photos of
documents agents show are encrypted, so their canaries appear nowhere. Incident
notes, agents' details and records requests are staff records in the clear,
protected by access control: they must be in the database (which also shows
the scan sees plaintext) but never in a log, and no request's user agent or
client address may be kept anywhere.
"""

import base64
import io
import json
import logging
import os
import re
import secrets
import subprocess
import time
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.utils import timezone
from PIL import Image, PngImagePlugin

from safezones.accounts.devices import current_code
from safezones.campus.models import Agent, Incident, IncidentDocument, RecordsRequest, TimelineEntry
from safezones.families.models import Attachment, FamilyCase
from safezones.outbox.actions import deliver_message
from safezones.outbox.models import OutgoingMessage
from tests.campus import photos
from tests.conftest import PASSWORD, confirmed_totp
from tests.worker import tell_offices

CLIENT_ADDRESS = "203.0.113.91"
FORWARDED_ADDRESS = "198.51.100.23"
USER_AGENT = "LeakCanaryBrowser/4.2 (ua-canary-5d1e)"
REQUEST_HEADERS: dict[str, Any] = {
    "REMOTE_ADDR": CLIENT_ADDRESS,
    "HTTP_X_FORWARDED_FOR": f"{FORWARDED_ADDRESS}, {CLIENT_ADDRESS}",
    "HTTP_X_REAL_IP": FORWARDED_ADDRESS,
    "HTTP_USER_AGENT": USER_AGENT,
}
# What identifies the client: never kept, never logged.
CLIENT_MARKERS = (CLIENT_ADDRESS, FORWARDED_ADDRESS, "ua-canary-5d1e", "LeakCanaryBrowser")


def canary(label: str) -> str:
    """A string that occurs nowhere else: its label says where it went in."""
    return f"canary-{label}-{secrets.token_hex(5)}"


def canary_phone() -> str:
    return "+1 " + " ".join(f"{secrets.randbelow(10**4):04d}" for _ in range(3))


# --- Files with canaries inside --------------------------------------------------------


def jpeg_with_exif(text: str, image: Image.Image | None = None) -> bytes:
    picture = image or Image.new("RGB", (64, 48), "navy")
    exif = Image.Exif()
    exif[0x010E] = text  # image description
    exif[0x010F] = text  # camera maker
    exif[0x013B] = text  # artist
    out = io.BytesIO()
    picture.save(out, format="JPEG", exif=exif.tobytes(), quality=85)
    data = out.getvalue()
    assert text.encode() in data
    return data


def png_with_text(text: str) -> bytes:
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", text)
    info.add_text("Author", text)
    out = io.BytesIO()
    Image.new("RGB", (40, 30), "teal").save(out, format="PNG", pnginfo=info)
    data = out.getvalue()
    assert text.encode() in data
    return data


def pdf_with_metadata(in_text: str, in_metadata: str) -> bytes:
    """One page whose (uncompressed) text layer holds one canary and whose
    document information and XMP metadata hold another."""
    stream = f"BT /F1 12 Tf 40 700 Td ({in_text}) Tj ET"
    xmp = (
        '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        f'<rdf:Description xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:creator>{in_metadata}</dc:creator>'
        "</rdf:Description></rdf:RDF></x:xmpmeta>"
    )
    objects = [
        "<< /Type /Catalog /Pages 2 0 R /Metadata 7 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        "/Resources << /Font << /F1 5 0 R >> >> >>",
        f"<< /Length {len(stream)} >>\nstream\n{stream}\nendstream",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        f"<< /Author ({in_metadata}) /Title ({in_metadata}) /Producer ({in_metadata}) >>",
        f"<< /Type /Metadata /Subtype /XML /Length {len(xmp)} >>\nstream\n{xmp}\nendstream",
    ]
    body = b"%PDF-1.4\n"
    offsets = []
    for number, content in enumerate(objects, start=1):
        offsets.append(len(body))
        body += f"{number} 0 obj\n{content}\nendobj\n".encode("latin-1")
    xref = len(body)
    body += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    body += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    body += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R /Info 6 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    assert in_text.encode() in body
    assert in_metadata.encode() in body
    return body


# --- Reading everything the server keeps, as bytes ----------------------------------------


def database_bytes() -> bytes:
    """The database as it rests: the SQLite file's bytes (every page, free
    pages too), or a plain `pg_dump` of the PostgreSQL database."""
    connection.ensure_connection()
    if connection.vendor == "sqlite":
        raw = connection.connection
        assert raw is not None
        return bytes(raw.serialize())
    params = connection.settings_dict
    environment = {**os.environ}
    if params.get("PASSWORD"):
        environment["PGPASSWORD"] = str(params["PASSWORD"])
    command = ["pg_dump", "--no-owner", "-h", str(params.get("HOST") or "127.0.0.1"), "-U", str(params["USER"])]
    if params.get("PORT"):
        command += ["-p", str(params["PORT"])]
    dumped = subprocess.run(
        [*command, str(params["NAME"])], capture_output=True, env=environment, timeout=120, check=True
    )
    return dumped.stdout


def decoded_sessions_and_cache() -> bytes:
    """Sessions and cached values are stored encoded (signed and compressed,
    or pickled in base64): decoded, so nothing hides in the encoding."""
    found = [repr(session.get_decoded()).encode() for session in Session.objects.all()]
    if settings.REDIS_URL:
        client = cache._cache.get_client()  # type: ignore[attr-defined]
        for key in client.scan_iter():
            found.append(bytes(key))
            if client.type(key) == b"string":
                found.append(bytes(client.get(key) or b""))
    else:
        with connection.cursor() as cursor:
            table = connection.ops.quote_name(settings.CACHES["default"]["LOCATION"])
            cursor.execute(f"SELECT cache_key, value FROM {table}")  # noqa: S608 - the configured cache table
            for key, value in cursor.fetchall():
                found += [str(key).encode(), base64.b64decode(value)]
    return b"\n".join(found)


def files_under(root: Path, since: float = 0.0) -> dict[str, bytes]:
    """Every file under a folder (written since a moment, when given)."""
    found: dict[str, bytes] = {}
    if not root.exists():
        return found
    for path in root.rglob("*"):
        if path.is_file() and path.stat().st_mtime >= since:
            found[str(path)] = path.read_bytes()
    return found


class LogCapture(logging.Handler):
    """Everything every logger emits, formatted the way the configured handlers
    format it, with the record's extra attributes and any traceback."""

    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        configured: dict[str, Any] = settings.LOGGING
        self.setFormatter(logging.Formatter(configured["formatters"]["plain"]["format"]))
        self.lines: list[str] = []
        self.listening = True

    @contextmanager
    def paused(self) -> Iterator[None]:
        """For what the test itself does (drawing the files it sends, say)."""
        self.listening = False
        try:
            yield
        finally:
            self.listening = True

    def emit(self, record: logging.LogRecord) -> None:
        if not self.listening:
            return
        self.lines.append(self.format(record))
        self.lines.append(repr({key: repr(value) for key, value in record.__dict__.items()}))

    def text(self) -> str:
        return "\n".join(self.lines)


@contextmanager
def listening_to_every_logger() -> Iterator[LogCapture]:
    """Listen at the root, opened down to DEBUG as LOG_LEVEL=DEBUG would, and on
    every logger that does not pass records up (django.server, say)."""
    capture = LogCapture()
    root = logging.getLogger()
    apart = [
        logger
        for logger in logging.Logger.manager.loggerDict.values()
        if isinstance(logger, logging.Logger) and not logger.propagate
    ]
    level = root.level
    root.addHandler(capture)
    for logger in apart:
        logger.addHandler(capture)
    root.setLevel(logging.DEBUG)
    try:
        yield capture
    finally:
        root.setLevel(level)
        root.removeHandler(capture)
        for logger in apart:
            logger.removeHandler(capture)


@pytest.fixture
def everything_logged() -> Iterator[LogCapture]:
    with listening_to_every_logger() as capture:
        yield capture


@dataclass
class Kept:
    """Everything the server kept, by where it was found."""

    places: dict[str, bytes] = field(default_factory=dict)

    def where(self, text: str) -> list[str]:
        needles = {text.encode(), text.encode().hex().encode(), text.encode("utf-16-le")}
        return [place for place, data in self.places.items() if any(needle in data for needle in needles)]


def everything_kept(logs: LogCapture, media: Path, since: float, outbox: Iterable[Any] = ()) -> Kept:
    kept = Kept()
    kept.places["database"] = database_bytes()
    kept.places["sessions and cache (decoded)"] = decoded_sessions_and_cache()
    kept.places["logs"] = logs.text().encode()
    kept.places["mail"] = "\n".join(str(message.message()) for message in outbox).encode()
    for name, data in files_under(media).items():
        kept.places[f"media {name}"] = data
    # A SQLite database in the data folder is the database, with its
    # write-ahead log (where recent writes rest until a checkpoint): searched
    # as such, not as a stray file.
    database_file = str(connection.settings_dict["NAME"]) if connection.vendor == "sqlite" else None
    data_dir = Path(settings.DATA_DIR)
    for name, data in files_under(data_dir, since).items():
        if database_file and name.startswith(database_file):
            kept.places["database"] += data
        elif not name.startswith(str(media)) and "/static/" not in name:
            kept.places[f"file {name}"] = data
    return kept


def assert_nowhere(kept: Kept, secrets_by_label: dict[str, str]) -> None:
    leaks = {label: kept.where(value) for label, value in secrets_by_label.items()}
    leaks = {label: places for label, places in leaks.items() if places}
    assert not leaks, f"found where it must not be: {leaks}"


# --- Signing in and submitting -------------------------------------------------------------


def visitor() -> Client:
    return Client(**REQUEST_HEADERS)


def signed_in(user: Any) -> Client:
    """Through the real sign-in with the canary headers, so the person's key is
    unlocked for the session."""
    client = visitor()
    device = confirmed_totp(user)
    client.post("/accounts/sign-in/", {"email": user.email, "password": PASSWORD})
    page = client.post("/accounts/verify/", {"code": current_code(device)})
    assert page.status_code == 302, "signed in"
    return client


def receipt_on(page: Any) -> str:
    match = re.search(r"<code>(\d{5}(?:-\d{5}){4})</code>", page.content.decode())
    assert match, "the receipt is shown"
    return match.group(1)


def form_token(client: Client, path: str) -> str:
    return str(client.get(path).context["form"]["retry_token"].value())


def post_json(client: Client, path: str, body: dict[str, Any]) -> Any:
    return client.post(path, json.dumps(body), content_type="application/json")


@dataclass
class Canaries:
    """What went in. `sealed`: encrypted by design, so nowhere in the clear.
    `staff_records`: in the clear in the database, never in a log or a file."""

    sealed: dict[str, str] = field(default_factory=dict)
    staff_records: dict[str, str] = field(default_factory=dict)
    receipts: dict[str, str] = field(default_factory=dict)
    clients: dict[str, Client] = field(default_factory=dict, repr=False)

    def signed_in(self, user: Any) -> Client:
        """One session each: a second factor code is accepted once."""
        if user.email not in self.clients:
            self.clients[user.email] = signed_in(user)
        return self.clients[user.email]

    def new(self, label: str) -> str:
        self.sealed[label] = value = canary(label)
        return value

    def staff(self, label: str) -> str:
        self.staff_records[label] = value = canary(label)
        return value


def file_family_cases(cast: Any, canaries: Canaries, logs: LogCapture) -> list[str]:
    """A request and a report through the pages and through the API, files
    attached, and a message by receipt each way; the receipts."""
    family = visitor()
    phone = canary_phone()
    canaries.sealed["html request phone"] = phone
    page = family.post(
        "/help/request/",
        {
            "school": "SA",
            "language": "es",
            "needs": ["legal_help", "counseling"],
            "contact": "phone",
            "message": canaries.new("html-request-message"),
            "name": canaries.new("html-request-name"),
            "phone": phone,
            "email": canaries.new("html-request-email") + "@example.org",
            "retry_token": form_token(family, "/help/request/"),
        },
    )
    receipts = [receipt_on(page)]

    jpeg_exif, png_text = canaries.new("jpeg-exif"), canaries.new("png-text")
    pdf_text, pdf_metadata = canaries.new("pdf-text"), canaries.new("pdf-metadata")
    with logs.paused():
        files = [
            SimpleUploadedFile(canaries.new("jpeg-filename") + ".jpg", jpeg_with_exif(jpeg_exif), "image/jpeg"),
            SimpleUploadedFile(canaries.new("png-filename") + ".png", png_with_text(png_text), "image/png"),
            SimpleUploadedFile(
                canaries.new("pdf-filename") + ".pdf", pdf_with_metadata(pdf_text, pdf_metadata), "application/pdf"
            ),
        ]
    page = family.post(
        "/help/report/",
        {
            "school": "SA",
            "language": "en",
            "kind": "agents_allowed_in",
            "date": str(timezone.localdate() - timedelta(days=1)),
            "description": canaries.new("html-report-description"),
            "retry_token": form_token(family, "/help/report/"),
            "attachments": files,
        },
    )
    receipts.append(receipt_on(page))
    assert Attachment.objects.count() == 3, "every file was accepted"

    api_phone = canary_phone()
    canaries.sealed["api request phone"] = api_phone
    answer = post_json(
        family,
        "/api/v1/family/requests",
        {
            "school": "SA",
            "language": "en",
            "needs": ["legal_help"],
            "message": canaries.new("api-request-message"),
            "name": canaries.new("api-request-name"),
            "contact": "email",
            "phone": api_phone,
            "email": canaries.new("api-request-email") + "@example.org",
            "idempotency_key": canaries.new("api-idempotency-key"),
        },
    )
    assert answer.status_code == 201
    receipts.append(answer.json()["receipt"])
    answer = post_json(
        family,
        "/api/v1/family/reports",
        {"school": "SB", "language": "es", "kind": "status_asked", "description": canaries.new("api-report")},
    )
    assert answer.status_code == 201
    receipts.append(answer.json()["receipt"])

    # Follow-up messages by receipt, typed with spaces as a family may.
    for number, receipt in enumerate(receipts[:2]):
        text = canaries.new(f"family-follow-up-{number}")
        page = visitor().post("/help/follow-up/message/", {"receipt": receipt.replace("-", " "), "text": text})
        assert text in page.content.decode(), "the family sees its message"
    assert post_json(visitor(), "/api/v1/family/cases/lookup", {"receipt": receipts[3]}).status_code == 200
    for number, receipt in enumerate(receipts):
        canaries.receipts[f"receipt {number}"] = receipt
        canaries.receipts[f"receipt {number} digits"] = receipt.replace("-", "")
    assert FamilyCase.objects.count() == 4
    return receipts


def answer_families(cast: Any, canaries: Canaries) -> None:
    """The offices write to families and among themselves: sealed under the case key."""
    readers = {"request": canaries.signed_in(cast.admin_a), "report": canaries.signed_in(cast.area_1_office)}
    for case in FamilyCase.objects.filter(school=cast.school_a):
        office = readers[case.kind]
        for internal in (False, True):
            text = canaries.new(f"staff-{'internal' if internal else 'to-family'}-{case.kind}")
            body = {"text": text, **({"internal": "on"} if internal else {})}
            assert office.post(f"/staff/cases/{case.pk}/message/", body).status_code == 302
            assert text in office.get(f"/staff/cases/{case.pk}/").content.decode(), "the office reads it back"


def respond_to_an_incident(cast: Any, canaries: Canaries, logs: LogCapture) -> None:
    """A phone at School A: notes (one sent later from the offline queue),
    agents, a typed document and a photographed one, a records request."""
    staff = canaries.signed_in(cast.staff_a)
    key = str(uuid.uuid4())
    page = staff.post("/staff/incidents/start/", {"school": "SA", "kind": "on_campus", "client_key": key})
    assert page.status_code == 302
    incident = Incident.objects.get()
    base = f"/staff/incidents/{incident.pk}"

    def client_key() -> str:
        return str(uuid.uuid4())

    note = canaries.staff("incident-note")
    assert staff.post(f"{base}/entries/", {"kind": "note", "text": note, "client_key": client_key()}).status_code == 302
    queued_at = (timezone.now() - timedelta(minutes=7)).strftime("%Y-%m-%d %H:%M:%S")
    offline = canaries.staff("incident-offline-note")
    body = {"kind": "note", "text": offline, "noted_at": queued_at, "client_key": client_key()}
    assert staff.post(f"{base}/entries/", body).status_code == 302
    assert staff.post(f"{base}/entries/", body).status_code == 302  # the queue sends it again
    follow_up = canaries.staff("incident-follow-up")
    body = {"kind": "follow_up", "text": follow_up, "client_key": client_key()}
    assert staff.post(f"{base}/entries/", body).status_code == 302
    assert TimelineEntry.objects.filter(text=offline).count() == 1

    agent = {
        "name": canaries.staff("agent-name"),
        "badge": canaries.staff("agent-badge")[-12:],
        "agency": canaries.staff("agent-agency"),
        "supervisor_phone": canary_phone(),
        "vehicle": canaries.staff("agent-vehicle"),
        "purpose": canaries.staff("agent-purpose"),
        "places": canaries.staff("agent-places"),
        "client_key": client_key(),
    }
    canaries.staff_records["agent-badge"] = agent["badge"]
    assert staff.post(f"{base}/agents/", agent).status_code == 302
    assert Agent.objects.count() == 1

    typed = canaries.new("document-typed")
    words = f"WARRANT FOR ARREST OF ALIEN\nDepartment of Homeland Security\nName: {typed}\nSigned: Officer"
    assert staff.post(f"{base}/documents/", {"text": words, "client_key": client_key()}).status_code == 302
    seen_on_photo, in_exif = canaries.new("document-photo-words"), canaries.new("document-photo-exif")
    with logs.paused():
        picture = photos.page(f"SUBPOENA\nUnited States District Court\n{seen_on_photo}").convert("RGB")
        photo = SimpleUploadedFile("IMG_2201.jpg", jpeg_with_exif(in_exif, picture), "image/jpeg")
    assert staff.post(f"{base}/documents/", {"photo": photo, "client_key": client_key()}).status_code == 302
    assert IncidentDocument.objects.count() == 2

    requester = canaries.staff("records-requester")
    body = {"school": "SA", "how": "in_person", "requester": requester, "sought": "whereabouts", "document_kind": ""}
    assert staff.post("/staff/records/", body).status_code == 302
    assert RecordsRequest.objects.get().requester == requester

    # The area office reads what was recorded, documents included.
    area = canaries.signed_in(cast.area_1_office)
    assert note in area.get(f"{base}/").content.decode()
    for document in IncidentDocument.objects.all():
        assert area.get(f"{base}/documents/{document.pk}/").status_code == 200


@pytest.mark.django_db(transaction=True)
def test_no_canary_user_agent_or_client_address_is_kept_anywhere(
    cast, settings, tmp_path, everything_logged, mailoutbox
):
    settings.MEDIA_ROOT = tmp_path / "media"
    started = time.time() - 1
    canaries = Canaries()

    file_family_cases(cast, canaries, everything_logged)
    answer_families(cast, canaries)
    respond_to_an_incident(cast, canaries, everything_logged)
    # The notices the offices get go out as mail, read below with the rest.
    assert tell_offices() > 0
    for message in OutgoingMessage.objects.filter(channel=OutgoingMessage.Channel.EMAIL):
        assert deliver_message(str(message.pk)) == "sent"
    assert mailoutbox, "the offices were told of the new cases"
    control = canary("logged-on-purpose")
    logging.getLogger("safezones.proof").info("a line that must be found: %s", control)

    kept = everything_kept(everything_logged, Path(settings.MEDIA_ROOT), started, mailoutbox)
    # The scan sees plaintext where it is: staff records in the database, and the control line in the logs.
    assert kept.where(control) == ["logs"]
    for label, value in canaries.staff_records.items():
        assert "database" in kept.where(value), f"{label} should be in the database in the clear"
    assert list(files_under(Path(settings.MEDIA_ROOT) / "attachments")), "attachments were written"
    assert list(files_under(Path(settings.MEDIA_ROOT) / "incident-documents")), "the document photo was written"

    assert_nowhere(kept, dict(zip(CLIENT_MARKERS, CLIENT_MARKERS, strict=True)))
    assert_nowhere(kept, canaries.sealed)
    assert_nowhere(kept, canaries.receipts)
    staff_records_outside_the_database = {
        label: [place for place in kept.where(value) if place != "database"]
        for label, value in canaries.staff_records.items()
    }
    assert not any(staff_records_outside_the_database.values()), staff_records_outside_the_database
