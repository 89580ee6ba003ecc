"""Benchmarks for the foundation: audit log, school import, scope queries and
HTTP pages under the production server. Writes docs/benchmarks.md.

Runs against a throwaway SQLite database in a temporary folder, or against
PostgreSQL when DATABASE_URL points at one (a fresh database is not created:
use a scratch database).
"""

import json
import os
import platform
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = tempfile.mkdtemp(prefix="safezones-bench-")
os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(64))
os.environ.setdefault("SAFEZONES_HTTPS", "false")
os.environ["SAFEZONES_DATA_DIR"] = DATA_DIR
os.environ["DJANGO_SETTINGS_MODULE"] = "safezones.settings"

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402

from safezones.audit.actions import record  # noqa: E402
from safezones.audit.queries import verify_chain  # noqa: E402
from safezones.schools import access  # noqa: E402
from safezones.schools.access import Capability  # noqa: E402
from safezones.schools.actions import import_schools, set_district  # noqa: E402
from safezones.schools.models import Area, Membership, Role, School  # noqa: E402
from safezones.schools.roster import parse_roster  # noqa: E402

RESULTS: list[tuple[str, str, str]] = []


def timed(label: str, unit: str, count: int, fn) -> None:  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    fn()
    seconds = time.perf_counter() - start
    RESULTS.append((label, f"{count / seconds:,.0f} {unit}/s", f"{seconds:.2f} s for {count:,}"))


def bench_audit() -> None:
    timed("audit: append, one commit each", "events", 500, lambda: [record(None, "bench.single") for _ in range(500)])

    def batch() -> None:
        with transaction.atomic():
            for _ in range(20_000):
                record(None, "bench.batch", object_type="bench.thing", object_id="1")

    timed("audit: append inside one transaction", "events", 20_000, batch)
    count = verify_chain()[0]
    timed("audit: verify the chain", "events", count, verify_chain)


def roster_csv(rows: int) -> bytes:
    lines = ["code,name,area,address,languages"]
    lines += [f"B{n:05d},Bench School {n},Area {n % 25},{n} Bench Street,en;es;ko" for n in range(rows)]
    return ("\n".join(lines) + "\n").encode()


def bench_import() -> None:
    district = set_district(None, name="Bench District", time_zone="America/Los_Angeles")
    data = roster_csv(2_000)
    timed("schools file: parse and validate", "rows", 2_000, lambda: parse_roster(data))
    rows = parse_roster(data).rows
    timed("schools file: first import", "rows", 2_000, lambda: import_schools(None, district, rows))
    timed("schools file: re-import, unchanged", "rows", 2_000, lambda: import_schools(None, district, rows))


def bench_scope() -> None:
    from safezones.accounts.models import User

    user = User.objects.create(email="bench-area@bench.test")
    Membership.objects.create(user=user, role=Role.AREA_OFFICE, area=Area.objects.first())

    def scoped() -> None:
        for _ in range(500):
            fresh = User.objects.get(pk=user.pk)
            list(access.schools_with(fresh, Capability.VIEW_SCHOOL))

    timed("scope: an area office's schools (fresh user each time)", "lookups", 500, scoped)
    school = School.objects.filter(area=Area.objects.first()).first()
    assert school is not None
    timed(
        "scope: get_school for an area office",
        "lookups",
        2_000,
        lambda: [access.get_school(User.objects.get(pk=user.pk), school.code) for _ in range(2_000)],
    )


def bench_http() -> None:
    port = 18000 + secrets.randbelow(1000)
    # One client address sends everything here, so lift the per-client caps.
    env = {**os.environ, "FAMILY_SUBMISSIONS_PER_HOUR": "1000000", "RECEIPT_LOOKUPS_PER_MINUTE": "1000000"}
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "safezones.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
            "--no-control-socket",
            "--log-level",
            "warning",
        ],
        env=env,
    )
    try:
        _wait_for(f"http://127.0.0.1:{port}/healthz")
        for path in ("/livez", "/healthz", "/", "/help/request/", "/accounts/sign-in/"):
            _load(f"http://127.0.0.1:{port}{path}", requests=2_000, concurrency=8, label=path)
        _load_submissions(f"http://127.0.0.1:{port}/api/v1/family/reports", requests=1_000, concurrency=8)
        RESULTS.append(("web worker memory (resident, largest)", f"{_largest_worker_rss(server.pid)} MiB", ""))
    finally:
        server.terminate()
        server.wait(timeout=20)


