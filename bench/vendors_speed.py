"""Speed of vendor screening at the size of a large district: 20,000 vendors
against 1,000,000 award transactions in the USAspending transaction layout.

The award file and the vendor list are generated from the real recipient names
of the ICE FY2013-2018 transactions (shared/data), with realistic variation:
legal forms written in different ways, capitals, typos, words added and
dropped, names of companies that do not exist made from the same words. They go
to a temporary folder, never into the repository.

Loading (streaming read and index) and screening run in a child process, so
its peak memory (resident set) is the engine's alone. Prints a Markdown
section for docs/benchmarks.md.

    python bench/vendors_speed.py [--vendors 20000] [--rows 1000000] [--keep]
"""

import argparse
import csv
import json
import os
import platform
import random
import resource
import shutil
import string
import subprocess
import sys
import tempfile
import time
import zlib
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
ICE = ROOT.parent / "shared" / "data" / "ice-awards-fy2013-2018"
GOALS = {"load": 60.0, "screen": 60.0, "memory": 2048.0}  # seconds, seconds, MiB
LEGAL = ["INC", "INC.", "LLC", "L.L.C.", "CORP", "CORPORATION", "CO", "LTD", "LP", "", "", ""]
FALLBACK = ["ACME SUPPLY", "NORTHWIND DATA", "BLUE RIVER TRANSPORT", "CEDAR SECURITY GROUP"]
OFFICES = [
    ("DETENTION COMPLIANCE AND REMOVALS", "DETENTION SERVICES", "S206", "561612"),
    ("HOMELAND SECURITY INVESTIGATIONS", "DATA ANALYTICS SUBSCRIPTION", "D317", "518210"),
    ("MISSION SUPPORT DALLAS", "PORTABLE RADIOS", "5820", "334220"),
    ("OFFICE OF ACQUISITION MANAGEMENT", "OFFICE FURNITURE", "7110", "337214"),
    ("ENFORCEMENT AND REMOVAL OPERATIONS", "TRANSPORTATION OF DETAINEES", "V225", "485999"),
]
SCHOOL_WORDS = [
    "learning",
    "reading",
    "math",
    "science",
    "library",
    "bus",
    "lunch",
    "uniform",
    "tutoring",
    "curriculum",
    "stem",
    "arts",
    "music",
    "robotics",
    "literacy",
    "campus",
    "student",
    "teacher",
    "classroom",
    "furniture",
    "janitorial",
    "plumbing",
    "roofing",
    "paving",
    "landscaping",
    "counseling",
    "wellness",
    "nutrition",
    "sports",
    "athletic",
    "theater",
    "chess",
    "coding",
    "language",
    "bilingual",
    "early",
    "childhood",
]


# ---- generation -------------------------------------------------------------
def stable(text: str) -> int:
    return zlib.crc32(text.encode())


def real_names() -> list[str]:
    names: set[str] = set()
    for path in sorted(ICE.glob("ice_usaspending_fy*.csv")):
        with path.open(encoding="utf-8-sig", newline="") as handle:
            for row in csv.DictReader(handle):
                for column in ("recipient_name", "recipient_parent_name"):
                    if row.get(column, "").strip():
                        names.add(row[column].strip().upper())
    return sorted(names) or FALLBACK


def strip_legal(name: str) -> str:
    words = name.replace(",", " ").split()
    while words and words[-1].strip(".") in {"INC", "LLC", "L.L.C", "CORP", "CORPORATION", "CO", "LTD", "LP"}:
        words.pop()
    return " ".join(words) or name


def typo(word: str, rng: random.Random) -> str:
    if len(word) < 6:
        return word
    at = rng.randrange(1, len(word) - 1)
    kind = rng.random()
    if kind < 0.4:
        return word[:at] + word[at + 1 :]  # a letter dropped
    if kind < 0.7:
        return word[:at] + word[at + 1] + word[at] + word[at + 2 :]  # two letters swapped
    return word[:at] + rng.choice(string.ascii_uppercase) + word[at + 1 :]


