"""The first HTML of a goal page already shows its map view as static SVG (issue 11, item 3)."""

from __future__ import annotations

import re

import pytest
from bs4 import BeautifulSoup

from dashboard import static_map, views
from dashboard.viewmodels.map import map_view

SQUARE = {
    "type": "Polygon",
    "coordinates": [[[100, 14], [101, 14], [101, 15], [100, 15], [100, 14]]],
}
SHIFTED = {
    "type": "Polygon",
    "coordinates": [[[101, 14], [102, 14], [102, 15], [101, 15], [101, 14]]],
}
TWO_AREAS = {
    "type": "FeatureCollection",
    "features": [
        {"type": "Feature", "id": "A", "properties": {}, "geometry": SQUARE},
        {"type": "Feature", "id": "B", "properties": {}, "geometry": SHIFTED},
    ],
}


@pytest.fixture(scope="module")
def client(geo_dir):
    from app import create_app
    from dashboard.config import Settings

    app = create_app(Settings.from_env({"NSPS_GEO_DIR": str(geo_dir)}))
    return app.server.test_client(), app.server.config["NSPS_STORE"]


def _first_paint(client, url: str) -> BeautifulSoup:
    response = client.get(url)
    assert response.status_code == 200
    soup = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    block = soup.select_one("#react-entry-point .first-paint")
    assert block is not None, f"{url}: no first paint in the entry point"
    return block


def test_static_map_projects_every_area_inside_its_view_box():
    layer = static_map.project(TWO_AREAS)
    assert [shape.code for shape in layer.shapes] == ["A", "B"]
    assert layer.width == static_map.VIEW_WIDTH
    # two 1°×1° squares side by side near 14.5° N: twice as wide as high in Mercator
    assert layer.height == pytest.approx(layer.width / 2 * 1.03, rel=0.02)
    for shape in layer.shapes:
        numbers = [int(n) for n in re.findall(r"-?\d+", shape.path)]
        xs, ys = numbers[0::2], numbers[1::2]
        assert min(xs) >= 0 and max(xs) <= layer.width and min(ys) >= 0 and max(ys) <= layer.height
    # the left square is drawn left of the right one
    assert max(map(int, re.findall(r"[ML](\d+)", layer.shapes[0].path))) <= 500


def test_static_map_colours_values_as_plotly_does():
    trace = {"type": "choropleth", "colorscale": "Cividis", "zmin": 0, "zmax": 10}
    assert static_map.fill_colour(trace, 0) == "rgb(0, 34, 78)"  # Cividis' first stop, #00224e
    assert static_map.fill_colour(trace, 10) == "rgb(254, 232, 56)"  # its last stop, #fee838
    assert static_map.fill_colour(trace, 99) == "rgb(254, 232, 56)"  # clipped like plotly
    assert static_map.fill_colour({**trace, "reversescale": True}, 0) == "rgb(254, 232, 56)"
    stepped = {
        "colorscale": [[0, "#aaaaaa"], [0.5, "#aaaaaa"], [0.5, "#000000"], [1, "#000000"]],
        "zmin": 0,
        "zmax": 2,
    }
    assert static_map.fill_colour(stepped, 0.5) == "rgb(170, 170, 170)"
    assert static_map.fill_colour(stepped, 1.5) == "rgb(0, 0, 0)"


def test_static_map_fills_later_traces_over_earlier_and_skips_missing_values():
    figure = {
        "data": [
            {"type": "choropleth", "locations": ["A", "B"], "z": [0, 0], "colorscale": "Greys"},
            {"type": "choropleth", "locations": ["B"], "z": [1.0], "zmin": 0, "zmax": 1},
            {"type": "scattergeo", "locations": ["A"]},
        ]
    }
    fills = static_map.area_fills(figure)
    assert fills["B"] == "rgb(254, 232, 56)" and fills["A"] != fills["B"]
    svg = static_map.choropleth_svg(static_map.project(TWO_AREAS), {"B": "#123456"}, label="<x>")
    assert svg.count("<path") == 2 and 'fill="#123456"' in svg and 'fill="#e6e6e6"' in svg
    assert 'aria-label="&lt;x&gt;"' in svg  # escaped


def test_static_map_legend_names_the_figures_classes_when_it_has_them():
    trace = {
        "colorscale": [[0, "#aaaaaa"], [0.5, "#aaaaaa"], [0.5, "#000000"], [1, "#000000"]],
        "zmin": 0,
        "zmax": 1,
        "colorbar": {"tickvals": [0.25, 0.75], "ticktext": ["No data", "1–5 %"]},
    }
    assert static_map.legend_entries(trace, str) == [
        ("No data", "rgb(170, 170, 170)"),
        ("1–5 %", "rgb(0, 0, 0)"),
    ]
    plain = {"colorscale": "Cividis", "zmin": 0, "zmax": 4}
    assert [label for label, _ in static_map.legend_entries(plain, str)] == [
        "0.0",
        "1.0",
        "2.0",
        "3.0",
        "4.0",
    ]


@pytest.mark.parametrize("goal", ["1", "2", "3"])
def test_goal_page_first_html_carries_its_map_view_as_svg(client, goal):
    client, store = client
    block = _first_paint(client, f"/goal/{goal}?lang=en")
    ds = store.dataset
    selection = views.resolve_map_selection(ds, goal, lang="en")
    view = map_view(ds, goal, selection, lang="en")
    assert block.select_one(".first-paint-title").get_text() == view.title
    assert block.select_one(".first-paint-subtitle").get_text() == view.subtitle
    assert block.select_one(".first-paint-summary").get_text() == view.summary
    svg = block.select_one("svg.static-map")
    paths = svg.select("path")
    assert len(paths) == len(store.geo.geojson(selection.level)["features"])
    expected = static_map.area_fills(view.figure)
    features = store.geo.geojson(selection.level)["features"]
    drawn = {f["id"]: p["fill"] for f, p in zip(features, paths, strict=True)}
    assert {code: drawn[code] for code in expected} == expected
    assert len(block.select(".first-paint-legend li")) >= 2
    # the badge is there exactly when the view shows illustrative values
    assert bool(block.select(".nature-illustrative")) == view.illustrative


def test_goal_page_first_paint_follows_the_query_and_language(client):
    client, store = client
    # an indicator with district figures (a province-only one falls back to its provinces)
    district = _first_paint(
        client, "/goal/3?indicator=ILL_SCHOOL_MEALS_COVERAGE&level=district&lang=en"
    )
    assert len(district.select("svg.static-map path")) == 148
    lao = _first_paint(client, "/goal/1?lang=lo")
    assert re.search("[\u0e80-\u0eff]", lao.select_one(".first-paint-title").get_text())
    illustrative = _first_paint(client, "/goal/2?indicator=ILL_SOCIAL_SECURITY_COVERAGE&lang=en")
    badge = illustrative.select_one(".nature-illustrative")
    assert badge is not None and badge.get_text() == "Illustrative — not official statistics"


def test_pages_without_a_map_keep_dashs_loading_placeholder(client):
    client, _store = client
    for url in ("/data", "/challenges"):
        html = client.get(url).get_data(as_text=True)
        assert "static-map" not in html and "Loading..." in html
