"""Figure builders: the values drawn, the provenance printed, and the patch/figure agreement."""

from __future__ import annotations

import json
import re

import plotly.graph_objects as go
import pytest

from dashboard import figures, queries, views
from dashboard.figure_layouts import DESKTOP, SCREEN, FigureLayout
from dashboard.figures import BACKGROUND, VALUES, apply_properties
from dashboard.lao_text import display_width


def _map(
    dataset,
    goal="2",
    indicator=None,
    level=None,
    year=None,
    schematic=False,
    lang="en",
    layout: FigureLayout = DESKTOP,
):
    selection = views.resolve_map_selection(dataset, goal, indicator, level, year)
    return selection, views.map_figure(dataset, selection, schematic, lang=lang, layout=layout)


def _values(trace: dict) -> dict[str, float]:
    """Area → value of the values trace (z holds colour classes; the value is customdata[4])."""
    return {code: c[4] for code, c in zip(trace["locations"], trace["customdata"], strict=True)}


def test_map_figure_draws_every_value_of_the_view(dataset):
    selection, fig = _map(dataset, "3", "LSIS2_STUNTING")
    rows = views.map_rows(dataset, selection).set_index("area_code")
    values = fig["data"][VALUES]
    assert len(values["locations"]) == 18
    drawn = _values(values)
    assert drawn == rows["value"].to_dict()
    assert drawn["LA01"] == pytest.approx(13.8)


def test_map_figure_is_valid_plotly(dataset):
    _, fig = _map(dataset, "1")
    go.Figure(fig)  # raises on any invalid property


def test_map_background_covers_every_area_so_missing_values_read_no_data(dataset):
    _, fig = _map(dataset, "1", "NHI_START_YEAR_PROVINCE")
    background, values = fig["data"][BACKGROUND], fig["data"][VALUES]
    assert len(background["locations"]) == 18
    assert "LA01" not in values["locations"]  # Vientiane Capital: no NHI start year
    assert "no data" in background["hovertemplate"]
    assert fig["layout"]["meta"]["areas_without_data"] == 18 - len(values["locations"])


def test_map_geometry_is_referenced_by_url_not_embedded(dataset):
    _, fig = _map(dataset, "2", level="district")
    assert fig["data"][VALUES]["geojson"] == "/geo/district.geojson"
    assert len(json.dumps(fig)) < 60_000


def test_map_update_patch_has_the_same_values_as_a_fresh_figure(dataset):
    """Changing year through the patch gives exactly the figure a shared link would draw."""
    first, fig = _map(dataset, "2", year="2016")
    second, fresh = _map(dataset, "2", year="2020")
    patched = apply_properties(
        json.loads(json.dumps(fig)), views.map_update(dataset, second, False, lang="en")
    )
    assert patched == fresh
    assert _values(patched["data"][VALUES]) != _values(fig["data"][VALUES])


def test_map_update_is_small_and_carries_no_geometry(dataset):
    selection = views.resolve_map_selection(dataset, "2", level="district", year="2020")
    update = views.map_update(dataset, selection, False, lang="en")
    payload = json.dumps(update)
    assert '"coordinates"' not in payload
    assert len(payload) < 40_000  # 148 districts of values, names and hover text


def test_map_image_states_unit_year_source_nature_and_attribution(dataset):
    _, fig = _map(dataset, "3", "LSIS2_STUNTING", layout=SCREEN)
    notes = " ".join(a["text"] for a in fig["layout"]["annotations"])
    assert "2017" in fig["layout"]["title"]["text"]
    assert "% of children under 5" in notes
    assert "Survey / census" in notes
    assert "NIPN" in notes
    assert "CC BY 3.0 IGO" in notes


