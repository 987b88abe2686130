"""The goal page for citizens in a real browser: in Lao, with the language switch keeping the
view, operated by keyboard alone, and with text summaries that follow the view."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from browser_support import VALUES, release_csv
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.keys import Keys

from dashboard.i18n import translator

INDICATOR = "ILL_HEALTH_COVERAGE"
HIGHLIGHT_WIDTH = 3.5  # dashboard.views.HIGHLIGHT_LINE; other borders are 0.6


def _query(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query)


def _release_row(name: str, key: str, value: str) -> dict[str, str]:
    return next(row for row in release_csv(name) if row[key] == value)


def _province_values(year: int) -> dict[str, float]:
    return {
        row["area_code"]: float(row["value"])
        for row in release_csv("observations-illustrative.csv")
        if row["indicator_id"] == INDICATOR
        and row["year"] == str(year)
        and len(row["area_code"]) == 4
        and (row["sex"], row["urban_rural"]) == ("total", "total")
    }


def _lao_decimal(value: float) -> str:
    """`87,6`: one decimal with the Lao (CLDR) decimal comma, for values under 1,000."""
    return f"{value:.1f}".replace(".", ",")


def _focused_id(page) -> str:
    return page.driver.execute_script("return document.activeElement.id;")


def _tab_to(page, element_id: str, limit: int = 60) -> list[str]:
    """Press Tab until `element_id` has the focus; the ids passed on the way."""
    passed = []
    for _press in range(limit):
        ActionChains(page.driver).send_keys(Keys.TAB).perform()
        passed.append(_focused_id(page))
        if passed[-1] == element_id:
            return passed
    pytest.fail(f"Tab never reached #{element_id}; focus went through {passed}")


def _outline_widths(page) -> list[float]:
    """The border width of each area with a value (one number for all, until one is chosen)."""
    trace = page.figure("map-graph")["data"][VALUES]
    width = trace["marker"]["line"]["width"]
    return width if isinstance(width, list) else [width] * len(trace["locations"])


@pytest.mark.browser
def test_goal_page_in_lao_shows_lao_headings_names_and_number_format(page):
    page.open_goal(f"/goal/1?lang=lo&indicator={INDICATOR}&year=2020")
    page.wait_idle()
    goal_lo = _release_row("goals.csv", "goal_id", "1")["name_lo"]
    indicator_lo = _release_row("indicators-illustrative.csv", "indicator_id", INDICATOR)["name_lo"]
    assert page.driver.find_element("tag name", "html").get_attribute("lang") == "lo"
    assert page.duo.find_element("h1").text == f"ເປົ້າໝາຍ 1: {goal_lo}"
    # the frame's title is the chart's, in Lao, as HTML (the illustrative badge beside it)
    badge = translator("lo")("Illustrative — not official statistics")
    assert page.duo.find_element("#map-heading").text == f"{indicator_lo} {badge}"
    assert page.duo.find_element("#goal-tab-map").text == "ແຜນທີ່"
    assert page.duo.find_element("#goal-tab-chart").text == translator("lo")("Chart")
    series_heading = page.duo.find_element("#series-heading").get_attribute("textContent")
    assert series_heading.startswith("ການຄຸ້ມຄອງ")  # the default series' Lao name, no English
    assert indicator_lo in page.duo.find_element("#map-indicator").text

    summary = page.duo.find_element("#map-summary").text
    values = _province_values(2020)
    highest = max(values.values())
    assert summary.startswith("ໃນປີ 2020, 18 ໃນ 18 ແຂວງ"), summary
    assert f"{_lao_decimal(highest)} %" in summary  # Lao decimal comma …
    assert f"{highest:.1f} %" not in summary  # … never the English point
    assert "ຂໍ້ມູນສົມມຸດ" in summary  # illustrative data says so in the summary too
    assert page.console_errors() == []


@pytest.mark.browser
def test_language_switch_keeps_indicator_level_and_year(page):
    page.open_goal(f"/goal/1?lang=en&indicator={INDICATOR}&year=2016")
    page.wait_idle()
    page.duo.find_element("#map-year [role='slider']").send_keys(Keys.ARROW_RIGHT)
    page.wait_until(lambda: page.map_meta().get("year") == 2017, "the map year 2017")
    switch = page.wait_until(
        lambda: (
            "year=2017" in page.href("#language-switch-lo") and page.href("#language-switch-lo")
        ),
        "the language switch to follow the view",
    )
    query = _query(switch)
    assert (query["indicator"], query["level"], query["year"], query["lang"]) == (
        [INDICATOR],
        ["province"],
        ["2017"],
        ["lo"],
    )
    assert _query(page.driver.current_url)["lang"] == ["en"]

    page.driver.execute_script(
        "arguments[0].scrollIntoView({block: 'center'}); arguments[0].click();",
        page.duo.find_element("#language-switch-lo"),
    )
    page.wait_until(
        lambda: page.driver.find_element("tag name", "html").get_attribute("lang") == "lo",
        "the page in Lao",
    )
    page.duo.wait_for_element("#map-graph .choroplethlocation", timeout=20)
    page.wait_until(lambda: page.map_meta().get("year") == 2017, "the Lao map of 2017")
    meta = page.map_meta()
    assert (meta["indicator_id"], meta["level"], meta["year"]) == (INDICATOR, "province", 2017)
    assert page.duo.find_element("#goal-tab-map").text == "ແຜນທີ່"
    indicator_lo = _release_row("indicators-illustrative.csv", "indicator_id", INDICATOR)["name_lo"]
    assert page.duo.find_element("#map-heading").text.startswith(indicator_lo)
    assert "year=2017" in page.href("#language-switch-en")


@pytest.mark.browser
def test_area_chosen_by_keyboard_shows_its_value_and_outline(page):
    page.open_goal(f"/goal/1?lang=en&indicator={INDICATOR}&year=2020&series={INDICATOR}")
    page.wait_idle()
    assert page.duo.find_element("label[for='map-area']").text == "Area"
    passed = _tab_to(page, "map-area")
    assert "map-indicator" in passed  # the other controls are on the way, in order
    assert set(_outline_widths(page)) == {0.6}

    ActionChains(page.driver).send_keys(Keys.ENTER).perform()
    page.wait_until(
        lambda: page.driver.execute_script(
            "return document.activeElement.classList.contains('dash-dropdown-search');"
        ),
        "the focus in the dropdown's search box",
    )
    ActionChains(page.driver).send_keys("Savan").perform()
    page.wait_until(
        lambda: (
            [o.text for o in page.duo.find_elements(".dash-dropdown-option")] == ["Savannakhet"]
        ),
        "one matching province",
    )
    ActionChains(page.driver).send_keys(Keys.ARROW_DOWN, Keys.ENTER).perform()

    value = _province_values(2020)["LA13"]
    reading = page.wait_until(
        lambda: (t := page.duo.find_element("#map-area-text").text).startswith("Savannakhet") and t,
        "the chosen area's value in words",
    )
    assert reading.startswith(f"Savannakhet: {value:.1f} % in 2020.")
    assert "Illustrative — not official statistics" in reading
    locations = page.figure("map-graph")["data"][VALUES]["locations"]
    widths = page.wait_until(
        lambda: (w := _outline_widths(page))[locations.index("LA13")] == HIGHLIGHT_WIDTH and w,
        "Savannakhet outlined",
    )
    assert [code for code, w in zip(locations, widths, strict=True) if w != 0.6] == ["LA13"]

    # …and, still by keyboard, the province joins the trends chart
    _tab_to(page, "map-area-compare")
    ActionChains(page.driver).send_keys(Keys.ENTER).perform()
    page.wait_until(lambda: "areas=LA13" in page.href("#series-download"), "LA13 in the trends")
    names = [t["name"] for t in page.figure("series-graph")["data"]]
    assert any("Savannakhet" in name for name in names), names
    assert page.console_errors() == []


@pytest.mark.browser
def test_map_summary_describes_the_map_and_follows_the_year(page):
    page.open_goal(f"/goal/1?lang=en&indicator={INDICATOR}&year=2016")
    page.wait_idle()
    figure = page.duo.find_element("[role='figure'][aria-describedby='map-summary']")
    assert figure.find_elements("css selector", "#map-graph")
    before = page.duo.find_element("#map-summary").text
    assert before.startswith("In 2016, 18 of 18 provinces")
    assert f"{max(_province_values(2016).values()):.1f} %" in before

    page.duo.find_element("#map-year [role='slider']").send_keys(Keys.ARROW_RIGHT)
    after = page.wait_until(
        lambda: (t := page.duo.find_element("#map-summary").text).startswith("In 2017") and t,
        "the summary of 2017",
    )
    assert f"{max(_province_values(2017).values()):.1f} %" in after
    assert after != before
    assert not page.duo.find_elements("#map-table table")  # built only when first opened
    page.duo.find_element("#map-table-toggle").click()  # the frame's Table tab
    caption = page.wait_until(
        lambda: page.driver.execute_script(
            "const c = document.querySelector('#map-table caption'); return c && c.textContent;"
        ),
        "the map's table",
    )
    # the table alternative is titled by the same summary (WebDriver's text shows no-break
    # spaces as spaces; textContent keeps them)
    assert caption.replace("\u00a0", " ") == after
    page.show_tab("map")
    page.duo.find_element("#map-year [role='slider']").send_keys(Keys.ARROW_RIGHT)
    # a year change in the browser drops the table of the old year; opening the tab again
    # builds the new year's
    page.wait_until(lambda: not page.duo.find_elements("#map-table table"), "the old table gone")
    page.show_tab("table")
    page.wait_until(
        lambda: page.driver.execute_script(
            "const c = document.querySelector('#map-table caption'); return c && c.textContent;"
        ).startswith("In 2018"),
        "the table of 2018",
    )


@pytest.mark.browser
def test_trends_and_budget_have_tables_and_summaries(page):
    page.open_goal(f"/goal/1?lang=en&series={INDICATOR}&areas=LA13")
    page.duo.wait_for_element("#series-graph .main-svg")
    page.show_tab("chart")
    page.wait_idle()
    for chart, summary in (
        ("series-graph", "series-summary"),
        ("budget-stack-graph", "budget-summary"),
    ):
        holder = page.duo.find_element(f"[role='figure'][aria-describedby='{summary}']")
        assert holder.find_elements("css selector", f"#{chart}")
        assert page.duo.find_element(f"#{summary}").text.strip()
    points = page.figure("series-graph")["layout"]["meta"]["points"]
    rows = page.driver.execute_script(
        "return document.querySelectorAll('#series-table tbody tr').length;"
    )
    assert rows == points > 0
    budget_rows = page.driver.execute_script(
        "return document.querySelectorAll('#budget-card tbody tr').length;"
    )
    assert budget_rows == page.figure("budget-stack-graph")["layout"]["meta"]["points"]
