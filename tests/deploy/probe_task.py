"""A task the deployment tests enqueue to prove the worker takes tasks from
the database queue: it writes a marker file into the data folder."""

import re
from pathlib import Path

from django.conf import settings
from django.tasks import task


@task
def write_marker(name: str) -> str:
    if not re.fullmatch(r"[a-z0-9-]{1,64}", name):
        raise ValueError(f"not a marker name: {name!r}")
    path = Path(settings.DATA_DIR) / name
    path.write_text("done\n", encoding="utf-8")
    return str(path)
