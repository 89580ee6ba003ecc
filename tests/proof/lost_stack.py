"""The production stack as `make run` starts it (`safezones prepare --demo`,
then `safezones serve`), a real SMTP sink and a real webhook receiver on
127.0.0.1, and a small load generator: families file requests and reports
through the API, a signed-in member of staff opens incidents. Used by
tests/proof/test_nothing_lost.py (CI size) and tests/proof/lost_soak.py
(`make soak`).

Every server listens on 127.0.0.1 only; every loop has a deadline; every
process started here is stopped by its own id or its own process group.
"""

import hmac
import http.cookiejar
import json
import os
import re
import secrets
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from email import message_from_bytes
from hashlib import sha256
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import psycopg
from aiosmtpd.controller import Controller

HOST = "127.0.0.1"
REPO = Path(__file__).resolve().parents[2]
POSTGRES_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"
POSTGRES_NAME = "test_lost"
DEMO_PASSWORD = "demo-safezones-2026"  # the invented demo accounts' published password
STAFF = "staff@demo.safezones.test"  # site staff at N101: may open incidents
PRINCIPAL = "principal@demo.safezones.test"  # N101's administrator: reads requests for services
AREA_OFFICE = "area@demo.safezones.test"  # N101's area office: reads reports about the school
SCHOOL = "N101"
PROBE_SCHOOL = "N102"  # probes file here, so the load's cases can be counted exactly
INCIDENT_ID = re.compile(r"/staff/incidents/([0-9a-f-]{36})/")
NOT_SAVED = "Not saved"
RETRY = {0, 502, 503, 504}  # no answer, or "not saved, try again": the same key again
START_TIMEOUT = 120.0
REQUEST_TIMEOUT = 15.0

# Run in the stack's environment after `prepare --demo`: a contact with a
# phone on the first level of the school's call-down list, so every alert
# also goes to the webhook; and a long acknowledgement limit, so no alert
# climbs to the next level while the test runs.
SETUP = f"""
from safezones.campus.calldown import ensure_call_down
from safezones.campus.models import CallDownContact
from safezones.schools.models import District, School
District.objects.update(acknowledge_minutes=600)
school = School.objects.get(code="{SCHOOL}")
ensure_call_down(school)
CallDownContact.objects.create(school=school, level=1, title="Backup", name="Backup", phone="+15550100")
"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


# --- databases -------------------------------------------------------------------


def postgres_answers() -> bool:
    try:
        with psycopg.connect(POSTGRES_ADMIN, connect_timeout=3):
            return True
    except psycopg.Error:
        return False


@contextmanager
def database(kind: str, folder: Path, name: str = POSTGRES_NAME) -> Iterator[str]:
    """A fresh database: a SQLite file in the folder, or `name` (`test_lost`
    unless told) on the local PostgreSQL server, dropped afterwards."""
    if kind == "sqlite":
        yield f"sqlite:///{folder / 'safezones.sqlite3'}"
        return
    if not re.fullmatch(r"test_lost[a-z_]*", name):
        raise ValueError(name)
    with psycopg.connect(POSTGRES_ADMIN, autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        admin.execute(f"CREATE DATABASE {name}")
    try:
        yield f"postgres://postgres@127.0.0.1:5432/{name}"
    finally:
        with psycopg.connect(POSTGRES_ADMIN, autocommit=True) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def query(database_url: str, sql: str) -> list[tuple[Any, ...]]:
    """Read the stack's database directly (read-only statements only)."""
    if database_url.startswith("sqlite:///"):
        with sqlite3.connect(f"file:{database_url.removeprefix('sqlite:///')}?mode=ro", uri=True, timeout=30) as db:
            return list(db.execute(sql).fetchall())
    with psycopg.connect(database_url.replace("postgres://", "postgresql://", 1)) as db:
        return list(db.execute(sql).fetchall())


def as_uuid(value: object) -> str:
    return str(uuid.UUID(str(value)))


# --- the mail sink and the webhook receiver -------------------------------------


@dataclass
class Arrival:
    key: str  # the Message-ID, or the webhook's Idempotency-Key
    at: float
    incident: str | None


class MailSink:
    """A real SMTP server (aiosmtpd) on a fixed port, which can be stopped and
    started again to play a mail outage."""

    def __init__(self) -> None:
        self.port = free_port()
        self.arrivals: list[Arrival] = []
        self.lock = threading.Lock()
        self.controller: Controller | None = None

    async def handle_DATA(self, server: object, session: object, envelope: object) -> str:  # noqa: N802 - aiosmtpd's name
        message = message_from_bytes(envelope.content)  # type: ignore[attr-defined]
        payload = message.get_payload(decode=True)
        body = payload.decode("utf-8", "replace") if isinstance(payload, bytes) else ""
        found = INCIDENT_ID.search(body)
        with self.lock:
            self.arrivals.append(Arrival(str(message["Message-ID"]), time.monotonic(), found and found.group(1)))
        return "250 Message accepted"

    def start(self) -> None:
        self.controller = Controller(self, hostname=HOST, port=self.port)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None


