"""Journeys of journalists and partners: the release zip from the Data page, the API against the
CSV download of the same view, a briefing image of that view, and clear errors for bad queries."""

from __future__ import annotations

import io
import zipfile
from urllib.parse import urlsplit

import pytest
import requests
from browser_support import UTF8_BOM, read_csv_text


@pytest.mark.browser
def test_journey_data_page_zip_holds_what_its_readme_promises(page):
    """From the Data page in Lao: the file name stays as it is, marked as not Lao."""
    page.open("/data?lang=lo", "a.release-zip")
    link = page.duo.find_element("a.release-zip")
    release = link.get_attribute("data-release")
    assert link.text == f"nsps-{release}.zip"
    assert link.find_element("css selector", "[lang=en]").text == link.text
    archive = zipfile.ZipFile(io.BytesIO(page.fetch(link.get_attribute("href")).content))
    names = {name.split("/", 1)[1] for name in archive.namelist()}
    readme = archive.read(f"nsps-{release}/README.txt").decode("utf-8")
    listed = {
        line.split()[0] for line in readme.split("Files\n-----\n")[1].split("\n\n")[0].splitlines()
    }
    assert listed == names
    observations = archive.read(f"nsps-{release}/observations.csv")
    assert observations.startswith(UTF8_BOM)
    rows = read_csv_text(observations)
    for column in rows[0]:
        assert f"{column}: " in readme
    for nature in {row["nature"] for row in rows}:
        assert f"{nature} (" in readme
    assert release in archive.read(f"nsps-{release}/CITATION.txt").decode("utf-8")


@pytest.mark.browser
def test_journey_api_answers_equal_the_map_csv_download(page):
    page.open_goal("/goal/1")
    download = page.href("#map-download")
    query = urlsplit(download).query
    csv_file = page.fetch(download).content
    api_csv = page.fetch(f"/api/v1/observations?{query}&format=csv").content
    assert api_csv == csv_file
    rows = read_csv_text(csv_file)
    answer = page.fetch(f"/api/v1/observations?{query}").json()
    assert answer["count"] == len(rows) > 0
    for record, row in zip(answer["observations"], rows, strict=True):
        assert {k: ("" if v is None else str(v)) for k, v in record.items() if k != "value"} == {
            k: v for k, v in row.items() if k != "value"
        }
        assert record["value"] == pytest.approx(float(row["value"]), rel=1e-9)


@pytest.mark.browser
def test_journey_briefing_image_of_the_map_is_a_non_blank_png(page):
    PIL = pytest.importorskip("PIL.Image")
    page.open_goal("/goal/1")
    query = urlsplit(page.href("#map-download")).query
    # the first image of a process starts Chromium for kaleido: allow more than page.fetch does
    response = requests.get(f"{page.url}/image/map.png?goal=1&{query}&size=slide", timeout=90)
    assert response.status_code == 200 and response.headers["Content-Type"] == "image/png"
    image = PIL.open(io.BytesIO(response.content)).convert("L")
    assert image.size == (1600, 900)
    low, high = image.getextrema()
    assert high - low > 100


INVALID_QUERIES = (
    "indicator=NOPE",
    "level=moon",
    "year=twenty",
    "area=LA99",
    "bogus=1",
    "format=xml",
)


@pytest.mark.browser
def test_journey_invalid_api_query_gives_400_json_not_500(page):
    for query in INVALID_QUERIES:
        response = requests.get(f"{page.url}/api/v1/observations?{query}", timeout=10)
        assert response.status_code == 400, query
        assert response.headers["Content-Type"].startswith("application/json"), query
        assert response.json()["error"]["message"], query
    page.open(f"/api/v1/observations?{INVALID_QUERIES[0]}")
    shown = page.driver.find_element("tag name", "body").text
    assert "Unknown indicator(s) NOPE" in shown
