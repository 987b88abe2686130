"""One page per NSPS goal, in the reader's language: strategy text, map, trends, budget and the
challenges it faces.

The layout is a function of the URL query (`?indicator=&level=&year=&series=&areas=&lang=`), so
a shared link reopens the same view; `callbacks.goal` keeps the address bar naming the view
shown. Every chart has a text summary (`dashboard.summaries`) that is also its accessible
description, and a table of its values; the map's area can be chosen with the keyboard. On
phones each chart's controls sit in an off-canvas panel opened by a "Filters" button.
"""

from __future__ import annotations

import dash_bootstrap_components as dbc
import pandas as pd
from dash import dcc, html

from dashboard import figures, progress, queries, summaries, views
from dashboard.formatting import format_with_unit, level_label, nature_label
from dashboard.i18n import N_, format_number, localized, translator, with_language
from dashboard.store import Store
from layouts.components import (
    GRAPH_CONFIG,
    chart_downloads,
    data_table,
    data_text,
    described_chart,
    dropdown_labels,
    english,
    filters_button,
    filters_panel,
    indicator_details,
    loading,
    nature_badge,
    nature_badges,
    notices,
    share_button,
    share_modal,
    source_links,
    year_text,
)
from layouts.progress import status_badge

GOAL_IDS = views.GOAL_IDS
#: Map and chart heights: tall on a desktop, still usable (not squashed) on a 360 px phone.
MAP_HEIGHT = "clamp(340px, 70vh, 560px)"
CHART_HEIGHT = "clamp(320px, 60vh, 460px)"
LEVEL_CHOICES = (("province", N_("Provinces")), ("district", N_("Districts")))


# ---------------------------------------------------------------- strategy text


def _strategy_section(store: Store, goal: str, *, lang: str) -> html.Div:
    _ = translator(lang)
    release = store.dataset.release
    row = release.goals.loc[goal]
    activities = release.activities[release.activities["goal_id"] == goal]
    institutions = release.institutions[release.institutions["goal_id"] == goal]
    return html.Div(
        [
            html.H1(
                _("Goal {number}: {name}", number=goal, name=localized(row, "name", lang)),
                className="h2",
            ),
            html.P(data_text(row, "statement", lang), className="lead"),
            html.P(data_text(row, "description", lang)),
            html.P(
                [
                    html.Strong(_("Objective {number}:", number=row["objective_id"])),
                    " ",
                    data_text(row, "objective", lang),
                ]
            ),
            dbc.Accordion(
                [
                    dbc.AccordionItem(
                        html.Ol(
                            [
                                html.Li(
                                    [
                                        html.Strong(activity["activity_id"]),
                                        " ",
                                        data_text(activity, "text", lang),
                                    ]
                                )
                                for _index, activity in activities.iterrows()
                            ],
                            className="list-unstyled mb-0",
                        ),
                        title=_("Activities ({count})", count=len(activities)),
                    ),
                    dbc.AccordionItem(
                        html.Ul(
                            [
                                html.Li(data_text(institution, "institution", lang))
                                for _index, institution in institutions.iterrows()
                            ]
                        ),
                        title=_("Responsible institutions"),
                    ),
                ],
                start_collapsed=True,
                className="mb-3",
            ),
        ]
    )


def indicator_options(ds: queries.Dataset, indicator_ids: list[str], *, lang: str) -> list[dict]:
    """Indicator choices named in the reader's language; illustrative series say so."""
    _ = translator(lang)
    ind = ds.release.indicators
    marker = _("{label} (illustrative)", label="").strip()  # names often say it already
    options = []
    for indicator_id in indicator_ids:
        name = localized(ind.loc[indicator_id], "name", lang)
        if ind.at[indicator_id, "nature"] == "illustrative" and marker not in name:
            name = _("{label} (illustrative)", label=name)
        options.append({"label": name, "value": indicator_id})
    return options


