"""Read a release folder, check every rule of `dashboard.schema`, and return typed tables.

All problems are collected before anything is returned, so a statistician sees every mistake of a
publication at once, each naming file, spreadsheet row, column and rule. A release with any
problem is refused whole: nothing is dropped or coerced silently.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from urllib.parse import urlsplit

import numpy as np
import pandas as pd
import yaml

from dashboard.schema import (
    LEGACY_REFERENCE_SCHEMES,
    LOAD_ORDER,
    TABLES,
    UNIT_RANGES,
    WEB_ADDRESSES_FROM,
    WEB_SCHEMES,
    Column,
    Table,
)

LIST_SEPARATOR = ";"
HEADER_ROW = 1  # spreadsheet rows are 1-based and the header is row 1
MAX_FILE_BYTES = 200 * 1024 * 1024


@dataclass(frozen=True)
class Problem:
    file: str
    row: int | None
    column: str | None
    rule: str
    value: str | None = None

    def __str__(self) -> str:
        where = [self.file]
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column:
            where.append(f"column '{self.column}'")
        shown = "" if self.value is None else f" (found {self.value!r})"
        return f"{', '.join(where)}: {self.rule}{shown}"


class PublicationError(ValueError):
    """A release that breaks one or more rules; `problems` lists every one of them."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        shown = "\n".join(f"  - {p}" for p in problems[:200])
        more = f"\n  … and {len(problems) - 200} more" if len(problems) > 200 else ""
        super().__init__(f"{len(problems)} problem(s) in the publication:\n{shown}{more}")


@dataclass(frozen=True, eq=False)
class Release:
    """One validated, immutable release. Tables are indexed by their key where it is one column."""

    release_id: str
    path: Path
    meta: dict
    strategy: pd.DataFrame = field(repr=False)
    goals: pd.DataFrame = field(repr=False)
    activities: pd.DataFrame = field(repr=False)
    institutions: pd.DataFrame = field(repr=False)
    challenges: pd.DataFrame = field(repr=False)
    areas: pd.DataFrame = field(repr=False)
    sources: pd.DataFrame = field(repr=False)
    indicators: pd.DataFrame = field(repr=False)
    targets: pd.DataFrame = field(repr=False)
    observations: pd.DataFrame = field(repr=False)
    budget: pd.DataFrame = field(repr=False)


# ---------------------------------------------------------------- reading files


def _table_files(folder: Path, table: Table) -> list[Path]:
    exact = folder / f"{table.name}.csv"
    files = [exact] if exact.is_file() else []
    if table.multi_file:
        files += sorted(
            p for p in folder.glob(f"{table.name}[-_]*.csv") if p.is_file() and p != exact
        )
    return files


def _decode(path: Path, problems: list[Problem]) -> str | None:
    raw = path.read_bytes()
    if len(raw) > MAX_FILE_BYTES:
        problems.append(Problem(path.name, None, None, f"file larger than {MAX_FILE_BYTES} bytes"))
        return None
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        problems.append(
            Problem(path.name, None, None, "file is UTF-16; save it as 'CSV UTF-8' instead")
        )
        return None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        problems.append(
            Problem(
                path.name,
                line,
                None,
                "file is not UTF-8 (Lao text would be garbled); save it as 'CSV UTF-8'",
            )
        )
        return None
    if not text.strip():
        problems.append(Problem(path.name, None, None, "file is empty"))
        return None
    return text


