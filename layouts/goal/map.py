"""The goal page's map: its controls, the notes under it, its table and downloads, as the Map
view of the goal's chart frame (`layouts.frame`)."""

from __future__ import annotations

from typing import Any

import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboard import queries, summaries, views
from dashboard.formatting import format_with_unit, level_label, nature_label
from dashboard.i18n import N_, translator
from dashboard.store import Store
from dashboard.viewdata import map_view_data_url
from dashboard.viewmodels import ChartView
from layouts.components import (
    GRAPH_CONFIG,
    chart_downloads,
    data_table,
    described_chart,
    dropdown_labels,
    loading,
    notices,
)
from layouts.frame import FrameView, footer_children, sources_children, title_children
from layouts.goal.controls import (
    area_name,
    area_options,
    area_value,
    indicator_control,
    level_options,
    year_slider_props,
)

#: The map's height: tall on a desktop, still most of the frame on a 360 px phone.
MAP_HEIGHT = "clamp(300px, 66vh, 560px)"
NO_FIGURES = {
    "province": N_(
        "No province figures are published for this indicator in {year}. "
        "Areas are shown as “no data”."
    ),
    "district": N_(
        "No district figures are published for this indicator in {year}. "
        "Areas are shown as “no data”."
    ),
}


def map_notes(store: Store, view: ChartView, *, lang: str) -> list:
    """What the reader must know to read this map: missing boundaries, no figures, a grid."""
    _ = translator(lang)
    selection: views.MapSelection = view.selection
    parts: list = []
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
    elif view.empty:
        parts.append(
            dbc.Alert(
                _(NO_FIGURES[selection.level], year=selection.year),
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


def map_downloads(view: ChartView) -> list:
    """The CSV of exactly the map's rows and briefing images of the same view."""
    query = views.chart_map_query(view.goal, view.selection, lang=view.lang)
    return chart_downloads("map", view.csv_url, "map", query, lang=view.lang)


def map_attribution(store: Store, *, lang: str) -> html.P:
    return html.P(
        views.map_attribution(store.geo.schematic, lang), className="small text-muted mb-0"
    )


def map_frame_parts(store: Store, view: ChartView, frame_prefix: str) -> dict[str, Any]:
    """The frame's parts that follow one map view's year, as components: heading (title and
    illustrative badge), footer, Sources tab and downloads. `callbacks.goal` sends them after
    a server redraw and the view data carries them for every year (`callbacks.viewdata`), so
    the browser only places them on a year change and never builds HTML."""
    return {
        "heading": title_children(view),
        "footer": footer_children(view, frame_prefix),
        "sources": sources_children(view, [map_attribution(store, lang=view.lang)]),
        "downloads": map_downloads(view),
    }


#: The play button's step: one year with data a second.
PLAY_STEP_MS = 1000


def play_button(selection: views.MapSelection, lang: str) -> html.Button:
    """Steps the map through its years with data (`assets/viewdata.js`, no request), stopping
    at the last one or when the reader touches the slider. A toggle: `aria-pressed` says
    whether it plays; its name stays the same."""
    _ = translator(lang)
    return html.Button(
        _("Play"),
        id="map-play",
        type="button",
        n_clicks=0,
        disabled=len(selection.years) < 2,
        title=_("Show each year with data in turn, one a second"),
        className="btn btn-outline-primary btn-sm map-play",
        **{"aria-pressed": "false", "aria-controls": "map-graph"},
    )


def _map_controls(store: Store, goal: str, selection: views.MapSelection, lang: str) -> dbc.Row:
    _ = translator(lang)
    ds = store.dataset
    return dbc.Row(
        [
            dbc.Col(
                indicator_control(
                    ds,
                    "map-indicator",
                    queries.mappable_indicator_ids(ds, goal),
                    selection.indicator_id,
                    lang=lang,
                ),
                md=6,
                lg=4,
            ),
            dbc.Col(
                html.Div(
                    [
                        dbc.Label(_("Level"), id="map-level-label", className="d-block"),
                        dbc.RadioItems(
                            id="map-level",
                            options=level_options(ds, selection.indicator_id, lang=lang),
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
                    html.Div(
                        [
                            dbc.Label(_("Year"), html_for="map-year", id="map-year-label"),
                            play_button(selection, lang),
                        ],
                        className="d-flex align-items-center justify-content-between gap-2",
                    ),
                    dcc.Slider(id="map-year", **year_slider_props(selection)),
                    # the play button's clock: one step a second while pressed (callbacks.goal)
                    dcc.Interval(id="map-play-timer", interval=PLAY_STEP_MS, disabled=True),
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


def map_frame_view(
    store: Store, view: ChartView, *, filters: object, has_series: bool
) -> FrameView:
    """The Map tab of a goal's frame: notices, controls (`filters` wraps them in the phone
    panel), the map, its summary and the chosen area's value; its table is built on first
    opening (`callbacks.goal`)."""
    lang = view.lang
    _ = translator(lang)
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
    figure = [
        # the address of the map's view data, fetched once it is drawn (assets/viewdata.js)
        dcc.Store(id="map-view-data", data=map_view_data_url(view)),
        html.Div(notices(view.notices, lang=lang), id="map-notices"),
        filters,
        html.Div(map_notes(store, view, lang=lang), id="map-context"),
        html.Div(
            [
                # over the map's top corner, shown while an area is chosen and zoomed to
                html.Button(
                    _("Whole country"),
                    id="map-whole-country",
                    type="button",
                    n_clicks=0,
                    hidden=True,
                    className="btn btn-light btn-sm border map-whole-country",
                ),
                described_chart(
                    loading(
                        dcc.Graph(
                            id="map-graph",
                            figure=view.figure,
                            config=GRAPH_CONFIG,
                            style={"height": MAP_HEIGHT},
                        )
                    ),
                    summary_id="map-summary",
                    label_id="map-heading",
                ),
            ],
            className="map-graph-wrap",
        ),
    ]
    return FrameView(
        key="map",
        prefix="map",
        view=view,
        figure=figure,
        # Filled when first opened, then kept in step (callbacks.goal): most readers never open
        # it, so a map update does not pay for 148 rows.
        table=html.Div(id="map-table"),
        downloads=map_downloads(view),
        sources_extra=[map_attribution(store, lang=lang)],
        table_button_id="map-table-toggle",
        after=[
            dbc.Row(
                [
                    dbc.Col(
                        html.P(view.summary, id="map-summary", className="chart-summary mb-1"), lg=7
                    ),
                    dbc.Col(
                        [
                            html.Div(
                                area_value(store.dataset, view.selection, None, lang=lang),
                                id="map-area-text",
                                className="border-start border-3 ps-2",
                                role="status",
                                # set by the browser on a year change with an area chosen
                                # (assets/viewdata.js): the server then describes that year
                                **{"aria-live": "polite", "data-year": ""},
                            ),
                            *compare,
                        ],
                        lg=5,
                    ),
                ],
                className="g-2 mt-1",
            )
        ],
    )
