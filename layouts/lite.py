"""Lite mode (`/lite/…`): the dashboard's indicators as small server-rendered HTML pages.

For the weakest phones and connections: no JavaScript at all (not one `<script>`), one small
inline stylesheet, tables instead of charts and static briefing images loaded lazily. Controls
are a plain GET form, so every view is a URL that works in any browser. The rows come from the
same view functions as the interactive maps and their CSV downloads (`dashboard.views`), so a
lite table cannot disagree with them.

Plain HTML strings built with markupsafe: every interpolated value is escaped by
`Markup.format`, and only `Markup` built here passes through unescaped. No Dash.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import pandas as pd
from markupsafe import Markup, escape

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

LITE_ROOT = "/lite/"
ZIP_DOWNLOAD_URL = "/download/nsps-latest.zip"
#: The briefing image a lite page shows: laid out for a 360 px screen (rendered at twice that
#: density), so its text is legible at the size a phone shows it; wider screens cap it there.
IMAGE_SIZE = SIZES["image_phone"]

#: The self-hosted Noto Sans Lao, Lao subset only (~9 KB a weight, fetched only when a page has
#: Lao text, cached a year): phones without a Lao font still render the script. Latin text uses
#: the phone's own font.
FONT_URL = "/assets/vendor/noto-sans-lao/noto-sans-lao-lao-{weight}-normal.woff2"
FONT_FACES = "".join(
    f"@font-face{{font-family:'Noto Sans Lao';font-display:swap;font-weight:{weight};"
    f"src:url({FONT_URL.format(weight=weight)}) format('woff2');"
    "unicode-range:U+0E81-0EDF,U+200C-200D,U+25CC}"
    for weight in (400, 700)
)
#: Phone-first and small (~1 KB).
STYLE = (
    FONT_FACES
    + """
