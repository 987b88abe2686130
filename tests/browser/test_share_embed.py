"""Journalists and officials: a shared URL reopens the same view, the share dialog gives a link
and iframe snippets, and an embed shows one chart without chrome, with its attribution."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from browser_support import VALUES, map_values, release_csv
from selenium.webdriver.common.action_chains import ActionChains
from shipped import SHIPPED_ID

SHARED = (
    "/goal/1?indicator=ILL_HEALTH_COVERAGE&level=province&year=2018"
    "&series=ILL_HEALTH_COVERAGE&areas=LA01,LA05&lang=lo"
)


def _query(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query)


def _map_values(page) -> dict[str, float]:
    trace = page.figure("map-graph")["data"][VALUES]
    return map_values(trace)


def _csv_values(indicator_id: str, year: int) -> dict[str, float]:
    return {
        r["area_code"]: float(r["value"])
        for r in release_csv("observations-illustrative.csv")
        if r["indicator_id"] == indicator_id
        and r["year"] == str(year)
        and len(r["area_code"]) == 4
        and (r["sex"], r["urban_rural"]) == ("total", "total")
    }


def _controls(page) -> dict:
    """What the reader sees in the controls and the charts."""
    series = page.figure("series-graph")
    return {
        "indicator": page.map_meta().get("indicator_id"),
        "level": page.map_meta().get("level"),
        "year": page.duo.find_element("#map-year [role='slider']").get_attribute("aria-valuenow"),
        "areas": sorted(  # textContent: the Chart tab may be hidden behind the Map tab
            e.get_attribute("textContent")
            for e in page.duo.find_elements("#series-areas .dash-dropdown-value-item")
        )
        or page.duo.find_element("#series-areas").get_attribute("textContent"),
        "series_traces": sorted(t["name"] for t in series["data"]) if series else None,
    }


def _click(page, selector: str) -> None:
    """Scroll the button into view and press it (a Loading overlay may sit over it briefly)."""
    element = page.duo.find_element(selector)
    page.driver.execute_script(
        "arguments[0].scrollIntoView({block: 'center'}); arguments[0].click();", element
    )


def _open_and_settle(page, path: str) -> None:
    page.open_goal(path)
    page.duo.wait_for_element("#series-graph .main-svg")
    page.wait_idle()


@pytest.mark.browser
def test_shared_url_reopens_same_controls_and_values(page):
    _open_and_settle(page, SHARED)
    first = _controls(page)
    assert (first["indicator"], first["level"], first["year"]) == (
        "ILL_HEALTH_COVERAGE",
        "province",
        "2018",
    )
    assert _map_values(page) == _csv_values("ILL_HEALTH_COVERAGE", 2018)
    names = " ".join(first["series_traces"])
    assert "Luang Namtha" in names or "LA01" in names or len(first["series_traces"]) >= 4
    query = _query(page.driver.current_url)
    assert query["areas"] == ["LA01,LA05"] and query["lang"] == ["lo"]  # unknown key kept

    # a control change rewrites the URL in place: no reload, no new history entry
    page.driver.execute_script(
        "window.__sameDocument = true; document.getElementById('map-graph').__kept = true;"
    )
    history = page.driver.execute_script("return history.length;")
    mark = [m for m in page.duo.find_elements("#map-year .dash-slider-mark") if m.text == "2019"]
    ActionChains(page.driver).move_to_element(mark[0]).click().perform()
    page.wait_until(lambda: _query(page.driver.current_url).get("year") == ["2019"], "year=2019")
    assert page.driver.execute_script("return window.__sameDocument === true;")
    # …and Dash Pages did not re-render the page (the graph element is the same one)
    assert page.driver.execute_script("return document.getElementById('map-graph').__kept;")
    assert page.driver.execute_script("return history.length;") == history
    assert "2019" in page.driver.title
    changed_url = page.driver.current_url
    changed = _controls(page)
    values_2019 = _map_values(page)
    assert values_2019 == _csv_values("ILL_HEALTH_COVERAGE", 2019)

    # the rewritten URL, opened afresh, restores exactly that view
    page.driver.get("about:blank")
    _open_and_settle(page, changed_url.removeprefix(page.url))
    assert _controls(page) == changed
    assert _map_values(page) == values_2019
    assert page.duo.get_logs() == []


@pytest.mark.browser
def test_invalid_query_parameters_give_notices_not_errors(page):
    _open_and_settle(page, "/goal/2?indicator=BOGUS&level=moon&year=abc&series=NOPE&areas=XX9")
    map_notices = page.duo.find_element("#map-notices").text
    assert "'BOGUS' has no map" in map_notices and "Unknown map level 'moon'" in map_notices
    assert "No province data for abc" in map_notices
    page.show_tab("chart")
    series_notices = page.duo.find_element("#series-notices").text
    assert "'NOPE' has no trend" in series_notices and "'XX9' ignored" in series_notices
    # the address bar now names the view actually shown
    query = _query(page.driver.current_url)
    assert query["indicator"] == [page.map_meta()["indicator_id"]] and query["level"] == [
        "province"
    ]
    assert "areas" not in query
    assert page.duo.get_logs() == []

    embed = requests.get(page.url + "/embed/map?goal=7&level=moon&year=abc&lang=en", timeout=10)
    assert embed.status_code == 200
    assert "Unknown goal &#39;7&#39;" in embed.text and "Unknown map level" in embed.text
    missing = requests.get(page.url + "/embed/series?release=1999-01-01&lang=en", timeout=10)
    assert missing.status_code == 404
    assert "no published data release" in missing.text and "Traceback" not in missing.text


@pytest.mark.browser
def test_share_dialog_link_and_embed_renders_without_chrome(page):
    _open_and_settle(page, "/goal/1?indicator=ILL_HEALTH_COVERAGE&year=2020")
    dashboard_values = _map_values(page)
    _click(page, "#share-map-open")
    page.duo.wait_for_element("#share-map-modal #share-map-embed")
    link = page.wait_until(
        lambda: page.duo.find_element("#share-map-link").get_attribute("value"), "share link"
    )
    assert link == page.driver.current_url and link.startswith(page.url + "/goal/1?")
    # the page's language (negotiated from the browser here) is named in every shared address
    lang = page.driver.execute_script("return document.documentElement.lang;")
    assert lang in ("lo", "en") and _query(link)["lang"] == [lang]
    snippet = page.duo.find_element("#share-map-embed").get_attribute("value")
    pinned = page.duo.find_element("#share-map-embed-pinned").get_attribute("value")
    assert snippet.startswith('<iframe src="' + page.url + "/embed/map?") and "</iframe>" in snippet
    src = snippet.split('src="', 1)[1].split('"', 1)[0].replace("&amp;", "&")
    pinned_src = pinned.split('src="', 1)[1].split('"', 1)[0].replace("&amp;", "&")
    assert _query(src) == {
        "goal": ["1"],
        "indicator": ["ILL_HEALTH_COVERAGE"],
        "level": ["province"],
        "year": ["2020"],
        "lang": [lang],
    }
    assert _query(pinned_src) == {**_query(src), "release": [SHIPPED_ID]}
    assert page.duo.find_elements("#share-map-modal .dash-clipboard, #share-map-modal [title=Copy]")

    # the embed: one chart filling its frame, no site chrome, with its provenance
    page.driver.get(pinned_src)
    page.duo.wait_for_element("#embed-chart[data-rendered='true']", timeout=20)
    assert page.duo.find_elements(".navbar, nav, #main") == []
    footer = page.duo.find_element(".embed-attribution").get_attribute("textContent")
    assert f"Data release {SHIPPED_ID}, pinned" in footer
    assert "HDX COD-AB" in footer and "Source:" in footer
    # the badge sits beside the HTML title, which wraps rather than being cut
    title = page.duo.find_element(".embed-title").text
    assert "Illustrative — not official statistics" in title
    full_view = page.duo.find_element("a.embed-full-view").get_attribute("href")
    assert urlsplit(full_view).path == "/goal/1"
    assert _query(full_view)["year"] == ["2020"]
    drawn = page.driver.execute_script(
        "const gd = document.getElementById('embed-chart');"
        "return {cd: gd.data[1].customdata, loc: gd.data[1].locations, h: gd.offsetHeight,"
        " w: gd.offsetWidth, vh: window.innerHeight, vw: window.innerWidth};"
    )
    assert map_values({"locations": drawn["loc"], "customdata": drawn["cd"]}) == dashboard_values
    assert drawn["w"] == drawn["vw"] and drawn["h"] > 0.7 * drawn["vh"]
    assert page.duo.get_logs() == []


@pytest.mark.browser
def test_series_embed_draws_the_target_but_no_path_across_a_series_break(page):
    page.duo.reset_log_timestamp()  # only this page's console, not the start page's
    page.open("/embed/series?goal=1&indicator=SHP_COVERAGE&areas=LA01", "#embed-chart")
    page.duo.wait_for_element("#embed-chart[data-rendered='true']", timeout=20)
    traces = page.driver.execute_script(
        "return document.getElementById('embed-chart').data.map(t => [t.name, t.meta || '']);"
    )
    metas = [meta for _name, meta in traces]
    # the 2020 target is reached; the values since 2015 come from four publishers: no path
    assert "target" in metas and "trajectory" not in metas
    footer = page.duo.find_element(".embed-attribution").text
    assert "Data release" in footer and "the latest" in footer
    assert page.duo.get_logs() == []
