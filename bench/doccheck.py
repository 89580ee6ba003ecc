"""Document check speed: typed text (goal: p99 <= 50 ms) and a phone photo
read by OCR (goal: p99 <= 3 s). Prints a Markdown section.

    .venv/bin/python bench/doccheck.py [--photos N] [--texts N]

Needs no database or Django settings: the engine is plain Python.
"""

import argparse
import platform
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]

from tests.campus.photos import encoded, photo  # noqa: E402

from safezones.campus.doccheck import check_text, read_document  # noqa: E402

DOCUMENTS = sorted((ROOT / "tests" / "campus" / "documents").glob("*.txt"))
PHOTO_DOCUMENTS = ["i200_warrant_for_arrest_of_alien.txt", "ao93_search_warrant.txt", "i247a_detainer.txt"]
PHONE_LONG_SIDE = 4032  # a 12-megapixel phone camera


def timings(runs: int, work: Callable[[int], object]) -> list[float]:
    seconds = []
    for run in range(runs):
        start = time.perf_counter()
        work(run)
        seconds.append(time.perf_counter() - start)
    return seconds


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def row(label: str, seconds: list[float], goal: float) -> str:
    p50, p99 = percentile(seconds, 0.50), percentile(seconds, 0.99)
    verdict = "met" if p99 <= goal else "missed"
    figures = f"{p50 * 1000:,.1f} ms | {p99 * 1000:,.1f} ms"
    return f"| {label} | {len(seconds)} | {figures} | {goal * 1000:,.0f} ms ({verdict}) |"


def typed_text(runs: int) -> list[float]:
    texts = [path.read_text(encoding="utf-8") for path in DOCUMENTS]
    return timings(runs, lambda run: check_text(texts[run % len(texts)], "es").to_json())


def phone_photos(runs: int) -> list[float]:
    jpegs = [
        encoded(photo((DOCUMENTS[0].parent / name).read_text(), PHONE_LONG_SIDE, seed), "JPEG")
        for seed, name in enumerate(PHOTO_DOCUMENTS)
    ]
    return timings(runs, lambda run: check_text(read_document(jpegs[run % len(jpegs)]), "en").to_json())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--texts", type=int, default=2000, help="typed texts to check")
    parser.add_argument("--photos", type=int, default=30, help="phone photos to read and check")
    options = parser.parse_args()
    check_text("warm up", "en")  # compiles the patterns once, as a running server has
    rows = [
        row("typed text (the test set, in turn)", typed_text(options.texts), 0.050),
        row(f"phone photo, JPEG {PHONE_LONG_SIDE} px, OCR + check", phone_photos(options.photos), 3.0),
    ]
    print("## Document check\n")
    print(f"{platform.processor() or platform.machine()}, Python {platform.python_version()}.\n")
    print("| what | runs | p50 | p99 | goal for p99 |")
    print("| --- | ---: | ---: | ---: | --- |")
    print("\n".join(rows))
    print(f"\nTypical text size {statistics.median(len(p.read_text()) for p in DOCUMENTS):,.0f} characters.")


if __name__ == "__main__":
    main()
