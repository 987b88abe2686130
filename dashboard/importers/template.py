"""`scripts/template`: write the bilingual data-entry workbook for ministry officers."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from dashboard.config import Settings
from dashboard.importers.run import live_release
from dashboard.importers.spreadsheet import write_template
from dashboard.loading import read_release


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="scripts/template",
        description="Write the data-entry workbook (Lao and English) with the live release's "
        "indicators and areas in its drop-down lists.",
    )
    parser.add_argument("--out", type=Path, default=Path("nsps-data-entry.xlsx"))
    parser.add_argument("--base", type=Path, help="release to take the lists from (default live)")
    args = parser.parse_args(argv)
    base = args.base or live_release(Settings.from_env())
    path = write_template(read_release(base), args.out)
    print(f"template written to {path} (lists from release {base.name})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
