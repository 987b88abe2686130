"""Every page renders in a real browser without console errors, and fetches nothing external."""

from __future__ import annotations

import pytest

# Each page with an element that only appears once that page has rendered.
PAGES = {
    "/": "#goal-card-3 .headline-card",
    "/goal/1": "#map-graph .choroplethlocation",
    "/goal/2": "#map-graph .choroplethlocation",
    "/goal/3": "#map-graph .choroplethlocation",
    "/challenges": "#challenge-C12",
    "/data": "#sources-table",
    "/progress": "#progress-table",
}


@pytest.mark.browser
def test_every_page_loads_without_console_errors_or_external_requests(page):
    """One browser visits each page afresh (a full load each time) and checks both."""
    errors, external = {}, {}
    for path, marker in PAGES.items():
        page.duo.reset_log_timestamp()
        page.open(path, marker)
        if path.startswith("/goal/"):
            page.wait_until(lambda: page.map_meta().get("areas_with_data"), f"{path} map values")
            page.duo.wait_for_element("#series-graph .main-svg, #budget-card")
        page.wait_idle()
        if logs := page.console_errors():
            errors[path] = logs
        urls = page.resources()
        assert urls, f"no resource timing entries on {path}"
        if path.startswith("/goal/"):
            assert any(u.endswith("/geo/province.geojson") for u in urls), urls
        if others := [u for u in urls if not u.startswith(page.url + "/")]:
            external[path] = others
    assert errors == {}, "browser console errors (SEVERE)"
    assert external == {}, "requests to hosts other than the dashboard"


@pytest.mark.browser
def test_unknown_goal_shows_notice_not_error(page):
    page.open("/goal/9", "#main .alert-warning")
    page.duo.wait_for_contains_text("#main .alert-warning", "There is no goal '9'")
    assert page.duo.find_elements("#map-graph") == []
    links = [a.get_attribute("href") for a in page.duo.find_elements("#main ul a")]
    assert [link.rsplit("/goal/", 1)[-1] for link in links] == ["1", "2", "3"]
    assert page.console_errors() == []
