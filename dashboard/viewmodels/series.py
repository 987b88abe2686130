"""The series view: an indicator's national series (and its family across series breaks),
the provinces compared with it, and its target."""

from __future__ import annotations

from dashboard import summaries, views
from dashboard.figure_layouts import layout_named
from dashboard.i18n import localized, translator
from dashboard.images import series_subtitle
from dashboard.queries import Dataset
from dashboard.viewmodels.common import ChartView, citations, indicator_text, natures
from dashboard.viewmodels.map import SUBTITLE


def series_view(
    ds: Dataset,
    goal: str,
    selection: views.SeriesSelection,
    *,
    lang: str,
    layout: str = "desktop",
    notices: tuple[str, ...] = (),
) -> ChartView:
    _ = translator(lang)
    indicator = ds.indicator(selection.indicator_id)
    rows = views.series_rows(ds, selection.indicator_id, selection.area_codes)
    text = indicator_text(ds, selection.indicator_id, lang)
    where = series_subtitle(ds.release.areas, rows, lang)
    return ChartView(
        kind="series",
        goal=goal,
        lang=lang,
        layout=layout,
        title=localized(indicator, "name", lang),
        subtitle=_(SUBTITLE, where=where, unit=text["unit"]),
        figure=views.series_figure(
            ds,
            selection.indicator_id,
            selection.area_codes,
            lang=lang,
            layout=layout_named(layout),
        ),
        rows=rows,
        summary=summaries.series_summary(ds, selection, lang=lang),
        # the documents of the targets the chart draws are cited with the values' sources
        sources=citations(
            views.series_download_rows(ds, selection.indicator_id, selection.area_codes)
        ),
        natures=natures(rows),
        release_id=ds.release.release_id,
        page_path=views.goal_path(goal, views.series_query(selection)),
        csv_url=views.series_csv_url(selection.indicator_id, selection.area_codes, lang),
        share=views.series_share_state(ds, goal, selection, lang=lang) | {"layout": layout},
        notices=(*notices, *selection.notices),
        indicator_id=selection.indicator_id,
        selection=selection,
        **text,
    )
