"""Figure layouts by width class: the values each layout gives every chart kind, colour classes
that show differences, zoom to an area, and the image layouts."""

from __future__ import annotations

import math

import pytest

from dashboard import figures, images, queries, views
from dashboard.figure_layouts import (
    DESKTOP,
    EMBED,
    EMBED_PHONE,
    LAYOUTS,
    PAGE_LAYOUTS,
    PHONE,
    SLIDE,
    TABLET,
    layout_for_width,
    layout_named,
)
from dashboard.figures import VALUES

PAGE = [LAYOUTS[name] for name in PAGE_LAYOUTS]


def test_figure_layouts_width_classes():
    assert layout_for_width(360, False).name == "phone"
    assert layout_for_width(575, False).name == "phone"
    assert layout_for_width(576, False) is TABLET
    assert layout_for_width(1280, False) is DESKTOP
    assert layout_for_width(640, True) is EMBED
    assert layout_for_width(400, True) is EMBED_PHONE
    assert layout_for_width(400, True, 500) is EMBED_PHONE  # a narrow embed: legend below
    tall = layout_for_width(360, True, 740)  # a tall column: its lines named at their ends
    assert tall.name == "embed_phone_tall" and tall.colour_legend == "below"
    assert tall.min_plot_height > EMBED_PHONE.min_plot_height
    wide = layout_for_width(400, True, 300)  # a small landscape box: legend beside the map
    assert wide.colour_legend == "right" and wide.height is None
    assert layout_named(wide.name) is wide  # a layout's name brings it back (stores, URLs)
    assert layout_named("slide") is SLIDE and layout_named("nonsense") is DESKTOP
    # a phone's map is as tall as the country needs at that width, legend included
    assert layout_for_width(360, False).map_height > layout_for_width(320, False).map_height
    assert not any(LAYOUTS[name].text_inside for name in PAGE_LAYOUTS)
    assert all(layout.text_inside for layout in images.IMAGE_LAYOUTS.values())


@pytest.mark.parametrize("layout", PAGE, ids=lambda layout: layout.name)
def test_figure_layouts_series_ticks_unrotated_and_few_no_text_inside(dataset, layout):
    fig = views.series_figure(dataset, "SHP_COVERAGE", (), lang="lo", layout=layout)
    xaxis, yaxis = fig["layout"]["xaxis"], fig["layout"]["yaxis"]
    assert xaxis["tickangle"] == 0
    first, last = xaxis["range"]
    if layout.name in figures.LENGTH_SPACED_TICKS:  # width unknown: plotly spaces by length
        assert xaxis["tickmode"] == "auto" and "dtick" not in xaxis and "nticks" not in xaxis
    else:
        assert (last - first) / xaxis["dtick"] + 1 <= layout.max_xticks + 1
    assert fig["layout"]["title"]["text"] == ""
    assert "title" not in yaxis  # the unit is in the frame's subtitle
    drawn = {a.get("name") for a in fig["layout"]["annotations"]}
    assert drawn <= {"direct-label", "target-label"}  # no title, source or footer text
    target = next(a for a in fig["layout"]["annotations"] if a["name"] == "target-label")
    mark = next(t for t in fig["data"] if t.get("meta") == "target")
    # the target names the document that set it: along its line where the plot has room
    # without hiding a point, else on its mark's hover ("ຄາດໝາຍ: 80,0 % ພາຍໃນປີ 2020")
    document = "ແຜນພັດທະນາຂະແໜງສາທາລະນະສຸກ"
    label = target["text"].replace("<br>", " ")
    assert document in label.replace(" ", "") or label.startswith("ຄາດໝາຍ: 80,0")
    assert document in mark["hovertemplate"].replace("<br>", "")
    if layout.name in ("tablet", "desktop"):
        assert document in label.replace(" ", "")
    assert target["xref"] == "paper" and target["x"] == 0  # along its line, from the left
    assert "ການຄຸ້ມຄອງ" in fig["layout"]["meta"]["title"]  # the frame shows it, in Lao


def test_figure_layouts_phone_has_fewer_year_ticks_than_desktop(dataset):
    phone = views.series_figure(dataset, "SHP_COVERAGE", (), lang="en", layout=PHONE)
    desktop = views.series_figure(dataset, "SHP_COVERAGE", (), lang="en", layout=DESKTOP)
    assert phone["layout"]["xaxis"]["dtick"] >= 4  # 2008, 2013, 2018, 2023
    assert desktop["layout"]["xaxis"]["tickmode"] == "auto"
    assert figures.year_dtick(2016, 2025, 4) == 3  # 2016, 2019, 2022, 2025