class HookReceiver:
    """A real HTTP server that checks each webhook's signature and notes its
    Idempotency-Key."""

    def __init__(self, secret: str) -> None:
        self.secret = secret
        self.arrivals: list[Arrival] = []
        self.bad_signatures = 0
        self.lock = threading.Lock()
        self.server = ThreadingHTTPServer((HOST, 0), self._handler())
        self.server.daemon_threads = True
        self.url = f"http://{HOST}:{self.server.server_address[1]}/hook"

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                stamp = self.headers["X-SafeZones-Timestamp"]
                expected = hmac.new(receiver.secret.encode(), stamp.encode() + b"." + body, sha256).hexdigest()
                with receiver.lock:
                    if hmac.compare_digest(self.headers["X-SafeZones-Signature"], f"sha256={expected}"):
                        found = INCIDENT_ID.search(json.loads(body).get("link", ""))
                        key = self.headers["Idempotency-Key"]
                        receiver.arrivals.append(Arrival(key, time.monotonic(), found and found.group(1)))
                        status = 200
                    else:
                        receiver.bad_signatures += 1
                        status = 401
                self.send_response(status)
                self.end_headers()

            def log_message(self, format: str, *args: object) -> None:
                return

        return Handler

    def start(self) -> None:
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


# --- the stack -------------------------------------------------------------------


