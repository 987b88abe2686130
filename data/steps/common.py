"""What every build step shares: where things are, the columns of each table (taken from the
published-data schema, so a step can never write a table the loader would refuse for its
header), how a table is written, and the command line."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from dashboard.schema import TABLES

REPO_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_SHARED_DIR = REPO_ROOT.parent / "shared"
DEFAULT_RELEASE_DIR = REPO_ROOT / "data" / "releases" / "2026-11-29"


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
    parser.add_argument("--release-dir", type=Path, default=DEFAULT_RELEASE_DIR)
    args = parser.parse_args()
    run(args.shared_dir, args.release_dir)
