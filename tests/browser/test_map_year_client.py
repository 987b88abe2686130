"""A year change on the goal page's map happens in the browser: no request once the map's view
data is cached, and what the reader sees is exactly that year's view data (issue 11, item 2)."""

from __future__ import annotations

import copy

import pytest
from browser_support import VALUES, boundaries_installed, needs_boundaries
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.keys import Keys

from dashboard import viewdata, views

INDICATOR = "ILL_HEALTH_COVERAGE"  # illustrative, every year 2016-2024 at both levels

# Every request the page makes from now on: fetch, XMLHttpRequest and resource timing entries.
_COUNT_REQUESTS_JS = """
performance.setResourceTimingBufferSize(5000);
window.__nspsRequests = [];
window.__nspsResourcesBefore = performance.getEntriesByType('resource').length;
if (!window.__nspsCounting) {  // wrapped once; each call above starts a new count
  window.__nspsCounting = true;
  const originalFetch = window.fetch;
  window.fetch = function (...args) {
    let changed = '';  // a Dash callback: the inputs that triggered it
    try { changed = ' <- ' + JSON.parse(args[1].body).changedPropIds.join(','); } catch (e) {}
    const url = String((args[0] && args[0].url) || args[0]).split('?')[0];
    window.__nspsRequests.push(url + changed);
    return originalFetch.apply(this, args);
  };
  const originalOpen = XMLHttpRequest.prototype.open;
  XMLHttpRequest.prototype.open = function (method, url) {
    window.__nspsRequests.push(String(url));
    return originalOpen.apply(this, arguments);
  };
}
"""
_REQUESTS_JS = """
return {
  calls: window.__nspsRequests,
  resources: performance.getEntriesByType('resource')
    .slice(window.__nspsResourcesBefore).map(e => e.name),
};
"""


def _open_with_view_data(page, path: str) -> None:
    """Open a goal map and wait until its view data has arrived (the prefetch after drawing)."""
    page.open_goal(path)
    page.wait_idle()
    page.wait_until(
        lambda: any("/api/v1/views/map?" in url for url in page.resources()), "view data fetched"
    )
    page.driver.execute_script(_COUNT_REQUESTS_JS)


def _expected(dataset, level: str, lang: str, layout: str, year: int) -> tuple[dict, dict]:
    """The figure and texts `map_view_data` gives for `year`, computed here in Python."""
    document = viewdata.map_view_data(
        dataset,
        "1",
        INDICATOR,
        level,
        lang=lang,
        layout=layout,
        schematic=not boundaries_installed(),
    )
    entry = document["by_year"][str(year)]
    figure = copy.deepcopy(document["figure"])
    for path, value in entry["changes"].items():
        *parents, last = path.split(".")
        node = figure
        for part in parents:
            node = node[int(part)] if isinstance(node, list) else node[part]
        node[int(last) if isinstance(node, list) else last] = value
    return figure, entry


def _check_year_change(page, dataset, level: str, start: int, key: str, landed: int) -> None:
    handle = page.duo.find_element("#map-year [role='slider']")
    assert handle.get_attribute("aria-valuenow") == str(start)
    handle.send_keys(key)
    page.wait_until(lambda: page.map_meta().get("year") == landed, f"the map year {landed}")
    page.wait_until(lambda: f"year={landed}" in page.driver.current_url, "the address bar")
    page.wait_idle()

    meta = page.map_meta()
    figure, entry = _expected(dataset, level, "en", meta["layout"], landed)
    drawn = page.figure("map-graph")["data"][VALUES]
    for prop in ("locations", "z", "customdata"):
        assert drawn[prop] == figure["data"][VALUES][prop], prop
    assert (
        page.duo.find_element("#map-heading .chart-frame-title-text").get_attribute("textContent")
        == entry["title"]
    )
    assert page.duo.find_element("#map-subtitle").get_attribute("textContent") == entry["subtitle"]
    assert str(landed) in entry["subtitle"]
    assert page.duo.find_element("#map-summary").get_attribute("textContent") == entry["summary"]
    assert f"year={landed}" in page.href("#map-download")
    page.duo.find_element("#share-map-open").click()
    link = page.wait_until(
        lambda: page.duo.find_element("#share-map-link").get_attribute("value"), "the share link"
    )
    assert f"year={landed}" in link and f"level={level}" in link

    requests = page.driver.execute_script(_REQUESTS_JS)
    assert requests["calls"] == [], requests
    assert requests["resources"] == [], requests
    assert page.console_errors() == []


@pytest.mark.browser
def test_map_year_client_province_keyboard_change_makes_no_request(page, dataset):
    _open_with_view_data(page, f"/goal/1?indicator={INDICATOR}&year=2016&lang=en")
    _check_year_change(page, dataset, "province", 2016, Keys.ARROW_RIGHT, 2017)


@pytest.mark.browser
@needs_boundaries
def test_map_year_client_district_keyboard_change_makes_no_request(page, dataset):
    _open_with_view_data(page, f"/goal/1?indicator={INDICATOR}&level=district&year=2023&lang=en")
    assert page.map_meta()["level"] == "district"
    _check_year_change(page, dataset, "district", 2023, Keys.ARROW_LEFT, 2022)