def _load_submissions(url: str, requests: int, concurrency: int) -> None:
    school = School.objects.order_by("code").values_list("code", flat=True).first()
    body = json.dumps({"school": school, "language": "es", "kind": "other", "description": "bench " * 40}).encode()

    def one(_: int) -> float:
        start = time.perf_counter()
        headers = {"Content-Type": "application/json"}
        request = urllib.request.Request(url, data=body, headers=headers, method="POST")  # noqa: S310 - loopback only
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 - loopback only
            response.read()
            if response.status != 201:
                raise RuntimeError(f"submission answered {response.status}")
        return time.perf_counter() - start

    _measure(one, requests, concurrency, f"HTTP POST family report (gunicorn, 2 workers, {concurrency} clients)")


def _largest_worker_rss(master_pid: int) -> int:
    return max(_worker_rss(master_pid), default=0)


def _worker_rss(master_pid: int) -> list[int]:
    """The resident memory of each of the server's workers (the master's children), in MiB."""
    children = Path(f"/proc/{master_pid}/task/{master_pid}/children")
    pids = children.read_text().split() if children.exists() else []
    sizes = []
    for pid in pids:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                sizes.append(int(line.split()[1]) // 1024)
    return sizes


def _wait_for(url: str) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2):  # noqa: S310 - loopback only
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"the server did not answer at {url}")


def _load(url: str, requests: int, concurrency: int, label: str) -> None:
    def one(_: int) -> float:
        start = time.perf_counter()
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 - loopback only
            response.read()
        return time.perf_counter() - start

    _measure(one, requests, concurrency, f"HTTP GET {label} (gunicorn, 2 workers, {concurrency} clients)")


def _measure(one: Callable[[int], float], requests: int, concurrency: int, label: str) -> None:
    start = time.perf_counter()
    with ThreadPoolExecutor(concurrency) as pool:
        latencies = sorted(pool.map(one, range(requests)))
    seconds = time.perf_counter() - start
    p50 = statistics.median(latencies) * 1000
    p99 = latencies[int(len(latencies) * 0.99) - 1] * 1000
    RESULTS.append(
        (
            label,
            f"{requests / seconds:,.0f} req/s",
            f"p50 {p50:.1f} ms, p99 {p99:.1f} ms",
        )
    )


def machine() -> str:
    cpu = "unknown CPU"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    memory = ""
    meminfo = Path("/proc/meminfo")
    if meminfo.exists():
        kib = int(meminfo.read_text().split()[1])
        memory = f", {kib / 1024 / 1024:.0f} GiB memory"
    return f"{platform.system()} {platform.machine()}, {cpu}, {os.cpu_count()} cores{memory}"


def write_report() -> None:
    vendor = connection.vendor
    lines = [
        "# Benchmarks",
        "",
        "Written by `make bench` (bench/run.py). Figures are from one run on the machine below;",
        "compare runs on the same machine only.",
        "",
        f"- Date: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC",
        f"- Machine: {machine()}",
        f"- Python {platform.python_version()}, Django {django.get_version()}, database: {vendor}",
        "",
        "| what | rate | detail |",
        "| --- | --- | --- |",
        *[f"| {label} | {rate} | {detail} |" for label, rate, detail in RESULTS],
        "",
    ]
    (ROOT / "docs").mkdir(exist_ok=True)
    (ROOT / "docs" / "benchmarks.md").write_text("\n".join(lines))
    print("\n".join(lines))


def main() -> None:
    call_command("prepare", verbosity=0)
    bench_audit()
    bench_import()
    bench_scope()
    bench_http()
    write_report()


if __name__ == "__main__":
    main()
