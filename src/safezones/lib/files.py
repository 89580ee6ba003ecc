"""Removing encrypted files that no row names any more.

A file is written inside the transaction that creates its row. When that
transaction rolls back (the database gone before the commit, a repeat that
lost a race to its twin) or the process is killed before it commits, the file
stays with nothing pointing at it. It cannot be read, since its key went with
the transaction, but nothing people sent should stay on disk longer than it
must, so the periodic job deletes such files once they are old enough that no
transaction can still be writing them."""

from collections.abc import Callable, Iterable, Iterator
from datetime import timedelta
from itertools import batched
from pathlib import Path

ORPHAN_AGE = timedelta(hours=1)


def sweep(folder: Path, names_in_use: Callable[[list[str]], Iterable[str]], now: float) -> int:
    """Delete the ``*.bin`` files in ``folder`` older than ORPHAN_AGE at
    ``now`` (seconds since the epoch) whose name ``names_in_use`` does not
    return. Returns how many were deleted."""
    deleted = 0
    for chunk in batched(_old_files(folder, now - ORPHAN_AGE.total_seconds()), 500):
        known = set(names_in_use([path.name for path in chunk]))
        for path in chunk:
            if path.name not in known:
                path.unlink(missing_ok=True)
                deleted += 1
    return deleted


def _old_files(folder: Path, cutoff: float) -> Iterator[Path]:
    if not folder.is_dir():
        return
    for path in folder.glob("*.bin"):
        try:
            if path.stat().st_mtime < cutoff:
                yield path
        except FileNotFoundError:  # deleted meanwhile by retention or another sweep
            continue
