"""Families and staff at once: a spike of families on the public pages and
report submissions while staff load the readiness dashboards, served by the
production server with 1, 2 and 4 workers, on SQLite and on PostgreSQL.

For each database and worker count it finds the highest offered rate at which
the p99 of every class of request stays at or under 300 ms, gives p50 and p99
per class at that rate, the same for a bare view (/livez) on the same server
in the same run as the ceiling, and the resident memory of each web worker
after the run.

The load is open-loop: requests arrive at random (Poisson) times at a target
rate, whatever the server's answers, from a pool of client threads; each
latency counts from the moment the request was due, so waiting for a free
client thread or connection counts against the server as it would for a real
visitor. The rate starts low and doubles until a step misses, then is refined
by halving the gap three times between the last step that met the goal and
the first that missed. A request that fails or gets no answer in time counts
as infinitely slow.

Each database is filled once in a child process (Django's settings are fixed
once a process has started) with the readiness benchmark's district at a
smaller size, and each worker count is served from a fresh copy of it: a copy
of the SQLite file in a temporary folder, or a PostgreSQL database
`bench_mixed_served` made from the template `bench_mixed`; both are dropped
after the run. The server is gunicorn with the arguments `safezones serve`
gives it, bound to 127.0.0.1, with the per-client limits on family forms
lifted (every request here comes from one address). The load generator runs
on the same machine and shares its cores. Prints a Markdown section for
docs/benchmarks.md; progress goes to stderr.

    .venv/bin/python bench/mixed_load.py [--databases sqlite postgres] [--workers 1 2 4]
        [--seconds-per-step 20] [--schools 300]

BENCH_POSTGRES_URL names the PostgreSQL server's maintenance database
(default postgres://postgres@127.0.0.1:5432/postgres).
"""

import argparse
import http.client
import json
import math
import os
import platform
import random
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor, wait
from contextlib import closing
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from scratch import postgres, postgres_url, stop_with_parent

import readiness

BENCH_DATABASE = "bench_mixed"
SERVED_DATABASE = "bench_mixed_served"
POSTGRES_URL = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres")
GOAL_P99_MS = 300
CASES_PER_SCHOOL = 50  # as the readiness benchmark's district: 50,000 cases for 1,000 schools

# The mix: for each class, its requests and each one's share of all requests (in %).
FAMILY_PAGES, FAMILY_REPORTS, STAFF_DASHBOARDS, LIVEZ = "family pages", "family reports", "staff dashboards", "/livez"
MIX = (
    (FAMILY_PAGES, (("GET /help/", 15), ("GET /help/request/", 15), ("GET /schools/<code>/", 40))),
    (FAMILY_REPORTS, (("POST /api/v1/family/reports", 20),)),
    (STAFF_DASHBOARDS, (("GET /staff/readiness/", 3), ("GET /staff/readiness/areas/<code>/", 7))),
)
CLASSES = tuple(kind for kind, _requests in MIX)

FIRST_MIX_RATE = 2.0  # requests per second
FIRST_LIVEZ_RATE = 16.0
LAST_RATE = 4096.0
REFINEMENTS = 3
MAX_STEPS = 16  # per search: doublings and refinements together
CLIENT_THREADS = 128
REQUEST_TIMEOUT = 10.0  # seconds, per socket operation
WARM_UP = 5  # sequential requests of each kind before the first step


@dataclass
class ClassFigures:
    requests: int
    errors: int
    p50: float  # ms; infinite when more than half failed
    p99: float


@dataclass
class Step:
    rate: float  # offered, requests per second
    served: float  # answered as expected, per second
    classes: dict[str, ClassFigures]

    @property
    def met(self) -> bool:
        return all(figures.p99 <= GOAL_P99_MS for figures in self.classes.values())

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "Step":
        classes = {name: ClassFigures(**figures) for name, figures in data["classes"].items()}
        return cls(rate=data["rate"], served=data["served"], classes=classes)


