"""The shipped release keeps its promises: real values unchanged, totals that add up, consistent
catalogue, sources and areas that exist (in the gazetteer and in the boundary files)."""

from __future__ import annotations

import os
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest

from dashboard.loading import Release
from dashboard.queries import Dataset
from data.steps.common import DEFAULT_SHARED_DIR
from data.steps.import_reference import DISTRICT_SPELLINGS
from geo import load_boundaries

REPO_ROOT = Path(__file__).resolve().parents[2]
SHARED = DEFAULT_SHARED_DIR  # ../shared, or beside the main checkout of a worktree
REFERENCE_CSV = SHARED / "reference" / "reference_indicators.csv"
ADDITIONS_CSV = SHARED / "reference" / "reference_additions.csv"
CENSUS_2015_TOTAL = 6_492_228
GHED_YEARS = set(range(2000, 2023))
TOLERANCE = 0.05


def _geo_dir() -> Path | None:
    env = os.environ.get("NSPS_GEO_DIR")
    candidate = Path(env) if env else SHARED / "geo"
    return candidate if (candidate / "lao_adm2.geojson").is_file() else None


GEO_DIR = _geo_dir()
needs_geo = pytest.mark.skipif(
    GEO_DIR is None, reason="boundary files not found: set NSPS_GEO_DIR or provide ../shared/geo"
)
needs_reference = pytest.mark.skipif(
    not REFERENCE_CSV.is_file(),
    reason=f"reference indicator set not found at {REFERENCE_CSV} (../shared/reference)",
)


@pytest.fixture(scope="module")
def ds(shipped_release: Release) -> Dataset:
    return Dataset.from_release(shipped_release)


@pytest.fixture(scope="module")
def totals(ds: Dataset) -> pd.DataFrame:
    tidy = ds.tidy
    return tidy[(tidy["sex"] == "total") & (tidy["urban_rural"] == "total")]


def _national_series(totals: pd.DataFrame, indicator_id: str) -> pd.Series:
    rows = totals[(totals["indicator_id"] == indicator_id) & (totals["area_code"] == "LA")]
    rows = rows[rows["year"].notna()]
    assert rows["year"].is_unique, f"{indicator_id}: several national values in one year"
    return rows.set_index(rows["year"].astype(int))["value"]


# ---------------------------------------------------------------- areas


@needs_geo
def test_every_observed_area_has_a_boundary_and_a_gazetteer_entry(
    shipped_release: Release,
) -> None:
    boundaries = load_boundaries(GEO_DIR)
    assert boundaries is not None
    obs = shipped_release.observations
    gazetteer = set(shipped_release.areas["area_code"])
    codes = set(obs["area_code"])
    assert codes - gazetteer == set()
    by_length = {4: "province", 6: "district"}
    for level in ("province", "district"):
        observed = {c for c in codes if by_length.get(len(c)) == level}
        assert observed, f"no {level} observations: the check would be empty"
        missing = observed - boundaries.codes(level)
        assert not missing, f"{level} codes without a boundary: {sorted(missing)}"


def test_observed_areas_are_in_the_gazetteer_at_their_level(shipped_release: Release) -> None:
    areas = shipped_release.areas
    obs = shipped_release.observations
    assert set(obs["area_code"]) <= set(areas.index)
    levels = obs["area_code"].map(areas["level"])
    expected = obs["area_code"].str.len().map({2: "national", 4: "province", 6: "district"})
    assert (levels == expected).all()


# ---------------------------------------------------------------- totals that add up


def test_census_2015_provinces_sum_to_the_national_total(totals: pd.DataFrame) -> None:
    census = totals[totals["indicator_id"] == "POP_CENSUS_2015"]
    provinces = census[census["area_level"] == "province"]
    assert len(provinces) == 18
    assert provinces["area_code"].is_unique
    assert provinces["value"].sum() == CENSUS_2015_TOTAL
    national = census[census["area_code"] == "LA"]["value"]
    assert national.tolist() == [CENSUS_2015_TOTAL]


