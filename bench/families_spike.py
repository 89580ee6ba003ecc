"""A spike of families: the public family pages and report submissions under
rising concurrency, with the production server, on SQLite and on PostgreSQL.

Goals (issue 4): public pages at 1,000 requests/s or more, submissions at 200/s
or more with p99 at most 300 ms, each web worker at most 150 MB resident. Each
figure is also given as a share of /livez (a bare view) measured in the same
run at the same concurrency, which says how much of the ceiling is the page
and how much is the server and the machine.

Each database runs in a child process (Django's settings are fixed once a
process has started): a fresh SQLite file in a temporary folder, and a
PostgreSQL database `bench_families` created for the run and dropped after it.
The server is gunicorn with the arguments `safezones serve` gives it
(2 workers), bound to 127.0.0.1, with the per-client limits on family forms
lifted (every request here comes from one address). The load generator runs
on the same machine and shares its cores. Prints a Markdown section for
docs/benchmarks.md; progress goes to stderr.

    .venv/bin/python bench/families_spike.py [--databases sqlite postgres] [--requests 600] [--redis URL]

BENCH_POSTGRES_URL names the PostgreSQL server's maintenance database
(default postgres://postgres@127.0.0.1:5432/postgres).
"""

import argparse
import json
import os
import platform
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

from scratch import postgres, postgres_url, stop_with_parent

BENCH_DATABASE = "bench_families"
POSTGRES_URL = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres")
CONCURRENCY = (1, 8, 32)
WORKERS = 2
AREAS, SCHOOLS_PER_AREA = 10, 20
AREA_OFFICE_MEMBERS, DISTRICT_OFFICE_MEMBERS = 2, 2  # each told of every report in their scope
GOAL_PAGES, GOAL_SUBMISSIONS, GOAL_P99_MS, GOAL_RSS_MB = 1_000, 200, 300, 150


@dataclass
class Row:
    what: str
    clients: int
    requests: int
    rate: float
    p50: float
    p99: float
    livez_share: float  # this rate / the /livez rate at the same concurrency
    errors: int


@dataclass
class RunResult:
    database: str
    version: str
    schools: int
    rows: list[Row]
    rss_mb: int
    told: int  # cases whose offices the worker told after the spike
    told_seconds: float


