"""Where the real sample files of the importers are: `../shared/formats` beside the checkout.

`NSPS_FORMATS_DIR` overrides. Imported by a unique module name (`tests` is on the pytest path).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from shipped import SHIPPED_ID, SHIPPED_RELEASE

REPO_ROOT = Path(__file__).resolve().parents[1]


def formats_dir() -> Path:
    configured = os.environ.get("NSPS_FORMATS_DIR")
    candidates = [Path(configured)] if configured else []
    candidates += [p / "shared" / "formats" for p in (REPO_ROOT.parent, REPO_ROOT.parent.parent)]
    for candidate in candidates:
        if (candidate / "README.md").is_file():
            return candidate
    pytest.skip("sample files not found: set NSPS_FORMATS_DIR or provide ../shared/formats")


def releases_with_shipped(tmp_path: Path) -> Path:
    """A private releases folder holding a copy of the shipped release (publish target)."""
    releases = tmp_path / "releases"
    shutil.copytree(SHIPPED_RELEASE, releases / SHIPPED_ID)
    for path in (releases / SHIPPED_ID).iterdir():
        path.chmod(0o644)
    return releases
