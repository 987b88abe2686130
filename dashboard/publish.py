"""Turn a folder of tables into an immutable, dated release — only if every rule passes.

A statistician runs `bash scripts/publish <folder>`. The tables are copied into a staging
folder beside the releases, validated there (the same validation the server runs), given a
`release.yaml`, a `changes.csv` against the previous release, a columnar snapshot of the validated
tables (`dashboard.snapshot`, so servers need not validate again) and a `MANIFEST.sha256`, and
only then renamed into place in one `os.rename`. So a release folder is either absent or complete:
the running servers, which look for new releases, can never pick up half a publication, and a
publication with any problem leaves `data/releases/` exactly as it was.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import hashlib
import io
import logging
import os
import re
import shutil
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import yaml

from dashboard import snapshot
from dashboard.changes import (
    CHANGES_FILE,
    ChangeCounts,
    observation_changes,
    write_changes,
)
from dashboard.config import Settings
from dashboard.loading import (
    MAX_FILE_BYTES,
    Problem,
    PublicationError,
    Release,
    read_release,
    release_ids,
)
from dashboard.queries import Dataset
from dashboard.schema import TABLES

log = logging.getLogger(__name__)

MANIFEST_FILE = "MANIFEST.sha256"
META_FILE = "release.yaml"
RELEASE_ID = re.compile(r"\d{4}-\d{2}-\d{2}")
STAGING_PREFIX = ".staging-"  # not a release: release_ids() only lists folders with release.yaml

#: Lao letters read back from a file saved in a non-Unicode encoding: '?' in place of each
#: letter (Latin-1, Windows-1252) or UTF-8 bytes shown as Latin-1 ('àº', 'à»'), or U+FFFD.
_GARBLED_ANYWHERE = re.compile("\ufffd|à[º»]")
_GARBLED_LAO = re.compile(r"\?")
_BOM = b"\xef\xbb\xbf"
_UTF16_WITHOUT_BOM = "file is UTF-16 without a byte-order mark; save it as 'CSV UTF-8'"
_BOM_TWICE = "byte-order mark twice at the start of the file; save it once more as 'CSV UTF-8'"
_TITLE_ROW = "delete the rows above the column names (and unmerge header cells)"


@dataclass(frozen=True)
class PublishedRelease:
    release_id: str
    path: Path
    previous_id: str | None
    counts: ChangeCounts
    changes: pd.DataFrame | None = field(default=None, repr=False, compare=False)


# ---------------------------------------------------------------- validation


def _table_of(file_name: str) -> str | None:
    """The table a CSV file belongs to (`observations-2027.csv` → observations), else None."""
    stem = file_name[: -len(".csv")]
    for name, table in TABLES.items():
        if stem == name or (table.multi_file and re.fullmatch(rf"{name}[-_].+", stem)):
            return name
    return None


def _candidate_problems(candidate: Path) -> list[Problem]:
    """Files that are not part of a publication: a typo in a name would otherwise be ignored."""
    problems = []
    for path in sorted(candidate.iterdir()):
        if path.name.startswith("."):
            continue
        if path.is_file() and path.suffix == ".csv":
            if _table_of(path.name) is None:
                tables = ", ".join(TABLES)
                problems.append(
                    Problem(path.name, None, None, f"not a table of the publication ({tables})")
                )
        elif path.name != META_FILE:
            rule = "only the tables as CSV files (and release.yaml) can be published"
            if path.suffix.lower() in {".xlsx", ".xls", ".ods"}:
                rule += "; save each sheet as 'CSV UTF-8'"
            problems.append(Problem(path.name, None, None, rule))
    return problems


def garbled_text_problems(folder: Path) -> list[Problem]:
    """Lao text that a non-Unicode save turned into '?' or 'àº…': valid UTF-8, wrong letters.

    `read_release` cannot see these (the bytes decode), yet every Lao name would be shown
    as question marks.
    """
    problems = []
    for path in sorted(folder.glob("*.csv")):
        if path.stat().st_size > MAX_FILE_BYTES:
            continue  # refused by read_release
        try:
            text = path.read_bytes().decode("utf-8-sig")
        except UnicodeDecodeError:
            continue  # reported by read_release
        records = csv.reader(io.StringIO(text, newline=""))
        header = [h.strip() for h in next(records, [])]
        for row_number, record in enumerate(records, start=2):
            for column, cell in zip(header, record, strict=False):
                lao = column.endswith("_lo") and _GARBLED_LAO.search(cell)
                if lao or _GARBLED_ANYWHERE.search(cell):
                    problems.append(
                        Problem(
                            path.name,
                            row_number,
                            column,
                            "Lao text is garbled (the file was saved in a non-Unicode "
                            "encoding); save it as 'CSV UTF-8'",
                            cell,
                        )
                    )
    return problems


def file_problems(path: Path) -> list[Problem]:
    """Whole-file mistakes that spreadsheets make, named plainly rather than as their effects.

    Without these, a UTF-16 file without a byte-order mark or a title row above the header
    would be reported as every column missing.
    """
    if path.stat().st_size > MAX_FILE_BYTES:
        return []  # read_release refuses it unread
    with path.open("rb") as handle:
        raw = handle.read(4096)
    if not raw.startswith((b"\xff\xfe", b"\xfe\xff")) and b"\x00" in raw:
        return [Problem(path.name, None, None, _UTF16_WITHOUT_BOM)]
    if raw.startswith(_BOM * 2):
        return [Problem(path.name, None, None, _BOM_TWICE)]
    text = raw.decode("utf-8-sig", errors="ignore")
    records = list(csv.reader(io.StringIO(text, newline="")))[:6]
    table = _table_of(path.name)
    if table is None or not records:
        return []
    columns = {c.name for c in TABLES[table].columns if not c.may_be_absent}
    first = {cell.strip() for cell in records[0]}
    if not first & columns:
        for number, record in enumerate(records[1:], start=2):
            if columns <= {cell.strip() for cell in record}:
                rule = f"title row above the header (the header is row {number}): " + _TITLE_ROW
                return [Problem(path.name, 1, None, rule, ",".join(records[0]).strip(","))]
    return []


def validate_publication(folder: Path) -> Release:
    """Every rule a served release obeys; raise `PublicationError` listing all problems.

    A file with a whole-file mistake gets that one problem, not its consequences in each cell.
    """
    whole_file = [p for path in sorted(folder.glob("*.csv")) for p in file_problems(path)]
    broken = {p.file for p in whole_file}
    problems = whole_file + [p for p in garbled_text_problems(folder) if p.file not in broken]
    try:
        release = read_release(folder)
    except PublicationError as exc:
        raise PublicationError(
            [p for p in exc.problems if p.file not in broken] + problems
        ) from None
    if problems:
        raise PublicationError(problems)
    return release


# ---------------------------------------------------------------- manifest


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def write_manifest(folder: Path) -> None:
    """`sha256sum -c MANIFEST.sha256` checks a release with standard tools."""
    lines = [
        f"{_sha256(p)}  {p.name}\n"
        for p in sorted(folder.iterdir())
        if p.is_file() and p.name != MANIFEST_FILE
    ]
    (folder / MANIFEST_FILE).write_text("".join(lines), encoding="utf-8")


def manifest_problems(folder: Path, required: bool) -> list[Problem]:
    """Files missing, changed or added since publication (a half-copied or edited release)."""
    path = folder / MANIFEST_FILE
    if not path.is_file():
        rule = "required file is missing: publish releases with scripts/publish"
        return [Problem(MANIFEST_FILE, None, None, rule)] if required else []
    listed: dict[str, str] = {}
    for number, (name, digest) in enumerate(_manifest_lines(folder), start=1):
        if not name:
            return [Problem(MANIFEST_FILE, number, None, "not a 'sha256  file' line", digest)]
        listed[name] = digest
    problems = []
    present = {p.name for p in folder.iterdir() if p.is_file() and p.name != MANIFEST_FILE}
    for name, digest in listed.items():
        if name not in present:
            problems.append(Problem(name, None, None, "listed in the manifest but missing"))
        elif _sha256(folder / name) != digest:
            problems.append(Problem(name, None, None, "changed since publication (checksum)"))
    for name in sorted(present - set(listed)):
        problems.append(Problem(name, None, None, "not listed in the manifest"))
    return problems


# ---------------------------------------------------------------- publishing


def is_release_id(text: str) -> bool:
    """Release ids are ISO dates, so they sort in time order and name a folder safely."""
    if not RELEASE_ID.fullmatch(text):
        return False
    try:
        dt.date.fromisoformat(text)
    except ValueError:
        return False
    return True


def _meta(
    candidate: Path, release_id: str | None, title: str | None, notes: Sequence[str]
) -> tuple[dict, list[Problem]]:
    given: dict = {}
    if (candidate / META_FILE).is_file():
        try:
            given = yaml.safe_load((candidate / META_FILE).read_text(encoding="utf-8")) or {}
        except (yaml.YAMLError, UnicodeDecodeError) as exc:
            return {}, [Problem(META_FILE, None, None, f"not readable YAML: {exc}")]
    release_id = release_id or (str(given["id"]) if given.get("id") else None)
    release_id = release_id or dt.date.today().isoformat()
    problems = []
    if not is_release_id(release_id):
        problems.append(
            Problem(META_FILE, None, "id", "a release id is a date YYYY-MM-DD", release_id)
        )
    title = title or given.get("title")
    if not title:
        problems.append(Problem(META_FILE, None, "title", "a value is required (--title)"))
    given_notes = given.get("notes") or []
    if isinstance(given_notes, str):
        given_notes = [given_notes]
    meta = {
        "id": release_id,
        "date": release_id,
        "title": str(title or ""),
        "notes": [str(n) for n in given_notes] + list(notes),
    }
    return meta, problems


def _release_id_problems(release_id: str, releases_dir: Path) -> list[Problem]:
    existing = release_ids(releases_dir)
    if release_id in existing or (releases_dir / release_id).exists():
        rule = "a release with this id exists; releases are never overwritten (choose a new id)"
        return [Problem(META_FILE, None, "id", rule, release_id)]
    if existing and release_id < existing[-1]:
        rule = f"must be later than the newest release {existing[-1]} (servers serve the newest)"
        return [Problem(META_FILE, None, "id", rule, release_id)]
    return []


def publish(
    candidate: Path,
    releases_dir: Path,
    *,
    release_id: str | None = None,
    title: str | None = None,
    notes: Sequence[str] = (),
    dry_run: bool = False,
) -> PublishedRelease:
    """Validate `candidate` and, only if everything passes, add it as a new release.

    Raises `PublicationError` listing every problem; nothing is then written.
    """
    candidate, releases_dir = Path(candidate), Path(releases_dir)
    if not candidate.is_dir():
        raise PublicationError([Problem(str(candidate), None, None, "folder does not exist")])
    meta, problems = _meta(candidate, release_id, title, notes)
    problems += _candidate_problems(candidate)
    named = is_release_id(meta["id"])
    if named:
        problems += _release_id_problems(meta["id"], releases_dir)
    previous_ids = release_ids(releases_dir)
    created = not releases_dir.exists()
    releases_dir.mkdir(parents=True, exist_ok=True)
    staging_root = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=releases_dir))
    try:
        # Validate even when the id or title is refused, so every problem is shown at once.
        staged = staging_root / (meta["id"] if named else "unnamed")
        staged.mkdir()
        for path in sorted(candidate.glob("*.csv")):
            shutil.copyfile(path, staged / path.name)
        checked = {**meta, "id": staged.name, "date": staged.name, "title": meta["title"] or "-"}
        (staged / META_FILE).write_text(
            yaml.safe_dump(checked, allow_unicode=True, sort_keys=False), encoding="utf-8"
        )
        try:
            release = validate_publication(staged)
        except PublicationError as exc:
            problems += exc.problems
        if problems:
            raise PublicationError(problems)
        previous_id, previous = _served_release(releases_dir, previous_ids)
        changes = observation_changes(
            None if previous is None else previous.observations, release.observations
        )
        counts = ChangeCounts.of(changes)
        write_changes(changes, staged / CHANGES_FILE)
        meta = {**meta, "previous": previous_id, "changes": counts.as_dict()}
        meta["published_at"] = _published_at().isoformat(timespec="seconds")
        (staged / META_FILE).write_text(
            yaml.safe_dump(meta, allow_unicode=True, sort_keys=False), encoding="utf-8"
        )
        snapshot.write_snapshot(release, staged, _tables_digest_of_files(staged))
        write_manifest(staged)
        target = releases_dir / meta["id"]
        if dry_run:
            return PublishedRelease(meta["id"], target, previous_id, counts, changes)
        for path in staged.iterdir():
            _make_durable_and_read_only(path)
        try:
            # Atomic: readers see no folder, then the complete one. It fails (rather than
            # replaces) when a non-empty folder of that name appeared meanwhile.
            os.rename(staged, target)
        except OSError as exc:
            raise PublicationError(
                [Problem(META_FILE, None, "id", f"cannot publish as {target}: {exc}", meta["id"])]
            ) from None
        _fsync_dir(releases_dir)
        return PublishedRelease(meta["id"], target, previous_id, counts, changes)
    except BaseException:
        if created:
            shutil.rmtree(releases_dir, ignore_errors=True)
        raise
    finally:
        shutil.rmtree(staging_root, ignore_errors=True)


def _published_at() -> dt.datetime:
    """Now, or `SOURCE_DATE_EPOCH` (reproducible builds): a rebuild then gives the same bytes."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC)
    return dt.datetime.now(dt.UTC)


