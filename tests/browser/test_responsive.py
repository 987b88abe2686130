"""Phones (issue #4): every page at 360 × 740 and 1280 × 800 CSS pixels, in both languages, with
nothing sticking out sideways; a full-page screenshot of each goes to `tests/artifacts/`
(git-ignored) for a human look. At phone width the goal page's controls sit in an off-canvas
panel behind a "Filters" button, and its map and charts keep a usable height.
"""

from __future__ import annotations

import base64

import pytest
from browser_support import (
    LANGS,
    OVERFLOW_JS,
    REPO,
    SITE_PAGES,
    needs_boundaries,
    page_id,
    with_query,
)
from selenium.webdriver.common.by import By

SCREENS = {360: 740, 1280: 800}  # width → height, CSS pixels
SCREENSHOTS = REPO / "tests" / "artifacts" / "screenshots"
MAX_SCREENSHOT_HEIGHT = 8000
MIN_CHART_HEIGHT = 300
GOAL_CHARTS = ("#map-graph", "#series-graph")


def save_full_page_screenshot(site, name: str) -> None:
    """The whole page (not only the viewport), cut at `MAX_SCREENSHOT_HEIGHT`."""
    metrics = site.driver.execute_cdp_cmd("Page.getLayoutMetrics", {})
    size = metrics["cssContentSize"]
    clip = {
        "x": 0,
        "y": 0,
        "width": size["width"],
        "height": min(size["height"], MAX_SCREENSHOT_HEIGHT),
        "scale": 1,
    }
    shot = site.driver.execute_cdp_cmd(
        "Page.captureScreenshot", {"format": "png", "clip": clip, "captureBeyondViewport": True}
    )
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    (SCREENSHOTS / f"{name}.png").write_bytes(base64.b64decode(shot["data"]))


@pytest.mark.browser
@pytest.mark.parametrize(
    ("path", "width"),
    [pytest.param(p, w, id=f"{page_id(p)}-{w}") for p in SITE_PAGES for w in SCREENS],
)
def test_page_has_no_horizontal_overflow_at(site, path, width):
    site.set_viewport(width, SCREENS[width])
    problems = {}
    for lang in LANGS:
        site.open_settled(path, lang)
        save_full_page_screenshot(site, f"{page_id(path)}-{width}-{lang}")
        found = site.driver.execute_script(OVERFLOW_JS)
        assert found["viewportWidth"] <= width, found  # the emulated screen is in force
        if found["scrollWidth"] > found["viewportWidth"] or found["offenders"]:
            problems[with_query(path, lang=lang)] = found
    assert not problems, "\n".join(
        f"{url}: page {found['scrollWidth']} px wide in a {found['viewportWidth']} px viewport; "
        f"beyond the right edge: {found['offenders'] or 'nothing visible'}"
        for url, found in problems.items()
    )


@pytest.mark.browser
def test_overflow_check_names_what_sticks_out(site):
    """The check itself: a 600 px wide block on a 360 px screen is reported, a wide table inside
    its own scrolling container is not."""
    site.set_viewport(360, SCREENS[360])
    site.driver.get(
        "data:text/html,<html lang='en'><head>"
        "<meta name='viewport' content='width=device-width, initial-scale=1'></head>"
        "<body style='margin:0'>"
        "<div style='overflow-x:auto'><table id='wide' style='width:900px'><tr><td>x</td></tr>"
        "</table></div><div id='too-wide' style='width:600px'>x</div></body></html>"
    )
    found = site.driver.execute_script(OVERFLOW_JS)
    assert found["scrollWidth"] > found["viewportWidth"] == 360
    assert [o.split(" ")[0] for o in found["offenders"]] == ["#too-wide"]


def _filters_button_for(site, control: str):
    """The visible "Filters" button whose panel (`aria-controls`) holds `control`."""
    for button in site.driver.find_elements(By.CSS_SELECTOR, "button"):
        panel = button.get_attribute("aria-controls")
        if (
            button.is_displayed()
            and button.text.strip() == "Filters"
            and panel
            and site.driver.find_elements(By.CSS_SELECTOR, f"#{panel} {control}")
        ):
            return button
    pytest.fail(f'no visible "Filters" button controls a panel holding {control}')


def _inside_viewport(site, selector: str) -> bool:
    return site.driver.execute_script(
        "const el = document.querySelector(arguments[0]);"
        "if (!el || !el.checkVisibility({visibilityProperty: true})) { return false; }"
        "const r = el.getBoundingClientRect();"
        "return r.width > 0 && r.left >= 0 && r.right <= document.documentElement.clientWidth;",
        selector,
    )


@pytest.mark.browser
@needs_boundaries
def test_goal_page_controls_open_in_filters_panel_at_360(site):
    """Closed, the panel hides the controls; the visible "Filters" button opens it and its
    controls then work (choosing districts redraws the map at district level)."""
    site.set_viewport(360, SCREENS[360])
    site.open_settled("/goal/2", "en")  # its map has figures at both levels
    site.show_tab("map")  # goal 2 opens on its Chart tab (the catalogue's default)
    assert site.map_meta()["level"] == "province"
    assert not site.duo.find_element("#map-level").is_displayed(), "controls shown before opening"

    button = _filters_button_for(site, "#map-level")
    button.click()
    site.wait_until(lambda: _inside_viewport(site, "#map-level"), "controls shown in the panel")
    site.duo.find_element("label[for='_dbcprivate_radioitems_map-level_input_district']").click()
    site.wait_until(lambda: site.map_meta().get("level") == "district", "district map")
    assert button.get_attribute("aria-expanded") == "true"


@pytest.mark.browser
def test_goal_page_charts_keep_usable_height_at_360(site):
    site.set_viewport(360, SCREENS[360])
    site.open_settled("/goal/1", "en")
    heights = {}
    for selector, tab in zip(GOAL_CHARTS, ("map", "chart"), strict=True):
        site.show_tab(tab)  # each chart is measured on its own tab of the frame
        heights[selector] = site.driver.execute_script(
            "return document.querySelector(arguments[0]).getBoundingClientRect().height;",
            selector,
        )
    assert all(h >= MIN_CHART_HEIGHT for h in heights.values()), heights
