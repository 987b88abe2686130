"""The goal-page map in a real browser: what plotly draws after each control change."""

from __future__ import annotations

import json

import pytest
from browser_support import BACKGROUND, VALUES, map_values, needs_boundaries, release_csv
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.keys import Keys


def _areas_per_level() -> dict[str, int]:
    counts: dict[str, int] = {}
    for row in release_csv("areas.csv"):
        counts[row["level"]] = counts.get(row["level"], 0) + 1
    return counts


def _illustrative_values(indicator_id: str, level_prefix_len: int, year: int) -> dict[str, float]:
    """area_code → value of one illustrative indicator and year, straight from the release CSV.

    Province codes are `LA01`…`LA18` (4 characters), district codes are longer.
    """
    return {
        row["area_code"]: float(row["value"])
        for row in release_csv("observations-illustrative.csv")
        if row["indicator_id"] == indicator_id
        and row["year"] == str(year)
        and len(row["area_code"]) == level_prefix_len
        and row["sex"] == "total"
        and row["urban_rural"] == "total"
    }


def _click_year_mark(page, year: int) -> None:
    """Click the slider where the year's mark is drawn, as a reader does (the track is on top)."""
    marks = [
        m for m in page.duo.find_elements("#map-year .dash-slider-mark") if m.text == str(year)
    ]
    assert marks, f"no slider mark for {year}"
    ActionChains(page.driver).move_to_element(marks[0]).click().perform()


def _choose_level(page, level: str) -> None:
    page.duo.find_element(f"label[for='_dbcprivate_radioitems_map-level_input_{level}']").click()


@pytest.mark.browser
@needs_boundaries
def test_map_level_switch_draws_18_then_148_districts(page):
    areas = _areas_per_level()
    assert (areas["province"], areas["district"]) == (18, 148)
    page.open_goal("/goal/2")
    assert page.map_meta()["level"] == "province"
    assert page.shape_counts() == [18, 18]  # [background (no data), values]

    _choose_level(page, "district")
    counts = page.wait_until(
        lambda: (c := page.shape_counts()) and c[VALUES] == 148 and c, "148 district shapes"
    )
    assert counts[BACKGROUND] == areas["district"]
    meta = page.map_meta()
    assert (meta["level"], meta["areas_with_data"], meta["areas_without_data"]) == (
        "district",
        148,
        0,
    )

    _choose_level(page, "province")
    counts = page.wait_until(
        lambda: (c := page.shape_counts()) and c[VALUES] == 18 and c, "18 province shapes"
    )
    assert counts[BACKGROUND] == areas["province"]
    assert page.map_meta()["level"] == "province"
    assert page.console_errors() == []


@pytest.mark.browser
def test_year_slider_changes_values(page):
    indicator = "ILL_HEALTH_COVERAGE"
    page.open_goal(f"/goal/1?indicator={indicator}&year=2016")
    meta = page.map_meta()
    assert (meta["indicator_id"], meta["level"], meta["year"]) == (indicator, "province", 2016)
    before = page.figure("map-graph")["data"][VALUES]
    expected_2016 = _illustrative_values(indicator, 4, 2016)
    assert len(expected_2016) == 18
    assert map_values(before) == expected_2016

    handle = page.duo.find_element("#map-year [role='slider']")
    assert handle.get_attribute("aria-valuenow") == "2016"
    _click_year_mark(page, 2017)
    page.wait_until(lambda: page.map_meta().get("year") == 2017, "map year 2017")

    after = page.figure("map-graph")["data"][VALUES]
    expected_2017 = _illustrative_values(indicator, 4, 2017)
    assert expected_2017 != expected_2016
    assert map_values(after) == expected_2017
    assert handle.get_attribute("aria-valuenow") == "2017"
    assert "year=2017" in page.href("#map-download")
    assert page.figure("map-graph")["layout"]["meta"]["year"] == 2017
    assert page.console_errors() == []


@pytest.mark.browser
def test_year_slider_arrow_key_moves_to_next_year(page):
    page.open_goal("/goal/1?indicator=ILL_HEALTH_COVERAGE&year=2016")
    page.wait_idle()
    page.duo.find_element("#map-year [role='slider']").send_keys(Keys.ARROW_RIGHT)
    page.wait_until(lambda: page.map_meta().get("year") != 2016, "the map year to change")
    page.wait_idle()
    assert page.map_meta()["year"] == 2017
    assert page.duo.find_element("#map-notices").text == ""


@pytest.mark.browser
def test_year_slider_arrow_key_skips_years_without_data(page):
    """POV_PROVINCE_LECS_OLD has 2002, 2007 and 2012: arrows jump the gaps, both ways."""
    page.open_goal("/goal/1?indicator=POV_PROVINCE_LECS_OLD&year=2007")
    page.wait_idle()
    handle = page.duo.find_element("#map-year [role='slider']")
    assert handle.get_attribute("aria-valuenow") == "2007"
    handle.send_keys(Keys.ARROW_RIGHT)
    page.wait_until(lambda: page.map_meta().get("year") == 2012, "the map year 2012")
    page.wait_until(lambda: handle.get_attribute("aria-valuenow") == "2012", "slider at 2012")
    page.wait_idle()
    assert "year=2012" in page.driver.current_url and "year=2012" in page.href("#map-download")
    assert page.duo.find_element("#map-notices").text == ""

    handle.send_keys(Keys.ARROW_LEFT)
    page.wait_until(lambda: page.map_meta().get("year") == 2007, "the map year 2007")
    page.wait_until(lambda: handle.get_attribute("aria-valuenow") == "2007", "slider at 2007")
    page.wait_idle()
    assert page.duo.find_element("#map-notices").text == ""
    assert page.console_errors() == []


@pytest.mark.browser
def test_map_geometry_fetched_once_and_updates_are_patches(page):
    """A year change is the browser's alone (no callback); a level change sends a Patch of
    values; each level's shapes are fetched once."""
    page.open_goal("/goal/2?year=2020")
    page.wait_idle()
    page.record_updates()

    _click_year_mark(page, 2021)
    page.wait_until(lambda: page.map_meta().get("year") == 2021, "map year 2021")
    page.wait_idle()
    assert page.recorded_updates() == []

    if page.figure("map-graph")["data"][VALUES]["geojson"] == "/geo/province.geojson":
        geo_urls = ["/geo/province.geojson"]
        if page.duo.find_elements("#_dbcprivate_radioitems_map-level_input_district"):
            _choose_level(page, "district")
            page.wait_until(lambda: page.map_meta().get("level") == "district", "district map")
            responses = page.wait_until(
                lambda: [
                    r["response"]
                    for r in map(json.loads, page.recorded_updates())
                    if "map-graph" in r.get("response", {})
                ],
                "the figure update response",
            )
            figure_update = responses[-1]["map-graph"]["figure"]
            assert figure_update.get("__dash_patch_update") == "__dash_patch_update"
            sent = json.dumps(figure_update)
            assert "FeatureCollection" not in sent and "coordinates" not in sent
            _choose_level(page, "province")
            page.wait_until(lambda: page.map_meta().get("level") == "province", "province map")
            page.wait_until(lambda: (page.shape_counts() or [0, 0])[VALUES] == 18, "18 shapes")
            geo_urls.append("/geo/district.geojson")
        fetched = page.resources()
        for url in geo_urls:
            assert [u for u in fetched if u.endswith(url)] == [page.url + url], fetched
    assert page.console_errors() == []
