"""Lite mode in Chromium with JavaScript switched off: the plain form changes the view."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.select import Select

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
