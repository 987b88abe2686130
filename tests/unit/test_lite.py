"""Lite mode (`/lite/…`): server-rendered pages with no JavaScript, in Lao and English.

Through Flask's test client: every page answers 200 with no `<script>`, names its language,
shows the same rows as the map's CSV download, formats numbers for the reader's language,
badges illustrative values, answers bad parameters with a notice, and stays small.
"""

from __future__ import annotations

import csv
import gzip
import io
from functools import cache
from urllib.parse import parse_qs, quote, urlsplit

import pytest
from bs4 import BeautifulSoup
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from callbacks import lite, routes
from dashboard import progress
from dashboard.config import REPO_ROOT
from dashboard.downloads import DownloadLink
from dashboard.formatting import format_with_unit
from dashboard.publisher import Publisher
from dashboard.queries import ILLUSTRATIVE_BADGE
from geo import ATTRIBUTION
from layouts import lite as pages
from layouts.lite import FONT_URL
from tests.unit.api_server import make_server

#: A real (survey) province series of goal 1, one year; Attapeu published as 35.8\u00a0%.
SURVEY_VIEW = "/lite/goal/1?indicator=LSIS2_SKILLED_BIRTH_ATTENDANCE&level=province&year=2017"
ILLUSTRATIVE_VIEW = "/lite/goal/1?indicator=ILL_HEALTH_COVERAGE&level=province&year=2020"
PAGES = ("/lite/", "/lite/goal/1", "/lite/goal/2", "/lite/goal/3", "/lite/progress")
#: A page's HTML at most, and what a reader on a slow connection downloads (gzip) at most.
PAGE_BUDGET_BYTES = 30 * 1024
COMPRESSED_BUDGET_BYTES = 10 * 1024


@cache
def _server() -> Flask:
    """The lite and download routes over the unit tests' store (loaded once per session)."""
    _, store = make_server()
    server = Flask("nsps-lite-test")
    routes.register(server, store)
    lite.register(server, store)
    return server


@pytest.fixture
def client() -> FlaskClient:
    return _server().test_client()


def _page(client: FlaskClient, url: str) -> BeautifulSoup:
    response = client.get(url)
    assert response.status_code == 200, url
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


def _table(soup: BeautifulSoup, table_id: str) -> list[list[str]]:
    table = soup.find("table", id=table_id)
    assert table is not None, table_id
    return [[td.get_text(strip=True) for td in tr.find_all("td")] for tr in table.tbody("tr")]


def _with_lang(url: str, lang: str) -> str:
    return f"{url}{'&' if '?' in url else '?'}lang={lang}"


@pytest.mark.parametrize("lang", ["lo", "en"])
@pytest.mark.parametrize("path", PAGES)
def test_lite_pages_answer_in_their_language_without_any_script(
    client: FlaskClient, path: str, lang: str
) -> None:
    response = client.get(_with_lang(path, lang))
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert response.mimetype == "text/html"
    assert "<script" not in body.lower()
    assert f'<html lang="{lang}">' in body
    assert body.startswith("<!doctype html>")


def test_lite_language_comes_from_the_browser_without_lang_and_else_is_lao(
    client: FlaskClient,
) -> None:
    english = client.get("/lite/", headers={"Accept-Language": "en-GB,en;q=0.8"})
    assert '<html lang="en">' in english.get_data(as_text=True)
    assert '<html lang="lo">' in client.get("/lite/").get_data(as_text=True)
    assert english.headers["Vary"] == "Accept-Language"


def test_lite_goal_table_holds_exactly_the_rows_of_the_map_csv(client: FlaskClient) -> None:
    soup = _page(client, _with_lang(SURVEY_VIEW, "en"))
    shown = {row[0]: row[1] for row in _table(soup, "lite-values")}
    csv_link = soup.find("a", id="lite-csv")["href"]
    assert parse_qs(urlsplit(csv_link).query) == {
        "indicator": ["LSIS2_SKILLED_BIRTH_ATTENDANCE"],
        "level": ["province"],
        "year": ["2017"],
    }
    download = client.get(csv_link)
    assert download.status_code == 200
    rows = list(csv.DictReader(io.StringIO(download.get_data(as_text=True).lstrip("\ufeff"))))
    indicator = make_server()[1].dataset.indicator("LSIS2_SKILLED_BIRTH_ATTENDANCE")
    from_csv = {r["area_name"]: format_with_unit(float(r["value"]), indicator, "en") for r in rows}
    assert len(rows) == 18
    assert shown == from_csv
    assert shown["Attapeu"] == "35.8\u00a0%"


