"""One page per NSPS goal: strategy text, map, trends, budget and the challenges it faces.

The layout is a function of the URL query (`?indicator=&level=&year=&series=&areas=`), so a
shared link reopens the same view; `callbacks.goal` keeps the address bar naming the view shown.
"""

from __future__ import annotations

import dash_bootstrap_components as dbc
import pandas as pd
from dash import dcc, html

from dashboard import figures, progress, queries, views
from dashboard.formatting import LEVEL_LABELS, format_with_unit
from dashboard.store import Store
from layouts.components import (
    GRAPH_CONFIG,
    chart_downloads,
    indicator_details,
    loading,
    nature_badge,
    nature_badges,
    notices,
    share_button,
    share_modal,
    source_links,
)
from layouts.progress import status_badge

GOAL_IDS = ("1", "2", "3")


def _strategy_section(store: Store, goal: str) -> html.Div:
    release = store.dataset.release
    row = release.goals.loc[goal]
    activities = release.activities[release.activities["goal_id"] == goal]
    institutions = release.institutions[release.institutions["goal_id"] == goal]
    return html.Div(
        [
            html.H1(f"Goal {goal} — {row['name_en']}", className="h2"),
            html.P(row["statement_en"], className="lead"),
            html.P(row["description_en"]),
            html.P([html.Strong(f"Objective {row['objective_id']}: "), row["objective_en"]]),
            dbc.Accordion(
                [
                    dbc.AccordionItem(
                        html.Ol(
                            [
                                html.Li([html.Strong(a["activity_id"] + " "), a["text_en"]])
                                for _, a in activities.iterrows()
                            ],
                            className="list-unstyled mb-0",
                        ),
                        title=f"Activities ({len(activities)})",
                    ),
                    dbc.AccordionItem(
                        html.Ul([html.Li(i) for i in institutions["institution_en"]]),
                        title="Responsible institutions",
                    ),
                ],
                start_collapsed=True,
                className="mb-3",
            ),
        ]
    )


def _indicator_options(ds: queries.Dataset, indicator_ids: list[str]) -> list[dict]:
    ind = ds.release.indicators
    return [
        {
            "label": ind.at[i, "name_en"]
            + (" (illustrative)" if ind.at[i, "nature"] == "illustrative" else ""),
            "value": i,
        }
        for i in indicator_ids
    ]


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


def map_context(store: Store, selection: views.MapSelection) -> list:
    """Badges, level message, sources and definition shown under the map."""
    ds = store.dataset
    rows = views.map_rows(ds, selection)
    parts: list = [html.Div(nature_badges(queries.natures_of(rows)), className="mb-1 map-badges")]
    if not store.geo.has_level(selection.level):
        parts.append(
            dbc.Alert(
                "District boundaries are not installed on this server. Set NSPS_GEO_DIR to a "
                "folder "
                "with the HDX COD-AB Lao boundaries (see the README) to draw district maps.",
                color="info",
                className="small py-2",
            )
        )
    elif rows.empty:
        parts.append(
            dbc.Alert(
                f"No {LEVEL_LABELS[selection.level].lower()} figures are published for this "
                f"indicator in {selection.year}. Areas are shown as “no data”.",
                color="secondary",
                className="small py-2 map-no-data",
            )
        )
    if store.geo.schematic and selection.level == "province":
        parts.append(
            html.P(
                "Schematic layout: boundary files are not installed, so each province is a tile.",
                className="small text-muted",
            )
        )
    if not rows.empty:
        parts.append(source_links(rows))
    parts.append(indicator_details(ds, selection.indicator_id))
    return parts


def map_table(store: Store, selection: views.MapSelection) -> dbc.Table:
    """The map's values as a table: the accessible alternative and what the CSV holds."""
    ds = store.dataset
    rows = views.map_rows(ds, selection)
    ind = ds.indicator(selection.indicator_id)
    header = html.Thead(html.Tr([html.Th("Area"), html.Th("Value"), html.Th("Nature")]))
    body = html.Tbody(
        [
            html.Tr(
                [
                    html.Td(r["area_name"]),
                    html.Td(format_with_unit(r["value"], ind)),
                    html.Td(r["nature"]),
                ]
            )
            for _, r in rows.iterrows()
        ]
    )
    return dbc.Table([header, body], size="sm", striped=True, className="small map-table")