def _read_csv(path: Path, table: Table, problems: list[Problem]) -> pd.DataFrame | None:
    text = _decode(path, problems)
    if text is None:
        return None
    # pandas silently turns a first data row with one cell too many into an index: check first.
    records = csv.reader(io.StringIO(text, newline=""))
    width = len(next(records, []))
    ragged = [
        Problem(
            path.name,
            number,
            None,
            f"{len(record)} cells but the header has {width}: an unquoted comma in a value?",
        )
        for number, record in enumerate(records, start=HEADER_ROW + 1)
        if len(record) > width
    ]
    if ragged:
        problems.extend(ragged)
        return None
    try:
        frame = pd.read_csv(
            io.StringIO(text),
            dtype=str,
            keep_default_na=False,
            na_filter=False,
            # Keep empty lines as (blank) rows so the index stays the spreadsheet row number;
            # the blank-row filter below drops them.
            skip_blank_lines=False,
        )
    except (pd.errors.ParserError, ValueError) as exc:
        problems.append(Problem(path.name, None, None, f"not a readable CSV table: {exc}"))
        return None
    frame.columns = [str(c).strip() for c in frame.columns]
    frame = frame.drop(columns=[c for c in table.retired_columns if c in frame.columns])
    expected = set(table.column_names)
    for column in table.columns:
        if column.may_be_absent and column.name not in frame.columns:
            frame[column.name] = ""
    missing = [c for c in table.column_names if c not in frame.columns]
    unknown = [c for c in frame.columns if c not in expected]
    for name in missing:
        problems.append(Problem(path.name, HEADER_ROW, name, "required column is missing"))
    for name in unknown:
        problems.append(
            Problem(path.name, HEADER_ROW, name, "unknown column (renamed or misspelt?)")
        )
    if missing or unknown:
        return None
    frame = frame.apply(lambda col: col.str.strip())
    # A row that is blank in every cell is what spreadsheets leave at the end: not data.
    frame = frame[(frame != "").any(axis=1)]
    frame["_file"] = path.name
    frame["_row"] = frame.index + HEADER_ROW + 1
    return frame.reset_index(drop=True)


# ---------------------------------------------------------------- cell rules

_NUMBER = re.compile(r"[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?")
_COMMA_DECIMAL = re.compile(r"[-+]?\d+,\d+")
_THOUSANDS = re.compile(r"[-+]?\d{1,3}([, \u00a0]\d{3})+(\.\d+)?")


def _number_rule(value: str) -> str:
    if _THOUSANDS.fullmatch(value):
        return "thousands separators are not allowed: write 6492228, not 6,492,228"
    if _COMMA_DECIMAL.fullmatch(value):
        return "decimal comma is not allowed: write 8.9, not 8,9"
    return "not a number"


def _report(
    problems: list[Problem], frame: pd.DataFrame, mask: pd.Series, column: str, rule
) -> None:
    if not mask.any():
        return
    for _, row in frame.loc[mask].iterrows():
        value = row[column]
        text = rule(value) if callable(rule) else rule
        problems.append(Problem(row["_file"], int(row["_row"]), column, text, value))


def url_problem(value: str, web_only: bool) -> str | None:
    """Why `value` may not stand in a URL column, or None. The one rule for every URL column:
    an http(s) address with a host and no spaces (before WEB_ADDRESSES_FROM, also an internal
    `repo:`/`github:` reference, shown as text); never `javascript:`, `data:` or another scheme."""
    try:
        parts = urlsplit(value)
    except ValueError:
        return "not a web address"
    scheme = parts.scheme.lower()
    if not web_only and scheme in LEGACY_REFERENCE_SCHEMES:
        return None
    if scheme not in WEB_SCHEMES:
        return "not a web address: only http:// and https:// addresses are allowed"
    if any(ch.isspace() or ord(ch) < 32 or ord(ch) == 127 for ch in value):
        return "a web address has no spaces or control characters"
    return None if parts.netloc else "not a web address: the host is missing"


