"""Alert latency: from the HTTP request that opens an incident to the alert
accepted by an SMTP server and by the webhook receiver, with the production
server and worker started as `make run` starts them (`safezones serve`).

Runs on a throwaway SQLite database, and on PostgreSQL when BENCH_POSTGRES
names a server (a scratch database `bench_alerts` is created and dropped).
Appends its figures to docs/benchmarks.md.

    python bench/alerts.py [INCIDENTS]
"""

import asyncio
import http.cookiejar
import json
import os
import re
import secrets
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
import uuid
from datetime import UTC, datetime
from email import message_from_bytes
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from aiosmtpd.controller import Controller

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.run import machine  # noqa: E402

from safezones.demo import DEMO_PASSWORD  # noqa: E402

INCIDENT_ID = re.compile(r"/staff/incidents/([0-9a-f-]{36})/")
STAFF = "staff@demo.safezones.test"
RATE_PER_SECOND = 4


class Arrivals:
    """When each incident's first e-mail and first webhook arrived."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.email: dict[str, float] = {}
        self.webhook: dict[str, float] = {}
        self.duplicates = 0

    def note(self, channel: dict[str, float], text: str) -> None:
        now = time.perf_counter()
        found = INCIDENT_ID.search(text)
        if not found:
            return
        with self.lock:
            if found.group(1) in channel:
                self.duplicates += 1
            channel.setdefault(found.group(1), now)


class SmtpHandler:
    def __init__(self, arrivals: Arrivals) -> None:
        self.arrivals = arrivals

    async def handle_DATA(self, server: object, session: object, envelope: object) -> str:  # noqa: N802 - aiosmtpd's name
        message = message_from_bytes(envelope.content)  # type: ignore[attr-defined]
        body = message.get_payload(decode=True) or b""
        self.arrivals.note(self.arrivals.email, body.decode("utf-8", "replace"))  # type: ignore[union-attr]
        return "250 Message accepted"


def webhook_handler(arrivals: Arrivals) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            arrivals.note(arrivals.webhook, json.loads(body).get("link", ""))
            self.send_response(200)
            self.end_headers()

        def log_message(self, format: str, *args: object) -> None:
            return

    return Handler


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def run_once(database_url: str | None, incidents: int) -> dict[str, str]:
    data_dir = tempfile.mkdtemp(prefix="safezones-alerts-")
    arrivals = Arrivals()
    smtp_port, web_port = free_port(), free_port()
    smtp = Controller(SmtpHandler(arrivals), hostname="127.0.0.1", port=smtp_port)
    smtp.start()
    hook = ThreadingHTTPServer(("127.0.0.1", 0), webhook_handler(arrivals))
    threading.Thread(target=hook.serve_forever, daemon=True).start()
    env = {
        **os.environ,
        "SAFEZONES_DATA_DIR": data_dir,
        "SECRET_KEY": secrets.token_urlsafe(64),
        "SAFEZONES_HTTPS": "false",
        "SAFEZONES_DEMO": "true",
        "SMTP_URL": f"smtp://127.0.0.1:{smtp_port}",
        "ALERT_WEBHOOK_URL": f"http://127.0.0.1:{hook.server_address[1]}/hook",
        "WEBHOOK_SECRET": secrets.token_urlsafe(32),
        "DJANGO_SETTINGS_MODULE": "safezones.settings",
    }
    if database_url:
        env["DATABASE_URL"] = database_url
    else:
        env.pop("DATABASE_URL", None)
    safezones = [sys.executable, "-m", "safezones.cli"]
    subprocess.run([*safezones, "prepare", "--demo"], env=env, check=True, capture_output=True)
    subprocess.run([sys.executable, "-c", SETUP], env=env, check=True)
    log = (Path(data_dir) / "serve.log").open("w")
    server = subprocess.Popen(
        [*safezones, "serve", "--bind", f"127.0.0.1:{web_port}"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=log,
        start_new_session=True,
    )
    try:
        base = f"http://127.0.0.1:{web_port}"
        wait_for(f"{base}/healthz", Path(data_dir) / "serve.log")
        client = signed_in(base)
        sent = open_incidents(client, base, incidents)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and (len(arrivals.email) < incidents or len(arrivals.webhook) < incidents):
            time.sleep(0.05)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
        smtp.stop()
        hook.shutdown()
        shutil.rmtree(data_dir, ignore_errors=True)
    return summary(sent, arrivals, incidents)


# Run inside the server's environment: a contact with a phone on the first
# level of the demo school's call-down list, so every alert also goes to the webhook.
SETUP = """
import django
django.setup()
from safezones.campus.calldown import ensure_call_down
from safezones.campus.models import CallDownContact
from safezones.schools.models import School
school = School.objects.get(code="N101")
ensure_call_down(school)
CallDownContact.objects.create(school=school, level=1, title="Backup", name="Backup", phone="+15550100")
"""


def signed_in(base: str) -> urllib.request.OpenerDirector:
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(f"{base}/accounts/sign-in/").read().decode()
    step = post(opener, f"{base}/accounts/sign-in/", {"email": STAFF, "password": DEMO_PASSWORD}, page)
    second = opener.open(step).read().decode()  # demo mode shows the code on this page
    code = re.search(r"Demo mode: the code now is (\d{6})", second)
    if code is None:
        raise RuntimeError(f"no demo code on {step}")
    post(opener, step, {"code": code.group(1)}, second)
    return opener


def post(opener: urllib.request.OpenerDirector, url: str, fields: dict[str, str], page: str) -> str:
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    data = {**fields, "csrfmiddlewaretoken": token.group(1) if token else ""}
    parts = urllib.parse.urlsplit(url)
    origin = f"{parts.scheme}://{parts.netloc}"
    body = urllib.parse.urlencode(data).encode()
    request = urllib.request.Request(url, data=body, headers={"Origin": origin})  # noqa: S310 - loopback only
    with opener.open(request, timeout=10) as response:
        return str(response.geturl())


def open_incidents(opener: urllib.request.OpenerDirector, base: str, count: int) -> dict[str, float]:
    page = opener.open(f"{base}/staff/incidents/").read().decode()
    sent: dict[str, float] = {}
    for index in range(count):
        start = time.perf_counter()
        fields = {"school": "N101", "kind": "on_campus", "client_key": str(uuid.uuid4())}
        url = post(opener, f"{base}/staff/incidents/start/", fields, page)
        found = INCIDENT_ID.search(url)
        if found is None:
            raise RuntimeError(f"opening incident {index} did not lead to its page: {url}")
        sent[found.group(1)] = start
        time.sleep(max(0.0, 1 / RATE_PER_SECOND - (time.perf_counter() - start)))
    return sent


def wait_for(url: str, log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2):  # noqa: S310 - loopback only
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"the server did not answer at {url}:\n{log.read_text()[-3000:]}")


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, int(len(ordered) * share) - 1)] * 1000


def summary(sent: dict[str, float], arrivals: Arrivals, incidents: int) -> dict[str, str]:
    result = {}
    for name, channel in (("SMTP", arrivals.email), ("webhook", arrivals.webhook)):
        latencies = [channel[key] - start for key, start in sent.items() if key in channel]
        missing = incidents - len(latencies)
        result[name] = (
            f"p50 {statistics.median(latencies) * 1000:.0f} ms, p99 {percentile(latencies, 0.99):.0f} ms, "
            f"max {max(latencies) * 1000:.0f} ms; {len(latencies)} of {incidents} arrived"
            + (f", {missing} missing" if missing else "")
        )
    result["duplicates"] = str(arrivals.duplicates)
    return result


def postgres_url() -> str | None:
    server = os.environ.get("BENCH_POSTGRES")
    if not server:
        return None
    import psycopg

    with psycopg.connect(f"{server}/postgres", autocommit=True) as connection:
        connection.execute("DROP DATABASE IF EXISTS bench_alerts")
        connection.execute("CREATE DATABASE bench_alerts")
    return f"{server}/bench_alerts"


def drop_postgres() -> None:
    server = os.environ.get("BENCH_POSTGRES")
    if server:
        import psycopg

        with psycopg.connect(f"{server}/postgres", autocommit=True) as connection:
            connection.execute("DROP DATABASE IF EXISTS bench_alerts WITH (FORCE)")


def main() -> None:
    incidents = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    rows = [("SQLite", run_once(None, incidents))]
    url = postgres_url()
    if url:
        try:
            rows.append(("PostgreSQL", run_once(url, incidents)))
        finally:
            drop_postgres()
    lines = [
        "",
        "## Alert latency (bench/alerts.py)",
        "",
        f"- Date: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC; machine: {machine()}",
        f"- {incidents} incidents opened over HTTP at {RATE_PER_SECOND} per second by a signed-in member of staff,",
        "  against `safezones serve` (gunicorn, 2 workers, the task worker and the periodic jobs);",
        "  time from the request that opens the incident to the alert accepted by a local SMTP server",
        "  and by a local webhook receiver. Goal: p99 at most 1 s.",
        "",
        "| database | SMTP | webhook | duplicates |",
        "| --- | --- | --- | --- |",
        *[f"| {name} | {row['SMTP']} | {row['webhook']} | {row['duplicates']} |" for name, row in rows],
        "",
    ]
    with (ROOT / "docs" / "benchmarks.md").open("a") as report:
        report.write("\n".join(lines))
    print("\n".join(lines))


if __name__ == "__main__":
    asyncio.set_event_loop_policy(None)
    main()
