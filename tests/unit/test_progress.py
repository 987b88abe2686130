"""Progress against published targets: the Statistics Canada / Open SDG progress measure.

The method's documentation (Statistics Canada, "Progress Measurement Methodology for the
Sustainable Development Goals"; Open SDG `docs/progress-methodology.md`) states its formulas,
thresholds and rules rather than numeric cases; each test below is one of those documented rules
worked through by hand, with the exact values written out.
"""

from __future__ import annotations

import csv
from dataclasses import asdict
from pathlib import Path

import pandas as pd
import pytest

from dashboard import progress, queries, series, summaries, views
from dashboard.figure_layouts import SCREEN
from dashboard.i18n import localized
from dashboard.loading import read_release
from dashboard.progress import (
    ACCELERATION_NEEDED,
    DETERIORATION,
    ILLUSTRATIVE,
    LIMITED_PROGRESS,
    NOT_ENOUGH_DATA,
    ON_TRACK,
    SERIES_BREAK,
    TARGET_ACHIEVED,
    assess,
    cagr,
    limit_factor,
)
from dashboard.queries import Dataset


def test_method_cagr_is_the_compound_annual_growth_rate():
    # (121 / 100) ** (1 / 2) - 1 = 10 % a year
    assert cagr(121.0, 100.0, 2017, 2015) == pytest.approx(0.10, abs=1e-12)
    assert cagr(60.0, 50.0, 2020, 2015) == pytest.approx(0.0371372893, abs=1e-10)


def test_method_worked_example_with_a_rising_target():
    # 50 in 2015, 60 in 2020, target 80 by 2030:
    # CAGR_i = 1.2 ** (1/5) - 1 = 3.7137 %, CAGR_T = 1.6 ** (1/15) - 1 = 3.1830 %,
    # R = CAGR_i / |CAGR_T| = 1.1668 >= 0.95: on track
    result = assess([(2015, 50.0), (2020, 60.0)], 80.0, 2030, "higher")
    assert result.observed_rate == pytest.approx(0.0371372893, abs=1e-10)
    assert result.required_rate == pytest.approx(0.0318296393, abs=1e-10)
    assert result.ratio == pytest.approx(1.1667518104, abs=1e-9)
    assert (result.status, result.baseline_year, result.latest_year) == (ON_TRACK, 2015, 2020)


def test_method_worked_example_with_a_falling_target_uses_the_direction():
    # poverty 40 (2015) → 30 (2020), target 20 by 2030, d = -1:
    # CAGR_i = 0.75 ** (1/5) - 1 = -5.5912 %, CAGR_T = 0.5 ** (1/15) - 1 = -4.5158 %,
    # R = -1 × -5.5912 / 4.5158 = 1.2381: on track
    result = assess([(2015, 40.0), (2020, 30.0)], 20.0, 2030, "lower")
    assert result.ratio == pytest.approx(1.2381415982, abs=1e-9)
    assert result.status == ON_TRACK


@pytest.mark.parametrize(
    ("latest", "ratio", "status"),
    [
        (55.0, 0.6046212550, ACCELERATION_NEEDED),  # 60 % <= R < 95 %
        (52.0, 0.2474105481, LIMITED_PROGRESS),  # 0 <= R < 60 %
        (50.0, 0.0, LIMITED_PROGRESS),  # no change: R = 0
        (45.0, None, DETERIORATION),  # R < 0: moving away from the target
    ],
)
def test_method_ratio_categories(latest, ratio, status):
    result = assess([(2015, 50.0), (2020, latest)], 80.0, 2030, "higher")
    if ratio is not None:
        assert result.ratio == pytest.approx(ratio, abs=1e-9)
    else:
        assert result.ratio < 0
    assert result.status == status


def test_method_ratio_thresholds_are_the_published_ones():
    assert progress.RATIO_THRESHOLDS == (0.95, 0.60, 0.0)
    assert progress.GROWTH_THRESHOLDS == (0.015, 0.005, 0.0)
    assert progress.BASE_YEAR == 2015
    assert list(progress.STATUS_LABELS.values()) == [
        "Target achieved",
        "On track",
        "Progress made but acceleration needed",
        "Limited progress",
        "Deterioration",
    ]