def _check_cells(
    frame: pd.DataFrame, column: Column, problems: list[Problem], web_only: bool = True
) -> None:
    values = frame[column.name]
    blank = values == ""
    if column.required:
        _report(problems, frame, blank, column.name, "a value is required")
    present = ~blank
    if column.kind == "number":
        bad = present & ~values.str.fullmatch(_NUMBER.pattern)
        _report(problems, frame, bad, column.name, _number_rule)
    elif column.kind == "int":
        bad = present & ~values.str.fullmatch(r"[-+]?\d+")
        _report(problems, frame, bad, column.name, "not a whole number")
        present &= ~bad
    elif column.kind == "url":
        reasons = values.map(lambda v: url_problem(v, web_only) if v else None)
        bad = present & reasons.notna()
        _report(problems, frame, bad, column.name, lambda v: url_problem(v, web_only))
    if column.choices is not None:
        bad = present & ~values.isin(column.choices)
        _report(problems, frame, bad, column.name, f"must be one of {', '.join(column.choices)}")
    if column.pattern is not None:
        bad = present & ~values.str.fullmatch(column.pattern)
        _report(problems, frame, bad, column.name, f"does not match the pattern {column.pattern}")


def _check_keys(frame: pd.DataFrame, table: Table, problems: list[Problem]) -> None:
    duplicated = frame.duplicated(list(table.key), keep=False)
    if not duplicated.any():
        return
    first_rows = frame[duplicated].groupby(list(table.key), sort=False)["_row"].transform("first")
    first_files = frame[duplicated].groupby(list(table.key), sort=False)["_file"].transform("first")
    for idx in frame.index[duplicated & frame.duplicated(list(table.key), keep="first")]:
        row = frame.loc[idx]
        key = ", ".join(f"{k}={row[k]!r}" for k in table.key)
        problems.append(
            Problem(
                row["_file"],
                int(row["_row"]),
                table.key[-1] if len(table.key) == 1 else None,
                f"duplicate key ({key}); first given in {first_files[idx]} row {first_rows[idx]}",
            )
        )


def _split_list(value: str) -> tuple[str, ...]:
    return tuple(item.strip() for item in value.split(LIST_SEPARATOR) if item.strip())


def _read_before(name: str) -> tuple[str, ...]:
    """The tables read before `name` (in `LOAD_ORDER`)."""
    names = list(LOAD_ORDER)
    return tuple(names[: names.index(name)])


def _check_foreign_keys(
    frame: pd.DataFrame, table: Table, known: dict[str, pd.DataFrame], problems: list[Problem]
) -> None:
    for fk in table.foreign_keys:
        target = frame if fk.table == table.name else known.get(fk.table)
        if target is None:
            continue
        allowed = set(target[fk.target])
        column_spec = next(c for c in table.columns if c.name == fk.column)
        if column_spec.kind == "list":
            for idx, value in frame[fk.column].items():
                unknown = [v for v in _split_list(value) if v not in allowed]
                if unknown:
                    row = frame.loc[idx]
                    problems.append(
                        Problem(
                            row["_file"],
                            int(row["_row"]),
                            fk.column,
                            f"unknown {fk.target} {', '.join(unknown)} (not in {fk.table}.csv)",
                            value,
                        )
                    )
        else:
            values = frame[fk.column]
            bad = (values != "") & ~values.isin(allowed)
            _report(problems, frame, bad, fk.column, f"unknown {fk.target} (not in {fk.table}.csv)")


# ---------------------------------------------------------------- cross-table rules


def _check_areas(areas: pd.DataFrame, problems: list[Problem]) -> None:
    """Levels follow the code length and a child's code starts with its parent's."""
    expected_level = areas["area_code"].str.len().map({2: "national", 4: "province", 6: "district"})
    bad = expected_level.notna() & (expected_level != areas["level"])
    _report(problems, areas, bad, "level", "does not match the length of area_code")
    child = areas["parent_code"] != ""
    prefix_ok = pd.Series(
        [
            code.startswith(parent)
            for code, parent in zip(areas["area_code"], areas["parent_code"], strict=True)
        ],
        index=areas.index,
    )
    _report(problems, areas, child & ~prefix_ok, "parent_code", "area_code does not start with it")
    orphan = (areas["level"] != "national") & ~child
    _report(problems, areas, orphan, "parent_code", "provinces and districts need a parent")


