"""Briefing images: the frame drawn inside, and real renders (size, not blank, Lao glyphs).

Rendering starts one Chromium for the module (a few seconds), so the render tests are few.
"""

from __future__ import annotations

import io

import pytest
from api_server import make_server
from shipped import SHIPPED_ID

from dashboard import images, views
from dashboard.i18n import localized
from dashboard.queries import ILLUSTRATIVE_BADGE

PIL = pytest.importorskip("PIL.Image", reason="Pillow (requirements-dev.txt) reads the PNGs")
needs_chromium = pytest.mark.skipif(
    not images.Renderer().available, reason="no Chromium to render with (see scripts/setup)"
)
SLIDE, SCREEN = images.SIZES["slide"], images.SIZES["screen"]


def _map_frame(
    dataset, indicator_id: str, year: int, lang: str = "en"
) -> tuple[dict, images.BriefingFrame]:
    selection = views.resolve_map_selection(dataset, "1", indicator_id, "province", year)
    rows = views.map_rows(dataset, selection)
    indicator = dataset.indicator(indicator_id)
    frame = images.frame_for(
        rows,
        localized(indicator, "name", lang),
        "Provinces, 2020",
        "2026-11-29",
        "https://x/goal/1",
        lang=lang,
    )
    layout = images.layout_for_size("slide")
    return views.map_figure(dataset, selection, schematic=False, lang=lang, layout=layout), frame


def _annotation(figure: dict, name: str) -> dict:
    found = [a for a in figure["layout"]["annotations"] if a.get("name") == name]
    assert len(found) == 1, name
    return found[0]


def test_images_frame_draws_title_subtitle_release_and_link(dataset):
    figure, frame = _map_frame(dataset, "ILL_HEALTH_COVERAGE", 2020)
    framed = images.briefing_figure(figure, frame, SLIDE)
    layout = framed["layout"]
    assert (layout["width"], layout["height"]) == (1200, 675)
    assert "Population covered by social health protection" in _annotation(framed, "title")["text"]
    assert _annotation(framed, "subtitle")["text"] == "Provinces, 2020"
    release = _annotation(framed, "release-link")["text"]
    assert "data release 2026-11-29" in release and "https://x/goal/1" in release
    texts = " ".join(a["text"] for a in layout["annotations"])
    assert "Source: " in texts and "Unit: " in texts and "Boundaries:" in texts
    assert layout["margin"]["t"] + layout["margin"]["b"] < SLIDE.height / 2


def test_images_badge_is_illustrative_when_any_row_is(dataset):
    figure, frame = _map_frame(dataset, "ILL_HEALTH_COVERAGE", 2020)
    badge = _annotation(images.briefing_figure(figure, frame, SCREEN), "nature-badge")
    assert ILLUSTRATIVE_BADGE.upper() in badge["text"]
    figure, frame = _map_frame(dataset, "LSIS2_SKILLED_BIRTH_ATTENDANCE", 2017)
    framed = images.briefing_figure(figure, frame, SCREEN)
    assert "Survey / census" in _annotation(framed, "nature-badge")["text"]
    assert not [a for a in framed["layout"]["annotations"] if "ILLUSTRATIVE" in a["text"]]


def test_images_frame_in_lao_draws_every_text_in_lao_with_wrapped_title(dataset):
    selection = views.resolve_map_selection(dataset, "1", "ILL_HEALTH_COVERAGE", "province", 2020)
    title = "ອັດຕາສ່ວນຂອງພົນລະເມືອງທີ່ໄດ້ຮັບການຄຸ້ມຄອງຈາກການປົກປ້ອງສຸຂະພາບທາງສັງຄົມ" * 2
    subtitle = images.map_subtitle(dataset.release.areas, "province", 2020, "lo")
    assert subtitle == "ແຂວງຕ່າງໆຂອງ ສປປ ລາວ, ປີ 2020"
    frame = images.frame_for(
        views.map_rows(dataset, selection), title, subtitle, "2026-11-29", "https://x", lang="lo"
    )
    figure = views.map_figure(
        dataset, selection, schematic=False, lang="lo", layout=images.layout_for_size("screen")
    )
    framed = images.briefing_figure(figure, frame, SCREEN)
    lines = _annotation(framed, "title")["text"].removeprefix("<b>").removesuffix("</b>")
    assert len(lines.split("<br>")) >= 2 and lines.replace("<br>", "") == title
    assert "ຂໍ້ມູນສົມມຸດ" in _annotation(framed, "nature-badge")["text"]
    assert "ຂໍ້ມູນສະບັບເຜີຍແຜ່ 2026-11-29" in _annotation(framed, "release-link")["text"]


