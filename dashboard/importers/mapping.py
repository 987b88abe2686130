"""Mapping files (channel code → indicator) and the record of one import run.

A mapping row says which indicator of this dashboard a channel's series is, with the nature of
its values, and — for an indicator the catalogue does not have yet — the catalogue entry to add.
Mapping files are data (`data/channels/*.csv`) so a ministry can change them without code.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

from dashboard.config import REPO_ROOT
from dashboard.loading import url_problem
from dashboard.schema import NATURES, TABLES, UNIT_KINDS

CHANNELS_DIR = REPO_ROOT / "data" / "channels"

#: Catalogue columns a mapping row may give for an indicator that is not in the catalogue yet.
CATALOGUE_COLUMNS = (
    "goal",
    "name_en",
    "name_lo",
    "unit_en",
    "unit_lo",
    "unit_kind",
    "definition_en",
    "definition_lo",
    "direction",
    "decimals",
    "caveat_en",
    "caveat_lo",
)
#: How a period other than a calendar year is treated (mapping column `periods`).
PERIOD_RULES = ("year", "latest_in_year")


class MappingError(ValueError):
    """A mapping or crosswalk file that cannot be used; the message names file, row and rule."""


@dataclass(frozen=True)
class Rejected:
    """A row that was read but not imported, and why: nothing is dropped silently."""

    where: str  # file name or query URL
    row: int | str | None
    reason: str
    value: str = ""

    def __str__(self) -> str:
        at = f"{self.where}, row {self.row}" if self.row not in (None, "") else self.where
        shown = f" (found {self.value!r})" if self.value else ""
        return f"{at}: {self.reason}{shown}"


@dataclass(frozen=True)
class IndicatorMap:
    """One mapping row: a channel's series → an indicator id, its nature and catalogue entry."""

    indicator_id: str
    nature: str
    periods: str
    catalogue: dict[str, str]
    keys: dict[str, str]  # the channel's own columns (dhis2_id, series, unit, …)
    row: int


@dataclass
class ImportResult:
    """What one run of an importer produced: rows for the tables, and every row it refused."""

    channel: str
    read: int = 0
    observations: list[dict[str, str]] = field(default_factory=list)
    sources: dict[str, dict[str, str]] = field(default_factory=dict)
    indicators: dict[str, dict[str, str]] = field(default_factory=dict)  # new catalogue rows
    rejected: list[Rejected] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)  # suggestions, unmatched units

    def reject(self, where: str, row: int | str | None, reason: str, value: str = "") -> None:
        self.rejected.append(Rejected(where, row, reason, value))

    def summary_lines(self) -> list[str]:
        lines = [
            f"{self.channel}: {self.read} rows read, {len(self.observations)} mapped, "
            f"{len(self.rejected)} rejected"
        ]
        if self.rejected:
            lines.append("rejected rows:")
            lines += [f"  {r}" for r in self.rejected]
        lines += self.notices
        return lines


def now_utc() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


def slug(text: str) -> str:
    """A source id part: lower case a-z0-9_ (the sources table's rule)."""
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_") or "x"


def plain_number(value: object) -> str | None:
    """A value as the release writes numbers ('12.5', '272115'), or None if it is not one."""
    text = str(value).strip()
    try:
        number = float(text)
    except ValueError:
        return None
    if number != number or number in (float("inf"), float("-inf")):
        return None
    return str(int(number)) if number.is_integer() and abs(number) < 1e15 else repr(number)


def _read_rows(path: Path) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    if not path.is_file():
        raise MappingError(f"{path}: mapping file not found")
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        header = [h.strip() for h in reader.fieldnames or []]
        reader.fieldnames = header
        rows = [
            (number, {k: (v or "").strip() for k, v in record.items() if k})
            for number, record in enumerate(reader, start=2)
            if any((v or "").strip() for v in record.values() if isinstance(v, str))
        ]
    return header, rows


def read_mapping(path: Path, key_columns: tuple[str, ...]) -> list[IndicatorMap]:
    """Read a channel's mapping file; raise `MappingError` listing every bad row."""
    header, rows = _read_rows(path)
    missing = [c for c in (*key_columns, "indicator_id", "nature") if c not in header]
    if missing:
        raise MappingError(f"{path.name}, row 1: required column missing: {', '.join(missing)}")
    id_rule = TABLES["indicators"].columns[0].pattern or ""
    problems, maps = [], []
    for number, row in rows:
        where = f"{path.name}, row {number}"
        if not re.fullmatch(id_rule, row["indicator_id"]):
            problems.append(f"{where}, column 'indicator_id': not an indicator id")
        if row["nature"] not in NATURES:
            problems.append(f"{where}, column 'nature': must be one of {', '.join(NATURES)}")
        periods = row.get("periods") or "year"
        if periods not in PERIOD_RULES:
            problems.append(f"{where}, column 'periods': must be one of {', '.join(PERIOD_RULES)}")
        kind = row.get("unit_kind", "")
        if kind and kind not in UNIT_KINDS:
            problems.append(f"{where}, column 'unit_kind': must be one of {', '.join(UNIT_KINDS)}")
        maps.append(
            IndicatorMap(
                indicator_id=row["indicator_id"],
                nature=row["nature"],
                periods=periods,
                catalogue={c: row.get(c, "") for c in CATALOGUE_COLUMNS},
                keys={c: row.get(c, "") for c in key_columns},
                row=number,
            )
        )
    if problems:
        raise MappingError("\n".join(problems))
    # Several rows may name one indicator (a code and its labels): they share one catalogue entry.
    merged: dict[str, dict[str, str]] = {}
    for m in maps:
        entry = merged.setdefault(m.indicator_id, {})
        for column, value in m.catalogue.items():
            entry[column] = entry.get(column) or value
    return [
        IndicatorMap(m.indicator_id, m.nature, m.periods, merged[m.indicator_id], m.keys, m.row)
        for m in maps
    ]