def indicator_control(
    ds: queries.Dataset, control_id: str, indicator_ids: list[str], value: str, *, lang: str
) -> list:
    """A chart's labelled indicator dropdown (label and control)."""
    return [
        dbc.Label(translator(lang)("Indicator"), html_for=control_id),
        dcc.Dropdown(
            id=control_id,
            options=indicator_options(ds, indicator_ids, lang=lang),
            value=value,
            clearable=False,
            labels=dropdown_labels(lang),
        ),
    ]


# ---------------------------------------------------------------- map


def year_slider_props(selection: views.MapSelection) -> dict:
    """Every calendar year is a step (screen readers announce real years); marks show those
    with data, and `callbacks.goal` snaps a step into a gap to the next year with data."""
    years = list(selection.years) or [0]
    return {
        "min": years[0],
        "max": years[-1],
        "step": 1,
        "marks": {y: {"label": str(y)} for y in years},
        "value": selection.year if selection.year is not None else years[-1],
        "disabled": len(years) < 2,
    }


def area_name(ds: queries.Dataset, area_code: str, *, lang: str) -> str:
    return localized(ds.release.areas.loc[area_code], "name", lang)


def area_options(ds: queries.Dataset, level: str, *, lang: str) -> list[dict]:
    """The areas of a level for the area selector, in official order; a district names its
    province too, since some district names recur."""
    _ = translator(lang)
    areas = queries.areas_at(ds, level)
    options = []
    for code, row in areas.iterrows():
        name = localized(row, "name", lang)
        if level == "district" and row["parent_code"] in ds.release.areas.index:
            name = _(
                "{district}, {province}",
                district=name,
                province=area_name(ds, row["parent_code"], lang=lang),
            )
        options.append({"label": name, "value": code})
    return options


def chosen_area(ds: queries.Dataset, level: str, area_code: object) -> str | None:
    """The area selector's value if it is an area of the map's level, else none."""
    if not isinstance(area_code, str) or area_code not in ds.release.areas.index:
        return None
    return area_code if ds.release.areas.at[area_code, "level"] == level else None


def area_value(
    ds: queries.Dataset, selection: views.MapSelection, area_code: str | None, *, lang: str
) -> list:
    """What the map shows for the chosen area, in words: value, year, source and nature."""
    _ = translator(lang)
    if area_code is None:
        return [
            html.P(
                _("Choose an area to read its value here and to outline it on the map."),
                className="text-muted mb-0",
            )
        ]
    name = area_name(ds, area_code, lang=lang)
    rows = views.map_rows(ds, selection)
    rows = rows[rows["area_code"] == area_code]
    year = "" if selection.year is None else str(selection.year)
    if rows.empty:
        return [
            html.P(
                _("{area}: no data for {year}.", area=name, year=year),
                className="mb-0 area-value",
            )
        ]
    row = rows.iloc[0]
    indicator = ds.indicator(selection.indicator_id)
    return [
        html.P(
            _(
                "{area}: {value} in {year}.",
                area=name,
                value=format_with_unit(row["value"], indicator, lang),
                year=year_text(row["year"], lang),
            ),
            className="mb-1 area-value fw-semibold",
        ),
        html.P(
            [_("Source:"), " ", english(str(row["source_label"]), lang)],
            className="small mb-1",
        ),
        nature_badge(row["nature"], lang=lang),
    ]


