"""View models: a view's selection from URL or controls → its rows and its figure.

A view is resolved once (`resolve_map_selection`), then the same rows feed the figure, the
per-view CSV and the data table. Invalid or unknown selections fall back to defaults and say so
in `notices`, never an error.
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

import pandas as pd

from dashboard import figures, progress, queries
from dashboard.cache import PerOwnerCache
from dashboard.figure_layouts import DESKTOP, FigureLayout
from dashboard.i18n import N_, localized, translator
from dashboard.queries import Dataset

LEVELS = ("province", "district")
GOAL_IDS = ("1", "2", "3")
ATTRIBUTION_SHORT = N_(
    "Boundaries: NGD Lao PDR & OCHA ROAP, HDX COD-AB 2019 (CC BY 3.0 IGO), via geoBoundaries; "
    "simplified. Boundaries do not imply official endorsement."
)
SCHEMATIC_ATTRIBUTION = N_("Schematic tile grid, not boundaries.")
#: Property dicts of the maps last drawn, per dataset (dropped with it), keyed by view and
#: language: a year slider moved back and forth, or many readers on one view, cost one build.
MAP_PROPERTIES_CACHED = 64
_map_properties_cache: PerOwnerCache[dict[str, Any]] = PerOwnerCache(MAP_PROPERTIES_CACHED)


def map_attribution(schematic: bool, lang: str) -> str:
    """What every map prints about its shapes: the boundaries' licence, or that it is a grid."""
    return translator(lang)(SCHEMATIC_ATTRIBUTION if schematic else ATTRIBUTION_SHORT)


#: Notices shown when a requested view falls back to a default (user input quoted as given).
NO_MAP = N_("Indicator {indicator} has no map on this page; showing the default.")
UNKNOWN_LEVEL = N_("Unknown map level {level}; showing provinces.")
NO_YEAR = {
    "province": N_("No province data for {year}; showing the latest year."),
    "district": N_("No district data for {year}; showing the latest year."),
}
#: The indicator has no figures at the level asked for (the other level is shown).
NO_LEVEL = {
    "province": N_("This indicator has no province figures; showing districts."),
    "district": N_("This indicator has no district figures; showing provinces."),
}
NO_TREND = N_("Indicator {indicator} has no trend on this page; showing the default.")
UNKNOWN_AREAS = N_("Unknown area code(s) {codes} ignored.")
UNKNOWN_GOAL = N_("Unknown goal {goal}; showing goal {chosen}.")
NO_STATUS_MAP = N_("Indicator {indicator} has no province status map; showing the default.")


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
    *,
    lang: str = "en",
) -> MapSelection:
    """Turn requested (possibly invalid) controls into a valid map view of a goal page.

    Its notices are in `lang`: English by default, the language of the API's error messages.
    """
    _ = translator(lang)
    options = queries.mappable_indicator_ids(ds, goal)
    default = queries.default_view(ds, goal)
    notices = []
    if indicator_id not in options:
        if indicator_id:
            # a known indicator is named as readers know it; an unknown one is quoted as given
            known = ds.has_indicator(indicator_id)  # False for a non-text value too
            shown = localized(ds.indicator(indicator_id), "name", lang) if known else indicator_id
            notices.append(_(NO_MAP, indicator=repr(shown)))
        indicator_id = default.indicator_id if default.indicator_id in options else options[0]
        if level in (None, "") and indicator_id == default.indicator_id:
            level = default.level
    levels = queries.levels_with_data(ds, indicator_id)
    if level not in LEVELS:
        if level:
            notices.append(_(UNKNOWN_LEVEL, level=repr(level)))
        level = "province" if "province" in levels else levels[0]
    elif level not in levels:  # never an all-grey map: the level that has figures
        notices.append(_(NO_LEVEL[level]))
        level = levels[0]
    years = queries.years_with_data(ds, indicator_id, level)
    wanted = _as_year(year)
    if year not in (None, "") and wanted not in years:
        notices.append(_(NO_YEAR[level], year=year))
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


