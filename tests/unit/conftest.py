"""Unit-test fixtures. `shipped_release`, `dataset` and `geo_dir` come from tests/conftest.py."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from shipped import SHIPPED_ID, SHIPPED_RELEASE

REPO_ROOT = Path(__file__).resolve().parents[2]
RELEASE_ID = SHIPPED_ID
RELEASE_DIR = SHIPPED_RELEASE


@pytest.fixture
def release_copy(tmp_path: Path) -> Path:
    """A copy of the shipped release in a folder of the same name (release.yaml id must match).

    Tests corrupt one file of it and expect `read_release` to refuse the copy.
    """
    dest = tmp_path / RELEASE_ID
    shutil.copytree(RELEASE_DIR, dest)
    return dest
