"""Browser-test setup: the real app (``app.create_app``) served by dash[testing]'s ``dash_duo``.

Boundary files are looked up like ``scripts/test`` does: ``NSPS_GEO_DIR`` or, when unset,
``../shared/geo`` beside the repository. Tests that need real district shapes skip without them.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import requests
from browser_support import SETTLED_JS, SITE_PAGES, with_query  # sets NSPS_GEO_DIR first
from dash.testing.application_runners import ThreadedRunner
from dash.testing.composite import DashComposite
from selenium.webdriver.chrome.options import Options


def pytest_setup_options():
    """Chromium in a container: no sandbox, no /dev/shm limits, a desktop-sized window.

    Reduced motion turns off Bootstrap's smooth scrolling, which otherwise leaves an element
    still scrolling towards the viewport when Selenium clicks it ("element click intercepted").
    """
    options = Options()
    for arg in (
        "--no-sandbox",
        "--disable-dev-shm-usage",
        "--window-size=1280,1024",
        "--force-prefers-reduced-motion",
    ):
        options.add_argument(arg)
    return options


# JS run in the page. The graph div of dcc.Graph holds the figure plotly drew, after every Patch.
_FIGURE_JS = """
const host = document.getElementById(arguments[0]);
const gd = host && host.querySelector('.js-plotly-plot');
if (!gd || !gd.data || !gd.layout) { return null; }
return JSON.parse(JSON.stringify({data: gd.data, layout: gd.layout}));
"""
# plotly.js draws each choropleth trace on geo as one `g.trace` (in trace order) inside
# `.choroplethlayer`, with one `path.choroplethlocation` per drawn area.
_SHAPES_JS = """
const layer = document.querySelector('#map-graph .choroplethlayer');
if (!layer) { return null; }
return Array.from(layer.querySelectorAll(':scope > g.trace'))
  .map(g => g.querySelectorAll('path.choroplethlocation').length);