def test_figure_layouts_up_to_six_lines_are_labelled_at_their_ends(dataset):
    codes = ("LA01", "LA05")
    fig = views.series_figure(dataset, "ILL_HEALTH_COVERAGE", codes, lang="en", layout=PHONE)
    labels = [a for a in fig["layout"]["annotations"] if a["name"] == "direct-label"]
    assert [a["text"] for a in labels] == ["Lao PDR", "Vientiane<br>Capital", "Bokeo"]
    assert fig["layout"]["showlegend"] is False
    assert all(a["x"] == 1 and a["xanchor"] == "left" for a in labels)  # right of the plot
    # labels never overlap: their centres are at least a line apart
    centres = sorted(a["y"] for a in labels)
    plot = PHONE.height - fig["layout"]["margin"]["t"] - fig["layout"]["margin"]["b"]
    assert all(
        (b - a) * plot >= PHONE.font_size for a, b in zip(centres, centres[1:], strict=False)
    )


def test_figure_layouts_more_lines_get_a_compact_legend_below(dataset):
    codes = tuple(f"LA{i:02d}" for i in range(1, 8))
    fig = views.series_figure(dataset, "ILL_HEALTH_COVERAGE", codes, lang="en", layout=PHONE)
    assert fig["layout"]["showlegend"] is True
    legend = fig["layout"]["legend"]
    assert (legend["orientation"], legend["yref"], legend["y"]) == ("h", "container", 0)
    assert not [a for a in fig["layout"]["annotations"] if a["name"] == "direct-label"]
    assert fig["layout"]["height"] > PHONE.height  # the figure grows, the plot keeps its room
    embed = views.series_figure(dataset, "ILL_HEALTH_COVERAGE", codes, lang="en", layout=EMBED)
    assert embed["layout"]["legend"]["orientation"] == "v"  # beside the plot in an iframe


def test_figure_layouts_spread_labels_never_overlap_and_stay_inside():
    placed = figures.spread_labels([100, 101, 102, 5], [20, 20, 20, 20], 120)
    ordered = sorted(placed)
    assert all(b - a >= 20 - 1e-9 for a, b in zip(ordered, ordered[1:], strict=False))
    assert min(placed) >= 10 and max(placed) <= 110


@pytest.mark.parametrize(
    ("layout", "orientation"),
    [(PHONE, "h"), (EMBED_PHONE, "h"), (TABLET, "v"), (DESKTOP, "v"), (EMBED, "v")],
    ids=lambda value: getattr(value, "name", value),
)
def test_figure_layouts_map_legend_placement_and_no_margins(dataset, layout, orientation):
    selection = views.resolve_map_selection(dataset, "1", "ILL_HEALTH_COVERAGE", "district", 2024)
    fig = views.map_figure(dataset, selection, False, lang="en", layout=layout)
    assert fig["data"][VALUES]["colorbar"]["orientation"] == orientation
    assert fig["layout"]["margin"] == {"l": 0, "r": 0, "t": 0, "b": 0}
    assert fig["layout"]["title"]["text"] == "" and fig["layout"]["annotations"] == []


# ---------------------------------------------------------------- colour classes


def _default_map_views(ds):
    """Each goal's default map indicator at province and district, every year with data."""
    for goal in views.GOAL_IDS:
        for level in views.LEVELS:
            selection = views.resolve_map_selection(ds, goal, None, level)
            if level not in queries.levels_with_data(ds, selection.indicator_id):
                continue
            for year in queries.years_with_data(ds, selection.indicator_id, level):
                yield views.resolve_map_selection(ds, goal, selection.indicator_id, level, year)


def test_figure_layouts_every_default_map_view_uses_three_classes_when_values_differ(dataset):
    checked = 0
    for selection in _default_map_views(dataset):
        fig = views.map_figure(dataset, selection, False, lang="en", layout=PHONE)
        values = fig["data"][VALUES]
        distinct = len({c[4] for c in values["customdata"]})
        classes = len(set(values["z"]))
        assert classes >= min(3, distinct), (selection, classes, distinct)
        assert len(values["colorbar"]["ticktext"]) == len(set(values["z"])) + 1  # + no data
        checked += 1
    assert checked >= 4


