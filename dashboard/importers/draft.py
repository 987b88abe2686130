"""Write an import as a release draft: the live release's tables plus the channel's own files.

The draft is what `scripts/publish` takes. Each channel owns three files in it
(`observations-import-<channel>.csv`, `sources-…`, `indicators-…`), replaced whole on each run
(a workbook is its own channel, named after its report, so one officer's workbook never removes
another's); every other table is the live release's, unchanged. Rows of other files whose key
the import now gives, and rows of the channel's last import that it no longer gives, are listed:
nothing is replaced or removed silently.
"""

from __future__ import annotations

import csv
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from dashboard.i18n import N_
from dashboard.importers.mapping import ImportResult
from dashboard.publish import META_FILE, _table_of
from dashboard.schema import TABLES

KEY = TABLES["observations"].key
_DEFAULTS = {c.name: c.default for c in TABLES["observations"].columns if c.default}


def channel_file(table: str, channel: str) -> str:
    return f"{table}-import-{channel}.csv"


@dataclass(frozen=True)
class Replaced:
    """A published row the import replaces (another file's row of the same key) or removes (a
    row of the channel's last import that it no longer gives)."""

    file: str
    row: int
    key: str  # "indicator_id=…, area_code=…, …"
    was: str
    removed: bool

    #: English msgids (the workbook says them in the officer's language).
    REPLACED = N_("{file}, row {row}: replaced by the import ({key}; was {was})")
    REMOVED = N_("{file}, row {row}: not in this import, so removed ({key}; was {was})")

    @property
    def rule(self) -> str:
        return self.REMOVED if self.removed else self.REPLACED

    def fmt(self) -> dict[str, object]:
        return {"file": self.file, "row": self.row, "key": self.key, "was": self.was}

    def __str__(self) -> str:
        return self.rule.format(**self.fmt())


@dataclass
class Draft:
    path: Path
    superseded: list[Replaced] = field(default_factory=list)  # other files' rows it replaces
    dropped: list[Replaced] = field(default_factory=list)  # last import's rows not given now
    kept_catalogue: list[str] = field(default_factory=list)  # mapped ids already catalogued


def _key(row: dict[str, str]) -> tuple[str, ...]:
    return tuple(row.get(c, "") or _DEFAULTS.get(c, "") for c in KEY)


def _replaced(file: str, number: int, row: dict[str, str], *, removed: bool) -> Replaced:
    key = ", ".join(f"{k}={v}" for k, v in zip(KEY, _key(row), strict=True))
    return Replaced(file, number, key, str(row.get("value", "")), removed)


def _read(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        return list(reader.fieldnames or []), list(reader)


def _write(path: Path, columns: list[str], rows: list[dict[str, str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, columns, lineterminator="\n", extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)


def write_draft(
    result: ImportResult, base: Path, out: Path, *, title: str, notes: list[str] | None = None
) -> Draft:
    """Write `base`'s tables and `result` into the new folder `out` (which must not exist)."""
    out.mkdir(parents=True)
    draft = Draft(out)
    owned = {channel_file(t, result.channel) for t in ("observations", "sources", "indicators")}
    new_keys = {_key(row) for row in result.observations}
    catalogued: set[str] = set()
    sources: set[str] = set()
    for path in sorted(Path(base).glob("*.csv")):
        table = _table_of(path.name)
        if table == "observations" and path.name in owned:
            for number, row in enumerate(_read(path)[1], start=2):
                if _key(row) not in new_keys:
                    draft.dropped.append(_replaced(path.name, number, row, removed=True))
        if table is None or path.name in owned:
            continue
        if table == "observations":
            columns, rows = _read(path)
            kept = []
            for number, row in enumerate(rows, start=2):
                if _key(row) in new_keys:
                    draft.superseded.append(_replaced(path.name, number, row, removed=False))
                else:
                    kept.append(row)
            _write(out / path.name, columns, kept)
            continue
        if table in ("indicators", "sources"):
            column = TABLES[table].key[0]
            ids = {row[column] for row in _read(path)[1]}
            (catalogued if table == "indicators" else sources).update(ids)
        shutil.copyfile(path, out / path.name)
    indicators = [row for i, row in result.indicators.items() if i not in catalogued]
    draft.kept_catalogue = sorted(set(result.indicators) & catalogued)
    tables = {
        "observations": result.observations,
        "sources": [row for s, row in result.sources.items() if s not in sources],
        "indicators": indicators,
    }
    for table, rows in tables.items():
        if rows:
            _write(
                out / channel_file(table, result.channel), list(TABLES[table].column_names), rows
            )
    meta = {"title": title, "notes": list(notes or [])}
    (out / META_FILE).write_text(yaml.safe_dump(meta, allow_unicode=True), encoding="utf-8")
    return draft
