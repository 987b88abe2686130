"""The read-only API's questions and answers, free of Flask: parameters → query → records.

Observations are answered by `queries.observations_view`, the same function behind every chart
and per-view CSV, so an API answer and the download of the same view can never disagree.
Anything a reader could mistype (an unknown parameter, indicator, level, area or year) is refused
with a message naming it, never guessed at.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from dashboard import queries
from dashboard.i18n import LANGUAGES
from dashboard.queries import PUBLIC_COLUMNS, Dataset

API_PREFIX = "/api/v1"
FORMATS = ("json", "csv")
LEVELS = ("national", "province", "district")
BREAKDOWNS = ("total", "all")
LIST_SEPARATOR = ";"  # how list cells are written, as in the published files (data/README.md)

#: Parameters each endpoint accepts; any other name is refused so that typos do not pass.
PARAMETERS: dict[str, tuple[str, ...]] = {
    "indicators": ("release", "format"),
    "sources": ("release", "format"),
    "targets": ("release", "format"),
    "releases": (),
    "observations": (
        "indicator",
        "level",
        "area",
        "year",
        "breakdowns",
        "release",
        "format",
        "lang",
    ),
}


class InvalidQuery(ValueError):
    """A request the API cannot answer as asked (HTTP 400); the message says what to change."""


@dataclass(frozen=True)
class ObservationsQuery:
    """A validated observations request: what `observations_view` is asked, per indicator."""

    indicator_ids: tuple[str, ...]
    level: str | None = None
    area_codes: tuple[str, ...] | None = None
    year: int | None = None
    totals_only: bool = True
    format: str = "json"

    def as_dict(self) -> dict[str, Any]:
        return {
            "indicator": list(self.indicator_ids),
            "level": self.level,
            "area": list(self.area_codes) if self.area_codes is not None else None,
            "year": self.year,
            "breakdowns": "total" if self.totals_only else "all",
            "format": self.format,
        }


def single_values(
    where: str, allowed: Sequence[str], args: Mapping[str, Sequence[str]]
) -> dict[str, str]:
    """One value per known parameter (`args` maps names to every value given, as in a URL)."""
    unknown = sorted(name for name in args if name not in allowed)
    if unknown:
        accepted = ", ".join(allowed) if allowed else "none"
        raise InvalidQuery(
            f"Unknown parameter(s) {', '.join(unknown)} for {where}; accepted: {accepted}."
        )
    repeated = sorted(name for name, values in args.items() if len(values) > 1)
    if repeated:
        raise InvalidQuery(
            f"Parameter(s) {', '.join(repeated)} given more than once; "
            "give each once and separate several values with commas."
        )
    return {name: values[0].strip() for name, values in args.items() if values}


def _comma_list(value: str) -> list[str]:
    return list(dict.fromkeys(part.strip() for part in value.split(",") if part.strip()))


def parse_format(values: Mapping[str, str]) -> str:
    fmt = values.get("format") or "json"
    if fmt not in FORMATS:
        raise InvalidQuery(f"Unknown format {fmt!r}; use one of: {', '.join(FORMATS)}.")
    return fmt


def parse_language(values: Mapping[str, str]) -> str:
    """`lang=lo` gives CSV rows with Lao indicator names, units and area names; default English."""
    lang = values.get("lang") or "en"
    if lang not in LANGUAGES:
        raise InvalidQuery(f"Unknown lang {lang!r}; use one of: {', '.join(LANGUAGES)}.")
    return lang


def parse_observations_query(ds: Dataset, values: Mapping[str, str]) -> ObservationsQuery:
    """Check every observations parameter against the release; refuse what does not exist."""
    catalogue = ds.release.indicators.index
    indicator_ids = tuple(_comma_list(values.get("indicator", "")))
    unknown = [i for i in indicator_ids if i not in catalogue]
    if unknown:
        raise InvalidQuery(
            f"Unknown indicator(s) {', '.join(unknown)}; "
            f"the catalogue is at {API_PREFIX}/indicators."
        )
    level = values.get("level") or None
    if level is not None and level not in LEVELS:
        raise InvalidQuery(f"Unknown level {level!r}; use one of: {', '.join(LEVELS)}.")
    area_codes = None
    if values.get("area"):
        area_codes = tuple(_comma_list(values["area"]))
        unknown = [a for a in area_codes if a not in ds.release.areas.index]
        if unknown:
            raise InvalidQuery(
                f"Unknown area code(s) {', '.join(unknown)}; use P-codes such as LA (national), "
                "LA01 (province) or LA0101 (district)."
            )
    year = None
    if values.get("year"):
        if not values["year"].isdigit() or not 1900 <= int(values["year"]) <= 2100:
            raise InvalidQuery(f"Year {values['year']!r} is not a year such as 2023.")
        year = int(values["year"])
    breakdowns = values.get("breakdowns") or "total"
    if breakdowns not in BREAKDOWNS:
        allowed = ", ".join(BREAKDOWNS)
        raise InvalidQuery(f"Unknown breakdowns {breakdowns!r}; use one of: {allowed}.")
    return ObservationsQuery(
        indicator_ids=indicator_ids or tuple(catalogue),
        level=level,
        area_codes=area_codes,
        year=year,
        totals_only=breakdowns == "total",
        format=parse_format(values),
    )


def observations(ds: Dataset, query: ObservationsQuery) -> pd.DataFrame:
    """The rows of each requested indicator through the one view query, in the order asked."""
    frames = [
        queries.observations_view(
            ds,
            indicator_id,
            level=query.level,
            year=query.year,
            area_codes=query.area_codes,
            totals_only=query.totals_only,
        )
        for indicator_id in query.indicator_ids
    ]
    frames = [frame for frame in frames if not frame.empty]
    return pd.concat(frames) if frames else ds.empty


def _plain(value: object) -> object:
    """A JSON value: None for missing, Python int/float/str otherwise (lists joined as in CSV)."""
    if isinstance(value, (list, tuple)):
        return LIST_SEPARATOR.join(str(v) for v in value)
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return None
    if hasattr(value, "item"):  # numpy scalar
        return _plain(value.item())
    return value


def records(frame: pd.DataFrame, columns: Sequence[str]) -> list[dict[str, object]]:
    """Rows as JSON-ready dicts, columns in the order given (years stay integers)."""
    lists = {name: frame[name].tolist() for name in columns}
    return [{name: _plain(lists[name][i]) for name in columns} for i in range(len(frame))]


def catalogue_table(ds: Dataset) -> pd.DataFrame:
    """The indicator catalogue as published: list cells joined with `;` (CSV and API alike)."""
    table = ds.release.indicators.reset_index(drop=True)
    for name in ("activity_ids", "challenge_ids"):
        table[name] = table[name].map(lambda items: LIST_SEPARATOR.join(items or ()))
    return table


def sources_table(ds: Dataset) -> pd.DataFrame:
    """Every source of the release with its licence."""
    return ds.release.sources.reset_index(drop=True)


def targets_table(ds: Dataset) -> pd.DataFrame:
    """Every target and commitment: whose it is, its wording, the series it was set on and the
    citation of the document it was read from."""
    return queries.targets_view(ds).reset_index(drop=True)


def observation_records(frame: pd.DataFrame) -> list[dict[str, object]]:
    return records(frame, PUBLIC_COLUMNS)


def release_record(ds: Dataset) -> dict[str, object]:
    meta = ds.release.meta
    return {
        "id": ds.release.release_id,
        "date": str(meta.get("date", "")),
        "title": str(meta.get("title", "")),
    }
