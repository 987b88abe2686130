"""Figure builders: plain functions from query results to plotly figure dicts. No Dash here.

Maps reference their geometry by URL (`/geo/<level>.geojson`), so the browser fetches and caches
each level's shapes once; a change of indicator, year or level then only sends new values. The
map's changing parts are described once, as property paths (`map_properties`), and applied either
to a whole figure dict or to a `dash.Patch`: the same code serves the first draw and every update.
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping
from typing import Any

import pandas as pd

from dashboard.formatting import (
    LEVEL_LABELS,
    format_with_unit,
    nature_line,
)
from dashboard.queries import ILLUSTRATIVE_BADGE, natures_of

FONT_FAMILY = "'Noto Sans Lao', 'Phetsarath OT', system-ui, -apple-system, 'Segoe UI', sans-serif"
COLORSCALE = "Cividis"  # perceptually uniform and colour-blind safe
NO_DATA_COLOUR = "#e6e6e6"  # light grey, far from Cividis' dark-blue low end
BORDER_COLOUR = "#ffffff"
BADGE_COLOUR = "#b00020"
SERIES_COLOURS = ("#1f4e79", "#c0504d", "#4f8f3a", "#7a4f9a", "#d68910", "#17808a", "#5d5d5d")

AXIS_SPACE = 44  # pixels under a cartesian plot taken by tick labels and the axis title
TITLE_STYLE = {
    "x": 0,
    "xanchor": "left",
    "y": 1,
    "yref": "container",
    "yanchor": "top",
    "pad": {"t": 12},
    "font": {"size": 15},
}
#: Lao PDR alone, framed on its shapes: no base map, so no tiles and no world topojson drawn.
GEO_LAYOUT = {
    "fitbounds": "locations",
    "visible": False,
    "projection": {"type": "mercator"},
    "bgcolor": "rgba(0,0,0,0)",
}
LEGEND_ON_TOP = {"orientation": "h", "y": 1.0, "yanchor": "bottom", "x": 0}

#: Indices of the two map traces.
BACKGROUND, VALUES = 0, 1


def apply_properties(target: Any, properties: Mapping[str, Any]) -> Any:
    """Set dotted property paths (`data.1.z`) on a figure dict or on a `dash.Patch`.

    Both support item access, so one description of a change serves the first render and the
    partial update alike.
    """
    for path, value in properties.items():
        *parents, last = path.split(".")
        node = target
        for part in parents:
            node = node[int(part)] if part.isdigit() else node[part]
        node[int(last) if last.isdigit() else last] = value
    return target


def _wrap(text: str, width: int = 70) -> str:
    return "<br>".join(textwrap.wrap(text, width)) or text


def _footer_annotations(
    lines: list[str], badge: bool, extra_top: str | None = None, offset: int = 8
) -> list[dict]:
    """Source, unit, nature and attribution under the plot; the illustrative badge above it."""
    notes = [
        {
            "text": _wrap(line, 110),
            "xref": "paper",
            "yref": "paper",
            "x": 0,
            "y": 0,
            "yshift": -offset - 16 * sum(len(_wrap(p, 110).split("<br>")) for p in lines[:i]),
            "xanchor": "left",
            "yanchor": "top",
            "showarrow": False,
            "align": "left",
            "font": {"size": 10, "color": "#333333"},
        }
        for i, line in enumerate(lines)
    ]
    if badge:
        notes.append(
            {
                "text": f"<b>{ILLUSTRATIVE_BADGE.upper()}</b>",
                "xref": "paper",
                "yref": "paper",
                "x": 0,
                "y": 1.0,
                "xanchor": "left",
                "yanchor": "bottom",
                "showarrow": False,
                "bgcolor": BADGE_COLOUR,
                "font": {"size": 11, "color": "#ffffff"},
                "borderpad": 3,
                "name": "illustrative-badge",
            }
        )
    if extra_top:
        notes.append(
            {
                "text": extra_top,
                "xref": "paper",
                "yref": "paper",
                "x": 1,
                "y": 1.0,
                "xanchor": "right",
                "yanchor": "bottom",
                "showarrow": False,
                "font": {"size": 11, "color": "#555555"},
            }
        )
    return notes


def provenance_lines(view: pd.DataFrame, indicator: pd.Series) -> list[str]:
    """Short source and nature lines drawn inside the figure, so they travel with an image.

    Publishers only: the full citations with links are listed beside the chart.
    """
    if view.empty:
        return [f"Unit: {indicator['unit_en']}"]
    publishers = list(dict.fromkeys(view["source_publisher"]))
    shown = "; ".join(publishers[:3]) + (
        f"; and {len(publishers) - 3} more" if len(publishers) > 3 else ""
    )
    return [
        f"Source: {shown}",
        f"Unit: {indicator['unit_en']} · Nature: {nature_line(natures_of(view))}",
    ]


def _top_margin(title: str, badge: bool) -> int:
    """Room for a title wrapped over several lines and, below it, the illustrative badge."""
    return 28 + 20 * len(_wrap(title, 80).split("<br>")) + (26 if badge else 0)


def _bottom_margin(lines: list[str], base: int = 24) -> int:
    wrapped = sum(len(_wrap(line, 110).split("<br>")) for line in lines)
    return base + 16 * wrapped


# ---------------------------------------------------------------- choropleth map


def map_properties(
    view: pd.DataFrame,
    areas: pd.DataFrame,
    indicator: pd.Series,
    *,
    level: str,
    year: int | None,
    geojson_url: str,
    value_range: tuple[float, float] | None,
    attribution: str,
    schematic: bool = False,
) -> dict[str, Any]:
    """Everything on the map that depends on indicator, level and year, as property paths."""
    values = view.set_index("area_code")
    shown = areas[areas["area_code"].isin(values.index)]
    formatted = [format_with_unit(values.at[c, "value"], indicator) for c in shown["area_code"]]
    custom = [
        [name, text, values.at[code, "nature"], values.at[code, "badge"]]
        for code, name, text in zip(shown["area_code"], shown["name_en"], formatted, strict=True)
    ]
    low, high = value_range if value_range else (0.0, 1.0)
    if low == high:
        low, high = low - 1, high + 1
    badge = bool((view["badge"] != "").any())
    title = f"{indicator['name_en']} — {LEVEL_LABELS[level]}, {year if year else 'no year'}"
    lines = provenance_lines(view, indicator)
    lines.append(attribution)
    missing = len(areas) - len(shown)
    return {
        "data.0.geojson": geojson_url,
        "data.0.locations": areas["area_code"].tolist(),
        "data.0.z": [0] * len(areas),
        "data.0.customdata": areas["name_en"].tolist(),
        "data.1.geojson": geojson_url,
        "data.1.locations": shown["area_code"].tolist(),
        "data.1.z": [float(values.at[c, "value"]) for c in shown["area_code"]],
        "data.1.customdata": custom,
        "data.1.zmin": low,
        "data.1.zmax": high,
        "data.1.reversescale": indicator["direction"] == "lower",
        "data.1.colorbar.title.text": _wrap(indicator["unit_en"], 14),
        "layout.title.text": _wrap(title, 80),
        "layout.margin.t": _top_margin(title, badge),
        "layout.annotations": _footer_annotations(
            lines,
            badge,
            "Schematic layout — not a map" if schematic else None,
        ),
        "layout.margin.b": _bottom_margin(lines),
        "layout.meta": {
            "indicator_id": indicator.name,
            "level": level,
            "year": year,
            "areas_with_data": len(shown),
            "areas_without_data": missing,
        },
    }


def coverage_map_figure(**kwargs: Any) -> dict[str, Any]:
    """A choropleth of one indicator at one level and year; areas without data are grey."""
    figure: dict[str, Any] = {
        "data": [
            {
                "type": "choropleth",
                "name": "no data",
                "featureidkey": "id",
                "colorscale": [[0, NO_DATA_COLOUR], [1, NO_DATA_COLOUR]],
                "showscale": False,
                "marker": {"line": {"color": BORDER_COLOUR, "width": 0.6}},
                "hovertemplate": "<b>%{customdata}</b><br>no data<extra></extra>",
            },
            {
                "type": "choropleth",
                "name": "values",
                "featureidkey": "id",
                "colorscale": COLORSCALE,
                "marker": {"line": {"color": BORDER_COLOUR, "width": 0.6}},
                "colorbar": {"thickness": 12, "len": 0.7, "title": {"text": ""}},
                "hovertemplate": (
                    "<b>%{customdata[0]}</b><br>%{customdata[1]}<br>%{customdata[2]}"
                    "<br>%{customdata[3]}<extra></extra>"
                ),
            },
        ],
        "layout": {
            "geo": GEO_LAYOUT,
            "margin": {"l": 4, "r": 4, "t": 64, "b": 96},
            "font": {"family": FONT_FAMILY, "size": 12},
            "title": TITLE_STYLE,
            "dragmode": False,
            "paper_bgcolor": "#ffffff",
        },
    }
    return apply_properties(figure, map_properties(**kwargs))


def category_map_figure(
    view: pd.DataFrame,
    areas: pd.DataFrame,
    categories: Mapping[str, tuple[str, str]],
    *,
    title: str,
    lines: list[str],
    badge: bool,
    geojson_url: str,
    meta: Mapping[str, Any],
) -> dict[str, Any]:
    """A categorical choropleth: one trace (one legend entry, one colour) per category.

    `view` has `area_code`, `category` and `hover` per area; `categories` maps each category to
    its (label, colour), in legend order. Geometry is referenced by URL, as on the value maps.
    """
    names = areas.set_index("area_code")["name_en"]
    traces = []
    for key, (label, colour) in categories.items():
        part = view[view["category"] == key]
        traces.append(
            {
                "type": "choropleth",
                "name": label,
                "geojson": geojson_url,
                "featureidkey": "id",
                "locations": part["area_code"].tolist(),
                "z": [1] * len(part),
                "customdata": [
                    [names.get(code, code), label, hover]
                    for code, hover in zip(part["area_code"], part["hover"], strict=True)
                ],
                "colorscale": [[0, colour], [1, colour]],
                "showscale": False,
                "showlegend": True,
                "marker": {"line": {"color": BORDER_COLOUR, "width": 0.6}},
                "hovertemplate": (
                    "<b>%{customdata[0]}</b><br>%{customdata[1]}<br>%{customdata[2]}<extra></extra>"
                ),
            }
        )
    return {
        "data": traces,
        "layout": {
            "geo": GEO_LAYOUT,
            "title": {**TITLE_STYLE, "text": _wrap(title, 80)},
            "legend": {"orientation": "v", "x": 1, "xanchor": "right", "y": 0.5},
            "annotations": _footer_annotations(lines, badge),
            "margin": {"l": 4, "r": 4, "t": _top_margin(title, badge), "b": _bottom_margin(lines)},
            "font": {"family": FONT_FAMILY, "size": 12},
            "dragmode": False,
            "paper_bgcolor": "#ffffff",
            "meta": dict(meta),
        },
    }


# ---------------------------------------------------------------- time series


def time_series_figure(
    view: pd.DataFrame,
    catalogue: pd.DataFrame,
    indicator_id: str,
    trajectory: tuple[tuple[int, float], tuple[int, float]] | None = None,
) -> dict[str, Any]:
    """National series (and its family across series breaks) plus chosen areas, with the target.

    `trajectory` ((baseline year, value), (target year, target)) is drawn as the straight path
    the national series needed to follow to reach its target (see `dashboard.progress`).
    """
    indicator = catalogue.loc[indicator_id]
    traces: list[dict] = []
    groups = list(view.groupby(["indicator_id", "area_code"], sort=False))
    families = view["indicator_id"].nunique() > 1
    for i, ((member, _area), rows) in enumerate(groups):
        member_meta = catalogue.loc[member]
        label = rows["area_name"].iloc[0]
        if families:
            label = f"{label}: {member_meta['name_en']}"
        several_sources = rows["source_id"].nunique() > 1
        illustrative = (rows["nature"] == "illustrative").any()
        text = [format_with_unit(v, member_meta) for v in rows["value"]]
        traces.append(
            {
                "type": "scatter",
                "mode": "markers" if several_sources else "lines+markers",
                "name": _wrap(label + (" (illustrative)" if illustrative else ""), 40),
                "x": rows["year"].astype(int).tolist(),
                "y": rows["value"].tolist(),
                "customdata": [
                    [t, p, n]
                    for t, p, n in zip(text, rows["source_publisher"], rows["nature"], strict=True)
                ],
                "hovertemplate": (
                    "%{x}: <b>%{customdata[0]}</b><br>%{customdata[1]}<br>%{customdata[2]}"
                    "<extra>" + label + "</extra>"
                ),
                "line": {
                    "color": SERIES_COLOURS[i % len(SERIES_COLOURS)],
                    "dash": "dot"
                    if illustrative
                    else ("solid" if member == indicator_id else "dash"),
                },
                "marker": {"size": 7},
                "connectgaps": False,
            }
        )
    shapes: list[dict] = []
    if pd.notna(indicator["target_value"]) and pd.notna(indicator["target_year"]):
        target, target_year = float(indicator["target_value"]), int(indicator["target_year"])
        traces.append(
            {
                "type": "scatter",
                "mode": "markers+text",
                "name": f"Target {target_year}",
                "x": [target_year],
                "y": [target],
                "text": [f"Target {target_year}: {format_with_unit(target, indicator)}"],
                "textposition": "top left",
                "marker": {"symbol": "star", "size": 12, "color": BADGE_COLOUR},
                "hovertemplate": "%{text}<extra></extra>",
            }
        )
        if trajectory is not None:
            (x0, y0), (x1, y1) = trajectory
            traces.append(
                {
                    "type": "scatter",
                    "mode": "lines",
                    "name": f"Path to target ({x0}–{x1})",
                    "x": [x0, x1],
                    "y": [y0, y1],
                    "line": {"color": BADGE_COLOUR, "width": 1.5, "dash": "dash"},
                    "hovertemplate": (
                        "Path from the " + str(x0) + " baseline to the target<extra></extra>"
                    ),
                    "meta": "trajectory",
                }
            )
        shapes.append(
            {
                "type": "line",
                "xref": "paper",
                "x0": 0,
                "x1": 1,
                "y0": target,
                "y1": target,
                "line": {"color": BADGE_COLOUR, "width": 1, "dash": "dot"},
            }
        )
    lines = provenance_lines(view, indicator)
    if families:
        lines.append("Series break: the lines use different methods and must not be joined.")
    badge = bool((view["badge"] != "").any()) if not view.empty else False
    title = f"{indicator['name_en']} over time"
    return {
        "data": traces,
        "layout": {
            "title": {**TITLE_STYLE, "text": _wrap(title, 80)},
            "xaxis": {"title": {"text": "Year"}, "tickformat": "d", "dtick": 2},
            "yaxis": {"title": {"text": _wrap(indicator["unit_en"], 30)}, "rangemode": "tozero"},
            "shapes": shapes,
            "annotations": _footer_annotations(lines, badge, offset=AXIS_SPACE),
            "legend": LEGEND_ON_TOP,
            "margin": {
                "l": 56,
                "r": 16,
                "t": _top_margin(title, badge) + 24 * ((len(traces) + 2) // 3),
                "b": AXIS_SPACE + _bottom_margin(lines),
            },
            "font": {"family": FONT_FAMILY, "size": 12},
            "hovermode": "closest",
            "meta": {"indicator_id": indicator_id, "points": int(len(view))},
        },
    }


# ---------------------------------------------------------------- budget


def budget_stack_figure(rows: pd.DataFrame, catalogue: pd.DataFrame) -> dict[str, Any]:
    """Stacked bars of one budget stack over the years (e.g. health spending by source)."""
    traces = []
    for i, (member, part) in enumerate(rows.groupby("indicator_id", sort=True)):
        meta = catalogue.loc[member]
        traces.append(
            {
                "type": "bar",
                "name": _wrap(meta["name_en"], 40),
                "x": part["year"].astype(int).tolist(),
                "y": part["value"].tolist(),
                "marker": {"color": SERIES_COLOURS[i % len(SERIES_COLOURS)]},
                "hovertemplate": "%{x}: %{y:.1f}<extra>" + meta["name_en"] + "</extra>",
            }
        )
    first = catalogue.loc[rows["indicator_id"].iloc[0]]
    lines = provenance_lines(rows, first)
    return {
        "data": traces,
        "layout": {
            "barmode": "stack",
            "title": {**TITLE_STYLE, "text": "Health spending by source"},
            "yaxis": {"title": {"text": first["unit_en"]}},
            "xaxis": {"tickformat": "d"},
            "annotations": _footer_annotations(lines, False, offset=AXIS_SPACE),
            "legend": LEGEND_ON_TOP,
            "margin": {"l": 56, "r": 16, "t": 96, "b": AXIS_SPACE + _bottom_margin(lines)},
            "font": {"family": FONT_FAMILY, "size": 12},
            "meta": {"points": int(len(rows))},
        },
    }


def budget_lines_figure(rows: pd.DataFrame) -> dict[str, Any]:
    """Horizontal bars of programme envelopes, coloured by funder, labelled with their period."""
    labels = [
        _wrap(f"{p} ({y}{'' if pd.isna(e) else f'–{e}'})", 45)
        for p, y, e in zip(rows["programme_en"], rows["year"], rows["year_end"], strict=True)
    ]
    colours = {
        "government": SERIES_COLOURS[0],
        "donor": SERIES_COLOURS[4],
        "mixed": SERIES_COLOURS[6],
    }
    traces = []
    for funder, colour in colours.items():
        part = rows["funder"] == funder
        if not part.any():
            continue
        traces.append(
            {
                "type": "bar",
                "orientation": "h",
                "name": "Government and donors" if funder == "mixed" else f"Funded by {funder}",
                "y": [label for label, keep in zip(labels, part, strict=True) if keep],
                "x": (rows.loc[part, "amount"] / 1e6).tolist(),
                "customdata": [
                    [f"{a:,.2f}", c, s, p]
                    for a, c, s, p in zip(
                        rows.loc[part, "amount"] / 1e6,
                        rows.loc[part, "currency"],
                        rows.loc[part, "stage"],
                        rows.loc[part, "source_publisher"],
                        strict=False,
                    )
                ],
                "hovertemplate": (
                    "%{customdata[0]} million %{customdata[1]} (%{customdata[2]})"
                    "<br>%{customdata[3]}<extra></extra>"
                ),
                "marker": {"color": colour},
            }
        )
    currencies = sorted(set(rows["currency"]))
    lines = [f"Source: {'; '.join(sorted(set(rows['source_publisher'])))}"]
    return {
        "data": traces,
        "layout": {
            "title": {**TITLE_STYLE, "text": "Programme envelopes"},
            "xaxis": {"title": {"text": f"million {', '.join(currencies)}"}},
            "yaxis": {"automargin": True},
            "annotations": _footer_annotations(lines, False, offset=AXIS_SPACE),
            "legend": LEGEND_ON_TOP,
            "margin": {"l": 8, "r": 16, "t": 80, "b": AXIS_SPACE + _bottom_margin(lines)},
            "font": {"family": FONT_FAMILY, "size": 12},
            "meta": {"points": int(len(rows))},
        },
    }