def map_context(store: Store, selection: views.MapSelection, *, lang: str) -> list:
    """Badges, level message, sources and definition shown under the map."""
    _ = translator(lang)
    ds = store.dataset
    rows = views.map_rows(ds, selection)
    parts: list = [
        html.Div(nature_badges(queries.natures_of(rows), lang=lang), className="mb-1 map-badges")
    ]
    if not store.geo.has_level(selection.level):
        parts.append(
            dbc.Alert(
                _(
                    "District boundaries are not installed on this server. Set NSPS_GEO_DIR to "
                    "a folder with the HDX COD-AB Lao boundaries (see the README) to draw "
                    "district maps."
                ),
                color="info",
                className="small py-2",
            )
        )
    elif rows.empty:
        message = {
            "province": N_(
                "No province figures are published for this indicator in {year}. "
                "Areas are shown as “no data”."
            ),
            "district": N_(
                "No district figures are published for this indicator in {year}. "
                "Areas are shown as “no data”."
            ),
        }[selection.level]
        parts.append(
            dbc.Alert(
                _(message, year=selection.year),
                color="secondary",
                className="small py-2 map-no-data",
            )
        )
    if store.geo.schematic and selection.level == "province":
        parts.append(
            html.P(
                _(
                    "Schematic layout: boundary files are not installed, so each province is "
                    "a tile."
                ),
                className="small text-muted",
            )
        )
    if not rows.empty:
        parts.append(source_links(rows, lang=lang))
    parts.append(indicator_details(ds, selection.indicator_id, lang=lang))
    return parts


def map_table(store: Store, selection: views.MapSelection, *, lang: str) -> html.Div:
    """The map's values as a table: the accessible alternative and what the CSV holds."""
    _ = translator(lang)
    ds = store.dataset
    rows = views.map_rows(ds, selection)
    indicator = ds.indicator(selection.indicator_id)
    return data_table(
        [level_label(selection.level, lang), _("Value"), _("Nature")],
        [
            [
                area_name(ds, row["area_code"], lang=lang),
                format_with_unit(row["value"], indicator, lang),
                nature_label(row["nature"], lang),
            ]
            for _index, row in rows.iterrows()
        ],
        caption=summaries.map_summary(ds, selection, lang=lang),
        class_name="map-table",
    )


def map_downloads(goal: str, selection: views.MapSelection, *, lang: str) -> list:
    return chart_downloads(
        "map",
        views.map_csv_url(selection, lang),
        "map",
        views.chart_map_query(goal, selection, lang=lang),
        lang=lang,
    )


def _map_controls(store: Store, goal: str, selection: views.MapSelection, lang: str) -> dbc.Row:
    _ = translator(lang)
    ds = store.dataset
    return dbc.Row(
        [
            dbc.Col(
                [
                    *indicator_control(
                        ds,
                        "map-indicator",
                        queries.mappable_indicator_ids(ds, goal),
                        selection.indicator_id,
                        lang=lang,
                    ),
                ],
                md=6,
                lg=4,
            ),
            dbc.Col(
                html.Div(
                    [
                        dbc.Label(_("Level"), id="map-level-label", className="d-block"),
                        dbc.RadioItems(
                            id="map-level",
                            options=[
                                {"label": _(label), "value": level}
                                for level, label in LEVEL_CHOICES
                            ],
                            value=selection.level,
                            inline=True,
                        ),
                    ],
                    role="radiogroup",
                    **{"aria-labelledby": "map-level-label"},
                ),
                md=6,
                lg=2,
            ),
            dbc.Col(
                [
                    dbc.Label(_("Year"), html_for="map-year", id="map-year-label"),
                    dcc.Slider(id="map-year", **year_slider_props(selection)),
                ],
                md=6,
                lg=3,
            ),
            dbc.Col(
                [
                    dbc.Label(_("Area"), html_for="map-area"),
                    dcc.Dropdown(
                        id="map-area",
                        options=area_options(ds, selection.level, lang=lang),
                        placeholder=_("Type or choose an area"),
                        searchable=True,
                        clearable=True,
                        labels=dropdown_labels(lang),
                    ),
                ],
                md=6,
                lg=3,
            ),
        ],
        className="g-2 mb-2",
    )


