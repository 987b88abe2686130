"""Text from data files is inert: markup in indicator names, notes and source titles shows as
text and never runs; spreadsheet formulas in them are neutralised in every download.

Each test serves a COPY of the shipped release with hostile text written into it.
"""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

import pandas as pd
import pytest
from bs4 import BeautifulSoup

from dashboard.publish import write_manifest
from tests.conftest import SHIPPED_RELEASE
from tests.security.conftest import production_env

# Each payload would set window.__xss if the browser ran it.
SCRIPT = "<script>window.__xss=1</script>"
IMG = '<img src=x onerror="window.__xss=1">'
SVG = "<svg onload=window.__xss=1></svg>"
FORMULA = '=HYPERLINK("http://attacker.example/","click")'
MAPPED = "ILL_HEALTH_COVERAGE"  # goal 1's default map indicator
MAPPED_SOURCE = "nsps_dashboard_illustrative"


def _edit_csv(path: Path, edit) -> None:
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    edit(frame)
    frame.to_csv(path, index=False, encoding="utf-8")


def hostile_release(root: Path) -> Path:
    """The shipped release, with payloads in names, definitions, notes and source titles."""
    release = root / SHIPPED_RELEASE.name
    shutil.copytree(SHIPPED_RELEASE, release)

    def indicators(frame: pd.DataFrame) -> None:
        row = frame["indicator_id"] == MAPPED
        frame.loc[row, "name_en"] = f"Coverage {SCRIPT} {IMG}"
        frame.loc[row, "definition_en"] = f"Definition {SVG} {FORMULA}"

    def observations(frame: pd.DataFrame) -> None:
        frame.loc[frame["indicator_id"] == MAPPED, "note"] = f"{FORMULA} {IMG}"

    def sources(frame: pd.DataFrame) -> None:
        row = frame["source_id"] == MAPPED_SOURCE
        frame.loc[row, "title"] = f"@SUM(1+1) {SCRIPT}"
        frame.loc[row, "publisher"] = f"-2+3 {IMG}"

    _edit_csv(release / "indicators-illustrative.csv", indicators)
    _edit_csv(release / "observations-illustrative.csv", observations)
    _edit_csv(release / "sources-illustrative.csv", sources)
    for snapshot in release.glob("snapshot-*"):  # the edited tables are what is served
        snapshot.unlink()
    write_manifest(release)  # published as is: the checks concern the files, not their text
    return release


@pytest.fixture(scope="module")
def hostile_app(tmp_path_factory):
    from app import create_app
    from dashboard.config import Settings

    root = tmp_path_factory.mktemp("releases")
    hostile_release(root)
    env = production_env(NSPS_DATA_DIR=str(root), NSPS_RELEASE=SHIPPED_RELEASE.name)
    return create_app(Settings.from_env(env))


def _rows(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def test_hostile_release_is_the_one_served(hostile_app):
    store = hostile_app.server.config["NSPS_STORE"]
    assert SCRIPT in store.dataset.indicator(MAPPED)["name_en"]


@pytest.mark.parametrize(
    "url",
    [
        f"/download/map.csv?indicator={MAPPED}&level=province",
        f"/download/series.csv?indicator={MAPPED}&areas=LA01,LA13",
        "/download/nsps-data.csv",
    ],
)
def test_download_routes_neutralise_formulas_from_data_files(hostile_app, url):
    response = hostile_app.server.test_client().get(url)
    assert response.status_code == 200
    rows = [r for r in _rows(response.data) if r.get("indicator_id") == MAPPED]
    assert rows, f"{url} has no rows of {MAPPED}"
    cells = [v for r in rows for v in r.values() if v]
    assert not [c for c in cells if c[0] in "=+@" or (c[0] == "-" and not _is_number(c))], url
    assert any(c.startswith("'=HYPERLINK(") for c in cells), "the note is kept, made inert"
    assert any(c.startswith("'@SUM(1+1)") for c in cells), "the source title is kept, inert"
    assert any(c.startswith("'-2+3") for c in cells), "the publisher is kept, inert"


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def test_download_keeps_negative_numbers_as_numbers(hostile_app):
    """Neutralising '-' must not turn a negative value into text."""
    response = hostile_app.server.test_client().get("/download/nsps-data.csv")
    values = [r["value"] for r in _rows(response.data)]
    assert values and all(_is_number(v) for v in values if v)
    assert not [v for v in values if v.startswith("'")]


def test_lite_goal_page_shows_markup_from_data_files_as_text(hostile_app):
    """The lite page (no browser needed: it runs no script) places the hostile indicator name,
    source title and publisher as text; none of them becomes an element or attribute."""
    url = f"/lite/goal/1?indicator={MAPPED}&level=province&lang=en"
    response = hostile_app.server.test_client().get(url)
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<script" not in body.lower()
    soup = BeautifulSoup(body, "html.parser")
    assert not soup.find_all("svg") and not soup.find_all(attrs={"onerror": True})
    assert [img.get("src") for img in soup.find_all("img") if img.get("src") == "x"] == []
    main = soup.find("main")
    assert SCRIPT in main.find("h2").get_text() and IMG in main.find("h2").get_text()
    assert SCRIPT in main.find("option", selected=True, value=MAPPED).get_text()
    sources = main.find(id="map-source-1").get_text()
    assert SCRIPT in sources and IMG in sources  # its title and publisher


@pytest.mark.browser
def test_markup_in_data_files_shows_as_text_and_never_runs(dash_duo, hostile_app):
    dash_duo.start_server(hostile_app)
    base = dash_duo.server_url.rstrip("/")
    driver = dash_duo.driver
    pages = {
        f"/goal/1?indicator={MAPPED}": "#map-graph .choroplethlocation",
        f"/goal/1?series={MAPPED}": "#series-graph .main-svg",
        "/data": "#sources-table",
        "/": "#goal-card-3",
    }
    shown = []
    for path, marker in pages.items():
        driver.get(base + path)
        dash_duo.wait_for_element(marker, timeout=20)
        dash_duo.wait_for_no_elements('[data-dash-is-loading="true"]', timeout=15)
        for opener in ("#map-table-toggle",):
            if path.startswith("/goal/1?indicator") and dash_duo.find_elements(opener):
                dash_duo.find_element(opener).click()
        assert driver.execute_script("return typeof window.__xss") == "undefined", path
        text = driver.execute_script("return document.body.innerText")
        shown += [p for p in (SCRIPT, IMG, SVG) if p in text]
        injected = driver.execute_script(
            "return document.querySelectorAll("
            "'#react-entry-point img[src=\"x\"], #react-entry-point svg[onload]').length"
        )
        assert injected == 0, f"{path}: payload became markup"
    assert SCRIPT in shown and IMG in shown, "payloads must show literally as text"
    assert driver.execute_script("return typeof window.__xss") == "undefined"
