"""What every build step shares: where things are, the columns of each table (taken from the
published-data schema, so a step can never write a table the loader would refuse for its
header), how a table is written, and the command line."""

from __future__ import annotations

import argparse
import os
import subprocess
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from dashboard.schema import TABLES

REPO_ROOT = Path(__file__).resolve().parents[2]


def _shared_dir() -> Path:
    """`NSPS_SHARED_DIR`, else `../shared` beside the checkout — or beside the main checkout
    when this one is a git worktree elsewhere."""
    if os.environ.get("NSPS_SHARED_DIR"):
        return Path(os.environ["NSPS_SHARED_DIR"])
    beside = REPO_ROOT.parent / "shared"
    if beside.is_dir():
        return beside
    try:
        common = subprocess.run(
            [
                "git",
                "-C",
                str(REPO_ROOT),
                "rev-parse",
                "--path-format=absolute",
                "--git-common-dir",
            ],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return beside
    return Path(common).parent.parent / "shared"


DEFAULT_SHARED_DIR = _shared_dir()
#: Steps write into this draft (git-ignored); `scripts/build-release` publishes it as a release.
#: Published releases are immutable: no step ever writes into `data/releases/`.
DEFAULT_RELEASE_DIR = REPO_ROOT / "build" / "release-draft"


def columns(table: str) -> list[str]:
    """The columns of a published table, in the order `data/README.md` documents."""
    return list(TABLES[table].column_names)


def write_table(frame: pd.DataFrame, path: Path) -> None:
    """UTF-8, `\\n` line ends, no index: running a step twice gives identical bytes."""
    frame.to_csv(path, index=False, encoding="utf-8", lineterminator="\n")


def step_main(run: Callable[[Path, Path], None], description: str | None) -> None:
    """`python -m data.steps.<step> [--shared-dir …] [--release-dir …]`."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--shared-dir", type=Path, default=DEFAULT_SHARED_DIR)
    parser.add_argument(
        "--release-dir",
        "--draft-dir",
        type=Path,
        default=DEFAULT_RELEASE_DIR,
        help="the draft folder the tables are written into (default build/release-draft)",
    )
    args = parser.parse_args()
    run(args.shared_dir, args.release_dir)
