"""`make soak`: the kill test at full size, with a mail outage in the middle,
on SQLite and (when a server answers on 127.0.0.1:5432) on PostgreSQL.
Writes its figures into docs/reliability.md, between the soak markers.

    SOAK_KILLS=50 SOAK_SMTP_OUTAGE_SECONDS=600 [SOAK_DATABASES=sqlite,postgresql] python -m tests.proof.lost_soak
"""

import os
import re
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from tests.proof.lost_stack import REPO, Result, postgres_answers, run

DOC = REPO / "docs" / "reliability.md"
BEGIN, END = "<!-- soak figures: begin -->", "<!-- soak figures: end -->"


def table(results: list[Result], kills: int, outage: float, began: datetime, minutes: float) -> str:
    rows = [
        ("web server kills (gunicorn master and workers, SIGKILL)", lambda r: str(r.kills)),
        ("task worker kills (SIGKILL)", lambda r: str(r.worker_kills)),
        ("family requests answered 201", lambda r: str(r.requests)),
        ("family reports answered 201", lambda r: str(r.reports)),
        ("incidents opened (redirected to their page)", lambda r: str(r.incidents)),
        ("submissions answered only after a retry with the same key", lambda r: str(r.retried)),
        ("submissions sent again after their answer", lambda r: str(r.repeats_sent)),
        ("lost (answered, then not there)", lambda r: str(r.lost)),
        ("duplicates (stored twice)", lambda r: str(r.duplicates)),
        ("e-mails / webhooks delivered", lambda r: f"{r.emails} / {r.webhooks}"),
        ("repeated deliveries (same Message-ID or Idempotency-Key)", lambda r: str(r.delivery_repeats)),
        ("alert e-mail latency under kills, mail up", lambda r: r.latency_under_kills),
        (
            "mail outage; alerts of incidents opened during it all arrived within, after mail returned",
            lambda r: f"{r.outage_seconds:.0f} s; {r.after_outage_seconds:.0f} s",
        ),
        (
            "answers seen by the load",
            lambda r: ", ".join(f"{k or 'no answer'}: {v}" for k, v in sorted(r.statuses.items())),
        ),
        (
            "durations: prepare, load, drain, checks",
            lambda r: (
                f"{r.prepare_seconds:.0f} s, {r.load_seconds:.0f} s, {r.drain_seconds:.0f} s, {r.check_seconds:.0f} s"
            ),
        ),
        ("problems", lambda r: "; ".join(r.problems) or "none"),
    ]
    lines = [
        BEGIN,
        f"Run {began:%Y-%m-%d %H:%M} UTC, {minutes:.0f} minutes in all: `make soak` with {kills} kills"
        f" and a {outage:.0f}-second mail outage (SOAK_KILLS={kills}, SOAK_SMTP_OUTAGE_SECONDS={outage:.0f}).",
        "",
        "| figure | " + " | ".join(r.database for r in results) + " |",
        "| --- |" + " --- |" * len(results),
        *[f"| {name} | " + " | ".join(value(r).replace("|", "/") for r in results) + " |" for name, value in rows],
        END,
    ]
    return "\n".join(lines)


def main() -> int:
    kills = int(os.environ.get("SOAK_KILLS", "50"))
    outage = float(os.environ.get("SOAK_SMTP_OUTAGE_SECONDS", "600"))
    wanted = os.environ.get("SOAK_DATABASES", "sqlite,postgresql").split(",")
    databases = [kind for kind in wanted if kind == "sqlite" or (kind == "postgresql" and postgres_answers())]
    began = datetime.now(UTC)
    results = []
    for kind in databases:
        with tempfile.TemporaryDirectory(prefix=f"safezones-soak-{kind}-") as folder:
            # Its own PostgreSQL database, so a soak and the CI-sized test can run at once.
            result = run(
                kind,
                Path(folder),
                kills=kills,
                outage_seconds=outage,
                serve_between=2.0,
                postgres_name="test_lost_soak",
            )
        print(kind, result, flush=True)  # noqa: T201 - the soak's own report
        results.append(result)
    minutes = (datetime.now(UTC) - began).total_seconds() / 60
    figures = table(results, kills, outage, began, minutes)
    text = DOC.read_text()
    pattern = re.compile(re.escape(BEGIN) + ".*?" + re.escape(END), re.DOTALL)
    DOC.write_text(pattern.sub(lambda _: figures, text) if pattern.search(text) else text + "\n" + figures + "\n")
    print(figures)  # noqa: T201
    return 1 if any(r.problems for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
