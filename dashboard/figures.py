"""Figure builders: plain functions from query results to plotly figure dicts. No Dash here.

Maps reference their geometry by URL (`/geo/<level>.geojson`), so the browser fetches and caches
each level's shapes once; a change of indicator, year or level then only sends new values. The
map's changing parts are described once, as property paths (`map_properties`), and applied either
to a whole figure dict or to a `dash.Patch`: the same code serves the first draw and every update.

Every builder takes the reader's language: all text inside a figure (titles, axes, legend, hover,
badge, footers) comes from the catalogue or the release's `_lo` columns, numbers are formatted
with the language's symbols (`layout.separators` for what plotly.js formats itself), and long
text is wrapped at word boundaries (`dashboard.lao_text`), since plotly never wraps.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from dashboard.formatting import (
    NAMED_BY_SOURCE,
    NOT_NAMED_BY_SOURCE,
    format_value,
    format_with_unit,
    nature_label,
    nature_line,
    plotly_separators,
    unit_text,
)
from dashboard.i18n import N_, NO_DATA, localized, translator
from dashboard.lao_text import line_count, wrap_html
from dashboard.queries import ILLUSTRATIVE_BADGE, natures_of

FONT_FAMILY = "'Noto Sans Lao', 'Phetsarath OT', system-ui, -apple-system, 'Segoe UI', sans-serif"
TEXT_COLOUR = "#222222"  # 15.9:1 on white
NOTE_COLOUR = "#4d4d4d"  # 8.5:1 on white: footers and notes
COLORSCALE = "Cividis"  # perceptually uniform and colour-blind safe; its low end is dark blue
NO_DATA_COLOUR = "#e6e6e6"  # light grey, far from Cividis' dark-blue low end …
NO_DATA_OUTLINE = "#8c8c8c"  # … with a darker outline, and its own legend entry
BORDER_COLOUR = "#ffffff"
NAMED_COLOUR = "#1f4e79"  # a programme area named by its source (one category, dark blue)
BADGE_COLOUR = "#b00020"  # white badge text on it: 7.0:1
SERIES_COLOURS = ("#1f4e79", "#c0504d", "#4f8f3a", "#7a4f9a", "#d68910", "#17808a", "#5d5d5d")

#: Wrapping widths, in columns, of the texts drawn in figures.
TITLE_WIDTH, NOTE_WIDTH, LEGEND_WIDTH, LABEL_WIDTH, UNIT_WIDTH = 80, 110, 40, 45, 30
COLORBAR_WIDTH = 14
AXIS_SPACE = 50  # pixels under a cartesian plot taken by tick labels and the axis title (Lao
#: glyphs stack marks above and below the line, so they need more room than Latin ones)
LEGEND_LINE, LEGEND_ROW_PAD, LEGEND_PER_ROW = 18, 6, 3
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

MAP_TITLES = {
    "province": N_("{indicator} by province, {year}"),
    "district": N_("{indicator} by district, {year}"),
}
MAP_TITLES_NO_YEAR = {
    "province": N_("{indicator} by province"),
    "district": N_("{indicator} by district"),
}
SCHEMATIC_NOTE = N_("Schematic layout — not a map")
SERIES_BREAK_NOTE = N_("Series break: the lines use different methods and must not be joined.")
FUNDER_LABELS = {
    "government": N_("Funded by the government"),
    "donor": N_("Funded by donors"),
    "mixed": N_("Government and donors"),
}
#: One label per budget stage the schema allows (`schema.py`: approved, committed, executed).
STAGE_LABELS = {
    "approved": N_("approved"),
    "committed": N_("committed"),
    "executed": N_("executed"),
}


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


def base_layout(lang: str) -> dict[str, Any]:
    """What every figure's layout shares: font, text colour, the language's number symbols."""
    return {
        "font": {"family": FONT_FAMILY, "size": 12, "color": TEXT_COLOUR},
        "separators": plotly_separators(lang),
        "paper_bgcolor": "#ffffff",
    }


def illustrative_badge_text(lang: str) -> str:
    """The badge every illustrative figure carries, in the reader's language."""
    return translator(lang)(ILLUSTRATIVE_BADGE).upper()