def _served_release(releases_dir: Path, ids: list[str]) -> tuple[str | None, Release | None]:
    """The release servers serve (the newest valid one, manifest included): what the changes
    are counted against. A folder without a valid manifest is never a previous release."""
    for release_id in reversed(ids):
        try:
            return release_id, load_published(releases_dir / release_id)
        except (PublicationError, OSError):
            continue
    return None, None


def load_published(folder: Path) -> Release:
    """A published release as servers read it; raise `PublicationError` if it is not one.

    Its manifest must be present and match every file: a folder copied by hand, half-copied
    or edited since publication is refused. The tables come from the snapshot when the
    manifest vouches for it and it fits the current rules, else from full validation.
    """
    return _checked(folder)[0]


def load_dataset(folder: Path) -> Dataset:
    """The dataset a server serves from a published release (checked as `load_published`
    says), with the snapshot's stored tidy table when it has a current one."""
    release, digest = _checked(folder)
    tidy = None if digest is None else snapshot.read_tidy(folder, digest)
    return Dataset.from_release(release, tidy)


def _checked(folder: Path) -> tuple[Release, str | None]:
    """`load_published`'s release, and the digest of its tables when it came from the snapshot."""
    folder = Path(folder)
    problems = manifest_problems(folder, required=True)
    refused = [p for p in problems if not snapshot.is_snapshot_file(p.file)]
    if refused:
        raise PublicationError(refused)
    if problems:
        log.warning("snapshot of %s not used (%s): validating the CSV tables", folder, problems[0])
    else:
        listed = dict(_manifest_lines(folder))  # checked against the files just above
        digest = snapshot.tables_digest(listed)
        release = snapshot.read_snapshot(folder, digest)
        if release is not None:
            return release, digest
    return validate_publication(folder), None


