"""The progress page: every published target with whose it is, its status by the published
method, and which provinces are behind.

The layout is a function of its URL query (`?indicator=` chooses the status map); the indicator
choices are links, so each view has its own URL and needs no callback. Every text is in the
reader's language; the status map has its plain-language summary beside it as its accessible
description, and the province table as its alternative.
"""

from __future__ import annotations

from urllib.parse import urlencode

import dash_bootstrap_components as dbc
import pandas as pd
from dash import dcc, html

from dashboard import progress, queries, views
from dashboard.formatting import format_value, format_with_unit
from dashboard.i18n import N_, localized, translator, with_language
from dashboard.store import Store
from dashboard.viewmodels import status_view
from layouts.components import (
    GRAPH_CONFIG,
    data_text,
    described_chart,
    english,
    nature_badge,
    notices,
    source_links,
    target_description,
)
from layouts.frame import FrameView, chart_frame

#: How a status is decided, for readers (the developers' version is `dashboard.progress`).
METHOD_STEPS = (
    N_(
        "Base year: {base_year}, or the first year after it with a value. Latest: the most "
        "recent value. Both come from one series: one source and one definition."
    ),
    N_("Target achieved: the latest value has reached the target."),
    N_(
        "Otherwise the compound annual growth of the value since the base year is compared with "
        "the growth needed to reach the target on time (their ratio R). On track: R is "
        "{on_track} % or more. Progress made but acceleration needed: from {acceleration} % to "
        "less than {on_track} %. Limited progress: from 0 to less than {acceleration} %. "
        "Deterioration: R below 0, moving away from the target."
    ),
    N_(
        "No status, shown in words and never in a status colour: not enough data (fewer than "
        "two years with a value since the base year, or a target without a year or due before "
        "the base year); series break (the values since the base year come from more than one "
        "source or definition); illustrative (generated values)."
    ),
    N_(
        "A national target is applied to every province: a province's status says whether it "
        "is moving fast enough to reach the national target itself."
    ),
)
STATUS_SUMMARY_ID = "status-map-summary"
#: The status map's chart frame (`layouts.frame.chart_frame`): its id prefix.
STATUS_FRAME = "progress"
STATUS_MAP_HEIGHT = "clamp(300px, 66vh, 560px)"


def status_badge(status: str, lang: str) -> dbc.Badge:
    """A status with its colour; a reason for no status in words only."""
    style = (
        {"borderLeft": f"6px solid {progress.STATUS_COLOURS[status]}"}
        if progress.has_status(status)
        else {"border": "1px dashed #767676"}
    )
    return dbc.Badge(
        progress.status_label(status, lang),
        color="light",
        text_color="dark",
        className=f"progress-status status-{status}",
        style=style,
    )


def _value_and_year(
    value: float | None, year: float | None, indicator: pd.Series, lang: str
) -> str:
    text = format_with_unit(value, indicator, lang)
    if value is None or pd.isna(value) or year is None or pd.isna(year):
        return text
    return f"{text} ({int(year)})"


def _indicator_link(ds: queries.Dataset, indicator_id: str, lang: str) -> html.Span | dcc.Link:
    indicator = ds.indicator(indicator_id)
    goal = str(indicator["goal"])
    name = data_text(indicator, "name", lang)
    if goal in views.GOAL_IDS and indicator_id in views.series_indicator_ids(ds, goal):
        href = with_language(views.goal_path(goal, {"series": indicator_id}), lang)
        return dcc.Link(name, href=href)
    return html.Span(name)


def overview_table(ds: queries.Dataset, lang: str) -> dbc.Table:
    """One row per numeric target: national baseline, latest, whose target it is and what it
    says, and the status, grouped by goal."""
    _ = translator(lang)
    table = progress.overview(ds)
    heads = (
        _("Goal"),
        _("Indicator"),
        _("Baseline"),
        _("Latest"),
        _("Target"),
        _("Status"),
        _("Why"),
    )
    body = []
    for _row_index, row in table.iterrows():
        indicator = ds.indicator(row["indicator_id"])
        body.append(
            html.Tr(
                [
                    html.Td(progress.goal_label(row["goal"], lang)),
                    html.Td(
                        [
                            _indicator_link(ds, row["indicator_id"], lang),
                            html.Br(),
                            nature_badge(row["nature"], lang=lang),
                        ]
                    ),
                    html.Td(  # no base value where none was needed (target reached)
                        "—"
                        if pd.isna(row["baseline_value"])
                        else _value_and_year(
                            row["baseline_value"], row["baseline_year"], indicator, lang
                        )
                    ),
                    html.Td(
                        _value_and_year(row["latest_value"], row["latest_year"], indicator, lang)
                    ),
                    html.Td(
                        target_description(
                            progress.target_row(ds, row["target_id"]), indicator, lang
                        ),
                        className="target-description",
                    ),
                    html.Td(status_badge(row["status"], lang)),
                    html.Td(progress.explain(row, lang), className="small"),
                ],
                id=f"progress-row-{row['indicator_id']}",
                **{"data-status": row["status"]},
            )
        )
    return dbc.Table(
        [html.Thead(html.Tr([html.Th(h) for h in heads])), html.Tbody(body)],
        size="sm",
        striped=True,
        responsive=True,
        className="small",
        id="progress-table",
    )