def _footer_annotations(
    lines: list[str], badge: bool, lang: str, extra_top: str | None = None, offset: int = 8
) -> list[dict]:
    """Source, unit, nature and attribution under the plot; the illustrative badge above it."""
    notes = []
    shift = offset
    for line in lines:
        notes.append(
            {
                "text": wrap_html(line, NOTE_WIDTH),
                "xref": "paper",
                "yref": "paper",
                "x": 0,
                "y": 0,
                "yshift": -shift,
                "xanchor": "left",
                "yanchor": "top",
                "showarrow": False,
                "align": "left",
                "font": {"size": 10, "color": NOTE_COLOUR},
            }
        )
        shift += 16 * line_count(line, NOTE_WIDTH)
    if badge:
        notes.append(
            {
                "text": f"<b>{illustrative_badge_text(lang)}</b>",
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
                "font": {"size": 11, "color": NOTE_COLOUR},
            }
        )
    return notes


def provenance_lines(view: pd.DataFrame, indicator: pd.Series, lang: str) -> list[str]:
    """Short source and nature lines drawn inside the figure, so they travel with an image.

    Publishers only (cited as published, in English): the full citations with links are listed
    beside the chart.
    """
    _ = translator(lang)
    unit = unit_text(indicator, lang)
    if view.empty:
        return [_("Unit: {unit}", unit=unit)]
    publishers = list(dict.fromkeys(view["source_label"]))
    shown = "; ".join(publishers[:3])
    if len(publishers) > 3:
        shown = _("{shown}; and {count} more", shown=shown, count=len(publishers) - 3)
    return [
        _("Source: {sources}", sources=shown),
        _(
            "Unit: {unit} · Nature: {natures}",
            unit=unit,
            natures=nature_line(natures_of(view), lang),
        ),
    ]


def _top_margin(title: str, badge: bool) -> int:
    """Room for a title wrapped over several lines and, below it, the illustrative badge."""
    return 28 + 20 * line_count(title, TITLE_WIDTH) + (26 if badge else 0)


def legend_height(names: list[str]) -> int:
    """Pixels a horizontal legend takes: rows of entries, each as tall as its longest entry
    (wrapped Lao names take two or three lines)."""
    rows = [names[i : i + LEGEND_PER_ROW] for i in range(0, len(names), LEGEND_PER_ROW)]
    return sum(LEGEND_ROW_PAD + LEGEND_LINE * max(n.count("<br>") + 1 for n in row) for row in rows)


def _bottom_margin(lines: list[str], base: int = 24) -> int:
    return base + 16 * sum(line_count(line, NOTE_WIDTH) for line in lines)


# ---------------------------------------------------------------- choropleth map


def localized_names(frame: pd.DataFrame, lang: str, stem: str = "name") -> list[str]:
    """`<stem>_lo` (else `<stem>_en`) of every row: area names in the reader's language."""
    return [
        localized(row, stem, lang) for row in frame[[f"{stem}_en", f"{stem}_lo"]].to_dict("records")
    ]


def map_title(indicator: pd.Series, level: str, year: int | None, lang: str) -> str:
    """`Stunting by province, 2017` / `… ຕາມແຂວງ, ປີ 2017`: one whole sentence per level."""
    _ = translator(lang)
    name = localized(indicator, "name", lang)
    if year is None:
        return _(MAP_TITLES_NO_YEAR[level], indicator=name)
    return _(MAP_TITLES[level], indicator=name, year=year)


