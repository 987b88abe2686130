"""The overview, challenges and data-and-sources pages, the page registry and the page paths.

Every page is built in the reader's language (`lang`, settled by `layouts.shell`): interface text
through the catalogue, release text from its `_lo`/`_en` columns, and source titles, publishers
and licences as published, marked `lang="en"` on a Lao page.
"""

from __future__ import annotations

from functools import cache, partial

import dash
import dash_bootstrap_components as dbc
import pandas as pd
from dash import dcc, html

from dashboard import citations, queries, views
from dashboard.formatting import NATURE_LABELS, nature_label
from dashboard.i18n import N_, format_number, localized, translator, with_language
from dashboard.store import Store
from dashboard.viewmodels import map_view
from geo import ATTRIBUTION, HDX_DATASET_URL
from layouts import goal, progress
from layouts.changelog import changelog_section
from layouts.components import (
    GRAPH_CONFIG,
    data_text,
    described_chart,
    english,
    full_downloads,
    headline_card,
    nature_badge,
)
from layouts.frame import FrameView, chart_frame
from layouts.goal.map import map_attribution, map_downloads, map_table
from layouts.goal.text import EDITORIAL_READING
from layouts.releases import releases_section
from layouts.shell import localized_page, page_title

#: The boundaries' dataset as HDX titles it (cited as published).
HDX_DATASET_TITLE = "HDX — Lao PDR – Subnational Administrative Boundaries"


def _strategy_row(store: Store, key: str) -> pd.Series:
    strategy = store.dataset.release.strategy
    return strategy.loc[key] if key in strategy.index else pd.Series(dtype=object)


def _principles(store: Store, lang: str) -> list[str]:
    """The strategy's principles: one `;`-separated cell, in the reader's language."""
    text = localized(_strategy_row(store, "principles"), "text", lang)
    return [item.strip() for item in text.split(";") if item.strip()]


def _about_the_strategy(store: Store, lang: str) -> list:
    """The strategy's own words on what social protection is, its principle of universality
    and who is responsible for it (Commission, secretariat, local committees)."""
    _ = translator(lang)

    def passage(key: str, **props: str) -> html.P:
        return html.P(data_text(_strategy_row(store, key), "text", lang), **props)

    secretariat = _strategy_row(store, "governance_secretariat")
    return [
        html.H2(_("What is social protection?"), className="h4 mt-4"),
        passage("what_is_social_protection", id="what-is-social-protection"),
        passage("universality", id="universality", className="small"),
        html.H2(_("Who is responsible?"), className="h4 mt-4"),
        html.Div(
            [
                passage("governance_commission_responsibilities"),
                html.P(
                    [_("Secretariat of the Commission:"), " ", data_text(secretariat, "text", lang)]
                ),
                passage("governance_local_committees"),
            ],
            id="governance",
        ),
    ]


def _national_map(store: Store, lang: str) -> html.Section | html.Div | None:
    """The home page's province map: the most telling real province layer (the catalogue's
    rule, `queries.national_map_indicator`), in a chart frame."""
    ds = store.dataset
    indicator_id = queries.national_map_indicator(ds)
    if indicator_id is None:
        return None
    goal, _notices = views.resolve_goal(ds, None, indicator_id)
    selection = views.resolve_map_selection(ds, goal, indicator_id, "province", lang=lang)
    view = map_view(ds, goal, selection, lang=lang, schematic=store.geo.schematic)
    _ = translator(lang)
    figure = [
        described_chart(
            dcc.Graph(
                id="home-map-graph",
                figure=view.figure,
                config=GRAPH_CONFIG,
                style={"height": "clamp(300px, 60vh, 520px)"},
            ),
            summary_id="home-map-summary",
            label_id="home-map-heading",
        ),
    ]
    return chart_frame(
        "home",
        [
            FrameView(
                key="map",
                prefix="home-map",
                view=view,
                figure=figure,
                table=map_table(store, selection, lang=lang),
                downloads=map_downloads(view),
                sources_extra=[map_attribution(store, lang=lang)],
                after=[
                    html.P(view.summary, id="home-map-summary", className="chart-summary mb-1"),
                    dcc.Link(
                        _("Open this map on its goal page"),
                        href=view.page_link(),
                        className="small",
                    ),
                ],
            )
        ],
        lang=lang,
    )


