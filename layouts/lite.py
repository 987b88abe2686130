"""Lite mode (`/lite/…`): the dashboard's indicators as small server-rendered HTML pages.

For the weakest phones and connections: no JavaScript at all (not one `<script>`), one small
inline stylesheet, tables instead of charts and static briefing images loaded lazily. Controls
are a plain GET form, so every view is a URL that works in any browser. The rows come from the
same view models as the interactive maps and their CSV downloads (`dashboard.viewmodels`), so a
lite table cannot disagree with them.

The pages are Jinja2 templates (`templates/lite/`), autoescaped like every page served outside
Dash: this module only turns the view models and queries into plain values in the reader's
language (text, formatted numbers, links, natures) and builds no markup. No Dash.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from dashboard import citations, downloads, progress, queries, views
from dashboard.formatting import format_with_unit, level_label, nature_label
from dashboard.i18n import (
    LANGUAGE_NAMES,
    LANGUAGES,
    N_,
    NO_DATA,
    localized,
    translator,
    with_language,
)
from dashboard.images import SIZES, image_path
from dashboard.publisher import INDEPENDENT, Publisher
from dashboard.queries import Dataset
from dashboard.viewmodels import ChartView
from geo import ATTRIBUTION
from layouts.templating import render

LITE_ROOT = "/lite/"
ZIP_DOWNLOAD_URL = "/download/nsps-latest.zip"
#: The briefing image a lite page shows: laid out for a 360 px screen (rendered at twice that
#: density), so its text is legible at the size a phone shows it; wider screens cap it there.
IMAGE_SIZE = SIZES["image_phone"]

#: The self-hosted Noto Sans Lao, Lao subset only (~9 KB a weight, fetched only when a page has
#: Lao text, cached a year): phones without a Lao font still render the script. Latin text uses
#: the phone's own font. The stylesheet (`templates/lite/style.css`) declares both weights.
FONT_URL = "/assets/vendor/noto-sans-lao/noto-sans-lao-lao-{weight}-normal.woff2"
FONT_WEIGHTS = (400, 700)

#: Titles of the lite pages (translated where shown).
INDEX_TITLE = N_("National Social Protection Strategy — progress dashboard")
PROGRESS_TITLE = N_("Progress against published targets")


# ---------------------------------------------------------------- what the templates place


@dataclass(frozen=True)
class PageFrame:
    """What every lite page shows around its content."""

    lang: str
    path: str  # this page's URL with its query, for the language switch
    release_id: str
    shows_map: bool = False  # a page with a map names its boundaries (licence or schematic)
    schematic: bool = False  # no boundary files: maps are a tile grid
    publisher: Publisher = INDEPENDENT  # who the footer says publishes the site


@dataclass(frozen=True)
class Nature:
    """A value's nature in the reader's language; illustrative ones are shown as the badge."""

    label: str
    illustrative: bool


@dataclass(frozen=True)
class Source:
    """One numbered entry of a view's source list (tables cite the number)."""

    number: int
    text: str  # publisher, title (year), via …: as published
    url: str | None


@dataclass(frozen=True)
class Image:
    src: str
    alt: str
    id: str


@dataclass(frozen=True)
class Target:
    label: str  # whose target it is and what it says, without a closing full stop
    document: str  # the document it was read from, cited as published (English)


@dataclass(frozen=True)
class Headline:
    """A headline indicator's latest national value (None: nothing published yet)."""

    name: str
    value: str | None
    year: str
    source: str
    nature: Nature | None
    targets: list[Target]


@dataclass(frozen=True)
class GoalSummary:
    id: str
    title: str
    statement: str
    headlines: list[Headline]


@dataclass(frozen=True)
class Option:
    value: str
    label: str
    selected: bool


@dataclass(frozen=True)
class AreaRow:
    area: str
    value: str
    year: str
    nature: Nature
    source: int  # its number in the view's source list


@dataclass(frozen=True)
class YearRow:
    year: str
    value: str
    nature: Nature


@dataclass(frozen=True)
class SeriesTable:
    """One series of a trend: a series break is its own table."""

    id: str
    caption: str
    rows: list[YearRow]


@dataclass(frozen=True)
class MapSection:
    name: str
    summary: str
    illustrative: bool
    image: Image | None  # None: this server cannot draw the level
    rows: list[AreaRow]  # empty: the summary says that nothing is published for this view
    sources: list[Source]
    csv_url: str | None


@dataclass(frozen=True)
class TrendSection:
    summary: str
    tables: list[SeriesTable]
    image: Image
    sources: list[Source]
    csv_url: str | None


@dataclass(frozen=True)
class ProgressRow:
    goal: str
    name: str
    illustrative: bool
    latest: str
    target: str
    document: str
    status: str
    explanation: str