def test_method_target_achieved_in_both_directions_whatever_the_trend():
    assert assess([(2016, 40.0), (2019, 81.0)], 80.0, 2020, "higher").status == TARGET_ACHIEVED
    assert assess([(2016, 40.0), (2019, 19.0)], 20.0, 2025, "lower").status == TARGET_ACHIEVED
    # a single value that has reached the target needs no growth rate
    assert assess([(2024, 94.0)], 80.0, 2020, "higher").status == TARGET_ACHIEVED


def test_method_without_a_target_compares_growth_with_fixed_rates():
    # 100 → 105 in 5 years: CAGR = 0.9806 %, between 0.5 % and 1.5 %
    result = assess([(2015, 100.0), (2020, 105.0)], None, None, "higher")
    assert result.observed_rate == pytest.approx(0.0098057977, abs=1e-10)
    assert result.status == ACCELERATION_NEEDED
    assert assess([(2015, 100.0), (2020, 110.0)], None, None, "higher").status == ON_TRACK
    assert assess([(2015, 100.0), (2020, 101.0)], None, None, "higher").status == LIMITED_PROGRESS
    assert assess([(2015, 100.0), (2020, 110.0)], None, None, "lower").status == DETERIORATION


def test_method_limit_factor_shrinks_thresholds_near_a_natural_limit():
    # C = 1 - (90 / 100) ** 4.44 = 0.37362; thresholds 0.560 % and 0.187 %
    assert limit_factor(90.0, 100.0) == pytest.approx(0.3736216450, abs=1e-9)
    assert limit_factor(10.0, 0.0) == 1.0  # a minimum limit of 0 far below the base
    points = [(2015, 90.0), (2020, 93.0)]  # CAGR 0.6579 %
    assert assess(points, None, None, "higher").status == ACCELERATION_NEEDED
    assert assess(points, None, None, "higher", limit=100.0).status == ON_TRACK
    # at the limit, keeping the value there is on track
    assert assess([(2015, 100.0), (2020, 100.0)], None, None, "higher", limit=100.0).status == (
        ON_TRACK
    )


def test_method_base_year_is_2015_or_the_first_year_after():
    result = assess([(2008, 10.0), (2012, 11.0), (2016, 58.0), (2024, 94.0)], 100, 2025, "higher")
    assert (result.baseline_year, result.baseline_value) == (2016, 58.0)
    assert assess([(2008, 10.0), (2012, 11.0)], 100, 2025, "higher").status == NOT_ENOUGH_DATA


def test_method_zero_base_is_replaced_by_a_thousandth():
    # base 0 → 0.001: growth from 0.001 to 4 over 5 years
    result = assess([(2015, 0.0), (2020, 4.0)], 9.0, 2025, "higher")
    assert result.observed_rate == pytest.approx((4 / 0.001) ** (1 / 5) - 1)
    assert result.required_rate == pytest.approx((9 / 0.001) ** (1 / 10) - 1)


def test_method_not_enough_data_cases_get_no_status():
    cases = [
        assess([], 80.0, 2025, "higher"),
        assess([(2018, 30.0)], 80.0, 2025, "higher"),  # one year
        assess([(2015, 30.22)], 50.0, 2015, "higher"),  # deadline passed with one value
        assess([(2015, 3.0), (2020, 4.0)], 9.0, None, "higher"),  # no target year
        assess([(2016, 3.0), (2020, 4.0)], 9.0, 2015, "higher"),  # due before the base year
        assess([(2015, -3.0), (2020, 4.0)], 9.0, 2025, "higher"),  # mixed signs
    ]
    for result in cases:
        assert result.status == NOT_ENOUGH_DATA
        assert not progress.has_status(result.status)
        assert result.ratio is None
    assert "one year" in cases[1].reason.lower() or "only one" in cases[1].reason.lower()


def _rows(points: list[tuple[int, float, str]], nature: str = "administrative") -> pd.DataFrame:
    return pd.DataFrame(
        {
            "indicator_id": "X",
            "area_code": "LA",
            "sex": "total",
            "urban_rural": "total",
            "age": "total",
            "year": [p[0] for p in points],
            "value": [p[1] for p in points],
            "source_id": [p[2] for p in points],
            "nature": nature,
        }
    )