def commitments_table(ds: queries.Dataset, lang: str) -> html.Div:
    """Commitments: what each says, whose it is, any number read from it (as an interpretation),
    the series it is drawn on, and no status."""
    _ = translator(lang)
    heads = (_("Commitment"), _("Series"), _("Latest"), _("Status"))
    body = []
    for target_id, target in progress.commitments(ds).iterrows():
        indicator_id = target["indicator_id"]
        indicator = ds.indicator(indicator_id) if indicator_id else None
        if indicator is None:
            series_cell: list = [_("No published series has the definition of this commitment.")]
            latest_cell = "—"
        else:
            series_cell = [
                _indicator_link(ds, indicator_id, lang),
                html.Br(),
                nature_badge(indicator["nature"], lang=lang),
            ]
            row = queries.latest(ds, indicator_id)
            latest_cell = (
                "—" if row is None else _value_and_year(row["value"], row["year"], indicator, lang)
            )
        body.append(
            html.Tr(
                [
                    html.Td(target_description(target, indicator, lang)),
                    html.Td(series_cell),
                    html.Td(latest_cell),
                    html.Td(_("A commitment: no status"), className="small"),
                ],
                id=f"commitment-row-{target_id}",
            )
        )
    return html.Div(
        [
            html.H2(_("Commitments"), className="h4 mt-4"),
            html.P(
                _(
                    "Aims stated in words get no status. Where a number is read from one, the "
                    "page says it is an interpretation."
                ),
                className="small",
            ),
            dbc.Table(
                [html.Thead(html.Tr([html.Th(h) for h in heads])), html.Tbody(body)],
                size="sm",
                striped=True,
                responsive=True,
                className="small",
                id="commitments-table",
            ),
        ]
    )


def _status_choices(ds: queries.Dataset, chosen: str, lang: str) -> dbc.Nav:
    return dbc.Nav(
        [
            dbc.NavItem(
                dbc.NavLink(
                    data_text(ds.indicator(i), "name", lang),
                    href=with_language("/progress?" + urlencode({"indicator": i}), lang),
                    active=i == chosen,
                    id={"type": "status-choice", "indicator": i},
                )
            )
            for i in views.status_indicator_ids(ds)
        ],
        pills=True,
        className="mb-2",
    )


def province_status_table(ds: queries.Dataset, indicator_id: str, lang: str) -> dbc.Table:
    """Provinces from the furthest behind (lowest ratio of observed to required growth)."""
    _ = translator(lang)
    rows = progress.level_progress(ds, indicator_id, "province").sort_values(
        "ratio", na_position="last"
    )
    areas = ds.release.areas
    indicator = ds.indicator(indicator_id)
    heads = (_("Province"), _("Baseline"), _("Latest"), _("Pace"), _("Status"))
    body = [
        html.Tr(
            [
                html.Td(localized(areas.loc[r["area_code"]], "name", lang)),
                html.Td(_value_and_year(r["baseline_value"], r["baseline_year"], indicator, lang)),
                html.Td(_value_and_year(r["latest_value"], r["latest_year"], indicator, lang)),
                html.Td(
                    _("no data")
                    if pd.isna(r["ratio"])
                    else f"{format_value(100 * r['ratio'], 0, lang=lang)} %"
                ),
                html.Td(status_badge(r["status"], lang)),
            ],
            **{"data-area": r["area_code"], "data-status": r["status"]},
        )
        for _row_index, r in rows.iterrows()
    ]
    caption: list = [_("Status of each province, furthest behind first")]
    if indicator["nature"] == "illustrative":  # every table of illustrative values says so
        caption += [" ", nature_badge("illustrative", lang=lang)]
    return dbc.Table(
        [
            html.Caption(caption),
            html.Thead(html.Tr([html.Th(h) for h in heads])),
            html.Tbody(body),
        ],
        size="sm",
        striped=True,
        className="small caption-top",
        id="status-table",
    )


def status_frame(store: Store, indicator_id: str, lang: str) -> html.Section | html.Div:
    """The status map in the chart frame of every chart (`layouts.frame`): title and target as
    HTML, Map | Table | Sources tabs (the provinces' table, furthest behind first), a one-line
    source footer; its summary follows. Redrawn for the frame's width class
    (`callbacks.progress`)."""
    ds = store.dataset
    view = status_view(ds, indicator_id, lang=lang, schematic=store.geo.schematic)
    figure = [
        dcc.Store(id="status-indicator", data=indicator_id),
        described_chart(
            dcc.Graph(
                id="status-map-graph",
                figure=view.figure,
                config=GRAPH_CONFIG,
                style={"height": STATUS_MAP_HEIGHT},
            ),
            summary_id=STATUS_SUMMARY_ID,
            label_id="status-map-heading",
        ),
    ]
    return chart_frame(
        STATUS_FRAME,
        [
            FrameView(
                key="map",
                prefix="status-map",
                view=view,
                figure=figure,
                table=province_status_table(ds, indicator_id, lang),
                sources_extra=[
                    html.P(
                        views.map_attribution(store.geo.schematic, lang),
                        className="small text-muted mb-0",
                    )
                ],
                after=[
                    html.P(view.summary, id=STATUS_SUMMARY_ID, className="small status-summary")
                ],
            )
        ],
        lang=lang,
    )


