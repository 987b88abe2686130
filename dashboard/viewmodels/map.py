"""The map view: one indicator at one level and year, every area coloured by its value."""

from __future__ import annotations

from dashboard import summaries, views
from dashboard.figure_layouts import layout_named
from dashboard.i18n import N_, localized, translator
from dashboard.images import map_subtitle
from dashboard.queries import Dataset
from dashboard.viewmodels.common import ChartView, citations, indicator_text, natures

#: A subtitle: where and when the values are, then their unit (`Provinces of Lao PDR, 2017 · %`).
SUBTITLE = N_("{where} · {unit}")


def map_view(
    ds: Dataset,
    goal: str,
    selection: views.MapSelection,
    *,
    lang: str,
    layout: str = "desktop",
    schematic: bool = False,
    notices: tuple[str, ...] = (),
) -> ChartView:
    """Everything a surface shows of one map; `notices` are the caller's own (e.g. an unknown
    goal), shown before the selection's."""
    _ = translator(lang)
    figure = views.map_figure(ds, selection, schematic, lang=lang, layout=layout_named(layout))
    for index, trace in enumerate(figure["data"]):
        # a trace drawn for another width class is a new trace to plotly.js: redrawn whole, so
        # no colour bar of the old orientation lingers (plotly.react keeps what it can)
        trace["uid"] = f"{index}-{layout}"
    indicator = ds.indicator(selection.indicator_id)
    rows = views.map_rows(ds, selection)
    text = indicator_text(ds, selection.indicator_id, lang)
    where = map_subtitle(ds.release.areas, selection.level, selection.year, lang)
    return ChartView(
        kind="map",
        goal=goal,
        lang=lang,
        layout=layout,
        title=localized(indicator, "name", lang),
        subtitle=_(SUBTITLE, where=where, unit=text["unit"]),
        figure=figure,
        rows=rows,
        summary=summaries.map_summary(ds, selection, lang=lang),
        sources=citations(rows),
        natures=natures(rows),
        release_id=ds.release.release_id,
        page_path=views.goal_path(goal, views.map_query(selection)),
        csv_url=views.map_csv_url(selection, lang),
        share=views.map_share_state(ds, goal, selection, lang=lang) | {"layout": layout},
        notices=(*notices, *selection.notices),
        indicator_id=selection.indicator_id,
        selection=selection,
        **text,
    )
