"""The goal page without a browser: the area selector and its map outline, the tables that
stand in for the charts, and the page in both languages."""

from __future__ import annotations

import json

import plotly
import pytest
from component_text import component_text as _text

from dashboard import queries, views
from dashboard.config import Settings
from dashboard.figures import BACKGROUND, VALUES
from dashboard.store import Store
from layouts import goal

ILLUSTRATIVE = "ILL_HEALTH_COVERAGE"


@pytest.fixture(scope="module")
def store() -> Store:
    return Store(Settings.from_env())


def _rows(table: object) -> list[list[str]]:
    """The body rows of a `components.data_table`, as the text of each cell."""
    tree = json.loads(json.dumps(table, cls=plotly.utils.PlotlyJSONEncoder))
    body = tree["props"]["children"]["props"]["children"][-1]
    return [
        [_text(cell["props"]["children"]) for cell in row["props"]["children"]]
        for row in body["props"]["children"]
    ]


def test_map_highlight_outlines_the_chosen_area_on_the_values_trace(dataset):
    selection = views.resolve_map_selection(dataset, "1", ILLUSTRATIVE, "province", "2020")
    properties = views.map_highlight(dataset, selection, "LA13")
    codes = queries.areas_at(dataset, "province").index.tolist()
    widths = properties[f"data.{VALUES}.marker.line.width"]
    assert len(widths) == len(codes) == 18  # every province has a 2020 value
    assert widths[codes.index("LA13")] == views.HIGHLIGHT_LINE["width"]
    assert sorted(set(widths)) == [0.6, views.HIGHLIGHT_LINE["width"]]
    assert widths.count(views.HIGHLIGHT_LINE["width"]) == 1
    assert set(properties[f"data.{BACKGROUND}.marker.line.width"]) == {0.6}


def test_map_highlight_uses_the_grey_trace_for_an_area_without_data(dataset):
    # a province-only survey shown at district level (as a stale map state could ask)
    selection = views.MapSelection("LSIS2_STUNTING", "district", 2017, (2017,))
    assert views.map_rows(dataset, selection).empty
    properties = views.map_highlight(dataset, selection, "LA1301")
    background = properties[f"data.{BACKGROUND}.marker.line.width"]
    codes = queries.areas_at(dataset, "district").index.tolist()
    assert background[codes.index("LA1301")] == views.HIGHLIGHT_LINE["width"]
    assert properties[f"data.{VALUES}.marker.line.width"] == []


def test_map_highlight_without_an_area_keeps_thin_white_borders(dataset):
    selection = views.resolve_map_selection(dataset, "1", ILLUSTRATIVE, "province", "2020")
    properties = views.map_highlight(dataset, selection, None)
    for trace in (BACKGROUND, VALUES):
        assert set(properties[f"data.{trace}.marker.line.width"]) == {0.6}
        assert set(properties[f"data.{trace}.marker.line.color"]) == {"#ffffff"}
    # …and frames the whole country, even when given an area's bounds
    zoomed_out = views.map_highlight(dataset, selection, None, (104.3, 15.8, 107.2, 17.2))
    assert zoomed_out["layout.geo.lonaxis"] == {"range": [100.08, 107.64]}
    assert zoomed_out["layout.geo.lataxis"] == {"range": [13.91, 22.51]}


def test_map_highlight_zooms_to_the_chosen_area(dataset):
    selection = views.resolve_map_selection(dataset, "1", ILLUSTRATIVE, "province", "2020")
    properties = views.map_highlight(dataset, selection, "LA13", (104.3, 15.8, 107.2, 17.2))
    west, east = properties["layout.geo.lonaxis"]["range"]
    south, north = properties["layout.geo.lataxis"]["range"]
    assert west < 104.3 and east > 107.2 and south < 15.8 and north > 17.2
    assert east - west < 7.56 / 1.2  # closer than the whole country
    assert properties["layout.geo.fitbounds"] is False


def test_chosen_area_drops_an_area_of_the_other_level(dataset):
    assert goal.chosen_area(dataset, "province", "LA13") == "LA13"
    assert goal.chosen_area(dataset, "district", "LA13") is None
    assert goal.chosen_area(dataset, "district", "LA1301") == "LA1301"
    assert goal.chosen_area(dataset, "province", "XX99") is None
    assert goal.chosen_area(dataset, "province", None) is None