@dataclass(frozen=True)
class Crosswalk:
    """Reviewed joins of another system's area identifiers to P-codes (by UID or by code)."""

    by_id: dict[str, str]
    by_code: dict[str, str]
    unreviewed: dict[str, int]  # id or code → crosswalk row that still awaits review

    def area_of(self, uid: str, code: str = "") -> str | None:
        return self.by_id.get(uid) or (self.by_code.get(code) if code else None)


def read_crosswalk(path: Path, id_column: str, code_column: str) -> Crosswalk:
    """Only rows with `reviewed_by` filled are used: a join nobody checked is never applied."""
    header, rows = _read_rows(path)
    missing = [c for c in (id_column, code_column, "area_code", "reviewed_by") if c not in header]
    if missing:
        raise MappingError(f"{path.name}, row 1: required column missing: {', '.join(missing)}")
    by_id: dict[str, str] = {}
    by_code: dict[str, str] = {}
    unreviewed: dict[str, int] = {}
    for number, row in rows:
        if not re.fullmatch(r"LA(\d{2}(\d{2})?)?", row["area_code"]):
            raise MappingError(f"{path.name}, row {number}, column 'area_code': not a P-code")
        keys = [k for k in (row[id_column], row[code_column]) if k]
        if not keys:
            raise MappingError(f"{path.name}, row {number}: give {id_column} or {code_column}")
        if not row["reviewed_by"]:
            unreviewed.update({k: number for k in keys})
            continue
        if row[id_column]:
            by_id[row[id_column]] = row["area_code"]
        if row[code_column]:
            by_code[row[code_column]] = row["area_code"]
    return Crosswalk(by_id, by_code, unreviewed)


def observation(
    mapping: IndicatorMap,
    area_code: str,
    year: int | str,
    value: str,
    source_id: str,
    provenance: str,
    *,
    sex: str = "total",
    urban_rural: str = "total",
    age: str = "total",
    note: str = "",
) -> dict[str, str]:
    """One row of the observations table, every column present."""
    return {
        "indicator_id": mapping.indicator_id,
        "area_code": area_code,
        "year": str(year),
        "value": value,
        "sex": sex,
        "urban_rural": urban_rural,
        "nature": mapping.nature,
        "source_id": source_id,
        "note": note,
        "age": age,
        "provenance": provenance,
    }


def add_catalogue_entry(result: ImportResult, mapping: IndicatorMap, source_id: str) -> None:
    """Remember the catalogue row a new indicator needs; the draft writer keeps it only if the
    catalogue does not have the indicator yet."""
    if mapping.indicator_id in result.indicators:
        return
    entry = {c.name: "" for c in TABLES["indicators"].columns}
    entry.update({k: v for k, v in mapping.catalogue.items() if v})
    entry.update(indicator_id=mapping.indicator_id, nature=mapping.nature, source_id=source_id)
    result.indicators[mapping.indicator_id] = entry


def source_row(
    source_id: str,
    *,
    publisher: str,
    title: str,
    url: str,
    retrieved: dt.datetime,
    provenance: str,
    licence: str = "not stated",
    year: str = "",
    note: str = "",
) -> dict[str, str]:
    """One sources row. `url` is kept only when it is a web address (the rule of every URL
    column); a file path or workbook name stays in `provenance`, which names it anyway."""
    return {
        "source_id": source_id,
        "publisher": publisher,
        "title": title,
        "year": year,
        "url": url if url_problem(url, web_only=True) is None else "",
        "licence": licence,
        "accessed": retrieved.date().isoformat(),
        "note": note,
        "provenance": provenance,
    }


def read_area_codes(path: Path, system: str) -> dict[str, str]:
    """Reviewed area codes of one system (`opensdg` GeoCode, `sdmx` REF_AREA) → P-codes."""
    header, rows = _read_rows(path)
    missing = [c for c in ("system", "code", "area_code", "reviewed_by") if c not in header]
    if missing:
        raise MappingError(f"{path.name}, row 1: required column missing: {', '.join(missing)}")
    return {
        row["code"]: row["area_code"]
        for _, row in rows
        if row["system"] == system and row["reviewed_by"]
    }


def read_codes(path: Path) -> dict[str, dict[str, str]]:
    """Code lists: concept → {code, English label, Lao label → code}."""
    _, rows = _read_rows(path)
    lists: dict[str, dict[str, str]] = {}
    for _, row in rows:
        known = lists.setdefault(row["concept"], {})
        for name in (row["code"], row.get("label_en", ""), row.get("label_lo", "")):
            if name:
                known.setdefault(name, row["code"])
    return lists
