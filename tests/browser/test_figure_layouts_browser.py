"""Every figure at every layout, looked at from inside: no two texts overlap, no text leaves its
SVG, the plot keeps most of the frame and a phone's map fills its width.

A tiny test server draws one figure per page (`/figure-test?chart=…&width=…&embedded=…`) with the
site's own plotly bundle, at the layout the chart frame would choose for that width
(`figure_layouts.layout_for_width`); embeds fill the whole viewport, as in an iframe. Screenshots
are kept under `tests/artifacts/screenshots/`.
"""

from __future__ import annotations

import functools
import json

import pytest
from browser_support import (
    REPO,
    chart_boxes,
    needs_boundaries,
    plot_area_share,
    text_outside_svg,
    text_overlaps,
)
from dash import Dash, html
from dash.testing.application_runners import ThreadedRunner
from dash.testing.composite import DashComposite
from flask import Response, request

pytestmark = [pytest.mark.browser, needs_boundaries]

SCREENSHOTS = REPO / "tests" / "artifacts" / "screenshots"
PLOTLY_JS = REPO / "assets" / "vendor" / "plotly" / "plotly-nsps.min.js"
#: (width, height, embedded): a phone, an iframe on a news page, a small box, a desktop.
VIEWPORTS = ((360, 740, False), (640, 400, True), (400, 300, True), (1280, 800, False))
#: The district a zoomed map frames (Sisattanak, in Vientiane Capital: a speck at full view).
ZOOMED = "LA0104"
#: Charts by name: (kind, arguments). Maps with many districts, lines with a target, bars.
CHARTS = {
    "map-province": (
        "map",
        {"goal": "1", "indicator": "ILL_HEALTH_COVERAGE", "level": "province", "year": 2024},
    ),
    "map-district": (
        "map",
        {"goal": "1", "indicator": "ILL_HEALTH_COVERAGE", "level": "district", "year": 2024},
    ),
    "map-zoom": (
        "map",
        {
            "goal": "1",
            "indicator": "ILL_HEALTH_COVERAGE",
            "level": "district",
            "year": 2024,
            "zoom": ZOOMED,
        },
    ),
    "series": ("series", {"goal": "1", "indicator": "ILL_HEALTH_COVERAGE", "areas": "LA01,LA05"}),
    "series-many": (
        "series",
        {
            "goal": "1",
            "indicator": "ILL_HEALTH_COVERAGE",
            "areas": "LA01,LA02,LA03,LA04,LA05,LA06,LA07",
        },
    ),
    "series-target": ("series", {"goal": "1", "indicator": "SHP_COVERAGE", "areas": ""}),
    "budget-stack": ("budget-stack", {"goal": "1"}),
    "budget-lines": ("budget-lines", {"goal": "3"}),
}
PAGE = """<!doctype html><html lang="{lang}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>html,body{{margin:0;padding:0;font-family:'Noto Sans Lao',sans-serif}}
#chart{{width:100%;height:{height}}}</style>
<script src="/figure-test/plotly.js"></script></head>
<body><div id="chart"></div><script>
const figure = {figure};
Plotly.newPlot('chart', figure.data, figure.layout, {{responsive: true, displayModeBar: false}})
  .then(() => document.getElementById('chart').setAttribute('data-rendered', 'true'));
</script></body></html>"""


@functools.cache
def _dataset():
    from dashboard.config import Settings
    from dashboard.store import Store

    return Store(Settings.from_env()).dataset


@functools.cache
def _boundaries():
    from dashboard.config import Settings
    from geo.boundaries import load_boundaries

    settings = Settings.from_env()
    return load_boundaries(settings.geo_dir, settings.geo_simplify_tolerance)