def seal(folder: Path) -> Release:
    """Validate a release folder in place and write its snapshot and manifest, as publishing
    does (for generated benchmark data; real releases go through `publish`)."""
    folder = Path(folder)
    for path in folder.iterdir():
        if path.name == MANIFEST_FILE or snapshot.is_snapshot_file(path.name):
            path.unlink()
    release = validate_publication(folder)
    snapshot.write_snapshot(release, folder, _tables_digest_of_files(folder))
    write_manifest(folder)
    return release


def _tables_digest_of_files(folder: Path) -> str:
    return snapshot.tables_digest({p.name: _sha256(p) for p in folder.glob("*.csv")})


def _manifest_lines(folder: Path) -> list[tuple[str, str]]:
    """(file name, sha256) of each line of a release's manifest."""
    text = (folder / MANIFEST_FILE).read_text(encoding="utf-8")
    return [
        (name, digest) for digest, _, name in (line.partition("  ") for line in text.splitlines())
    ]


def _make_durable_and_read_only(path: Path) -> None:
    with path.open("rb") as handle:
        os.fsync(handle.fileno())
    path.chmod(0o444)


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


# ---------------------------------------------------------------- command line


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="scripts/publish",
        description="Validate a folder of tables and publish it as a new, immutable release "
        "in NSPS_DATA_DIR (default data/releases). Nothing is written unless every check passes.",
    )
    parser.add_argument(
        "folder", type=Path, help="folder with the table CSV files, or a filled workbook (.xlsx)"
    )
    parser.add_argument("--id", dest="release_id", help="release id, YYYY-MM-DD (default today)")
    parser.add_argument(
        "--title", help="release title (default: title in the folder's release.yaml)"
    )
    parser.add_argument("--note", action="append", default=[], help="a release note (repeatable)")
    parser.add_argument("--check", action="store_true", help="validate only; publish nothing")
    parser.add_argument(
        "--lang",
        choices=("lo", "en"),
        default="lo",
        help="language of the report for a workbook (.xlsx made by scripts/template)",
    )
    args = parser.parse_args(argv)
    releases_dir = Settings.from_env().releases_dir
    if args.folder.suffix.lower() in (".xlsx", ".xlsm", ".xls", ".ods"):
        from dashboard.importers.spreadsheet import publish_workbook  # imports this module

        return publish_workbook(
            args.folder,
            releases_dir,
            release_id=args.release_id,
            title=args.title,
            notes=args.note,
            dry_run=args.check,
            lang=args.lang,
        )
    try:
        published = publish(
            args.folder,
            releases_dir,
            release_id=args.release_id,
            title=args.title,
            notes=args.note,
            dry_run=args.check,
        )
    except PublicationError as exc:
        print(f"NOT PUBLISHED: {len(exc.problems)} problem(s)", file=sys.stderr)
        for problem in exc.problems:
            print(f"  {problem}", file=sys.stderr)
        return 1
    counts = published.counts
    since = f"since {published.previous_id}" if published.previous_id else "(first release)"
    verb = "would publish" if args.check else "published"
    print(
        f"{verb} release {published.release_id} at {published.path}: {counts.added} values "
        f"added, {counts.revised} revised, {counts.removed} removed {since}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
