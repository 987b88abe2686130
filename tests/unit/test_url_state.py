"""Every view is a URL: selections ↔ query strings, share states, embeds and their escaping."""

from __future__ import annotations

import json
import re
from urllib.parse import parse_qs, urlsplit

import pandas as pd

from dashboard import views
from dashboard.viewmodels import ChartView
from layouts.embed import embed_page


def _query(path: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(path).query)


def test_map_query_round_trips_through_resolve(dataset):
    selection = views.resolve_map_selection(dataset, "1", "ILL_HEALTH_COVERAGE", "district", "2019")
    query = views.map_query(selection)
    assert query == {"indicator": "ILL_HEALTH_COVERAGE", "level": "district", "year": "2019"}
    again = views.resolve_map_selection(
        dataset, "1", query["indicator"], query["level"], query["year"]
    )
    assert again == selection and again.notices == ()


def test_series_selection_round_trips_and_reports_bad_values(dataset):
    selection = views.resolve_series_selection(dataset, "1", "SHP_COVERAGE", "LA01,LA13")
    assert (selection.area_codes, selection.notices) == (("LA01", "LA13"), ())
    query = views.series_query(selection)
    assert query == {"series": "SHP_COVERAGE", "areas": "LA01,LA13"}
    assert (
        views.resolve_series_selection(dataset, "1", query["series"], query["areas"]) == selection
    )

    bad = views.resolve_series_selection(dataset, "1", "NOPE", "LA01,XX99")
    assert bad.indicator_id == views.resolve_series_indicator(dataset, "1", None)
    assert bad.area_codes == ("LA01",)
    assert bad.notices == (
        "Indicator 'NOPE' has no trend on this page; showing the default.",
        "Unknown area code(s) 'XX99' ignored.",
    )


def test_snap_year_moves_to_next_published_year_in_direction_of_movement():
    years = (2002, 2007, 2012)
    assert views.snap_year(years, 2007, 2007) == 2007  # a published year is kept
    assert views.snap_year(years, 2008, 2007) == 2012  # arrow right from 2007
    assert views.snap_year(years, 2006, 2007) == 2002  # arrow left from 2007
    assert views.snap_year(years, 2016.05, 2012) == 2012  # past the last year
    assert views.snap_year(years, 1990, 2002) == 2002  # before the first year
    assert views.snap_year(years, 2003.5, 2002) == 2007  # an un-snapped keyboard value
    assert views.snap_year(years, 2009, None) == 2012  # no direction: the latest
    assert views.snap_year((2016, 2017), 2016.05, 2016) == 2017


def test_shown_year_only_for_the_same_indicator_and_level(dataset):
    selection = views.resolve_map_selection(dataset, "1", "ILL_HEALTH_COVERAGE", year="2018")
    state = views.map_share_state(dataset, "1", selection, lang="en")
    assert views.shown_year(state, selection) == 2018
    other = views.resolve_map_selection(dataset, "1", "ILL_HEALTH_COVERAGE", "district", "2018")
    assert views.shown_year(state, other) is None
    assert views.shown_year({"query": "x"}, selection) is None
    assert views.shown_year(None, selection) is None


def test_goal_path_merges_map_and_series_queries(dataset):
    selection = views.resolve_map_selection(dataset, "2", year="2020")
    path = views.goal_path("2", views.map_query(selection), {"series": "X", "areas": "LA01"})
    assert path.startswith("/goal/2?")
    assert _query(path) == {
        "indicator": [selection.indicator_id],
        "level": ["province"],
        "year": ["2020"],
        "series": ["X"],
        "areas": ["LA01"],
    }
    assert set(_query(path)) == set(views.GOAL_QUERY_KEYS)


def test_share_state_pins_the_embed_to_the_release(dataset):
    selection = views.resolve_map_selection(dataset, "1", "ILL_HEALTH_COVERAGE", year="2018")
    state = views.map_share_state(dataset, "1", selection, lang="en")
    assert urlsplit(state["embed"]).path == "/embed/map"
    assert _query(state["embed"]) == {
        "goal": ["1"],
        "indicator": ["ILL_HEALTH_COVERAGE"],
        "level": ["province"],
        "year": ["2018"],
        "lang": ["en"],
    }
    assert _query(state["embed_pinned"])["release"] == [dataset.release.release_id]
    assert "release" not in _query(state["embed"])
    assert "2018" in state["title"]


def test_resolve_goal_falls_back_with_notice(dataset):
    assert views.resolve_goal(dataset, "3", None) == ("3", [])
    assert views.resolve_goal(dataset, None, "SS_COVERAGE_POP") == ("2", [])
    goal, notices = views.resolve_goal(dataset, "9", "BOGUS")
    assert (goal, notices) == ("1", ["Unknown goal '9'; showing goal 1."])