def map_figure_arguments(
    ds: Dataset,
    selection: MapSelection,
    schematic: bool,
    *,
    lang: str,
    layout: FigureLayout = DESKTOP,
) -> dict[str, Any]:
    return {
        "view": map_rows(ds, selection),
        "areas": queries.areas_at(ds, selection.level),
        "indicator": ds.indicator(selection.indicator_id),
        "level": selection.level,
        "year": selection.year,
        "geojson_url": geojson_url(selection.level),
        "attribution": map_attribution(schematic, lang),
        "schematic": schematic,
        "lang": lang,
        "layout": layout,
    }


def map_properties(
    ds: Dataset,
    selection: MapSelection,
    schematic: bool,
    *,
    lang: str,
    layout: FigureLayout = DESKTOP,
) -> dict[str, Any]:
    """The map's property dict, built once per (dataset, indicator, level, year, language,
    layout).

    Shared between callers: treat it as read-only (`map_figure` and `map_update` copy it).
    """
    key = (selection.indicator_id, selection.level, selection.year, schematic, lang, layout)
    return _map_properties_cache.get_or_make(
        ds,
        key,
        lambda: figures.map_properties(
            **map_figure_arguments(ds, selection, schematic, lang=lang, layout=layout)
        ),
    )


def map_figure(
    ds: Dataset,
    selection: MapSelection,
    schematic: bool,
    *,
    lang: str,
    layout: FigureLayout = DESKTOP,
) -> dict[str, Any]:
    properties = copy.deepcopy(map_properties(ds, selection, schematic, lang=lang, layout=layout))
    return figures.apply_properties(figures.empty_map_figure(lang=lang, layout=layout), properties)


def map_update(
    ds: Dataset,
    selection: MapSelection,
    schematic: bool,
    *,
    lang: str,
    shown: object = None,
    layout: FigureLayout = DESKTOP,
) -> dict[str, Any]:
    """Only the properties that change, for a `dash.Patch`: geometry is never resent.

    `shown` is the `map_share_state` of the map being updated: when it showed the same
    indicator and level in the same language and width class, only the year changed, and only
    the year's values and what depends on them (`figures.YEAR_PROPERTIES`) are sent.
    """
    properties = copy.deepcopy(map_properties(ds, selection, schematic, lang=lang, layout=layout))
    same_frame = _shown(shown, "lang") == lang and _shown(shown, "layout") in (None, layout.name)
    if shown_year(shown, selection) is not None and same_frame:
        return {key: properties[key] for key in figures.YEAR_PROPERTIES}
    return properties


def _shown(state: object, key: str) -> str | None:
    """A key of the share state a chart was drawn with (its language, its width class)."""
    return state.get(key) if isinstance(state, dict) else None


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


def series_indicator_ids(ds: Dataset, goal: str) -> list[str]:
    """The trends chart's choices: the goal's series of two or more years, and the catalogue's
    default series first (a single national figure when the goal has no real series)."""
    options = queries.series_indicator_ids(ds, goal)
    default = queries.default_view(ds, goal).series_id
    if default is None:
        return options
    return [default, *(i for i in options if i != default)]


def resolve_series_indicator(ds: Dataset, goal: str, indicator_id: str | None) -> str | None:
    """The indicator asked for if the goal charts it, else the catalogue's default (never an
    illustrative one), else the first real choice."""
    options = series_indicator_ids(ds, goal)
    if indicator_id in options:
        return indicator_id
    natures = ds.release.indicators["nature"]
    real = [i for i in options if natures[i] != "illustrative"]
    return (real or options or [None])[0]


def series_rows(ds: Dataset, indicator_id: str, area_codes: tuple[str, ...]) -> pd.DataFrame:
    return queries.series_view(ds, indicator_id, area_codes)


def series_figure(
    ds: Dataset,
    indicator_id: str,
    area_codes: tuple[str, ...],
    *,
    lang: str,
    layout: FigureLayout = DESKTOP,
) -> dict[str, Any]:
    """The time series with the targets set on its definition, each named with whose it is,
    and the path from the base value where a growth status was computed."""
    return figures.time_series_figure(
        series_rows(ds, indicator_id, area_codes),
        ds.release.indicators,
        indicator_id,
        trajectory=progress.trajectory(ds, indicator_id),
        targets=series_targets(ds, indicator_id, lang=lang),
        lang=lang,
        layout=layout,
    )


