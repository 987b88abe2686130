"""Every table that shows an illustrative value carries the badge, in the reader's language."""

from __future__ import annotations

import pytest
from component_text import component_text as _text

from dashboard import views
from dashboard.i18n import translator
from dashboard.queries import ILLUSTRATIVE_BADGE
from dashboard.store import Store
from layouts import progress
from layouts.goal import map as goal_map
from layouts.goal import series as goal_series


class _Store:
    def __init__(self, dataset):
        self.dataset = dataset


@pytest.mark.parametrize("lang", ["en", "lo"])
def test_every_table_with_an_illustrative_value_carries_the_badge(dataset, lang):
    badge = translator(lang)(ILLUSTRATIVE_BADGE)
    store: Store = _Store(dataset)  # type: ignore[assignment]
    tables = {}
    for indicator_id in ("ILL_HEALTH_COVERAGE", "ILL_SCHOOL_MEALS_COVERAGE"):
        goal_id = str(dataset.indicator(indicator_id)["goal"])
        selection = views.resolve_map_selection(dataset, goal_id, indicator_id, "province", None)
        tables[f"map {indicator_id}"] = goal_map.map_table(store, selection, lang=lang)
        series = views.SeriesSelection(indicator_id, ("LA01", "LA05"))
        tables[f"series {indicator_id}"] = goal_series.series_table(dataset, series, lang=lang)
        tables[f"status {indicator_id}"] = progress.province_status_table(
            dataset, indicator_id, lang
        )
    from dashboard import progress as method

    if (method.overview(dataset)["nature"] == "illustrative").any():
        tables["progress overview"] = progress.overview_table(dataset, lang)
    for name, table in tables.items():
        assert badge in _text(table), f"{name}: illustrative values without the badge ({lang})"
    # and a table of published figures only does not cry wolf
    real = views.resolve_map_selection(dataset, "3", "LSIS2_STUNTING", "province", None)
    assert badge not in _text(goal_map.map_table(store, real, lang=lang))
