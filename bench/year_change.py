"""A year change on the goal page's map, on a slow phone's CPU: repaint time and requests.

Usage (from the repository root): `python -m bench.year_change [--changes 12] [--rate 4]`.
Serves the app as deployed (`bench.run.serve`), opens a province and a district map in headless
Chromium with the CPU slowed `--rate` times (CDP `Emulation.setCPUThrottlingRate`), waits until
the map's view data is cached, then moves the year slider by keyboard, alternately right and
left. Repaint = from the key press to the first animation frame after plotly's `afterplot`.
Every request the page makes meanwhile is counted (resource timing, fetch, XMLHttpRequest).
Prints JSON; the target (issue 11) is under 100 ms with 0 requests.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.run import HOST, PHONE, _chromium, _env, serve

VIEWS = {
    "province": "/goal/1?indicator=ILL_HEALTH_COVERAGE&level=province&year=2020",
    "district": "/goal/1?indicator=ILL_HEALTH_COVERAGE&level=district&year=2020",
}

# Repaint probe and request counters, installed once the view data is cached.
PROBE = """
const gd = document.querySelector('#map-graph .js-plotly-plot');
window.__repaints = [];
window.__pressedAt = null;
document.addEventListener('keydown', () => { window.__pressedAt = performance.now(); }, true);
gd.on('plotly_afterplot', () => {
  const pressed = window.__pressedAt;
  if (pressed === null) { return; }
  window.__pressedAt = null;
  requestAnimationFrame(() => window.__repaints.push(performance.now() - pressed));
});
performance.setResourceTimingBufferSize(5000);
window.__resourcesBefore = performance.getEntriesByType('resource').length;
window.__calls = [];
const originalFetch = window.fetch;
window.fetch = function (...args) {
  window.__calls.push(String((args[0] && args[0].url) || args[0]));
  return originalFetch.apply(this, args);
};
const originalOpen = XMLHttpRequest.prototype.open;
XMLHttpRequest.prototype.open = function (method, url) {
  window.__calls.push(String(url));
  return originalOpen.apply(this, arguments);
};
"""
RESULT = """
return {
  repaints: window.__repaints,
  calls: window.__calls,
  resources: performance.getEntriesByType('resource').slice(window.__resourcesBefore)
    .map(e => e.name),
};
"""


def _wait(driver, script: str, what: str, limit_s: float = 120) -> Any:
    deadline = time.monotonic() + limit_s
    while time.monotonic() < deadline:
        value = driver.execute_script(script)
        if value:
            return value
        time.sleep(0.05)
    raise TimeoutError(what)


def measure(port: int, path: str, changes: int, rate: float) -> dict[str, Any]:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    profile = tempfile.mkdtemp(prefix="bench-chromium-")
    driver = _chromium(profile, "1280,900")
    try:
        driver.execute_cdp_cmd("Emulation.setCPUThrottlingRate", {"rate": rate})
        driver.get(f"http://{HOST}:{port}{path}")
        _wait(driver, "return document.querySelector('#map-graph .choroplethlocation')", "map")
        _wait(
            driver,
            "return performance.getEntriesByType('resource')"
            ".some(e => e.name.includes('/api/v1/views/map?'))",
            "view data",
        )
        time.sleep(2)  # the page settles (late callbacks, fonts)
        driver.execute_script(PROBE)
        handle = driver.find_element(By.CSS_SELECTOR, "#map-year [role='slider']")
        for i in range(changes):
            done = len(driver.execute_script("return window.__repaints"))
            handle.send_keys(Keys.ARROW_RIGHT if i % 2 == 0 else Keys.ARROW_LEFT)
            _wait(driver, f"return window.__repaints.length > {done}", "repaint", 30)
            time.sleep(0.3)
        result = driver.execute_script(RESULT)
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)
    repaints = result["repaints"]
    return {
        "path": path,
        "cpu_slowdown": rate,
        "changes": len(repaints),
        "repaint_ms_median": round(statistics.median(repaints), 1),
        "repaint_ms_max": round(max(repaints), 1),
        "repaint_ms": [round(r, 1) for r in repaints],
        "requests": len(result["resources"]) + len(result["calls"]),
        "request_urls": sorted(set(result["resources"]) | set(result["calls"])),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--changes", type=int, default=12)
    parser.add_argument(
        "--rate", type=float, default=PHONE["cpu_slowdown"], help="CPU slowdown factor"
    )
    args = parser.parse_args(argv)
    workdir = Path(tempfile.mkdtemp(prefix="bench-year-"))
    try:
        with serve("ours", _env(None), workdir) as server:
            results = {
                level: measure(server.port, path, args.changes, args.rate)
                for level, path in VIEWS.items()
            }
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    print(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