#: The series download: every point the chart draws, observations and targets, told apart.
SERIES_CSV_COLUMNS = ("row_type", *queries.PUBLIC_COLUMNS)


def series_download_rows(
    ds: Dataset, indicator_id: str, area_codes: tuple[str, ...]
) -> pd.DataFrame:
    """The chart's points as rows: its observations, then the targets it draws, each target row
    labelled as a target with whose it is and the document it was read from."""
    rows = series_rows(ds, indicator_id, area_codes).assign(row_type="observation")
    indicator = ds.indicator(indicator_id)
    national = ds.release.areas.loc["LA"]
    targets = [
        {
            "row_type": "target",
            "indicator_id": indicator_id,
            "indicator_name": indicator["name_en"],
            "goal": indicator["goal"],
            "area_code": "LA",
            "area_name": national["name_en"],
            "area_name_lo": national["name_lo"],
            "area_level": "national",
            "year": target["year"],
            "value": target["value"],
            "unit": indicator["unit_en"],
            "sex": "total",
            "urban_rural": "total",
            "nature": "target",
            "badge": "",
            "source_id": target["document_source_id"],
            **{f"source_{c}": target[f"document_{c}"] for c in queries.DOCUMENT_COLUMNS},
            "source_label": target["document_label"],
            "note": " ".join(
                part
                for part in (
                    progress.target_label(target, indicator, "en"),
                    target["interpretation_en"],
                )
                if part
            ),
        }
        for _id, target in queries.drawn_targets(ds, indicator_id).iterrows()
    ]
    frame = pd.concat([rows, pd.DataFrame(targets)], ignore_index=True) if targets else rows
    frame = frame.reindex(columns=list(SERIES_CSV_COLUMNS))
    breakdowns = [c for c in ("sex", "urban_rural", "age") if c in frame.columns]
    return frame.fillna({c: "total" for c in breakdowns})


def series_targets(ds: Dataset, indicator_id: str, *, lang: str) -> list[dict[str, Any]]:
    """The target marks of a series chart: whose target, what it says, where it was read."""
    _ = translator(lang)
    indicator = ds.indicator(indicator_id)
    marks = []
    for _id, target in queries.drawn_targets(ds, indicator_id).iterrows():
        label = progress.target_label(target, indicator, lang)
        hover = [label]
        if interpretation := localized(target, "interpretation", lang):
            hover.append(interpretation)
        hover.append(_("Source: {document}", document=progress.document_text(target, lang)))
        marks.append(
            {
                "target_id": target["target_id"],
                "year": int(target["year"]),
                "value": float(target["value"]),
                "label": label,
                "short": _(
                    progress.TARGET_SHORT,
                    target=progress.target_value_text(target, indicator, lang),
                )
                if target["kind"] == "numeric"
                else label,
                "hover": "<br>".join(hover),
            }
        )
    return marks


@dataclass(frozen=True)
class SeriesSelection:
    indicator_id: str
    area_codes: tuple[str, ...]
    notices: tuple[str, ...] = field(default=())


def resolve_series_selection(
    ds: Dataset,
    goal: str,
    indicator_id: str | None = None,
    areas: object = None,
    *,
    lang: str = "en",
) -> SeriesSelection | None:
    """Turn requested trend controls into a valid view; None when the goal has no series.

    Its notices are in `lang` (English by default, as in the API's error messages).
    """
    _ = translator(lang)
    resolved = resolve_series_indicator(ds, goal, indicator_id)
    if resolved is None:
        return None
    notices = []
    if indicator_id and indicator_id != resolved:
        notices.append(_(NO_TREND, indicator=repr(indicator_id)))
    codes = series_area_codes(ds, areas)
    if unknown := [a for a in _requested_area_codes(areas) if a not in codes]:
        notices.append(_(UNKNOWN_AREAS, codes=", ".join(map(repr, unknown))))
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


def chart_map_query(goal: str, selection: MapSelection, *, lang: str) -> dict[str, str]:
    """The query that names one map outside its page: embeds and briefing images share it, and
    carry the language, so a shared embed or image speaks its sharer's language."""
    return {"goal": goal, **map_query(selection), "lang": lang}