#: The map properties that a change of year alone can change; the others (geometry, the
#: background of every area, colour range and scale, unit) depend on indicator, level and
#: language only, so a year change patches just these.
YEAR_PROPERTIES = (
    "data.0.showlegend",
    "data.1.locations",
    "data.1.z",
    "data.1.customdata",
    "layout.title.text",
    "layout.margin.t",
    "layout.annotations",
    "layout.margin.b",
    "layout.meta",
)


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
    lang: str,
    schematic: bool = False,
) -> dict[str, Any]:
    """Everything on the map that depends on indicator, level, year and language, as paths."""
    _ = translator(lang)
    values = view.set_index("area_code")
    names = dict(zip(areas["area_code"], localized_names(areas, lang), strict=True))
    shown = [code for code in areas["area_code"] if code in values.index]
    custom = [
        [
            names[code],
            format_with_unit(values.at[code, "value"], indicator, lang),
            nature_label(values.at[code, "nature"], lang),
            _(values.at[code, "badge"]) if values.at[code, "badge"] else "",
        ]
        for code in shown
    ]
    low, high = value_range if value_range else (0.0, 1.0)
    if low == high:
        low, high = low - 1, high + 1
    badge = bool((view["badge"] != "").any())
    title = map_title(indicator, level, year, lang)
    lines = provenance_lines(view, indicator, lang)
    lines.append(attribution)
    missing = len(areas) - len(shown)
    return {
        **_category_properties(indicator, lang),
        "data.0.geojson": geojson_url,
        "data.0.locations": areas["area_code"].tolist(),
        "data.0.z": [0] * len(areas),
        "data.0.customdata": [names[code] for code in areas["area_code"]],
        "data.0.showlegend": missing > 0,
        "data.1.name": (
            _(NAMED_BY_SOURCE)
            if indicator["unit_kind"] == "flag"
            else localized(indicator, "name", lang)
        ),
        "data.1.geojson": geojson_url,
        "data.1.locations": shown,
        "data.1.z": [float(values.at[code, "value"]) for code in shown],
        "data.1.customdata": custom,
        "data.1.zmin": low,
        "data.1.zmax": high,
        "data.1.reversescale": indicator["direction"] == "lower",
        "data.1.colorbar.title.text": wrap_html(unit_text(indicator, lang), COLORBAR_WIDTH),
        # years are ticked as whole, ungrouped numbers (2016, not 2.016,8)
        "data.1.colorbar.tickformat": "d" if indicator["unit_kind"] == "year" else "",
        "data.1.colorbar.dtick": 1 if indicator["unit_kind"] == "year" else None,
        "layout.title.text": wrap_html(title, TITLE_WIDTH),
        "layout.margin.t": _top_margin(title, badge),
        "layout.annotations": _footer_annotations(
            lines, badge, lang, _(SCHEMATIC_NOTE) if schematic else None
        ),
        "layout.margin.b": _bottom_margin(lines),
        "layout.meta": {
            "indicator_id": indicator.name,
            "level": level,
            "year": year,
            "lang": lang,
            "areas_with_data": len(shown),
            "areas_without_data": missing,
        },
    }


def _category_properties(indicator: pd.Series, lang: str) -> dict[str, Any]:
    """How the two map traces read: a value scale with "no data" beneath, or — for a programme
    area (`unit_kind` flag) — two categories, "named by this source" and "not named by this
    source", never a scale of zeros and ones. Always every key, so a patch from one indicator
    to another leaves nothing of the previous one."""
    _ = translator(lang)
    if indicator["unit_kind"] != "flag":
        no_data = _(NO_DATA)
        return {
            "data.0.name": no_data,
            "data.0.hovertemplate": "<b>%{customdata}</b><br>" + no_data + "<extra></extra>",
            "data.1.colorscale": COLORSCALE,
            "data.1.showscale": True,
            "data.1.showlegend": False,
        }
    not_named = _(NOT_NAMED_BY_SOURCE)
    return {
        "data.0.name": not_named,
        "data.0.hovertemplate": "<b>%{customdata}</b><br>" + not_named + "<extra></extra>",
        "data.1.colorscale": [[0, NAMED_COLOUR], [1, NAMED_COLOUR]],
        "data.1.showscale": False,
        "data.1.showlegend": True,
    }