def overview_layout(store: Store, *, lang: str, **_query: str) -> html.Div:
    _ = translator(lang)
    ds = store.dataset
    release = ds.release
    principles = _principles(store, lang)
    goal_cards = []
    for goal_id, row in release.goals.iterrows():
        headlines = queries.headline_indicator_ids(ds, goal_id)[:1]
        goal_cards.append(
            dbc.Card(
                dbc.CardBody(
                    [
                        html.H2(
                            dcc.Link(
                                _(
                                    "Goal {number} — {name}",
                                    number=goal_id,
                                    name=localized(row, "name", lang),
                                ),
                                href=with_language(f"/goal/{goal_id}", lang),
                            ),
                            className="h5",
                        ),
                        html.P(data_text(row, "statement", lang), className="small mb-2"),
                        *[headline_card(ds, i, lang=lang) for i in headlines],
                    ]
                ),
                className="mb-3",
                id=f"goal-card-{goal_id}",
            )
        )
    national_map = _national_map(store, lang)
    challenges = release.challenges
    return html.Div(
        [
            html.H1(_("National Social Protection Strategy — progress dashboard"), className="h2"),
            html.P(data_text(_strategy_row(store, "vision"), "text", lang), className="lead"),
            html.P(data_text(_strategy_row(store, "horizon_2025"), "text", lang)),
            html.P(
                _("Principles: {principles}.", principles=", ".join(principles))
                if principles
                else [],
                className="small text-muted",
                id="principles",
            ),
            # the answer first: a national map beside the three goals' headline figures
            dbc.Row(
                [
                    dbc.Col(national_map, lg=7, className="mb-3"),
                    dbc.Col(goal_cards, lg=5),
                ],
                className="g-3",
            ),
            *_about_the_strategy(store, lang),
            html.H2(
                _("The {count} challenges the strategy names", count=len(challenges)),
                className="h4 mt-4",
            ),
            html.Ol(
                [
                    html.Li(
                        dcc.Link(
                            data_text(row, "text", lang),
                            href=with_language(f"/challenges#challenge-{cid}", lang),
                        )
                    )
                    for cid, row in challenges.iterrows()
                ],
                id="overview-challenges",
            ),
        ]
    )


def challenges_layout(store: Store, *, lang: str, **_query: str) -> html.Div:
    _ = translator(lang)
    ds = store.dataset
    return html.Div(
        [
            html.H1(_("Challenges"), className="h2"),
            html.P(
                _(
                    "The NSPS names twelve challenges. Each is listed with the latest value of "
                    "every published indicator that measures it, with its year, source and "
                    "nature."
                )
            ),
            html.P(_(EDITORIAL_READING), className="small text-muted"),
            goal.challenge_list(
                store,
                ds.release.challenges.index.tolist(),
                heading_level="h2",
                lang=lang,
                show_goals=True,
            ),
        ]
    )


def _sources_table(store: Store, lang: str) -> dbc.Table:
    """Every source of the release with its licence and how many values it gives."""
    _ = translator(lang)
    ds = store.dataset
    counts = ds.table.groupby("source_id", observed=True).size()
    sources = ds.release.sources
    sources = sources.assign(values=sources.index.map(counts).fillna(0).astype(int))
    rows = []
    for _row_index, s in sources.sort_values(["publisher", "title"]).iterrows():
        cited = citations.citation(s.to_dict(), lang)
        title = english(s["title"], lang)
        via = english(cited.label, lang) if s["via"] else None
        rows.append(
            html.Tr(
                [
                    html.Td(english(s["publisher"], lang)),
                    html.Td(
                        [
                            html.A(title, href=cited.url, target="_blank", rel="noopener")
                            if cited.url
                            else title,
                            *([html.Br(), html.Small(via)] if via else []),
                        ]
                    ),
                    html.Td("" if pd.isna(s["year"]) else str(int(s["year"]))),
                    html.Td(
                        html.A(
                            english(cited.licence, lang),
                            href=cited.licence_url,
                            target="_blank",
                            rel="noopener",
                        )
                        if cited.licence_url
                        else english(cited.licence, lang)
                    ),
                    html.Td(format_number(s["values"], lang, 0)),
                ]
            )
        )
    heads = (_("Publisher"), _("Title"), _("Year"), _("Licence"), _("Values"))
    return dbc.Table(
        [html.Thead(html.Tr([html.Th(h) for h in heads])), html.Tbody(rows)],
        size="sm",
        striped=True,
        responsive=True,
        className="small",
        id="sources-table",
    )


