"""View models: a view's selection from URL or controls → its rows and its figure.

A view is resolved once (`resolve_map_selection`), then the same rows feed the figure, the
per-view CSV and the data table. Invalid or unknown selections fall back to defaults and say so
in `notices`, never an error.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

import pandas as pd

from dashboard import figures, progress, queries
from dashboard.formatting import format_with_unit
from dashboard.queries import Dataset

LEVELS = ("province", "district")
GOAL_IDS = ("1", "2", "3")
ATTRIBUTION_SHORT = (
    "Boundaries: NGD Lao PDR & OCHA ROAP, HDX COD-AB 2019 (CC BY 3.0 IGO), via geoBoundaries; "
    "simplified. Boundaries do not imply official endorsement."
)


def map_attribution(schematic: bool) -> str:
    """What every map prints about its shapes: the boundaries' licence, or that it is a grid."""
    return "Schematic tile grid, not boundaries." if schematic else ATTRIBUTION_SHORT


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


def snap_year(years: Sequence[int], requested: float, previous: int | None) -> int:
    """The published year a year-slider move lands on.

    The slider steps through every calendar year (so screen readers hear real years), but only
    some have data: a year without data snaps to the next published one in the direction of
    movement from `previous`, so an arrow key never stalls in a gap; with no direction (no
    previous year), to the latest. Past either end, to that end.
    """
    if not years:
        raise ValueError("no published years to snap to")
    if requested in years:
        return int(requested)
    if previous is None or requested == previous:
        return years[-1]
    if requested > previous:
        return next((y for y in years if y >= requested), years[-1])
    return next((y for y in reversed(years) if y <= requested), years[0])


def shown_year(state: object, selection: MapSelection) -> int | None:
    """The year a map showed before a change (from its `map_share_state`), when it showed the
    same indicator and level: where a year-slider move started from."""
    query = state.get("query") if isinstance(state, dict) else None
    if not isinstance(query, dict):
        return None
    if (query.get("indicator"), query.get("level")) != (selection.indicator_id, selection.level):
        return None
    return _as_year(query.get("year"))


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
        "attribution": map_attribution(schematic),
        "schematic": schematic,
    }


def map_figure(ds: Dataset, selection: MapSelection, schematic: bool) -> dict[str, Any]:
    return figures.coverage_map_figure(**map_figure_arguments(ds, selection, schematic))


def map_update(ds: Dataset, selection: MapSelection, schematic: bool) -> dict[str, Any]:
    """Only the properties that change: applied to a `dash.Patch`, geometry is never resent."""
    return figures.map_properties(**map_figure_arguments(ds, selection, schematic))


def _requested_area_codes(areas: object) -> list[str]:
    """The codes asked for: a URL value (`LA01,LA05`) or a dropdown list; anything else is none."""
    if isinstance(areas, str):
        return [a for a in areas.split(",") if a]
    if isinstance(areas, (list, tuple)):
        return [a for a in areas if isinstance(a, str)]
    return []


def series_area_codes(ds: Dataset, areas: object) -> tuple[str, ...]:
    """Area codes from a URL value (`LA01,LA05`) or a dropdown list; unknown codes are ignored."""
    known = ds.release.areas.index
    return tuple(a for a in _requested_area_codes(areas) if a in known)


def resolve_series_indicator(ds: Dataset, goal: str, indicator_id: str | None) -> str | None:
    options = queries.series_indicator_ids(ds, goal)
    if indicator_id in options:
        return indicator_id
    headline = [i for i in queries.headline_indicator_ids(ds, goal) if i in options]
    return (headline or options or [None])[0]


def series_rows(ds: Dataset, indicator_id: str, area_codes: tuple[str, ...]) -> pd.DataFrame:
    return queries.series_view(ds, indicator_id, area_codes)


def series_figure(ds: Dataset, indicator_id: str, area_codes: tuple[str, ...]) -> dict[str, Any]:
    """The time series with, where the indicator has a target, the path from baseline to it."""
    trajectory = (
        progress.trajectory(ds, indicator_id)
        if pd.notna(ds.indicator(indicator_id)["target_value"])
        else None
    )
    return figures.time_series_figure(
        series_rows(ds, indicator_id, area_codes),
        ds.release.indicators,
        indicator_id,
        trajectory=trajectory,
    )


@dataclass(frozen=True)
class SeriesSelection:
    indicator_id: str
    area_codes: tuple[str, ...]
    notices: tuple[str, ...] = field(default=())


def resolve_series_selection(
    ds: Dataset, goal: str, indicator_id: str | None = None, areas: object = None
) -> SeriesSelection | None:
    """Turn requested trend controls into a valid view; None when the goal has no series."""
    resolved = resolve_series_indicator(ds, goal, indicator_id)
    if resolved is None:
        return None
    notices = []
    if indicator_id and indicator_id != resolved:
        notices.append(
            f"Indicator {indicator_id!r} has no trend on this page; showing the default."
        )
    codes = series_area_codes(ds, areas)
    if unknown := [a for a in _requested_area_codes(areas) if a not in codes]:
        notices.append(f"Unknown area code(s) {', '.join(map(repr, unknown))} ignored.")
    return SeriesSelection(resolved, codes, tuple(notices))


# ---------------------------------------------------------------- links: every view is a URL

#: Query keys the goal page reads; any other key (e.g. a later `lang=`) is kept and ignored.
GOAL_QUERY_KEYS = ("indicator", "level", "year", "series", "areas")


def map_query(selection: MapSelection) -> dict[str, str]:
    """The map part of a goal page's query string: what reopens this map."""
    query = {"indicator": selection.indicator_id, "level": selection.level}
    if selection.year is not None:
        query["year"] = str(selection.year)
    return query