body{margin:0 auto;max-width:48rem;padding:.5rem;font:16px/1.5 'Noto Sans Lao','Phetsarath OT',
system-ui,sans-serif;color:#222;background:#fff;overflow-wrap:break-word}
a{color:#1f4e79}h1{font-size:1.35rem}h2{font-size:1.15rem;margin-top:1.5rem}h3{font-size:1rem}
nav a{margin-right:.75rem;display:inline-block}
.scroll{overflow-x:auto}table{border-collapse:collapse;width:100%;font-size:.9rem}
th,td{border-bottom:1px solid #ccc;padding:.25rem;text-align:left;vertical-align:top}
td.n{text-align:right;white-space:nowrap}caption{text-align:left;font-weight:bold}
.notice{background:#fff3cd;color:#664d03;padding:.5rem}
.badge{background:#b00020;color:#fff;padding:0 .25rem;font-weight:bold}
.value{font-size:1.3rem;font-weight:bold;margin:0}.small,footer{font-size:.85rem;color:#555}
label{display:block;margin-top:.5rem}select,button{font-size:1rem;max-width:100%}
button{margin-top:.75rem;padding:.25rem 1rem}img{max-width:100%;height:auto}
footer{border-top:1px solid #ccc;margin-top:2rem;padding-top:.5rem}
a:focus,select:focus,button:focus{outline:3px solid #1f4e79;outline-offset:2px}
"""
)

#: Titles of the lite pages (translated where shown).
INDEX_TITLE = N_("National Social Protection Strategy — progress dashboard")
PROGRESS_TITLE = N_("Progress against published targets")


# ---------------------------------------------------------------- markup helpers


def _attributes(attrs: dict[str, object]) -> Markup:
    """` name="value"` pairs, escaped; `class_` → `class`; None leaves the attribute out."""
    return Markup("").join(
        Markup(' {}="{}"').format(name.rstrip("_").replace("_", "-"), value)
        for name, value in attrs.items()
        if value is not None
    )


def element(tag: str, *children: object, **attrs: object) -> Markup:
    """`<tag attrs>children</tag>`: strings are escaped, `Markup` children are kept."""
    inner = Markup("").join(escape(child) for child in children)
    return Markup("<{0}{1}>{2}</{0}>").format(Markup(tag), _attributes(attrs), inner)


def void_element(tag: str, **attrs: object) -> Markup:
    return Markup("<{}{}>").format(Markup(tag), _attributes(attrs))


def join(parts: Iterable[object], separator: str = "") -> Markup:
    return Markup(escape(separator)).join(escape(p) for p in parts)


def english(text: str) -> Markup:
    """Text cited as published in English (titles, publishers, licences): `lang="en"`."""
    return element("span", text, lang="en")


def table(
    headers: Sequence[str], rows: Iterable[Sequence[object]], caption: object = "", **attrs: object
) -> Markup:
    """A data table in a sideways-scrolling box (never the page): header row, then `rows`.

    A cell that is a `(content, "n")` pair is numeric (right-aligned, kept on one line).
    """
    head = element("tr", *(element("th", h, scope="col") for h in headers))
    body = []
    for row in rows:
        cells = []
        for cell in row:
            content, kind = cell if isinstance(cell, tuple) else (cell, None)
            cells.append(element("td", content, class_=kind))
        body.append(element("tr", *cells))
    return element(
        "div",
        element(
            "table",
            element("caption", caption) if caption else "",
            element("thead", head),
            element("tbody", *body),
            **attrs,
        ),
        class_="scroll",
    )


# ---------------------------------------------------------------- the page frame


@dataclass(frozen=True)
class PageFrame:
    """What every lite page shows around its content."""

    lang: str
    path: str  # this page's URL with its query, for the language switch
    release_id: str
    shows_map: bool = False  # a page with a map names its boundaries (licence or schematic)
    schematic: bool = False  # no boundary files: maps are a tile grid
    publisher: Publisher = INDEPENDENT  # who the footer says publishes the site


def _navigation(frame: PageFrame) -> Markup:
    _ = translator(frame.lang)
    links = [element("a", _("NSPS Lao PDR"), href=with_language(LITE_ROOT, frame.lang))]
    links += [
        element("a", _("Goal {number}", number=goal), href=lite_goal_path(goal, frame.lang))
        for goal in views.GOAL_IDS
    ]
    links.append(
        element("a", _("Progress"), href=with_language(f"{LITE_ROOT}progress", frame.lang))
    )
    links += [
        element(
            "a",
            LANGUAGE_NAMES[other],
            href=with_language(frame.path, other),
            lang=other,
            hreflang=other,
            id=f"language-switch-{other}",
        )
        for other in LANGUAGES
        if other != frame.lang
    ]
    return element("nav", *links, aria_label=_("Menu"))


def _footer(frame: PageFrame) -> Markup:
    _ = translator(frame.lang)
    lines = [
        element(
            "p",
            _("Data release {release}.", release=frame.release_id),
            " ",
            frame.publisher.footer_line(frame.lang),
        ),
        element(
            "p",
            element("a", _("Full version"), href=with_language("/", frame.lang)),
            " · ",
            element(
                "a", _("Download data"), href=with_language(LITE_ROOT, frame.lang) + "#downloads"
            ),
            " · ",
            element("a", _("Data and sources"), href=with_language("/data", frame.lang)),
        ),
    ]
    if frame.shows_map and frame.schematic:
        lines.append(
            element("p", _("Maps use a schematic tile grid: boundary files are not installed."))
        )
    elif frame.shows_map:
        lines.append(element("p", english(ATTRIBUTION), id="lite-attribution"))
    return element("footer", *lines)


def page(frame: PageFrame, title: str, *content: Markup, notices: Sequence[str] = ()) -> str:
    """A whole lite page: `<html lang>`, the inline style, navigation, notices, content, footer."""
    _ = translator(frame.lang)
    notice_html = [element("p", n, class_="notice", role="status") for n in notices]
    body = element(
        "body",
        _navigation(frame),
        element("main", element("h1", title), *notice_html, *content),
        _footer(frame),
    )
    head = element(
        "head",
        void_element("meta", charset="utf-8"),
        void_element("meta", name="viewport", content="width=device-width, initial-scale=1"),
        element("title", _("{page} — NSPS Lao PDR (lite)", page=title)),
        element("style", Markup(STYLE)),
    )
    return str(Markup("<!doctype html>\n") + element("html", head, body, lang=frame.lang)) + "\n"


# ---------------------------------------------------------------- links


def lite_goal_path(goal: str, lang: str) -> str:
    return with_language(f"{LITE_ROOT}goal/{goal}", lang)


def _year_text(year: object, lang: str) -> str:
    _ = translator(lang)
    return _("date not stated") if pd.isna(year) else str(int(year))


def illustrative_badge(lang: str) -> Markup:
    """The visible badge beside any illustrative value (the same words as on every chart)."""
    return element("span", nature_label("illustrative", lang), class_="badge")


def _nature_cell(nature: str, lang: str) -> Markup | str:
    return illustrative_badge(lang) if nature == "illustrative" else nature_label(nature, lang)


def _target_texts(ds: Dataset, indicator_id: str, lang: str) -> list[Markup]:
    """Each target set on the series, with whose it is and the document it was read from (cited
    as published, marked English)."""
    _ = translator(lang)
    indicator = ds.indicator(indicator_id)
    return [
        join(
            [
                progress.target_label(target, indicator, lang).rstrip(".") + ". ",
                _("Source:"),
                " ",
                element("span", progress.document_text(target), lang="en"),
            ]
        )
        for _id, target in queries.indicator_targets(ds, indicator_id).iterrows()
    ]


def _source_numbers(rows: pd.DataFrame) -> dict[str, int]:
    """Source id → its number in the view's source list (tables cite the number, not the title)."""
    return {source_id: n for n, source_id in enumerate(dict.fromkeys(rows["source_id"]), 1)}


def _source_reference(source_id: str, numbers: dict[str, int], prefix: str) -> Markup:
    number = numbers[source_id]
    return element("a", f"[{number}]", href=f"#{prefix}-source-{number}")


def sources_list(rows: pd.DataFrame, lang: str, prefix: str) -> Markup:
    """The numbered sources of some rows: publisher, title (linked when on the web) and year."""
    _ = translator(lang)
    numbers = _source_numbers(rows)
    items = []
    for _index, src in queries.sources_of(rows).iterrows():
        cited = citations.citation(
            {key.removeprefix("source_"): value for key, value in src.items()}, lang
        )
        text = element("a", cited.text, href=cited.url) if cited.url else cited.text
        items.append(
            element(
                "li",
                element("span", text, lang="en"),
                id=f"{prefix}-source-{numbers[src['source_id']]}",
            )
        )
    return element("div", element("h3", _("Sources")), element("ol", *items))


# ---------------------------------------------------------------- /lite/ — the index


def _headline(ds: Dataset, indicator_id: str, lang: str) -> Markup:
    """Latest national value with year, source and nature, and the target where there is one."""
    _ = translator(lang)
    indicator = ds.indicator(indicator_id)
    row = queries.latest(ds, indicator_id)
    parts: list[Markup] = [element("h3", localized(indicator, "name", lang))]
    if row is None:
        parts.append(element("p", _("No national value published yet.")))
    else:
        parts.append(element("p", format_with_unit(row["value"], indicator, lang), class_="value"))
        parts.append(
            element(
                "p",
                _year_text(row["year"], lang),
                " · ",
                english(row["source_label"]),
                " · ",
                _nature_cell(row["nature"], lang),
                class_="small",
            )
        )
    parts += [element("p", text, class_="small") for text in _target_texts(ds, indicator_id, lang)]
    return element("section", *parts)


def index_content(ds: Dataset, lang: str) -> list[Markup]:
    """What the NSPS is, then each goal with its headline indicators and a link to its page."""
    _ = translator(lang)
    release = ds.release
    strategy = release.strategy
    content = []
    if "vision" in strategy.index:
        content.append(element("p", localized(strategy.loc["vision"], "text", lang)))
    for goal_id, goal in release.goals.iterrows():
        content.append(
            element(
                "h2",
                element(
                    "a",
                    goal_title(ds, str(goal_id), lang),
                    href=lite_goal_path(str(goal_id), lang),
                ),
                id=f"goal-{goal_id}",
            )
        )
        content.append(element("p", localized(goal, "statement", lang)))
        content += [_headline(ds, i, lang) for i in queries.headline_indicator_ids(ds, goal_id)]
    content.append(element("h2", _("Data and sources")))
    content.append(
        element(
            "ul",
            *(
                element("li", element("a", link.label, href=link.href), " — ", link.note)
                for link in downloads.full_download_links(ds, lang)
            ),
            element(
                "li", element("a", _("Download the whole release (zip)"), href=ZIP_DOWNLOAD_URL)
            ),
            element("li", element("a", _("Full version"), href=with_language("/", lang))),
        )
    )
    content.append(element("p", _(downloads.TERMS), id="downloads"))
    return content


# ---------------------------------------------------------------- /lite/goal/<n>


@dataclass(frozen=True)
class GoalView:
    """One lite goal view: the map's view model and its national trend's (None: the goal has
    no time series)."""

    goal: str
    map: ChartView
    map_image: bool  # whether this server can draw the map (boundaries for the level)
    trend: ChartView | None


def _option(value: str, label: str, chosen: bool) -> Markup:
    return element("option", label, value=value, selected="selected" if chosen else None)


def _select(name: str, label: str, options: Iterable[Markup]) -> Markup:
    return element("label", label, element("select", *options, name=name, id=f"lite-{name}"))


def view_form(ds: Dataset, view: GoalView, lang: str) -> Markup:
    """The controls as a plain GET form: choosing and submitting reloads the page, no script."""
    _ = translator(lang)
    selection = view.map.selection
    indicators = [
        _option(
            indicator_id,
            localized(ds.indicator(indicator_id), "name", lang),
            indicator_id == selection.indicator_id,
        )
        for indicator_id in queries.mappable_indicator_ids(ds, view.goal)
    ]
    levels = [
        _option(level, level_label(level, lang), level == selection.level) for level in views.LEVELS
    ]
    years = [_option(str(y), str(y), y == selection.year) for y in reversed(selection.years)]
    return element(
        "form",
        _select("indicator", _("Indicator"), indicators),
        _select("level", _("Level"), levels),
        _select("year", _("Year"), years),
        void_element("input", type="hidden", name="lang", value=lang),
        element("button", _("Show"), type="submit"),
        action=f"{LITE_ROOT}goal/{view.goal}",
        method="get",
        id="lite-form",
    )


def _image(src: str, alt: str, element_id: str) -> Markup:
    return void_element(
        "img",
        src=src,
        alt=alt,
        width=IMAGE_SIZE.width,
        height=IMAGE_SIZE.height,
        loading="lazy",
        id=element_id,
    )


def _area_name(ds: Dataset, area_code: str, lang: str) -> str:
    areas = ds.release.areas
    return localized(areas.loc[area_code], "name", lang) if area_code in areas.index else area_code


def values_table(ds: Dataset, view: GoalView, lang: str) -> Markup:
    """The map's values, one row per area sorted by the area's name in the reader's language."""
    _ = translator(lang)
    indicator = ds.indicator(view.map.indicator_id)
    numbers = _source_numbers(view.map.rows)
    rows = sorted(
        (
            (
                _area_name(ds, row.area_code, lang),
                (format_with_unit(row.value, indicator, lang), "n"),
                _year_text(row.year, lang),
                _nature_cell(row.nature, lang),
                _source_reference(row.source_id, numbers, "map"),
            )
            for row in view.map.rows.itertuples()
        ),
        key=lambda cells: cells[0],
    )
    return table(
        [_("Area"), _("Value"), _("Year"), _("Nature"), _("Source")],
        rows,
        caption=_("Data table"),
        id="lite-values",
    )


def trend_section(ds: Dataset, view: GoalView, lang: str) -> Markup:
    """The national trend: summary, a table per series (a series break is its own table), image."""
    _ = translator(lang)
    heading = element("h2", _("Trends"))
    if view.trend is None:
        return element(
            "section",
            heading,
            element("p", _("No time series is published for this goal yet.")),
        )
    tables = []
    for indicator_id in queries.family_members(ds, view.trend.indicator_id):  # its own first
        rows = view.trend.rows[view.trend.rows["indicator_id"] == indicator_id]
        if rows.empty:
            continue
        indicator = ds.indicator(indicator_id)
        tables.append(
            table(
                [_("Year"), _("Value"), _("Nature")],
                (
                    (
                        _year_text(row.year, lang),
                        (format_with_unit(row.value, indicator, lang), "n"),
                        _nature_cell(row.nature, lang),
                    )
                    for row in rows.itertuples()
                ),
                caption=localized(indicator, "name", lang),
                id=f"lite-trend-{indicator_id}",
            )
        )
    query = views.chart_series_query(view.goal, view.trend.selection, lang=lang)
    return element(
        "section",
        heading,
        element("p", view.trend.summary, id="lite-trend-summary"),
        *tables,
        _image(
            image_path("series", "png", query, IMAGE_SIZE.name),
            view.trend.summary,
            "lite-trend-image",
        ),
        sources_list(view.trend.rows, lang, "trend"),
        element(
            "p",
            element(
                "a",
                _("Download CSV of this view"),
                href=view.trend.csv_url,
            ),
        ),
    )


def _values_parts(ds: Dataset, view: GoalView, lang: str) -> list[Markup]:
    """The map's values table, its numbered sources and the CSV of exactly these rows."""
    _ = translator(lang)
    return [
        values_table(ds, view, lang),
        sources_list(view.map.rows, lang, "map"),
        element(
            "p",
            element(
                "a",
                _("Download CSV of this view"),
                href=view.map.csv_url,
                id="lite-csv",
            ),
        ),
    ]


def goal_title(ds: Dataset, goal: str, lang: str) -> str:
    _ = translator(lang)
    name = localized(ds.release.goals.loc[goal], "name", lang)
    return _("Goal {number} — {name}", number=goal, name=name)


def goal_content(ds: Dataset, view: GoalView, lang: str) -> list[Markup]:
    """Goal statement, the form, the map view (summary, image, table, sources, CSV), the trend."""
    selection = view.map.selection
    indicator = ds.indicator(selection.indicator_id)
    map_parts: list[Markup] = [
        element("h2", localized(indicator, "name", lang)),
        element("p", view.map.summary, id="lite-map-summary"),
    ]
    if view.map.illustrative:
        map_parts.append(element("p", illustrative_badge(lang)))
    if view.map_image:
        query = views.chart_map_query(view.goal, selection, lang=lang)
        map_parts.append(
            _image(image_path("map", "png", query, IMAGE_SIZE.name), view.map.summary, "lite-map")
        )
    if not view.map.empty:  # else the summary says that nothing is published for this view
        map_parts += _values_parts(ds, view, lang)
    goal = ds.release.goals.loc[view.goal]
    return [
        element("p", localized(goal, "statement", lang)),
        view_form(ds, view, lang),
        element("section", *map_parts),
        trend_section(ds, view, lang),
    ]


# ---------------------------------------------------------------- /lite/progress


def _latest_text(row: pd.Series, indicator: pd.Series, lang: str) -> str:
    if pd.isna(row["latest_value"]):
        return translator(lang)(NO_DATA)
    value = format_with_unit(row["latest_value"], indicator, lang)
    return f"{value} ({_year_text(row['latest_year'], lang)})"


def progress_content(ds: Dataset, lang: str) -> list[Markup]:
    """Every indicator with a target: latest national value, target and status."""
    _ = translator(lang)
    overview = progress.overview(ds)
    rows = []
    for _index, row in overview.iterrows():
        indicator = ds.indicator(row["indicator_id"])
        name: list[object] = [localized(indicator, "name", lang)]
        if row["nature"] == "illustrative":
            name += [" ", illustrative_badge(lang)]
        rows.append(
            (
                progress.goal_label(row["goal"], lang),
                join(name),
                _latest_text(row, indicator, lang),
                join(
                    [
                        progress.target_label(
                            progress.target_row(ds, row["target_id"]), indicator, lang
                        ),
                        void_element("br"),
                        element("span", row["document"], lang="en"),
                    ]
                ),
                join(
                    [
                        element("strong", progress.status_label(row["status"], lang)),
                        void_element("br"),
                        progress.explain(row, lang),
                    ]
                ),
            )
        )
    return [
        element(
            "p",
            _(
                "Status against each published target: the compound annual growth since {year} "
                "compared with the growth needed to reach the target on time, within one series "
                "of one source.",
                year=progress.BASE_YEAR,
            ),
            " ",
            _("The status follows a published progress measure, applied as it is specified:"),
            " ",
            element(
                "a",
                progress.METHOD_CITATION["title"],
                href=progress.METHOD_CITATION["url"],
                lang="en",
            ),
            " (",
            element("span", progress.METHOD_CITATION["publisher"], lang="en"),
            ").",
        ),
        table(
            [_("Goal"), _("Indicator"), _("Latest value"), _("Target"), _("Status")],
            rows,
            id="lite-progress",
        ),
    ]
