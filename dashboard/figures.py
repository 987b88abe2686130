"""Figure builders: plain functions from query results to plotly figure dicts. No Dash here.

Maps reference their geometry by URL (`/geo/<level>.geojson`), so the browser fetches and caches
each level's shapes once; a change of indicator, year or level then only sends new values. The
map's changing parts are described once, as property paths (`map_properties`), and applied either
to a whole figure dict or to a `dash.Patch`: the same code serves the first draw and every update.

Every builder takes the reader's language: all text inside a figure (axes, legend, labels, hover
and, in images, titles and footers) comes from the catalogue or the release's `_lo` columns,
numbers are formatted with the language's symbols (`layout.separators` for what plotly.js
formats itself), and long text is wrapped at word boundaries (`dashboard.lao_text`), since
plotly never wraps.

Every builder also takes a `FigureLayout` (`dashboard.figure_layouts`: phone, tablet, desktop,
embed, and the image sizes). On pages and embeds the chart frame shows title, subtitle, badge,
sources and notes as HTML, so figures draw none of them (their text is in `layout.meta`:
`title`, `notes`); only image layouts (`text_inside`) draw them into the figure.
"""

from __future__ import annotations

import copy
import math
from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd
from plotly.colors import sample_colorscale, unlabel_rgb

from dashboard.figure_layouts import DESKTOP, FigureLayout
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
from dashboard.lao_text import display_width, line_count, wrap_html
from dashboard.queries import ILLUSTRATIVE_BADGE, natures_of

FONT_FAMILY = "'Noto Sans Lao', 'Phetsarath OT', system-ui, -apple-system, 'Segoe UI', sans-serif"
TEXT_COLOUR = "#222222"  # 15.9:1 on white
NOTE_COLOUR = "#4d4d4d"  # 8.5:1 on white: footers and notes
COLORSCALE = "Cividis"  # perceptually uniform and colour-blind safe; its low end is dark blue
NO_DATA_COLOUR = "#e6e6e6"  # light grey, far from Cividis' dark-blue low end …
NO_DATA_OUTLINE = "#8c8c8c"  # … with a darker outline, and its own legend entry
BORDER_COLOUR = "#ffffff"
BADGE_COLOUR = "#b00020"  # white badge text on it: 7.0:1
SERIES_COLOURS = ("#1f4e79", "#c0504d", "#4f8f3a", "#7a4f9a", "#d68910", "#17808a", "#5d5d5d")

#: Wrapping widths, in columns, of the texts drawn in figures.
TITLE_WIDTH, NOTE_WIDTH, LEGEND_WIDTH, LABEL_WIDTH, UNIT_WIDTH = 80, 110, 40, 45, 30
TITLE_STYLE = {
    "x": 0,
    "xanchor": "left",
    "y": 1,
    "yref": "container",
    "yanchor": "top",
    "pad": {"t": 12},
    "font": {"size": 15},
}
#: West, south, east, north of Lao PDR's prepared boundaries (HDX COD-AB; the schematic tile
#: grid lies inside them). The map is framed on them rather than with plotly's `fitbounds`,
#: which leaves a wide padding: on a phone the country then fills the frame's width.
LAO_BOUNDS = (100.08, 13.91, 107.64, 22.51)
#: Lao PDR alone, framed on its shapes: no base map, so no tiles and no world topojson drawn.
GEO_LAYOUT = {
    "fitbounds": False,
    "lonaxis": {"range": [LAO_BOUNDS[0], LAO_BOUNDS[2]]},
    "lataxis": {"range": [LAO_BOUNDS[1], LAO_BOUNDS[3]]},
    "visible": False,
    "projection": {"type": "mercator"},
    "bgcolor": "rgba(0,0,0,0)",
}

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


def base_layout(lang: str, layout: FigureLayout = DESKTOP) -> dict[str, Any]:
    """What every figure's layout shares: font, text colour, the language's number symbols."""
    return {
        "font": {"family": FONT_FAMILY, "size": layout.font_size, "color": TEXT_COLOUR},
        "separators": plotly_separators(lang),
        "paper_bgcolor": "#ffffff",
    }


def bottom_legend(layout: FigureLayout) -> dict[str, Any]:
    """A horizontal legend along the bottom of the figure's container."""
    return {
        "orientation": "h",
        "x": 0,
        "xanchor": "left",
        "y": 0,
        "yanchor": "bottom",
        "yref": "container",
        "font": {"size": layout.font_size - 1},
    }


def illustrative_badge_text(lang: str) -> str:
    """The badge every illustrative figure carries, in the reader's language."""
    return translator(lang)(ILLUSTRATIVE_BADGE).upper()


