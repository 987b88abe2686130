"""Every page renders in a real browser without console errors, and fetches nothing external;
pages speak the language of their URL, links keep it, and an address that is no page is a real
404 in the reader's language."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
import requests

from dashboard.i18n import translator

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
#: The first heading (an English msgid) of the pages this test file owns.
HEADINGS = {
    "/": "National Social Protection Strategy — progress dashboard",
    "/challenges": "Challenges",
    "/data": "Data and sources",
    "/progress": "Progress against published targets",
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
        if path.startswith("/goal/"):  # the geometry of the level the page opens on
            level = page.map_meta()["level"]
            assert any(u.endswith(f"/geo/{level}.geojson") for u in urls), urls
        if others := [u for u in urls if not u.startswith(page.url + "/")]:
            external[path] = others
    assert errors == {}, "browser console errors (SEVERE)"
    assert external == {}, "requests to hosts other than the dashboard"


@pytest.mark.browser
@pytest.mark.parametrize("lang", ["lo", "en"])
def test_pages_show_headings_in_the_url_language_and_links_keep_it(page, lang):
    _ = translator(lang)
    for path, heading in HEADINGS.items():
        page.open(f"{path}?lang={lang}", PAGES[path])
        page.wait_idle()
        assert page.driver.find_element("tag name", "html").get_attribute("lang") == lang
        assert page.duo.find_element("#main h1").text == _(heading), path
        links = [a.get_attribute("href") for a in page.duo.find_elements("#main a[href]")]
        inside = [
            urlsplit(link)
            for link in links
            if link.startswith(page.url)
            and not urlsplit(link).path.startswith(
                ("/download/", "/api/", "/embed/", "/image/", "/geo/")
            )
        ]
        for link in inside:
            assert parse_qs(link.query).get("lang") == [lang], (path, link.geturl())


@pytest.mark.browser
def test_overview_goal_link_keeps_lao_on_the_goal_page(page):
    page.open("/?lang=lo", PAGES["/"])
    page.duo.find_element("#goal-card-2 h2 a").click()
    page.wait_until(lambda: urlsplit(page.driver.current_url).path == "/goal/2", "goal 2 opened")
    assert parse_qs(urlsplit(page.driver.current_url).query)["lang"] == ["lo"]
    page.duo.wait_for_element("#map-graph .choroplethlocation")
    assert page.driver.find_element("tag name", "html").get_attribute("lang") == "lo"


@pytest.mark.browser
@pytest.mark.parametrize("path", ["/nope", "/goal/9"])
def test_unknown_path_is_a_404_page_in_the_readers_language(page, path):
    for lang in ("lo", "en"):
        _ = translator(lang)
        response = requests.get(f"{page.url}{path}?lang={lang}", timeout=10)
        assert response.status_code == 404
        page.open(f"{path}?lang={lang}", "h1")
        assert page.driver.find_element("tag name", "html").get_attribute("lang") == lang
        assert page.duo.find_element("h1").text == _("Page not found")
        home = page.driver.find_element("link text", _("NSPS dashboard home"))
        assert home.get_attribute("href") == f"{page.url}/?lang={lang}"
    home.click()
    page.duo.wait_for_element(PAGES["/"])