def _map_card(store: Store, goal: str, selection: views.MapSelection, lang: str) -> dbc.Card:
    _ = translator(lang)
    ds = store.dataset
    has_series = views.resolve_series_selection(ds, goal) is not None
    compare = (
        [
            dbc.Button(
                _("Add this area to the trends chart"),
                id="map-area-compare",
                color="outline-primary",
                size="sm",
                className="mt-2",
                n_clicks=0,
                disabled=True,  # until a province is chosen (callbacks.goal)
            )
        ]
        if has_series
        else []
    )
    return dbc.Card(
        dbc.CardBody(
            [
                html.Div(
                    [
                        html.H2(_("Map"), className="h4 mb-0", id="map-heading"),
                        html.Div(
                            [filters_button("map", lang=lang), share_button("map", lang=lang)],
                            className="d-flex gap-2",
                        ),
                    ],
                    className="d-flex justify-content-between align-items-center mb-2",
                ),
                share_modal("map", lang=lang),
                html.Div(notices(selection.notices, lang=lang), id="map-notices"),
                filters_panel(
                    "map",
                    _("Map filters"),
                    _map_controls(store, goal, selection, lang),
                    lang=lang,
                ),
                dbc.Row(
                    [
                        dbc.Col(
                            described_chart(
                                loading(
                                    dcc.Graph(
                                        id="map-graph",
                                        figure=views.map_figure(
                                            ds, selection, store.geo.schematic, lang=lang
                                        ),
                                        config=GRAPH_CONFIG,
                                        style={"height": MAP_HEIGHT},
                                    )
                                ),
                                summary_id="map-summary",
                                label_id="map-heading",
                            ),
                            lg=8,
                        ),
                        dbc.Col(
                            [
                                html.P(
                                    summaries.map_summary(ds, selection, lang=lang),
                                    id="map-summary",
                                    className="chart-summary",
                                ),
                                html.Div(
                                    area_value(ds, selection, None, lang=lang),
                                    id="map-area-text",
                                    className="border-start border-3 ps-2",
                                    role="status",
                                    **{"aria-live": "polite"},
                                ),
                                *compare,
                            ],
                            lg=4,
                        ),
                    ],
                    className="g-3",
                ),
                html.Div(map_context(store, selection, lang=lang), id="map-context"),
                html.Div(
                    map_downloads(goal, selection, lang=lang),
                    id="map-downloads",
                    className="d-flex flex-wrap gap-2 mt-2",
                ),
                html.Details(
                    [
                        html.Summary(_("Show the values as a table"), id="map-table-toggle"),
                        # Filled when first opened, then kept in step (callbacks.goal): most
                        # readers never open it, so a map update does not pay for 148 rows.
                        html.Div(id="map-table"),
                    ],
                    className="mt-2 small",
                ),
            ]
        ),
        className="mb-4",
    )


def area_compares(ds: queries.Dataset, area_code: object) -> bool:
    """Whether the trends chart can add this area: its comparison lists provinces."""
    return chosen_area(ds, "province", area_code) is not None


# ---------------------------------------------------------------- trends


def series_downloads(goal: str, selection: views.SeriesSelection, *, lang: str) -> list:
    csv_url = views.series_csv_url(selection.indicator_id, selection.area_codes, lang)
    return chart_downloads(
        "series", csv_url, "series", views.chart_series_query(goal, selection, lang=lang), lang=lang
    )


def series_progress(ds: queries.Dataset, indicator_id: str, *, lang: str) -> list:
    """Each target set on the series, named with whose it is, and the national status against
    its numeric target (see `dashboard.progress`), under the trends chart."""
    _ = translator(lang)
    indicator = ds.indicator(indicator_id)
    targets = queries.indicator_targets(ds, indicator_id)
    if targets.empty:
        return []
    parts: list = []
    for _id, target in targets.iterrows():
        parts += [progress.target_label(target, indicator, lang).rstrip("."), ". "]
    status = None
    if progress.status_target(ds, indicator_id) is not None:
        status = progress.area_progress(ds, indicator_id).status
        parts += [_("National progress:"), " ", status_badge(status, lang=lang), " "]
    if indicator["nature"] == "illustrative":  # no status for illustrative values
        parts += [" ", nature_badge("illustrative", lang=lang)]
    if progress.trajectory(ds, indicator_id) is not None:
        parts += [" ", _("The dashed line is the path from the baseline to the target.")]
    parts += [" ", dcc.Link(_("All targets"), href=with_language("/progress", lang))]
    return [html.P(parts, className="small mb-2 series-targets", **{"data-status": status or ""})]