def _footer_annotations(
    lines: list[str],
    badge: bool,
    lang: str,
    offset: int = 8,
    width: int = NOTE_WIDTH,
) -> list[dict]:
    """Source, unit, nature and attribution under the plot; the illustrative badge above it."""
    notes = []
    shift = offset
    for line in lines:
        notes.append(
            {
                "text": wrap_html(line, width),
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
        shift += 16 * line_count(line, width)
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


# ---------------------------------------------------------------- layout helpers


def packed_legend_height(names: list[str], layout: FigureLayout) -> int:
    """Pixels a horizontal legend under the plot takes at the layout's narrowest width: plotly
    fills each row with entries (symbol, name) and wraps to the next."""
    width = layout.nominal_width - layout.margin.l - layout.margin.r
    size = layout.font_size - 1
    rows: list[int] = []  # the lines of each row: its tallest entry's
    used = 0.0
    for name in names:
        entry = 44 + widest_px([name], size)
        if not rows or used + entry > width:
            rows.append(0)
            used = 0.0
        used += entry
        rows[-1] = max(rows[-1], name.count("<br>") + 1)
    return sum(round(size * 1.6 * lines + 4) for lines in rows or [1]) + 8


def text_px(text: str, font_size: float) -> float:
    """Approximate pixel width of one line of text (Lao and Latin glyphs average ~0.58 em)."""
    return display_width(text) * font_size * 0.58


def widest_px(texts: Sequence[str], font_size: float) -> float:
    """Pixel width of the widest line of several (possibly `<br>`-wrapped) texts."""
    lines = [line for text in texts for line in str(text).split("<br>")]
    return max((text_px(line, font_size) for line in lines), default=0.0)


def note_columns(layout: FigureLayout) -> int:
    """Columns a footer line may take inside an image of this layout's width."""
    width = layout.width or 960
    return max(30, int((width - 32) / 8))  # 10 px notes: ~8 px a column, Lao marks included


def _image_footer(
    lines: list[str], badge: bool, lang: str, layout: FigureLayout, offset: int
) -> list[dict]:
    """Footer annotations drawn only into images; pages and embeds show them as HTML."""
    if not layout.text_inside:
        return []
    return _footer_annotations(lines, badge, lang, offset=offset, width=note_columns(layout))


def _image_footer_height(lines: list[str], layout: FigureLayout) -> int:
    if not layout.text_inside:
        return 0
    return 16 * sum(line_count(line, note_columns(layout)) for line in lines) + 8


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


#: Pixels of a colour legend drawn under the map of a phone-sized image (bar, two-line labels).
IMAGE_LEGEND_BELOW = 64
#: Where the side panel of a wide map image (colour legend, highest and lowest areas) starts.
IMAGE_PANEL_X = 0.72
#: At most this many colour classes on a map (plus "no data"): five shades of Cividis stay
#: distinguishable, also for readers with a colour-vision deficiency.
MAX_CLASSES = 5
#: Cividis is sampled up to here: its last fifth is a pale yellow too close to the no-data grey
#: (the palest class used keeps a 1.6:1 contrast with it, besides its hue and darker outline).
CIVIDIS_TOP = 0.8
HIGHEST, LOWEST = N_("Highest"), N_("Lowest")


def class_indices(values: Sequence[float], max_classes: int = MAX_CLASSES) -> list[int]:
    """The colour class (0 = lowest) of each value: quantiles of the shown values.

    Classes are chosen for the view, so a map whose values differ never falls into one colour
    (a fixed all-years scale painted 2024's 81.5–98.3 % districts one shade). With few distinct
    values (e.g. start years), each value is its own class.
    """
    series = pd.Series(values, dtype=float)
    if series.empty:
        return []
    distinct = sorted(series.unique())
    if len(distinct) <= max_classes:
        return [distinct.index(v) for v in series]
    codes = pd.qcut(series.rank(method="min"), max_classes, labels=False, duplicates="drop")
    return [int(c) for c in codes]


def class_colours(count: int, reverse: bool = False) -> list[str]:
    """`count` ordered Cividis shades as `#rrggbb` (dark = low), reversed where lower is better."""
    if count <= 0:
        return []
    points = [CIVIDIS_TOP * i / max(count - 1, 1) for i in range(count)]
    colours = [
        "#{:02x}{:02x}{:02x}".format(*(round(c) for c in unlabel_rgb(colour)))
        for colour in sample_colorscale(COLORSCALE, points)
    ]
    return colours[::-1] if reverse else colours


def class_label(
    low: float, high: float, indicator: pd.Series, lang: str, compact: bool = False
) -> str:
    """`81.5–88.0 %` (`81,5–88,0 %` in Lao): the values a colour class holds, in the legend."""
    decimals, kind = indicator["decimals"], indicator["unit_kind"]
    if kind == "flag":  # a programme area: one category, never the number 1
        return translator(lang)(NAMED_BY_SOURCE)
    first = format_value(low, decimals, kind, lang=lang)
    last = format_value(high, decimals, kind, lang=lang)
    text = first if first == last else f"{first}–{'<br>' if compact else ''}{last}"
    return f"{text}\u00a0%" if kind == "percent" else text


def map_classes(
    values: Sequence[float], indicator: pd.Series, lang: str, compact: bool = False
) -> tuple[list[int], list[str]]:
    """Each value's class and each class's legend label (its lowest and highest value)."""
    indices = class_indices(values)
    labels = []
    for k in sorted(set(indices)):
        members = [v for v, i in zip(values, indices, strict=True) if i == k]
        labels.append(class_label(min(members), max(members), indicator, lang, compact))
    # renumber, in case quantile edges merged a class away
    order = {k: n for n, k in enumerate(sorted(set(indices)))}
    return [order[i] for i in indices], labels


def stepped_colorscale(colours: list[str]) -> list[list]:
    """A plotly colorscale of flat bands, one per class: z = class number picks its colour."""
    scale: list[list] = []
    for i, colour in enumerate(colours):
        scale += [[i / len(colours), colour], [(i + 1) / len(colours), colour]]
    return scale


def colour_legend(layout: FigureLayout, classes: int, unit: str) -> dict[str, Any]:
    """The colour bar: vertical beside the map, or horizontal under it on narrow layouts.

    It sits outside the map's domain, so plotly's margin auto-expansion makes room for it and
    the map keeps the rest of the frame.
    """
    bar: dict[str, Any] = {
        "thickness": 12,
        "outlinewidth": 0,
        "ticks": "",
        "tickfont": {"size": layout.font_size},
        "title": {"text": unit if layout.text_inside else ""},
    }
    if layout.text_inside and layout.colour_legend == "right":  # images: top of the side panel
        return {
            **bar,
            "orientation": "v",
            "x": IMAGE_PANEL_X,
            "xanchor": "left",
            "y": 1.0,
            "yanchor": "top",
            "len": max(26, 2 * layout.font_size) * (classes + 1),
            "lenmode": "pixels",
        }
    if layout.colour_legend == "below":
        return {
            **bar,
            "orientation": "h",
            "x": 0.5,
            "xanchor": "center",
            "y": -0.01,
            "yanchor": "top",
            "len": 1.0,
            "lenmode": "fraction",
            "title": {**bar["title"], "side": "top"},
        }
    return {
        **bar,
        "orientation": "v",
        "x": 1.0,
        "xanchor": "left",
        "xpad": 6,
        "y": 0.5,
        "yanchor": "middle",
        "len": min(1.0, 0.12 * (classes + 1) + 0.05),
        "lenmode": "fraction",
    }


def ranking_text(names: list[str], values: list[str], lang: str, count: int = 3) -> str:
    """`Highest: A 98.3 %, …` and `Lowest: …`, one area a line: what a slide reader looks for."""
    _ = translator(lang)
    if len(names) < 2 * count:
        count = len(names) // 2
    if count == 0:
        return ""
    top = [f"{n}  {v}" for n, v in zip(names[:count], values[:count], strict=True)]
    bottom = [f"{n}  {v}" for n, v in zip(names[-count:], values[-count:], strict=True)]
    return "<br>".join([f"<b>{_(HIGHEST)}</b>", *top, "", f"<b>{_(LOWEST)}</b>", *reversed(bottom)])


#: The map properties that a change of year alone can change; the others (geometry, the
#: background of every area, unit) depend on indicator, level and language only, so a year
#: change patches just these. Classes are chosen per view, so colours and legend are among them.
YEAR_PROPERTIES = (
    "data.1.locations",
    "data.1.z",
    "data.1.zmax",
    "data.1.colorscale",
    "data.1.colorbar",
    "data.1.customdata",
    "layout.title.text",
    "layout.margin",
    "layout.annotations",
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
    attribution: str,
    lang: str,
    schematic: bool = False,
    layout: FigureLayout = DESKTOP,
) -> dict[str, Any]:
    """Everything on the map that depends on indicator, level, year, language and layout.

    Colours are classes of the shown values (`map_classes`), each stated in the legend, with
    "no data" its own class. Pages and embeds get no title or footer (their frame shows them
    as HTML); images (`layout.text_inside`) get both, and the three highest and lowest areas.
    """
    _ = translator(lang)
    values = view.set_index("area_code")
    names = dict(zip(areas["area_code"], localized_names(areas, lang), strict=True))
    shown = [code for code in areas["area_code"] if code in values.index]
    numbers = [float(values.at[code, "value"]) for code in shown]
    formatted = [format_with_unit(v, indicator, lang) for v in numbers]
    classes, labels = map_classes(numbers, indicator, lang, compact=layout.compact)
    colours = class_colours(len(labels), reverse=indicator["direction"] == "lower")
    custom = [
        [
            names[code],
            text,
            nature_label(values.at[code, "nature"], lang),
            _(values.at[code, "badge"]) if values.at[code, "badge"] else "",
            number,  # the value itself: z holds its colour class
        ]
        for code, text, number in zip(shown, formatted, numbers, strict=True)
    ]
    # a programme area (`unit_kind` flag) is named by its source or not: never "no data", never 0
    programme_area = indicator["unit_kind"] == "flag"
    no_data = _(NOT_NAMED_BY_SOURCE) if programme_area else _(NO_DATA)
    # the unit titles the legend of a wide image; a phone-sized one states it in its footer
    unit = "" if layout.compact else wrap_html(unit_text(indicator, lang), 18)
    colorbar = colour_legend(layout, len(labels), unit)
    colorbar["tickvals"] = list(range(len(labels) + 1))
    colorbar["ticktext"] = [wrap_html(no_data, 8) if layout.compact else no_data, *labels]
    badge = bool((view["badge"] != "").any())
    title = map_title(indicator, level, year, lang)
    lines = provenance_lines(view, indicator, lang)
    lines.append(attribution)
    missing = len(areas) - len(shown)
    # a phone-sized image has its colour legend under the map, above the footer
    below = IMAGE_LEGEND_BELOW if layout.text_inside and layout.compact else 0
    annotations = _image_footer(lines, badge, lang, layout, offset=8 + below)
    if schematic:
        annotations.append(_corner_note(_(SCHEMATIC_NOTE)))
    if layout.text_inside and layout.colour_legend == "right" and shown:
        ranked = sorted(range(len(shown)), key=lambda i: -numbers[i])
        text = ranking_text([names[shown[i]] for i in ranked], [formatted[i] for i in ranked], lang)
        if text:
            annotations.append(
                {
                    "name": "ranking",
                    "text": text,
                    "xref": "paper",
                    "yref": "paper",
                    "x": IMAGE_PANEL_X,
                    "xanchor": "left",
                    "y": 0.0,
                    "yanchor": "bottom",
                    "align": "left",
                    "showarrow": False,
                    "font": {"size": layout.font_size - 1, "color": TEXT_COLOUR},
                }
            )
    margin = layout.map_margin.as_dict()
    margin["b"] += below + _image_footer_height(lines, layout)
    return {
        "data.0.geojson": geojson_url,
        "data.0.locations": areas["area_code"].tolist(),
        "data.0.z": [0] * len(areas),
        "data.0.customdata": [names[code] for code in areas["area_code"]],
        "data.0.name": no_data,
        "data.0.hovertemplate": "<b>%{customdata}</b><br>" + no_data + "<extra></extra>",
        "data.1.name": localized(indicator, "name", lang),
        "data.1.geojson": geojson_url,
        "data.1.locations": shown,
        "data.1.z": [c + 1 for c in classes],
        "data.1.zmin": -0.5,
        "data.1.zmax": len(labels) + 0.5,
        "data.1.colorscale": stepped_colorscale([NO_DATA_COLOUR, *colours]),
        "data.1.colorbar": colorbar,
        "data.1.customdata": custom,
        "layout.title.text": wrap_html(title, TITLE_WIDTH) if layout.text_inside else "",
        "layout.margin": margin,
        "layout.annotations": annotations,
        "layout.meta": {
            "indicator_id": indicator.name,
            "level": level,
            "year": year,
            "lang": lang,
            "layout": layout.name,
            "areas_with_data": len(shown),
            "areas_without_data": missing,
            "classes": labels,
            "notes": [_(SCHEMATIC_NOTE)] if schematic else [],
        },
    }


def _corner_note(text: str) -> dict[str, Any]:
    return {
        "text": text,
        "xref": "paper",
        "yref": "paper",
        "x": 1,
        "y": 1.0,
        "xanchor": "right",
        "yanchor": "top",
        "showarrow": False,
        "bgcolor": "rgba(255,255,255,0.85)",
        "font": {"size": 11, "color": NOTE_COLOUR},
    }


def map_geo(layout: FigureLayout) -> dict[str, Any]:
    """The geo subplot: the whole frame on pages; beside the legend panel on wide images."""
    geo = copy.deepcopy(GEO_LAYOUT)
    if layout.text_inside and layout.colour_legend == "right":
        geo["domain"] = {"x": [0.0, IMAGE_PANEL_X - 0.02], "y": [0.0, 1.0]}
    return geo


def area_zoom(bounds: tuple[float, float, float, float] | None) -> dict[str, Any]:
    """Geo properties that frame one area (`bounds` = min lon, min lat, max lon, max lat, from
    the prepared geometry), or the whole country again when `bounds` is None.

    Applied with `apply_properties` to a figure or a `dash.Patch`, like `map_properties`.
    """
    if bounds is None:
        return {
            "layout.geo.fitbounds": False,
            "layout.geo.lonaxis": dict(GEO_LAYOUT["lonaxis"]),
            "layout.geo.lataxis": dict(GEO_LAYOUT["lataxis"]),
        }
    west, south, east, north = bounds
    # a margin of half the area's size each side (at least 0.03°, ~3 km), so its neighbours
    # show and the area itself takes about half the frame
    pad_x = max((east - west) * 0.5, 0.03)
    pad_y = max((north - south) * 0.5, 0.03)
    # then at least as tall as wide as drawn (Mercator stretches a degree of latitude by
    # 1/cos φ): plotly draws only the ranges, so a wide area on a phone's tall map would be a
    # strip; a tall area keeps its shape, which a phone's map fills
    scale = math.cos(math.radians((south + north) / 2))
    half_x, half_y = (east - west) / 2 + pad_x, (north - south) / 2 + pad_y
    half_y = max(half_y, half_x * scale)
    mid_x, mid_y = (west + east) / 2, (south + north) / 2
    return {
        "layout.geo.fitbounds": False,
        "layout.geo.lonaxis": {"range": [mid_x - half_x, mid_x + half_x]},
        "layout.geo.lataxis": {"range": [mid_y - half_y, mid_y + half_y]},
    }


def empty_map_figure(*, lang: str, layout: FigureLayout = DESKTOP) -> dict[str, Any]:
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
                "showlegend": False,
                "marker": {"line": {"color": NO_DATA_OUTLINE, "width": 0.8}},
                "hovertemplate": "<b>%{customdata}</b><br>" + no_data + "<extra></extra>",
            },
            {
                "type": "choropleth",
                "name": "values",
                "featureidkey": "id",
                "showlegend": False,
                "marker": {"line": {"color": BORDER_COLOUR, "width": 0.6}},
                "hovertemplate": (
                    "<b>%{customdata[0]}</b><br>%{customdata[1]}<br>%{customdata[2]}"
                    "<br>%{customdata[3]}<extra></extra>"
                ),
            },
        ],
        "layout": {
            **base_layout(lang, layout),
            **({"height": layout.map_height} if layout.map_height else {}),
            "geo": map_geo(layout),
            "margin": layout.map_margin.as_dict(),
            "title": dict(TITLE_STYLE),
            "dragmode": False,
        },
    }