#: The Data page's methodology, one rule a line.
METHODOLOGY = (
    N_("Every value is kept as published, with its source and a quoted note."),
    N_("Survey rounds spanning two years use the first year (2018 = LECS 6 2018/19)."),
    N_(
        "Series measured on different methods are drawn as separate lines, never joined (for "
        "example poverty on the old and the revised LECS methodology)."
    ),
    N_("Values without a reference year are listed in tables, never on a time axis."),
    N_("Areas without data are grey and say “no data”: a missing value is never zero."),
)


def data_layout(store: Store, *, lang: str, **_query: str) -> html.Div:
    _ = translator(lang)
    ds = store.dataset
    release = ds.release
    tidy = ds.table
    natures = tidy["nature"].value_counts()
    illustrative = release.indicators[release.indicators["nature"] == "illustrative"]
    return html.Div(
        [
            html.H1(_("Data and sources"), className="h2"),
            html.P(
                [
                    _("Data release {release}.", release=release.release_id),
                    " ",
                    _(
                        "{values} values of {indicators} indicators from {sources} sources.",
                        values=format_number(len(tidy), lang, 0),
                        indicators=format_number(tidy["indicator_id"].nunique(), lang, 0),
                        sources=format_number(len(release.sources), lang, 0),
                    ),
                ],
                id="release-counts",
            ),
            full_downloads(ds, lang=lang),
            html.H2(_("How values are classified"), className="h4"),
            html.Ul(
                [
                    html.Li(
                        [
                            html.Strong(nature_label(n, lang)),
                            ": ",
                            _(
                                "{count} values",
                                count=format_number(int(natures.get(n, 0)), lang, 0),
                            ),
                        ]
                    )
                    for n in NATURE_LABELS
                ]
            ),
            html.H2(_("Illustrative series"), className="h4"),
            html.P(
                _(
                    "No official figure of health insurance, social security or social welfare "
                    "coverage is yet published by province or district. So that the maps can be "
                    "used and tested until the ministry publishes its own tables, the indicators "
                    "below are generated by a documented script with a fixed random seed. Where "
                    "a real national figure exists, the province values add up to it. They are "
                    "not official statistics and are marked as such on every map, chart, table "
                    "and CSV row. Publishing real tables in their place needs no change to the "
                    "code."
                )
            ),
            html.Ul(
                [
                    html.Li(
                        [data_text(row, "name", lang), " ", nature_badge(row["nature"], lang=lang)]
                    )
                    for _i, row in illustrative.iterrows()
                ],
                id="illustrative-indicators",
            ),
            html.H2(_("Methodology"), className="h4"),
            html.Ul([html.Li(_(rule)) for rule in METHODOLOGY]),
            releases_section(store, lang=lang),
            html.H2(_("Sources"), className="h4"),
            _sources_table(store, lang),
            changelog_section(store, lang=lang),
            html.H2(_("Boundaries"), className="h4"),
            html.P(english(ATTRIBUTION, lang), className="small"),
            html.P(
                [
                    _("Official boundaries:"),
                    " ",
                    html.A(english(HDX_DATASET_TITLE, lang), href=HDX_DATASET_URL),
                ],
                className="small",
            ),
        ]
    )


#: Every page: module name, route, navigation name, browser title and layout function.
PAGES = (
    ("overview", {"path": "/"}, N_("Overview"), N_("NSPS dashboard"), overview_layout),
    ("goal", {"path_template": "/goal/<goal_id>"}, N_("Goal"), N_("NSPS goal"), goal.layout),
    (
        "progress",
        {"path": "/progress"},
        N_("Progress"),
        N_("NSPS progress against targets"),
        progress.layout,
    ),
    (
        "challenges",
        {"path": "/challenges"},
        N_("Challenges"),
        N_("NSPS challenges"),
        challenges_layout,
    ),
    ("data", {"path": "/data"}, N_("Data & sources"), N_("NSPS data and sources"), data_layout),
)
#: The values each path variable may take; any other value is not a page (HTTP 404).
PATH_VARIABLES = {"goal_id": views.GOAL_IDS}


@cache
def page_paths() -> frozenset[str]:
    """Every path that is a page, path variables filled with each of their values."""
    paths = set()
    for _module, route, *_rest in PAGES:
        if "path" in route:
            paths.add(route["path"])
            continue
        template = route["path_template"]
        for name, values in PATH_VARIABLES.items():
            if f"<{name}>" in template:
                paths.update(template.replace(f"<{name}>", value) for value in values)
    return frozenset(paths)


def is_page_path(path: str) -> bool:
    """Whether a request path shows a page (Dash Pages ignores slashes at either end)."""
    return any(path.strip("/") == page.strip("/") for page in page_paths())


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