def test_lite_goal_table_is_sorted_by_area_name(client: FlaskClient) -> None:
    areas = [row[0] for row in _table(_page(client, _with_lang(SURVEY_VIEW, "en")), "lite-values")]
    assert areas == sorted(areas)
    assert areas[0] == "Attapeu"


def test_lite_lao_page_writes_numbers_the_lao_way(client: FlaskClient) -> None:
    soup = _page(client, _with_lang(SURVEY_VIEW, "lo"))
    values = [row[1] for row in _table(soup, "lite-values")]
    assert "35,8\u00a0%" in values
    assert not any("." in value for value in values)
    assert soup.find("option", selected=True, value="LSIS2_SKILLED_BIRTH_ATTENDANCE")


def test_lite_illustrative_values_carry_the_badge(client: FlaskClient) -> None:
    soup = _page(client, _with_lang(ILLUSTRATIVE_VIEW, "en"))
    natures = {row[3] for row in _table(soup, "lite-values")}
    assert natures == {ILLUSTRATIVE_BADGE}
    assert soup.find("main").find(class_="badge").get_text() == ILLUSTRATIVE_BADGE


def test_lite_level_without_figures_shows_the_level_with_them_and_says_so(
    client: FlaskClient,
) -> None:
    """Never an empty "no data" view: a survey with province figures only, asked for by
    district, shows its provinces with a notice."""
    path = "/lite/goal/1?indicator=LSIS2_SKILLED_BIRTH_ATTENDANCE&level=district&lang=en"
    soup = _page(client, path)
    assert len(_table(soup, "lite-values")) == 18
    assert "This indicator has no district figures; showing provinces." in soup.get_text()
    assert soup.find("option", selected=True, value="province")


def test_lite_lao_font_is_self_hosted(client: FlaskClient) -> None:
    style = _page(client, "/lite/?lang=lo").find("style").get_text()
    for weight in (400, 700):
        url = FONT_URL.format(weight=weight)
        assert f"font-weight:{weight};src:url({url})" in style
        assert (REPO_ROOT / url.lstrip("/")).is_file(), url


def test_lite_official_values_carry_no_badge(client: FlaskClient) -> None:
    soup = _page(client, _with_lang(SURVEY_VIEW, "en"))
    assert {row[3] for row in _table(soup, "lite-values")} == {"Survey / census"}
    assert soup.find("table", id="lite-values").find(class_="badge") is None


def test_lite_lao_badge_is_in_lao(client: FlaskClient) -> None:
    soup = _page(client, _with_lang(ILLUSTRATIVE_VIEW, "lo"))
    assert "ຂໍ້ມູນສົມມຸດ" in soup.find("table", id="lite-values").find(class_="badge").get_text()


def test_lite_bad_parameters_fall_back_with_visible_notices(client: FlaskClient) -> None:
    response = client.get("/lite/goal/9?indicator=<script>x&level=moon&year=abc&lang=en")
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<script" not in body
    notices = BeautifulSoup(body, "html.parser").find_all(class_="notice")
    assert len(notices) == 4
    assert "Unknown goal '9'; showing goal 1." in notices[0].get_text()
    assert "<script>x" in notices[1].get_text()  # shown as text, escaped in the markup
    assert "<h1>Goal 1 — Health insurance</h1>" in body


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    goal=st.text(min_size=1, max_size=8).filter(lambda t: "/" not in t and t not in (".", "..")),
    values=st.dictionaries(
        st.sampled_from(["indicator", "level", "year", "lang", "other"]), st.text(max_size=20)
    ),
)
def test_lite_any_parameters_answer_a_page_never_an_error(
    client: FlaskClient, goal: str, values: dict[str, str]
) -> None:
    response = client.get(f"/lite/goal/{quote(goal, safe='')}", query_string=values)
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<script" not in body.lower()
    assert '<html lang="' in body