def coverage_map_figure(
    *, lang: str, layout: FigureLayout = DESKTOP, **arguments: Any
) -> dict[str, Any]:
    """A choropleth of one indicator at one level and year; areas without data are grey."""
    return apply_properties(
        empty_map_figure(lang=lang, layout=layout),
        map_properties(lang=lang, layout=layout, **arguments),
    )


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
    layout: FigureLayout = DESKTOP,
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
                "name": wrap_html(label, layout.label_width) if layout.compact else label,
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
    legend = (
        {"orientation": "h", "x": 0, "xanchor": "left", "y": -0.01, "yanchor": "top"}
        if layout.compact
        else {"orientation": "v", "x": 1, "xanchor": "left", "y": 0.5, "yanchor": "middle"}
    )
    margin = layout.map_margin.as_dict()
    margin["b"] += _image_footer_height(lines, layout)
    return {
        "data": traces,
        "layout": {
            **base_layout(lang, layout),
            "geo": copy.deepcopy(GEO_LAYOUT),
            "title": {
                **TITLE_STYLE,
                "text": wrap_html(title, TITLE_WIDTH) if layout.text_inside else "",
            },
            "legend": {**legend, "font": {"size": layout.font_size}},
            "annotations": _image_footer(lines, badge, lang, layout, offset=8),
            "margin": margin,
            "dragmode": False,
            "meta": {**meta, "layout": layout.name, "title": title, "lines": lines},
        },
    }