# --- The parent: one child per database, then the report ---------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--databases", nargs="+", choices=["sqlite", "postgres"], default=["sqlite", "postgres"])
    parser.add_argument("--requests", type=int, default=600, help="requests per page and concurrency")
    parser.add_argument(
        "--redis",
        metavar="URL",
        help="also give the server this Redis database (emptied before and after) for its cache, "
        "as a deployment with Redis runs; e.g. redis://127.0.0.1:6379/15",
    )
    parser.add_argument("--child", choices=["sqlite", "postgres"], help=argparse.SUPPRESS)
    parser.add_argument("--result", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        run_child(args.requests, Path(args.result))
        return
    results = [run_in_child(database, args.requests, args.redis) for database in args.databases]
    print(report(results))


def run_in_child(database: str, requests: int, redis_url: str | None = None) -> RunResult:
    folder = Path(tempfile.mkdtemp(prefix="safezones-bench-families-"))
    result_file = folder / "result.json"
    env = {key: value for key, value in os.environ.items() if key not in ("DATABASE_URL", "REDIS_URL")}
    # One client address sends everything here, so lift the per-client caps.
    env.update(FAMILY_SUBMISSIONS_PER_HOUR="100000000", RECEIPT_LOOKUPS_PER_MINUTE="100000000")
    if database == "postgres":
        postgres(POSTGRES_URL, f"DROP DATABASE IF EXISTS {BENCH_DATABASE} WITH (FORCE)")
        postgres(POSTGRES_URL, f"CREATE DATABASE {BENCH_DATABASE}")
        env["DATABASE_URL"] = postgres_url(POSTGRES_URL, BENCH_DATABASE)
    if redis_url:
        _empty_redis(redis_url)
        env["REDIS_URL"] = redis_url
    try:
        command = [sys.executable, __file__, "--child", database, "--requests", str(requests)]
        subprocess.run([*command, "--result", str(result_file)], env=env, check=True, preexec_fn=stop_with_parent)
        data = json.loads(result_file.read_text())
    finally:
        shutil.rmtree(folder, ignore_errors=True)
        if database == "postgres":
            postgres(POSTGRES_URL, f"DROP DATABASE IF EXISTS {BENCH_DATABASE} WITH (FORCE)")
        if redis_url:
            _empty_redis(redis_url)
    rows = [Row(**row) for row in data.pop("rows")]
    if redis_url:
        data["database"] += " + redis"
    return RunResult(**data, rows=rows)


def _empty_redis(url: str) -> None:
    import redis

    redis.Redis.from_url(url).flushdb()


def report(results: list[RunResult]) -> str:
    from run import machine  # the machine line bench/run.py writes

    lines = [
        "",
        "## Families spike",
        "",
        f"Written by `bench/families_spike.py` on {datetime.now(UTC):%Y-%m-%d %H:%M} UTC.",
        f"Machine: {machine()}. Python {platform.python_version()}.",
        "",
        f"gunicorn with the arguments `safezones serve` gives it ({WORKERS} workers), on 127.0.0.1; the load",
        "generator (Python threads, one connection per request) runs on the same cores. Pages are asked",
        "for as a Spanish-speaking visitor without cookies; submissions are `POST /api/v1/family/reports`",
        f"with a 240-character description, each queueing the task that tells the {AREA_OFFICE_MEMBERS} members of",
        f"its area office and the {DISTRICT_OFFICE_MEMBERS} of the district office. "
        f"{AREAS * SCHOOLS_PER_AREA} schools. *vs /livez* is the page's rate",
        "as a share of a bare view's rate at the same concurrency in the same run.",
        f"Goals: public pages ≥ {GOAL_PAGES:,} requests/s; submissions ≥ {GOAL_SUBMISSIONS}/s with p99 ≤ "
        f"{GOAL_P99_MS} ms; each web worker ≤ {GOAL_RSS_MB} MB resident.",
        "",
        "| database | what | clients | requests | rate | p50 | p99 | vs /livez | errors |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for result in results:
        for row in result.rows:
            lines.append(
                f"| {result.database} | {row.what} | {row.clients} | {row.requests:,} | {row.rate:,.0f}/s | "
                f"{row.p50:.1f} ms | {row.p99:.1f} ms | {row.livez_share:.0%} | {row.errors} |"
            )
    lines.append("")
    for result in results:
        pages = [row for row in result.rows if row.what.startswith("GET /help") or row.what.startswith("GET /schools")]
        posts = [row for row in result.rows if row.what.startswith("POST")]
        best_page = min((max(r.rate for r in pages if r.what == what) for what in {r.what for r in pages}), default=0)
        best_post = max(posts, key=lambda row: row.rate)
        pages_met = "met" if best_page >= GOAL_PAGES else "missed"
        posts_met = "met" if best_post.rate >= GOAL_SUBMISSIONS and best_post.p99 <= GOAL_P99_MS else "missed"
        rss_met = "met" if result.rss_mb <= GOAL_RSS_MB else "missed"
        lines.append(
            f"- {result.database} {result.version}: slowest public page at its best concurrency "
            f"{best_page:,.0f}/s (goal {pages_met}); submissions at best {best_post.rate:,.0f}/s with p99 "
            f"{best_post.p99:.0f} ms at {best_post.clients} clients (goal {posts_met}); largest web worker "
            f"{result.rss_mb} MB resident after the run (goal {rss_met}). The task worker, which does not run "
            f"during the spike, then told the offices of its {result.told:,} cases in {result.told_seconds:.1f} s "
            f"({result.told / max(result.told_seconds, 1e-9):,.0f} cases/s in one process)."
        )
    lines.append("")
    return "\n".join(lines)


# --- The child: one database, served and measured -------------------------------------------


def run_child(requests: int, result_file: Path) -> None:
    # Importing bench/run.py sets Django up on a fresh temporary data folder
    # (the SQLite file lives there) and lends its helpers.
    import run
    from django.core.management import call_command
    from django.db import connection

    from safezones.management.commands.serve import Command, _start
    from safezones.schools.actions import create_area, set_district
    from safezones.schools.models import School

    call_command("prepare", verbosity=0)
    district = set_district(None, name="Spike District", time_zone="America/Los_Angeles", policy_reference="REF-1")
    for a in range(AREAS):
        area = create_area(None, district, code=f"AREA{a:02d}", name=f"Area {a}")
        School.objects.bulk_create(
            School(area=area, code=f"S{a:02d}{n:02d}", name=f"Spike School {a}-{n}", languages=["en", "es"])
            for n in range(SCHOOLS_PER_AREA)
        )
        for n in range(AREA_OFFICE_MEMBERS):
            _office_member(f"area{a}-{n}@spike.example", "area_office", area)
    for n in range(DISTRICT_OFFICE_MEMBERS):
        _office_member(f"district-{n}@spike.example", "district_office", None)
    school = School.objects.order_by("code").values_list("code", flat=True)[0]
    version = _database_version()
    connection.close()

    port = 18000 + secrets.randbelow(1000)
    base = f"http://127.0.0.1:{port}"
    server = _start(Command()._gunicorn(f"127.0.0.1:{port}", WORKERS))
    rows: list[Row] = []
    try:
        run._wait_for(f"{base}/livez")
        pages = ["/livez", "/help/", "/help/request/", f"/schools/{school}/"]
        body = json.dumps({"school": school, "language": "es", "kind": "other", "description": "spike " * 40})
        for clients in CONCURRENCY:
            livez = 0.0
            for path in pages:
                _log(f"GET {path} with {clients} clients")
                _get(f"{base}{path}", 20, clients)  # warm-up
                rate, p50, p99, errors = _get(f"{base}{path}", requests, clients)
                livez = rate if path == "/livez" else livez
                rows.append(Row(f"GET {path}", clients, requests, rate, p50, p99, rate / livez, errors))
            count = max(100, requests // 2)
            _log(f"POST reports with {clients} clients")
            rate, p50, p99, errors = _post(f"{base}/api/v1/family/reports", body.encode(), count, clients)
            rows.append(Row("POST /api/v1/family/reports", clients, count, rate, p50, p99, rate / livez, errors))
        rss = run._largest_worker_rss(server.pid)
    finally:
        server.terminate()
        server.wait(timeout=30)
    told, told_seconds = _tell_offices()
    result = RunResult(
        database=connection.vendor,
        version=version,
        schools=AREAS * SCHOOLS_PER_AREA,
        rows=rows,
        rss_mb=rss,
        told=told,
        told_seconds=told_seconds,
    )
    result_file.write_text(json.dumps(asdict(result)))


def _tell_offices() -> tuple[int, float]:
    """The worker's part of each submission, which the spike leaves queued:
    the notices to the case's offices, told here case by case in one process
    as the worker's tasks would. (How many cases, seconds.)"""
    from django_tasks_db.models import DBTaskResult

    from safezones.families.actions import tell_offices

    queued = DBTaskResult.objects.filter(task_path="safezones.families.tasks.tell_offices")
    cases = [result.args_kwargs["args"][0] for result in queued]
    start = time.perf_counter()
    for case_id in cases:
        tell_offices(case_id)
    return len(cases), time.perf_counter() - start


def _office_member(email: str, role: str, area) -> None:  # type: ignore[no-untyped-def]
    from safezones.accounts.actions import create_user, grant_role

    user, _password = create_user(None, "bench", email=email, password=secrets.token_urlsafe(16))
    grant_role(None, "bench", user, role, area=area)


def _database_version() -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
        else:
            cursor.execute("select sqlite_version()")
        return str(cursor.fetchone()[0]).split()[0]


def _get(url: str, requests: int, clients: int) -> tuple[float, float, float, int]:
    headers = {"Accept-Language": "es"}

    def one(_: int) -> tuple[float, bool]:
        request = urllib.request.Request(url, headers=headers)  # noqa: S310 - loopback only
        start = time.perf_counter()
        try:
            with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 - loopback only
                response.read()
                ok = response.status == 200
        except OSError:
            ok = False
        return time.perf_counter() - start, ok

    return _measure(one, requests, clients)


def _post(url: str, body: bytes, requests: int, clients: int) -> tuple[float, float, float, int]:
    headers = {"Content-Type": "application/json"}

    def one(_: int) -> tuple[float, bool]:
        request = urllib.request.Request(url, data=body, headers=headers, method="POST")  # noqa: S310 - loopback only
        start = time.perf_counter()
        try:
            with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 - loopback only
                response.read()
                ok = response.status == 201
        except OSError:
            ok = False
        return time.perf_counter() - start, ok

    return _measure(one, requests, clients)


def _measure(one, requests: int, clients: int) -> tuple[float, float, float, int]:  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    with ThreadPoolExecutor(clients) as pool:
        answers = list(pool.map(one, range(requests)))
    seconds = time.perf_counter() - start
    latencies = sorted(latency for latency, _ok in answers)
    errors = sum(1 for _latency, ok in answers if not ok)
    p99 = latencies[max(0, -(-len(latencies) * 99 // 100) - 1)]
    return requests / seconds, statistics.median(latencies) * 1000, p99 * 1000, errors


def _log(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


if __name__ == "__main__":
    main()