def test_illustrative_map_image_carries_the_badge_and_real_map_does_not(dataset):
    _, illustrative = _map(dataset, "2", layout=SCREEN)
    _, real = _map(dataset, "3", "LSIS2_STUNTING", layout=SCREEN)

    def badge(fig):
        return [a for a in fig["layout"]["annotations"] if a.get("name") == "illustrative-badge"]

    assert badge(illustrative) and "NOT OFFICIAL STATISTICS" in badge(illustrative)[0]["text"]
    assert not badge(real)


def test_schematic_map_says_it_is_not_a_map(dataset):
    _, fig = _map(dataset, "2", schematic=True)
    notes = " ".join(a["text"] for a in fig["layout"]["annotations"])
    assert "Schematic layout" in notes


def test_lower_is_better_reverses_the_colour_classes(dataset):
    _, stunting = _map(dataset, "3", "LSIS2_STUNTING")
    _, births = _map(dataset, "1", "LSIS2_SKILLED_BIRTH_ATTENDANCE")

    def colours(fig):  # band colours after the no-data band, lowest class first
        return [stop[1] for stop in fig["data"][VALUES]["colorscale"][2::2]]

    assert colours(births)[0] == figures.class_colours(5)[0]  # low = dark blue
    assert colours(stunting)[0] == figures.class_colours(5)[-1]  # low stunting = light


def test_time_series_draws_each_method_as_its_own_line_and_says_so(dataset):
    fig = views.series_figure(dataset, "POV_NATIONAL_LECS", (), lang="en")
    names = [t["name"] for t in fig["data"]]
    assert len(names) == len(set(names)) >= 2
    old = next(t for t in fig["data"] if "old" in t["name"].lower() or "(old" in t["name"])
    assert old["x"] == [1992, 2002, 2007, 2012]
    assert fig["layout"]["meta"]["notes"] == [figures.SERIES_BREAK_NOTE]
    image = views.series_figure(dataset, "POV_NATIONAL_LECS", (), lang="en", layout=SCREEN)
    notes = " ".join(a["text"] for a in image["layout"]["annotations"])
    assert "Series break" in notes
    go.Figure(fig)


def test_time_series_shows_the_target_with_whose_it_is(dataset):
    fig = views.series_figure(dataset, "SHP_COVERAGE", (), lang="en")
    target = next(t for t in fig["data"] if t.get("meta") == "target")
    assert (target["x"], target["y"]) == ([2020], [80.0])
    name = target["name"].replace("<br>", " ")
    assert name == (
        "Target of the 8th Health Sector Development Plan (2016–2020), Ministry of Health: "
        "80.0\u00a0% by 2020"
    )
    assert "NSPS" not in name
    assert "Extending Social Health Protection in Lao PDR" in target["hovertemplate"].replace(
        "<br>", " "
    )
    assert fig["layout"]["shapes"][0]["y0"] == 80.0
    # a family member's target is never drawn on another member's chart
    ghed = views.series_figure(dataset, "GHED_GGHE-DGGE_SHA2011", (), lang="en")
    assert not [t for t in ghed["data"] if t.get("meta") == "target"]


def test_time_series_points_equal_the_series_view(dataset):
    fig = views.series_figure(dataset, "ILL_HEALTH_COVERAGE", ("LA05",), lang="en")
    rows = queries.series_view(dataset, "ILL_HEALTH_COVERAGE", ("LA05",))
    drawn = sorted(
        (x, y)
        for t in fig["data"]
        if t.get("meta") not in ("target", "trajectory")
        for x, y in zip(t["x"], t["y"], strict=True)
    )
    assert drawn == sorted(zip(rows["year"].astype(int), rows["value"], strict=True))


def test_budget_figures_are_valid_and_sum_to_the_published_amounts(dataset):
    stack = figures.budget_stack_figure(
        queries.budget_stack_view(dataset, "1"), dataset.release.indicators, lang="en"
    )
    go.Figure(stack)
    assert len(stack["data"]) == 3
    lines = queries.budget_view(dataset, "3")
    fig = figures.budget_lines_figure(lines, lang="en")
    go.Figure(fig)
    drawn = sum(sum(t["x"]) for t in fig["data"])
    assert drawn == pytest.approx(lines["amount"].sum() / 1e6)