# ---------------------------------------------------------------- time series


def _series_label(
    rows: pd.DataFrame, member: pd.Series, families: bool, lang: str, one_area: bool = False
) -> str:
    """A line's name: the area, with the method where a series break splits the lines (the
    method alone when every line is of one area, which the subtitle names)."""
    _ = translator(lang)
    area = localized(
        {"name_en": rows["area_name"].iloc[0], "name_lo": rows["area_name_lo"].iloc[0]},
        "name",
        lang,
    )
    if families and one_area:
        return localized(member, "name", lang)
    if families:
        return _("{area}: {indicator}", area=area, indicator=localized(member, "name", lang))
    return area


#: Pixels between a time axis and its year labels.
X_TICK_STANDOFF = 12


def year_dtick(first: int, last: int, max_ticks: int) -> int:
    """A step (1, 2, 3, 5, 10 …) between year ticks, so at most `max_ticks` show unrotated
    (ticks start at the first year: 2016, 2019, 2022, 2025)."""
    span = max(last - first, 1)
    for step in (1, 2, 3, 4, 5, 10, 20, 25, 50):
        if span / step + 1 <= max_ticks:
            return step
    return 100


#: Layouts whose figure width is not known in advance: a page's tablet or desktop column may be
#: any width, so plotly spaces their year ticks by the axis' length (about 80 px a tick).
LENGTH_SPACED_TICKS = ("tablet", "desktop")