def test_series_of_two_age_groups_are_never_compared():
    """Poverty of the under-15s in 2013 and of the over-65s in 2018 is no change of anything."""
    assert series.SERIES_KEY == (
        "indicator_id",
        "area_code",
        "sex",
        "urban_rural",
        "age",
        "source_id",
    )
    ages = _rows([(2013, 32.6, "lsb"), (2018, 15.1, "lsb")]).assign(age=["Y0T14", "Y_GE65"])
    assert not series.is_one_series(ages) and series.has_break(ages)
    assert series.change(ages) is None
    assert [part["age"].tolist() for part in series.split(ages)] == [["Y0T14"], ["Y_GE65"]]
    result = progress.assess_rows(ages.assign(year=[2016, 2021]), 10.0, 2025, "lower")
    assert result.status == SERIES_BREAK and result.observed_rate is None
    one_age = ages.assign(age="Y_GE65")
    assert series.is_one_series(one_age) and series.change(one_age) is not None


def test_no_statistic_crosses_a_series_break_in_the_method():
    crossing = _rows([(2015, 50.0, "publisher_a"), (2020, 70.0, "publisher_b")])
    result = progress.assess_rows(crossing, 90.0, 2025, "higher")
    assert result.status == SERIES_BREAK and not progress.has_status(result.status)
    assert (result.observed_rate, result.required_rate, result.ratio) == (None, None, None)
    assert series.change(crossing) is None
    # the same values from one publisher are assessed
    one = _rows([(2015, 50.0, "publisher_a"), (2020, 70.0, "publisher_a")])
    assert progress.assess_rows(one, 90.0, 2025, "higher").status == ON_TRACK
    # a break before the base year is outside the assessed window
    earlier = _rows([(2010, 20.0, "old"), (2015, 50.0, "new"), (2020, 70.0, "new")])
    assert progress.assess_rows(earlier, 90.0, 2025, "higher").status == ON_TRACK
    assert progress.assess_rows(one, 90.0, 2025, "higher").baseline_year == 2015
    illustrative = _rows([(2015, 50.0, "gen"), (2020, 70.0, "gen")], nature="illustrative")
    assert progress.assess_rows(illustrative, 90.0, 2025, "higher").status == ILLUSTRATIVE


def _append(path: Path, rows: list[dict[str, str]]) -> None:
    with path.open(encoding="utf-8") as handle:
        header = next(csv.reader(handle))
    with path.open("a", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=header, lineterminator="\n")
        writer.writerows([{k: row.get(k, "") for k in header} for row in rows])


@pytest.fixture
def broken_release(release_copy: Path) -> Dataset:
    """The shipped release with a 2023 value of another publisher in the spending series, and a
    social security coverage value of another publisher after MoLSW's 2015 figure."""
    obs = [
        {"indicator_id": "SS_COVERAGE_POP", "area_code": "LA", "year": "2020", "value": "40",
         "nature": "administrative", "source_id": "jln_country_lao"},
        {"indicator_id": "GHED_GGHE-D_pc_US_SHA2011", "area_code": "LA", "year": "2023",
         "value": "99", "nature": "estimate", "source_id": "jln_country_lao"},
    ]  # fmt: skip
    _append(release_copy / "observations.csv", obs)
    return Dataset.from_release(read_release(release_copy))


def test_no_statistic_crosses_a_series_break(broken_release):
    ds = broken_release
    # status: 30.22 (2015, MoLSW via Vientiane Times) and 40 (2020, another publisher)
    result = progress.area_progress(ds, "SS_COVERAGE_POP")
    assert result.status == SERIES_BREAK
    assert result.observed_rate is None and result.ratio is None
    assert progress.trajectory(ds, "SS_COVERAGE_POP") is None
    # summary: no "rose by" across the two publishers
    text = summaries.series_summary(ds, views.SeriesSelection("SS_COVERAGE_POP", ()), lang="en")
    assert "rose" not in text and "fell" not in text and "2 sources" in text
    # spending per person covered: each year's two values come from one series each
    spending, coverage = progress.spending_pair_rows(ds, "1")
    assert series.is_one_series(spending) and series.is_one_series(coverage)
    table = progress.spending_per_person_covered(ds, "1")
    assert list(table["year"]) == [2017, 2019]  # ILO's two stated years, GHED's series
    assert table["per_person_covered"].tolist() == pytest.approx([21.61 / 0.91, 24.96 / 0.94])