def test_ghed_financing_shares_add_to_100(totals: pd.DataFrame) -> None:
    parts = [
        _national_series(totals, i)
        for i in ("GHED_GGHE-DCHE_SHA2011", "GHED_PVT-DCHE_SHA2011", "GHED_EXTCHE_SHA2011")
    ]
    for part in parts:
        assert set(part.index) == GHED_YEARS
    total = parts[0] + parts[1] + parts[2]
    off = total[(total - 100).abs() > TOLERANCE]
    assert off.empty, f"shares do not add to 100 in: {off.to_dict()}"


def test_ghed_per_capita_parts_add_to_che_per_capita(totals: pd.DataFrame) -> None:
    che = _national_series(totals, "GHED_CHE_pc_US_SHA2011")
    parts = [
        _national_series(totals, i)
        for i in ("GHED_GGHE-D_pc_US_SHA2011", "GHED_PVT-D_pc_US_SHA2011", "GHED_EXT_pc_US_SHA2011")
    ]
    assert set(che.index) == GHED_YEARS
    for part in parts:
        assert set(part.index) == GHED_YEARS
    gap = (parts[0] + parts[1] + parts[2] - che).abs()
    off = gap[gap > TOLERANCE]
    assert off.empty, f"per-capita parts differ from CHE per capita in: {off.to_dict()}"


def test_ghed_oop_share_never_exceeds_private_share(totals: pd.DataFrame) -> None:
    oop = _national_series(totals, "GHED_OOPSCHE_SHA2011")
    private = _national_series(totals, "GHED_PVT-DCHE_SHA2011")
    assert set(oop.index) == set(private.index) == GHED_YEARS
    assert (oop <= private + 1e-9).all()


def test_province_mpi_headcount_weighted_by_census_matches_national(
    totals: pd.DataFrame,
) -> None:
    mpi = totals[(totals["indicator_id"] == "MPI_HEADCOUNT_PROVINCE") & (totals["year"] == 2017)]
    mpi = mpi.set_index("area_code")["value"]
    census = totals[
        (totals["indicator_id"] == "POP_CENSUS_2015") & (totals["area_level"] == "province")
    ].set_index("area_code")["value"]
    assert len(mpi) == 18 and set(mpi.index) == set(census.index)
    weighted = (mpi * census[mpi.index]).sum() / census[mpi.index].sum()
    national = _national_series(totals, "MPI_HEADCOUNT_NATIONAL")[2017]
    assert national == pytest.approx(23.07)
    assert abs(weighted - national) <= 1.0, f"weighted {weighted:.2f} vs national {national}"


def test_one_total_value_per_indicator_year_and_area(totals: pd.DataFrame) -> None:
    counts = totals.groupby(["indicator_id", "year", "area_code"], dropna=False).size()
    assert not (counts > 1).any(), counts[counts > 1].head(20).to_dict()


# ---------------------------------------------------------------- the reference, unchanged


def _reference_failures(ds: Dataset, path: Path, rows: int) -> list[str]:
    """Every row of a reference file served as one observation with exactly its value."""
    ref = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    assert len(ref) == rows
    areas = ds.release.areas
    # districts are named "District (Province)" in the reference, with a blank P-code
    district_codes = {
        f"{row.name_en} ({areas.at[row.parent_code, 'name_en']})": code
        for code, row in areas[areas["level"] == "district"].iterrows()
    } | DISTRICT_SPELLINGS
    tidy = ds.tidy
    dated = tidy.assign(_year=tidy["year"].astype("string").fillna(""))
    index = dated.groupby(["indicator_id", "area_code", "_year", "urban_rural"])["value"].agg(list)
    failures = []
    for r in ref.itertuples(index=False):
        split = "total"
        if r.area_level == "national":
            code = "LA"
            if r.area_name.endswith(" - urban"):
                split = "urban"
            elif r.area_name.endswith(" - rural"):
                split = "rural"
        elif r.area_level == "province":
            code = r.area_pcode
        else:
            code = r.area_pcode or district_codes.get(r.area_name)
        key = (r.indicator_id, code, r.year, split)
        values = index.get(key)
        if values is None or len(values) != 1:
            failures.append(f"{key}: expected one observation, found {values}")
        elif Decimal(repr(values[0])) != Decimal(r.value):
            failures.append(f"{key}: reference {r.value}, shipped {values[0]!r}")
    return failures