def variant(name: str, rng: random.Random) -> str:
    """The same company written another way."""
    words = strip_legal(name).split()
    roll = rng.random()
    if roll < 0.2 and words:
        index = rng.randrange(len(words))
        words[index] = typo(words[index], rng)
    elif roll < 0.3:
        words = [w.title() for w in words]
    form = rng.choice(LEGAL)
    return (" ".join(words) + (", " + form if form and rng.random() < 0.5 else " " + form)).strip()


def invented(vocabulary: list[str], rng: random.Random, extra: list[str] | None = None) -> str:
    """A company that does not exist, made of words real names use."""
    words = rng.sample(vocabulary, rng.choice((1, 2, 2, 3)))
    if extra:
        words.insert(0, rng.choice(extra).upper())
    return " ".join(words) + " " + rng.choice(LEGAL)


def write_awards(path: Path, rows: int, names: list[str], rng: random.Random) -> list[str]:
    """Transactions of 50,000 recipients (about 3% of them real names, the rest
    invented from their words), a fifth of them with a parent. Returns the
    recipients' names."""
    vocabulary = sorted({w for n in names for w in strip_legal(n).split() if len(w) > 2 and w.isalpha()})
    recipients = [*names, *(invented(vocabulary, rng) for _ in range(50_000 - len(names)))]
    parents = rng.sample(recipients, 4_000)
    uei = {n: "".join(rng.choices(string.ascii_uppercase + string.digits, k=12)) for n in recipients}
    parent_of = {n: rng.choice(parents) for n in recipients if rng.random() < 0.2}
    with (ICE / "ice_usaspending_fy2018.csv").open(encoding="utf-8-sig", newline="") as handle:
        header = next(csv.reader(handle))
    position = {name: i for i, name in enumerate(header)}
    start = date(2014, 10, 1)
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(header)
        cells = [""] * len(header)
        for number in range(rows):
            recipient = recipients[min(int(rng.paretovariate(1.2)) - 1, len(recipients) - 1) if number % 3 else
                                   rng.randrange(len(recipients))]  # fmt: skip
            office, description, psc, naics = OFFICES[stable(recipient) % len(OFFICES)]
            parent = parent_of.get(recipient, "")
            when = start + timedelta(days=rng.randrange(1500))
            values = {
                "award_id_piid": f"HSCE{stable(recipient) % 10**6:06d}{rng.randrange(40):02d}",
                "modification_number": str(number),
                "federal_action_obligation": f"{rng.uniform(-5e4, 2e6):.2f}",
                "action_date": when.strftime("%d/%m/%Y"),
                "period_of_performance_start_date": when.isoformat(),
                "awarding_agency_code": "70",
                "awarding_agency_name": "DEPARTMENT OF HOMELAND SECURITY (DHS)",
                "awarding_sub_agency_code": "7012" if number % 4 else "7014",
                "awarding_sub_agency_name": "U.S. IMMIGRATION AND CUSTOMS ENFORCEMENT",
                "awarding_office_name": office,
                "recipient_duns": str(stable(recipient) % 10**9),
                "recipient_name": variant(recipient, rng) if rng.random() < 0.1 else recipient,
                "recipient_parent_name": parent,
                "recipient_parent_duns": str(stable(parent) % 10**9) if parent else "",
                "award_description": f"{description} {number % 97}",
                "product_or_service_code": psc,
                "naics_code": naics,
                "fiscal_year": str(when.year),
            }
            for name, value in values.items():
                if name in position:
                    cells[position[name]] = value
            if "recipient_uei" in position:
                cells[position["recipient_uei"]] = uei[recipient]
            writer.writerow(cells)
    return recipients


def write_vendors(path: Path, count: int, recipients: list[str], rng: random.Random) -> None:
    """A district's vendor list: about one in twenty is a federal recipient
    written the district's way, the rest are school suppliers."""
    vocabulary = sorted({w for n in recipients[:3000] for w in strip_legal(n).split() if len(w) > 2 and w.isalpha()})
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["vendor", "student_data"])
        for _ in range(count):
            if rng.random() < 0.05:
                name = variant(rng.choice(recipients), rng)
            else:
                name = invented(vocabulary, rng, extra=SCHOOL_WORDS).title()
            writer.writerow([name, rng.choice(["none", "none", "directory", "records"])])