def _map_card(store: Store, goal: str, selection: views.MapSelection) -> dbc.Card:
    ds = store.dataset
    options = _indicator_options(ds, queries.mappable_indicator_ids(ds, goal))
    return dbc.Card(
        dbc.CardBody(
            [
                html.Div(
                    [html.H2("Map", className="h4 mb-0"), share_button("map")],
                    className="d-flex justify-content-between align-items-center mb-2",
                ),
                share_modal("map"),
                html.Div(notices(selection.notices), id="map-notices"),
                dbc.Row(
                    [
                        dbc.Col(
                            [
                                dbc.Label("Indicator", html_for="map-indicator"),
                                dcc.Dropdown(
                                    id="map-indicator",
                                    options=options,
                                    value=selection.indicator_id,
                                    clearable=False,
                                ),
                            ],
                            md=6,
                        ),
                        dbc.Col(
                            [
                                dbc.Label("Level", html_for="map-level"),
                                dbc.RadioItems(
                                    id="map-level",
                                    options=[
                                        {"label": "Provinces", "value": "province"},
                                        {"label": "Districts", "value": "district"},
                                    ],
                                    value=selection.level,
                                    inline=True,
                                ),
                            ],
                            md=2,
                        ),
                        dbc.Col(
                            [
                                dbc.Label("Year", html_for="map-year"),
                                dcc.Slider(id="map-year", **year_slider_props(selection)),
                            ],
                            md=4,
                        ),
                    ],
                    className="g-2 mb-2",
                ),
                loading(
                    dcc.Graph(
                        id="map-graph",
                        figure=views.map_figure(ds, selection, store.geo.schematic),
                        config=GRAPH_CONFIG,
                        style={"height": "560px"},
                    )
                ),
                html.Div(map_context(store, selection), id="map-context"),
                html.Div(
                    [
                        html.Div(
                            map_downloads(goal, selection),
                            id="map-downloads",
                            className="d-flex flex-wrap gap-2",
                        ),
                        dbc.Button(
                            "Show the values as a table",
                            id="map-table-toggle",
                            color="link",
                            size="sm",
                        ),
                    ],
                    className="d-flex flex-wrap gap-2 align-items-center mt-2",
                ),
                dbc.Collapse(
                    html.Div(map_table(store, selection), id="map-table"), id="map-table-collapse"
                ),
            ]
        ),
        className="mb-4",
    )


def map_downloads(goal: str, selection: views.MapSelection) -> list:
    return chart_downloads(
        "map", views.map_csv_url(selection), "map", views.chart_map_query(goal, selection)
    )


def series_downloads(goal: str, selection: views.SeriesSelection) -> list:
    csv_url = views.series_csv_url(selection.indicator_id, selection.area_codes)
    return chart_downloads("series", csv_url, "series", views.chart_series_query(goal, selection))


def series_progress(ds: queries.Dataset, indicator_id: str) -> list:
    """The national status against the target, under the trends chart (see `dashboard.progress`)."""
    indicator = ds.indicator(indicator_id)
    if pd.isna(indicator["target_value"]):
        return []
    result = progress.area_progress(ds, indicator_id)
    target = format_with_unit(result.target_value, indicator) + (
        f" by {result.target_year}" if result.target_year is not None else ""
    )
    parts: list = [
        "National progress: ",
        status_badge(result.status),
        f" {result.reason} Target: {target}.",
    ]
    if indicator["nature"] == "illustrative":  # a status of an illustrative series is too
        parts += [" ", nature_badge("illustrative")]
    if progress.trajectory(ds, indicator_id) is not None:
        parts.append(" The dashed line is the path from the baseline to the target.")
    parts.append(" ")
    parts.append(dcc.Link("All targets", href="/progress"))
    return [html.P(parts, className="small mb-2", **{"data-status": result.status})]


def _series_card(store: Store, goal: str, selection: views.SeriesSelection | None) -> dbc.Card:
    ds = store.dataset
    if selection is None:
        return dbc.Card(dbc.CardBody(html.P("No time series is published for this goal yet.")))
    provinces = queries.areas_at(ds, "province")
    return dbc.Card(
        dbc.CardBody(
            [
                html.Div(
                    [html.H2("Trends", className="h4 mb-0"), share_button("series")],
                    className="d-flex justify-content-between align-items-center mb-2",
                ),
                share_modal("series"),
                html.Div(notices(selection.notices), id="series-notices"),
                dbc.Row(
                    [
                        dbc.Col(
                            [
                                dbc.Label("Indicator", html_for="series-indicator"),
                                dcc.Dropdown(
                                    id="series-indicator",
                                    options=_indicator_options(
                                        ds, queries.series_indicator_ids(ds, goal)
                                    ),
                                    value=selection.indicator_id,
                                    clearable=False,
                                ),
                            ],
                            md=6,
                        ),
                        dbc.Col(
                            [
                                dbc.Label("Compare provinces", html_for="series-areas"),
                                dcc.Dropdown(
                                    id="series-areas",
                                    options=[
                                        {"label": n, "value": c}
                                        for c, n in zip(
                                            provinces["area_code"],
                                            provinces["name_en"],
                                            strict=False,
                                        )
                                    ],
                                    value=list(selection.area_codes),
                                    multi=True,
                                    placeholder="National only",
                                ),
                            ],
                            md=6,
                        ),
                    ],
                    className="g-2 mb-2",
                ),
                loading(
                    dcc.Graph(
                        id="series-graph",
                        figure=views.series_figure(
                            ds, selection.indicator_id, selection.area_codes
                        ),
                        config=GRAPH_CONFIG,
                        style={"height": "460px"},
                    )
                ),
                html.Div(series_progress(ds, selection.indicator_id), id="series-progress"),
                html.Div(
                    series_downloads(goal, selection),
                    id="series-downloads",
                    className="d-flex flex-wrap gap-2",
                ),
            ]
        ),
        className="mb-4",
    )