def _check_ranges(obs: pd.DataFrame, indicators: pd.DataFrame, problems: list[Problem]) -> None:
    kinds = obs["indicator_id"].map(indicators.set_index("indicator_id")["unit_kind"])
    values = pd.to_numeric(obs["value"], errors="coerce")
    for kind, (low, high) in UNIT_RANGES.items():
        in_kind = kinds == kind
        too_low = in_kind & (values < low) if low is not None else pd.Series(False, obs.index)
        too_high = in_kind & (values > high) if high is not None else pd.Series(False, obs.index)
        if too_low.any() or too_high.any():
            rule = f"out of range for unit kind '{kind}' ({low} to {'∞' if high is None else high})"
            _report(problems, obs, too_low | too_high, "value", rule)
    nan = values.notna() & ~np.isfinite(values)
    _report(problems, obs, nan, "value", "not a finite number")
    illustrative = obs["indicator_id"].map(indicators.set_index("indicator_id")["nature"])
    unmarked = (illustrative == "illustrative") & (obs["nature"] != "illustrative")
    _report(
        problems,
        obs,
        unmarked,
        "nature",
        "values of an illustrative indicator must be 'illustrative'",
    )


def _check_targets(
    targets: pd.DataFrame, indicators: pd.DataFrame, problems: list[Problem]
) -> None:
    """A number needs the series it was set on; a series has one target per target year (so a
    chart never shows two targets for one year); a value lies in its indicator's unit range."""
    series = targets["indicator_id"] != ""
    numeric = targets["kind"] == "numeric"
    _report(
        problems, targets, numeric & ~series, "indicator_id", "a numeric target needs its series"
    )
    _report(
        problems,
        targets,
        numeric & (targets["value"] == ""),
        "value",
        "a numeric target needs a value",
    )
    valued = targets["value"] != ""
    _report(problems, targets, valued & ~series, "indicator_id", "a target value needs its series")
    dated = series & (targets["year"] != "")
    twice = dated & targets.duplicated(["indicator_id", "year"], keep="first")
    _report(problems, targets, twice, "year", "a series has one target per target year")
    kinds = targets["indicator_id"].map(indicators.set_index("indicator_id")["unit_kind"])
    values = pd.to_numeric(targets["value"], errors="coerce")
    for kind, (low, high) in UNIT_RANGES.items():
        outside = (kinds == kind) & (
            (values < low if low is not None else False)
            | (values > high if high is not None else False)
        )
        rule = f"out of range for unit kind '{kind}' ({low} to {'∞' if high is None else high})"
        _report(problems, targets, outside, "value", rule)


# ---------------------------------------------------------------- typing


#: Tables whose text columns are categoricals (sorted categories): hundreds of thousands of rows
#: but a few hundred distinct texts, so a release stays small in every server process and its
#: snapshot is read without building one string per cell (`dashboard.snapshot`).
CATEGORICAL_TABLES = frozenset({"observations"})


def _typed(frame: pd.DataFrame, table: Table) -> pd.DataFrame:
    out = frame.drop(columns=["_file", "_row"]).copy()
    categorical = table.name in CATEGORICAL_TABLES
    for column in table.columns:
        values = out[column.name]
        if column.default:
            values = values.mask(values == "", column.default)
        if column.kind == "number":
            values = pd.to_numeric(values.replace("", None), errors="raise").astype("float64")
        elif column.kind == "int":
            values = pd.to_numeric(values.replace("", None), errors="raise").astype("Int64")
        elif column.kind == "list":
            values = values.map(_split_list)
        elif categorical:
            values = values.astype("category")
        out[column.name] = values
    return out