def test_area_options_name_areas_in_the_language_and_districts_with_their_province(dataset):
    provinces = goal.area_options(dataset, "province", lang="lo")
    assert len(provinces) == 18
    assert {"label": "ສະຫວັນນະເຂດ", "value": "LA13"} in provinces
    districts = goal.area_options(dataset, "district", lang="en")
    assert len(districts) == 148
    first = districts[0]
    assert first == {"label": "Chanthabuly, Vientiane Capital", "value": "LA0101"}


def test_area_value_reads_value_year_source_and_nature(dataset):
    selection = views.resolve_map_selection(dataset, "1", ILLUSTRATIVE, "province", "2020")
    row = views.map_rows(dataset, selection).set_index("area_code").loc["LA13"]
    english = _text(goal.area_value(dataset, selection, "LA13", lang="en"))
    assert english.startswith(f"Savannakhet: {row['value']:.1f}\u00a0% in 2020.")
    assert "Illustrative — not official statistics" in english
    lao = _text(goal.area_value(dataset, selection, "LA13", lang="lo"))
    assert lao.startswith(f"ສະຫວັນນະເຂດ: {row['value']:.1f}\u00a0% ".replace(".", ","))


def test_area_value_says_no_data_rather_than_zero(dataset):
    selection = views.MapSelection("LSIS2_STUNTING", "district", 2017, (2017,))
    text = _text(goal.area_value(dataset, selection, "LA1301", lang="en"))
    assert "no data" in text and " 0" not in text


def test_indicator_options_say_illustrative_once(dataset):
    options = goal.indicator_options(dataset, [ILLUSTRATIVE], lang="en")
    assert options[0]["label"].count("(illustrative)") == 1
    lao = goal.indicator_options(dataset, [ILLUSTRATIVE], lang="lo")[0]["label"]
    assert lao.count("ສົມມຸດ") == 1


def test_series_table_lists_every_point_the_chart_draws(dataset):
    selection = views.resolve_series_selection(dataset, "1", ILLUSTRATIVE, "LA13")
    rows = _rows(goal.series_table(dataset, selection, lang="en"))
    drawn = views.series_rows(dataset, selection.indicator_id, selection.area_codes)
    assert len(rows) == len(drawn) > 0
    assert {row[1] for row in rows} == {"Lao PDR", "Savannakhet"}


def test_budget_table_lists_every_budget_figure_of_the_goal(dataset):
    for goal_id in views.GOAL_IDS:
        expected = len(queries.budget_stack_view(dataset, goal_id)) + len(
            queries.budget_view(dataset, goal_id)
        )
        assert len(_rows(goal.budget_table(dataset, goal_id, lang="lo"))) == expected


def test_goal_page_in_lao_has_lao_headings_and_no_english_headings(store):
    page = _text(goal.layout(store, "1", lang="lo"))
    for lao in ("ເປົ້າໝາຍ 1: ປະກັນສຸຂະພາບ", "ແຜນທີ່", "ແນວໂນ້ມ", "ງົບປະມານ ແລະ ການສະໜອງທຶນ"):
        assert lao in page
    for english in ("Goal 1:", "Trends", "Budget and financing", "Show data as a table"):
        assert english not in page


def test_goal_page_for_an_unknown_goal_links_to_the_three_goals_in_the_language(store):
    page = goal.layout(store, "9", lang="lo")
    links = [li.children.href for li in page.children[1].children]
    assert links == [f"/goal/{g}?lang=lo" for g in views.GOAL_IDS]


def test_goal_page_notices_speak_the_page_language(store):
    lao = _text(goal.layout(store, "2", lang="lo", indicator="BOGUS", areas="XX9"))
    english = _text(goal.layout(store, "2", lang="en", indicator="BOGUS", areas="XX9"))
    assert "'BOGUS' has no map" in english and "'XX9'" in english
    assert "'BOGUS'" in lao and "'XX9'" in lao
    assert "has no map" not in lao and "ignored" not in lao
