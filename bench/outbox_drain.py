"""How fast one task worker empties the outbox: a backlog of e-mails, as a
spike of family cases or the end of a mail outage leaves it, delivered by the
production worker (`safezones db_worker`, as `safezones serve` starts it) to a
real SMTP server (aiosmtpd, in this process) on 127.0.0.1.

Three shapes of backlog:
- "as filed": the notices of one case per task (three e-mails each), as
  the worker queues them when it tells a new case's offices;
- "after an outage": every message in tasks of BATCH_SIZE, as the first
  delivery after mail returns (or the periodic net) queues the waiting ones;
- "after an outage, retries queued": as a long outage under load leaves it.
  Every message failed and has a retry task of its own: half of them came
  due while the worker was behind and wait in the queue, the other half are
  scheduled 1 to 8 minutes ahead. The first message the worker delivers
  brings the others forward.

Runs on a throwaway SQLite database and on a scratch PostgreSQL database
`bench_outbox`, created and dropped. Prints a Markdown section for
docs/benchmarks.md; progress goes to stderr.

    .venv/bin/python bench/outbox_drain.py [--messages 3000] [--databases sqlite postgres] [--shapes ...]
"""

import argparse
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

from aiosmtpd.controller import Controller
from scratch import postgres, postgres_url, stop_with_parent

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.run import machine  # noqa: E402

BENCH_DATABASE = "bench_outbox"
POSTGRES_URL = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres")
PER_CASE = 3
SHAPES = ("as filed", "after an outage", "after an outage, retries queued")

# Run in `safezones shell`: queue the backlog without a worker running.
QUEUE = """
from datetime import timedelta
from django.db import transaction
from django.utils import timezone
from safezones.outbox.actions import NOTICE_PRIORITY, Email, queue_emails, retry_due
from safezones.outbox.models import OutgoingMessage
from safezones.outbox.tasks import deliver

count, shape = {count}, {shape!r}
subject, body = "Safe Zones: a new case", "Sign in to read it."
if shape == "as filed":
    for case in range(count // {per_case}):
        with transaction.atomic():
            emails = [Email(f"bench:{{case}}:{{n}}", f"o{{n}}@bench.test", subject, body) for n in range({per_case})]
            queue_emails(emails, new=True, priority=NOTICE_PRIORITY)
elif shape == "after an outage":
    OutgoingMessage.objects.bulk_create(
        OutgoingMessage(
            dedupe_key=f"bench:{{n}}", recipient=f"o{{n % 7}}@bench.test", subject=subject, body=body,
            priority=NOTICE_PRIORITY,
        )
        for n in range(count)
    )
    retry_due()
else:
    now = timezone.now()
    waiting = OutgoingMessage.objects.bulk_create(
        OutgoingMessage(
            dedupe_key=f"bench:{{n}}", recipient=f"o{{n % 7}}@bench.test", subject=subject, body=body,
            priority=NOTICE_PRIORITY, attempts=1, last_error="SMTPServerDisconnected",
            next_attempt_at=now + (timedelta(seconds=60 + n * 840 // count) if n % 2 else -timedelta(seconds=n % 300)),
        )
        for n in range(count)
    )
    with transaction.atomic():
        for message in waiting:
            deliver.using(priority=NOTICE_PRIORITY, run_after=message.next_attempt_at).enqueue(str(message.pk))
"""


class Sink:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.count = 0

    async def handle_DATA(self, server: object, session: object, envelope: object) -> str:  # noqa: N802 - aiosmtpd's name
        with self.lock:
            self.count += 1
        return "250 Message accepted"


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def drain(database: str, shape: str, count: int) -> tuple[float, float]:
    """Seconds for one worker to deliver `count` queued e-mails, and its
    resident memory at the end (MB)."""
    data_dir = tempfile.mkdtemp(prefix="safezones-outbox-")
    sink = Sink()
    smtp = Controller(sink, hostname="127.0.0.1", port=free_port())
    smtp.start()
    env = {
        **os.environ,
        "SAFEZONES_DATA_DIR": data_dir,
        "SECRET_KEY": secrets.token_urlsafe(64),
        "SAFEZONES_HTTPS": "false",
        "SMTP_URL": f"smtp://127.0.0.1:{smtp.port}",
        "DJANGO_SETTINGS_MODULE": "safezones.settings",
    }
    if database == "postgres":
        postgres(POSTGRES_URL, f"DROP DATABASE IF EXISTS {BENCH_DATABASE}")
        postgres(POSTGRES_URL, f"CREATE DATABASE {BENCH_DATABASE}")
        env["DATABASE_URL"] = postgres_url(POSTGRES_URL, BENCH_DATABASE)
    cli = [sys.executable, "-m", "safezones.cli"]
    worker = None
    try:
        subprocess.run([*cli, "migrate", "--no-input", "-v", "0"], env=env, check=True, cwd=data_dir)
        code = QUEUE.format(count=count, shape=shape, per_case=PER_CASE)
        subprocess.run([*cli, "shell", "-c", code], env=env, check=True, cwd=data_dir, stdout=subprocess.DEVNULL)
        began = time.perf_counter()
        worker = subprocess.Popen(
            [*cli, "db_worker", "--queue-name", "*", "--interval", "0.2"],
            env=env,
            cwd=data_dir,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            preexec_fn=stop_with_parent,  # noqa: PLW1509
        )
        deadline = began + 1800
        while sink.count < count and time.perf_counter() < deadline:
            time.sleep(0.05)
        seconds = time.perf_counter() - began
        memory = rss_mb(worker.pid)
        if sink.count < count:
            raise RuntimeError(f"{sink.count} of {count} e-mails arrived in {seconds:.0f} s")
        return seconds, memory
    finally:
        if worker is not None:
            worker.terminate()
            worker.wait(timeout=30)
        smtp.stop()
        shutil.rmtree(data_dir, ignore_errors=True)
        if database == "postgres":
            postgres(POSTGRES_URL, f"DROP DATABASE IF EXISTS {BENCH_DATABASE}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--messages", type=int, default=3000)
    parser.add_argument("--databases", nargs="+", default=["sqlite", "postgres"])
    parser.add_argument("--shapes", nargs="+", default=list(SHAPES), choices=SHAPES)
    options = parser.parse_args()
    count = options.messages - options.messages % PER_CASE
    rows = []
    for database in options.databases:
        for shape in options.shapes:
            print(f"{database}, {shape}: {count} e-mails", file=sys.stderr)
            seconds, memory = drain(database, shape, count)
            rate = count / seconds
            rows.append(f"| {database} | {shape} | {count} | {seconds:.1f} s | {rate:.0f}/s | {memory:.0f} MB |")
    print(
        "\n".join(
            [
                "",
                "## The outbox drained by one worker (bench/outbox_drain.py)",
                "",
                f"- Date: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC",
                f"- Machine: {machine()}",
                "- One `safezones db_worker` (the production worker, started after the backlog was",
                "  queued, so its start-up is counted) and an aiosmtpd server in the benchmark's",
                "  process, both on 127.0.0.1 and on the same cores. Timed until the last e-mail",
                "  arrived at the server.",
                "- Backlogs: *as filed* is three notices per task; *after an outage* is every",
                "  message in tasks of 50; *after an outage, retries queued* gives each message a",
                "  retry task of its own, half of them due and half 1 to 8 minutes ahead, and the",
                "  first message delivered brings the others forward.",
                "",
                "| database | backlog | e-mails | time | rate | worker memory at the end |",
                "| --- | --- | --- | --- | --- | --- |",
                *rows,
                "",
            ]
        )
    )


if __name__ == "__main__":
    main()