def test_overview_of_shipped_targets(dataset):
    table = progress.overview(dataset).set_index("indicator_id")
    assert set(table.index) == {"SHP_COVERAGE", "SS_COVERAGE_POP"}  # the numeric targets
    # 80 % by 2020 (8th HSDP); 94 % in 2024 (one observation against the target)
    assert table.at["SHP_COVERAGE", "status"] == TARGET_ACHIEVED
    assert table.at["SHP_COVERAGE", "latest_value"] == 94.0
    assert table.at["SHP_COVERAGE", "target_label"].startswith(
        "Target of the 8th Health Sector Development Plan"
    )
    # 30.22 % in 2015 against 50 % for FY2014-15: a deadline passed with one value
    assert table.at["SS_COVERAGE_POP", "status"] == NOT_ENOUGH_DATA
    assert "Ministry of Labour and Social Welfare" in table.at["SS_COVERAGE_POP", "target_label"]
    assert (table["badge"] == "").all()


def test_commitments_get_no_status_and_say_whose_they_are(dataset):
    commitments = progress.commitments(dataset)
    assert set(commitments.index) == {
        "government_health_budget_share",
        "nsps_universal_health_coverage_2025",
        "nsps_school_meals_poor_districts",
        "nsps_objective_2_1_formal_sector",
    }
    uhc = commitments.loc["nsps_universal_health_coverage_2025"]
    indicator = dataset.indicator("ILL_HEALTH_COVERAGE")
    assert progress.target_label(uhc, indicator, "en") == (
        "Commitment of the National Social Protection Strategy: reach universal health coverage "
        "by 2025 (read here as 100.0\u00a0% by 2025)"
    )
    assert progress.status_target(dataset, "ILL_HEALTH_COVERAGE") is None
    assert progress.area_progress(dataset, "ILL_HEALTH_COVERAGE").status == ILLUSTRATIVE
    assert progress.area_progress(dataset, "GOV_HEALTH_BUDGET_SHARE").status == NOT_ENOUGH_DATA


def test_level_progress_of_an_illustrative_series_gives_no_province_a_status(dataset):
    rows = progress.level_progress(dataset, "ILL_SCHOOL_MEALS_COVERAGE").set_index("area_code")
    assert len(rows) == 18
    assert set(rows["status"]) == {ILLUSTRATIVE}
    assert rows["ratio"].isna().all()


def test_trajectory_only_where_a_growth_status_was_computed(dataset):
    assert progress.trajectory(dataset, "SHP_COVERAGE") is None  # achieved: no path needed
    assert progress.trajectory(dataset, "ILL_SCHOOL_MEALS_COVERAGE") is None
    figure = views.series_figure(dataset, "SHP_COVERAGE", (), lang="en")
    assert not [t for t in figure["data"] if t.get("meta") == "trajectory"]


@pytest.fixture
def numeric_target_on_illustrative(release_copy: Path) -> Dataset:
    """The shipped release with a numeric target on an illustrative series with provinces."""
    _append(
        release_copy / "targets.csv",
        [
            {"target_id": "test_school_meals_2030", "indicator_id": "ILL_SCHOOL_MEALS_COVERAGE",
             "kind": "numeric", "value": "90", "year": "2030", "comparison": "at_least",
             "document_source_id": "nsps_2020", "setter_en": "Test plan", "wording_en": "90 %"},
        ],
    )  # fmt: skip
    return Dataset.from_release(read_release(release_copy))