# ---------------------------------------------------------------- the reader's language


def _texts(fig: dict) -> str:
    """Every text a reader sees in a figure: title, notes, axis titles, legend, hover data."""
    layout = fig["layout"]
    parts = [layout.get("title", {}).get("text", "")]
    parts += [a["text"] for a in layout.get("annotations", [])]
    parts += [layout.get(axis, {}).get("title", {}).get("text", "") for axis in ("xaxis", "yaxis")]
    for trace in fig["data"]:
        parts += [
            str(trace.get("name", "")),
            json.dumps(trace.get("customdata", []), ensure_ascii=False),
        ]
        parts += [
            trace.get("hovertemplate", ""),
            json.dumps(trace.get("text", []), ensure_ascii=False),
        ]
        parts.append(trace.get("colorbar", {}).get("title", {}).get("text", ""))
    return " ".join(parts)


def test_map_figure_in_lao_has_lao_title_names_units_numbers_and_separators(dataset):
    _, fig = _map(dataset, "3", "LSIS2_STUNTING", lang="lo", layout=SCREEN)
    assert fig["layout"]["separators"] == ",."
    title = fig["layout"]["title"]["text"]
    assert "ເດັກເຕ້ຍກວ່າເກນ" in title and "ແຂວງ" in title and "2017" in title
    values = fig["data"][VALUES]
    la01 = values["customdata"][values["locations"].index("LA01")]
    assert la01[:2] == ["ນະຄອນຫຼວງວຽງຈັນ", "13,8\u00a0%"]
    assert la01[2] == "ການສຳຫຼວດ / ການສຳຫຼວດພົນລະເມືອງ"
    notes = " ".join(a["text"] for a in fig["layout"]["annotations"])
    assert "ແຫຼ່ງຂໍ້ມູນ:" in notes and "ຫົວໜ່ວຍ:" in notes and "CC BY 3.0 IGO" in notes
    assert "Source:" not in notes and "Unit:" not in notes
    _, english = _map(dataset, "3", "LSIS2_STUNTING", lang="en")
    assert english["layout"]["separators"] == ".,"
    assert english["data"][VALUES]["customdata"][0][0] == "Vientiane Capital"


def test_illustrative_map_in_lao_carries_the_lao_badge(dataset):
    _, fig = _map(dataset, "2", lang="lo", layout=SCREEN)
    badge = [a for a in fig["layout"]["annotations"] if a.get("name") == "illustrative-badge"]
    assert badge and "ຂໍ້ມູນສົມມຸດ — ບໍ່ແມ່ນສະຖິຕິທາງການ" in badge[0]["text"]
    assert "ບໍ່ມີຂໍ້ມູນ" in fig["data"][BACKGROUND]["hovertemplate"]


def test_map_no_data_is_its_own_class_in_the_legend_with_outline_and_colour(dataset):
    _, partial = _map(dataset, "1", "NHI_START_YEAR_PROVINCE")
    background = partial["data"][BACKGROUND]
    assert background["name"] == "no data"
    assert background["marker"]["line"]["color"] == figures.NO_DATA_OUTLINE
    values = partial["data"][VALUES]
    assert values["colorbar"]["ticktext"][0] == "no data"
    assert values["colorscale"][0][1] == figures.NO_DATA_COLOUR
    assert 0 not in values["z"]  # class 0 is "no data": no value is drawn in it
    _, complete = _map(dataset, "1", "LSIS2_SKILLED_BIRTH_ATTENDANCE")
    lowest = go.Figure(complete).data[VALUES].colorscale[2][1]  # Cividis' darkest blue
    assert figures.contrast_ratio(figures.NO_DATA_COLOUR, _hex(lowest)) > 7
    # the palest class stays apart from the no-data grey (pale yellow against grey)
    assert (
        min(figures.contrast_ratio(figures.NO_DATA_COLOUR, c) for c in figures.class_colours(5))
        >= 1.5
    )


