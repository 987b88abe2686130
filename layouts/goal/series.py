"""The goal page's trends chart: its controls, progress line, table and downloads, as the Chart
view of the goal's chart frame (`layouts.frame`)."""

from __future__ import annotations

import dash_bootstrap_components as dbc
import pandas as pd
from dash import dcc, html

from dashboard import progress, queries, summaries, views
from dashboard.formatting import format_with_unit, nature_label
from dashboard.i18n import localized, translator, with_language
from dashboard.viewmodels import ChartView
from layouts.components import (
    GRAPH_CONFIG,
    chart_downloads,
    data_table,
    described_chart,
    dropdown_labels,
    english,
    loading,
    nature_badge,
    notices,
    year_text,
)
from layouts.frame import FrameView
from layouts.goal.controls import area_name, area_options, indicator_control
from layouts.progress import status_badge

CHART_HEIGHT = "clamp(300px, 62vh, 460px)"


def graph_style(figure: dict) -> dict[str, str]:
    """The trends chart's box: its usual height, and the legend's under the plot where the
    figure has one (a phone's, for long line names), so the plot keeps its height."""
    extra = (figure.get("layout", {}).get("meta") or {}).get("legend_height") or 0
    return {"height": f"calc({CHART_HEIGHT} + {extra}px)" if extra else CHART_HEIGHT}


def series_downloads(view: ChartView) -> list:
    query = views.chart_series_query(view.goal, view.selection, lang=view.lang)
    return chart_downloads("series", view.csv_url, "series", query, lang=view.lang)


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
                        views.series_indicator_ids(ds, goal),
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


def series_controls(ds: queries.Dataset, view: ChartView) -> dbc.Row:
    return _series_controls(ds, view.goal, view.selection, view.lang)


def series_frame_view(ds: queries.Dataset, view: ChartView, *, filters: object) -> FrameView:
    """The Chart tab of a goal's frame: notices, controls (`filters` wraps them in the phone
    panel), the chart, its summary and the national progress against the target."""
    lang = view.lang
    figure = [
        html.Div(notices(view.notices, lang=lang), id="series-notices"),
        filters,
        described_chart(
            loading(
                dcc.Graph(
                    id="series-graph",
                    figure=view.figure,
                    config=GRAPH_CONFIG,
                    style=graph_style(view.figure),
                )
            ),
            summary_id="series-summary",
            label_id="series-heading",
        ),
    ]
    return FrameView(
        key="chart",
        prefix="series",
        view=view,
        figure=figure,
        table=html.Div(series_table(ds, view.selection, lang=lang), id="series-table"),
        downloads=series_downloads(view),
        after=[
            html.P(view.summary, id="series-summary", className="chart-summary mb-1"),
            html.Div(series_progress(ds, view.indicator_id, lang=lang), id="series-progress"),
        ],
    )
