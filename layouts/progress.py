"""The progress page: every NSPS target, its status by a documented method, and which provinces
are behind.

The layout is a function of its URL query (`?indicator=` chooses the status map); the indicator
choices are links, so each view has its own URL and needs no callback.
"""

from __future__ import annotations

from urllib.parse import urlencode

import dash_bootstrap_components as dbc
import pandas as pd
from dash import dcc, html

from dashboard import progress, queries, views
from dashboard.formatting import format_value, format_with_unit
from dashboard.store import Store
from layouts.components import GRAPH_CONFIG, nature_badge, notices


def status_badge(status: str) -> dbc.Badge:
    return dbc.Badge(
        progress.STATUS_LABELS[status],
        color="light",
        text_color="dark",
        className=f"progress-status status-{status}",
        style={"borderLeft": f"6px solid {progress.STATUS_COLOURS[status]}"},
    )


def _value_and_year(value: float | None, year: int | None, indicator: pd.Series) -> str:
    if value is None or pd.isna(value):
        return "—"
    when = "" if year is None or pd.isna(year) else f" ({int(year)})"
    return format_with_unit(value, indicator) + when


def _indicator_link(ds: queries.Dataset, row: pd.Series) -> html.Span | dcc.Link:
    goal = row["goal"]
    if goal in views.GOAL_IDS and row["indicator_id"] in queries.series_indicator_ids(ds, goal):
        href = views.goal_path(goal, {"series": row["indicator_id"]})
        return dcc.Link(row["indicator_name"], href=href)
    return html.Span(row["indicator_name"])


def overview_table(ds: queries.Dataset) -> dbc.Table:
    """One row per target: national baseline, latest, target and status, grouped by goal."""
    table = progress.overview(ds)
    header = html.Thead(
        html.Tr(
            [
                html.Th(h)
                for h in ("Goal", "Indicator", "Baseline", "Latest", "Target", "Status", "Why")
            ]
        )
    )
    body = []
    for _, row in table.iterrows():
        indicator = ds.indicator(row["indicator_id"])
        target_year = None if pd.isna(row["target_year"]) else row["target_year"]
        body.append(
            html.Tr(
                [
                    html.Td(progress.GOAL_LABELS.get(row["goal"], row["goal"])),
                    html.Td(
                        [
                            _indicator_link(ds, row),
                            html.Br(),
                            nature_badge(row["nature"]),
                        ]
                    ),
                    html.Td(
                        _value_and_year(row["baseline_value"], row["baseline_year"], indicator)
                    ),
                    html.Td(_value_and_year(row["latest_value"], row["latest_year"], indicator)),
                    html.Td(
                        format_with_unit(row["target_value"], indicator)
                        + (f" by {int(target_year)}" if target_year else " (no year)")
                    ),
                    html.Td(status_badge(row["status"])),
                    html.Td(row["reason"], className="small"),
                ],
                id=f"progress-row-{row['indicator_id']}",
                **{"data-status": row["status"]},
            )
        )
    return dbc.Table(
        [header, html.Tbody(body)],
        size="sm",
        striped=True,
        responsive=True,
        className="small",
        id="progress-table",
    )


def _status_choices(ds: queries.Dataset, chosen: str) -> dbc.Nav:
    return dbc.Nav(
        [
            dbc.NavItem(
                dbc.NavLink(
                    ds.indicator(i)["name_en"],
                    href="/progress?" + urlencode({"indicator": i}),
                    active=i == chosen,
                    id={"type": "status-choice", "indicator": i},
                )
            )
            for i in views.status_indicator_ids(ds)
        ],
        pills=True,
        className="mb-2",
    )


def province_status_table(ds: queries.Dataset, indicator_id: str) -> dbc.Table:
    """Provinces from the furthest behind (lowest ratio of observed to required growth)."""
    rows = progress.level_progress(ds, indicator_id, "province").sort_values(
        "ratio", na_position="last"
    )
    indicator = ds.indicator(indicator_id)
    header = html.Thead(
        html.Tr([html.Th(h) for h in ("Province", "Baseline", "Latest", "Pace", "Status")])
    )
    body = [
        html.Tr(
            [
                html.Td(r["area_name"]),
                html.Td(_value_and_year(r["baseline_value"], r["baseline_year"], indicator)),
                html.Td(_value_and_year(r["latest_value"], r["latest_year"], indicator)),
                html.Td("—" if pd.isna(r["ratio"]) else f"{format_value(100 * r['ratio'], 0)} %"),
                html.Td(status_badge(r["status"])),
            ],
            **{"data-area": r["area_code"], "data-status": r["status"]},
        )
        for _, r in rows.iterrows()
    ]
    return dbc.Table(
        [header, html.Tbody(body)], size="sm", striped=True, className="small", id="status-table"
    )


