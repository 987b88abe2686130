"""Development partners: the progress page lists every target's status and maps which provinces
are behind, in the reader's language; each view of it is a URL."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from browser_support import release_csv

from dashboard import summaries
from dashboard.i18n import translator

STATUS_LABELS = {
    "target_met": "Target met",
    "on_track": "On track",
    "off_track": "Off track",
    "substantially_off_track": "Substantially off track",
    "not_enough_data": "Not enough data",
}


def _targets() -> set[str]:
    rows = release_csv("indicators.csv") + release_csv("indicators-illustrative.csv")
    return {r["indicator_id"] for r in rows if r["target_value"]}


def _status_shapes(page) -> dict[str, int] | None:
    """Legend name → number of provinces drawn in that status's colour (read from the SVG)."""
    fills = page.driver.execute_script(
        "return Array.from(document.querySelectorAll("
        "'#status-map-graph .choroplethlayer path.choroplethlocation'))"
        ".map(p => getComputedStyle(p).fill);"
    )
    if not fills:
        return None
    colours = {
        _rgb(t["colorscale"][0][1]): t["name"] for t in page.figure("status-map-graph")["data"]
    }
    counts: dict[str, int] = {}
    for fill in fills:
        name = colours[fill.replace(" ", "")]
        counts[name] = counts.get(name, 0) + 1
    return counts


def _rgb(hex_colour: str) -> str:
    r, g, b = (int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgb({r},{g},{b})"


@pytest.mark.browser
def test_progress_page_table_and_province_status_map(page):
    page.open("/progress?lang=en", "#progress-table")
    rows = page.duo.find_elements("#progress-table tbody tr")
    shown = {r.get_attribute("id").removeprefix("progress-row-"): r for r in rows}
    assert set(shown) == _targets()
    assert shown["SHP_COVERAGE"].get_attribute("data-status") == "target_met"
    assert "Target met" in shown["SHP_COVERAGE"].text
    illustrative = shown["ILL_SCHOOL_MEALS_COVERAGE"].text
    assert "Illustrative — not official statistics" in illustrative

    counts = page.wait_until(
        lambda: (c := _status_shapes(page)) and sum(c.values()) == 18 and c, "18 provinces"
    )
    legend = [t["name"] for t in page.figure("status-map-graph")["data"]]
    assert legend == list(STATUS_LABELS.values())
    table = page.duo.find_elements("#status-table tbody tr")
    assert len(table) == 18
    by_status: dict[str, int] = {}
    for row in table:
        label = STATUS_LABELS[row.get_attribute("data-status")]
        by_status[label] = by_status.get(label, 0) + 1
    assert counts == by_status
    nav = [a.text for a in page.duo.find_elements(".navbar a.nav-link")]
    assert "Progress" in nav
    assert page.duo.find_elements("#status-map-section .nature-illustrative")

    # choosing another indicator is a link: the URL names the view, and reopening it restores it
    page.duo.find_element("#status-map-section .nav-pills a:not(.active)").click()
    page.wait_until(lambda: "indicator=" in page.driver.current_url, "indicator in the URL")
    query = parse_qs(urlsplit(page.driver.current_url).query)
    assert query["lang"] == ["en"], "the choice keeps the language"
    chosen = query["indicator"][0]
    page.wait_until(
        lambda: page.figure("status-map-graph")["layout"]["meta"]["indicator_id"] == chosen,
        "status map of the chosen indicator",
    )
    meta = page.figure("status-map-graph")["layout"]["meta"]
    page.open(f"/progress?indicator={chosen}&lang=en", "#status-map-graph .js-plotly-plot")
    assert page.figure("status-map-graph")["layout"]["meta"] == meta


@pytest.mark.browser
def test_progress_page_invalid_indicator_gives_notice(page):
    page.duo.reset_log_timestamp()
    page.open("/progress?indicator=NOPE&lang=en", "#status-notices .alert")
    assert "'NOPE' has no province status map" in page.duo.find_element("#status-notices").text
    page.duo.wait_for_element("#status-map-graph .choroplethlocation")
    assert page.duo.find_element("#spending-table-1")
    assert "Cannot be computed yet" in page.duo.find_element("#spending-gap-3").text


@pytest.mark.browser
def test_progress_page_in_lao_translates_statuses_and_describes_the_map(page, nsps_app):
    _ = translator("lo")
    page.open("/progress?lang=lo", "#status-map-graph .choroplethlocation")
    row = page.duo.find_element("#progress-row-SHP_COVERAGE")
    assert _("Target met") in row.text and "Target met" not in row.text
    legend = [t["name"] for t in page.figure("status-map-graph")["data"]]
    assert legend == [_(label) for label in STATUS_LABELS.values()]
    headers = [th.text for th in page.duo.find_elements("#status-table thead th")]
    assert headers[0] == _("Province")
    described = page.duo.find_element("#status-map-section figure")
    summary = page.duo.find_element(f"#{described.get_attribute('aria-describedby')}")
    indicator_id = page.figure("status-map-graph")["layout"]["meta"]["indicator_id"]
    store = nsps_app.server.config["NSPS_STORE"]
    expected = summaries.status_summary(store.dataset, indicator_id, lang="lo")
    # WebDriver's text shows no-break spaces (between a value and its unit) as spaces
    assert summary.text == expected.replace("\u00a0", " ")
