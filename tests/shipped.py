"""The release the tests check: the newest one in data/releases (what a server serves).

Imported by a unique module name (`from shipped import …`, `tests` is on the pytest path), so
every test that means "the shipped release" follows `scripts/build-release` without edits.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from dashboard.loading import release_ids

REPO_ROOT = Path(__file__).resolve().parents[1]
RELEASES_DIR = REPO_ROOT / "data" / "releases"
SHIPPED_ID = release_ids(RELEASES_DIR)[-1]
SHIPPED_RELEASE = RELEASES_DIR / SHIPPED_ID
SHIPPED_DATE = dt.date.fromisoformat(SHIPPED_ID)
