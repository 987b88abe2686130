"""The goal page's budget and financing: its charts, table and sources in a chart frame."""

from __future__ import annotations

from dash import dcc, html

from dashboard import figures, queries, summaries
from dashboard.formatting import format_with_unit, nature_label
from dashboard.i18n import format_number, localized, translator
from dashboard.viewmodels import budget_view
from dashboard.viewmodels.budget import budget_figures
from layouts.components import GRAPH_CONFIG, data_table, described_chart, english, year_text
from layouts.frame import FrameView, chart_frame

BUDGET_HEIGHTS = {"budget-stack-graph": "420px", "budget-lines-graph": "360px"}


def _provenance_cells(row, lang: str) -> list:
    """The nature and publisher cells of a table row."""
    return [nature_label(row["nature"], lang), english(str(row["source_label"]), lang)]


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


def financing_figures(ds: queries.Dataset, goal: str, *, lang: str) -> html.Div | None:
    """Allocations, rates, donor funding and plans published for the goal's activities, each
    with its caveat (a plan is said to be a plan), beside the spending series and envelopes."""
    _ = translator(lang)
    ids = queries.financing_indicator_ids(ds, goal)
    if not ids:
        return None
    body = []
    for indicator_id in ids:
        indicator = ds.indicator(indicator_id)
        row = queries.latest(ds, indicator_id)
        if row is None:
            continue
        caveat = localized(indicator, "caveat", lang)
        item = _(
            "{indicator} ({year})",
            indicator=localized(indicator, "name", lang),
            year=year_text(row["year"], lang),
        )
        body.append(
            [
                [item, *([html.Br(), html.Small(caveat)] if caveat else [])],
                format_with_unit(row["value"], indicator, lang),
                *_provenance_cells(row, lang),
            ]
        )
    return html.Div(
        [
            html.H3(_("Other financing figures published for this goal"), className="h6 mt-3"),
            data_table([_("Item"), _("Amount"), _("Nature"), _("Source")], body),
        ],
        id="financing-figures",
    )


def budget_section(ds: queries.Dataset, goal: str, *, lang: str) -> html.Div:
    """The budget frame (Chart | Table | Sources), or a note that nothing is published."""
    _ = translator(lang)
    view = budget_view(ds, goal, lang=lang)
    if view.empty:
        return html.Div(
            [
                html.H2(_("Budget and financing"), className="h4", id="budget-heading"),
                html.P(
                    _(
                        "No budget allocation or execution figures for this goal have been "
                        "published. They will appear here when the Ministry of Finance or the "
                        "programme publishes them."
                    ),
                    className="text-muted",
                ),
                financing_figures(ds, goal, lang=lang),
            ],
            id="budget-card",
            className="chart-frame",
        )
    graphs = [
        described_chart(
            dcc.Graph(
                id=graph_id,
                figure=figure,
                config=GRAPH_CONFIG,
                style={"height": BUDGET_HEIGHTS[graph_id]},
            ),
            summary_id="budget-summary",
            label_id="budget-heading",
        )
        for graph_id, figure in budget_figures(ds, goal, lang=lang).items()
    ]
    chart = [
        *graphs,
        html.P(view.summary, id="budget-summary", className="chart-summary mb-1"),
    ]
    frame = chart_frame(
        "budget-frame",
        [
            FrameView(
                key="chart",
                prefix="budget",
                view=view,
                figure=chart,
                table=budget_table(ds, goal, lang=lang),
            )
        ],
        lang=lang,
    )
    return html.Div([frame, financing_figures(ds, goal, lang=lang)], id="budget-card")