def _figure(chart: str, layout, lang: str) -> dict:
    from dashboard import figures, queries, views
    from dashboard.images import inline_geometry
    from geo.boundaries import feature_bounds

    kind, args = CHARTS[chart]
    ds = _dataset()
    if kind == "map":
        selection = views.resolve_map_selection(
            ds, args["goal"], args["indicator"], args["level"], args["year"]
        )
        figure = views.map_figure(ds, selection, False, lang=lang, layout=layout)
        if "zoom" in args:  # the view a chosen area zooms to
            bounds = feature_bounds(_boundaries().geojson(selection.level))[args["zoom"]]
            figure = figures.apply_properties(figure, figures.area_zoom(bounds))
        return inline_geometry(figure, _boundaries().geojson(selection.level))
    if kind == "series":
        selection = views.resolve_series_selection(
            ds, args["goal"], args["indicator"], args["areas"]
        )
        return views.series_figure(
            ds, selection.indicator_id, selection.area_codes, lang=lang, layout=layout
        )
    if kind == "budget-stack":
        rows = queries.budget_stack_view(ds, args["goal"])
        return figures.budget_stack_figure(rows, ds.release.indicators, lang=lang, layout=layout)
    return figures.budget_lines_figure(
        queries.budget_view(ds, args["goal"]), lang=lang, layout=layout
    )


def _app() -> Dash:
    from dashboard.figure_layouts import LAYOUTS, layout_for_width

    def layout_named(name: str | None):
        return LAYOUTS.get(name or "")

    app = Dash(__name__, assets_folder=str(REPO / "tests" / "browser" / "no-assets"))
    app.layout = html.Div("figure test server")

    @app.server.get("/figure-test/plotly.js")
    def plotly_js() -> Response:
        return Response(PLOTLY_JS.read_bytes(), mimetype="text/javascript")

    @app.server.get("/figure-test")
    def figure_page() -> Response:
        width = int(request.args["width"])
        embedded = request.args.get("embedded") == "1"
        lang = request.args.get("lang", "en")
        height = int(request.args["height"]) if "height" in request.args else None
        layout = layout_named(request.args.get("layout")) or layout_for_width(
            width, embedded, height
        )
        if "broken" in request.args:
            figure = broken_figure()
        else:
            figure = _figure(request.args["chart"], layout, lang)
        height = "100vh" if figure["layout"].get("height") is None else "auto"
        return Response(
            PAGE.format(lang=lang, height=height, figure=json.dumps(figure)),
            mimetype="text/html",
        )

    return app


def broken_figure() -> dict:
    """A chart laid out as the defects of issue 10 were: a title longer than its SVG, a legend
    on top of it, tick labels crowded over each other and a note pushed out of the figure."""
    years = list(range(1990, 2031))
    return {
        "data": [
            {"type": "scatter", "x": years, "y": [i % 7 for i in years], "name": f"Line {n}"}
            for n in range(8)
        ],
        "layout": {
            "height": 300,
            "title": {"text": "A very long chart title that plotly will never wrap " * 3},
            "legend": {"orientation": "h", "y": 1.02, "yanchor": "bottom", "x": 0},
            "xaxis": {"dtick": 1, "tickangle": 0, "tickfont": {"size": 16}},
            "margin": {"t": 150, "b": 20, "l": 20, "r": 10},  # a legend box eating the plot
            "annotations": [
                {
                    "text": "Source: a footer drawn below the figure",
                    "xref": "paper",
                    "yref": "paper",
                    "x": 0,
                    "y": -0.4,
                    "showarrow": False,
                },
            ],
        },
    }


@pytest.fixture(scope="module")
def browser(request, tmp_path_factory):
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
        duo.start_server(_app())
        yield duo


def _open(duo, width: int, height: int, query: str) -> dict:
    driver = duo.driver
    driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 768},
    )
    driver.get(f"{duo.server_url.rstrip('/')}/figure-test?{query}")
    duo.wait_for_element("#chart[data-rendered='true']", timeout=30)
    driver.execute_script("return document.fonts.ready.then(() => true);")
    return chart_boxes(driver, "#chart")