def chart_series_query(goal: str, selection: SeriesSelection, *, lang: str) -> dict[str, str]:
    query = {"goal": goal, "indicator": selection.indicator_id}
    if selection.area_codes:
        query["areas"] = ",".join(selection.area_codes)
    return {**query, "lang": lang}


def embed_map_path(goal: str, selection: MapSelection, *, lang: str) -> str:
    """The embed of one map (unpinned: it follows the latest release; see `_share_state`)."""
    return "/embed/map?" + urlencode(chart_map_query(goal, selection, lang=lang))


def embed_series_path(goal: str, selection: SeriesSelection, *, lang: str) -> str:
    return "/embed/series?" + urlencode(chart_series_query(goal, selection, lang=lang))


#: The height of the `<iframe>` a share dialog offers, per chart kind.
EMBED_HEIGHTS = {"map": 600, "series": 500}


def _share_state(
    ds: Dataset, query: dict[str, str], embed_path: str, title: str, lang: str, kind: str
) -> dict:
    """What the browser needs for a chart's URL and share dialog (it adds its own origin).

    `query` is the page's own part of the address (its `lang=` is kept by the page); `lang` is
    the language the chart was drawn in, which `map_update` compares with.
    """
    release = ds.release.release_id
    return {
        "query": query,
        "embed": embed_path,
        "embed_pinned": f"{embed_path}&{urlencode({'release': release})}",
        "release": release,
        "title": title,
        "lang": lang,
        "height": EMBED_HEIGHTS[kind],
    }


def map_share_state(ds: Dataset, goal: str, selection: MapSelection, *, lang: str) -> dict:
    _ = translator(lang)
    title = figures.map_title(
        ds.indicator(selection.indicator_id), selection.level, selection.year, lang
    )
    return _share_state(
        ds,
        map_query(selection),
        embed_map_path(goal, selection, lang=lang),
        _("Goal {number}: {chart} — NSPS Lao PDR", number=goal, chart=title),
        lang,
        "map",
    )


def series_share_state(
    ds: Dataset, goal: str, selection: SeriesSelection | None, *, lang: str
) -> dict:
    if selection is None:
        return {"query": {}, "lang": lang}
    _ = translator(lang)
    name = localized(ds.indicator(selection.indicator_id), "name", lang)
    chart = _("{name} over time", name=name)
    return _share_state(
        ds,
        series_query(selection),
        embed_series_path(goal, selection, lang=lang),
        _("Goal {number}: {chart} — NSPS Lao PDR", number=goal, chart=chart),
        lang,
        "series",
    )


def resolve_goal(
    ds: Dataset, goal: object, indicator_id: str | None, *, lang: str = "en"
) -> tuple[str, list[str]]:
    """The goal of an embed: as given, else the indicator's own goal, else goal 1 (with a
    notice in `lang`)."""
    if str(goal) in GOAL_IDS:
        return str(goal), []
    own = str(ds.indicator(indicator_id)["goal"]) if ds.has_indicator(indicator_id) else ""
    chosen = own if own in GOAL_IDS else GOAL_IDS[0]
    notice = translator(lang)(UNKNOWN_GOAL, goal=repr(goal), chosen=chosen)
    return chosen, ([notice] if goal else [])


# ---------------------------------------------------------------- progress against targets


def status_indicator_ids(ds: Dataset) -> list[str]:
    """Indicators with a target, real values and province values: those the status map can
    draw (illustrative series get no status, so they have no status map)."""
    overview = progress.overview(ds)
    real = overview["nature"] != "illustrative"
    return overview.loc[overview["has_provinces"] & real, "indicator_id"].tolist()


def resolve_status_indicator(
    ds: Dataset, indicator_id: str | None, *, lang: str = "en"
) -> tuple[str | None, list[str]]:
    options = status_indicator_ids(ds)
    if indicator_id in options:
        return indicator_id, []
    _ = translator(lang)
    notices = [_(NO_STATUS_MAP, indicator=repr(indicator_id))] if indicator_id else []
    return (options[0] if options else None), notices


