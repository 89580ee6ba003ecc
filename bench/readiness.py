"""The readiness dashboards at the size of a large district: 1,000 schools,
60,000 staff with their training rows, 50,000 family cases, evidence for a
realistic share of the checklist, drills, incidents, records requests and a
daily score since the school year began. Goal: 300 ms of server time or less
per page, on SQLite and on PostgreSQL.

Each database is filled and measured in a child process (Django's settings
are fixed once a process has started): a fresh SQLite file in a temporary
folder, and a PostgreSQL database `bench_readiness` created for the run and
dropped after it. The pages are served by gunicorn with the arguments
`safezones serve` gives it, bound to 127.0.0.1, signed in as the district
office; the server's own time per request comes from its access log (path,
status and microseconds only). Prints a Markdown section for
docs/benchmarks.md; progress goes to stderr.

    .venv/bin/python bench/readiness.py [--databases sqlite postgres] [--requests 120]

BENCH_POSTGRES_URL names the PostgreSQL server's maintenance database
(default postgres://postgres@127.0.0.1:5432/postgres).
"""

import argparse
import json
import os
import platform
import random
import secrets
import shutil
import statistics
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from scratch import postgres, postgres_url, stop_with_parent

ROOT = Path(__file__).resolve().parent.parent
BENCH_DATABASE = "bench_readiness"
POSTGRES_URL = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres")
GOAL_MS = 300

SCHOOLS = 1_000
AREAS = 25
STAFF = 60_000
CASES = 50_000
WARM_UP = 10


@dataclass
class PageResult:
    label: str
    path: str
    schools: int
    queries: int
    requests: int
    p50: float
    p95: float
    p99: float
    client_p50: float
    size_kib: int


@dataclass
class RunResult:
    database: str
    version: str
    fill_seconds: float
    rows: dict[str, int]
    pages: list[PageResult]
    load: float = 0.0  # the machine's load average (1 minute) when the measuring ended