def test_figure_layouts_every_mappable_view_uses_three_classes_when_values_differ(dataset):
    for goal in views.GOAL_IDS:
        for indicator in queries.mappable_indicator_ids(dataset, goal):
            for level in queries.levels_with_data(dataset, indicator):
                for year in queries.years_with_data(dataset, indicator, level):
                    selection = views.resolve_map_selection(dataset, goal, indicator, level, year)
                    rows = views.map_rows(dataset, selection)
                    indices = figures.class_indices(rows["value"].tolist())
                    assert len(set(indices)) >= min(3, rows["value"].nunique()), selection


def test_figure_layouts_2024_district_coverage_map_is_no_longer_one_colour(dataset):
    selection = views.resolve_map_selection(dataset, "1", "ILL_HEALTH_COVERAGE", "district", 2024)
    fig = views.map_figure(dataset, selection, False, lang="en", layout=DESKTOP)
    values = fig["data"][VALUES]
    assert len(set(values["z"])) == figures.MAX_CLASSES
    labels = values["colorbar"]["ticktext"]
    assert labels[0] == "no data"
    assert labels[1].startswith("81.5–") and labels[-1].endswith("98.3\u00a0%")
    # each class holds about a fifth of the 148 districts
    counts = [values["z"].count(k) for k in set(values["z"])]
    assert min(counts) >= 148 // 5 - 5


def test_figure_layouts_class_labels_state_the_range_in_the_language(dataset):
    indicator = dataset.indicator("ILL_HEALTH_COVERAGE")
    assert figures.class_label(81.5, 88.0, indicator, "en") == "81.5–88.0\u00a0%"
    assert figures.class_label(81.5, 88.0, indicator, "lo") == "81,5–88,0\u00a0%"
    assert figures.class_label(81.5, 88.0, indicator, "en", compact=True) == "81.5–<br>88.0\u00a0%"
    year = dataset.indicator("NHI_START_YEAR_PROVINCE")
    assert figures.class_label(2016, 2016, year, "en") == "2016"


def test_figure_layouts_classes_change_with_the_year_and_are_patched(dataset):
    first = views.resolve_map_selection(dataset, "1", "ILL_HEALTH_COVERAGE", "district", 2016)
    later = views.resolve_map_selection(dataset, "1", "ILL_HEALTH_COVERAGE", "district", 2024)
    update = views.map_update(
        dataset,
        later,
        False,
        lang="en",
        shown=views.map_share_state(dataset, "1", first, lang="en"),
    )
    assert "data.1.colorbar" in update and "data.1.colorscale" in update


# ---------------------------------------------------------------- zoom to an area


def test_figure_layouts_area_zoom_frames_the_area_and_the_country_again():
    zoom = figures.area_zoom((102.0, 17.8, 102.8, 18.4))
    west, east = zoom["layout.geo.lonaxis"]["range"]
    south, north = zoom["layout.geo.lataxis"]["range"]
    assert west < 102.0 < 102.8 < east and south < 17.8 < 18.4 < north
    assert zoom["layout.geo.fitbounds"] is False
    # a wide area: at least as tall as wide as Mercator draws it, so a phone's tall map shows
    # more than a strip; a tall one keeps its shape
    drawn = (north - south) / math.cos(math.radians((north + south) / 2))
    assert drawn == pytest.approx(east - west) and east - west == pytest.approx(1.6)
    tall = figures.area_zoom((102.0, 17.0, 102.4, 18.4))
    assert tall["layout.geo.lonaxis"]["range"] == pytest.approx([101.8, 102.6])
    assert tall["layout.geo.lataxis"]["range"] == pytest.approx([16.3, 19.1])
    whole = figures.area_zoom(None)
    assert whole["layout.geo.lonaxis"]["range"] == [figures.LAO_BOUNDS[0], figures.LAO_BOUNDS[2]]


def test_figure_layouts_area_bounds_come_from_the_prepared_geometry(geo_dir):
    from geo.boundaries import feature_bounds, load_boundaries

    boundaries = load_boundaries(geo_dir)
    bounds = feature_bounds(boundaries.geojson("district"))
    west = min(b[0] for b in bounds.values())
    north = max(b[3] for b in bounds.values())
    # the country frame holds every district (to its rounding)
    assert west >= figures.LAO_BOUNDS[0] - 0.01 and north <= figures.LAO_BOUNDS[3] + 0.01
    code = next(iter(bounds))
    assert bounds[code][0] < bounds[code][2] and bounds[code][1] < bounds[code][3]


# ---------------------------------------------------------------- images and budget


