"""Progress against targets: the StatCan / Open SDG measure on hand-computed series and the
shipped release's real targets."""

from __future__ import annotations

import math
from dataclasses import asdict

import pytest

from dashboard import progress, views
from dashboard.figure_layouts import SCREEN
from dashboard.progress import (
    NOT_ENOUGH_DATA,
    OFF_TRACK,
    ON_TRACK,
    SUBSTANTIALLY_OFF_TRACK,
    TARGET_MET,
    assess,
)


def test_assess_on_track_ratio_is_observed_over_required_growth():
    result = assess([(2015, 50.0), (2020, 70.0)], 90.0, 2025, "higher")
    observed = math.log(70 / 50) / 5
    required = math.log(90 / 50) / 10
    assert result.observed_rate == pytest.approx(observed)
    assert result.required_rate == pytest.approx(required)
    assert result.ratio == pytest.approx(observed / required)  # 1.14
    assert result.status == ON_TRACK
    assert (result.baseline_year, result.latest_year) == (2015, 2020)


@pytest.mark.parametrize(
    ("latest", "status"),
    [(60.0, OFF_TRACK), (52.0, SUBSTANTIALLY_OFF_TRACK), (45.0, SUBSTANTIALLY_OFF_TRACK)],
)
def test_assess_off_track_thresholds(latest, status):
    # required growth ln(90/50)/10 = 5.9\u00a0%/yr; 60 → ratio 0.62, 52 → 0.13, 45 → negative
    assert assess([(2015, 50.0), (2020, latest)], 90.0, 2025, "higher").status == status


def test_assess_target_met_for_both_directions():
    assert assess([(2016, 40.0), (2019, 81.0)], 80.0, 2020, "higher").status == TARGET_MET
    assert assess([(2016, 40.0), (2019, 19.0)], 20.0, 2025, "lower").status == TARGET_MET


def test_assess_falling_target_uses_the_same_formula():
    # poverty 40 → 30 in 5 years; target 20 by 2025: observed -5.75\u00a0%, required -6.93\u00a0%/yr
    result = assess([(2015, 40.0), (2020, 30.0)], 20.0, 2025, "lower")
    assert result.ratio == pytest.approx(math.log(30 / 40) / 5 / (math.log(20 / 40) / 10))
    assert result.status == OFF_TRACK


def test_assess_baseline_is_first_value_from_2015():
    result = assess([(2008, 10.0), (2012, 11.0), (2016, 58.0), (2024, 94.0)], 100, 2025, "higher")
    assert (result.baseline_year, result.baseline_value) == (2016, 58.0)


def test_assess_not_enough_data_cases():
    assert assess([], 80.0, 2025, "higher").status == NOT_ENOUGH_DATA
    assert assess([(2018, 30.0)], 80.0, 2025, "higher").status == NOT_ENOUGH_DATA
    assert assess([(2015, 3.0), (2020, 4.0)], 9.0, None, "higher").status == NOT_ENOUGH_DATA
    assert assess([(2015, 0.0), (2020, 4.0)], 9.0, 2025, "higher").status == NOT_ENOUGH_DATA


def test_assess_deadline_passed_with_one_value_is_off_track():
    result = assess([(2015, 30.22)], 50.0, 2015, "higher")
    assert result.status == OFF_TRACK
    assert "target year has passed" in result.reason


def test_overview_of_shipped_targets(dataset):
    table = progress.overview(dataset).set_index("indicator_id")
    assert set(table.index) == {
        "SHP_COVERAGE",
        "SS_COVERAGE_POP",
        "GOV_HEALTH_BUDGET_SHARE",
        "GHED_GGHE-DGGE_SHA2011",
        "ILL_HEALTH_COVERAGE",
        "ILL_SCHOOL_MEALS_COVERAGE",
    }
    # 80\u00a0% by 2020 (8th HSDP); 94\u00a0% in 2024
    assert table.at["SHP_COVERAGE", "status"] == TARGET_MET
    assert table.at["SHP_COVERAGE", "latest_value"] == 94.0
    # 30.22\u00a0% in 2015 against 50\u00a0% for FY2014-15
    assert table.at["SS_COVERAGE_POP", "status"] == OFF_TRACK
    # 9\u00a0% of the budget, no target year
    assert table.at["GOV_HEALTH_BUDGET_SHARE", "status"] == NOT_ENOUGH_DATA
    # illustrative school meals: 33.9 (2016) → 71.4 (2024), 100\u00a0% by 2025
    row = table.loc["ILL_SCHOOL_MEALS_COVERAGE"]
    expected = (math.log(71.4 / 33.9) / 8) / (math.log(100 / 33.9) / 9)
    assert row["ratio"] == pytest.approx(expected)
    assert (row["status"], row["badge"] != "") == (OFF_TRACK, True)
    assert table.at["SHP_COVERAGE", "badge"] == ""


def test_level_progress_one_row_per_province(dataset):
    rows = progress.level_progress(dataset, "ILL_SCHOOL_MEALS_COVERAGE").set_index("area_code")
    assert len(rows) == 18
    la01 = rows.loc["LA01"]
    assert (la01["baseline_value"], la01["latest_value"]) == (15.0, 51.0)
    assert la01["ratio"] == pytest.approx((math.log(51 / 15) / 8) / (math.log(100 / 15) / 9))