# --- The parent: one child per database, then the report ---------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--databases", nargs="+", choices=["sqlite", "postgres"], default=["sqlite", "postgres"])
    parser.add_argument("--requests", type=int, default=120, help="measured requests per page (after warm-up)")
    parser.add_argument("--child", choices=["sqlite", "postgres"], help=argparse.SUPPRESS)
    parser.add_argument("--result", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        run_child(args.child, args.requests, Path(args.result))
        return
    results = []
    for database in args.databases:
        results.append(run_in_child(database, args.requests))
    print(report(results))


def run_in_child(database: str, requests: int) -> RunResult:
    import tempfile

    folder = Path(tempfile.mkdtemp(prefix="safezones-bench-readiness-"))
    result_file = folder / "result.json"
    env = {key: value for key, value in os.environ.items() if key not in ("DATABASE_URL", "REDIS_URL")}
    if database == "postgres":
        postgres(POSTGRES_URL, f"DROP DATABASE IF EXISTS {BENCH_DATABASE}")
        postgres(POSTGRES_URL, f"CREATE DATABASE {BENCH_DATABASE}")
        env["DATABASE_URL"] = postgres_url(POSTGRES_URL, BENCH_DATABASE)
    try:
        command = [sys.executable, __file__, "--child", database, "--requests", str(requests)]
        subprocess.run([*command, "--result", str(result_file)], env=env, check=True, preexec_fn=stop_with_parent)
        data = json.loads(result_file.read_text())
    finally:
        shutil.rmtree(folder, ignore_errors=True)
        if database == "postgres":
            postgres(POSTGRES_URL, f"DROP DATABASE IF EXISTS {BENCH_DATABASE} WITH (FORCE)")
    pages = [PageResult(**page) for page in data.pop("pages")]
    return RunResult(**data, pages=pages)


def report(results: list[RunResult]) -> str:
    import run  # for the machine line bench/run.py writes; importing it makes a data folder

    shutil.rmtree(run.DATA_DIR, ignore_errors=True)
    machine = run.machine

    lines = [
        "",
        "## Readiness dashboards",
        "",
        f"Written by `bench/readiness.py` on {datetime.now(UTC):%Y-%m-%d %H:%M} UTC.",
        f"Machine: {machine()}. Python {platform.python_version()}.",
        "",
        f"A district of {SCHOOLS:,} schools in {AREAS} areas, {STAFF:,} staff with their training rows and",
        f"{CASES:,} family cases (content sealed as families seals it), evidence for a share of the checklist",
        "that varies by school (some expired, some superseded), drills, incidents, records requests and a",
        "score for every school on every day since the school year began. Signed in as the district office;",
        "gunicorn with the arguments `safezones serve` gives it (2 workers), one request at a time after",
        f"{WARM_UP} warm-up requests. Server time is gunicorn's own (from the start of the request to the",
        "last byte). The training figures are kept in the cache between imports, and an import counts",
        "them again once it commits; *first after an import* is the district dashboard with an import's",
        "step run before each request (the count is the import's, not the page's); *nothing kept* is the",
        "district dashboard with the kept figures set aside and not counted again, as after the cache was",
        f"emptied, so that every request counts the training of {STAFF:,} staff itself. Goal: p99 ≤ {GOAL_MS} ms.",
        "",
        "| database | page | schools | queries | requests | p50 | p95 | p99 | goal | page size |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: |",
    ]
    for result in results:
        for page in result.pages:
            met = "met" if page.p99 <= GOAL_MS else "missed"
            lines.append(
                f"| {result.database} | {page.label} | {page.schools:,} | {page.queries} | {page.requests} | "
                f"{page.p50:.0f} ms | {page.p95:.0f} ms | {page.p99:.0f} ms | {met} | {page.size_kib} KiB |"
            )
    lines.append("")
    for result in results:
        rows = ", ".join(f"{count:,} {name}" for name, count in result.rows.items())
        lines.append(
            f"- {result.database} {result.version}: filled in {result.fill_seconds:.0f} s ({rows}); "
            f"load average {result.load:.1f} when measured."
        )
    lines.append("")
    return "\n".join(lines)


# --- The child: fill one database, serve it, measure ---------------------------------------


def run_child(database: str, requests: int, result_file: Path) -> None:
    # Importing bench/run.py sets Django up on a fresh temporary data folder
    # (the SQLite file lives there) and lends its helpers.
    import run

    try:
        from django.core.management import call_command
        from django.db import connection

        call_command("prepare", verbosity=0)
        start = time.perf_counter()
        world = fill()
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:  # what autovacuum does soon after a load like this
                cursor.execute("VACUUM ANALYZE")
        fill_seconds = time.perf_counter() - start
        from safezones.readiness.queries import training_changed
        from safezones.schools.models import District

        district = District.objects.get()

        def imported() -> None:  # what an import does once it commits
            training_changed(district)

        # The training figures are kept between imports: the third page is
        # the district dashboard as the first reader after an import sees
        # it, the fourth as a reader sees it with nothing kept.
        pages = [
            ("district dashboard", "/staff/readiness/", SCHOOLS, None),
            ("area dashboard", f"/staff/readiness/areas/{world.area_code}/", world.area_schools, None),
            ("district dashboard, first after an import", "/staff/readiness/", SCHOOLS, imported),
            ("district dashboard, nothing kept", "/staff/readiness/", SCHOOLS, training_changed),
        ]
        queries = [count_queries(world.cookie, path, before) for _label, path, _schools, before in pages]
        measured = serve_and_measure(
            run, world.cookie, [(path, before) for _label, path, _schools, before in pages], requests
        )
        result = RunResult(
            database=connection.vendor,
            version=_database_version(),
            fill_seconds=fill_seconds,
            rows=world.rows,
            load=os.getloadavg()[0],
            pages=[
                PageResult(label, path, schools, queries[n], requests, *measured[n])
                for n, (label, path, schools, _before) in enumerate(pages)
            ],
        )
        result_file.write_text(json.dumps(asdict(result)))
    finally:
        shutil.rmtree(run.DATA_DIR, ignore_errors=True)


def _database_version() -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
        else:
            cursor.execute("SELECT sqlite_version()")
        return str(cursor.fetchone()[0]).split()[0]


@dataclass
class Scene:
    randomness: random.Random
    district: Any
    schools: list[Any]
    levels: dict[int, float]  # each school's share of the checklist in place
    today: date
    since: date  # the school year's first day


@dataclass
class World:
    cookie: str
    area_code: str
    area_schools: int
    rows: dict[str, int]


def fill(school_count: int = SCHOOLS, case_count: int = CASES) -> World:
    from django.db import transaction
    from run import roster_csv  # the same schools file bench/run.py imports

    from safezones.readiness.checklist import district_today, school_year_start
    from safezones.readiness.queries import current_checklist
    from safezones.schools.actions import import_schools, set_district
    from safezones.schools.models import Area, School
    from safezones.schools.roster import parse_roster

    randomness = random.Random(6)  # the same district on every run
    district = set_district(None, name="Bench District", time_zone="America/Los_Angeles")
    import_schools(None, district, parse_roster(roster_csv(school_count)).rows)  # in 25 areas
    today = district_today(district)
    since = school_year_start(today, current_checklist(district).starts_month)
    schools = list(School.objects.order_by("code"))
    # Each school's share of the checklist in place: most schools part-way, a few at either end.
    levels = {school.pk: randomness.betavariate(4, 2) for school in schools}
    _log(f"{len(schools):,} schools; filling")
    scene = Scene(randomness, district, schools, levels, today, since)
    with transaction.atomic():
        users = _people(schools)
        _staff(scene)
        _evidence(scene, users)
        _partners(scene)
        _campus(scene)
    _cases(randomness, schools, today, case_count)
    _scores(schools, district, today, since)
    area = Area.objects.order_by("code").first()
    assert area is not None
    return World(
        cookie=_signed_in(users["district"]),
        area_code=area.code,
        area_schools=School.objects.filter(area=area).count(),
        rows=_row_counts(),
    )


def _log(text: str) -> None:
    print(f"[readiness bench] {text}", file=sys.stderr, flush=True)


def _people(schools: list[Any]) -> dict[str, Any]:
    """The district office that reads the dashboards, and a few site
    administrators and area offices whose names stand on evidence."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from safezones.accounts.models import User
    from safezones.schools.models import Area, Membership, Role

    district_office = User.objects.create(email="district@bench.test", name="District office")
    Membership.objects.create(user=district_office, role=Role.DISTRICT_OFFICE)
    TOTPDevice.objects.create(user=district_office, name="bench", confirmed=True)
    admins = User.objects.bulk_create([User(email=f"admin-{n}@bench.test") for n in range(50)])
    Membership.objects.bulk_create(
        [Membership(user=admins[n % 50], role=Role.SITE_ADMIN, school=school) for n, school in enumerate(schools)]
    )
    areas = list(Area.objects.order_by("code"))
    offices = User.objects.bulk_create([User(email=f"area-{n}@bench.test") for n in range(len(areas))])
    Membership.objects.bulk_create(
        [Membership(user=office, role=Role.AREA_OFFICE, area=area) for office, area in zip(offices, areas, strict=True)]
    )
    return {"district": district_office, "admins": admins, "offices": offices}


STAFF_ROLES = (("front_office", 3), ("administrator", 3), ("teacher", 40), ("support", 10), ("other", 4))


def _staff(scene: Scene) -> None:
    from safezones.readiness.models import StaffMember, TrainingCompletion

    randomness, schools, levels, today, since = scene.randomness, scene.schools, scene.levels, scene.today, scene.since
    per_school = STAFF // SCHOOLS
    roles = [role for role, count in STAFF_ROLES for _ in range(count)]
    assert len(roles) == per_school
    members = StaffMember.objects.bulk_create(
        [
            StaffMember(employee_id=f"E{school.pk:05d}{n:03d}", school=school, role=roles[n])
            for school in schools
            for n in range(per_school)
        ],
        batch_size=5_000,
    )
    last_year = since - timedelta(days=365)
    days_so_far = max(1, (today - since).days)
    completions = []
    for member in members:
        share = levels[member.school_id]
        if randomness.random() < (0.98 if member.role == "front_office" else 1.0) * min(1.0, share + 0.15):
            on = since + timedelta(days=randomness.randrange(days_so_far))
            completions.append(TrainingCompletion(staff=member, course="Safe Zones protocol", completed_on=on))
        if randomness.random() < 0.6:
            on = last_year + timedelta(days=randomness.randrange(300))
            completions.append(TrainingCompletion(staff=member, course="Safe Zones protocol", completed_on=on))
        if randomness.random() < 0.5:
            on = last_year + timedelta(days=randomness.randrange(365 + days_so_far))
            completions.append(TrainingCompletion(staff=member, course="Mandated reporting", completed_on=on))
    TrainingCompletion.objects.bulk_create(completions, batch_size=5_000)
    _log(f"{len(members):,} staff, {len(completions):,} training rows")


def _evidence(scene: Scene, users: dict[str, Any]) -> None:
    from safezones.readiness.checklist import expires_on
    from safezones.readiness.models import Evidence
    from safezones.readiness.queries import current_checklist

    randomness, schools, levels, today, since = scene.randomness, scene.schools, scene.levels, scene.today, scene.since
    checklist = current_checklist(scene.district)
    items = [item for item in checklist.items if item.is_attested]
    now = datetime.now(UTC)
    rows = []

    def evidence(school: Any, item: Any, on: date, *, superseded: bool, verified: bool) -> Evidence:
        admin = users["admins"][school.pk % len(users["admins"])]
        attested = datetime.combine(on, datetime.min.time(), tzinfo=UTC) + timedelta(hours=15)
        return Evidence(
            school=school,
            item_key=item.key,
            on=on,
            note="Bench evidence",
            school_year=on.year if on.month >= checklist.starts_month else on.year - 1,
            expires_on=expires_on(item, on, checklist.starts_month),
            attested_by=admin,
            attested_at=attested,
            verified_by=users["offices"][0] if verified else None,
            verified_at=min(now, attested + timedelta(days=3)) if verified else None,
            superseded=superseded,
        )

    for school in schools:
        for item in items:
            last_year = since - timedelta(days=randomness.randrange(30, 300))
            if randomness.random() < levels[school.pk]:
                on = since + timedelta(days=randomness.randrange(max(1, (today - since).days)))
                if randomness.random() < 0.5:
                    rows.append(evidence(school, item, last_year, superseded=True, verified=True))
                rows.append(evidence(school, item, on, superseded=False, verified=randomness.random() < 0.6))
            elif randomness.random() < 0.5:  # last year's word, now expired
                rows.append(evidence(school, item, last_year, superseded=False, verified=True))
    Evidence.objects.bulk_create(rows, batch_size=5_000)
    _log(f"{len(rows):,} evidence rows")


def _partners(scene: Scene) -> None:
    from safezones.families.models import Resource
    from safezones.readiness.models import Partner

    resources = Resource.objects.bulk_create(
        [
            Resource(kind=kind, name=f"Bench {kind} {n}", last_verified=scene.today)
            for kind in ("legal_aid", "rapid_response")
            for n in range(10)
        ]
    )
    schools, levels = scene.schools, scene.levels
    partners = []
    for school in schools:
        chosen = [resources[school.pk % 10]] if levels[school.pk] > 0.3 else []
        if levels[school.pk] > 0.5:
            chosen.append(resources[10 + school.pk % 10])
        partners += [Partner(school=school, resource=resource) for resource in chosen]
    Partner.objects.bulk_create(partners)


def _campus(scene: Scene) -> None:
    """Drills at most schools, a few hundred incidents (most closed) and records requests."""
    from safezones.campus.actions import current_protocol
    from safezones.campus.models import Incident, RecordsRequest

    randomness, schools, levels, today, since = scene.randomness, scene.schools, scene.levels, scene.today, scene.since
    protocol = current_protocol(scene.district)
    start = datetime.combine(since, datetime.min.time(), tzinfo=UTC)
    span = max(1, (today - since).days) * 86_400
    incidents = []
    for school in schools:
        if randomness.random() < levels[school.pk]:
            at = start + timedelta(seconds=randomness.randrange(span))
            incidents.append(
                Incident(school=school, kind="on_campus", drill=True, status="closed", protocol=protocol, started_at=at)
            )
    for _ in range(400):
        at = start - timedelta(days=200) + timedelta(seconds=randomness.randrange(span + 200 * 86_400))
        status = "closed" if randomness.random() < 0.9 else "departed"
        school = randomness.choice(schools)
        incidents.append(Incident(school=school, kind="nearby", status=status, protocol=protocol, started_at=at))
    Incident.objects.bulk_create(incidents)
    statuses = ["blocked", "refused", "withdrawn", "released"]
    RecordsRequest.objects.bulk_create(
        [
            RecordsRequest(
                school=randomness.choice(schools),
                received_at=start + timedelta(seconds=randomness.randrange(span)),
                how="in_person",
                requester="Bench agency",
                sought="records",
                status=randomness.choice(statuses),
            )
            for _ in range(300)
        ]
    )


def _cases(randomness: random.Random, schools: list[Any], today: date, count: int) -> None:
    """Family cases filed over two years, sealed as families seals them: a
    receipt digest under the installation salt, the case key sealed to a key
    derived from the receipt, the content (invented filler) under the case key."""
    from django.db import transaction

    from safezones.families.models import FamilyCase, Need, ReceiptSalt, ReportKind
    from safezones.families.sealing import seal_content
    from safezones.lib import crypto, receipts
    from safezones.lib.dates import add_school_days

    salt_row = ReceiptSalt.objects.first() or ReceiptSalt.objects.create(salt=crypto.new_salt())
    installation_salt = bytes(salt_row.salt)
    needs = [str(need) for need in Need.values]
    report_kinds = [str(kind) for kind in ReportKind.values]
    batch: list[FamilyCase] = []
    for n in range(count):
        received = today - timedelta(days=int(randomness.triangular(0, 730, 0)))
        age = (today - received).days
        done = randomness.random() < (0.95 if age > 60 else 0.4)
        status = randomness.choice(["resolved", "closed"] if done else ["received", "acknowledged", "in_progress"])
        kind = "request" if randomness.random() < 0.7 else "report"
        receipt, data_key = receipts.new_receipt(), crypto.new_key()
        case = FamilyCase(
            kind=kind,
            school=randomness.choice(schools),
            language=randomness.choice(["en", "es", "es", "ko", "vi", "zh"]),
            needs=randomness.sample(needs, 2) if kind == "request" else [],
            report_kind=randomness.choice(report_kinds) if kind == "report" else "",
            status=status,
            received_on=received,
            updated_on=min(today, received + timedelta(days=randomness.randrange(30))),
            receipt_digest=crypto.digest(receipts.normalize(receipt) or receipt, installation_salt, "receipt"),
            salt=crypto.new_salt(),
            acknowledge_by=add_school_days(received, 2),
            resolve_by=add_school_days(received, 10),
        )
        family_key = crypto.derive_key(receipts.normalize(receipt) or receipt, bytes(case.salt), "family")
        case.family_sealed_key = crypto.encrypt(family_key, data_key, f"case:{case.id}:family-key")
        case.content = seal_content(data_key, case, {"description": secrets.token_hex(200)})
        batch.append(case)
        if len(batch) == 5_000 or n == count - 1:
            with transaction.atomic():
                FamilyCase.objects.bulk_create(batch)
            batch = []
    _log(f"{count:,} family cases")


def _scores(schools: list[Any], district: Any, today: date, since: date) -> None:
    """Today's score as the daily task takes it, and one score a day before it
    since the school year began, rising towards today's."""
    from safezones.readiness.actions import take_snapshots
    from safezones.readiness.models import ScoreSnapshot
    from safezones.schools.models import School

    started = time.perf_counter()
    take_snapshots(School.objects.all(), district, today)
    _log(f"today's scores taken in {time.perf_counter() - started:.1f} s")
    current = dict(ScoreSnapshot.objects.filter(on=today).values_list("school_id", "score"))
    days = (today - since).days
    ScoreSnapshot.objects.bulk_create(
        [
            ScoreSnapshot(
                school_id=school.pk,
                on=since + timedelta(days=day),
                score=round(current[school.pk] * (0.4 + 0.6 * day / max(1, days))),
            )
            for school in schools
            for day in range(days)
        ],
        batch_size=5_000,
    )


def _row_counts() -> dict[str, int]:
    from safezones.campus.models import Incident, RecordsRequest
    from safezones.families.models import FamilyCase
    from safezones.readiness.models import Evidence, ScoreSnapshot, StaffMember, TrainingCompletion
    from safezones.schools.models import School

    models: dict[str, Any] = {
        "schools": School,
        "staff": StaffMember,
        "training rows": TrainingCompletion,
        "family cases": FamilyCase,
        "evidence rows": Evidence,
        "incidents and drills": Incident,
        "records requests": RecordsRequest,
        "daily scores": ScoreSnapshot,
    }
    return {name: model.objects.count() for name, model in models.items()}


def _signed_in(user: Any) -> str:
    """A session signed in with password and second factor, as after the real
    sign-in; the value of its cookie."""
    from django.conf import settings
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    client = Client()
    client.force_login(user)
    session = client.session
    device = TOTPDevice.objects.get(user=user, confirmed=True)
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session["last_seen"] = int(time.time())
    session.save()
    return str(client.cookies[settings.SESSION_COOKIE_NAME].value)


def count_queries(cookie: str, path: str, before: Callable[[], None] | None = None) -> int:
    """The queries one request of the page makes (in this process, the same code the server runs),
    with BEFORE called first when given."""
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST="127.0.0.1")
    client.cookies[settings.SESSION_COOKIE_NAME] = cookie
    client.get(path)
    if before is not None:
        before()
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    if response.status_code != 200:
        raise RuntimeError(f"{path} answered {response.status_code}")
    return len(captured)