@dataclass(frozen=True)
class GoalView:
    """One lite goal view: the map's view model and its national trend's (None: the goal has
    no time series)."""

    goal: str
    map: ChartView
    map_image: bool  # whether this server can draw the map (boundaries for the level)
    trend: ChartView | None


# ---------------------------------------------------------------- the page


def lite_goal_path(goal: str, lang: str) -> str:
    return with_language(f"{LITE_ROOT}goal/{goal}", lang)


def page(
    frame: PageFrame,
    title: str,
    template: str = "lite/base.html",
    *,
    notices: Sequence[str] = (),
    **content: Any,
) -> str:
    """A whole lite page: `template` (which extends `lite/base.html`: `<html lang>`, the inline
    style, navigation, notices, footer) with `content` placed in it."""
    lang = frame.lang
    return (
        render(
            template,
            _=translator(lang),
            frame=frame,
            title=title,
            notices=notices,
            root=LITE_ROOT,
            goal_ids=views.GOAL_IDS,
            goal_path=lambda goal: lite_goal_path(goal, lang),
            with_language=with_language,
            others=[other for other in LANGUAGES if other != lang],
            language_names=LANGUAGE_NAMES,
            attribution=ATTRIBUTION,
            badge_label=nature_label("illustrative", lang),
            font_url=FONT_URL,
            font_weights=FONT_WEIGHTS,
            image_size=IMAGE_SIZE,
            **content,
        )
        + "\n"
    )


# ---------------------------------------------------------------- shared parts


def _year_text(year: object, lang: str) -> str:
    _ = translator(lang)
    return _("date not stated") if pd.isna(year) else str(int(year))


def _nature(nature: str, lang: str) -> Nature:
    return Nature(nature_label(nature, lang), nature == "illustrative")


def _targets(ds: Dataset, indicator_id: str, lang: str) -> list[Target]:
    """Each target set on the series, with whose it is and the document it was read from."""
    indicator = ds.indicator(indicator_id)
    return [
        Target(
            progress.target_label(target, indicator, lang).rstrip("."),
            progress.document_text(target),
        )
        for _id, target in queries.indicator_targets(ds, indicator_id).iterrows()
    ]


def _source_numbers(rows: pd.DataFrame) -> dict[str, int]:
    """Source id → its number in the view's source list."""
    return {source_id: n for n, source_id in enumerate(dict.fromkeys(rows["source_id"]), 1)}


def _sources(rows: pd.DataFrame, lang: str) -> list[Source]:
    """The numbered sources of some rows: publisher, title (linked when on the web) and year."""
    numbers = _source_numbers(rows)
    return [
        Source(numbers[source_id], cited.text, cited.url)
        for source_id, cited in citations.of_rows(queries.sources_of(rows), lang)
    ]


def _image(kind: str, query: dict[str, str], alt: str, element_id: str) -> Image:
    return Image(image_path(kind, "png", query, IMAGE_SIZE.name), alt, element_id)


def goal_title(ds: Dataset, goal: str, lang: str) -> str:
    _ = translator(lang)
    name = localized(ds.release.goals.loc[goal], "name", lang)
    return _("Goal {number} — {name}", number=goal, name=name)


# ---------------------------------------------------------------- /lite/ — the index


def _headline(ds: Dataset, indicator_id: str, lang: str) -> Headline:
    """Latest national value with year, source and nature, and the targets set on it."""
    indicator = ds.indicator(indicator_id)
    row = queries.latest(ds, indicator_id)
    name = localized(indicator, "name", lang)
    targets = _targets(ds, indicator_id, lang)
    if row is None:
        return Headline(name, None, "", "", None, targets)
    return Headline(
        name,
        format_with_unit(row["value"], indicator, lang),
        _year_text(row["year"], lang),
        row["source_label"],
        _nature(row["nature"], lang),
        targets,
    )


def index_context(ds: Dataset, lang: str) -> dict[str, Any]:
    """What the NSPS is, then each goal with its headline indicators, then the downloads."""
    release = ds.release
    strategy = release.strategy
    return {
        "vision": (
            localized(strategy.loc["vision"], "text", lang) if "vision" in strategy.index else None
        ),
        "goals": [
            GoalSummary(
                str(goal_id),
                goal_title(ds, str(goal_id), lang),
                localized(goal, "statement", lang),
                [_headline(ds, i, lang) for i in queries.headline_indicator_ids(ds, goal_id)],
            )
            for goal_id, goal in release.goals.iterrows()
        ],
        "downloads": downloads.full_download_links(ds, lang),
        "zip_url": ZIP_DOWNLOAD_URL,
        "terms": translator(lang)(downloads.TERMS),
    }


# ---------------------------------------------------------------- /lite/goal/<n>