def _provenance_cells(row: pd.Series, lang: str) -> list:
    """The nature and publisher cells of a table row."""
    return [nature_label(row["nature"], lang), english(str(row["source_label"]), lang)]


def series_table(ds: queries.Dataset, selection: views.SeriesSelection, *, lang: str) -> html.Div:
    """The trends chart's points as a table (year, area, value, nature, source)."""
    _ = translator(lang)
    rows = views.series_rows(ds, selection.indicator_id, selection.area_codes)
    catalogue = ds.release.indicators
    return data_table(
        [_("Year"), _("Area"), _("Indicator"), _("Value"), _("Nature"), _("Source")],
        [
            [
                year_text(row["year"], lang),
                area_name(ds, row["area_code"], lang=lang),
                localized(catalogue.loc[row["indicator_id"]], "name", lang),
                format_with_unit(row["value"], catalogue.loc[row["indicator_id"]], lang),
                *_provenance_cells(row, lang),
            ]
            for _index, row in rows.sort_values(["area_code", "indicator_id", "year"]).iterrows()
        ],
        caption=summaries.series_summary(ds, selection, lang=lang),
        class_name="series-table",
    )


def _series_controls(
    ds: queries.Dataset, goal: str, selection: views.SeriesSelection, lang: str
) -> dbc.Row:
    _ = translator(lang)
    return dbc.Row(
        [
            dbc.Col(
                [
                    *indicator_control(
                        ds,
                        "series-indicator",
                        queries.series_indicator_ids(ds, goal),
                        selection.indicator_id,
                        lang=lang,
                    ),
                ],
                md=6,
            ),
            dbc.Col(
                [
                    dbc.Label(_("Compare provinces"), html_for="series-areas"),
                    dcc.Dropdown(
                        id="series-areas",
                        options=area_options(ds, "province", lang=lang),
                        value=list(selection.area_codes),
                        multi=True,
                        placeholder=_("National only"),
                        labels=dropdown_labels(lang),
                    ),
                ],
                md=6,
            ),
        ],
        className="g-2 mb-2",
    )


def _series_card(
    store: Store, goal: str, selection: views.SeriesSelection | None, lang: str
) -> dbc.Card:
    _ = translator(lang)
    ds = store.dataset
    if selection is None:
        return dbc.Card(
            dbc.CardBody(html.P(_("No time series is published for this goal yet."))),
            className="mb-4",
        )
    return dbc.Card(
        dbc.CardBody(
            [
                html.Div(
                    [
                        html.H2(_("Trends"), className="h4 mb-0", id="series-heading"),
                        html.Div(
                            [
                                filters_button("series", lang=lang),
                                share_button("series", lang=lang),
                            ],
                            className="d-flex gap-2",
                        ),
                    ],
                    className="d-flex justify-content-between align-items-center mb-2",
                ),
                share_modal("series", lang=lang),
                html.Div(notices(selection.notices, lang=lang), id="series-notices"),
                filters_panel(
                    "series",
                    _("Trend filters"),
                    _series_controls(ds, goal, selection, lang),
                    lang=lang,
                ),
                dbc.Row(
                    [
                        dbc.Col(
                            described_chart(
                                loading(
                                    dcc.Graph(
                                        id="series-graph",
                                        figure=views.series_figure(
                                            ds,
                                            selection.indicator_id,
                                            selection.area_codes,
                                            lang=lang,
                                        ),
                                        config=GRAPH_CONFIG,
                                        style={"height": CHART_HEIGHT},
                                    )
                                ),
                                summary_id="series-summary",
                                label_id="series-heading",
                            ),
                            lg=8,
                        ),
                        dbc.Col(
                            html.P(
                                summaries.series_summary(ds, selection, lang=lang),
                                id="series-summary",
                                className="chart-summary",
                            ),
                            lg=4,
                        ),
                    ],
                    className="g-3",
                ),
                html.Div(
                    series_progress(ds, selection.indicator_id, lang=lang), id="series-progress"
                ),
                html.Div(
                    series_downloads(goal, selection, lang=lang),
                    id="series-downloads",
                    className="d-flex flex-wrap gap-2",
                ),
                html.Details(
                    [
                        html.Summary(_("Show data as a table")),
                        html.Div(series_table(ds, selection, lang=lang), id="series-table"),
                    ],
                    className="mt-2 small",
                ),
            ]
        ),
        className="mb-4",
    )