def test_images_series_subtitle_names_areas_and_years_in_the_language(dataset):
    rows = views.series_rows(dataset, "ILL_HEALTH_COVERAGE", ("LA01",))
    english = images.series_subtitle(dataset.release.areas, rows, "en")
    assert english.startswith("Lao PDR, Vientiane Capital, ") and "–2024" in english
    lao = images.series_subtitle(dataset.release.areas, rows, "lo")
    assert lao.startswith("ສປປ ລາວ, ນະຄອນຫຼວງວຽງຈັນ, ")


def test_images_inline_geometry_replaces_the_url_only_in_the_copy(dataset):
    figure, _ = _map_frame(dataset, "ILL_HEALTH_COVERAGE", 2020)
    shapes = {"type": "FeatureCollection", "features": []}
    inlined = images.inline_geometry(figure, shapes)
    assert [t["geojson"] for t in inlined["data"]] == [shapes, shapes]
    assert figure["data"][0]["geojson"] == "/geo/province.geojson"


def test_images_slide_is_16_by_9_at_1600_by_900():
    assert SLIDE.pixels == (1600, 900) and SLIDE.width * 9 == SLIDE.height * 16


# ---------------------------------------------------------------- real renders


@pytest.fixture(scope="module")
def renderer():
    return images.Renderer()


def _pixels(png: bytes):
    image = PIL.open(io.BytesIO(png)).convert("L")
    return image.size, image


def _text_png(renderer: images.Renderer, text: str, family: str) -> bytes:
    figure = {
        "data": [],
        "layout": {
            "title": {"text": text, "font": {"size": 48, "family": family}},
            "xaxis": {"visible": False},
            "yaxis": {"visible": False},
        },
    }
    return renderer.render(figure, "png", images.ImageSize("probe", 700, 140, 1))


@needs_chromium
def test_images_route_map_png_slide_is_1600x900_and_not_blank():
    client = make_server()[0].test_client()
    response = client.get(
        "/image/map.png?goal=1&indicator=ILL_HEALTH_COVERAGE&level=province&year=2020&size=slide"
    )
    assert response.status_code == 200 and response.mimetype == "image/png"
    size, image = _pixels(response.data)
    assert size == (1600, 900)
    low, high = image.getextrema()
    assert high - low > 100  # dark text and a colour scale on white
    histogram = image.histogram()
    assert max(histogram) < 0.95 * sum(histogram)  # not one flat colour
    svg = client.get("/image/series.svg?goal=1&size=screen&lang=en")
    assert svg.status_code == 200 and svg.mimetype == "image/svg+xml"
    assert b'width="960"' in svg.data[:400] and f"data release {SHIPPED_ID}".encode() in svg.data
    lao = client.get("/image/series.svg?goal=1&size=screen&lang=lo")
    assert lao.status_code == 200 and f"ຂໍ້ມູນສະບັບເຜີຍແຜ່ {SHIPPED_ID}" in lao.data.decode()
    assert "Vary" not in lao.headers