def status_map_figure(
    ds: Dataset,
    indicator_id: str,
    schematic: bool,
    *,
    lang: str,
    layout: FigureLayout = DESKTOP,
) -> dict[str, Any]:
    """Province map of progress status: which provinces are behind the national target."""
    _ = translator(lang)
    statuses = progress.level_progress(ds, indicator_id, "province")
    indicator = ds.indicator(indicator_id)
    rows = queries.observations_view(ds, indicator_id, level="province", dated_only=True)
    view = pd.DataFrame(
        {
            "area_code": statuses["area_code"],
            "category": statuses["status"],
            "hover": [progress.explain(r, lang) for r in statuses.to_dict("records")],
        }
    )
    lines = figures.provenance_lines(rows, indicator, lang)
    lines.append(
        _(
            "Status against the national target ({target}); method: Statistics Canada progress "
            "measure as built into Open SDG, base year {year} or the first year after.",
            target=progress.target_label(progress.status_target(ds, indicator_id), indicator, lang),
            year=progress.BASE_YEAR,
        )
    )
    lines.append(map_attribution(schematic, lang))
    counts = statuses["status"].value_counts().to_dict()
    return figures.category_map_figure(
        view,
        queries.areas_at(ds, "province"),
        {
            key: (progress.status_label(key, lang), progress.ALL_COLOURS[key])
            for key in progress.ALL_LABELS
        },
        title=_(
            "Progress towards the target — {indicator}, by province",
            indicator=localized(indicator, "name", lang),
        ),
        lines=lines,
        badge=indicator["nature"] == "illustrative",
        geojson_url=geojson_url("province"),
        meta={"indicator_id": indicator_id, "level": "province", "statuses": counts, "lang": lang},
        lang=lang,
        layout=layout,
    )


def map_csv_url(selection: MapSelection, lang: str = "en") -> str:
    """The map's CSV; from a Lao page, with Lao names and units (`lang=lo`)."""
    query = {"indicator": selection.indicator_id, "level": selection.level, "year": selection.year}
    query["lang"] = "lo" if lang == "lo" else None
    return "/download/map.csv?" + urlencode({k: v for k, v in query.items() if v is not None})


def series_csv_url(indicator_id: str, area_codes: tuple[str, ...], lang: str = "en") -> str:
    """The chart's CSV; from a Lao page, with Lao names and units (`lang=lo`)."""
    query = {"indicator": indicator_id, "areas": ",".join(area_codes)}
    if lang == "lo":
        query["lang"] = "lo"
    return "/download/series.csv?" + urlencode(query)


#: The outline of the area chosen with the keyboard (the area selector), and every other one.
HIGHLIGHT_LINE = {"color": "#d81b60", "width": 3.5}
BORDER_LINE = {"color": figures.BORDER_COLOUR, "width": 0.6}


def map_highlight(
    ds: Dataset,
    selection: MapSelection,
    area_code: str | None,
    bounds: tuple[float, float, float, float] | None = None,
) -> dict[str, Any]:
    """Outline the chosen area on the map and zoom to it (`bounds`: its shape's west, south,
    east, north; None frames the whole country), as property paths for the figure or a `Patch`.

    The outline goes on the trace that draws the area: the values trace if it has a value,
    else the grey "no data" trace underneath. Per-area line widths and colours are plotly
    arrays aligned with each trace's `locations` (see `figures.map_properties`).
    """
    all_codes = queries.areas_at(ds, selection.level).index.tolist()
    with_values = set(map_rows(ds, selection)["area_code"])
    valued_codes = [code for code in all_codes if code in with_values]
    properties: dict[str, Any] = {}
    for trace, codes in ((figures.BACKGROUND, all_codes), (figures.VALUES, valued_codes)):
        on_trace = area_code in codes and (trace == figures.VALUES or area_code not in with_values)
        chosen = [on_trace and code == area_code for code in codes]
        for part in ("width", "color"):
            properties[f"data.{trace}.marker.line.{part}"] = [
                (HIGHLIGHT_LINE if c else BORDER_LINE)[part] for c in chosen
            ]
    return {**properties, **figures.area_zoom(bounds if area_code is not None else None)}