def _budget_card(store: Store, goal: str) -> dbc.Card:
    ds = store.dataset
    parts: list = [html.H2("Budget and financing", className="h4")]
    stack = queries.budget_stack_view(ds, goal)
    if not stack.empty:
        parts.append(
            dcc.Graph(
                id="budget-stack-graph",
                figure=figures.budget_stack_figure(stack, ds.release.indicators),
                config=GRAPH_CONFIG,
                style={"height": "420px"},
            )
        )
    lines = queries.budget_view(ds, goal)
    if not lines.empty:
        parts.append(
            dcc.Graph(
                id="budget-lines-graph",
                figure=figures.budget_lines_figure(lines),
                config=GRAPH_CONFIG,
                style={"height": "360px"},
            )
        )
        parts.append(html.Div([nature_badge(n) for n in sorted(set(lines["nature"]))]))
    if stack.empty and lines.empty:
        parts.append(
            html.P(
                "No budget allocation or execution figures for this goal have been published. "
                "They will appear here when the Ministry of Finance or the programme publishes "
                "them.",
                className="text-muted",
            )
        )
    return dbc.Card(dbc.CardBody(parts), className="mb-4", id="budget-card")


def challenge_list(
    store: Store, challenge_ids: list[str], *, heading_level: str = "h3"
) -> html.Div:
    """Each challenge with the latest national value of every indicator that measures it."""
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
            year = "date not stated" if pd.isna(row["year"]) else int(row["year"])
            items.append(
                html.Li(
                    [
                        f"{ind['name_en']}: ",
                        html.Strong(format_with_unit(row["value"], ind)),
                        f" ({year}; {row['source_publisher']}) ",
                        nature_badge(row["nature"]),
                    ]
                )
            )
        blocks.append(
            html.Div(
                [
                    html.Div(
                        f"{cid} — {challenges.at[cid, 'text_en']}", className=f"{heading_level} h6"
                    ),
                    html.Ul(
                        items or [html.Li("No indicator published yet.", className="text-muted")]
                    ),
                ],
                className="challenge-block",
                id=f"challenge-{cid}",
            )
        )
    return html.Div(blocks)


def layout(store: Store, goal_id: str | None = None, **query: str) -> html.Div:
    ds = store.dataset
    goal = str(goal_id) if str(goal_id) in GOAL_IDS else None
    if goal is None:
        return html.Div(
            [
                dbc.Alert(
                    f"There is no goal {goal_id!r}; the NSPS has goals 1, 2 and 3.", color="warning"
                ),
                html.Ul([html.Li(dcc.Link(f"Goal {g}", href=f"/goal/{g}")) for g in GOAL_IDS]),
            ]
        )
    selection = views.resolve_map_selection(
        ds, goal, query.get("indicator"), query.get("level"), query.get("year")
    )
    series = views.resolve_series_selection(ds, goal, query.get("series"), query.get("areas"))
    return html.Div(
        [
            dcc.Store(id="goal-id", data=goal),
            # What each chart shows, for the address bar and the share dialogs (callbacks.goal).
            dcc.Store(id="map-view", data=views.map_share_state(ds, goal, selection)),
            dcc.Store(id="series-view", data=views.series_share_state(ds, goal, series)),
            dcc.Store(id="goal-url"),  # the address bar as last rewritten (callbacks.goal)
            _strategy_section(store, goal),
            _map_card(store, goal, selection),
            _series_card(store, goal, series),
            _budget_card(store, goal),
            dbc.Card(
                dbc.CardBody(
                    [
                        html.H2("Challenges this goal faces", className="h4"),
                        challenge_list(store, queries.goal_challenge_ids(ds, goal)),
                    ]
                ),
                className="mb-4",
            ),
        ]
    )