def _hex(colour: str) -> str:
    if colour.startswith("#"):
        return colour
    red, green, blue = (int(float(c)) for c in colour[colour.index("(") + 1 : -1].split(",")[:3])
    return f"#{red:02x}{green:02x}{blue:02x}"


def test_figure_text_colours_meet_wcag_aa_contrast():
    on_white = [figures.TEXT_COLOUR, figures.NOTE_COLOUR, figures.BADGE_COLOUR]
    assert all(figures.contrast_ratio(c, "#ffffff") >= 4.5 for c in on_white)
    assert figures.contrast_ratio("#ffffff", figures.BADGE_COLOUR) >= 4.5
    assert figures.contrast_ratio("#000000", "#ffffff") == pytest.approx(21)


def test_series_figure_in_lao_translates_axis_target_legend_and_hover_numbers(dataset):
    fig = views.series_figure(dataset, "SHP_COVERAGE", (), lang="lo", layout=SCREEN)
    target = next(t for t in fig["data"] if t.get("meta") == "target")
    assert target["name"].replace("<br>", " ") == (
        "ຄາດໝາຍຂອງ ແຜນພັດທະນາຂະແໜງສາທາລະນະສຸກ ຄັ້ງທີ 8 (2016–2020), ກະຊວງສາທາລະນະສຸກ: "
        "80,0\u00a0% ພາຍໃນປີ 2020"
    )
    lines = [t for t in fig["data"] if "customdata" in t]
    hover = {(x, text[0]) for t in lines for x, text in zip(t["x"], t["customdata"], strict=True)}
    assert (2008, "10,5\u00a0%") in hover and (2024, "94,0\u00a0%") in hover
    assert "ການຄຸ້ມຄອງ" in fig["layout"]["title"]["text"]
    assert fig["layout"]["separators"] == ",."


def test_figures_in_lao_have_no_english_interface_words(dataset):
    allowed = {
        "NSPS",
        "NHI",
        "WHO",
        "ILO",
        "ADB",
        "GHED",
        "LECS",
        "LSIS",
        "HDX",
        "CC",
        "BY",
        "IGO",
        "USD",
        "WSPR",
        # programme names, as their funders name them
        "McGovern",
        "Dole",
        "USDA",
        "IDA",
        "WFP",
    }
    figs = [
        _map(dataset, "3", "LSIS2_STUNTING", lang="lo", layout=SCREEN)[1],
        views.series_figure(dataset, "SHP_COVERAGE", (), lang="lo", layout=SCREEN),
        figures.budget_lines_figure(queries.budget_view(dataset, "3"), lang="lo", layout=SCREEN),
    ]
    for fig in figs:
        texts = _texts(fig).replace("<br>", " ")
        # publishers and titles are cited as published (English), marked so on the page; the
        # rest is Lao
        sources = dataset.release.sources
        cited = {*queries.full_table(dataset)["source_label"], *sources["title"]}
        publishers = sorted(cited, key=len)[::-1]
        texts = re.sub("|".join(re.escape(p) for p in publishers), "", texts)
        texts = re.sub(r"%\{[^}]*\}|<[^>]+>|geoBoundaries|NGD|OCHA|ROAP|COD-AB|PDR", "", texts)
        words = set(re.findall(r"[A-Za-z]{2,}", texts)) - allowed
        assert not words, words


def test_lao_figure_texts_are_wrapped_within_their_width(dataset):
    _, fig = _map(dataset, "2", level="district", lang="lo", layout=SCREEN)
    title = fig["layout"]["title"]["text"].split("<br>")
    assert all(display_width(line) <= figures.TITLE_WIDTH for line in title)
    notes = [a for a in fig["layout"]["annotations"] if a.get("yanchor") == "top"]
    notes = [a for a in notes if not a.get("name")]  # footer lines, not ranking or badge
    lines = [line for a in notes for line in a["text"].split("<br>")]
    assert len(lines) > len(notes)  # the long Lao attribution takes several lines
    assert all(display_width(line) <= figures.note_columns(SCREEN) for line in lines)