def _status_map_section(store: Store, requested: str | None) -> html.Div:
    ds = store.dataset
    indicator_id, messages = views.resolve_status_indicator(ds, requested)
    parts: list = [
        html.H2("Which provinces are behind", className="h4 mt-4"),
        html.Div(notices(messages), id="status-notices"),
    ]
    if indicator_id is None:
        parts.append(html.P("No indicator with a target has province values yet."))
        return html.Div(parts)
    indicator = ds.indicator(indicator_id)
    if indicator["nature"] == "illustrative":
        parts.append(
            html.Div(
                [
                    nature_badge("illustrative"),
                    "These statuses come from illustrative series, so they are illustrative too.",
                ],
                className="small mb-2",
            )
        )
    parts += [
        _status_choices(ds, indicator_id),
        html.P(
            "Each province is compared with the national target: the pace column is its observed "
            "growth as a share of the growth needed to reach the target on time (95 % or more "
            "is on track).",
            className="small text-muted",
        ),
        dbc.Row(
            [
                dbc.Col(
                    dcc.Graph(
                        id="status-map-graph",
                        figure=views.status_map_figure(ds, indicator_id, store.geo.schematic),
                        config=GRAPH_CONFIG,
                        style={"height": "560px"},
                    ),
                    lg=7,
                ),
                dbc.Col(province_status_table(ds, indicator_id), lg=5),
            ]
        ),
    ]
    return html.Div(parts, id="status-map-section")


def _spending_section(ds: queries.Dataset) -> html.Div:
    parts: list = [
        html.H2("Spending per person covered", className="h4 mt-4"),
        html.P(progress.SPENDING_METHOD, className="small"),
    ]
    for goal in views.GOAL_IDS:
        name = ds.release.goals.at[goal, "name_en"]
        table = progress.spending_per_person_covered(ds, goal)
        parts.append(html.H3(f"Goal {goal} — {name}", className="h6"))
        if table.empty:
            parts.append(
                html.P(
                    [html.Strong("Cannot be computed yet. "), progress.SPENDING_GAPS[goal]],
                    className="small text-muted",
                    id=f"spending-gap-{goal}",
                )
            )
            continue
        parts.append(
            dbc.Table(
                [
                    html.Thead(
                        html.Tr(
                            [
                                html.Th(h)
                                for h in (
                                    "Year",
                                    "Government health spending per person (US$)",
                                    "Population covered (%)",
                                    "Spending per person covered (US$)",
                                )
                            ]
                        )
                    ),
                    html.Tbody(
                        [
                            html.Tr(
                                [
                                    html.Td(int(r["year"])),
                                    html.Td(format_value(r["spending"], 2)),
                                    html.Td(format_value(r["coverage"], 1)),
                                    html.Td(format_value(r["per_person_covered"], 2)),
                                ]
                            )
                            for _, r in table.iterrows()
                        ]
                    ),
                ],
                size="sm",
                striped=True,
                className="small",
                id=f"spending-table-{goal}",
            )
        )
        parts.append(
            html.P(
                "Sources: WHO Global Health Expenditure Database (estimate); social health "
                "protection coverage (administrative). See the Data page for citations.",
                className="small text-muted",
            )
        )
    return html.Div(parts)


def layout(store: Store, **query: str) -> html.Div:
    ds = store.dataset
    return html.Div(
        [
            html.H1("Progress against the NSPS targets", className="h2"),
            html.P(
                "Every indicator with a published numeric target, its latest national value and "
                "whether it is on course to reach the target in time.",
                className="lead",
            ),
            dbc.Accordion(
                dbc.AccordionItem(
                    dcc.Markdown(progress.__doc__.split("\n\n", 1)[1], className="small"),
                    title="How the status is measured",
                ),
                start_collapsed=True,
                className="mb-3",
                id="progress-method",
            ),
            overview_table(ds),
            _status_map_section(store, query.get("indicator")),
            _spending_section(ds),
        ]
    )