def test_trajectory_runs_from_baseline_to_target(dataset):
    assert progress.trajectory(dataset, "SHP_COVERAGE") == ((2016, 58.0), (2020, 80.0))
    assert progress.trajectory(dataset, "GOV_HEALTH_BUDGET_SHARE") is None


def test_series_figure_draws_the_trajectory(dataset):
    figure = views.series_figure(dataset, "SHP_COVERAGE", (), lang="en")
    paths = [t for t in figure["data"] if t.get("meta") == "trajectory"]
    assert len(paths) == 1
    assert (paths[0]["x"], paths[0]["y"]) == ([2016, 2020], [58.0, 80.0])
    untargeted = views.series_figure(dataset, "NHI_MEMBERS", (), lang="en")
    assert not [t for t in untargeted["data"] if t.get("meta") == "trajectory"]


def test_status_map_figure_has_one_trace_per_status_and_every_province(dataset):
    figure = views.status_map_figure(
        dataset, "ILL_SCHOOL_MEALS_COVERAGE", schematic=False, lang="en"
    )
    assert [t["name"] for t in figure["data"]] == list(progress.STATUS_LABELS.values())
    located = [code for t in figure["data"] for code in t["locations"]]
    assert sorted(located) == [f"LA{i:02d}" for i in range(1, 19)]
    assert figure["layout"]["meta"]["statuses"] == {OFF_TRACK: 18}
    assert all(t["geojson"] == "/geo/province.geojson" for t in figure["data"])
    assert not figure["layout"]["annotations"]  # on a page the frame shows badge and notes
    image = views.status_map_figure(
        dataset, "ILL_SCHOOL_MEALS_COVERAGE", schematic=False, lang="en", layout=SCREEN
    )
    badges = [a for a in image["layout"]["annotations"] if a.get("name") == "illustrative-badge"]
    assert len(badges) == 1


def test_spending_per_person_covered_goal_1(dataset):
    table = progress.spending_per_person_covered(dataset, "1").set_index("year")
    # GGHE-D per capita 17.62 US$ (2016) / 58\u00a0% covered
    assert table.at[2016, "per_person_covered"] == pytest.approx(17.62 / 0.58)
    assert table.at[2019, "per_person_covered"] == pytest.approx(24.96 / 0.94)
    assert set(table.index) == {2008, 2012, 2016, 2017, 2018, 2019}


def test_spending_per_person_covered_says_why_not_for_goals_2_and_3(dataset):
    for goal in ("2", "3"):
        assert progress.spending_per_person_covered(dataset, goal).empty
        assert progress.SPENDING_GAPS[goal]


def test_status_labels_and_reasons_in_lao(dataset):
    assert progress.status_label(ON_TRACK, "lo") == "ຕາມແຜນ"
    assert progress.status_label(ON_TRACK, "en") == "On track"
    result = assess([(2015, 50.0), (2020, 70.0)], 90.0, 2025, "higher")
    assert result.reason == (
        "Growth +6.7 % a year since 2015; +5.9 % a year needed to reach the target by 2025."
    )
    lao = progress.explain(asdict(result), "lo")
    assert lao == "ເຕີບໂຕ +6,7 % ຕໍ່ປີ ນັບແຕ່ປີ 2015; ຕ້ອງເຕີບໂຕ +5,9 % ຕໍ່ປີ ເພື່ອບັນລຸຄາດໝາຍພາຍໃນປີ 2025."
    met = assess([(2016, 40.0), (2019, 81.0)], 80.0, 2020, "higher")
    assert progress.explain(asdict(met), "lo") == "ຄ່າຂອງປີ 2019 ບັນລຸຄາດໝາຍແລ້ວ."


def test_status_colours_are_okabe_ito_and_distinct():
    okabe_ito = {"#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7"}
    colours = [c for s, c in progress.STATUS_COLOURS.items() if s != NOT_ENOUGH_DATA]
    assert set(colours) <= okabe_ito and len(set(progress.STATUS_COLOURS.values())) == 5
    assert list(progress.STATUS_COLOURS) == list(progress.STATUS_LABELS)


def test_status_map_in_lao_names_statuses_and_provinces_in_lao(dataset):
    figure = views.status_map_figure(dataset, "ILL_SCHOOL_MEALS_COVERAGE", False, lang="lo")
    assert [t["name"] for t in figure["data"]] == [
        progress.status_label(s, "lo") for s in progress.STATUS_LABELS
    ]
    off_track = next(t for t in figure["data"] if t["locations"])
    name, label, reason = off_track["customdata"][0]
    assert name == "ນະຄອນຫຼວງວຽງຈັນ" and label == "ຊ້າກວ່າແຜນ"
    assert "ຕໍ່ປີ" in reason and "," in reason
    notes = " ".join(figure["layout"]["meta"]["lines"])
    assert "100,0\u00a0% ພາຍໃນປີ 2025" in notes
    assert figure["layout"]["separators"] == ",."
