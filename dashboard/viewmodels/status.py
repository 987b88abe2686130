"""The status view: which provinces are behind the national target of one indicator (the
progress page's map), every province coloured by its status."""

from __future__ import annotations

from urllib.parse import urlencode

from dashboard import progress, queries, summaries, views
from dashboard.figure_layouts import layout_named
from dashboard.queries import Dataset
from dashboard.viewmodels.common import ChartView, citations, indicator_text, natures


def status_view(
    ds: Dataset,
    indicator_id: str,
    *,
    lang: str,
    layout: str = "desktop",
    schematic: bool = False,
    notices: tuple[str, ...] = (),
) -> ChartView:
    """Everything a surface shows of one status map: its subtitle is the target the provinces
    are measured against (whose it is and what it says); its rows are the province values the
    statuses are computed from, and their sources."""
    indicator = ds.indicator(indicator_id)
    figure = views.status_map_figure(
        ds, indicator_id, schematic, lang=lang, layout=layout_named(layout)
    )
    for index, trace in enumerate(figure["data"]):
        trace["uid"] = f"{index}-{layout}"  # another width class: redrawn whole (`map_view`)
    rows = queries.observations_view(ds, indicator_id, level="province", dated_only=True)
    target = progress.status_target(ds, indicator_id)
    return ChartView(
        kind="map",
        goal=str(indicator["goal"]),
        lang=lang,
        layout=layout,
        title=figure["layout"]["meta"]["title"],  # as an image draws it
        subtitle=progress.target_label(target, indicator, lang) if target is not None else "",
        figure=figure,
        rows=rows,
        summary=summaries.status_summary(ds, indicator_id, lang=lang),
        sources=citations(rows),
        natures=natures(rows),
        release_id=ds.release.release_id,
        page_path="/progress?" + urlencode({"indicator": indicator_id}),
        notices=notices,
        indicator_id=indicator_id,
        **indicator_text(ds, indicator_id, lang),
    )