def _view(layout: str = "embed", **changes) -> ChartView:
    """A chart view with markup and script in every text field."""
    base = {
        "kind": "map",
        "goal": "1",
        "lang": "en",
        "layout": layout,
        "title": "A <b>title</b>",
        "subtitle": "Sub <u>title</u>",
        "figure": {"data": [{"name": "</script><script>alert(1)</script>"}], "layout": {}},
        "rows": pd.DataFrame(),
        "summary": "In 2020, <i>all</i> & more.",
        "sources": ("Publisher & <Co>. Title.",),
        "natures": ("illustrative",),
        "release_id": "2026-11-29",
        "page_path": '/goal/1?indicator=a"onclick=x',
        "share": {"title": "Share <title>"},
        "notices": ("Unknown level '<zz>'",),
    }
    return ChartView(**{**base, **changes})


def test_embed_page_escapes_everything_it_interpolates():
    page = embed_page(lambda layout: _view(layout), pinned=True, attribution="Boundaries <x>")
    assert "<b>title</b>" not in page and "A &lt;b&gt;title&lt;/b&gt;" in page
    assert "Sub &lt;u&gt;title&lt;/u&gt;" in page and "Boundaries &lt;x&gt;" in page
    assert "Publisher &amp; &lt;Co&gt;" in page
    assert "In 2020, &lt;i&gt;all&lt;/i&gt; &amp; more." in page
    assert "&lt;zz&gt;" in page
    assert 'href="/goal/1?indicator=a&#34;onclick=x&amp;lang=en#goal-panel-sources"' in page
    # the figures' JSON cannot close its script element, and still parses to the same data
    block = re.search(r'<script id="embed-figure" type="application/json">(.*?)</script>', page)
    assert block and "</script>" not in block.group(1)
    figures = json.loads(block.group(1))["figures"]
    assert set(figures) == {"embed", "embed_phone", "embed_phone_wide", "embed_phone_tall"}
    assert figures["embed"]["data"][0]["name"].startswith("</script>")
    # no inline script (the site's CSP allows only its own files)
    assert re.findall(r"<script(?![^>]*(src=|application/json))", page) == []


def test_embed_page_states_release_pinning_and_badge():
    pinned = embed_page(lambda layout: _view(layout), pinned=True, attribution="")
    assert "Data release 2026-11-29, pinned" in pinned
    assert "Illustrative — not official statistics" in pinned
    latest = embed_page(
        lambda layout: _view(layout, natures=("survey",)), pinned=False, attribution=""
    )
    assert "Data release 2026-11-29, the latest" in latest
    assert "Illustrative" not in latest


def test_notices_are_in_the_requested_language(dataset):
    lao = views.resolve_map_selection(dataset, "1", "NOPE", "zz", lang="lo")
    assert lao.notices == (
        "ຕົວຊີ້ວັດ 'NOPE' ບໍ່ມີແຜນທີ່ໃນໜ້ານີ້; ສະແດງຄ່າເລີ່ມຕົ້ນແທນ.",
        "ບໍ່ຮູ້ຈັກລະດັບແຜນທີ່ 'zz'; ສະແດງຂັ້ນແຂວງແທນ.",
    )
    english = views.resolve_map_selection(dataset, "1", "NOPE", "zz")
    assert english.notices[0] == "Indicator 'NOPE' has no map on this page; showing the default."
    series = views.resolve_series_selection(dataset, "1", None, "LA01,XX99", lang="lo")
    assert series.notices == ("ບໍ່ຮູ້ຈັກລະຫັດເຂດ 'XX99', ຈຶ່ງບໍ່ໄດ້ນຳໃຊ້.",)
    assert views.resolve_goal(dataset, "9", None, lang="lo")[1] == [
        "ບໍ່ຮູ້ຈັກເປົ້າໝາຍ '9'; ສະແດງເປົ້າໝາຍ 1 ແທນ."
    ]


def test_share_state_title_and_embed_keep_the_language(dataset):
    selection = views.resolve_map_selection(dataset, "3", "LSIS2_STUNTING", year="2017")
    state = views.map_share_state(dataset, "3", selection, lang="lo")
    assert state["title"] == "ເປົ້າໝາຍ 3: ເດັກເຕ້ຍກວ່າເກນ ຕາມແຂວງ, ປີ 2017 — NSPS ສປປ ລາວ"
    assert _query(state["embed"])["lang"] == ["lo"] and _query(state["embed_pinned"])["lang"] == [
        "lo"
    ]
    assert "lang" not in state["query"]  # the page keeps its own lang= in the address bar
    series = views.resolve_series_selection(dataset, "1", "SHP_COVERAGE", "LA01")
    series_state = views.series_share_state(dataset, "1", series, lang="en")
    assert _query(series_state["embed"]) == {
        "goal": ["1"],
        "indicator": ["SHP_COVERAGE"],
        "areas": ["LA01"],
        "lang": ["en"],
    }
    assert (
        series_state["title"]
        == "Goal 1: Social health protection coverage over time — NSPS Lao PDR"
    )