def empty_map_figure(*, lang: str) -> dict[str, Any]:
    """The parts of a value map that no indicator, level or year changes: its two traces
    (every area in "no data" grey beneath, the values over it) and their styling."""
    no_data = translator(lang)(NO_DATA)
    return {
        "data": [
            {
                "type": "choropleth",
                "name": no_data,
                "featureidkey": "id",
                "colorscale": [[0, NO_DATA_COLOUR], [1, NO_DATA_COLOUR]],
                "showscale": False,
                "marker": {"line": {"color": NO_DATA_OUTLINE, "width": 0.8}},
                "hovertemplate": "<b>%{customdata}</b><br>" + no_data + "<extra></extra>",
            },
            {
                "type": "choropleth",
                "name": "values",
                "featureidkey": "id",
                "colorscale": COLORSCALE,
                "showlegend": False,
                "marker": {"line": {"color": BORDER_COLOUR, "width": 0.6}},
                "colorbar": {"thickness": 12, "len": 0.7, "title": {"text": ""}},
                "hovertemplate": (
                    "<b>%{customdata[0]}</b><br>%{customdata[1]}<br>%{customdata[2]}"
                    "<br>%{customdata[3]}<extra></extra>"
                ),
            },
        ],
        "layout": {
            **base_layout(lang),
            "geo": GEO_LAYOUT,
            "margin": {"l": 4, "r": 4, "t": 64, "b": 96},
            "title": dict(TITLE_STYLE),
            "legend": {"x": 0, "y": 0, "xanchor": "left", "yanchor": "bottom"},
            "dragmode": False,
        },
    }


def coverage_map_figure(*, lang: str, **arguments: Any) -> dict[str, Any]:
    """A choropleth of one indicator at one level and year; areas without data are grey."""
    return apply_properties(empty_map_figure(lang=lang), map_properties(lang=lang, **arguments))


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
    lang: str,
) -> dict[str, Any]:
    """A categorical choropleth: one trace (one legend entry, one colour) per category.

    `view` has `area_code`, `category` and `hover` per area; `categories` maps each category to
    its (label, colour), in legend order, labels already in the reader's language. The label is
    in the legend and in every hover, so no meaning rests on colour alone.
    """
    names = dict(zip(areas["area_code"], localized_names(areas, lang), strict=True))
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
                    [names.get(code, code), label, wrap_html(hover, LABEL_WIDTH)]
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
            **base_layout(lang),
            "geo": GEO_LAYOUT,
            "title": {**TITLE_STYLE, "text": wrap_html(title, TITLE_WIDTH)},
            "legend": {"orientation": "v", "x": 1, "xanchor": "right", "y": 0.5},
            "annotations": _footer_annotations(lines, badge, lang),
            "margin": {"l": 4, "r": 4, "t": _top_margin(title, badge), "b": _bottom_margin(lines)},
            "dragmode": False,
            "meta": dict(meta),
        },
    }


# ---------------------------------------------------------------- time series


def _series_label(rows: pd.DataFrame, member: pd.Series, families: bool, lang: str) -> str:
    """A line's legend name: the area, with the method where a series break splits the lines."""
    _ = translator(lang)
    area = localized(
        {"name_en": rows["area_name"].iloc[0], "name_lo": rows["area_name_lo"].iloc[0]},
        "name",
        lang,
    )
    if families:
        return _("{area}: {indicator}", area=area, indicator=localized(member, "name", lang))
    return area


