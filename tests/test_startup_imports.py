"""A web worker starts without the libraries only a few pages use: the PDF
renderer and the PDF reader are loaded by the first PDF, not by every worker
(together about 39 MB of each worker's memory)."""

import os
import subprocess
import sys

LOADED_ON_DEMAND = ("weasyprint", "fontTools", "pypdf")

START_A_WORKER = """
import sys
import django
django.setup()
from django.core.wsgi import get_wsgi_application
from django.urls import resolve
get_wsgi_application()
resolve("/")  # loads every URL module, and so every view module
print(" ".join(sorted({name.split(".")[0] for name in sys.modules})))
"""


def test_a_web_worker_loads_no_pdf_library_until_it_needs_one(tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "safezones.settings",
        "SAFEZONES_DATA_DIR": str(tmp_path),
        "SAFEZONES_HTTPS": "false",
        "SECRET_KEY": "x" * 64,
    }
    done = subprocess.run(
        [sys.executable, "-c", START_A_WORKER], env=env, capture_output=True, text=True, check=True, timeout=120
    )
    loaded = set(done.stdout.split())
    assert {"safezones", "ninja"} <= loaded  # the check sees what a worker loads
    assert loaded.isdisjoint(LOADED_ON_DEMAND), sorted(loaded & set(LOADED_ON_DEMAND))