# ---------------------------------------------------------------- year changes patch values only


def test_map_year_change_patches_only_the_year_properties(dataset):
    before = views.resolve_map_selection(dataset, "2", year="2016")
    after = views.resolve_map_selection(dataset, "2", year="2020")
    shown = views.map_share_state(dataset, "2", before, lang="en")
    update = views.map_update(dataset, after, False, lang="en", shown=shown)
    assert set(update) == set(figures.YEAR_PROPERTIES)
    assert not any(key.startswith("data.0.") for key in update)
    full = views.map_update(dataset, after, False, lang="en")
    patched = apply_properties(
        json.loads(json.dumps(views.map_figure(dataset, before, False, lang="en"))), update
    )
    assert patched == views.map_figure(dataset, after, False, lang="en")
    assert len(json.dumps(update)) < len(json.dumps(full))


def test_map_level_or_language_change_sends_every_property(dataset):
    province = views.resolve_map_selection(dataset, "2", level="province", year="2020")
    district = views.resolve_map_selection(dataset, "2", level="district", year="2020")
    shown = views.map_share_state(dataset, "2", province, lang="en")
    assert "data.0.geojson" in views.map_update(dataset, district, False, lang="en", shown=shown)
    assert "data.0.customdata" in views.map_update(dataset, province, False, lang="lo", shown=shown)


def test_map_properties_are_memoised_per_view_and_language(dataset):
    selection = views.resolve_map_selection(dataset, "2", year="2020")
    first = views.map_properties(dataset, selection, False, lang="en")
    assert views.map_properties(dataset, selection, False, lang="en") is first
    assert views.map_properties(dataset, selection, False, lang="lo") is not first
    figure = views.map_figure(dataset, selection, False, lang="en")
    figure["data"][VALUES]["z"].append(-1)  # a caller changing its figure …
    assert -1 not in first["data.1.z"]  # … never changes the cached properties
    assert views.map_properties(dataset, selection, False, lang="en", layout=SCREEN) is not first


def test_budget_stage_labels_cover_every_stage_the_schema_allows() -> None:
    from dashboard.schema import TABLES

    stage = next(c for c in TABLES["budget"].columns if c.name == "stage")
    assert set(figures.STAGE_LABELS) == set(stage.choices)


def test_programme_area_map_is_categorical_named_or_not_named_never_zero(dataset):
    """A programme-area layer reads "named by this source" / "not named by this source"."""
    selection, fig = _map(dataset, "3", "CCT_WB_PROVINCE_FLAG")
    assert selection.indicator_id == "CCT_WB_PROVINCE_FLAG" and selection.level == "province"
    background, values = fig["data"][0], fig["data"][VALUES]
    assert background["name"] == "not named by this source"
    assert "not named by this source" in background["hovertemplate"]
    # one class: the legend reads "not named by this source" | "named by this source"
    assert values["colorbar"]["ticktext"] == ["not named by this source", "named by this source"]
    assert len(set(values["z"])) == 1
    assert len(values["locations"]) == 4  # the four provinces the source names
    assert all(row[1] == "named by this source" for row in values["customdata"])
    lao = _map(dataset, "3", "CCT_WB_PROVINCE_FLAG", lang="lo")[1]
    assert lao["data"][0]["name"] == "ບໍ່ມີຊື່ໃນແຫຼ່ງຂໍ້ມູນນີ້"
    # a value indicator drawn after it says "no data" again (patches leave nothing behind)
    after = _map(dataset, "3", "LSIS2_STUNTING")[1]
    assert after["data"][0]["name"] == "no data"
    assert "no data" in after["data"][0]["hovertemplate"]
