"""The goal page's static first map, as a reader on a slow phone sees it before the scripts."""

from __future__ import annotations

import pytest
from browser_support import REPO
from selenium.webdriver.common.by import By

SCREENSHOTS = REPO / "tests" / "artifacts" / "screenshots"
STATIC_MAP = "#react-entry-point .first-paint svg.static-map"


@pytest.mark.browser
def test_first_paint_map_fills_a_phone_screen_without_javascript(page):
    driver = page.driver
    page.set_viewport(360, 740)
    driver.execute_cdp_cmd("Emulation.setScriptExecutionDisabled", {"value": True})
    page.open("/goal/1?lang=lo", STATIC_MAP)
    svg = driver.find_element(By.CSS_SELECTOR, STATIC_MAP)
    width = driver.execute_script("return document.documentElement.clientWidth")
    box = svg.rect
    assert box["width"] >= 0.9 * (width - 24), (box, width)  # the page's side padding aside
    assert box["height"] > 300
    assert len(svg.find_elements(By.TAG_NAME, "path")) == 18
    title = driver.find_element(By.CSS_SELECTOR, ".first-paint-title")
    assert title.rect["y"] < box["y"] and title.text  # the title comes first, in Lao
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    driver.save_screenshot(str(SCREENSHOTS / "first-paint-goal1-lo-360.png"))


@pytest.mark.browser
def test_first_paint_map_gives_way_to_the_interactive_map(page):
    page.open("/goal/1?lang=en", ".js-plotly-plot")
    assert not page.driver.find_elements(By.CSS_SELECTOR, ".first-paint")