def test_figure_layouts_slide_map_names_highest_and_lowest_areas(dataset):
    selection = views.resolve_map_selection(dataset, "1", "ILL_HEALTH_COVERAGE", "province", 2024)
    fig = views.map_figure(dataset, selection, False, lang="en", layout=SLIDE)
    ranking = next(a for a in fig["layout"]["annotations"] if a.get("name") == "ranking")
    rows = views.map_rows(dataset, selection).sort_values("value")
    names = dataset.release.areas["name_en"]
    assert names[rows["area_code"].iloc[-1]] in ranking["text"].split("Lowest")[0]
    assert names[rows["area_code"].iloc[0]] in ranking["text"].split("Lowest")[1]
    # the map's box covers at least half of the slide (the legend panel has the rest)
    frame = images.frame_for(views.map_rows(dataset, selection), "t", "s", "r", "l", lang="en")
    framed = images.briefing_figure(fig, frame, images.SIZES["slide"])
    margin, domain = framed["layout"]["margin"], framed["layout"]["geo"]["domain"]["x"]
    width = (SLIDE.width - margin["l"] - margin["r"]) * (domain[1] - domain[0])
    height = SLIDE.height - margin["t"] - margin["b"]
    assert width * height >= 0.5 * SLIDE.width * SLIDE.height
    assert height >= 0.7 * SLIDE.height


def test_figure_layouts_budget_labels_are_wrapped_above_their_bars(dataset):
    rows = queries.budget_view(dataset, "3")
    fig = figures.budget_lines_figure(rows, lang="lo", layout=PHONE)
    labels = [a for a in fig["layout"]["annotations"] if a["name"] == "bar-label"]
    assert len(labels) == len(rows)
    assert fig["layout"]["yaxis"]["showticklabels"] is False
    for label in labels:
        lines = label["text"].split("<br>")
        assert all(figures.text_px(line, PHONE.font_size) <= 330 for line in lines)
    assert fig["layout"]["height"] >= 60 * len(rows)


def test_figure_layouts_year_patch_keeps_the_layout(dataset):
    """A year change patches a phone's map into exactly the phone map of the new year (its
    legend stays horizontal), when the update is built for the same layout."""
    import json

    first = views.resolve_map_selection(dataset, "2", None, "district", 2016)
    later = views.resolve_map_selection(dataset, "2", None, "district", 2024)
    shown = views.map_share_state(dataset, "2", first, lang="lo")
    update = views.map_update(dataset, later, False, lang="lo", shown=shown, layout=PHONE)
    before = json.loads(
        json.dumps(views.map_figure(dataset, first, False, lang="lo", layout=PHONE))
    )
    patched = figures.apply_properties(before, update)
    assert patched == views.map_figure(dataset, later, False, lang="lo", layout=PHONE)
    assert patched["data"][VALUES]["colorbar"]["orientation"] == "h"


def test_figure_layouts_target_label_never_hides_data_and_axis_stays_honest(dataset):
    fig = views.series_figure(
        dataset, "ILL_HEALTH_COVERAGE", ("LA01", "LA05"), lang="lo", layout=EMBED
    )
    label = next(a for a in fig["layout"]["annotations"] if a["name"] == "target-label")
    assert "bgcolor" not in label  # drawn over the plot, it covers nothing
    assert label["yanchor"] == "bottom" and label["y"] == 100.0  # above the 100 % target
    yaxis = fig["layout"]["yaxis"]
    assert yaxis["range"][1] > 100  # room for the label above the line …
    assert max(yaxis["tickvals"]) <= 100  # … without a tick above 100 %
    assert yaxis["ticktext"][-1] == "100\u00a0%"
    assert figures.value_ticks(0, 105.9, 6) == [0, 25, 50, 75, 100]


def test_figure_layouts_long_line_names_on_a_phone_go_to_a_legend_below(dataset):
    """A series and its family across breaks have long names: labelled at their ends they
    would leave a phone's plot a strip; below it, the plot keeps the frame's width."""
    for lang in ("en", "lo"):
        fig = views.series_figure(dataset, "SHP_COVERAGE", (), lang=lang, layout=PHONE)
        assert fig["layout"]["showlegend"] is True
        assert not [a for a in fig["layout"]["annotations"] if a["name"] == "direct-label"]
        margin = fig["layout"]["margin"]
        assert margin["l"] + margin["r"] <= 0.2 * PHONE.nominal_width
        # a desktop has room for them at the lines' ends
        desktop = views.series_figure(dataset, "SHP_COVERAGE", (), lang=lang, layout=DESKTOP)
        assert desktop["layout"]["showlegend"] is False