def _form_options(ds: Dataset, view: GoalView, lang: str) -> dict[str, list[Option]]:
    """The choices of the GET form's three selects, the shown view's selected."""
    selection = view.map.selection
    return {
        "indicator": [
            Option(
                indicator_id,
                localized(ds.indicator(indicator_id), "name", lang),
                indicator_id == selection.indicator_id,
            )
            for indicator_id in queries.mappable_indicator_ids(ds, view.goal)
        ],
        "level": [
            Option(level, level_label(level, lang), level == selection.level)
            for level in views.LEVELS
        ],
        "year": [Option(str(y), str(y), y == selection.year) for y in reversed(selection.years)],
    }


def _area_name(ds: Dataset, area_code: str, lang: str) -> str:
    areas = ds.release.areas
    return localized(areas.loc[area_code], "name", lang) if area_code in areas.index else area_code


def _map_section(ds: Dataset, view: GoalView, lang: str) -> MapSection:
    """The map view: summary, image, its values one row per area sorted by the area's name in
    the reader's language, their numbered sources and the CSV of exactly these rows."""
    chart = view.map
    indicator = ds.indicator(chart.indicator_id)
    numbers = _source_numbers(chart.rows)
    rows = sorted(
        (
            AreaRow(
                _area_name(ds, row.area_code, lang),
                format_with_unit(row.value, indicator, lang),
                _year_text(row.year, lang),
                _nature(row.nature, lang),
                numbers[row.source_id],
            )
            for row in chart.rows.itertuples()
        ),
        key=lambda row: row.area,
    )
    image = None
    if view.map_image:
        query = views.chart_map_query(view.goal, chart.selection, lang=lang)
        image = _image("map", query, chart.summary, "lite-map")
    return MapSection(
        name=localized(indicator, "name", lang),
        summary=chart.summary,
        illustrative=chart.illustrative,
        image=image,
        rows=rows,
        sources=_sources(chart.rows, lang),
        csv_url=chart.csv_url,
    )


def _trend_section(ds: Dataset, trend: ChartView, goal: str, lang: str) -> TrendSection:
    """The national trend: summary, a table per series (its own first), image and sources."""
    tables = []
    for indicator_id in queries.family_members(ds, trend.indicator_id):
        rows = trend.rows[trend.rows["indicator_id"] == indicator_id]
        if rows.empty:
            continue
        indicator = ds.indicator(indicator_id)
        tables.append(
            SeriesTable(
                f"lite-trend-{indicator_id}",
                localized(indicator, "name", lang),
                [
                    YearRow(
                        _year_text(row.year, lang),
                        format_with_unit(row.value, indicator, lang),
                        _nature(row.nature, lang),
                    )
                    for row in rows.itertuples()
                ],
            )
        )
    query = views.chart_series_query(goal, trend.selection, lang=lang)
    return TrendSection(
        summary=trend.summary,
        tables=tables,
        image=_image("series", query, trend.summary, "lite-trend-image"),
        sources=_sources(trend.rows, lang),
        csv_url=trend.csv_url,
    )


def goal_context(ds: Dataset, view: GoalView, lang: str) -> dict[str, Any]:
    """Goal statement, the form, the map view (summary, image, table, sources, CSV), the trend."""
    return {
        "statement": localized(ds.release.goals.loc[view.goal], "statement", lang),
        "action": f"{LITE_ROOT}goal/{view.goal}",
        "options": _form_options(ds, view, lang),
        "map": _map_section(ds, view, lang),
        "trend": _trend_section(ds, view.trend, view.goal, lang) if view.trend else None,
    }


# ---------------------------------------------------------------- /lite/progress


def _latest_text(row: pd.Series, indicator: pd.Series, lang: str) -> str:
    if pd.isna(row["latest_value"]):
        return translator(lang)(NO_DATA)
    value = format_with_unit(row["latest_value"], indicator, lang)
    return f"{value} ({_year_text(row['latest_year'], lang)})"


def progress_context(ds: Dataset, lang: str) -> dict[str, Any]:
    """Every indicator with a target: latest national value, target and status."""
    rows = []
    for _index, row in progress.overview(ds).iterrows():
        indicator = ds.indicator(row["indicator_id"])
        rows.append(
            ProgressRow(
                goal=progress.goal_label(row["goal"], lang),
                name=localized(indicator, "name", lang),
                illustrative=row["nature"] == "illustrative",
                latest=_latest_text(row, indicator, lang),
                target=progress.target_label(
                    progress.target_row(ds, row["target_id"]), indicator, lang
                ),
                document=row["document"],
                status=progress.status_label(row["status"], lang),
                explanation=progress.explain(row, lang),
            )
        )
    return {"base_year": progress.BASE_YEAR, "method": progress.METHOD_CITATION, "rows": rows}