def _status_map_section(store: Store, requested: str | None, lang: str) -> html.Div:
    _ = translator(lang)
    ds = store.dataset
    indicator_id, messages = views.resolve_status_indicator(ds, requested, lang=lang)
    parts: list = [
        html.H2(_("Which provinces are behind"), className="h4 mt-4"),
        html.Div(notices(messages, lang=lang), id="status-notices"),
    ]
    if indicator_id is None:
        parts.append(
            html.P(
                _(
                    "No indicator with a published target has real province values yet, so no "
                    "province status map is drawn. Illustrative series get no status."
                ),
                id="status-map-none",
            )
        )
        return html.Div(parts)
    parts += [
        _status_choices(ds, indicator_id, lang),
        html.P(
            _(
                "Each province is compared with the national target: the pace column is its "
                "observed growth as a share of the growth needed to reach the target on time "
                "({on_track} % or more is on track).",
                on_track=format_value(100 * progress.RATIO_THRESHOLDS[0], 0, lang=lang),
            ),
            className="small text-muted",
        ),
        status_frame(store, indicator_id, lang),
    ]
    return html.Div(parts, id="status-map-section")


def _spending_section(ds: queries.Dataset, lang: str) -> html.Div:
    _ = translator(lang)
    parts: list = [
        html.H2(_("Spending per person covered"), className="h4 mt-4"),
        html.P(_(progress.SPENDING_METHOD), className="small"),
    ]
    for goal in views.GOAL_IDS:
        name = localized(ds.release.goals.loc[goal], "name", lang)
        table = progress.spending_per_person_covered(ds, goal)
        parts.append(html.H3(_("Goal {number} — {name}", number=goal, name=name), className="h6"))
        if table.empty:
            parts.append(
                html.P(
                    [
                        html.Strong(_("Cannot be computed yet.")),
                        " ",
                        _(progress.SPENDING_GAPS.get(goal, progress.SPENDING_NO_COMMON_YEAR)),
                    ],
                    className="small text-muted",
                    id=f"spending-gap-{goal}",
                )
            )
            continue
        heads = (
            _("Year"),
            _("Government health spending per person (current US$)"),
            _("Population covered (%)"),
            _("Spending per person covered (current US$)"),
        )
        parts.append(
            dbc.Table(
                [
                    html.Thead(html.Tr([html.Th(h) for h in heads])),
                    html.Tbody(
                        [
                            html.Tr(
                                [
                                    html.Td(str(int(r["year"]))),
                                    html.Td(format_value(r["spending"], 2, lang=lang)),
                                    html.Td(format_value(r["coverage"], 1, lang=lang)),
                                    html.Td(format_value(r["per_person_covered"], 2, lang=lang)),
                                ]
                            )
                            for _row_index, r in table.iterrows()
                        ]
                    ),
                ],
                size="sm",
                striped=True,
                className="small",
                id=f"spending-table-{goal}",
            )
        )
        pair_rows = pd.concat(progress.spending_pair_rows(ds, goal))
        parts += [
            html.P(_("Sources:"), className="small text-muted mb-0"),
            source_links(pair_rows, lang=lang),
        ]
    return html.Div(parts)


def layout(store: Store, *, lang: str, **query: str) -> html.Div:
    _ = translator(lang)
    ds = store.dataset
    method = {
        "base_year": progress.BASE_YEAR,
        "on_track": format_value(100 * progress.RATIO_THRESHOLDS[0], 0, lang=lang),
        "acceleration": format_value(100 * progress.RATIO_THRESHOLDS[1], 0, lang=lang),
    }
    citation = progress.METHOD_CITATION
    return html.Div(
        [
            html.H1(_("Progress against published targets"), className="h2"),
            html.P(
                _(
                    "Every indicator with a published target, whose target it is, its latest "
                    "national value and whether it is on course to reach the target in time."
                ),
                className="lead",
            ),
            dbc.Accordion(
                dbc.AccordionItem(
                    [
                        html.P(
                            [
                                _(
                                    "The status follows a published progress measure, applied as "
                                    "it is specified:"
                                ),
                                " ",
                                html.A(
                                    english(citation["title"], lang),
                                    href=citation["url"],
                                    target="_blank",
                                    rel="noopener",
                                    id="progress-method-citation",
                                ),
                                " (",
                                english(citation["publisher"], lang),
                                ").",
                            ],
                            className="small",
                        ),
                        html.Ol(
                            [html.Li(_(step, **method)) for step in METHOD_STEPS],
                            className="small",
                        ),
                    ],
                    title=_("How the status is measured"),
                ),
                start_collapsed=True,
                className="mb-3",
                id="progress-method",
            ),
            overview_table(ds, lang),
            commitments_table(ds, lang),
            _status_map_section(store, query.get("indicator"), lang),
            _spending_section(ds, lang),
        ]
    )