# ---- measurement (child process) ----------------------------------------------
def measure(awards: Path, vendors: Path) -> dict[str, float]:
    sys.path.insert(0, str(ROOT / "src"))
    from safezones.vendors.screening import ReferenceIndex, read_awards, screen
    from safezones.vendors.screening.tables import read_vendor_table

    start, start_cpu = time.perf_counter(), time.process_time()
    index = ReferenceIndex()
    with awards.open(encoding="utf-8-sig", errors="replace", newline="") as lines:
        for row in read_awards(lines):
            index.add_award(row)
    index.finalize()
    loaded, loaded_cpu = time.perf_counter(), time.process_time()
    with vendors.open(encoding="utf-8-sig", newline="") as lines:
        records = list(read_vendor_table(lines))
    findings = screen(records, index)
    screened, screened_cpu = time.perf_counter(), time.process_time()
    pairs = sum(len(index.candidates(index.key_of(v.name))) for v in records)
    memory = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # before the peer is imported
    return {
        **per_pair_beside_nomenklatura(records, index),
        "load": loaded - start,
        "screen": screened - loaded,
        "load_cpu": loaded_cpu - start_cpu,
        "screen_cpu": screened_cpu - loaded_cpu,
        "memory": memory,
        "rows": index.rows,
        "entities": len(index.entities),
        "vendors": len(records),
        "flagged": len({f.vendor_ref for f in findings}),
        "findings": len(findings),
        "pairs": pairs,
    }


def per_pair_beside_nomenklatura(records: list[Any], index: Any, sample: int = 2_000) -> dict[str, float]:
    """Time per compared pair, ours and nomenklatura logic-v2, on the same
    sample of the candidate pairs screening compared (each vendor name
    against each name of a candidate entity). Ours is timed two ways: as
    screening runs it (pairs that cannot reach the threshold are dropped on a
    bound) and scoring every pair word by word."""
    from safezones.vendors.screening.engine import THRESHOLD
    from safezones.vendors.screening.matching import compare

    rng = random.Random(7)
    pairs: list[tuple[str, str]] = []
    for vendor in rng.sample(records, min(len(records), 2_000)):
        query = index.key_of(vendor.name)
        for key in sorted(index.candidates(query)):
            pairs.extend((vendor.name, name) for name in index.entities[key].all_names)
    pairs = rng.sample(pairs, min(sample, len(pairs)))
    if not pairs:
        return {}
    keys = [(index.key_of(a), index.key_of(b)) for a, b in pairs]
    out: dict[str, float] = {"sample": len(pairs)}
    for label, floor in (("ours_screening", THRESHOLD), ("ours_full", 0.0)):
        start = time.process_time()
        for left, right in keys:
            compare(left, right, index.weights, floor, near=index.near if floor else None)
        out[label] = (time.process_time() - start) / len(keys) * 1e6
    try:
        from followthemoney import model
        from nomenklatura.matching import get_algorithm
    except ImportError:
        return out
    algorithm = get_algorithm("logic-v2")
    if algorithm is None:
        return out
    config = algorithm.default_config()

    def proxy(ident: str, name: str) -> Any:
        return model.get_proxy({"id": ident, "schema": "Company", "properties": {"name": [name], "country": ["us"]}})

    proxies = [(proxy(f"q{n}", a), proxy(f"r{n}", b)) for n, (a, b) in enumerate(pairs)]
    algorithm.compare(*proxies[0], config)  # loads its reference data before the clock starts
    start = time.process_time()
    for left, right in proxies:
        algorithm.compare(left, right, config)
    out["nomenklatura"] = (time.process_time() - start) / len(proxies) * 1e6
    return out


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        cpu = next((line.split(":", 1)[1].strip() for line in cpuinfo.read_text().splitlines()
                    if line.startswith("model name")), cpu)  # fmt: skip
    memory = ""
    meminfo = Path("/proc/meminfo")
    if meminfo.exists():
        memory = f", {int(meminfo.read_text().split()[1]) / 1024**2:.0f} GiB memory"
    return f"{platform.system()} {platform.machine()}, {cpu}, {os.cpu_count()} cores{memory}"


