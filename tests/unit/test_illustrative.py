"""Tests of data/steps/illustrative.py: determinism, completeness and exact aggregation."""

from __future__ import annotations

import importlib.util
import shutil
import sys
from pathlib import Path

import pandas as pd
import pytest
from shipped import SHIPPED_RELEASE

REPO_ROOT = Path(__file__).resolve().parents[2]
RELEASE_DIR = SHIPPED_RELEASE
OUTPUTS = (
    "indicators-illustrative.csv",
    "observations-illustrative.csv",
    "sources-illustrative.csv",
)
COVERAGE_IDS = (
    "ILL_HEALTH_COVERAGE",
    "ILL_SCHOOL_MEALS_COVERAGE",
    "ILL_SOCIAL_SECURITY_COVERAGE",
    "ILL_SOCIAL_WELFARE_BENEFICIARIES",
)
YEARS = list(range(2016, 2025))


def _load_module():
    spec = importlib.util.spec_from_file_location(
        "illustrative", REPO_ROOT / "data" / "steps" / "illustrative.py"
    )
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look the module up while it executes
    spec.loader.exec_module(module)
    return module


illustrative = _load_module()


def _prepare(target: Path) -> Path:
    """A release folder holding only the step's inputs: areas.csv and the real observations."""
    target.mkdir(parents=True)
    shutil.copy(RELEASE_DIR / "areas.csv", target / "areas.csv")
    inputs = [
        p
        for p in RELEASE_DIR.glob("observations*.csv")
        if p.name != "observations-illustrative.csv"
    ]
    assert inputs, (
        "the release has no observations.csv to read POP_CENSUS_2015 and the anchors from"
    )
    for path in inputs:
        shutil.copy(path, target / path.name)
    return target


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    out = _prepare(tmp_path_factory.mktemp("ill") / "release")
    illustrative.run(out)
    return out


@pytest.fixture(scope="module")
def tables(built):
    read = lambda name: pd.read_csv(built / name, dtype=str, keep_default_na=False)  # noqa: E731
    areas = read("areas.csv")
    real = pd.concat(
        [
            read(p.name)
            for p in sorted(built.glob("observations*.csv"))
            if p.name != "observations-illustrative.csv"
        ],
        ignore_index=True,
    )
    ill = read("observations-illustrative.csv")
    ill["v"] = ill["value"].astype(float)
    return areas, real, ill, read("indicators-illustrative.csv"), read("sources-illustrative.csv")


def _real(real: pd.DataFrame, indicator_id: str) -> dict[tuple[str, str], float]:
    rows = real[(real["indicator_id"] == indicator_id) & real["sex"].isin(["", "total"])]
    return {
        (a, y): float(v)
        for a, y, v in zip(rows["area_code"], rows["year"], rows["value"], strict=True)
    }


def _census(areas, real) -> dict[str, int]:
    values = _real(real, "POP_CENSUS_2015")
    provinces = areas.loc[areas["level"] == "province", "area_code"]
    return {p: int(values[(p, "2015")]) for p in provinces}


def _weighted_mean(values: dict[str, float], weights: dict[str, int]) -> float:
    total = sum(weights[a] for a in values)
    return sum(values[a] * weights[a] for a in values) / total


def test_same_seed_gives_identical_bytes(tmp_path):
    first, second = _prepare(tmp_path / "a"), _prepare(tmp_path / "b")
    illustrative.run(first, seed=20251)
    illustrative.run(second, seed=20251)
    for name in OUTPUTS:
        assert (first / name).read_bytes() == (second / name).read_bytes(), name


def test_other_seed_changes_values_not_anchors(tmp_path, tables):
    other = _prepare(tmp_path / "c")
    illustrative.run(other, seed=7)
    changed = pd.read_csv(other / "observations-illustrative.csv", dtype=str, keep_default_na=False)
    _, _, ill, _, _ = tables
    assert not changed["value"].equals(ill["value"])
    key = ["indicator_id", "area_code", "year"]
    anchors = ill[(ill["area_code"] == "LA") & (ill["indicator_id"] == "ILL_HEALTH_COVERAGE")]
    assert (
        anchors[key + ["value"]].merge(changed, on=key)["value_y"].tolist()
        == anchors["value"].tolist()
    )


def test_published_release_matches_a_fresh_run(built):
    for name in OUTPUTS:
        published = RELEASE_DIR / name
        if published.exists():
            assert published.read_bytes() == (built / name).read_bytes(), (
                f"{name} is stale: rerun the step"
            )


def test_every_area_has_every_indicator_and_year(tables):
    areas, _, ill, _, _ = tables
    codes = set(areas.loc[areas["level"].isin(["national", "province", "district"]), "area_code"])
    assert len(codes) == 1 + 18 + 148
    for indicator_id in COVERAGE_IDS:
        rows = ill[ill["indicator_id"] == indicator_id]
        got = set(zip(rows["area_code"], rows["year"].astype(int), strict=True))
        assert got == {(a, y) for a in codes for y in YEARS}, indicator_id
    pop = ill[ill["indicator_id"] == "ILL_POPULATION_DISTRICT"]
    assert set(pop["area_code"]) == set(areas.loc[areas["level"] == "district", "area_code"])
    assert set(pop["year"]) == {"2015"}
    assert not ill.duplicated(["indicator_id", "area_code", "year", "sex", "urban_rural"]).any()


def test_district_population_sums_to_province_census(tables):
    areas, real, ill, _, _ = tables
    census = _census(areas, real)
    pop = ill[ill["indicator_id"] == "ILL_POPULATION_DISTRICT"].merge(
        areas[["area_code", "parent_code"]], on="area_code"
    )
    assert (pop["value"].str.fullmatch(r"[1-9]\d*")).all(), "whole persons"
    sums = pop.groupby("parent_code")["value"].apply(lambda s: s.astype(int).sum()).to_dict()
    assert sums == census
    assert sum(census.values()) == 6_492_228