def serve_and_measure(
    run: Any, cookie: str, pages: list[tuple[str, Callable[[], None] | None]], requests: int
) -> list[tuple[float, float, float, float, int]]:
    """Start gunicorn as `safezones serve` does, on 127.0.0.1, with an access
    log of path, query, status and microseconds; ask for each page (a path,
    and what to call before each request of it, if anything) in turn."""
    from django.conf import settings

    from safezones.management.commands.serve import Command, _start

    port = 18000 + secrets.randbelow(1000)
    log = Path(run.DATA_DIR) / "access.log"
    command = Command()._gunicorn(f"127.0.0.1:{port}", 2)
    command += ["--access-logfile", str(log), "--access-logformat", "%(U)s ?%(q)s %(s)s %(D)s"]
    server = _start(command)
    client: dict[int, list[float]] = {}
    sizes: dict[int, int] = {}
    try:
        run._wait_for(f"http://127.0.0.1:{port}/livez")
        headers = {"Cookie": f"{settings.SESSION_COOKIE_NAME}={cookie}"}
        for page, (path, before) in enumerate(pages):
            _log(f"measuring {path}" + (f" after {before.__name__}" if before else ""))
            for n in range(WARM_UP + requests):
                marker = "warm-up" if n < WARM_UP else f"measured-{page}"
                if before is not None:
                    before()
                request = urllib.request.Request(f"http://127.0.0.1:{port}{path}?{marker}", headers=headers)
                started = time.perf_counter()
                with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310 - loopback only
                    body = response.read()
                    if response.status != 200 or response.url.split("?")[0] != f"http://127.0.0.1:{port}{path}":
                        raise RuntimeError(f"{path} answered {response.status} at {response.url}")
                if n >= WARM_UP:
                    client.setdefault(page, []).append((time.perf_counter() - started) * 1000)
                    sizes[page] = len(body)
    finally:
        server.terminate()
        server.wait(timeout=30)
    server_times: dict[int, list[float]] = {}
    for line in log.read_text().splitlines():
        _path, query, status, micros = line.split()
        if query.startswith("?measured-") and status == "200":
            server_times.setdefault(int(query.removeprefix("?measured-")), []).append(int(micros) / 1000)
    result = []
    for page, (path, _before) in enumerate(pages):
        times = sorted(server_times[page])
        assert len(times) == requests, f"{len(times)} measured requests logged for {path}"
        result.append(
            (
                statistics.median(times),
                _percentile(times, 95),
                _percentile(times, 99),
                statistics.median(client[page]),
                sizes[page] // 1024,
            )
        )
    return result


def _percentile(ordered: list[float], percent: int) -> float:
    """Nearest-rank percentile of sorted values."""
    return ordered[max(0, -(-len(ordered) * percent // 100) - 1)]


if __name__ == "__main__":
    main()