def test_lite_form_is_a_plain_get_form_with_every_control(client: FlaskClient) -> None:
    form = _page(client, _with_lang(SURVEY_VIEW, "lo")).find("form", id="lite-form")
    assert form["method"] == "get"
    assert form["action"] == "/lite/goal/1"
    assert {s["name"] for s in form("select")} == {"indicator", "level", "year"}
    assert form.find("input", type="hidden", attrs={"name": "lang"})["value"] == "lo"
    assert form.find("button", type="submit")


def test_lite_images_load_lazily_with_the_summary_as_alt(client: FlaskClient) -> None:
    soup = _page(client, _with_lang(SURVEY_VIEW, "lo"))
    image = soup.find("img", id="lite-map")
    summary = soup.find(id="lite-map-summary").get_text()
    assert summary
    assert image["alt"] == summary
    assert image["loading"] == "lazy"
    assert (image["width"], image["height"]) == ("360", "720")
    query = parse_qs(urlsplit(image["src"]).query)
    assert urlsplit(image["src"]).path == "/image/map.png"
    assert query["indicator"] == ["LSIS2_SKILLED_BIRTH_ATTENDANCE"]
    assert query["year"] == ["2017"]
    assert query["lang"] == ["lo"]
    trend = soup.find("img", id="lite-trend-image")
    assert trend["alt"] == soup.find(id="lite-trend-summary").get_text()
    assert trend["loading"] == "lazy"


def test_lite_trend_table_lists_the_national_series(client: FlaskClient) -> None:
    url = "/lite/goal/1?indicator=ILL_HEALTH_COVERAGE&lang=en"
    soup = _page(client, url)
    years = [row[0] for row in _table(soup, "lite-trend-ILL_HEALTH_COVERAGE")]
    assert years == [str(y) for y in range(2016, 2025)]


def test_lite_language_switch_reopens_the_same_view(client: FlaskClient) -> None:
    soup = _page(client, _with_lang(SURVEY_VIEW, "en"))
    switch = soup.find("a", id="language-switch-lo")
    assert switch["lang"] == "lo"
    assert parse_qs(urlsplit(switch["href"]).query) == {
        "indicator": ["LSIS2_SKILLED_BIRTH_ATTENDANCE"],
        "level": ["province"],
        "year": ["2017"],
        "lang": ["lo"],
    }


def test_lite_index_shows_every_goal_with_its_headline_values(client: FlaskClient) -> None:
    soup = _page(client, "/lite/?lang=lo")
    links = [h2.a["href"] for h2 in soup.find_all("h2") if h2.a]
    assert links == [f"/lite/goal/{g}?lang=lo" for g in ("1", "2", "3")]
    assert soup.find("p", class_="value")
    # both full downloads, in Lao, each with its illustrative count beside it
    official = soup.find("a", href="/download/nsps-data-official.csv?lang=lo")
    everything = soup.find("a", href="/download/nsps-data.csv?lang=lo")
    assert official and everything
    assert "6,160" in everything.parent.get_text() or "6.160" in everything.parent.get_text()
    assert "ຍຸດທະສາດ" in soup.find("h1").get_text()


def test_lite_progress_lists_every_targeted_indicator(client: FlaskClient) -> None:
    table = _page(client, "/lite/progress?lang=en").find("table", id="lite-progress")
    statuses = [strong.get_text() for strong in table.tbody("strong")]
    overview = progress.overview(make_server()[1].dataset)
    assert statuses == [progress.ALL_LABELS[s] for s in overview["status"]]
    text = table.get_text()
    assert "Target of the 8th Health Sector Development Plan" in text
    assert "Extending Social Health Protection in Lao PDR" in text  # its document
    assert "Only one year with a value since 2015; the method needs two." in text
    method = _page(client, "/lite/progress?lang=en").find("a", href=progress.METHOD_CITATION["url"])
    assert method.get_text() == progress.METHOD_CITATION["title"]


def test_lite_map_pages_name_their_boundaries(client: FlaskClient) -> None:
    footer = _page(client, _with_lang(SURVEY_VIEW, "en")).find("footer").get_text()
    schematic = make_server()[1].geo.schematic
    expected = "schematic tile grid" if schematic else ATTRIBUTION
    assert expected in footer
    assert ATTRIBUTION not in _page(client, "/lite/progress?lang=en").find("footer").get_text()


