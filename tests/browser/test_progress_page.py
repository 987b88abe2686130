"""Development partners: the progress page lists every target's status by the published method,
in the reader's language; illustrative series get no status and no coloured map; each view of it
is a URL."""

from __future__ import annotations

import pytest
from browser_support import release_csv

from dashboard import progress
from dashboard.i18n import translator


def _targets() -> dict[str, dict[str, str]]:
    """Series with a numeric target (those with a status) → their target row."""
    return {r["indicator_id"]: r for r in release_csv("targets.csv") if r["kind"] == "numeric"}


def _commitments() -> set[str]:
    return {r["target_id"] for r in release_csv("targets.csv") if r["kind"] == "commitment"}


@pytest.mark.browser
def test_progress_page_table_and_province_status_map(page):
    page.open("/progress?lang=en", "#progress-table")
    rows = page.duo.find_elements("#progress-table tbody tr")
    shown = {r.get_attribute("id").removeprefix("progress-row-"): r for r in rows}
    targets = _targets()
    assert set(shown) == set(targets)
    assert shown["SHP_COVERAGE"].get_attribute("data-status") == "target_achieved"
    assert "Target achieved" in shown["SHP_COVERAGE"].text
    for indicator_id, target in targets.items():  # whose target, and the document it was read in
        cell = shown[indicator_id].find_element("css selector", ".target-description").text
        assert f"Target of the {target['setter_en']}" in cell
        assert "NSPS target" not in cell
    assert "Extending Social Health Protection in Lao PDR" in shown["SHP_COVERAGE"].text
    # commitments are listed with no status; the strategy's own say so
    commitments = page.duo.find_elements("#commitments-table tbody tr")
    listed = {r.get_attribute("id").removeprefix("commitment-row-"): r for r in commitments}
    assert set(listed) == _commitments()
    school = listed["nsps_school_meals_poor_districts"].text
    assert "Commitment of the National Social Protection Strategy" in school
    assert "an interpretation" in school and "Illustrative — not official statistics" in school
    assert all("A commitment: no status" in r.text for r in commitments)
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
    school = page.duo.find_element("#commitment-row-nsps_school_meals_poor_districts")
    assert _("A commitment: no status") in school.text and "ຍຸດທະສາດ" in school.text
    headers = [th.text for th in page.duo.find_elements("#progress-table thead th")]
    assert headers[0] == _("Goal")
    note = page.duo.find_element("#status-map-none").text
    assert note == _(
        "No indicator with a published target has real province values yet, so no province "
        "status map is drawn. Illustrative series get no status."
    )