# ---------------------------------------------------------------- budget


def budget_table(ds: queries.Dataset, goal: str, *, lang: str) -> html.Div:
    """Every budget figure of the goal as a table: spending series and programme envelopes."""
    _ = translator(lang)
    catalogue = ds.release.indicators
    body: list[list] = []
    for _index, row in queries.budget_stack_view(ds, goal).iterrows():
        indicator = catalogue.loc[row["indicator_id"]]
        item = _(
            "{indicator} ({year})",
            indicator=localized(indicator, "name", lang),
            year=year_text(row["year"], lang),
        )
        amount = format_with_unit(row["value"], indicator, lang)
        body.append([item, amount, *_provenance_cells(row, lang)])
    for _index, row in queries.budget_view(ds, goal).iterrows():
        item = _(
            "{programme}: {funder}",
            programme=figures.programme_label(row, lang),
            funder=_(figures.FUNDER_LABELS[row["funder"]]),
        )
        amount = _(
            "{amount} {currency}, {stage}",
            amount=format_number(row["amount"], lang, 0),
            currency=row["currency"],
            stage=_(figures.STAGE_LABELS.get(row["stage"], row["stage"])),
        )
        body.append([item, amount, *_provenance_cells(row, lang)])
    return data_table(
        [_("Item"), _("Amount"), _("Nature"), _("Source")],
        body,
        caption=summaries.budget_summary(ds, goal, lang=lang),
        class_name="budget-table",
    )


def _budget_card(store: Store, goal: str, *, lang: str) -> dbc.Card:
    _ = translator(lang)
    ds = store.dataset
    parts: list = [html.H2(_("Budget and financing"), className="h4", id="budget-heading")]
    stack = queries.budget_stack_view(ds, goal)
    lines = queries.budget_view(ds, goal)
    if stack.empty and lines.empty:
        parts.append(
            html.P(
                _(
                    "No budget allocation or execution figures for this goal have been "
                    "published. They will appear here when the Ministry of Finance or the "
                    "programme publishes them."
                ),
                className="text-muted",
            )
        )
        return dbc.Card(dbc.CardBody(parts), className="mb-4", id="budget-card")
    parts.append(
        html.P(
            summaries.budget_summary(ds, goal, lang=lang),
            id="budget-summary",
            className="chart-summary",
        )
    )
    graphs = []
    if not stack.empty:
        graphs.append(
            dcc.Graph(
                id="budget-stack-graph",
                figure=figures.budget_stack_figure(stack, ds.release.indicators, lang=lang),
                config=GRAPH_CONFIG,
                style={"height": "420px"},
            )
        )
    if not lines.empty:
        graphs.append(
            dcc.Graph(
                id="budget-lines-graph",
                figure=figures.budget_lines_figure(lines, lang=lang),
                config=GRAPH_CONFIG,
                style={"height": "360px"},
            )
        )
    parts += [
        described_chart(graph, summary_id="budget-summary", label_id="budget-heading")
        for graph in graphs
    ]
    natures = sorted(set(stack.get("nature", [])) | set(lines.get("nature", [])))
    parts.append(html.Div(nature_badges(natures, lang=lang)))
    parts.append(
        html.Details(
            [html.Summary(_("Show data as a table")), budget_table(ds, goal, lang=lang)],
            className="mt-2 small",
        )
    )
    return dbc.Card(dbc.CardBody(parts), className="mb-4", id="budget-card")