@pytest.mark.browser
def test_map_year_client_snaps_over_years_without_data_in_the_browser(page):
    """POV_PROVINCE_LECS_OLD has 2002, 2007 and 2012: one arrow step jumps the gap both ways,
    as `views.snap_year` does on the server, with no request."""
    _open_with_view_data(page, "/goal/1?indicator=POV_PROVINCE_LECS_OLD&year=2007&lang=en")
    handle = page.duo.find_element("#map-year [role='slider']")
    handle.send_keys(Keys.ARROW_RIGHT)
    page.wait_until(lambda: page.map_meta().get("year") == 2012, "the map year 2012")
    page.wait_until(lambda: handle.get_attribute("aria-valuenow") == "2012", "slider at 2012")
    handle.send_keys(Keys.ARROW_LEFT)
    page.wait_until(lambda: page.map_meta().get("year") == 2007, "the map year 2007")
    page.wait_until(lambda: handle.get_attribute("aria-valuenow") == "2007", "slider at 2007")
    requests = page.driver.execute_script(_REQUESTS_JS)
    assert requests["calls"] == [] and requests["resources"] == [], requests


@pytest.mark.browser
def test_map_year_client_play_button_steps_through_years_and_stops(page):
    _open_with_view_data(page, f"/goal/1?indicator={INDICATOR}&year=2016&lang=en")
    button = page.duo.find_element("#map-play")
    assert button.text == "Play" and button.get_attribute("aria-pressed") == "false"
    button.send_keys(Keys.SPACE)  # the keyboard starts it
    page.wait_until(lambda: button.get_attribute("aria-pressed") == "true", "pressed")
    page.wait_until(lambda: page.map_meta().get("year") == 2017, "the map year 2017")
    page.wait_until(lambda: page.map_meta().get("year") == 2018, "the map year 2018")
    # touching the slider stops it
    page.duo.find_element("#map-year [role='slider']").send_keys(Keys.ARROW_RIGHT)
    page.wait_until(lambda: button.get_attribute("aria-pressed") == "false", "stopped")
    stopped_at = page.wait_until(lambda: page.map_meta().get("year"), "the map year")
    page.wait_idle()
    assert page.map_meta()["year"] == stopped_at

    # opening another tab stops it too (the Table tab then shows the year it stopped at)
    button.click()
    page.wait_until(lambda: button.get_attribute("aria-pressed") == "true", "pressed again")
    page.show_tab("table")
    page.wait_until(lambda: button.get_attribute("aria-pressed") == "false", "stopped by a tab")
    shown = page.map_meta()["year"]
    page.wait_until(
        lambda: page.driver.execute_script(
            "const c = document.querySelector('#map-table caption'); return c && c.textContent;"
        ).startswith(f"In {shown}"),
        "the table of the year shown",
    )
    page.show_tab("map")
    page.wait_idle()
    page.driver.execute_script(_COUNT_REQUESTS_JS)  # (building the table was a request)

    # from 2023 it plays the one year left and stops at the last
    page.duo.find_element("#map-year [role='slider']").send_keys(Keys.END)
    page.wait_until(lambda: page.map_meta().get("year") == 2024, "the map year 2024")
    page.duo.find_element("#map-year [role='slider']").send_keys(Keys.ARROW_LEFT)
    page.wait_until(lambda: page.map_meta().get("year") == 2023, "the map year 2023")
    button.click()
    page.wait_until(lambda: page.map_meta().get("year") == 2024, "the map year 2024")
    page.wait_until(lambda: button.get_attribute("aria-pressed") == "false", "stopped at the end")
    requests = page.driver.execute_script(_REQUESTS_JS)
    assert requests["calls"] == [] and requests["resources"] == [], requests
    assert page.console_errors() == []


@pytest.mark.browser
def test_map_year_client_play_button_is_labelled_in_lao(page):
    page.open_goal(f"/goal/1?indicator={INDICATOR}&lang=lo")
    button = page.duo.find_element("#map-play")
    assert button.text and button.text != "Play"
    assert button.get_attribute("aria-pressed") == "false"


@pytest.mark.browser
def test_map_year_client_chosen_area_follows_the_year_with_one_server_answer(page):
    """With an area chosen, its value in words and its outline follow the year: the one server
    request of a year change (`follow_area_year`), and only then."""
    _open_with_view_data(page, f"/goal/1?indicator={INDICATOR}&year=2016&lang=en")
    page.duo.find_element("#map-area").click()
    ActionChains(page.driver).send_keys("Savan").perform()
    page.wait_until(
        lambda: (
            [o.text for o in page.duo.find_elements(".dash-dropdown-option")] == ["Savannakhet"]
        ),
        "one matching province",
    )
    ActionChains(page.driver).send_keys(Keys.ARROW_DOWN, Keys.ENTER).perform()
    page.wait_until(
        lambda: "in 2016." in page.duo.find_element("#map-area-text").text, "the area's 2016"
    )
    page.wait_idle()
    page.driver.execute_script(_COUNT_REQUESTS_JS)

    page.duo.find_element("#map-year [role='slider']").send_keys(Keys.ARROW_RIGHT)
    reading = page.wait_until(
        lambda: (t := page.duo.find_element("#map-area-text").text) and "in 2017." in t and t,
        "the area's value of 2017",
    )
    assert reading.startswith("Savannakhet: ")
    page.wait_idle()
    trace = page.figure("map-graph")["data"][VALUES]
    widths = trace["marker"]["line"]["width"]
    assert len(widths) == len(trace["locations"])
    outlined = [code for code, w in zip(trace["locations"], widths, strict=True) if w != 0.6]
    assert (
        outlined == ["LA13"]
        and widths[trace["locations"].index("LA13")] == (views.HIGHLIGHT_LINE["width"])
    )
    calls = page.driver.execute_script(_REQUESTS_JS)["calls"]
    assert calls == ["/_dash-update-component <- map-area-text.data-year"]