"""
_RESOURCES_JS = "return performance.getEntriesByType('resource').map(e => e.name);"
# Record the bodies of Dash callback responses (dash-renderer calls the global fetch).
_RECORD_UPDATES_JS = """
if (!window.__nspsUpdates) {
  window.__nspsUpdates = [];
  const original = window.fetch;
  window.fetch = function (...args) {
    const url = String((args[0] && args[0].url) || args[0]);
    return original.apply(this, args).then(resp => {
      if (url.includes('_dash-update-component')) {
        resp.clone().text().then(body => window.__nspsUpdates.push(body));
      }
      return resp;
    });
  };
}
"""


class Page:
    """The running dashboard in the browser: navigation and reads of what plotly drew."""

    def __init__(self, dash_duo):
        self.duo = dash_duo
        self.driver = dash_duo.driver
        self.url = dash_duo.server_url.rstrip("/")

    def open(self, path: str, wait_for: str | None = None, timeout: float = 20) -> None:
        self.driver.get(self.url + path)
        if wait_for:
            self.duo.wait_for_element(wait_for, timeout=timeout)

    def open_goal(self, path: str) -> None:
        """Open a goal page on its Map tab (the page may open on its Chart tab)."""
        self.open(path, "#map-graph .choroplethlocation")
        self.show_tab("map")
        self.wait_until(lambda: self.shape_counts() is not None, "map traces drawn")

    def show_tab(self, key: str, frame: str = "goal") -> None:
        """Click a chart frame's tab (map, chart, table, sources, download) as a reader does,
        and wait until its panel shows."""
        button = self.duo.find_element(f"#{frame}-frame [data-frame-tab='{frame}-panel-{key}']")
        if button.get_attribute("aria-selected") != "true":
            button.click()
        self.wait_until(
            lambda: self.duo.find_element(f"#{frame}-panel-{key}").is_displayed(),
            f"the {key} tab shown",
        )

    def open_settled(self, path: str, lang: str, timeout: float = 45) -> None:
        """Open a page of `SITE_PAGES` in `lang` and wait until it is drawn and still.

        Still = `SETTLED_JS` holds on two polls in a row, so a chart redrawn by a late callback
        is not caught half-way.
        """
        self.driver.get(self.url + with_query(path, lang=lang))
        self.duo.wait_for_element(SITE_PAGES[path], timeout=timeout)
        self.wait_until(
            lambda: self.driver.execute_script(SETTLED_JS), f"{path} settled", timeout=timeout
        )
        time.sleep(0.3)
        self.wait_until(
            lambda: self.driver.execute_script(SETTLED_JS), f"{path} still", timeout=timeout
        )

    def set_viewport(self, width: int, height: int) -> None:
        """Emulate a screen of `width` × `height` CSS pixels (a phone below 768: mobile mode,
        so the page's viewport meta tag applies as on a real phone)."""
        self.driver.execute_cdp_cmd(
            "Emulation.setDeviceMetricsOverride",
            {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 768},
        )

    def wait_idle(self, timeout: float = 15) -> None:
        """Until no component is waiting for a callback (dash-renderer marks those)."""
        self.duo.wait_for_no_elements('[data-dash-is-loading="true"]', timeout=timeout)

    def console_errors(self) -> list[str]:
        """SEVERE browser log messages since the last `reset_log_timestamp` (Chrome only)."""
        return [entry["message"] for entry in self.duo.get_logs()]

    def figure(self, graph_id: str) -> dict[str, Any] | None:
        return self.driver.execute_script(_FIGURE_JS, graph_id)

    def map_meta(self) -> dict[str, Any]:
        fig = self.figure("map-graph")
        return (fig or {}).get("layout", {}).get("meta") or {}

    def shape_counts(self) -> list[int] | None:
        return self.driver.execute_script(_SHAPES_JS)

    def resources(self) -> list[str]:
        return self.driver.execute_script(_RESOURCES_JS)

    def record_updates(self) -> None:
        self.driver.execute_script(_RECORD_UPDATES_JS)

    def recorded_updates(self) -> list[str]:
        return self.driver.execute_script("return window.__nspsUpdates || [];")

    def href(self, selector: str) -> str:
        return self.duo.find_element(selector).get_attribute("href")

    def fetch(self, href: str) -> requests.Response:
        url = href if href.startswith("http") else self.url + href
        response = requests.get(url, timeout=10)
        response.raise_for_status()
        return response

    def wait_until(
        self, condition: Callable[[], Any], what: str, timeout: float = 15, poll: float = 0.1
    ) -> Any:
        """Poll `condition` until truthy; fail with `what` and the last value otherwise."""
        deadline = time.monotonic() + timeout
        last = None
        while time.monotonic() < deadline:
            try:
                last = condition()
            except Exception as error:  # page in the middle of a re-render
                last = error
            else:
                if last:
                    return last
            time.sleep(poll)
        pytest.fail(f"timed out after {timeout}s waiting for {what}; last value: {last!r}")


@pytest.fixture(scope="session")
def nsps_app():
    """The app built from the environment, exactly as production builds it.

    Built once per session (tests only read from it); each test still gets its own server
    thread and a fresh browser from `dash_duo`.
    """
    from app import create_app
    from dashboard.config import Settings

    return create_app(Settings.from_env())


@pytest.fixture
def page(dash_duo, nsps_app) -> Page:
    """`dash_duo` with the real app running, wrapped in the `Page` helpers."""
    dash_duo.start_server(nsps_app)
    return Page(dash_duo)


@pytest.fixture(scope="module")
def site(request, nsps_app, tmp_path_factory) -> Iterator[Page]:
    """One server and one browser for a whole test module that only reads pages.

    The page-by-page checks (axe, overflow, language) open dozens of pages; a fresh server and
    Chromium per test (`dash_duo`) would cost more than the checks themselves.
    """
    config = request.config
    with (
        ThreadedRunner() as server,
        DashComposite(
            server=server,
            browser=config.getoption("webdriver"),
            headless=config.getoption("headless"),
            options=config.hook.pytest_setup_options(),
            download_path=str(tmp_path_factory.mktemp("download")),
            percy_run=False,
        ) as duo,
    ):
        duo.start_server(nsps_app)
        yield Page(duo)