def test_status_map_of_an_illustrative_series_has_no_status_colour(
    numeric_target_on_illustrative,
):
    ds = numeric_target_on_illustrative
    figure = views.status_map_figure(ds, "ILL_SCHOOL_MEALS_COVERAGE", schematic=False, lang="en")
    assert [t["name"] for t in figure["data"]] == list(progress.ALL_LABELS.values())
    drawn = [t for t in figure["data"] if t["locations"]]
    assert [t["name"] for t in drawn] == ["Illustrative — no status"]
    assert sorted(drawn[0]["locations"]) == [f"LA{i:02d}" for i in range(1, 19)]
    assert drawn[0]["colorscale"][0][1] not in progress.STATUS_COLOURS.values()
    assert figure["layout"]["meta"]["statuses"] == {ILLUSTRATIVE: 18}
    assert not figure["layout"]["annotations"]  # on a page the frame shows badge and notes
    image = views.status_map_figure(
        ds, "ILL_SCHOOL_MEALS_COVERAGE", schematic=False, lang="en", layout=SCREEN
    )
    badges = [a for a in image["layout"]["annotations"] if a.get("name") == "illustrative-badge"]
    assert len(badges) == 1
    notes = " ".join(a["text"] for a in image["layout"]["annotations"]).replace("<br>", " ")
    assert "Target of the Test plan: 90.0\u00a0% by 2030" in notes
    assert views.status_indicator_ids(ds) == []  # no real series with provinces has a target


def test_spending_per_person_covered_goal_1_uses_one_coverage_series(dataset):
    table = progress.spending_per_person_covered(dataset, "1").set_index("year")
    # GGHE-D per capita 21.61 US$ (2017) / 91 % covered (ILO, all schemes, stated year)
    assert table.at[2017, "per_person_covered"] == pytest.approx(21.61 / 0.91)
    assert table.at[2019, "per_person_covered"] == pytest.approx(24.96 / 0.94)
    # 2008 and 2018 (P4H), 2012 (publication year), 2016 (assumed year): other series
    assert set(table.index) == {2017, 2019}
    assert "current US dollars" in progress.SPENDING_METHOD


def test_spending_per_person_covered_says_why_not_for_goals_2_and_3(dataset):
    for goal in ("2", "3"):
        assert progress.spending_per_person_covered(dataset, goal).empty
        assert progress.SPENDING_GAPS[goal]


def test_status_labels_and_reasons_in_lao():
    assert progress.status_label(ON_TRACK, "lo") == "ຕາມແຜນ"
    assert progress.status_label(ON_TRACK, "en") == "On track"
    result = assess([(2015, 50.0), (2020, 60.0)], 80.0, 2030, "higher")
    assert result.reason == (
        "Compound annual growth of the value +3.7\u00a0% a year from 2015 to 2020; +3.2\u00a0% "
        "a year needed to reach the target by 2030 (ratio 117 %)."
    )
    lao = progress.explain(asdict(result), "lo")
    assert "+3,7\u00a0%" in lao and "2030" in lao and "117" in lao
    met = assess([(2016, 40.0), (2019, 81.0)], 80.0, 2020, "higher")
    assert progress.explain(asdict(met), "lo") == "ຄ່າຂອງປີ 2019 ບັນລຸຄາດໝາຍແລ້ວ."
    for status in progress.ALL_LABELS:
        assert progress.status_label(status, "lo") != progress.status_label(status, "en")


def test_status_colours_are_okabe_ito_and_no_status_is_grey():
    okabe_ito = {"#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7"}
    assert set(progress.STATUS_COLOURS.values()) <= okabe_ito
    assert len(set(progress.STATUS_COLOURS.values())) == 5
    assert list(progress.STATUS_COLOURS) == list(progress.STATUS_LABELS)
    for colour in progress.NO_STATUS_COLOURS.values():
        r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
        assert r == g == b  # grey: a reason, never a status colour