@needs_reference
def test_every_reference_value_is_shipped_unchanged(ds: Dataset) -> None:
    failures = _reference_failures(ds, REFERENCE_CSV, 738)
    assert not failures, "\n".join(failures[:30])


@needs_reference
def test_reference_additions_served_unchanged(ds: Dataset) -> None:
    """The 204 additions (reference_indicators.md section 8) keep their ids and values."""
    failures = _reference_failures(ds, ADDITIONS_CSV, 204)
    assert not failures, "\n".join(failures[:30])


@needs_reference
def test_every_shipped_real_observation_comes_from_the_reference(ds: Dataset) -> None:
    real = ds.tidy[ds.tidy["nature"] != "illustrative"]
    ref = pd.concat(
        pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
        for path in (REFERENCE_CSV, ADDITIONS_CSV)
    )
    assert set(real["indicator_id"]) == set(ref["indicator_id"])
    # 738 + 204 reference rows; identical duplicates would have been merged into one observation
    assert len(real) == len(ref.drop_duplicates(["indicator_id", "area_name", "year", "value"]))


# ---------------------------------------------------------------- natures


def test_illustrative_values_are_marked_everywhere(ds: Dataset) -> None:
    tidy = ds.tidy
    ind = ds.release.indicators
    ill_rows = tidy[tidy["nature"] == "illustrative"]
    assert len(ill_rows) > 0
    assert (ind.loc[ill_rows["indicator_id"].unique(), "nature"] == "illustrative").all()
    assert ill_rows["indicator_id"].str.startswith("ILL_").all()
    assert (ill_rows["badge"] != "").all()
    ill_ids = ind.index[ind["nature"] == "illustrative"]
    assert set(ill_ids) == {i for i in ind.index if i.startswith("ILL_")}
    of_ill_indicators = tidy[tidy["indicator_id"].isin(ill_ids)]
    assert (of_ill_indicators["nature"] == "illustrative").all()
    real = tidy[~tidy["indicator_id"].str.startswith("ILL_")]
    assert not (real["nature"] == "illustrative").any()
    assert (real["badge"] == "").all()


# ---------------------------------------------------------------- targets


def test_targets_agree_with_the_reference_rows_that_report_them(
    ds: Dataset, totals: pd.DataFrame
) -> None:
    reported = {
        "hsdp8_health_coverage_2020": "SHP_COVERAGE_TARGET",
        "molsw_social_security_2015": "SS_COVERAGE_POP_TARGET",
        "government_health_budget_share": "GOV_HEALTH_BUDGET_SHARE_TARGET",
    }
    targets = ds.release.targets
    for target_id, reference_id in reported.items():
        target = targets.loc[target_id]
        rows = totals[(totals["indicator_id"] == reference_id) & (totals["area_code"] == "LA")]
        assert rows["value"].tolist() == [target["value"]], target_id
        assert set(rows["source_id"]) == {target["document_source_id"]}, target_id
        if not pd.isna(target["year"]):
            assert rows["year"].tolist() == [target["year"]], target_id
    # the 9 % commitment is on the World Bank budget-share figure, not WHO GHED's series
    assert set(targets["indicator_id"]) & {"GHED_GGHE-DGGE_SHA2011"} == set()


