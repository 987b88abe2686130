"""The release pipeline: the shipped release is exactly what the steps build, byte for byte."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from shipped import SHIPPED_ID, SHIPPED_RELEASE

from data.steps import build
from data.steps.common import DEFAULT_SHARED_DIR

REPO_ROOT = Path(__file__).resolve().parents[2]
FIRST_RELEASE = REPO_ROOT / "data" / "releases" / "2026-11-29"

needs_shared = pytest.mark.skipif(
    not (DEFAULT_SHARED_DIR / "reference").is_dir(), reason="../shared reference not installed"
)


@needs_shared
def test_shipped_release_tables_are_the_build_output(tmp_path: Path) -> None:
    """A hand edit, or a step changed without `bash scripts/build-release`, fails here."""
    build.build(DEFAULT_SHARED_DIR, tmp_path)
    built = sorted(p.name for p in tmp_path.glob("*.csv"))
    shipped = sorted(p.name for p in SHIPPED_RELEASE.glob("*.csv") if p.name != "changes.csv")
    assert built == shipped
    for name in built:
        assert (tmp_path / name).read_bytes() == (SHIPPED_RELEASE / name).read_bytes(), name


@needs_shared
def test_build_twice_gives_identical_bytes(tmp_path: Path) -> None:
    build.build(DEFAULT_SHARED_DIR, tmp_path / "a")
    build.build(DEFAULT_SHARED_DIR, tmp_path / "b")
    for path in sorted((tmp_path / "a").iterdir()):
        assert path.read_bytes() == (tmp_path / "b" / path.name).read_bytes(), path.name


def test_release_meta_names_the_shipped_release() -> None:
    assert build.release_meta()["id"] == SHIPPED_ID


def test_steps_never_write_into_a_published_release() -> None:
    from data.steps.common import DEFAULT_RELEASE_DIR

    assert "releases" not in DEFAULT_RELEASE_DIR.parts
    ignored = subprocess.run(
        ["git", "-C", str(REPO_ROOT), "check-ignore", "-q", str(DEFAULT_RELEASE_DIR / "x.csv")],
        check=False,
    )
    assert ignored.returncode == 0, "the draft folder must be git-ignored"


def test_first_release_is_left_untouched() -> None:
    """2026-11-29 predates scripts/publish: its tables are as published; the manifest added
    later (so that it stays servable) lists exactly those files, unchanged, and no snapshot."""
    from dashboard.publish import manifest_problems

    assert (FIRST_RELEASE / "release.yaml").is_file()
    assert manifest_problems(FIRST_RELEASE, required=True) == []
    listed = (FIRST_RELEASE / "MANIFEST.sha256").read_text(encoding="utf-8")
    assert "snapshot-" not in listed and "changes.csv" not in listed
    observations = (FIRST_RELEASE / "observations.csv").read_text(encoding="utf-8")
    assert "provenance" not in observations.splitlines()[0]
    assert len(observations.splitlines()) == 1 + 738