def time_series_figure(
    view: pd.DataFrame,
    catalogue: pd.DataFrame,
    indicator_id: str,
    trajectory: tuple[tuple[int, float], tuple[int, float]] | None = None,
    *,
    lang: str,
) -> dict[str, Any]:
    """National series (and its family across series breaks) plus chosen areas, with the target.

    `trajectory` ((baseline year, value), (target year, target)) is drawn as the straight path
    the national series needed to follow to reach its target (see `dashboard.progress`).
    """
    _ = translator(lang)
    indicator = catalogue.loc[indicator_id]
    traces: list[dict] = []
    groups = list(view.groupby(["indicator_id", "area_code"], sort=False))
    families = view["indicator_id"].nunique() > 1
    for i, ((member, _area), rows) in enumerate(groups):
        member_meta = catalogue.loc[member]
        label = _series_label(rows, member_meta, families, lang)
        several_sources = rows["source_id"].nunique() > 1
        illustrative = (rows["nature"] == "illustrative").any()
        text = [format_with_unit(v, member_meta, lang) for v in rows["value"]]
        natures = [nature_label(n, lang) for n in rows["nature"]]
        name = _("{label} (illustrative)", label=label) if illustrative else label
        traces.append(
            {
                "type": "scatter",
                "mode": "markers" if several_sources else "lines+markers",
                "name": wrap_html(name, LEGEND_WIDTH),
                "x": rows["year"].astype(int).tolist(),
                "y": rows["value"].tolist(),
                "customdata": [
                    [t, p, n] for t, p, n in zip(text, rows["source_label"], natures, strict=True)
                ],
                "hovertemplate": (
                    "%{x}: <b>%{customdata[0]}</b><br>%{customdata[1]}<br>%{customdata[2]}"
                    "<extra>" + wrap_html(label, LEGEND_WIDTH) + "</extra>"
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
        target_text = format_with_unit(target, indicator, lang)
        traces.append(
            {
                "type": "scatter",
                "mode": "markers+text",
                "name": _("Target {year}", year=target_year),
                "x": [target_year],
                "y": [target],
                "text": [_("Target {year}: {value}", year=target_year, value=target_text)],
                "textposition": "top left",
                "textfont": {"color": BADGE_COLOUR},
                "marker": {"symbol": "star", "size": 12, "color": BADGE_COLOUR},
                "hovertemplate": "%{text}<extra></extra>",
                "meta": "target",
            }
        )
        if trajectory is not None:
            (x0, y0), (x1, y1) = trajectory
            traces.append(
                {
                    "type": "scatter",
                    "mode": "lines",
                    "name": _("Path to target ({start}–{end})", start=x0, end=x1),
                    "x": [x0, x1],
                    "y": [y0, y1],
                    "line": {"color": BADGE_COLOUR, "width": 1.5, "dash": "dash"},
                    "hovertemplate": _("Path from the {year} baseline to the target", year=x0)
                    + "<extra></extra>",
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
    lines = provenance_lines(view, indicator, lang)
    if families:
        lines.append(_(SERIES_BREAK_NOTE))
    badge = bool((view["badge"] != "").any()) if not view.empty else False
    title = _("{name} over time", name=localized(indicator, "name", lang))
    return {
        "data": traces,
        "layout": {
            **base_layout(lang),
            "title": {**TITLE_STYLE, "text": wrap_html(title, TITLE_WIDTH)},
            "xaxis": {"title": {"text": _("Year")}, "tickformat": "d", "dtick": 2},
            "yaxis": {
                "title": {"text": wrap_html(unit_text(indicator, lang), UNIT_WIDTH)},
                "rangemode": "tozero",
            },
            "shapes": shapes,
            "annotations": _footer_annotations(lines, badge, lang, offset=AXIS_SPACE),
            "legend": LEGEND_ON_TOP,
            "margin": {
                "l": 56,
                "r": 16,
                "t": _top_margin(title, badge) + legend_height([t["name"] for t in traces]),
                "b": AXIS_SPACE + _bottom_margin(lines),
            },
            "hovermode": "closest",
            "meta": {"indicator_id": indicator_id, "points": int(len(view)), "lang": lang},
        },
    }


# ---------------------------------------------------------------- budget


def budget_stack_figure(
    rows: pd.DataFrame, catalogue: pd.DataFrame, *, lang: str
) -> dict[str, Any]:
    """Stacked bars of one budget stack over the years (e.g. health spending by source)."""
    _ = translator(lang)
    traces = []
    for i, (member, part) in enumerate(rows.groupby("indicator_id", sort=True)):
        name = localized(catalogue.loc[member], "name", lang)
        traces.append(
            {
                "type": "bar",
                "name": wrap_html(name, LEGEND_WIDTH),
                "x": part["year"].astype(int).tolist(),
                "y": part["value"].tolist(),
                "marker": {"color": SERIES_COLOURS[i % len(SERIES_COLOURS)]},
                "hovertemplate": "%{x}: %{y:,.1f}<extra>"
                + wrap_html(name, LEGEND_WIDTH)
                + "</extra>",
            }
        )
    first = catalogue.loc[rows["indicator_id"].iloc[0]]
    lines = provenance_lines(rows, first, lang)
    badge = bool((rows["nature"] == "illustrative").any())
    return {
        "data": traces,
        "layout": {
            **base_layout(lang),
            "barmode": "stack",
            "title": {**TITLE_STYLE, "text": _("Health spending by source")},
            "yaxis": {"title": {"text": wrap_html(unit_text(first, lang), UNIT_WIDTH)}},
            "xaxis": {"tickformat": "d"},
            "annotations": _footer_annotations(lines, badge, lang, offset=AXIS_SPACE),
            "legend": LEGEND_ON_TOP,
            "margin": {"l": 56, "r": 16, "t": 96, "b": AXIS_SPACE + _bottom_margin(lines)},
            "meta": {"points": int(len(rows)), "lang": lang},
        },
    }


def programme_label(row: Mapping[str, Any], lang: str) -> str:
    """`School meals (2020–2025)`: a programme and its period, in the reader's language."""
    _ = translator(lang)
    name = localized(row, "programme", lang)
    start, end = int(row["year"]), row["year_end"]
    if pd.isna(end):
        return _("{programme} ({year})", programme=name, year=start)
    return _("{programme} ({start}–{end})", programme=name, start=start, end=int(end))


def budget_lines_figure(rows: pd.DataFrame, *, lang: str) -> dict[str, Any]:
    """Horizontal bars of programme envelopes, coloured by funder, labelled with their period."""
    _ = translator(lang)
    records = rows.to_dict("records")
    labels = [wrap_html(programme_label(r, lang), LABEL_WIDTH) for r in records]
    colours = {
        "government": SERIES_COLOURS[0],
        "donor": SERIES_COLOURS[4],
        "mixed": SERIES_COLOURS[6],
    }
    traces = []
    for funder, colour in colours.items():
        part = [i for i, r in enumerate(records) if r["funder"] == funder]
        if not part:
            continue
        traces.append(
            {
                "type": "bar",
                "orientation": "h",
                "name": _(FUNDER_LABELS[funder]),
                "y": [labels[i] for i in part],
                "x": [records[i]["amount"] / 1e6 for i in part],
                "customdata": [
                    [
                        _(
                            "{amount} million {currency} ({stage})",
                            amount=format_value(records[i]["amount"] / 1e6, 2, lang=lang),
                            currency=records[i]["currency"],
                            stage=_(STAGE_LABELS.get(records[i]["stage"], records[i]["stage"])),
                        ),
                        records[i]["source_label"],
                    ]
                    for i in part
                ],
                "hovertemplate": "%{customdata[0]}<br>%{customdata[1]}<extra></extra>",
                "marker": {"color": colour},
            }
        )
    currencies = ", ".join(sorted(set(rows["currency"])))
    lines = [_("Source: {sources}", sources="; ".join(sorted(set(rows["source_label"]))))]
    return {
        "data": traces,
        "layout": {
            **base_layout(lang),
            "title": {**TITLE_STYLE, "text": _("Programme envelopes")},
            "xaxis": {"title": {"text": _("million {currency}", currency=currencies)}},
            "yaxis": {"automargin": True},
            "annotations": _footer_annotations(lines, False, lang, offset=AXIS_SPACE),
            "legend": LEGEND_ON_TOP,
            "margin": {"l": 8, "r": 16, "t": 80, "b": AXIS_SPACE + _bottom_margin(lines)},
            "meta": {"points": int(len(rows)), "lang": lang},
        },
    }


# ---------------------------------------------------------------- contrast


def _luminance(colour: str) -> float:
    channels = [int(colour.lstrip("#")[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast_ratio(foreground: str, background: str) -> float:
    """WCAG 2.1 contrast ratio of two `#rrggbb` colours (AA asks ≥ 4.5 for text)."""
    high, low = sorted((_luminance(foreground), _luminance(background)), reverse=True)
    return (high + 0.05) / (low + 0.05)