@pytest.mark.parametrize("lang", ["lo", "en"])
@pytest.mark.parametrize(
    "url",
    [
        *PAGES,
        SURVEY_VIEW,
        ILLUSTRATIVE_VIEW,
        "/lite/goal/3?indicator=ILL_SOCIAL_WELFARE_BENEFICIARIES&level=district",
    ],
)
def test_lite_pages_stay_within_the_size_budget(client: FlaskClient, url: str, lang: str) -> None:
    """Every page is small once compressed (the app gzips HTML); all but the 148-row district
    tables are small even uncompressed."""
    body = client.get(_with_lang(url, lang)).get_data()
    assert len(gzip.compress(body)) < COMPRESSED_BUDGET_BYTES
    if "district" not in url:
        assert len(body) < PAGE_BUDGET_BYTES


#: Breaks out of an attribute and opens elements, if anything were placed unescaped.
HOSTILE = '"><script>alert(1)</script><img src=x onerror=alert(1)>'


def _hostile_pages() -> dict[str, str]:
    """Every lite template rendered with the hostile text in every dynamic field."""
    text = HOSTILE
    nature, badge = pages.Nature(text, False), pages.Nature(text, True)
    source = pages.Source(1, text, text)
    image = pages.Image(text, text, "lite-map")
    target = pages.Target(text, text)
    frame = pages.PageFrame(
        lang="en",
        path=f"/lite/goal/1?indicator={text}",
        release_id=text,
        shows_map=True,
        publisher=Publisher(name=text, statement_en=text, statement_lo=text),
    )
    index = {
        "vision": text,
        "goals": [
            pages.GoalSummary(
                text,
                text,
                text,
                [
                    pages.Headline(text, text, text, text, badge, [target]),
                    pages.Headline(text, text, text, text, nature, []),
                    pages.Headline(text, None, "", "", None, [target]),
                ],
            )
        ],
        "downloads": [DownloadLink(text, text, text)],
        "zip_url": text,
        "terms": text,
    }
    goal = {
        "statement": text,
        "action": text,
        "options": {
            name: [pages.Option(text, text, True)] for name in ("indicator", "level", "year")
        },
        "map": pages.MapSection(
            text, text, True, image, [pages.AreaRow(text, text, text, nature, 1)], [source], text
        ),
        "trend": pages.TrendSection(
            text,
            [pages.SeriesTable(text, text, [pages.YearRow(text, text, badge)])],
            image,
            [source, pages.Source(2, text, None)],
            text,
        ),
    }
    progress_rows = [pages.ProgressRow(text, text, True, text, text, text, text, text)]
    method = {"url": text, "title": text, "publisher": text}
    notices = (text,)
    return {
        "index": pages.page(frame, text, "lite/index.html", notices=notices, **index),
        "goal": pages.page(frame, text, "lite/goal.html", notices=notices, **goal),
        "progress": pages.page(
            frame,
            text,
            "lite/progress.html",
            notices=notices,
            base_year=text,
            method=method,
            rows=progress_rows,
        ),
    }


@pytest.mark.parametrize("name", ["index", "goal", "progress"])
def test_lite_templates_escape_every_dynamic_text(name: str) -> None:
    """Names, values, sources, notices, links and the publisher, whatever they hold, are placed
    as text or attribute values: no element or attribute comes from the data."""
    html = _hostile_pages()[name]
    assert "<script" not in html.lower()
    soup = BeautifulSoup(html, "html.parser")
    assert not soup.find_all("script")
    assert not [tag.name for tag in soup.find_all(True) if tag.has_attr("onerror")]
    assert all(img["src"] == HOSTILE for img in soup.find_all("img"))  # the page's own images
    shown = soup.find("main").get_text()
    assert shown.count(HOSTILE) >= 5, "the hostile text shows literally"
    assert HOSTILE in soup.find("footer").get_text()  # release and publisher
    assert soup.find("a", id="language-switch-lo")["href"].startswith("/lite/goal/1?indicator=")
    if name == "goal":
        assert soup.find("img", id="lite-map")["alt"] == HOSTILE
        assert soup.find("option", value=HOSTILE).get_text() == HOSTILE
        assert soup.find("table", id="lite-values").td.get_text() == HOSTILE