@dataclass
class Search:
    best: Step | None = None  # the highest rate that met the goal
    missed: Step | None = None  # the lowest rate that missed it
    steps: list[Step] = field(default_factory=list)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "Search":
        def step(value: dict[str, Any] | None) -> Step | None:
            return Step.from_json(value) if value is not None else None

        return cls(step(data["best"]), step(data["missed"]), [Step.from_json(s) for s in data["steps"]])


@dataclass
class Served:
    workers: int
    mix: Search
    livez: Search
    rss_mib: list[int]  # each worker's resident memory after the run

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "Served":
        return cls(data["workers"], Search.from_json(data["mix"]), Search.from_json(data["livez"]), data["rss_mib"])


@dataclass
class RunResult:
    database: str
    version: str
    fill_seconds: float
    rows: dict[str, int]
    area_schools: int
    runs: list[Served]


# --- The parent: one child per database, then the report ---------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--databases", nargs="+", choices=["sqlite", "postgres"], default=["sqlite", "postgres"])
    parser.add_argument("--workers", nargs="+", type=int, default=[1, 2, 4], help="web worker counts to serve with")
    parser.add_argument("--seconds-per-step", type=float, default=20.0, help="how long each offered rate is held")
    parser.add_argument("--schools", type=int, default=300, help="schools in the district (in 25 areas)")
    parser.add_argument("--child", choices=["sqlite", "postgres"], help=argparse.SUPPRESS)
    parser.add_argument("--result", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.schools < 25 or any(workers < 1 for workers in args.workers) or args.seconds_per_step <= 0:
        parser.error("at least 25 schools (one an area), at least 1 worker and a positive step length")
    if args.child:
        run_child(args.workers, args.seconds_per_step, args.schools, Path(args.result))
        return
    results = [run_in_child(database, args) for database in args.databases]
    print(report(results, args.seconds_per_step))


def run_in_child(database: str, args: argparse.Namespace) -> RunResult:
    folder = Path(tempfile.mkdtemp(prefix="safezones-bench-mixed-"))
    result_file = folder / "result.json"
    env = {key: value for key, value in os.environ.items() if key not in ("DATABASE_URL", "REDIS_URL")}
    # One client address sends everything here, so lift the per-client caps.
    env.update(FAMILY_SUBMISSIONS_PER_HOUR="100000000", RECEIPT_LOOKUPS_PER_MINUTE="100000000")
    if database == "postgres":
        _drop_postgres()
        postgres(POSTGRES_URL, f"CREATE DATABASE {BENCH_DATABASE}")
        env["DATABASE_URL"] = postgres_url(POSTGRES_URL, BENCH_DATABASE)
    # A generous bound on the whole child: filling, and every step of every search at its longest.
    per_step = args.seconds_per_step + 2 * REQUEST_TIMEOUT + 40
    timeout = 3600 + len(args.workers) * 2 * MAX_STEPS * per_step
    try:
        command = [sys.executable, __file__, "--child", database, "--workers", *map(str, args.workers)]
        command += ["--seconds-per-step", str(args.seconds_per_step), "--schools", str(args.schools)]
        subprocess.run(
            [*command, "--result", str(result_file)],
            env=env,
            check=True,
            timeout=timeout,
            preexec_fn=stop_with_parent,
        )
        data = json.loads(result_file.read_text())
    finally:
        shutil.rmtree(folder, ignore_errors=True)
        if database == "postgres":
            _drop_postgres()
    runs = [Served.from_json(run) for run in data.pop("runs")]
    return RunResult(**data, runs=runs)


def _drop_postgres() -> None:
    for name in (SERVED_DATABASE, BENCH_DATABASE):
        postgres(POSTGRES_URL, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def report(results: list[RunResult], seconds_per_step: float) -> str:
    import django
    import run  # for the machine line bench/run.py writes; importing it makes a data folder

    shutil.rmtree(run.DATA_DIR, ignore_errors=True)
    first = results[0] if results else None
    size = ", ".join(f"{count:,} {name}" for name, count in first.rows.items()) if first else "nothing"
    area_schools = first.area_schools if first else 0
    mix = [
        f"{kind} {sum(share for _what, share in requests)}% "
        f"({', '.join(f'`{what}` {share}%' for what, share in requests)})"
        for kind, requests in MIX
    ]
    lines = [
        "",
        "## Families and staff at once (bench/mixed_load.py)",
        "",
        f"Written by `bench/mixed_load.py` on {datetime.now(UTC):%Y-%m-%d %H:%M} UTC.",
        f"Machine: {run.machine()}. Python {platform.python_version()}, Django {django.get_version()}.",
        "",
        "The mix, as shares of all requests:",
        ";\n".join(mix) + ".",
        "So 90% families (without cookies, half asking in Spanish and half in English, a school page for",
        "any school at random, submissions with a 240-character description) and 10% staff signed in as",
        f"the district office (the district dashboard, or an area's dashboard at random, {area_schools} schools each).",
        f"The district is filled once per database as bench/readiness.py fills it, at a smaller size: {size}.",
        "",
        "gunicorn with the arguments `safezones serve` gives it, on 127.0.0.1, serving a fresh copy of the",
        "district for each worker count; the load generator (Python threads, one connection per request)",
        "runs on the same cores. Requests arrive at random (Poisson) times at the offered rate whatever the",
        "answers, and each latency counts from when the request was due, so a wait for a free client thread",
        f"counts too. Each rate is held for {seconds_per_step:g} s; it doubles from {FIRST_MIX_RATE:g}/s until a",
        f"step misses, then the gap is halved {REFINEMENTS} times. *Highest rate* is the highest offered rate",
        f"at which every class's p99 was ≤ {GOAL_P99_MS} ms (a failed or unanswered request counts as infinitely",
        "slow), with the requests answered per second at it; the p50 / p99 per class are at that rate.",
        "*/livez ceiling* is the same search for a bare view alone on the same server in the same run.",
        "Memory is each web worker's resident size after the run: the largest, and all workers together.",
        "",
        f"| database | workers | highest rate, p99 ≤ {GOAL_P99_MS} ms | family pages p50 / p99 | "
        "family reports p50 / p99 | staff dashboards p50 / p99 | /livez ceiling | memory per worker |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for result in results:
        for served in result.runs:
            best, missed = served.mix.best, served.mix.missed
            at = best or missed  # when no rate met the goal, the figures where it first missed
            if best is not None:
                rate = f"{best.rate:g}/s ({best.served:,.0f}/s answered)"
            else:
                rate = f"none (missed at {missed.rate:g}/s)" if missed else "none"
            figures = [_pair(at.classes[kind]) if at and kind in at.classes else "" for kind in CLASSES]
            livez = served.livez.best
            ceiling = f"{livez.rate:g}/s ({livez.served:,.0f}/s answered)" if livez else "none"
            memory = f"{max(served.rss_mib, default=0)} MiB largest, {sum(served.rss_mib)} MiB together"
            lines.append(
                f"| {result.database} | {served.workers} | {rate} | {' | '.join(figures)} | {ceiling} | {memory} |"
            )
    lines.append("")
    for result in results:
        lines.append(f"- {result.database} {result.version}: filled in {result.fill_seconds:.0f} s.")
        for served in result.runs:
            stories = f"{_story(served.mix, 'the mix')} {_story(served.livez, '/livez')}"
            lines.append(f"  - {_workers(served.workers)}: {stories}")
    lines.append("")
    return "\n".join(lines)


def _workers(count: int) -> str:
    return f"{count} worker" if count == 1 else f"{count} workers"


def _pair(figures: ClassFigures) -> str:
    return f"{_ms(figures.p50)} / {_ms(figures.p99)}"


def _ms(value: float) -> str:
    return f"{value:,.0f} ms" if math.isfinite(value) else "no answer"


def _story(search: Search, what: str) -> str:
    """Where the search for WHAT met the goal and where it stopped meeting it."""
    best, missed = search.best, search.missed
    met = ""
    if best:
        counts = ", ".join(
            f"{figures.requests:,} {'requests' if kind == LIVEZ else kind}" for kind, figures in best.classes.items()
        )
        errors = sum(figures.errors for figures in best.classes.values())
        met = f"met the goal at {best.rate:g}/s ({counts}; {errors} failed)"
    if missed:
        kind, worst = max(missed.classes.items(), key=lambda item: item[1].p99)
        miss = f"missed at {missed.rate:g}/s ({kind} p99 {_ms(worst.p99)})"
        return f"{what} {met} and {miss}." if best else f"{what} {miss}, the lowest rate tried."
    return f"{what} {met}, the highest rate tried." if best else f"{what}: no step ran."


# --- The child: fill one database, then serve copies of it and measure ----------------------


def run_child(worker_counts: list[int], seconds: float, schools: int, result_file: Path) -> None:
    # Importing bench/run.py sets Django up on a fresh temporary data folder
    # (the SQLite file lives there) and lends its helpers.
    import run

    try:
        from django.core.management import call_command
        from django.db import connection

        from safezones.schools.models import Area, School

        call_command("prepare", verbosity=0)
        started = time.perf_counter()
        world = readiness.fill(schools, schools * CASES_PER_SCHOOL)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:  # what autovacuum does soon after a load like this
                cursor.execute("VACUUM ANALYZE")
        fill_seconds = time.perf_counter() - started
        _log(f"filled in {fill_seconds:.0f} s: {world.rows}")
        school_codes = list(School.objects.order_by("code").values_list("code", flat=True))
        area_codes = list(Area.objects.order_by("code").values_list("code", flat=True))
        version = readiness._database_version()
        vendor = connection.vendor
        runs = []
        for workers in worker_counts:
            cookie = _fresh_session()  # sessions lapse after 30 idle minutes; each copy gets a new one
            connection.close()  # PostgreSQL copies a template only while nobody is connected to it
            runs.append(serve_and_measure(run, vendor, workers, seconds, _asks(school_codes, area_codes, cookie)))
        result = RunResult(vendor, version, fill_seconds, world.rows, world.area_schools, runs)
        result_file.write_text(json.dumps(asdict(result)))
    finally:
        shutil.rmtree(run.DATA_DIR, ignore_errors=True)


def _fresh_session() -> str:
    from safezones.accounts.models import User

    district_office = User.objects.get(email="district@bench.test")  # as readiness.fill made it
    return readiness._signed_in(district_office)


@dataclass(frozen=True)
class Ask:
    kind: str
    method: str
    path: str
    headers: dict[str, str]
    body: bytes | None
    expect: int


Maker = Callable[[random.Random], Ask]  # makes one request of a kind, choosing its school or area


def _asks(school_codes: list[str], area_codes: list[str], cookie: str) -> dict[str, Maker]:
    """For each line of the mix, how to make one of its requests."""
    from django.conf import settings

    staff = {"Cookie": f"{settings.SESSION_COOKIE_NAME}={cookie}"}
    json_body = {"Content-Type": "application/json"}

    def family(randomness: random.Random) -> dict[str, str]:
        return {"Accept-Language": randomness.choice(["es", "en"])}

    def submission(randomness: random.Random) -> Ask:
        school = randomness.choice(school_codes)
        language = randomness.choice(["es", "en"])
        body = {"school": school, "language": language, "kind": "other", "description": "spike " * 40}
        return Ask(FAMILY_REPORTS, "POST", "/api/v1/family/reports", json_body, json.dumps(body).encode(), 201)

    return {
        "GET /help/": lambda r: Ask(FAMILY_PAGES, "GET", "/help/", family(r), None, 200),
        "GET /help/request/": lambda r: Ask(FAMILY_PAGES, "GET", "/help/request/", family(r), None, 200),
        "GET /schools/<code>/": lambda r: Ask(
            FAMILY_PAGES, "GET", f"/schools/{r.choice(school_codes)}/", family(r), None, 200
        ),
        "POST /api/v1/family/reports": submission,
        "GET /staff/readiness/": lambda r: Ask(STAFF_DASHBOARDS, "GET", "/staff/readiness/", staff, None, 200),
        "GET /staff/readiness/areas/<code>/": lambda r: Ask(
            STAFF_DASHBOARDS, "GET", f"/staff/readiness/areas/{r.choice(area_codes)}/", staff, None, 200
        ),
        "GET /livez": lambda r: Ask(LIVEZ, "GET", "/livez", {}, None, 200),
    }


def serve_and_measure(run: Any, vendor: str, workers: int, seconds: float, asks: dict[str, Maker]) -> Served:
    """Serve a fresh copy of the filled database with WORKERS workers; search the mix, then /livez."""
    from django.conf import settings
    from django.db import connection

    from safezones.management.commands.serve import Command, _start

    # The server reads its database from the environment it inherits from this process.
    if vendor == "postgresql":
        postgres(POSTGRES_URL, f"DROP DATABASE IF EXISTS {SERVED_DATABASE} WITH (FORCE)")
        postgres(POSTGRES_URL, f"CREATE DATABASE {SERVED_DATABASE} TEMPLATE {BENCH_DATABASE}")
        os.environ["DATABASE_URL"] = postgres_url(POSTGRES_URL, SERVED_DATABASE)
    else:
        copy = Path(run.DATA_DIR) / f"served-{workers}.sqlite3"
        source, target = sqlite3.connect(settings.DATABASES["default"]["NAME"]), sqlite3.connect(copy)
        with closing(source), closing(target):
            source.backup(target)
        os.environ["DATABASE_URL"] = f"sqlite:///{copy}"
    connection.close()

    port = 18000 + random.SystemRandom().randrange(1000)
    base = f"http://127.0.0.1:{port}"
    command = Command()._gunicorn(f"127.0.0.1:{port}", workers)
    server = _start(command)  # as `safezones serve` starts it: it dies with this process
    try:
        run._wait_for(f"{base}/livez")
        for what, make in asks.items():  # the first answers draw templates and fill caches
            for n in range(WARM_UP):
                if not _one(base, make(random.Random(n)), time.perf_counter())[1]:
                    raise RuntimeError(f"{what} did not answer as expected during the warm-up")
        mix_load = [[(asks[what], share) for what, share in requests] for _kind, requests in MIX]
        label = f"{vendor}, {_workers(workers)}"
        mix = _search(base, mix_load, FIRST_MIX_RATE, seconds, f"{label}, the mix")
        livez_start = max(FIRST_LIVEZ_RATE, mix.best.rate if mix.best else 0.0)
        livez = _search(base, [[(asks["GET /livez"], 1)]], livez_start, seconds, f"{label}, /livez")
        rss = run._worker_rss(server.pid)
        _log(f"{label}: workers resident {rss} MiB")
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=10)
        if vendor == "postgresql":
            postgres(POSTGRES_URL, f"DROP DATABASE IF EXISTS {SERVED_DATABASE} WITH (FORCE)")
        else:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{copy}{suffix}").unlink(missing_ok=True)
    return Served(workers, mix, livez, rss)


def _search(base: str, load: list[list[tuple[Maker, int]]], first: float, seconds: float, label: str) -> Search:
    """Double the offered rate from FIRST until a step misses, then halve the gap REFINEMENTS times."""
    search = Search()
    deadline = time.monotonic() + MAX_STEPS * (seconds + 2 * REQUEST_TIMEOUT + 40)
    rate = first

    def measure(rate: float) -> Step:
        step = _step(base, load, rate, seconds, seed=len(search.steps))
        search.steps.append(step)
        figures = "; ".join(f"{kind} {_pair(f)} ({f.requests}, {f.errors} failed)" for kind, f in step.classes.items())
        _log(f"{label} at {rate:g}/s: {figures}; answered {step.served:.1f}/s -> {'met' if step.met else 'missed'}")
        _settle(base)
        return step

    while rate <= LAST_RATE and len(search.steps) < MAX_STEPS and time.monotonic() < deadline:
        step = measure(rate)
        if not step.met:
            search.missed = step
            break
        search.best = step
        rate *= 2
    for _ in range(REFINEMENTS):
        if search.missed is None or len(search.steps) >= MAX_STEPS or time.monotonic() >= deadline:
            break
        low = search.best.rate if search.best else search.missed.rate / 2
        rate = round((low + search.missed.rate) / 2, 1)
        if rate <= low:
            break
        step = measure(rate)
        if step.met:
            search.best = step
        else:
            search.missed = step
    return search


def _step(base: str, load: list[list[tuple[Maker, int]]], rate: float, seconds: float, seed: int) -> Step:
    """Offer RATE requests a second, arriving at random times, for SECONDS; wait for the answers.

    LOAD is the classes of request, each a list of (how to make a request, its share of all
    requests). The classes take turns in shuffled blocks that hold each class exactly its share
    (7 family pages, 2 reports and 1 dashboard in every 10 requests of the mix), so even a short
    step has every class in it; within a class the request is drawn at random by share."""
    randomness = random.Random(seed)
    shares = [sum(share for _make, share in requests) for requests in load]
    unit = math.gcd(*shares)
    turns = [n for n, share in enumerate(shares) for _ in range(share // unit)]
    block: list[int] = []
    futures: list[tuple[str, Future[tuple[float, bool]]]] = []
    pool = ThreadPoolExecutor(CLIENT_THREADS)
    start = time.perf_counter() + 0.1
    due = start
    try:
        while True:
            due += randomness.expovariate(rate)
            if due - start >= seconds:
                break
            if not block:
                block = randomness.sample(turns, len(turns))
            requests = load[block.pop()]
            make = randomness.choices([make for make, _share in requests], [share for _make, share in requests])[0]
            ask = make(randomness)
            delay = due - time.perf_counter()
            if delay > 0:
                time.sleep(delay)
            futures.append((ask.kind, pool.submit(_one, base, ask, due)))
        wait([future for _kind, future in futures], timeout=2 * REQUEST_TIMEOUT + 5)
    finally:
        pool.shutdown(wait=False, cancel_futures=True)  # whatever is still queued counts as unanswered
    wait([future for _kind, future in futures if future.running()], timeout=2 * REQUEST_TIMEOUT + 5)
    latencies: dict[str, list[float]] = {}
    errors: dict[str, int] = {}
    answered = 0
    for kind, future in futures:
        finished = future.done() and not future.cancelled() and future.exception() is None
        latency, ok = future.result() if finished else (math.inf, False)
        latencies.setdefault(kind, []).append(latency * 1000 if ok else math.inf)
        errors[kind] = errors.get(kind, 0) + (0 if ok else 1)
        answered += ok
    classes = {}
    for kind, values in sorted(latencies.items(), key=lambda item: (*CLASSES, LIVEZ).index(item[0])):
        values.sort()
        classes[kind] = ClassFigures(
            len(values), errors[kind], statistics.median(values), readiness._percentile(values, 99)
        )
    return Step(rate, answered / seconds, classes)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """A redirect (to the sign-in page, say) is a wrong answer here, not a page to follow."""

    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


_OPENER = urllib.request.build_opener(_NoRedirect)


def _one(base: str, ask: Ask, due: float) -> tuple[float, bool]:
    """One request; how long after it was due the answer was complete, and whether it was the expected one."""
    request = urllib.request.Request(base + ask.path, data=ask.body, headers=ask.headers, method=ask.method)  # noqa: S310 - loopback only
    try:
        with _OPENER.open(request, timeout=REQUEST_TIMEOUT) as response:
            response.read()
            ok = response.status == ask.expect
    except (OSError, http.client.HTTPException):
        ok = False
    return time.perf_counter() - due, ok


def _settle(base: str) -> None:
    """Wait (30 s at most) until the server answers /livez promptly three times running, so the
    requests left over from a step that overloaded it do not weigh on the next one."""
    deadline = time.monotonic() + 30
    prompt = 0
    while prompt < 3 and time.monotonic() < deadline:
        started = time.perf_counter()
        ok = _one(base, Ask(LIVEZ, "GET", "/livez", {}, None, 200), started)[1]
        prompt = prompt + 1 if ok and time.perf_counter() - started < 0.05 else 0
        time.sleep(0.2)
    time.sleep(1)


def _log(text: str) -> None:
    print(f"[mixed load bench] {text}", file=sys.stderr, flush=True)


if __name__ == "__main__":
    main()
