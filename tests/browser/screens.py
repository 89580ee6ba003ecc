"""Screenshots for the guides in docs/, taken as the browser tests go.

Every test run takes them, so a page that cannot be drawn fails; they are
written to docs/images only with UPDATE_SCREENSHOTS=1, so running the tests
leaves the repository as it was."""

import os
from pathlib import Path

from playwright.sync_api import Page

SHOTS = Path(__file__).resolve().parents[2] / "docs" / "images"


def shot(page: Page, name: str) -> None:
    picture = page.screenshot()
    assert picture.startswith(b"\x89PNG"), f"the screenshot {name} is not a picture"
    if os.environ.get("UPDATE_SCREENSHOTS") == "1":
        SHOTS.mkdir(exist_ok=True)
        (SHOTS / f"{name}.png").write_bytes(picture)