def test_provinces_aggregate_to_national_anchors(tables):
    areas, real, ill, _, _ = tables
    census = _census(areas, real)
    anchors = {
        ("ILL_HEALTH_COVERAGE", int(y)): v
        for (a, y), v in _real(real, "SHP_COVERAGE").items()
        if a == "LA" and int(y) in YEARS
    }
    assert sorted(y for _, y in anchors) == [2016, 2017, 2018, 2019, 2024]
    anchors[("ILL_SOCIAL_SECURITY_COVERAGE", 2020)] = _real(real, "SP_COVERAGE_WORKING_AGE")[
        ("LA", "2020")
    ]
    assert anchors[("ILL_SOCIAL_SECURITY_COVERAGE", 2020)] == 15
    for (indicator_id, year), anchor in anchors.items():
        rows = ill[(ill["indicator_id"] == indicator_id) & (ill["year"] == str(year))]
        national = rows.loc[rows["area_code"] == "LA", "v"].item()
        assert national == anchor, (indicator_id, year)
        assert "(real)" in rows.loc[rows["area_code"] == "LA", "note"].item()
        provinces = dict(zip(rows["area_code"], rows["v"], strict=True))
        provinces = {a: v for a, v in provinces.items() if a in census}
        assert abs(_weighted_mean(provinces, census) - anchor) < 0.05, (indicator_id, year)


def test_every_national_row_is_the_weighted_mean_of_its_provinces(tables):
    areas, real, ill, _, _ = tables
    census = _census(areas, real)
    for (indicator_id, year), rows in ill[ill["indicator_id"].isin(COVERAGE_IDS)].groupby(
        ["indicator_id", "year"]
    ):
        provinces = {a: v for a, v in zip(rows["area_code"], rows["v"], strict=True) if a in census}
        national = rows.loc[rows["area_code"] == "LA", "v"].item()
        assert abs(_weighted_mean(provinces, census) - national) < 0.05, (indicator_id, year)


def test_interpolated_health_years_are_labelled(tables):
    _, _, ill, _, _ = tables
    rows = ill[(ill["indicator_id"] == "ILL_HEALTH_COVERAGE") & (ill["area_code"] == "LA")]
    notes = dict(zip(rows["year"].astype(int), rows["note"], strict=True))
    assert all("interpolated" in notes[y] for y in (2020, 2021, 2022, 2023))
    assert not any("interpolated" in notes[y] for y in (2016, 2017, 2018, 2019, 2024))


def test_districts_aggregate_to_their_province(tables):
    areas, _, ill, _, _ = tables
    parent = dict(zip(areas["area_code"], areas["parent_code"], strict=True))
    pop = ill[ill["indicator_id"] == "ILL_POPULATION_DISTRICT"]
    weights = dict(zip(pop["area_code"], pop["value"].astype(int), strict=True))
    checked = 0
    for (indicator_id, year), rows in ill[ill["indicator_id"].isin(COVERAGE_IDS)].groupby(
        ["indicator_id", "year"]
    ):
        values = dict(zip(rows["area_code"], rows["v"], strict=True))
        for province in [a for a in values if len(a) == 4]:
            districts = {a: v for a, v in values.items() if a in weights and parent[a] == province}
            assert districts, province
            assert abs(_weighted_mean(districts, weights) - values[province]) < 0.05, (
                indicator_id,
                year,
                province,
            )
            checked += 1
    assert checked == len(COVERAGE_IDS) * len(YEARS) * 18


def test_ranges_decimals_and_nature(tables):
    _, _, ill, catalogue, sources = tables
    kinds = dict(zip(catalogue["indicator_id"], catalogue["unit_kind"], strict=True))
    percent = ill["indicator_id"].map(kinds) == "percent"
    assert percent.sum() == 3 * 9 * 167
    assert ill.loc[percent, "v"].between(0, 100).all()
    assert (ill["v"] >= 0).all()
    coverage = ill["indicator_id"].isin(COVERAGE_IDS)
    assert ill.loc[coverage, "value"].str.fullmatch(r"\d+\.\d").all(), "one decimal"
    assert (ill["nature"] == "illustrative").all()
    assert (ill["source_id"] == "nsps_dashboard_illustrative").all()
    assert ill["note"].str.startswith("Illustrative — not official statistics").all()
    assert (catalogue["nature"] == "illustrative").all()
    assert catalogue["indicator_id"].str.startswith("ILL_").all()
    assert (catalogue["headline"] == "").all()
    assert catalogue["caveat_en"].str.startswith("Illustrative — not official statistics.").all()
    assert set(ill["indicator_id"]) == set(catalogue["indicator_id"])
    assert sources["source_id"].tolist() == ["nsps_dashboard_illustrative"]


def test_files_follow_the_spec(built):
    columns = {
        "indicators-illustrative.csv": illustrative.IND_COLUMNS,
        "observations-illustrative.csv": illustrative.OBS_COLUMNS,
        "sources-illustrative.csv": illustrative.SRC_COLUMNS,
    }
    for name, expected in columns.items():
        raw = (built / name).read_bytes()
        assert b"\r" not in raw and raw.endswith(b"\n")
        raw.decode("utf-8")
        assert pd.read_csv(built / name, nrows=0).columns.tolist() == expected, name
    obs = pd.read_csv(built / "observations-illustrative.csv", dtype=str, keep_default_na=False)
    ordered = obs.sort_values(["indicator_id", "area_code", "year"]).reset_index(drop=True)
    assert obs.equals(ordered)
