"""`scripts/import <channel> …`: one channel's data → a release draft that `scripts/publish` takes.

Exit status 0: the draft was written and passes validation (with --dry-run: it would);
1: the source could not be read, a mapping file is wrong, or the draft fails validation.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Sequence
from pathlib import Path

from dashboard.config import Settings
from dashboard.importers import dhis2, opensdg, sdmx, spreadsheet
from dashboard.importers.mapping import ImportResult, MappingError
from dashboard.importers.run import areas_of, finish, live_release
from dashboard.loading import PublicationError, read_release


def _progress(message: str) -> None:
    print(f"… {message}", file=sys.stderr, flush=True)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="scripts/import",
        description="Import one channel's data into a release draft (validated, not published).",
    )
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--out", type=Path, help="draft folder to write (default data/drafts/…)")
    common.add_argument(
        "--base", type=Path, help="release the draft starts from (default: the live release)"
    )
    common.add_argument("--title", help="release title written into the draft")
    common.add_argument(
        "--dry-run", action="store_true", help="show what would change; write nothing"
    )
    common.add_argument("--mapping", type=Path, help="mapping file (default data/channels/…)")
    sub = parser.add_subparsers(dest="channel", required=True)

    d = sub.add_parser("dhis2", parents=[common], help="a DHIS2 server's analytics API")
    d.add_argument("--url", help="server base URL (default $DHIS2_URL)")
    d.add_argument(
        "--levels",
        default="2,3",
        help="org-unit levels by number or level UID, e.g. 2,3 (province, district)",
    )
    this_year = dt.date.today().year
    d.add_argument("--from", dest="first", type=int, default=this_year - 5, help="first year")
    d.add_argument("--to", dest="last", type=int, default=this_year - 1, help="last year")
    d.add_argument("--periods", help="DHIS2 periods instead of --from/--to, e.g. 2023;LAST_YEAR")
    d.add_argument("--crosswalk", type=Path, help="org-unit crosswalk (default data/channels/…)")
    d.add_argument("--timeout", type=float, default=60.0, help="seconds to wait for an answer")
    d.add_argument("--retries", type=int, default=3, help="retries on errors and timeouts")
    d.add_argument(
        "--row-limit",
        type=int,
        default=dhis2.DEFAULT_ROW_LIMIT,
        help="most rows one analytics request may answer (the server's analyticsMaxLimit, "
        "default %(default)s): requests are split by periods and data items to stay under it",
    )
    d.add_argument(
        "--response",
        type=Path,
        action="append",
        help="a saved analytics response (JSON) to import instead of asking a server",
    )

    o = sub.add_parser("opensdg", parents=[common], help="Open SDG indicator CSV files")
    o.add_argument("path", type=Path, help="an indicator CSV, a folder, or a repository checkout")

    s = sub.add_parser("sdmx", parents=[common], help="SDMX-CSV or SDMX-JSON data messages")
    s.add_argument("path", type=Path, nargs="+", help="SDMX-CSV (.csv) or SDMX-JSON (.json) files")

    s.add_argument(
        "--structure",
        type=Path,
        action="append",
        help="the dataflow's structure: an SDMX-ML structure file (DSD, codelists) or a folder "
        "of code translations <lang>/<CONCEPT>.yml; every code is checked against its codelist",
    )
    s.add_argument(
        "--source-url", help="web address the files were downloaded from (cited as the source)"
    )

    w = sub.add_parser("spreadsheet", parents=[common], help="a filled data-entry workbook")
    w.add_argument("workbook", type=Path, help="the .xlsx made by scripts/template, filled in")
    return parser


def run_channel(args: argparse.Namespace, base: Path) -> ImportResult:
    """The channel's reading step (shared with scripts/refresh)."""
    mapping = {"mapping_file": args.mapping} if args.mapping else {}
    if args.channel == "dhis2":
        areas = areas_of(base)
        if args.crosswalk:
            mapping["crosswalk_file"] = args.crosswalk
        if args.response:
            return dhis2.import_saved_responses(args.response, areas, **mapping)
        connection = dhis2.Connection.from_env(
            base_url=args.url, timeout=args.timeout, retries=args.retries
        )
        periods = (
            args.periods.split(";") if args.periods else dhis2.year_periods(args.first, args.last)
        )
        levels = [int(v) if v.isdigit() else v for v in args.levels.replace(";", ",").split(",")]
        return dhis2.import_dhis2(
            dhis2.Client(connection),
            areas,
            levels=levels,
            periods=periods,
            row_limit=args.row_limit,
            progress=_progress,
            **mapping,
        )
    if args.channel == "opensdg":
        return opensdg.import_opensdg(args.path, **mapping)
    if args.channel == "sdmx":
        return sdmx.import_sdmx(
            args.path, source_url=args.source_url, structure=args.structure or (), **mapping
        )
    return spreadsheet.import_workbook(args.workbook, read_release(base))


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    settings = Settings.from_env()
    try:
        base = args.base or live_release(settings)
        result = run_channel(args, base)
    except (
        MappingError,
        PublicationError,
        FileNotFoundError,
        dhis2.DHIS2Error,
        sdmx.SDMXError,
        spreadsheet.WorkbookError,
    ) as exc:
        print(f"NOT IMPORTED: {exc}", file=sys.stderr)
        return 1
    title = args.title or f"Import from {args.channel}"
    outcome = finish(
        result,
        base=base,
        out=args.out,
        releases_dir=settings.releases_dir,
        title=title,
        dry_run=args.dry_run,
    )
    return 0 if outcome.ok else 1


if __name__ == "__main__":
    sys.exit(main())