def report(result: dict[str, float], size: int) -> str:
    def verdict(name: str, value: float) -> str:
        return "met" if value <= GOALS[name] else "missed"

    per_pair = result["screen_cpu"] / max(result["pairs"], 1) * 1e6
    load = result["load_average"]
    lines = [
        f"\n## Vendor screening speed ({result['vendors']:,.0f} vendors, {result['rows']:,.0f} award rows)\n",
        f"- Date: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC",
        f"- Machine: {machine()}; load average {load:.1f} at the start, {result.get('load_after', load):.1f} at the "
        "end (other work on the machine slows wall time; CPU time is the process's own)",
        f"- Python {platform.python_version()}; generated award file {size / 1024**2:,.0f} MiB "
        f"(USAspending transaction layout, {result['entities']:,.0f} recipients)\n",
        "| what | measured | goal |",
        "| --- | ---: | --- |",
        f"| loading: stream-read and index, wall | {result['load']:.1f} s "
        f"| ≤ 60 s ({verdict('load', result['load'])}) |",
        f"| loading, CPU time of the process | {result['load_cpu']:.1f} s | |",
        f"| screening, wall | {result['screen']:.1f} s | ≤ 60 s ({verdict('screen', result['screen'])}) |",
        f"| screening, CPU time of the process | {result['screen_cpu']:.1f} s | |",
        f"| peak memory (resident) | {result['memory']:,.0f} MiB "
        f"| ≤ 2,048 MiB ({verdict('memory', result['memory'])}) |",
        f"| candidate pairs compared | {result['pairs']:,.0f} | |",
        f"| time per candidate pair (screening CPU time / pairs) | {per_pair:.1f} µs | |",
        f"| vendors with findings | {result['flagged']:,.0f} ({result['findings']:,.0f} findings) | |",
    ]
    if "sample" in result:
        lines += [
            f"\nTime per compared pair (CPU) on the same {result['sample']:,.0f} candidate pairs, "
            "sampled from those screening compared:\n",
            "| matcher | µs per pair |",
            "| --- | ---: |",
            f"| Safe Zones, as screening runs it (bound first) | {result['ours_screening']:.1f} |",
            f"| Safe Zones, every pair scored word by word | {result['ours_full']:.1f} |",
        ]
        if "nomenklatura" in result:
            lines.append(f"| nomenklatura logic-v2 | {result['nomenklatura']:,.1f} |")
        else:
            lines.append("| nomenklatura logic-v2 | not installed (`uv sync --group bench`) |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--vendors", type=int, default=20_000)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--keep", action="store_true", help="keep the generated files")
    parser.add_argument("--measure", nargs=2, type=Path, help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.measure:
        print(json.dumps(measure(*options.measure)))
        return
    folder = Path(tempfile.mkdtemp(prefix="safezones-vendors-bench-"))
    try:
        rng = random.Random(5)
        awards, vendors = folder / "awards.csv", folder / "vendors.csv"
        recipients = write_awards(awards, options.rows, real_names(), rng)
        write_vendors(vendors, options.vendors, recipients, rng)
        load_average = os.getloadavg()[0]
        child = subprocess.run(
            [sys.executable, __file__, "--measure", str(awards), str(vendors)],
            check=True,
            capture_output=True,
            text=True,
        )
        measured = {**json.loads(child.stdout), "load_average": load_average, "load_after": os.getloadavg()[0]}
        print(report(measured, awards.stat().st_size))
    finally:
        if options.keep:
            print(f"<!-- generated files kept in {folder} -->", file=sys.stderr)
        else:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