@needs_chromium
def test_images_lao_script_renders_glyphs_in_noto_sans_lao(renderer):
    """Different Lao words draw differently (tofu boxes would not), unlike undefined glyphs, and
    the font the figures name is the one used (not a fallback)."""
    family = "'Noto Sans Lao'"
    word_a = _text_png(renderer, "ການປົກປ້ອງສັງຄົມ", family)
    word_b = _text_png(renderer, "ສຸຂະພາບແລະປະກັນ", family)
    tofu_a = _text_png(renderer, "\ue000\ue001\ue002\ue003\ue004\ue005\ue006\ue007", family)
    tofu_b = _text_png(renderer, "\ue010\ue011\ue012\ue013\ue014\ue015\ue016\ue017", family)
    assert tofu_a == tofu_b  # undefined glyphs all draw the same box
    assert word_a != word_b and word_a != tofu_a
    fallback = _text_png(renderer, "ການປົກປ້ອງສັງຄົມ", "'No Such Font'")
    assert word_a != fallback, "Noto Sans Lao is not installed for Chromium (fonts-noto-core)"


@needs_chromium
def test_images_slide_map_fills_the_slide_and_phone_image_is_360_wide():
    """Looked at as pixels: on a slide, the coloured map spans most of the height of the slide
    and a wide part of it (not a small map with half the frame empty); the lite pages' image is
    laid out 360 px wide (rendered at twice the density)."""
    client = make_server()[0].test_client()
    slide = client.get(
        "/image/map.png?goal=1&indicator=ILL_HEALTH_COVERAGE&level=district&year=2024"
        "&size=slide&lang=lo"
    )
    assert slide.status_code == 200
    image = PIL.open(io.BytesIO(slide.data)).convert("RGB")
    width, height = image.size
    # map colours: saturated pixels (Cividis blues and yellows), not grey or black text
    coloured = image.crop((0, 0, int(width * 0.7), height)).convert("HSV")
    saturation = coloured.split()[1].point(lambda s: 255 if s > 60 else 0)
    left, top, right, bottom = saturation.getbbox()
    assert bottom - top >= 0.6 * height  # the map runs down most of the slide
    assert right - left >= 0.3 * width  # and across a wide part of it
    phone = client.get(
        "/image/map.png?goal=1&indicator=ILL_HEALTH_COVERAGE&level=district&year=2024"
        "&size=image_phone&lang=lo"
    )
    assert phone.status_code == 200
    assert PIL.open(io.BytesIO(phone.data)).size == (720, 1440)


#: Height of a line of annotation text as plotly draws it, in font sizes.
DRAWN_LINE = 1.3


@pytest.mark.parametrize("size", ["image_phone", "screen", "slide"])
@pytest.mark.parametrize("lang", ["lo", "en"])
def test_images_direct_labels_never_overlap_once_framed(size: str, lang: str):
    """The names at the lines' ends are spread for the plot the framed image draws (under its
    title, above its source lines), so on a phone-sized lite image as on a slide no two overlap
    and none runs above the plot: the goal 1 coverage chart names five lines."""
    from callbacks.images import image_job
    from dashboard import queries

    _server, store = make_server()
    ds = store.dataset
    most = 0
    for goal in views.GOAL_IDS:
        for indicator_id in queries.series_indicator_ids(ds, goal):
            values = {"goal": goal, "indicator": indicator_id, "size": size}
            layout = image_job(store, ds, "series", "png", values, lang).figure()["layout"]
            margin = layout["margin"]
            plot = layout["height"] - margin["t"] - margin["b"]
            spans = sorted(
                (
                    a["y"] * plot - height / 2,
                    a["y"] * plot + height / 2,
                )
                for a in layout["annotations"]
                if a.get("name") == "direct-label"
                for height in [(a["text"].count("<br>") + 1) * a["font"]["size"] * DRAWN_LINE]
            )
            most = max(most, len(spans))
            for (_low, high), (next_low, _high) in zip(spans, spans[1:], strict=False):
                assert next_low >= high - 0.5, (indicator_id, spans)
            assert not spans or spans[-1][1] <= plot + margin["t"] / 4, (indicator_id, spans)
    assert most >= 5
