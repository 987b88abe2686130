"""Lite mode in Chromium with JavaScript switched off: the plain form changes the view."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from browser_support import REPO
from selenium.webdriver.common.by import By
from selenium.webdriver.support.select import Select

SCREENSHOTS = REPO / "tests" / "artifacts" / "screenshots"
ILLUSTRATIVE_VIEW = "/lite/goal/1?indicator=ILL_HEALTH_COVERAGE&level=province&year=2024&lang=lo"


def _values(driver) -> list[tuple[str, str]]:
    rows = driver.find_elements(By.CSS_SELECTOR, "#lite-values tbody tr")
    return [tuple(td.text for td in row.find_elements(By.TAG_NAME, "td")[:2]) for row in rows]


@pytest.mark.browser
def test_lite_form_changes_the_year_with_javascript_disabled(page):
    driver = page.driver
    driver.execute_cdp_cmd("Emulation.setScriptExecutionDisabled", {"value": True})
    page.open(ILLUSTRATIVE_VIEW, "#lite-form")
    assert driver.find_element(By.TAG_NAME, "html").get_attribute("lang") == "lo"
    assert driver.find_elements(By.TAG_NAME, "script") == []
    before = _values(driver)
    assert len(before) == 18

    Select(driver.find_element(By.ID, "lite-year")).select_by_value("2016")
    driver.find_element(By.CSS_SELECTOR, "#lite-form button[type=submit]").click()
    page.wait_until(lambda: "year=2016" in driver.current_url, "the form's GET request")

    query = parse_qs(urlsplit(driver.current_url).query)
    assert query == {
        "indicator": ["ILL_HEALTH_COVERAGE"],
        "level": ["province"],
        "year": ["2016"],
        "lang": ["lo"],
    }
    after = _values(driver)
    assert [area for area, _value in after] == [area for area, _value in before]
    assert after != before
    selected = Select(driver.find_element(By.ID, "lite-year")).first_selected_option
    assert selected.get_attribute("value") == "2016"
    assert "," in after[0][1]  # Lao decimal comma: 73,6 %


#: Each lite image at 360 × 740: laid-out size, drawn size, pixels, and the page's width.
_IMAGES_JS = """
return Array.from(document.querySelectorAll('main img')).map(img => {
  const box = img.getBoundingClientRect();
  return {id: img.id, layout: img.width, attribute: +img.getAttribute('width'), shown: box.width,
          natural: img.naturalWidth, complete: img.complete,
          page: document.documentElement.scrollWidth, viewport: innerWidth};
});
"""


@pytest.mark.browser
@pytest.mark.parametrize("lang", ["lo", "en"])
def test_lite_images_are_drawn_for_a_phone_and_shown_near_their_own_size(page, lang):
    """At 360 × 740 the map and trend images are the phone layout (360 px wide, twice the
    pixels) shown at 90 % or more of that width, so their 12 px text stays at least 11 px:
    legible, and sharp. Screenshots: tests/artifacts/screenshots/lite-*-360.png."""
    page.set_viewport(360, 740)
    page.open(f"/lite/goal/1?lang={lang}", "#lite-map")
    driver = page.driver
    for image in ("lite-map", "lite-trend-image"):  # loaded lazily: scroll each into view
        element = driver.find_element(By.ID, image)
        driver.execute_script("arguments[0].scrollIntoView()", element)
        page.wait_until(
            lambda element=element: driver.execute_script(
                "return arguments[0].complete && arguments[0].naturalWidth > 0", element
            ),
            f"{image} loaded",
            timeout=60,
        )
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        driver.save_screenshot(str(SCREENSHOTS / f"{image}-{lang}-360.png"))
    shown = driver.execute_script(_IMAGES_JS)
    assert [image["id"] for image in shown] == ["lite-map", "lite-trend-image"]
    for image in shown:
        assert image["attribute"] == 360, image
        assert image["natural"] == 720, image  # rendered at twice the density
        assert 0.9 * 360 <= image["shown"] <= image["viewport"], image
        assert image["page"] <= image["viewport"], "the page scrolls sideways"