def _children() -> dict[int, list[tuple[int, str]]]:
    """Every process's children, with their command lines, read from /proc."""
    found: dict[int, list[tuple[int, str]]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        parent = int(stat.rsplit(")", 1)[1].split()[1])
        found.setdefault(parent, []).append((int(entry.name), command))
    return found


@dataclass
class Stack:
    folder: Path
    database_url: str
    env: dict[str, str] = field(default_factory=dict)
    port: int = field(default_factory=free_port)
    serve: subprocess.Popen[bytes] | None = None
    web_kills: int = 0
    worker_kills: int = 0
    database_outages: int = 0

    @property
    def base(self) -> str:
        return f"http://{HOST}:{self.port}"

    def configure(self, smtp_port: int, webhook_url: str, webhook_secret: str) -> None:
        self.env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": str(self.folder),
            "LANG": "C.UTF-8",
            "PYTHONUNBUFFERED": "1",
            "PYTHONDONTWRITEBYTECODE": "1",
            "DJANGO_SETTINGS_MODULE": "safezones.settings",
            "SAFEZONES_DATA_DIR": str(self.folder),
            "SAFEZONES_DEMO": "true",
            "SAFEZONES_HTTPS": "false",
            "SECRET_KEY": secrets.token_urlsafe(64),
            "DATABASE_URL": self.database_url,
            "SITE_URL": self.base,
            "SMTP_URL": f"smtp://{HOST}:{smtp_port}",
            "ALERT_WEBHOOK_URL": webhook_url,
            "WEBHOOK_SECRET": webhook_secret,
            "WEBHOOK_TIMEOUT_SECONDS": "5",
            "FAMILY_SUBMISSIONS_PER_HOUR": "1000000",
            "RECEIPT_LOOKUPS_PER_MINUTE": "1000000",
        }

    def command(self, *args: str) -> str:
        done = subprocess.run(
            [sys.executable, "-m", "safezones.cli", *args],
            env=self.env,
            cwd=self.folder,
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
        if done.returncode != 0:
            raise RuntimeError(f"safezones {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
        return done.stdout

    def prepare(self) -> None:
        """What `make run` does before serving, and the call-down contact."""
        self.command("prepare", "--demo")
        self.command("shell", "-c", SETUP)

    def start(self) -> None:
        with (self.folder / "serve.log").open("ab") as log:
            self.serve = subprocess.Popen(
                [sys.executable, "-m", "safezones.cli", "serve", "--bind", f"{HOST}:{self.port}"],
                env=self.env,
                cwd=self.folder,
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
            )
        self.wait_until_healthy()

    def log(self) -> str:
        path = self.folder / "serve.log"
        return path.read_text(errors="replace")[-4000:] if path.exists() else ""

    def wait_until_healthy(self, timeout: float = START_TIMEOUT) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.serve is None or self.serve.poll() is not None:
                raise RuntimeError(f"safezones serve exited:\n{self.log()}")
            with suppress(OSError), urllib.request.urlopen(f"{self.base}/healthz", timeout=5) as answer:  # noqa: S310
                if answer.status == 200:
                    return
            time.sleep(0.2)
        raise RuntimeError(f"the server did not answer within {timeout} s:\n{self.log()}")

    def _child(self, marker: str) -> tuple[int, list[int]]:
        """The supervisor's child whose command holds marker, and its own children."""
        assert self.serve is not None
        tree = _children()
        for pid, command in tree.get(self.serve.pid, []):
            if marker in command:
                return pid, [child for child, _ in tree.get(pid, [])]
        return 0, []

    def web_master(self) -> int:
        return self._child("gunicorn")[0]

    def kill_web(self) -> None:
        """SIGKILL the gunicorn master and every worker of it; the supervisor
        starts a new one. Returns once the new one answers."""
        deadline = time.monotonic() + START_TIMEOUT
        master, workers = self._child("gunicorn")
        while not master and time.monotonic() < deadline:  # the supervisor is still restarting it
            time.sleep(0.2)
            master, workers = self._child("gunicorn")
        for pid in [master, *workers]:
            with suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        self.web_kills += 1
        while self._child("gunicorn")[0] in {0, master} and time.monotonic() < deadline:
            time.sleep(0.1)
        self.wait_until_healthy(max(1.0, deadline - time.monotonic()))

    def kill_worker(self) -> None:
        pid = self._child("db_worker")[0]
        if pid:
            with suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
            self.worker_kills += 1

    def stop(self) -> None:
        if self.serve is None:
            return
        with suppress(ProcessLookupError):
            os.killpg(self.serve.pid, signal.SIGTERM)
        try:
            self.serve.wait(timeout=40)
        except subprocess.TimeoutExpired:
            self.serve.kill()
            self.serve.wait(timeout=10)
        with suppress(ProcessLookupError, PermissionError):
            os.killpg(self.serve.pid, signal.SIGKILL)


# --- HTTP clients -----------------------------------------------------------------


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


@dataclass
class Answer:
    status: int  # 0: no answer (the connection broke)
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)

    def json(self) -> dict[str, Any]:
        try:
            value = json.loads(self.body)
        except ValueError:
            return {}
        return value if isinstance(value, dict) else {}


def _said(answer: Answer) -> str:
    """The first message a page shows (its errors), to say why a step failed."""
    found = re.search(rb'role="alert"[^>]*>(.{0,400})', answer.body, re.S)
    if found is None:
        return answer.body[:120].decode(errors="replace") if answer.status >= 400 else ""
    return " ".join(re.sub(rb"<[^>]+>", b" ", found.group(1)).decode(errors="replace").split())[:200]


class Browser:
    """Cookies and CSRF like a browser; redirects are returned, not followed."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), _NoRedirect())

    def request(self, path: str, data: bytes | None = None, headers: dict[str, str] | None = None) -> Answer:
        request = urllib.request.Request(f"{self.base}{path}", data=data, headers=headers or {})  # noqa: S310
        try:
            with self.opener.open(request, timeout=REQUEST_TIMEOUT) as response:
                return Answer(response.status, response.read(), dict(response.headers))
        except urllib.error.HTTPError as error:
            return Answer(error.code, error.read(), dict(error.headers))
        except (OSError, http.client.HTTPException):
            return Answer(0)

    def get(self, path: str) -> Answer:
        return self.request(path)

    def post_json(self, path: str, body: dict[str, Any]) -> Answer:
        return self.request(path, json.dumps(body).encode(), {"Content-Type": "application/json"})

    def post_form(self, path: str, fields: dict[str, str]) -> Answer:
        token = next((cookie.value for cookie in self.jar if cookie.name == "csrftoken"), "")
        data = urllib.parse.urlencode({**fields, "csrfmiddlewaretoken": token or ""}).encode()
        return self.request(path, data, {"Origin": self.base, "Content-Type": "application/x-www-form-urlencoded"})

    def sign_in(self, email: str, deadline: float) -> None:
        """Password, then the demo second-factor code, retried while the server restarts."""
        last = "no try"
        while time.monotonic() < deadline:
            form = self.get("/accounts/sign-in/")
            last = f"sign-in page {form.status}"
            if form.status == 200:
                step = self.post_form("/accounts/sign-in/", {"email": email, "password": DEMO_PASSWORD})
                location = step.headers.get("Location", "")
                last = f"password {step.status} {_said(step)}"
                if step.status == 302 and location:
                    page = self.get(location)
                    code = re.search(rb"Demo mode: the code now is (\d{6})", page.body)
                    last = f"second step page {page.status} {_said(page)}"
                    if code is not None:
                        done = self.post_form(location, {"code": code.group(1).decode()})
                        last = f"code {done.status} to {done.headers.get('Location', '')} {_said(done)}"
                        if done.status == 302 and "sign-in" not in done.headers.get("Location", ""):
                            return
            time.sleep(0.3)
        raise RuntimeError(f"{email} could not sign in; last answer: {last}")


# --- the load --------------------------------------------------------------------


@dataclass
class Filed:
    kind: str  # "request" or "report"
    receipt: str
    text: str
    tries: int


@dataclass
class Opened:
    incident: str
    started: float  # when the first try was sent (time.monotonic)
    tries: int


@dataclass
class Load:
    """Families file requests and reports; a member of staff opens incidents.
    Each submission is retried with its own key until it is answered; every
    fifth one is sent once more after its answer, as a client that lost the
    answer would, and must come back the same."""

    base: str
    family_pause: float = 0.05
    staff_pause: float = 0.3
    filed: dict[str, Filed] = field(default_factory=dict)
    opened: dict[str, Opened] = field(default_factory=dict)
    statuses: Counter[int] = field(default_factory=Counter)
    repeats_sent: int = 0
    repeats_different: list[str] = field(default_factory=list)
    not_saved_answers: int = 0
    stop: threading.Event = field(default_factory=threading.Event)
    signed_in: threading.Event = field(default_factory=threading.Event)
    deadline: float = 0.0
    threads: list[threading.Thread] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def start(self, deadline: float) -> None:
        self.deadline = deadline
        for target in (self._families, self._staff):
            thread = threading.Thread(target=self._guarded(target), daemon=True)
            thread.start()
            self.threads.append(thread)

    def finish(self, timeout: float) -> None:
        self.stop.set()
        for thread in self.threads:
            thread.join(timeout=timeout)
        if any(thread.is_alive() for thread in self.threads):
            self.errors.append("the load did not finish in time")

    def _guarded(self, target: Callable[[], None]) -> Callable[[], None]:
        def run() -> None:
            try:
                target()
            except Exception as error:  # noqa: BLE001 - reported by the test
                self.errors.append(f"{target.__name__}: {error!r}")

        return run

    def _note(self, answer: Answer) -> None:
        with self.lock:
            self.statuses[answer.status] += 1
            if answer.status == 503 and NOT_SAVED.lower() in answer.body.decode(errors="replace").lower():
                self.not_saved_answers += 1

    def _families(self) -> None:
        client = Browser(self.base)
        number = 0
        while not self.stop.is_set() and time.monotonic() < self.deadline:
            number += 1
            key = f"lost-{number:05d}-{secrets.token_hex(8)}"
            kind = "request" if number % 2 else "report"
            text = f"nothing lost {key}"
            if kind == "request":
                path = "/api/v1/family/requests"
                body: dict[str, Any] = {"needs": ["legal_help"], "message": text}
            else:
                path = "/api/v1/family/reports"
                body = {"kind": "other", "description": text}
            body |= {"school": SCHOOL, "language": "es", "idempotency_key": key}
            tries, answer = 0, Answer(0)
            while time.monotonic() < self.deadline:  # the same key until answered
                tries += 1
                answer = client.post_json(path, body)
                self._note(answer)
                if answer.status not in RETRY:
                    break
                time.sleep(0.1)
            if answer.status != 201:
                self.errors.append(f"the {kind} filed with {key} was answered {answer.status}: {answer.body[:300]!r}")
                return
            receipt = str(answer.json()["receipt"])
            self.filed[key] = Filed(kind, receipt, text, tries)
            if number % 5 == 0:
                again = client.post_json(path, body)
                self._note(again)
                self.repeats_sent += 1
                if again.status not in {0, 503} and again.json().get("receipt") != receipt:
                    self.repeats_different.append(f"{key}: {again.status} {again.body[:200]!r}")
            time.sleep(self.family_pause)

    def _staff(self) -> None:
        client = Browser(self.base)
        client.sign_in(STAFF, self.deadline)
        self.signed_in.set()  # a member of staff on duty is signed in before trouble starts
        number = 0
        while not self.stop.is_set() and time.monotonic() < self.deadline:
            number += 1
            key = str(uuid.uuid4())
            fields = {"school": SCHOOL, "kind": "on_campus", "client_key": key}
            started, tries, found = time.monotonic(), 0, None
            while found is None and time.monotonic() < self.deadline:
                tries += 1
                answer = client.post_form("/staff/incidents/start/", fields)
                self._note(answer)
                found = INCIDENT_ID.search(answer.headers.get("Location", "")) if answer.status == 302 else None
                if found is None:
                    if answer.status not in RETRY:  # sent to sign in again, say: a defect
                        where = answer.headers.get("Location", "")
                        self.errors.append(f"opening an incident was answered {answer.status} {where}")
                        return
                    time.sleep(0.1)
            if found is None:
                return
            self.opened[key] = Opened(found.group(1), started, tries)
            if number % 5 == 0:
                again = client.post_form("/staff/incidents/start/", fields)
                self._note(again)
                self.repeats_sent += 1
                if again.status == 302 and found.group(1) not in again.headers.get("Location", ""):
                    self.repeats_different.append(f"{key}: {again.headers.get('Location')}")
            time.sleep(self.staff_pause)


# --- checking --------------------------------------------------------------------


@dataclass
class Outbox:
    email: set[str]  # Message-IDs as sent
    webhook: set[str]  # Idempotency-Keys
    pending: int
    failed: int
    untold: int  # family cases whose offices' notices are not queued yet


def read_outbox(database_url: str) -> Outbox:
    rows = query(database_url, "SELECT id, channel, status FROM outbox_outgoingmessage")
    email = {f"<{as_uuid(pk)}@safezones>" for pk, channel, _ in rows if channel == "email"}
    webhook = {as_uuid(pk) for pk, channel, _ in rows if channel == "webhook"}
    statuses = Counter(status for _, _, status in rows)
    untold = int(query(database_url, "SELECT COUNT(*) FROM families_familycase WHERE NOT offices_told")[0][0])
    return Outbox(email, webhook, statuses["pending"], statuses["failed"], untold)


def wait_for_drain(database_url: str, mail: MailSink, hooks: HookReceiver, timeout: float) -> Outbox:
    """Until every message in the outbox was sent and has arrived."""
    deadline = time.monotonic() + timeout
    while True:
        outbox = read_outbox(database_url)
        arrived_mail = {arrival.key for arrival in mail.arrivals}
        arrived_hooks = {arrival.key for arrival in hooks.arrivals}
        done = outbox.untold == outbox.pending == 0 and outbox.email <= arrived_mail and outbox.webhook <= arrived_hooks
        if done or time.monotonic() > deadline:
            return outbox
        time.sleep(1.0)


def latencies(load: Load, arrivals: list[Arrival], since: float = 0.0, until: float = float("inf")) -> list[float]:
    """Seconds from the first try that opened each incident to its first alert."""
    first: dict[str, float] = {}
    for arrival in arrivals:
        if arrival.incident:
            first[arrival.incident] = min(first.get(arrival.incident, arrival.at), arrival.at)
    return [
        first[opened.incident] - opened.started
        for opened in load.opened.values()
        if opened.incident in first and since <= opened.started <= until
    ]


def describe(values: list[float]) -> str:
    if not values:
        return "none"
    ordered = sorted(values)
    p99 = ordered[max(0, int(len(ordered) * 0.99) - 1)]
    incidents = "1 incident" if len(ordered) == 1 else f"{len(ordered)} incidents"
    return f"p50 {statistics.median(ordered):.2f} s, p99 {p99:.2f} s, max {ordered[-1]:.2f} s ({incidents})"


def repeats(arrivals: list[Arrival]) -> int:
    """Deliveries of a message that had arrived already (same id)."""
    counts = Counter(arrival.key for arrival in arrivals)
    return sum(count - 1 for count in counts.values())


def stored_cases(database_url: str) -> int:
    return int(query(database_url, "SELECT COUNT(*) FROM families_familycase")[0][0])


def stored_incidents(database_url: str) -> dict[str, str]:
    rows = query(database_url, "SELECT id, client_key FROM campus_incident WHERE client_key IS NOT NULL")
    return {as_uuid(key): as_uuid(pk) for pk, key in rows}


def case_ids(database_url: str) -> list[str]:
    """The school's cases (probes go to another school)."""
    sql = "SELECT c.id FROM families_familycase c JOIN schools_school s ON s.id = c.school_id WHERE s.code = 'N101'"
    return [as_uuid(row[0]) for row in query(database_url, sql)]


# --- one run: load, kills, an optional mail outage, then every check -------------


@dataclass
class Result:
    database: str
    kills: int = 0
    worker_kills: int = 0
    submissions: int = 0
    requests: int = 0
    reports: int = 0
    incidents: int = 0
    retried: int = 0  # submissions answered only after more than one try
    repeats_sent: int = 0
    duplicates: int = 0  # rows filed twice for one key
    lost: int = 0  # answered 201 or redirected, but not there afterwards
    emails: int = 0
    webhooks: int = 0
    delivery_repeats: int = 0  # a message that arrived again under its own id
    statuses: Counter[int] = field(default_factory=Counter)
    latency_under_kills: str = "none"
    outage_seconds: float = 0.0
    after_outage_seconds: float = 0.0  # from mail's return to the last alert of an incident opened meanwhile
    prepare_seconds: float = 0.0
    load_seconds: float = 0.0
    drain_seconds: float = 0.0
    check_seconds: float = 0.0
    problems: list[str] = field(default_factory=list)


@dataclass
class Outage:
    seconds: float
    began: float = 0.0
    ended: float = 0.0

    def tick(self, mail: MailSink) -> None:
        if self.began and not self.ended and time.monotonic() - self.began >= self.seconds:
            mail.start()
            self.ended = time.monotonic()


def _office_reads(stack: Stack, ids: list[str], sign_in_seconds: float = 60) -> set[str]:
    """The texts the offices read on each new case's page: a request for
    services reaches the school's administrators, a report about the school
    its area office (never the school itself). Each office has its own time
    to sign in, however long the one before took to read every case."""
    texts: set[str] = set()
    for email in (PRINCIPAL, AREA_OFFICE):
        office = Browser(stack.base)
        office.sign_in(email, time.monotonic() + sign_in_seconds)
        for case_id in ids:
            page = office.get(f"/staff/cases/{case_id}/")
            texts.update(re.findall(r"nothing lost lost-\d{5}-[0-9a-f]{16}", page.body.decode(errors="replace")))
    return texts


def run(
    kind: str,
    folder: Path,
    kills: int,
    outage_seconds: float = 0.0,
    serve_between: float = 1.5,
    postgres_name: str = POSTGRES_NAME,
) -> Result:
    """Start the stack, put the load on it, SIGKILL the web server `kills`
    times (and the worker every other time), optionally stop the mail sink
    for `outage_seconds` meanwhile, then check that nothing was lost."""
    result = Result(database=kind, outage_seconds=outage_seconds)
    secret = secrets.token_urlsafe(32)
    mail, hooks = MailSink(), HookReceiver(secret)
    mail.start()
    hooks.start()
    try:
        with database(kind, folder, postgres_name) as url:
            stack = Stack(folder, url)
            stack.configure(mail.port, hooks.url, secret)
            began = time.monotonic()
            stack.prepare()
            result.prepare_seconds = time.monotonic() - began
            known_cases = set(case_ids(url))
            incidents_before = int(query(url, "SELECT COUNT(*) FROM campus_incident")[0][0])
            stack.start()
            try:
                outage = Outage(outage_seconds)
                load = _load_and_kill(stack, mail, outage, kills, serve_between, result)
                began = time.monotonic()
                outbox = wait_for_drain(url, mail, hooks, timeout=2 * outage_seconds + 240)
                result.drain_seconds = time.monotonic() - began
                if outage.ended:
                    during = {o.incident for o in load.opened.values() if outage.began <= o.started <= outage.ended}
                    backlog = [arrival.at for arrival in mail.arrivals if arrival.incident in during]
                    result.after_outage_seconds = max(0.0, max(backlog, default=outage.ended) - outage.ended)
                    early = latencies(load, mail.arrivals, until=outage.began - 60)
                    result.latency_under_kills = describe(early + latencies(load, mail.arrivals, since=outage.ended))
                else:
                    result.latency_under_kills = describe(latencies(load, mail.arrivals))
                began = time.monotonic()
                _check(stack, load, outbox, mail, hooks, known_cases, incidents_before, result)
                result.check_seconds = time.monotonic() - began
            finally:
                stack.stop()
    finally:
        mail.stop()
        hooks.stop()
    return result


def _load_and_kill(
    stack: Stack, mail: MailSink, outage: Outage, kills: int, serve_between: float, result: Result
) -> Load:
    load = Load(stack.base)
    began = time.monotonic()
    load.start(deadline=began + 120 + kills * 30 + 2 * outage.seconds)
    load.signed_in.wait(timeout=120)
    outage_at = max(1, kills // 10) if outage.seconds else -1
    for number in range(kills):
        time.sleep(serve_between)
        if number == outage_at:
            mail.stop()
            outage.began = time.monotonic()
        outage.tick(mail)
        stack.kill_web()
        if number % 2:
            stack.kill_worker()
    deadline = time.monotonic() + outage.seconds + 10
    while outage.began and not outage.ended and time.monotonic() < deadline:  # the outage runs its full length
        time.sleep(0.5)
        outage.tick(mail)
    time.sleep(serve_between)
    load.finish(timeout=60)
    result.load_seconds = time.monotonic() - began
    result.kills, result.worker_kills = stack.web_kills, stack.worker_kills
    return load


def _check(
    stack: Stack,
    load: Load,
    outbox: Outbox,
    mail: MailSink,
    hooks: HookReceiver,
    known_cases: set[str],
    incidents_before: int,
    result: Result,
) -> None:
    problems = result.problems
    problems += load.errors
    result.statuses = load.statuses
    result.requests = sum(filed.kind == "request" for filed in load.filed.values())
    result.reports = len(load.filed) - result.requests
    result.incidents = len(load.opened)
    result.submissions = len(load.filed) + len(load.opened)
    tries = [filed.tries for filed in load.filed.values()] + [opened.tries for opened in load.opened.values()]
    result.retried = sum(count > 1 for count in tries)
    result.repeats_sent = load.repeats_sent
    problems += [f"a repeated key came back different: {line}" for line in load.repeats_different]
    if not load.filed or not load.opened:
        problems.append(f"too little load: {len(load.filed)} family submissions, {len(load.opened)} incidents")

    _check_families(stack, load, known_cases, result)
    _check_incidents(stack, load, incidents_before, result)
    _check_deliveries(stack, load, outbox, mail, hooks, result)


def _check_families(stack: Stack, load: Load, known_cases: set[str], result: Result) -> None:
    """Every family submission answered 201: there, counted once, readable by the family and by its office."""
    problems, url = result.problems, stack.database_url
    family = Browser(stack.base)
    for key, filed in load.filed.items():
        answer = family.post_json("/api/v1/family/cases/lookup", {"receipt": filed.receipt})
        messages = answer.json().get("messages") or [{}]
        if answer.status != 200 or messages[0].get("text") != filed.text:
            result.lost += 1
            problems.append(f"the {filed.kind} filed with {key} cannot be read with its receipt ({answer.status})")
    new_cases = [case for case in case_ids(url) if case not in known_cases]
    if len(new_cases) > len(load.filed):
        result.duplicates += len(new_cases) - len(load.filed)
        problems.append(f"{len(new_cases)} cases stored for {len(load.filed)} submissions")
    read = _office_reads(stack, new_cases)
    unread = {filed.text for filed in load.filed.values()} - read
    if unread:
        problems.append(f"{len(unread)} cases their office cannot read, e.g. {sorted(unread)[:3]}")


def _check_incidents(stack: Stack, load: Load, incidents_before: int, result: Result) -> None:
    """Every incident answered with its page: there once."""
    problems, url = result.problems, stack.database_url
    stored = stored_incidents(url)
    for key, opened in load.opened.items():
        if stored.get(key) != opened.incident:
            result.lost += 1
            problems.append(f"incident {opened.incident} (client key {key}) is not there")
    total = int(query(url, "SELECT COUNT(*) FROM campus_incident")[0][0])
    if total - incidents_before != len(load.opened):
        result.duplicates += max(0, total - incidents_before - len(load.opened))
        problems.append(f"{total - incidents_before} incidents stored for {len(load.opened)} opened")


def _check_deliveries(
    stack: Stack, load: Load, outbox: Outbox, mail: MailSink, hooks: HookReceiver, result: Result
) -> None:
    """Every alert and notice: sent, and arrived under its own id; nothing else arrived."""
    problems = result.problems
    result.emails, result.webhooks = len(outbox.email), len(outbox.webhook)
    if outbox.pending or outbox.failed:
        problems.append(f"the outbox still holds {outbox.pending} pending and {outbox.failed} failed messages")
    if outbox.untold:
        problems.append(f"{outbox.untold} family cases whose offices were never told")
    for name, expected, arrivals in (
        ("e-mail", outbox.email, mail.arrivals),
        ("webhook", outbox.webhook, hooks.arrivals),
    ):
        arrived = {arrival.key for arrival in arrivals}
        if expected - arrived:
            problems.append(f"{len(expected - arrived)} {name} messages never arrived")
        if arrived - expected:
            problems.append(f"{len(arrived - expected)} {name} messages arrived that the outbox does not hold")
    alerted = {arrival.incident for arrival in mail.arrivals} & {arrival.incident for arrival in hooks.arrivals}
    missing = [opened.incident for opened in load.opened.values() if opened.incident not in alerted]
    if missing:
        problems.append(f"{len(missing)} incidents without both an e-mail and a text alert, e.g. {missing[:3]}")
    if hooks.bad_signatures:
        problems.append(f"{hooks.bad_signatures} webhooks with a bad signature")
    # A worker killed (or cut off from the database) after the mail server
    # accepted a message but before it wrote down "sent" sends it again with
    # the same Message-ID (at least once, never under a new id): at most one
    # repeat per worker kill or database outage.
    result.delivery_repeats = repeats(mail.arrivals) + repeats(hooks.arrivals)
    if result.delivery_repeats > stack.worker_kills + stack.database_outages:
        problems.append(
            f"{result.delivery_repeats} repeated deliveries for {stack.worker_kills} worker kills"
            f" and {stack.database_outages} database outages"
        )
    if load.statuses.get(500):
        problems.append(f"{load.statuses[500]} answers were 500")


# --- PostgreSQL unreachable for the app alone -------------------------------------


class Proxy:
    """A TCP relay on 127.0.0.1 between the app and PostgreSQL. Stopping it
    cuts every open connection and refuses new ones, as a database restart
    does for the app, without touching the server others use."""

    def __init__(self, target: tuple[str, int]) -> None:
        self.target = target
        self.port = free_port()
        self.listener: socket.socket | None = None
        self.open: set[socket.socket] = set()
        self.lock = threading.Lock()

    def start(self) -> None:
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind((HOST, self.port))
        listener.listen(64)
        self.listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def stop(self) -> None:
        with self.lock:
            listener, self.listener = self.listener, None
            sockets, self.open = self.open, set()
        for sock in [listener, *sockets]:
            if sock is not None:
                with suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)
                sock.close()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return  # stopped
            try:
                upstream = socket.create_connection(self.target, timeout=5)
                upstream.settimeout(None)
            except OSError:
                client.close()
                continue
            with self.lock:
                if self.listener is not listener:
                    client.close()
                    upstream.close()
                    return
                self.open |= {client, upstream}
            for source, sink in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(source, sink), daemon=True).start()

    def _pump(self, source: socket.socket, sink: socket.socket) -> None:
        with suppress(OSError):
            while chunk := source.recv(65536):
                sink.sendall(chunk)
        for sock in (source, sink):
            with suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)


