"""Development partners: the progress page lists every target's status by the published method,
in the reader's language; illustrative series get no status and no coloured map; each view of it
is a URL."""

from __future__ import annotations

import pytest
from browser_support import release_csv

from dashboard import progress
from dashboard.i18n import translator


def _targets() -> set[str]:
    rows = release_csv("indicators.csv") + release_csv("indicators-illustrative.csv")
    return {r["indicator_id"] for r in rows if r["target_value"]}


@pytest.mark.browser
def test_progress_page_table_and_province_status_map(page):
    page.open("/progress?lang=en", "#progress-table")
    rows = page.duo.find_elements("#progress-table tbody tr")
    shown = {r.get_attribute("id").removeprefix("progress-row-"): r for r in rows}
    assert set(shown) == _targets()
    assert shown["SHP_COVERAGE"].get_attribute("data-status") == "target_achieved"
    assert "Target achieved" in shown["SHP_COVERAGE"].text
    illustrative = shown["ILL_SCHOOL_MEALS_COVERAGE"]
    assert "Illustrative — not official statistics" in illustrative.text
    assert illustrative.get_attribute("data-status") == "illustrative"
    assert "Illustrative — no status" in illustrative.text
    for row in rows:  # a reason for no status is never drawn in a status colour
        badge = row.find_element("css selector", ".progress-status")
        colour = page.driver.execute_script(
            "return getComputedStyle(arguments[0]).borderLeftColor;", badge
        )
        status = row.get_attribute("data-status")
        assert (colour.replace(" ", "") in {_rgb(c) for c in progress.STATUS_COLOURS.values()}) == (
            status in progress.STATUS_LABELS
        ), (status, colour)
    # no real series with a target has province values: the page says so and draws no map
    assert not page.duo.find_elements("#status-map-graph")
    assert "No indicator with a published target has real province values yet" in (
        page.duo.find_element("#status-map-none").text
    )
    nav = [a.text for a in page.duo.find_elements(".navbar a.nav-link")]
    assert "Progress" in nav
    citation = page.duo.find_element("#progress-method-citation")
    assert citation.get_attribute("href") == progress.METHOD_CITATION["url"]


def _rgb(hex_colour: str) -> str:
    r, g, b = (int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgb({r},{g},{b})"


@pytest.mark.browser
def test_progress_page_invalid_indicator_gives_notice(page):
    page.duo.reset_log_timestamp()
    page.open("/progress?indicator=NOPE&lang=en", "#status-notices .alert")
    assert "'NOPE' has no province status map" in page.duo.find_element("#status-notices").text
    assert page.duo.find_element("#spending-table-1")
    assert "Cannot be computed yet" in page.duo.find_element("#spending-gap-3").text


@pytest.mark.browser
def test_progress_page_in_lao_translates_statuses_and_says_why_no_map(page):
    _ = translator("lo")
    page.open("/progress?lang=lo", "#progress-table")
    row = page.duo.find_element("#progress-row-SHP_COVERAGE")
    assert _("Target achieved") in row.text and "Target achieved" not in row.text
    school = page.duo.find_element("#progress-row-ILL_SCHOOL_MEALS_COVERAGE")
    assert _("Illustrative — no status") in school.text
    headers = [th.text for th in page.duo.find_elements("#progress-table thead th")]
    assert headers[0] == _("Goal")
    note = page.duo.find_element("#status-map-none").text
    assert note == _(
        "No indicator with a published target has real province values yet, so no province "
        "status map is drawn. Illustrative series get no status."
    )
