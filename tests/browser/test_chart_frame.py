"""The chart frame as readers meet it, looked at from inside each chart: on the goal pages, the
home page and both embeds (in an `<iframe>` on a host page), in Lao and English, on a phone, a
desktop and in iframes of 640 × 400, 400 × 300 and 360 × 740.

For every chart: its plot area (plotly's drag layer, or the drawn shapes of a map) keeps at
least half of its frame's height on pages and 60 % of the iframe in embeds (a map, which keeps
the country's shape, may instead span the iframe's width); no two text
elements overlap; no label (a target's) hides a line's point; no text leaves its SVG; on a
phone the map spans at least 90 % of the content width; every tab fits a phone's frame; a
goal page's first phone screen holds a headline figure and the frame's tabs.
Screenshots of each go to `tests/artifacts/screenshots/frame-*.png`.
"""

from __future__ import annotations

import time

import pytest
from browser_support import (
    LANGS,
    REPO,
    SETTLED_JS,
    chart_boxes,
    needs_boundaries,
    text_outside_svg,
    text_over_points,
    text_overlaps,
    with_query,
)

pytestmark = [pytest.mark.browser, needs_boundaries]

SCREENSHOTS = REPO / "tests" / "artifacts" / "screenshots"
PAGE_SCREENS = ((360, 740), (1280, 800))
EMBED_SCREENS = ((640, 400), (400, 300), (360, 740))
PAGE_SHARE, EMBED_SHARE, PHONE_MAP_WIDTH, MAP_FILLS_WIDTH = 0.5, 0.6, 0.9, 0.97
#: Page → (its frame, the figure tabs and the graph each shows).
PAGES = {
    "/goal/1": ("goal", {"map": "#map-graph", "chart": "#series-graph"}),
    "/goal/2": ("goal", {"map": "#map-graph", "chart": "#series-graph"}),
    "/goal/3": ("goal", {"map": "#map-graph", "chart": "#series-graph"}),
    "/": ("home", {"map": "#home-map-graph"}),
}
EMBEDS = ("/embed/map?goal=1", "/embed/series?goal=1")

_FRAME_HEIGHT_JS = "return document.getElementById(arguments[0]).getBoundingClientRect().height;"
_CONTENT_WIDTH_JS = """
const main = document.querySelector('#main .container, #main .container-lg, #main') ||
  document.body;
const style = getComputedStyle(main);
return main.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
"""
#: A host page: the embed in an iframe of the given size, as a news site would place it.
_HOST_JS = """
document.body.innerHTML = '';
document.body.style.margin = '8px';
const frame = document.createElement('iframe');
frame.id = 'host-frame';
frame.src = arguments[0];
frame.width = arguments[1];
frame.height = arguments[2];
frame.style.border = '0';
document.body.appendChild(frame);
"""