@dataclass
class OutageAnswers:
    during: list[Answer] = field(default_factory=list)  # probes while the database was unreachable
    recovered_after: float = 0.0  # seconds from the database's return to the next 201
    master_before: int = 0
    master_after: int = 0


def run_database_outage(folder: Path, outage_seconds: float) -> tuple[Result, OutageAnswers]:
    """The stack on PostgreSQL through the relay, under load; the relay stops
    for `outage_seconds` and starts again. Probes note what the app answers
    meanwhile; afterwards the same checks as the kill test."""
    result, seen = Result(database="postgresql", outage_seconds=outage_seconds), OutageAnswers()
    secret = secrets.token_urlsafe(32)
    mail, hooks, proxy = MailSink(), HookReceiver(secret), Proxy((HOST, 5432))
    mail.start()
    hooks.start()
    proxy.start()
    try:
        with database("postgresql", folder, f"{POSTGRES_NAME}_outage") as direct:
            stack = Stack(folder, direct.replace(":5432/", f":{proxy.port}/"))
            stack.configure(mail.port, hooks.url, secret)
            stack.prepare()
            known_cases = set(case_ids(direct))
            incidents_before = int(query(direct, "SELECT COUNT(*) FROM campus_incident")[0][0])
            stack.start()
            try:
                load = Load(stack.base, family_pause=0.2)
                load.start(deadline=time.monotonic() + 180 + outage_seconds)
                load.signed_in.wait(timeout=120)
                staff = Browser(stack.base)
                staff.sign_in(STAFF, time.monotonic() + 60)
                time.sleep(3)
                seen.master_before = stack.web_master()
                proxy.stop()
                stack.database_outages += 1
                _probe(staff, seen, time.monotonic() + outage_seconds)
                proxy.start()
                back = time.monotonic()
                probe = Browser(stack.base)
                body = {"school": PROBE_SCHOOL, "language": "es", "kind": "other", "description": "after the outage"}
                while time.monotonic() < back + 60:
                    if probe.post_json("/api/v1/family/reports", body).status == 201:
                        seen.recovered_after = time.monotonic() - back
                        break
                    time.sleep(0.5)
                seen.master_after = stack.web_master()
                time.sleep(3)
                load.finish(timeout=60)
                outbox = wait_for_drain(direct, mail, hooks, timeout=240)
                stack.database_url = direct
                _check(stack, load, outbox, mail, hooks, known_cases, incidents_before, result)
            finally:
                stack.stop()
    finally:
        proxy.stop()
        mail.stop()
        hooks.stop()
    return result, seen


def _probe(staff: Browser, seen: OutageAnswers, until: float) -> None:
    """What a family filing through the API, a family opening the help page
    and a signed-in member of staff get while the database is unreachable."""
    family = Browser(staff.base)
    body = {"school": PROBE_SCHOOL, "language": "es", "kind": "other", "description": "during the outage"}
    while time.monotonic() < until:
        seen.during.append(family.post_json("/api/v1/family/reports", body))
        seen.during.append(family.get("/help/"))
        seen.during.append(staff.get("/staff/incidents/"))
        time.sleep(0.5)