def test_every_target_names_its_document(dataset):
    view = queries.targets_view(dataset)
    # the targets table: whose target (setter) and a document with a citation, for every row
    assert (view["setter_en"] != "").all() and (view["setter_lo"] != "").all()
    assert view["document_publisher"].notna().all() and view["document_title"].notna().all()
    for target_id, target in view.iterrows():
        indicator_id = target["indicator_id"]
        indicator = dataset.indicator(indicator_id) if indicator_id else None
        for lang in ("en", "lo"):
            label = progress.target_label(target, indicator, lang)
            assert localized(target, "setter", lang) in label, (target_id, lang)
            assert "NSPS target" not in label
        if not indicator_id or pd.isna(target["year"]) or pd.isna(target["value"]):
            continue
        # the trends figure: the target trace names whose it is and cites the document
        figure = views.series_figure(dataset, indicator_id, (), lang="en")
        traces = [t for t in figure["data"] if t.get("meta") == "target"]
        assert len(traces) == 1, target_id
        assert (
            traces[0]["name"]
            .replace("<br>", " ")
            .startswith(progress.target_label(target, indicator, "en")[:30].replace("<br>", " "))
        )
        hover = traces[0]["hovertemplate"].replace("<br>", " ")
        assert target["setter_en"] in hover and target["document_title"] in hover, target_id
        # the summary beside the chart names it too
        summary = summaries.series_summary(
            dataset, views.SeriesSelection(indicator_id, ()), lang="en"
        )
        assert target["setter_en"] in summary, target_id
        # the series CSV carries it as a target row with its setter and document
        rows = views.series_download_rows(dataset, indicator_id, ())
        drawn = rows[rows["row_type"] == "target"]
        assert drawn["source_id"].tolist() == [target["document_source_id"]]
        assert target["setter_en"] in drawn["note"].iloc[0]
    # the progress page overview names whose target and which document, in both languages
    for _index, row in progress.overview(dataset).iterrows():
        target = progress.target_row(dataset, row["target_id"])
        assert target["setter_en"] in row["target_label"]
        assert target["document_title"] in row["document"]


@pytest.fixture
def numeric_target_on_real_provinces(release_copy: Path) -> Dataset:
    """The shipped release with a numeric target on a real series with province values."""
    _append(
        release_copy / "targets.csv",
        [
            {"target_id": "test_poverty_2030", "indicator_id": "POV_PROVINCE_LECS_OLD",
             "kind": "numeric", "value": "10", "year": "2030", "comparison": "at_most",
             "document_source_id": "nsps_2020", "setter_en": "Test plan", "wording_en": "10 %"},
        ],
    )  # fmt: skip
    return Dataset.from_release(read_release(release_copy))


def test_progress_status_map_is_in_the_chart_frame(numeric_target_on_real_provinces):
    """Title and target as HTML, Map | Table | Sources tabs with the provinces' table, the
    sources of the province values and a one-line footer, as every chart frame has."""
    from types import SimpleNamespace

    from dash.development.base_component import Component

    from dashboard.viewmodels import status_view
    from layouts import progress as progress_page

    ds = numeric_target_on_real_provinces
    assert views.status_indicator_ids(ds) == ["POV_PROVINCE_LECS_OLD"]
    view = status_view(ds, "POV_PROVINCE_LECS_OLD", lang="en", layout="phone")
    assert view.title.startswith("Progress towards the target — ")
    assert view.subtitle == "Target of the Test plan: 10.0\u00a0% by 2030"
    assert view.sources and "illustrative" not in view.natures
    assert view.figure["layout"]["meta"]["layout"] == "phone"
    assert view.page_link() == "/progress?indicator=POV_PROVINCE_LECS_OLD&lang=en"

    store = SimpleNamespace(dataset=ds, geo=SimpleNamespace(schematic=False))
    frame = progress_page.status_frame(store, "POV_PROVINCE_LECS_OLD", "en")

    def walk(node):
        if isinstance(node, (list, tuple)):
            for child in node:
                yield from walk(child)
        elif isinstance(node, Component):
            yield node
            yield from walk(getattr(node, "children", None))

    found = {c.id: c for c in walk(frame) if isinstance(getattr(c, "id", None), str)}
    assert {"progress-frame", "status-map-graph", "status-table", "status-map-footer"} <= set(found)
    tabs = [c for c in walk(frame) if getattr(c, "role", None) == "tab"]
    assert [t.id for t in tabs] == [f"progress-tab-{k}" for k in ("map", "table", "sources")]
    assert found["progress-panel-table"].children[0].children.id == "status-table"
    assert found["status-map-heading"].children[0].children == view.title
