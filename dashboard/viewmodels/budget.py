"""The budget view of a goal: its spending series (stacked by source) and programme envelopes."""

from __future__ import annotations

from typing import Any

import pandas as pd

from dashboard import figures, queries, summaries, views
from dashboard.figure_layouts import layout_named
from dashboard.i18n import N_, translator
from dashboard.queries import Dataset
from dashboard.viewmodels.common import ChartView, citations, natures

TITLE = N_("Budget and financing")
SUBTITLE = N_("Spending by source and programme envelopes, as published")


def budget_figures(
    ds: Dataset, goal: str, *, lang: str, layout: str = "desktop"
) -> dict[str, dict[str, Any]]:
    """The budget charts of a goal by component id (stacked spending, programme envelopes);
    none when nothing is published."""
    stack = queries.budget_stack_view(ds, goal)
    lines = queries.budget_view(ds, goal)
    out: dict[str, dict[str, Any]] = {}
    if not stack.empty:
        out["budget-stack-graph"] = figures.budget_stack_figure(
            stack, ds.release.indicators, lang=lang, layout=layout_named(layout)
        )
    if not lines.empty:
        out["budget-lines-graph"] = figures.budget_lines_figure(
            lines, lang=lang, layout=layout_named(layout)
        )
    return out


def budget_view(ds: Dataset, goal: str, *, lang: str, layout: str = "desktop") -> ChartView:
    """`figure` is the first budget chart; `budget_figures` gives each of them."""
    _ = translator(lang)
    stack = queries.budget_stack_view(ds, goal)
    lines = queries.budget_view(ds, goal)
    rows = pd.concat([frame for frame in (stack, lines) if not frame.empty] or [stack])
    drawn = budget_figures(ds, goal, lang=lang, layout=layout)
    return ChartView(
        kind="budget",
        goal=goal,
        lang=lang,
        layout=layout,
        title=_(TITLE),
        subtitle=_(SUBTITLE),
        figure=next(iter(drawn.values()), {}),
        rows=rows,
        summary=summaries.budget_summary(ds, goal, lang=lang),
        sources=citations(rows.assign(source_year=rows.get("source_year"))),
        natures=natures(rows),
        release_id=ds.release.release_id,
        page_path=views.goal_path(goal),
    )
