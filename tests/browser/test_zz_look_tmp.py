import pytest
from browser_support import REPO, chart_boxes, text_overlaps, text_outside_svg, plot_area_share

SHOTS = REPO / "tests" / "artifacts" / "screenshots"


@pytest.mark.parametrize(
    "path,w,h",
    [
        ("/goal/1?lang=lo", 360, 740),
        ("/goal/2?lang=en&level=district", 1280, 800),
        ("/embed/map?goal=2&level=district&lang=lo", 640, 400),
        ("/embed/series?goal=1&lang=en", 400, 300),
    ],
)
def test_look(site, path, w, h):
    site.set_viewport(w, h)
    import time
    from browser_support import SETTLED_JS

    site.driver.get(site.url + path)
    time.sleep(2)
    site.wait_until(lambda: site.driver.execute_script(SETTLED_JS), "settled", timeout=45)
    time.sleep(1.5)
    SHOTS.mkdir(parents=True, exist_ok=True)
    name = path.strip("/").replace("/", "-").replace("?", "-").replace("&", "-").replace("=", "")
    site.driver.save_screenshot(str(SHOTS / f"app-{name}-{w}x{h}.png"))
    for sel in ("#map-graph", "#series-graph", "#embed-chart"):
        if site.driver.find_elements("css selector", sel + " .main-svg"):
            b = chart_boxes(site.driver, sel)
            print(
                path,
                w,
                sel,
                "overlaps",
                text_overlaps(b)[:3],
                "outside",
                text_outside_svg(b)[:3],
                "share",
                round(plot_area_share(b), 2),
                round(plot_area_share(b, "width"), 2),
            )
