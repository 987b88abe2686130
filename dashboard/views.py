"""View models: a view's selection from URL or controls → its rows and its figure.

A view is resolved once (`resolve_map_selection`), then the same rows feed the figure, the
per-view CSV and the data table. Invalid or unknown selections fall back to defaults and say so
in `notices`, never an error.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

import pandas as pd

from dashboard import figures, queries
from dashboard.queries import Dataset

LEVELS = ("province", "district")
ATTRIBUTION_SHORT = (
    "Boundaries: NGD Lao PDR & OCHA ROAP, HDX COD-AB 2019 (CC BY 3.0 IGO), via geoBoundaries; "
    "simplified. Boundaries do not imply official endorsement."
)


def geojson_url(level: str) -> str:
    return f"/geo/{level}.geojson"


def _as_year(value: object) -> int | None:
    try:
        return int(str(value))
    except (TypeError, ValueError):
        return None


@dataclass(frozen=True)
class MapSelection:
    indicator_id: str
    level: str
    year: int | None
    years: tuple[int, ...]
    notices: tuple[str, ...] = field(default=())


def resolve_map_selection(
    ds: Dataset,
    goal: str,
    indicator_id: str | None = None,
    level: str | None = None,
    year: object = None,
) -> MapSelection:
    """Turn requested (possibly invalid) controls into a valid map view of a goal page."""
    options = queries.mappable_indicator_ids(ds, goal)
    notices = []
    if indicator_id not in options:
        if indicator_id:
            notices.append(
                f"Indicator {indicator_id!r} has no map on this page; showing the default."
            )
        indicator_id = options[0]
    levels = queries.levels_with_data(ds, indicator_id)
    if level not in LEVELS:
        if level:
            notices.append(f"Unknown map level {level!r}; showing provinces.")
        level = "province" if "province" in levels else levels[0]
    years = queries.years_with_data(ds, indicator_id, level)
    if not years:  # e.g. district level of a province-only series: show the province years
        years = queries.years_with_data(ds, indicator_id, levels[0])
    wanted = _as_year(year)
    if year not in (None, "") and wanted not in years:
        notices.append(f"No {level} data for {year}; showing the latest year.")
        wanted = None
    return MapSelection(
        indicator_id=indicator_id,
        level=level,
        year=wanted if wanted is not None else (years[-1] if years else None),
        years=tuple(years),
        notices=tuple(notices),
    )


def map_rows(ds: Dataset, selection: MapSelection) -> pd.DataFrame:
    """The rows a map shows (and its CSV holds): one per area with a value."""
    return queries.observations_view(
        ds, selection.indicator_id, level=selection.level, year=selection.year
    )


def map_figure_arguments(ds: Dataset, selection: MapSelection, schematic: bool) -> dict[str, Any]:
    return {
        "view": map_rows(ds, selection),
        "areas": queries.areas_at(ds, selection.level),
        "indicator": ds.indicator(selection.indicator_id),
        "level": selection.level,
        "year": selection.year,
        "geojson_url": geojson_url(selection.level),
        "value_range": queries.value_range(ds, selection.indicator_id, selection.level),
        "attribution": "Schematic tile grid, not boundaries." if schematic else ATTRIBUTION_SHORT,
        "schematic": schematic,
    }


def map_figure(ds: Dataset, selection: MapSelection, schematic: bool) -> dict[str, Any]:
    return figures.coverage_map_figure(**map_figure_arguments(ds, selection, schematic))


def map_update(ds: Dataset, selection: MapSelection, schematic: bool) -> dict[str, Any]:
    """Only the properties that change: applied to a `dash.Patch`, geometry is never resent."""
    return figures.map_properties(**map_figure_arguments(ds, selection, schematic))


def series_area_codes(ds: Dataset, areas: object) -> tuple[str, ...]:
    """Area codes from a URL value (`LA01,LA05`) or a dropdown list; unknown codes are ignored."""
    if isinstance(areas, str):
        areas = [a for a in areas.split(",") if a]
    known = ds.release.areas.index
    return tuple(a for a in (areas or []) if a in known)


def resolve_series_indicator(ds: Dataset, goal: str, indicator_id: str | None) -> str | None:
    options = queries.series_indicator_ids(ds, goal)
    if indicator_id in options:
        return indicator_id
    headline = [i for i in queries.headline_indicator_ids(ds, goal) if i in options]
    return (headline or options or [None])[0]


def series_rows(ds: Dataset, indicator_id: str, area_codes: tuple[str, ...]) -> pd.DataFrame:
    return queries.series_view(ds, indicator_id, area_codes)


def series_figure(ds: Dataset, indicator_id: str, area_codes: tuple[str, ...]) -> dict[str, Any]:
    return figures.time_series_figure(
        series_rows(ds, indicator_id, area_codes), ds.release.indicators, indicator_id
    )


def map_csv_url(selection: MapSelection) -> str:
    query = {"indicator": selection.indicator_id, "level": selection.level, "year": selection.year}
    return "/download/map.csv?" + urlencode({k: v for k, v in query.items() if v is not None})


def series_csv_url(indicator_id: str, area_codes: tuple[str, ...]) -> str:
    return "/download/series.csv?" + urlencode(
        {"indicator": indicator_id, "areas": ",".join(area_codes)}
    )