def test_shp_coverage_target_is_the_8th_hsdp_80_percent_in_2020(ds: Dataset) -> None:
    target = ds.release.targets.loc["hsdp8_health_coverage_2020"]
    assert (target["indicator_id"], target["value"], target["year"]) == ("SHP_COVERAGE", 80, 2020)
    assert (
        target["kind"] == "numeric" and "8th Health Sector Development Plan" in target["setter_en"]
    )
    rows = ds.rows("SHP_COVERAGE_TARGET")
    assert rows[["area_code", "year", "value"]].values.tolist() == [["LA", 2020, 80.0]]


def test_nsps_targets_are_commitments_of_the_strategy(ds: Dataset) -> None:
    targets = ds.release.targets
    nsps = targets[targets["setter_en"] == "National Social Protection Strategy"]
    assert set(nsps.index) == {
        "nsps_universal_health_coverage_2025",
        "nsps_school_meals_poor_districts",
        "nsps_objective_2_1_formal_sector",
    }
    assert set(nsps["kind"]) == {"commitment"} and set(nsps["document_source_id"]) == {"nsps_2020"}
    valued = nsps[nsps["value"].notna()]
    assert (valued["interpretation_en"].str.contains("interpretation")).all()
    # every target not set by the strategy says whose it is
    assert (
        not targets.loc[targets["setter_en"] != "National Social Protection Strategy", "setter_en"]
        .str.contains("NSPS")
        .any()
    )


# ---------------------------------------------------------------- sources


def test_every_indicator_source_exists(shipped_release: Release) -> None:
    ind = shipped_release.indicators
    known = set(shipped_release.sources.index)
    assert (ind["source_id"] != "").all()
    assert set(ind["source_id"]) - known == set()
    documents = set(shipped_release.targets["document_source_id"])
    assert documents and documents - known == set()
    assert set(shipped_release.budget["source_id"]) - known == set()


def test_every_observation_source_is_fully_described(ds: Dataset) -> None:
    tidy = ds.tidy
    for column in ("source_publisher", "source_title", "source_licence", "provenance"):
        values = tidy[column]
        bad = tidy.loc[values.isna() | (values.astype("string").str.strip() == ""), "source_id"]
        assert bad.empty, f"{column} missing for sources {sorted(set(bad))}"
    # a link to read the source: the original, else the copy it was read from (the generated
    # illustrative series have neither: their method is their documentation)
    real = tidy[tidy["nature"] != "illustrative"]
    link = real["source_url"].where(real["source_url"] != "", real["source_via_url"])
    assert link.str.startswith(("https://", "http://")).all(), sorted(
        set(real.loc[~link.str.startswith(("https://", "http://")), "source_id"])
    )


#: data/README.md: `url` and `via_url` are web addresses (shown as links); where a value was read
#: is its provenance: a web address, `github:owner/repo@commit:path` (a pinned commit) or `repo:`
#: (a path in this repository).
WEB = r"https?://\S+"
READ_FROM = r"(Read from )?(https?://\S+|github:[\w.-]+/[\w.-]+@[0-9a-f]{40}:.+|repo:\S+)( \(.+\))?"


def test_source_addresses_are_web_addresses_or_pinned_repository_paths(
    shipped_release: Release,
) -> None:
    sources = shipped_release.sources
    for column in ("url", "via_url", "licence_url"):
        given = sources[column][sources[column] != ""]
        bad = given[~given.str.fullmatch(WEB)]
        assert bad.empty, f"{column} not a web address: {bad.to_dict()}"
    bad = sources["provenance"][~sources["provenance"].str.fullmatch(READ_FROM)]
    assert bad.empty, f"provenance neither web address nor pinned path: {bad.to_dict()}"
    for read in sources["provenance"].str.extract(r"repo:(\S+)")[0].dropna():
        assert (REPO_ROOT / read).is_file(), f"repo:{read}: no such file"