def year_ticks(first: int, last: int, layout: FigureLayout) -> dict[str, Any]:
    """Year ticks, unrotated: a fixed step where the layout's width is known, else spaced by
    plotly for the axis' length (whole years only: a short span is ticked every year)."""
    if layout.name in LENGTH_SPACED_TICKS and last - first >= 5:
        return {"tickformat": "d", "tickmode": "auto"}
    return {"tickformat": "d", "tick0": first, "dtick": year_dtick(first, last, layout.max_xticks)}


def spread_labels(positions: list[float], heights: list[float], top: float) -> list[float]:
    """Label centres (px from the plot's bottom) moved apart as little as possible so that no
    two overlap, kept within [0, top]: direct labels of lines that end close together."""
    order = sorted(range(len(positions)), key=lambda i: positions[i])
    placed = [0.0] * len(positions)
    floor = -math.inf
    for i in order:  # upwards: each label at least clear of the one below it
        low = max(positions[i] - heights[i] / 2, floor, 0.0)
        placed[i] = low + heights[i] / 2
        floor = low + heights[i]
    ceiling = math.inf
    for i in reversed(order):  # then down from the top, where the stack overflowed
        high = min(placed[i] + heights[i] / 2, ceiling, top)
        placed[i] = high - heights[i] / 2
        ceiling = high - heights[i]
    return placed


def value_ticks(low: float, high: float, max_ticks: int) -> list[float]:
    """Round ticks (steps of 1, 2, 2.5 or 5 × 10ⁿ) from `low` to `high`, at most `max_ticks`."""
    span = max(high - low, 1e-9)
    magnitude = 10 ** math.floor(math.log10(span / max(max_ticks - 1, 1)))
    step = next(
        m * magnitude for m in (1, 2, 2.5, 5, 10) if span / (m * magnitude) + 1 <= max_ticks
    )
    first = math.ceil(low / step) * step
    count = int((high - first) / step + 1e-9) + 1
    return [round(first + i * step, 10) for i in range(count)]


def _decimals_of(tick: float) -> int:
    """Decimals a round tick needs (2.5 → 1, 0.25 → 2, 50 → 0)."""
    return next(d for d in range(4) if abs(tick * 10**d - round(tick * 10**d)) < 1e-9)


def _y_range(values: list[float]) -> list[float]:
    """The value axis from zero (or below, for negatives) to a little over the highest value."""
    if not values:
        return [0.0, 1.0]
    low, high = min(0.0, min(values)), max(values)
    if high <= low:
        high = low + 1
    return [low, high + (high - low) * 0.06]