def read_release(folder: Path) -> Release:
    """Validate every table of a release folder; raise `PublicationError` listing all problems."""
    folder = Path(folder)
    problems: list[Problem] = []
    if not folder.is_dir():
        raise PublicationError([Problem(str(folder), None, None, "release folder does not exist")])
    raw: dict[str, pd.DataFrame] = {}
    # The id is the folder's name; a folder named otherwise (an id still refused) is judged by
    # the older rule, so that only its id is reported.
    name = folder.resolve().name
    web_only = bool(re.fullmatch(r"\d{4}-\d{2}-\d{2}", name)) and name >= WEB_ADDRESSES_FROM
    for name in LOAD_ORDER:
        table = TABLES[name]
        files = _table_files(folder, table)
        if not files and table.may_be_absent:
            raw[name] = pd.DataFrame(columns=[*table.column_names, "_file", "_row"], dtype=str)
            continue
        if not files:
            problems.append(Problem(f"{name}.csv", None, None, "required table is missing"))
            continue
        frames = [f for f in (_read_csv(p, table, problems) for p in files) if f is not None]
        if len(frames) != len(files):
            continue
        frame = pd.concat(frames, ignore_index=True)
        if frame.empty and not table.may_be_absent:
            problems.append(Problem(files[0].name, None, None, "table has no data rows"))
        for column in table.columns:
            # A blank cell stands for its default, also in the key: '' and 'total' are one sex.
            if column.default:
                values = frame[column.name]
                frame[column.name] = values.mask(values == "", column.default)
        for column in table.columns:
            _check_cells(frame, column, problems, web_only)
        _check_keys(frame, table, problems)
        _check_foreign_keys(frame, table, raw, problems)
        raw[name] = frame
    for name, frame in raw.items():  # keys into tables read after their own (goals → indicators)
        table = TABLES[name]
        later = [fk for fk in table.foreign_keys if fk.table not in (name, *_read_before(name))]
        if later:
            _check_foreign_keys(frame, replace(table, foreign_keys=tuple(later)), raw, problems)
    if "areas" in raw:
        _check_areas(raw["areas"], problems)
    if "observations" in raw and "indicators" in raw:
        _check_ranges(raw["observations"], raw["indicators"], problems)
    if "targets" in raw and "indicators" in raw:
        _check_targets(raw["targets"], raw["indicators"], problems)
    meta = read_meta(folder, problems)
    if problems:
        raise PublicationError(problems)
    tables = {name: _typed(raw[name], TABLES[name]) for name in LOAD_ORDER}
    for name, table in TABLES.items():
        if len(table.key) == 1:
            tables[name] = tables[name].set_index(table.key[0], drop=False)
    return Release(release_id=str(meta["id"]), path=folder, meta=meta, **tables)


def read_meta(folder: Path, problems: list[Problem]) -> dict:
    path = folder / "release.yaml"
    if not path.is_file():
        problems.append(Problem("release.yaml", None, None, "required file is missing"))
        return {}
    try:
        meta = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        problems.append(Problem("release.yaml", None, None, f"not readable YAML: {exc}"))
        return {}
    for key in ("id", "date", "title"):
        if not meta.get(key):
            problems.append(Problem("release.yaml", None, key, "a value is required"))
    name = folder.resolve().name  # "." has no name of its own
    if meta.get("id") and str(meta["id"]) != name:
        problems.append(Problem("release.yaml", None, "id", f"must equal the folder name {name!r}"))
    return meta


def release_ids(releases_dir: Path) -> list[str]:
    """Published release ids, oldest first (ids are ISO dates, so they sort in time order)."""
    if not releases_dir.is_dir():
        return []
    return sorted(p.name for p in releases_dir.iterdir() if (p / "release.yaml").is_file())


def latest_release_path(releases_dir: Path, pinned: str | None = None) -> Path:
    ids = release_ids(releases_dir)
    if pinned:
        if pinned not in ids:
            raise PublicationError(
                [Problem(str(releases_dir), None, None, f"release {pinned!r} not found")]
            )
        return releases_dir / pinned
    if not ids:
        raise PublicationError([Problem(str(releases_dir), None, None, "no release published")])
    return releases_dir / ids[-1]