def _shot(site, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    site.driver.save_screenshot(str(SCREENSHOTS / f"frame-{name}.png"))


def _problems(boxes: dict) -> list[str]:
    return text_overlaps(boxes) + text_outside_svg(boxes) + text_over_points(boxes)


def _settle(site) -> None:
    site.wait_until(lambda: site.driver.execute_script(SETTLED_JS), "charts drawn", timeout=45)
    time.sleep(0.5)  # a width class re-chosen after the first draw redraws once
    site.wait_until(lambda: site.driver.execute_script(SETTLED_JS), "charts still", timeout=45)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize(("width", "height"), PAGE_SCREENS)
@pytest.mark.parametrize("path", PAGES)
def test_chart_frame_on_pages_keeps_the_plot_and_its_text_legible(site, path, width, height, lang):
    frame, tabs = PAGES[path]
    site.set_viewport(width, height)
    site.open_settled(path, lang)
    found = []
    for tab, graph in tabs.items():
        site.show_tab(tab, frame=frame)
        _settle(site)
        site.driver.execute_script(
            "document.getElementById(arguments[0]).scrollIntoView({block: 'start'});",
            f"{frame}-frame",
        )
        _shot(site, f"{path.strip('/').replace('/', '-') or 'home'}-{tab}-{lang}-{width}")
        boxes = chart_boxes(site.driver, graph)
        frame_height = site.driver.execute_script(_FRAME_HEIGHT_JS, f"{frame}-frame")
        share = boxes["plot"]["height"] / frame_height if boxes["plot"] else 0.0
        if share < PAGE_SHARE:
            found.append(f"{tab}: plot {share:.0%} of the frame's {frame_height:.0f} px")
        found += [f"{tab}: {problem}" for problem in _problems(boxes)]
        if tab == "map" and width < 576:
            content = site.driver.execute_script(_CONTENT_WIDTH_JS)
            if boxes["plot"]["width"] < PHONE_MAP_WIDTH * content:
                found.append(
                    f"map {boxes['plot']['width']:.0f} px wide of {content:.0f} px of content"
                )
    assert not found, f"{with_query(path, lang=lang)} at {width}×{height}:\n" + "\n".join(found)


def _embed_cases():
    for path in EMBEDS:
        for width, height in EMBED_SCREENS:
            for lang in LANGS:
                yield pytest.param(path, width, height, lang)


@pytest.mark.parametrize(("path", "width", "height", "lang"), _embed_cases())
def test_chart_frame_in_an_iframe_keeps_the_plot_and_one_footer_line(
    site, path, width, height, lang
):
    site.set_viewport(1280, 900)
    site.driver.get(site.url + "/lite/")
    site.driver.execute_script(_HOST_JS, site.url + with_query(path, lang=lang), width, height)
    site.driver.switch_to.frame("host-frame")
    try:
        site.duo.wait_for_element("#embed-chart[data-rendered='true']", timeout=30)
        _settle(site)
        boxes = chart_boxes(site.driver, "#embed-chart")
        footer = site.driver.execute_script(
            "const f = document.querySelector('.embed-attribution');"
            "const line = parseFloat(getComputedStyle(f).lineHeight);"
            "return {height: f.clientHeight, line: line,"
            " link: f.querySelector('a.embed-full-view').getAttribute('href')};"
        )
        title = site.driver.execute_script(
            "const t = document.querySelector('.embed-title').getBoundingClientRect();"
            "return {left: t.left, right: t.right, width: document.documentElement.clientWidth};"
        )
    finally:
        site.driver.switch_to.default_content()
    kind = "map" if "map" in path else "series"
    _shot(site, f"embed-{kind}-{lang}-{width}x{height}")
    found = _problems(boxes)
    share = boxes["plot"]["height"] / height if boxes["plot"] else 0.0
    across = boxes["plot"]["width"] / width if boxes["plot"] else 0.0
    # Lao PDR keeps its shape (about 1.2 × as tall as wide): in a column narrower than that
    # (a 360 × 740 iframe) the map is as large as it can be when it spans the frame's width
    if share < EMBED_SHARE and not (kind == "map" and across >= MAP_FILLS_WIDTH):
        found.append(f"plot {share:.0%} of the iframe's {height} px ({across:.0%} of its width)")
    if footer["height"] > 1.5 * footer["line"]:
        found.append(f"footer {footer['height']} px: more than one line")
    if "#goal-panel-sources" not in footer["link"]:
        found.append(f"the footer's link {footer['link']!r} does not open the sources")
    if title["left"] < 4 or title["right"] > title["width"]:  # the first Lao letter was clipped
        found.append(f"title box {title} not inside the frame")
    assert not found, f"{path} ({lang}) in a {width}×{height} iframe:\n" + "\n".join(found)


#: Every tab button's box, the frame's content box and whether the tab row scrolls.
_TABS_JS = """
const frame = document.getElementById(arguments[0]);
const style = getComputedStyle(frame);
const box = frame.getBoundingClientRect();
const row = frame.querySelector('.chart-frame-tabs');
return {
  left: box.left + parseFloat(style.paddingLeft) + parseFloat(style.borderLeftWidth),
  right: box.right - parseFloat(style.paddingRight) - parseFloat(style.borderRightWidth),
  scrolls: row.scrollWidth > row.clientWidth + 1,
  tabs: Array.from(row.querySelectorAll('[role=tab]')).map(b => {
    const r = b.getBoundingClientRect();
    return {key: b.getAttribute('data-frame-tab'), left: r.left, right: r.right,
            visible: b.checkVisibility()};
  }),
};
"""


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("width", (320, 360))
@pytest.mark.parametrize("path", PAGES)
def test_chart_frame_tabs_fit_a_phone_with_their_names(site, path, width, lang):
    frame = PAGES[path][0]
    site.set_viewport(width, 740)
    site.open_settled(path, lang)
    found = site.driver.execute_script(_TABS_JS, f"{frame}-frame")
    problems = ["the tab row scrolls"] if found["scrolls"] else []
    for tab in found["tabs"]:
        if not tab["visible"]:
            problems.append(f"{tab['key']} hidden")
        elif tab["left"] < found["left"] - 0.5 or tab["right"] > found["right"] + 0.5:
            problems.append(
                f"{tab['key']} at {tab['left']:.0f}–{tab['right']:.0f} px, outside the frame's "
                f"{found['left']:.0f}–{found['right']:.0f} px"
            )
    # each tab keeps its name for screen readers, whatever it shows
    for button in site.driver.find_elements("css selector", f"#{frame}-frame [role=tab]"):
        if not button.accessible_name.strip():
            problems.append(f"{button.get_attribute('data-frame-tab')} has no accessible name")
    _shot(site, f"tabs-{path.strip('/').replace('/', '-') or 'home'}-{lang}-{width}")
    assert not problems, f"{with_query(path, lang=lang)} at {width} px:\n" + "\n".join(problems)


_GEO_RANGES_JS = """
const gd = document.querySelector('#map-graph .js-plotly-plot');
const geo = gd && gd._fullLayout && gd._fullLayout.geo;
return geo ? {lon: geo.lonaxis.range, lat: geo.lataxis.range} : null;
"""


@pytest.mark.parametrize("lang", LANGS)
def test_chart_frame_choosing_an_area_zooms_to_it_and_whole_country_goes_back(site, nsps_app, lang):
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.keys import Keys

    site.set_viewport(1280, 800)
    site.open_goal(with_query("/goal/2", lang=lang, level="province"))
    site.wait_idle()
    country = site.driver.execute_script(_GEO_RANGES_JS)
    button = site.duo.find_element("#map-whole-country")
    assert not button.is_displayed()  # nothing to go back from
    level = site.map_meta()["level"]
    bounds = nsps_app.server.config["NSPS_STORE"].geo.bounds(level, "LA13")
    assert bounds is not None

    site.duo.find_element("#map-area").click()
    site.wait_until(
        lambda: site.driver.execute_script(
            "return document.activeElement.classList.contains('dash-dropdown-search');"
        ),
        "the focus in the area's search box",
    )
    name = {"en": "Savannakhet", "lo": "ສະຫວັນນະເຂດ"}[lang]
    ActionChains(site.driver).send_keys(name[:5]).perform()
    site.wait_until(
        lambda: [o.text for o in site.duo.find_elements(".dash-dropdown-option")][:1] == [name],
        f"{name} offered",
    )
    ActionChains(site.driver).send_keys(Keys.ARROW_DOWN, Keys.ENTER).perform()

    def zoomed():
        ranges = site.driver.execute_script(_GEO_RANGES_JS)
        span = (ranges["lon"][1] - ranges["lon"][0]) if ranges else 99
        return ranges if span < 0.7 * (country["lon"][1] - country["lon"][0]) else None

    ranges = site.wait_until(zoomed, "the map zoomed to the chosen province")
    west, south, east, north = bounds
    # the province's shape lies inside the view, which is at most twice its size each way
    # (plotly widens one axis to keep the projection's aspect)
    assert ranges["lon"][0] <= west and ranges["lon"][1] >= east
    assert ranges["lat"][0] <= south and ranges["lat"][1] >= north
    assert ranges["lon"][1] - ranges["lon"][0] <= 2.5 * max(east - west, north - south)
    assert ranges["lat"][1] - ranges["lat"][0] <= 2.5 * max(east - west, north - south)
    _shot(site, f"area-zoom-{lang}")

    button = site.wait_until(
        lambda: (b := site.duo.find_element("#map-whole-country")).is_displayed() and b,
        "the way back to the whole country",
    )
    assert button.text == {"en": "Whole country", "lo": "ທົ່ວປະເທດ"}[lang]
    button.click()
    site.wait_until(
        lambda: site.driver.execute_script(_GEO_RANGES_JS) == country, "the whole country again"
    )
    site.wait_until(lambda: not site.duo.find_element("#map-whole-country").is_displayed(), "gone")
    assert not site.duo.find_element("#map-area-text").text.startswith(name)


_FIRST_SCREEN_JS = """
const box = (el) => el ? el.getBoundingClientRect() : null;
const value = box(document.querySelector('.headline-value'));
const tabs = box(document.querySelector('#goal-frame [role=tablist]'));
const frame = document.getElementById('goal-frame');
const about = document.querySelector('.accordion');
return {
  value: value && value.bottom,
  tabs: tabs && tabs.bottom,
  textAfterFrame: !!(frame && about &&
    (frame.compareDocumentPosition(about) & Node.DOCUMENT_POSITION_FOLLOWING)),
  openSections: document.querySelectorAll('.accordion .accordion-collapse.show').length,
};
"""


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("goal", ("1", "2", "3"))
def test_chart_frame_goal_page_leads_with_the_answer_on_a_phone(site, goal, lang):
    """On a 360 × 740 phone the first screen holds a headline figure and the chart frame's tabs
    (the chart starts right under them); the strategy text follows the frame, collapsed."""
    site.set_viewport(360, 740)
    site.open_settled(f"/goal/{goal}", lang)
    found = site.driver.execute_script("window.scrollTo(0, 0);" + _FIRST_SCREEN_JS)
    assert found["value"] is not None and found["value"] <= 740, found
    assert found["tabs"] is not None and found["tabs"] <= 740, found
    assert found["textAfterFrame"], "the goal's text comes before its chart frame"
    assert found["openSections"] == 0, "a strategy section is open on arrival"