def _shot(duo, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    duo.driver.save_screenshot(str(SCREENSHOTS / f"figure-{name}.png"))


def test_figure_layouts_checks_fail_on_a_broken_figure(browser):
    """The checks can fail: a chart with the old defects is caught by each of them."""
    boxes = _open(browser, 360, 740, "broken=1&width=360")
    _shot(browser, "broken-360")
    assert text_overlaps(boxes), "crowded ticks and a legend over the title must be found"
    assert text_outside_svg(boxes), "a title wider than the SVG and a note below it must be found"
    assert plot_area_share(boxes) < 0.5, "a plot squeezed by legend and title must be found"


@pytest.mark.parametrize("lang", ("lo", "en"))
@pytest.mark.parametrize("chart", tuple(CHARTS))
@pytest.mark.parametrize(
    "viewport", VIEWPORTS, ids=lambda v: f"{v[0]}x{v[1]}{'-embed' if v[2] else ''}"
)
def test_figure_layouts_no_overlap_nothing_cut_plot_keeps_the_frame(browser, viewport, chart, lang):
    width, height, embedded = viewport
    if embedded and chart.startswith("budget"):
        pytest.skip("budget charts are not embedded")
    query = f"chart={chart}&width={width}&height={height}&embedded={int(embedded)}&lang={lang}"
    boxes = _open(browser, width, height, query)
    _shot(browser, f"{chart}-{width}x{height}{'-embed' if embedded else ''}-{lang}")
    assert not text_overlaps(boxes), text_overlaps(boxes)
    assert not text_outside_svg(boxes), text_outside_svg(boxes)
    share = plot_area_share(boxes)
    assert share >= (0.6 if embedded else 0.5), (share, boxes["plot"], boxes["svg"])
    if chart.startswith("map") and width < 576 and not embedded:  # a phone's map: full width
        assert plot_area_share(boxes, "width") >= 0.9, boxes["plot"]


def test_figure_layouts_screenshots_are_saved(browser):
    assert SCREENSHOTS.is_dir() and list(SCREENSHOTS.glob("figure-*.png"))


# The drawn box of one area of a map: plotly keeps each location's code on its path's data.
AREA_BOX_JS = """
for (const path of document.querySelectorAll('#chart path.choroplethlocation')) {
  if (path.__data__ && path.__data__.loc === arguments[0]) {
    const r = path.getBoundingClientRect();
    return {width: r.width, height: r.height};
  }
}
return null;
"""


@pytest.mark.parametrize("lang", ("lo",))
def test_figure_layouts_a_chosen_area_zooms_to_its_bounds(browser, lang):
    _open(browser, 360, 740, f"chart=map-district&width=360&embedded=0&lang={lang}")
    whole = browser.driver.execute_script(AREA_BOX_JS, ZOOMED)
    boxes = _open(browser, 360, 740, f"chart=map-zoom&width=360&embedded=0&lang={lang}")
    _shot(browser, f"map-zoom-360x740-{lang}")
    zoomed = browser.driver.execute_script(AREA_BOX_JS, ZOOMED)
    assert whole and zoomed, "the district's shape is drawn"
    assert zoomed["width"] >= 8 * whole["width"]  # from a speck to most of the frame
    assert (
        zoomed["width"] >= 0.4 * boxes["svg"]["width"]
        or zoomed["height"] >= 0.4 * boxes["svg"]["height"]
    )


@pytest.mark.parametrize("chart", ("series", "series-target", "budget-stack"))
def test_figure_layouts_desktop_figure_on_a_phone_keeps_its_ticks_apart(browser, chart):
    """A page that has not measured its frame draws the desktop layout: its year ticks are
    spaced by the axis' length, so even at 360 px they never overlap."""
    boxes = _open(browser, 360, 740, f"chart={chart}&width=360&layout=desktop&lang=lo")
    _shot(browser, f"{chart}-desktop-at-360-lo")
    ticks = {**boxes, "texts": [t for t in boxes["texts"] if t["kind"] == "tick"]}
    assert not text_overlaps(ticks), text_overlaps(ticks)
