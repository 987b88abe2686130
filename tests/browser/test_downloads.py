"""Each CSV download holds exactly what its chart shows, as UTF-8 with a BOM, badges included."""

from __future__ import annotations

import re
from collections import defaultdict

import pytest
from browser_support import (
    ILLUSTRATIVE_BADGE,
    RELEASE_DIR,
    UTF8_BOM,
    VALUES,
    map_values,
    needs_boundaries,
    read_csv_text,
    release_csv,
)

FULL_COLUMNS = ("indicator_id", "area_code", "year", "value", "unit", "nature", "source_id")


def _fetch_csv(page, selector: str) -> tuple[str, list[dict[str, str]]]:
    href = page.href(selector)
    response = page.fetch(href)
    assert response.headers["Content-Type"].startswith("text/csv")
    assert response.content.startswith(UTF8_BOM), "CSV must start with a UTF-8 BOM (Excel, Lao)"
    return href, read_csv_text(response.content)


def _assert_badges(rows: list[dict[str, str]]) -> None:
    for row in rows:
        expected = ILLUSTRATIVE_BADGE if row["nature"] == "illustrative" else ""
        assert row["badge"] == expected, row


@pytest.mark.browser
@needs_boundaries
def test_map_csv_download_matches_view(page):
    indicator = "ILL_HEALTH_COVERAGE"
    page.open_goal(f"/goal/1?indicator={indicator}&year=2019")
    page.duo.find_element("label[for='_dbcprivate_radioitems_map-level_input_district']").click()
    page.wait_until(lambda: "level=district" in page.href("#map-download"), "district CSV link")
    page.wait_until(lambda: page.map_meta().get("level") == "district", "district map")
    page.wait_idle()

    href, rows = _fetch_csv(page, "#map-download")
    assert re.search(r"indicator=ILL_HEALTH_COVERAGE&level=district&year=2019$", href), href
    trace = page.figure("map-graph")["data"][VALUES]
    shown = map_values(trace)
    downloaded = {row["area_code"]: float(row["value"]) for row in rows}
    assert len(rows) == len(downloaded) == len(shown) == 148
    assert downloaded == pytest.approx(shown, rel=1e-9)
    assert {(r["indicator_id"], r["area_level"], r["year"]) for r in rows} == {
        (indicator, "district", "2019")
    }
    assert {r["nature"] for r in rows} == {"illustrative"}
    _assert_badges(rows)


@pytest.mark.browser
def test_series_csv_download_matches_chart_points(page):
    indicator = "ILL_HEALTH_COVERAGE"
    page.open(f"/goal/1?series={indicator}", "#series-graph .scatterlayer")
    page.wait_idle()
    areas = page.duo.find_element("#series-areas")
    page.driver.execute_script(
        "arguments[0].scrollIntoView({block: 'center', behavior: 'instant'});", areas
    )
    page.duo.select_dcc_dropdown(areas, index=0)
    page.wait_until(lambda: "areas=LA" in page.href("#series-download"), "areas in the CSV link")
    page.wait_idle()

    href, downloaded = _fetch_csv(page, "#series-download")
    area = re.search(r"areas=(LA\d+)", href).group(1)
    figure = page.figure("series-graph")
    # the targets the chart draws are rows too, labelled as targets with setter and document
    targets = [r for r in downloaded if r["row_type"] == "target"]
    drawn = [t for t in figure["data"] if t.get("meta") == "target"]
    assert [(int(r["year"]), float(r["value"])) for r in targets] == [
        (t["x"][0], t["y"][0]) for t in drawn
    ]
    assert len(targets) == 1
    assert targets[0]["nature"] == "target" and targets[0]["source_id"] == "nsps_2020"
    assert targets[0]["note"].startswith("Commitment of the National Social Protection Strategy")
    rows = [r for r in downloaded if r["row_type"] == "observation"]
    assert len(rows) + len(targets) == len(downloaded)
    # Observed series carry per-point source and nature; target and path-to-target lines do not.
    traces = [t for t in figure["data"] if t.get("customdata")]
    assert len(traces) == 2, [t["name"] for t in traces]  # national + the chosen province
    assert figure["layout"]["meta"]["points"] == len(rows)

    by_area: dict[str, list[tuple[int, float]]] = defaultdict(list)
    for row in rows:
        by_area[row["area_name"]].append((int(row["year"]), float(row["value"])))
    assert {row["area_code"] for row in rows} == {"LA", area}
    for trace in traces:
        name = trace["name"].replace("<br>", " ")
        owners = [a for a in by_area if name.startswith(a)]
        assert len(owners) == 1, (name, list(by_area))
        points = sorted(zip(trace["x"], trace["y"], strict=True))
        assert points == pytest.approx(sorted(by_area[owners[0]]), rel=1e-9), name
    _assert_badges(rows)
    assert any(row["badge"] == ILLUSTRATIVE_BADGE for row in rows)


@pytest.mark.browser
def test_full_csv_download_has_every_observation(nsps_app):
    response = nsps_app.server.test_client().get("/download/nsps-data.csv")
    assert response.status_code == 200
    assert response.data.startswith(UTF8_BOM)
    rows = read_csv_text(response.data)
    assert set(FULL_COLUMNS) <= set(rows[0])

    published = [
        row
        for path in sorted(RELEASE_DIR.glob("observations*.csv"))
        for row in release_csv(path.name)
        if any(value.strip() for value in row.values())
    ]
    assert len(rows) == len(published)

    def key(row: dict[str, str]) -> tuple[str, ...]:
        year = row["year"].removesuffix(".0")
        return (row["indicator_id"], row["area_code"], year, row["sex"], row["urban_rural"])

    assert sorted(map(key, rows)) == sorted(map(key, published))
    by_key = {key(r): r for r in rows}
    for row in published:
        downloaded = by_key[key(row)]
        assert float(downloaded["value"]) == pytest.approx(float(row["value"]), rel=1e-9)
        assert (downloaded["nature"], downloaded["source_id"]) == (row["nature"], row["source_id"])
    _assert_badges(rows)