# ---------------------------------------------------------------- challenges


def challenge_list(
    store: Store, challenge_ids: list[str], *, lang: str, heading_level: str = "h3"
) -> html.Div:
    """Each challenge with the latest national value of every indicator that measures it."""
    _ = translator(lang)
    ds = store.dataset
    challenges = ds.release.challenges
    blocks = []
    for cid in challenge_ids:
        items = []
        for indicator_id in queries.challenge_indicator_ids(ds, cid):
            ind = ds.indicator(indicator_id)
            row = queries.latest(ds, indicator_id)
            if row is None:
                continue
            items.append(
                html.Li(
                    [
                        _(
                            "{indicator}: {value} ({year})",
                            indicator=localized(ind, "name", lang),
                            value=format_with_unit(row["value"], ind, lang),
                            year=year_text(row["year"], lang),
                        ),
                        " ",
                        english(str(row["source_label"]), lang),
                        " ",
                        nature_badge(row["nature"], lang=lang),
                    ]
                )
            )
        blocks.append(
            html.Div(
                [
                    html.Div(
                        [cid, " — ", data_text(challenges.loc[cid], "text", lang)],
                        className=f"{heading_level} h6",
                    ),
                    html.Ul(
                        items or [html.Li(_("No indicator published yet."), className="text-muted")]
                    ),
                ],
                className="challenge-block",
                id=f"challenge-{cid}",
            )
        )
    return html.Div(blocks)


# ---------------------------------------------------------------- the page


def _no_such_goal(goal_id: object, lang: str) -> html.Div:
    _ = translator(lang)
    return html.Div(
        [
            dbc.Alert(
                _(
                    "There is no goal {number}; the NSPS has goals 1, 2 and 3.",
                    number=repr(goal_id),
                ),
                color="warning",
            ),
            html.Ul(
                [
                    html.Li(
                        dcc.Link(
                            _("Goal {number}", number=g), href=with_language(f"/goal/{g}", lang)
                        )
                    )
                    for g in GOAL_IDS
                ]
            ),
        ]
    )


def layout(store: Store, goal_id: str | None = None, *, lang: str, **query: str) -> html.Div:
    ds = store.dataset
    goal = str(goal_id) if str(goal_id) in GOAL_IDS else None
    if goal is None:
        return _no_such_goal(goal_id, lang)
    _ = translator(lang)
    selection = views.resolve_map_selection(
        ds, goal, query.get("indicator"), query.get("level"), query.get("year"), lang=lang
    )
    series = views.resolve_series_selection(
        ds, goal, query.get("series"), query.get("areas"), lang=lang
    )
    return html.Div(
        [
            dcc.Store(id="goal-id", data=goal),
            # What each chart shows, for the address bar and the share dialogs (callbacks.goal).
            dcc.Store(id="map-view", data=views.map_share_state(ds, goal, selection, lang=lang)),
            dcc.Store(id="series-view", data=views.series_share_state(ds, goal, series, lang=lang)),
            dcc.Store(id="goal-url"),  # the address bar as last rewritten (callbacks.goal)
            _strategy_section(store, goal, lang=lang),
            _map_card(store, goal, selection, lang),
            _series_card(store, goal, series, lang),
            _budget_card(store, goal, lang=lang),
            dbc.Card(
                dbc.CardBody(
                    [
                        html.H2(_("Challenges this goal faces"), className="h4"),
                        challenge_list(store, queries.goal_challenge_ids(ds, goal), lang=lang),
                    ]
                ),
                className="mb-4",
            ),
        ]
    )