def time_series_figure(
    view: pd.DataFrame,
    catalogue: pd.DataFrame,
    indicator_id: str,
    trajectory: tuple[tuple[int, float], tuple[int, float]] | None = None,
    *,
    targets: Sequence[Mapping[str, Any]] = (),
    lang: str,
    layout: FigureLayout = DESKTOP,
) -> dict[str, Any]:
    """National series (and its family across series breaks) plus chosen areas, with targets.

    Up to `layout.max_direct_labels` lines are named at their ends (no legend box); more lines
    get a compact legend under the plot. Year ticks are few and never rotated; the unit is the
    frame's subtitle (images: a footer line), so the value axis has no title. A series break is
    separate lines, never joined.

    `targets` are the marks to draw: `year`, `value`, `label` (whose target it is and what it
    says, in the reader's language; written along its line), `short` (optional: what it says
    alone, for a plot with no room for the label) and `hover` (the label with the document it
    was read from). `trajectory` ((baseline year, value), (target year, target)) is
    drawn as the straight path the national series needed to follow to reach its target (see
    `dashboard.progress`).
    """
    _ = translator(lang)
    indicator = catalogue.loc[indicator_id]
    traces: list[dict] = []
    groups = list(view.groupby(["indicator_id", "area_code"], sort=False))
    families = view["indicator_id"].nunique() > 1
    direct = len(groups) <= layout.max_direct_labels
    # where every line is illustrative the badge says so once; else each such line says it
    mixed = not view.empty and (view["nature"] != "illustrative").any()
    ends: list[tuple[str, float, float, str]] = []  # label, last year, last value, colour
    for i, ((member, _area), rows) in enumerate(groups):
        member_meta = catalogue.loc[member]
        label = _series_label(rows, member_meta, families, lang, view["area_code"].nunique() == 1)
        several_sources = rows["source_id"].nunique() > 1
        illustrative = (rows["nature"] == "illustrative").any()
        text = [format_with_unit(v, member_meta, lang) for v in rows["value"]]
        natures = [nature_label(n, lang) for n in rows["nature"]]
        name = _("{label} (illustrative)", label=label) if illustrative and mixed else label
        colour = SERIES_COLOURS[i % len(SERIES_COLOURS)]
        traces.append(
            {
                "type": "scatter",
                "mode": "markers" if several_sources else "lines+markers",
                "name": wrap_html(name, layout.label_width) if direct else name,
                "showlegend": not direct,
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
                    "color": colour,
                    "dash": "dot"
                    if illustrative
                    else ("solid" if member == indicator_id else "dash"),
                },
                "marker": {"size": 6 if layout.compact else 7},
                "connectgaps": False,
                "cliponaxis": False,
            }
        )
        last = rows.sort_values("year").iloc[-1]
        ends.append((name, float(last["year"]), float(last["value"]), colour))
    shapes: list[dict] = []
    extra_values: list[float] = []
    years = [int(y) for y in view["year"]] if not view.empty else []
    for target in targets:
        value, year = float(target["value"]), int(target["year"])
        extra_values.append(value)
        years.append(year)
        traces.append(
            {
                "type": "scatter",
                "mode": "markers",  # its label is an annotation along the target line
                "name": wrap_html(target["label"], LEGEND_WIDTH),
                "showlegend": not direct,
                "x": [year],
                "y": [value],
                "text": [wrap_html(target["label"], layout.label_width)],
                "textposition": "top left",
                "textfont": {"color": BADGE_COLOUR, "size": layout.font_size},
                "cliponaxis": False,
                "marker": {"symbol": "star", "size": 12, "color": BADGE_COLOUR},
                "hovertemplate": wrap_html(target["hover"], LEGEND_WIDTH) + "<extra></extra>",
                "meta": "target",
            }
        )
        shapes.append(
            {
                "type": "line",
                "xref": "paper",
                "x0": 0,
                "x1": 1,
                "y0": value,
                "y1": value,
                "line": {"color": BADGE_COLOUR, "width": 1, "dash": "dot"},
            }
        )
    if trajectory is not None:
        (x0, y0), (x1, y1) = trajectory
        extra_values += [y0, y1]
        years += [x0, x1]
        traces.append(
            {
                "type": "scatter",
                "mode": "lines",
                "name": _("Path to target ({start}–{end})", start=x0, end=x1),
                "showlegend": not direct,
                "x": [x0, x1],
                "y": [y0, y1],
                "line": {"color": BADGE_COLOUR, "width": 1.5, "dash": "dash"},
                "hovertemplate": _("Path from the {year} baseline to the target", year=x0)
                + "<extra></extra>",
                "meta": "trajectory",
            }
        )
    lines = provenance_lines(view, indicator, lang)
    if families:
        lines.append(_(SERIES_BREAK_NOTE))
    badge = bool((view["badge"] != "").any()) if not view.empty else False
    title = _("{name} over time", name=localized(indicator, "name", lang))
    y_range = _y_range([float(v) for v in view["value"]] + extra_values)
    margin = layout.margin.as_dict()
    margin["b"] += X_TICK_STANDOFF
    footer = _image_footer_height(lines, layout)

    def plot_margin() -> dict[str, int]:
        """The margins as drawn: an image's footer (source, unit, notes) lies under the plot
        too, and labels spread for a taller plot than the one drawn would overlap."""
        return {**margin, "b": margin["b"] + footer}

    fitted = _fit_direct_labels(ends, plot_margin(), layout) if direct and ends else None
    column = int(widest_px(fitted[0], fitted[1])) + 10 if fitted is not None else 0
    if layout.height is not None and column > layout.max_label_share * layout.nominal_width:
        fitted = None  # labels too wide for the plot to keep its width: a legend below
    if fitted is not None:
        margin["r"] += column
    elif direct and ends:  # too many or too long labels for the plot: a legend instead
        direct = False
        for trace, (label, *_rest) in zip(traces, ends, strict=False):
            trace["name"], trace["showlegend"] = label, True
    legend: dict[str, Any] = {"orientation": "h", "font": {"size": layout.font_size - 1}}
    if not direct:
        for trace in traces:  # the target names itself; the path to it is explained on hover
            if trace.get("meta") in ("target", "trajectory"):
                trace["showlegend"] = False
        if layout.height is None:
            # an embed cannot grow: its legend goes beside the plot, which keeps the height
            # (before the targets' labels, which are wrapped to the plot's width that remains)
            legend.update(orientation="v", x=1, xanchor="left", y=1, yanchor="top")
            for trace in traces:
                if trace["showlegend"]:
                    trace["name"] = wrap_html(trace["name"].replace("<br>", " "), LEGEND_WIDTH // 2)
            names = [t["name"] for t in traces if t["showlegend"]]
            margin["r"] += int(widest_px(names, layout.font_size - 1)) + 44
    points = [(float(y), float(v)) for y, v in zip(view["year"], view["value"], strict=True)]
    data_top = y_range[1]
    first_year, last_year = (min(years), max(years)) if years else (2000, 2030)
    x_range = [first_year - 0.4, last_year + 0.4]
    target_notes, y_range = _target_labels(targets, points, y_range, x_range, plot_margin(), layout)
    # room made above a target for its label carries no ticks (no "120 %" on a share)
    ticks = value_ticks(y_range[0], data_top, layout.max_yticks) if y_range[1] > data_top else None
    annotations: list[dict] = []
    if fitted is not None:
        annotations = _direct_labels(ends, *fitted, y_range, plot_margin(), layout)
    annotations += target_notes
    extra_height = 0
    if not direct and layout.height is not None:
        # under the plot (in an image, above its footer and release line); a page's figure
        # grows by it. An entry wraps at the plot's width (symbol and gap: 44 px).
        room = layout.nominal_width - margin["l"] - margin["r"] - 44
        columns = max(LEGEND_WIDTH // 2, int(room / text_px("n", layout.font_size - 1)))
        for trace in traces:
            if trace["showlegend"]:
                trace["name"] = wrap_html(trace["name"].replace("<br>", " "), columns)
        names = [t["name"] for t in traces if t["showlegend"]]
        above = (footer + IMAGE_RELEASE_ROW) / layout.height if layout.text_inside else 0
        legend.update(x=0, xanchor="left", y=above, yanchor="bottom", yref="container")
        extra_height = packed_legend_height(names, layout)
        margin["b"] += extra_height
    annotations += _image_footer(lines, badge, lang, layout, offset=margin["b"] - 8)
    margin["b"] += footer
    percent = indicator["unit_kind"] == "percent"
    return {
        "data": traces,
        "layout": {
            **base_layout(lang, layout),
            **layout.size(),
            # a page's figure grows by its legend, so the plot keeps its height
            **(
                {"height": layout.height + extra_height}
                if layout.height and not layout.text_inside
                else {}
            ),
            "title": {
                **TITLE_STYLE,
                "text": wrap_html(title, TITLE_WIDTH) if layout.text_inside else "",
            },
            "xaxis": {
                **year_ticks(first_year, last_year, layout),
                "tickangle": 0,
                # clear of the value axis' lowest label, which is centred on the axis line
                "ticklabelstandoff": X_TICK_STANDOFF,
                "automargin": False,
                "range": x_range,
                "showgrid": False,
                "fixedrange": True,
            },
            "yaxis": {
                "range": y_range,
                "nticks": layout.max_yticks,
                **(
                    {
                        "tickvals": ticks,
                        # with fixed ticks plotly drops the suffix: the labels say it
                        "ticktext": [
                            format_value(t, _decimals_of(t), lang=lang)
                            + ("\u00a0%" if percent else "")
                            for t in ticks
                        ],
                    }
                    if ticks
                    else {}
                ),
                "ticksuffix": "\u00a0%" if percent else "",
                "automargin": False,
                "fixedrange": True,
                "zeroline": True,
            },
            "shapes": shapes,
            "annotations": annotations,
            "legend": legend,
            "showlegend": not direct,
            "margin": margin,
            "hovermode": "closest",
            "meta": {
                "indicator_id": indicator_id,
                "points": int(len(view)),
                "lang": lang,
                "layout": layout.name,
                "direct_labels": direct,
                # px a page's figure grows by for its legend below the plot
                "legend_height": extra_height,
                "title": title,
                "notes": [_(SERIES_BREAK_NOTE)] if families else [],
            },
        },
    }


def _target_labels(
    targets: Sequence[Mapping[str, Any]],
    points: list[tuple[float, float]],
    y_range: list[float],
    x_range: list[float],
    margin: dict[str, int],
    layout: FigureLayout,
) -> tuple[list[dict[str, Any]], list[float]]:
    """Each target's label along its line, from the plot's left edge, placed where it hides no
    data point (`points`: year, value) and no target mark: above or below the line, wrapped to
    the plot's width or short of a point or mark. Where every place of the full label would hide a
    point or squeeze the data, the short one ("Target: 80.0 % by 2020"; the hover and the
    Sources tab name the document). The value axis grows where a label needs room above a
    target at the top. Returns the labels and the value axis' range."""
    width = (layout.width or layout.nominal_width) - margin["l"] - margin["r"]
    plot_height = _label_plot_height(margin, layout)
    size = layout.font_size - 1
    low, top = y_range

    def x_share(year: float) -> float:
        return (year - x_range[0]) / (x_range[1] - x_range[0])

    marks = [(x_share(float(t["year"])), float(t["value"])) for t in targets]
    shown = [(x_share(year), value) for year, value in points] + marks
    out = []
    for target in targets:
        value = float(target["value"])
        # the plot's width, or short of a point or of its star (12 px), where that leaves room
        stops = sorted({x * width - 12 for x, _v in shown if x * width - 12 >= 60})
        rooms = [width, *stops]
        texts = dict.fromkeys((target["label"], target.get("short") or target["label"]))
        best = None
        for short, label in enumerate(texts):
            for room in rooms:
                text = wrap_html(label, max(12, int(room / text_px("n", size))))
                lines = text.count("<br>") + 1
                share = min((lines * size * LABEL_LINE + 6) / plot_height, 0.6)
                band = share * (top - low)
                right = (min(room, widest_px([text], size)) + 8) / width
                for above in (True, False):
                    if not above and value - low < band:
                        continue
                    low_y, high_y = (value, value + band) if above else (value - band, value)
                    hidden = sum(x <= right and low_y <= v <= high_y for x, v in shown)
                    grown = (value - share * low) / (1 - share) if above else top
                    grown = max(grown, top)
                    # the axis may grow by 15 % for a label; beyond, the data are squeezed
                    squeezed = round(max(0.0, (grown - top) / (top - low) - 0.15), 1)
                    cost = (hidden, squeezed, short, lines, not above)
                    if best is None or cost < best[0]:
                        best = (cost, text, above, grown)
        assert best is not None  # "above" is always a candidate
        _cost, text, above, top = best
        out.append(
            {
                "name": "target-label",
                "text": text,
                "xref": "paper",
                "yref": "y",
                "x": 0,
                "xanchor": "left",
                "xshift": 4,
                "y": value,
                "yanchor": "bottom" if above else "top",
                "yshift": 2 if above else -2,
                "align": "left",
                "showarrow": False,
                "font": {"size": size, "color": BADGE_COLOUR},
            }
        )
    return out, [low, top]


#: Pixel height of one line of a direct label.
LABEL_LINE = 1.45  # Lao marks stack above and below the line
#: Pixels an image adds above the plot (title, subtitle, badge) and below it (release line):
#: direct labels of an image are spread for the plot that remains.
IMAGE_HEADER, IMAGE_RELEASE_ROW = 110, 26


def _label_plot_height(margin: dict[str, int], layout: FigureLayout) -> float:
    """The plot height direct labels are spread over (the smallest an embed may have)."""
    height = layout.height - margin["t"] - margin["b"] if layout.height else layout.min_plot_height
    return height - (IMAGE_HEADER + IMAGE_RELEASE_ROW if layout.text_inside else 0)


def _label_heights(texts: list[str], size: int) -> list[float]:
    return [(t.count("<br>") + 1) * size * LABEL_LINE + 2 for t in texts]


def _fit_direct_labels(
    ends: list[tuple[str, float, float, str]], margin: dict[str, int], layout: FigureLayout
) -> tuple[list[str], int] | None:
    """Line-end labels that fit one above the other in the plot's height: wrapped at the
    layout's width, else wider and a point smaller; None when they cannot fit."""
    plot_height = _label_plot_height(margin, layout)
    for columns, size in (
        (layout.label_width, layout.font_size),
        (round(layout.label_width * 1.5), layout.font_size - 1),
    ):
        texts = [wrap_html(label, columns) for label, *_rest in ends]
        if sum(_label_heights(texts, size)) <= plot_height:
            return texts, size
    return None


def _direct_labels(
    ends: list[tuple[str, float, float, str]],
    texts: list[str],
    size: int,
    y_range: list[float],
    margin: dict[str, int],
    layout: FigureLayout,
) -> list[dict[str, Any]]:
    """Each line's name at the right of the plot, level with its last value, spread apart
    where lines end close together."""
    plot_height = _label_plot_height(margin, layout)
    span = y_range[1] - y_range[0]
    positions = [(value - y_range[0]) / span * plot_height for _l, _x, value, _c in ends]
    placed = spread_labels(positions, _label_heights(texts, size), plot_height)
    return [
        {
            "name": "direct-label",
            "text": text,
            "xref": "paper",
            "yref": "paper",
            "x": 1,
            "xanchor": "left",
            "xshift": 6,
            "y": centre / plot_height,
            "yanchor": "middle",
            "align": "left",
            "showarrow": False,
            "font": {"size": size, "color": colour},
        }
        for (label, _x, _v, colour), text, centre in zip(ends, texts, placed, strict=True)
    ]


# ---------------------------------------------------------------- budget


def budget_stack_figure(
    rows: pd.DataFrame, catalogue: pd.DataFrame, *, lang: str, layout: FigureLayout = DESKTOP
) -> dict[str, Any]:
    """Stacked bars of one budget stack over the years (e.g. health spending by source), its
    legend under the plot (one entry a row on narrow layouts, so long Lao names fit)."""
    _ = translator(lang)
    traces = []
    for i, (member, part) in enumerate(rows.groupby("indicator_id", sort=True)):
        name = localized(catalogue.loc[member], "name", lang)
        traces.append(
            {
                "type": "bar",
                "name": wrap_html(name, 2 * layout.label_width),
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
    names = [t["name"] for t in traces]
    legend_px = packed_legend_height(names, layout)
    margin = layout.margin.as_dict()
    margin["b"] += legend_px
    years = rows["year"].astype(int)
    annotations = _image_footer(lines, badge, lang, layout, offset=margin["b"] - 8)
    margin["b"] += _image_footer_height(lines, layout)
    title = _("Health spending by source")
    height = (layout.height or 420) + legend_px
    return {
        "data": traces,
        "layout": {
            **base_layout(lang, layout),
            "height": height,
            "barmode": "stack",
            "title": {**TITLE_STYLE, "text": title if layout.text_inside else ""},
            "yaxis": {
                "title": {"text": wrap_html(unit_text(first, lang), UNIT_WIDTH)},
                "nticks": layout.max_yticks,
                "automargin": True,
                "fixedrange": True,
            },
            "xaxis": {
                **year_ticks(int(years.min()), int(years.max()), layout),
                "tickangle": 0,
                "ticklabelstandoff": X_TICK_STANDOFF,
                "fixedrange": True,
            },
            "annotations": annotations,
            "legend": bottom_legend(layout),
            "margin": margin,
            "meta": {"points": int(len(rows)), "lang": lang, "layout": layout.name, "title": title},
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


#: Pixels of one budget row: its label's lines (Lao marks need 1.6 em) above a bar.
BAR_PX, BAR_LABEL_EM, ROW_PAD = 16, 1.6, 6


def budget_lines_figure(
    rows: pd.DataFrame, *, lang: str, layout: FigureLayout = DESKTOP
) -> dict[str, Any]:
    """Horizontal bars of programme envelopes, coloured by funder, each labelled above its bar
    (wrapped, so no label is ever cut, however narrow the screen) and valued at its end."""
    _ = translator(lang)
    records = rows.to_dict("records")
    columns = 3 * layout.label_width if not layout.compact else 2 * layout.label_width + 4
    labels = [wrap_html(programme_label(r, lang), columns) for r in records]
    lines_per_row = max((label.count("<br>") + 1 for label in labels), default=1)
    label_px = round(BAR_LABEL_EM * layout.font_size * lines_per_row)
    row_px = ROW_PAD + label_px + ROW_PAD + BAR_PX + ROW_PAD
    colours = {
        "government": SERIES_COLOURS[0],
        "donor": SERIES_COLOURS[4],
        "mixed": SERIES_COLOURS[6],
    }
    count = len(records)
    # row i is drawn from the top (y = count - 1 - i, the row spanning y ± 0.5): its label at
    # the top of the row, its bar under the label
    bar_width = BAR_PX / row_px
    bar_centre = (ROW_PAD + BAR_PX / 2) / row_px - 0.5
    position = {i: count - 1 - i for i in range(count)}
    traces = []
    for funder, colour in colours.items():
        part = [i for i, r in enumerate(records) if r["funder"] == funder]
        if not part:
            continue
        amounts = [records[i]["amount"] / 1e6 for i in part]
        traces.append(
            {
                "type": "bar",
                "orientation": "h",
                "name": _(FUNDER_LABELS[funder]),
                "y": [position[i] + bar_centre for i in part],
                "x": amounts,
                "width": bar_width,
                "text": [format_value(a, 1, lang=lang) for a in amounts],
                "textposition": "outside",
                "cliponaxis": False,
                "textfont": {"size": layout.font_size - 1},
                "customdata": [
                    [
                        programme_label(records[i], lang),
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
                "hovertemplate": (
                    "<b>%{customdata[0]}</b><br>%{customdata[1]}<br>%{customdata[2]}<extra></extra>"
                ),
                "marker": {"color": colour},
            }
        )
    row_labels = [
        {
            "name": "bar-label",
            "text": label,
            "xref": "paper",
            "yref": "y",
            "x": 0,
            "xanchor": "left",
            "y": position[i] + 0.5 - ROW_PAD / row_px,
            "yanchor": "top",
            "align": "left",
            "showarrow": False,
            "font": {"size": layout.font_size},
        }
        for i, label in enumerate(labels)
    ]
    currencies = ", ".join(sorted(set(rows["currency"])))
    lines = [_("Source: {sources}", sources="; ".join(sorted(set(rows["source_label"]))))]
    margin = layout.margin.as_dict()
    margin.update(l=8, r=16 + int(text_px("0000.0", layout.font_size)), t=8)
    legend_px = packed_legend_height([t["name"] for t in traces], layout)
    margin["b"] += legend_px
    annotations = row_labels + _image_footer(lines, False, lang, layout, margin["b"] - 8)
    margin["b"] += _image_footer_height(lines, layout)
    largest = max((r["amount"] / 1e6 for r in records), default=1.0)
    title = _("Programme envelopes")
    return {
        "data": traces,
        "layout": {
            **base_layout(lang, layout),
            "height": margin["t"] + margin["b"] + row_px * count,
            "title": {**TITLE_STYLE, "text": title if layout.text_inside else ""},
            "barmode": "overlay",
            "xaxis": {
                "title": {"text": _("million {currency}", currency=currencies)},
                "range": [0, largest * 1.02],
                "nticks": layout.max_yticks,
                "fixedrange": True,
                "automargin": True,
            },
            "yaxis": {
                "range": [-0.5, count - 0.5],
                "showticklabels": False,
                "showgrid": False,
                "zeroline": False,
                "fixedrange": True,
            },
            "annotations": annotations,
            "legend": bottom_legend(layout),
            "margin": margin,
            "meta": {"points": int(len(rows)), "lang": lang, "layout": layout.name, "title": title},
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