def series_query(selection: SeriesSelection | None) -> dict[str, str]:
    if selection is None:
        return {}
    query = {"series": selection.indicator_id}
    if selection.area_codes:
        query["areas"] = ",".join(selection.area_codes)
    return query


def goal_path(goal: str, *queries_: dict[str, str]) -> str:
    merged: dict[str, str] = {}
    for query in queries_:
        merged.update(query)
    return f"/goal/{goal}" + ("?" + urlencode(merged) if merged else "")


def chart_map_query(goal: str, selection: MapSelection) -> dict[str, str]:
    """The query that names one map outside its page: embeds and briefing images share it."""
    return {"goal": goal, **map_query(selection)}


def chart_series_query(goal: str, selection: SeriesSelection) -> dict[str, str]:
    query = {"goal": goal, "indicator": selection.indicator_id}
    if selection.area_codes:
        query["areas"] = ",".join(selection.area_codes)
    return query


def embed_map_path(goal: str, selection: MapSelection) -> str:
    """The embed of one map (unpinned: it follows the latest release; see `_share_state`)."""
    return "/embed/map?" + urlencode(chart_map_query(goal, selection))


def embed_series_path(goal: str, selection: SeriesSelection) -> str:
    return "/embed/series?" + urlencode(chart_series_query(goal, selection))


def _share_state(ds: Dataset, query: dict[str, str], embed_path: str, title: str) -> dict:
    """What the browser needs for a chart's URL and share dialog (it adds its own origin)."""
    release = ds.release.release_id
    return {
        "query": query,
        "embed": embed_path,
        "embed_pinned": f"{embed_path}&{urlencode({'release': release})}",
        "release": release,
        "title": title,
    }


def map_share_state(ds: Dataset, goal: str, selection: MapSelection) -> dict:
    name = ds.indicator(selection.indicator_id)["name_en"]
    year = f", {selection.year}" if selection.year is not None else ""
    return _share_state(
        ds,
        map_query(selection),
        embed_map_path(goal, selection),
        f"Goal {goal}: {name} by {selection.level}{year} — NSPS Lao PDR",
    )


def series_share_state(ds: Dataset, goal: str, selection: SeriesSelection | None) -> dict:
    if selection is None:
        return {"query": {}}
    name = ds.indicator(selection.indicator_id)["name_en"]
    return _share_state(
        ds,
        series_query(selection),
        embed_series_path(goal, selection),
        f"Goal {goal}: {name} over time — NSPS Lao PDR",
    )


def resolve_goal(ds: Dataset, goal: object, indicator_id: str | None) -> tuple[str, list[str]]:
    """The goal of an embed: as given, else the indicator's own goal, else goal 1."""
    if str(goal) in GOAL_IDS:
        return str(goal), []
    own = str(ds.indicator(indicator_id)["goal"]) if ds.has_indicator(indicator_id) else ""
    chosen = own if own in GOAL_IDS else GOAL_IDS[0]
    return chosen, ([f"Unknown goal {goal!r}; showing goal {chosen}."] if goal else [])


# ---------------------------------------------------------------- progress against targets


def status_indicator_ids(ds: Dataset) -> list[str]:
    """Indicators with a target and province values: those the status map can draw."""
    overview = progress.overview(ds)
    return overview.loc[overview["has_provinces"], "indicator_id"].tolist()


def resolve_status_indicator(ds: Dataset, indicator_id: str | None) -> tuple[str | None, list[str]]:
    options = status_indicator_ids(ds)
    if indicator_id in options:
        return indicator_id, []
    notices = (
        [f"Indicator {indicator_id!r} has no province status map; showing the default."]
        if indicator_id
        else []
    )
    return (options[0] if options else None), notices


def status_map_figure(ds: Dataset, indicator_id: str, schematic: bool) -> dict[str, Any]:
    """Province map of progress status: which provinces are behind the national target."""
    statuses = progress.level_progress(ds, indicator_id, "province")
    indicator = ds.indicator(indicator_id)
    rows = queries.observations_view(ds, indicator_id, level="province", dated_only=True)
    view = pd.DataFrame(
        {
            "area_code": statuses["area_code"],
            "category": statuses["status"],
            "hover": statuses["reason"],
        }
    )
    target_value, target_year = indicator["target_value"], indicator["target_year"]

    target = format_with_unit(target_value, indicator) + (
        "" if pd.isna(target_year) else f" by {int(target_year)}"
    )
    lines = figures.provenance_lines(rows, indicator)
    lines.append(
        f"Status against the national target ({target}); method: Statistics Canada / Open SDG "
        f"progress measure, baseline {progress.BASELINE_YEAR} or first year after."
    )
    lines.append(map_attribution(schematic))
    counts = statuses["status"].value_counts().to_dict()
    return figures.category_map_figure(
        view,
        queries.areas_at(ds, "province"),
        {
            key: (label, progress.STATUS_COLOURS[key])
            for key, label in progress.STATUS_LABELS.items()
        },
        title=f"Progress towards the target — {indicator['name_en']}, by province",
        lines=lines,
        badge=indicator["nature"] == "illustrative",
        geojson_url=geojson_url("province"),
        meta={"indicator_id": indicator_id, "level": "province", "statuses": counts},
    )


def map_csv_url(selection: MapSelection) -> str:
    query = {"indicator": selection.indicator_id, "level": selection.level, "year": selection.year}
    return "/download/map.csv?" + urlencode({k: v for k, v in query.items() if v is not None})


def series_csv_url(indicator_id: str, area_codes: tuple[str, ...]) -> str:
    return "/download/series.csv?" + urlencode(
        {"indicator": indicator_id, "areas": ",".join(area_codes)}
    )
