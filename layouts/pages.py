"""The overview, challenges and data-and-sources pages, and the page registry."""

from __future__ import annotations

from functools import partial

import dash
import dash_bootstrap_components as dbc
import pandas as pd
from dash import dcc, html

from dashboard import queries
from dashboard.formatting import NATURE_LABELS
from dashboard.store import Store
from geo import ATTRIBUTION, HDX_DATASET_URL
from layouts import goal, progress
from layouts.changelog import changelog_section
from layouts.components import headline_card
from layouts.releases import releases_section
from layouts.shell import localized_page, page_title


def _strategy_text(store: Store, key: str) -> str:
    strategy = store.dataset.release.strategy
    return strategy.at[key, "text_en"] if key in strategy.index else ""


def overview_layout(store: Store, **_query: str) -> html.Div:
    ds = store.dataset
    release = ds.release
    principles = release.strategy[release.strategy["key"].str.startswith("principle_")]
    goal_cards = []
    for goal_id, row in release.goals.iterrows():
        headlines = queries.headline_indicator_ids(ds, goal_id)
        goal_cards.append(
            dbc.Card(
                dbc.CardBody(
                    [
                        html.H2(
                            dcc.Link(f"Goal {goal_id} — {row['name_en']}", href=f"/goal/{goal_id}"),
                            className="h4",
                        ),
                        html.P(row["statement_en"]),
                        dbc.Row(
                            [
                                dbc.Col(headline_card(ds, i), md=4, className="mb-2")
                                for i in headlines
                            ],
                            className="g-2",
                        ),
                    ]
                ),
                className="mb-3",
                id=f"goal-card-{goal_id}",
            )
        )
    return html.Div(
        [
            html.H1("National Social Protection Strategy — progress dashboard", className="h2"),
            html.P(_strategy_text(store, "vision"), className="lead"),
            html.P(_strategy_text(store, "horizon_2025")),
            html.P(
                ["Principles: ", ", ".join(principles["text_en"])] if not principles.empty else [],
                className="small text-muted",
            ),
            *goal_cards,
            html.H2("The 12 challenges the strategy names", className="h4 mt-4"),
            html.Ol(
                [
                    html.Li(dcc.Link(text, href=f"/challenges#challenge-{cid}"))
                    for cid, text in release.challenges["text_en"].items()
                ]
            ),
        ]
    )


def challenges_layout(store: Store, **_query: str) -> html.Div:
    ds = store.dataset
    return html.Div(
        [
            html.H1("Challenges", className="h2"),
            html.P(
                "The NSPS names twelve challenges. Each is listed with the latest value of every "
                "published indicator that measures it, with its year, source and nature."
            ),
            goal.challenge_list(store, ds.release.challenges.index.tolist(), heading_level="h2"),
        ]
    )


def data_layout(store: Store, **_query: str) -> html.Div:
    ds = store.dataset
    release = ds.release
    tidy = ds.tidy
    counts = tidy.groupby("source_id").size()
    sources = release.sources.assign(values=release.sources.index.map(counts).fillna(0).astype(int))
    source_rows = [
        html.Tr(
            [
                html.Td(s["publisher"]),
                html.Td(
                    html.A(s["title"], href=s["url"], target="_blank", rel="noopener")
                    if s["url"].startswith("http")
                    else [s["title"], html.Br(), html.Code(s["url"], className="small")]
                ),
                html.Td("" if pd.isna(s["year"]) else int(s["year"])),
                html.Td(s["licence"]),
                html.Td(s["values"]),
            ]
        )
        for _, s in sources.sort_values("publisher").iterrows()
    ]
    natures = tidy["nature"].value_counts()
    illustrative = release.indicators[release.indicators["nature"] == "illustrative"]
    return html.Div(
        [
            html.H1("Data and sources", className="h2"),
            html.P(
                [
                    f"Release {release.release_id} ({release.meta.get('title', '')}): ",
                    f"{len(tidy):,} values of {tidy['indicator_id'].nunique()} indicators from "
                    f"{len(release.sources)} sources.",
                ]
            ),
            html.Div(
                [
                    html.A(
                        "Download all data (CSV)",
                        href="/download/nsps-data.csv",
                        className="btn btn-primary me-2",
                        id="download-all",
                    ),
                ],
                className="mb-3",
            ),
            html.H2("How values are classified", className="h4"),
            html.Ul(
                [
                    html.Li([html.Strong(NATURE_LABELS[n]), f": {int(natures.get(n, 0)):,} values"])
                    for n in NATURE_LABELS
                ]
            ),
            html.H2("Illustrative series", className="h4"),
            html.P(
                "No official figure of health insurance, social security or social welfare "
                "coverage "
                "is yet published by province or district. So that the maps can be used and tested "
                "until the ministry publishes its own tables, the indicators below are generated "
                "by "
                "a documented, seeded script (data/steps/illustrative.py). Where a real national "
                "figure exists, the province values add up to it. They are not official statistics "
                "and are marked as such on every map, chart, table and CSV row. Publishing real "
                "tables in their place needs no change to the code."
            ),
            html.Ul([html.Li(f"{i}: {row['name_en']}") for i, row in illustrative.iterrows()]),
            html.H2("Methodology", className="h4"),
            html.Ul(
                [
                    html.Li("Every value is kept as published, with its source and a quoted note."),
                    html.Li(
                        "Survey rounds spanning two years use the first year (2018 = LECS 6 "
                        "2018/19)."
                    ),
                    html.Li(
                        "Series measured on different methods are drawn as separate lines, never "
                        "joined (for example poverty on the old and the revised LECS methodology)."
                    ),
                    html.Li(
                        "Values without a reference year are listed in tables, never on a time "
                        "axis."
                    ),
                    html.Li(
                        "Areas without data are grey and say “no data”: a missing value is never "
                        "zero."
                    ),
                ]
            ),
            releases_section(store),
            html.H2("Sources", className="h4"),
            dbc.Table(
                [
                    html.Thead(
                        html.Tr(
                            [
                                html.Th(h)
                                for h in ("Publisher", "Title", "Year", "Licence", "Values")
                            ]
                        )
                    ),
                    html.Tbody(source_rows),
                ],
                size="sm",
                striped=True,
                responsive=True,
                className="small",
                id="sources-table",
            ),
            changelog_section(store),
            html.H2("Boundaries", className="h4"),
            html.P(ATTRIBUTION, className="small"),
            html.P(
                [
                    "Official boundaries: ",
                    html.A(
                        "HDX — Lao PDR Subnational Administrative Boundaries", href=HDX_DATASET_URL
                    ),
                ],
                className="small",
            ),
        ]
    )


#: Every page: module name, route, navigation name, browser title and layout function.
PAGES = (
    ("overview", {"path": "/"}, "Overview", "NSPS dashboard", overview_layout),
    ("goal", {"path_template": "/goal/<goal_id>"}, "Goal", "NSPS goal", goal.layout),
    (
        "progress",
        {"path": "/progress"},
        "Progress",
        "NSPS progress against targets",
        progress.layout,
    ),
    ("challenges", {"path": "/challenges"}, "Challenges", "NSPS challenges", challenges_layout),
    ("data", {"path": "/data"}, "Data & sources", "NSPS data and sources", data_layout),
)


def register_pages(store: Store) -> None:
    """Register every page with Dash Pages; each layout is a function of its URL query."""
    for module, route, name, title, layout in PAGES:
        path_template = route.get("path") or route["path_template"]
        dash.register_page(
            module,
            **route,
            name=name,
            title=page_title(title),
            layout=partial(localized_page, store, layout, path_template),
        )
