"""Illustrative province and district series for the NSPS maps — NOT official statistics.

Why. No official NSPS coverage figure is published by province or district. So that the maps can
show how the dashboard works until the ministry publishes its own tables, this script generates
illustrative sub-national series for the headline coverage indicator of each goal. Every value it
writes has nature `illustrative` and source `nsps_dashboard_illustrative`, and the dashboard shows
it with the badge "Illustrative — not official statistics". Do not quote these numbers.

Inputs. Only the release folder the script writes into: `areas.csv` (national, 18 provinces, 148
districts) and the real values in `observations*.csv` (its own `observations-illustrative.csv` is
excluded). Real series used: `POP_CENSUS_2015` by province (2015 census, weights),
`MPI_HEADCOUNT_PROVINCE` 2017 (OPHI, to make poorer provinces differ in a plausible direction),
`SHP_COVERAGE` (national anchor of goal 1) and `SP_COVERAGE_WORKING_AGE` 2020 (anchor of goal 2).

Outputs (in the release folder): `indicators-illustrative.csv`, `observations-illustrative.csv`,
`sources-illustrative.csv`, each sorted, UTF-8, "\\n" line ends.

Randomness. One generator, `numpy.random.default_rng(seed)` (default seed 20251), drawn in this
fixed order: (1) district population shares, province by province in P-code order; (2) for each
indicator in the order ILL_HEALTH_COVERAGE, ILL_SOCIAL_SECURITY_COVERAGE,
ILL_SCHOOL_MEALS_COVERAGE, ILL_SOCIAL_WELFARE_BENEFICIARIES: the national-path draws (if any),
then province effects (18 standard normals), province-year jitter (18 x 9), district effects
(148) and district-year jitter (148 x 9). Same seed and same inputs give byte-identical files.

Method.
1. District population (`ILL_POPULATION_DISTRICT`, 2015, persons). No district population is
   published, so each province's census total is split among its districts with seeded Dirichlet
   shares (concentration 6 for districts treated as urban, 3 otherwise), rounded to whole persons
   by largest remainder so that the districts sum exactly to the province's census count. These
   are the weights of every district aggregation below, published so anyone can re-check them.
   "Urban" districts are an assumption made for illustration only: each province's first-coded
   district (`LAxx01`, the provincial capital in the P-code list) and the four central districts
   of Vientiane Capital (`LA0101`-`LA0104`).
2. National path N(t), years 2016-2024.
   - ILL_HEALTH_COVERAGE: N(t) = SHP_COVERAGE (real) in the years that have a real value (2016,
     2017, 2018, 2019, 2024); the years in between are interpolated linearly between the nearest
     real years (the row note says so).
   - ILL_SOCIAL_SECURITY_COVERAGE: N(2020) = SP_COVERAGE_WORKING_AGE 2020 (real, 15); the other
     years follow an illustrative trend N(t) = N(2020) + b (t - 2020) + e(t), with b uniform in
     [0.4, 0.8] points a year and e(t) normal with sd 0.15 (e(2020) = 0).
   - ILL_SCHOOL_MEALS_COVERAGE and ILL_SOCIAL_WELFARE_BENEFICIARIES have no official national
     figure: the national path is itself illustrative, linear on the link scale (below) from a
     2016 start to a 2024 end drawn uniformly (school meals 25-35 % to 60-75 %; welfare 6-10 to
     15-25 per 1,000), plus normal jitter (sd 0.05) in the years between.
   N(t) is rounded to 1 decimal and written as the national (`LA`) row, also nature illustrative.
3. Provinces. On the link scale g (logit of the share for percentages, log for the rate):
   g(value[p, t]) = g(N(t)) + m z[p] + s_p u[p] + s_y j[p, t] + c [p = LA01] + shift(t),
   where z is the province's 2017 MPI headcount standardised across the 18 provinces, u and j are
   the seeded draws above, and shift(t) is solved (bisection) so that the mean of the province
   values weighted by POP_CENSUS_2015 equals N(t) exactly. The logit keeps every percentage
   inside (0, 100), so no clipping is needed (the script asserts the range).
4. Districts, the same way inside each province: g(value[d, t]) = g(value[p, t]) + s_d v[d] +
   s_y k[d, t] + a [d urban] + shift(p, t), with shift(p, t) solved so that the mean weighted by
   ILL_POPULATION_DISTRICT equals the (rounded) province value.
5. Rounding. Values are rounded to 1 decimal. The rounding residual of each aggregate is then
   removed by moving single values by 0.1 (each value at most once; greedily, the move that
   brings the weighted mean closest to its target first) until no move improves it. The script
   asserts that every rounded weighted mean is within 0.05 of its target, so it displays the same
   to 1 decimal: provinces aggregate to the national row, districts to their province.

Parameters (link scale; m = MPI coefficient, s_p / s_y / s_d = province / year / district sd,
c = Vientiane Capital bonus, a = urban-district bonus):
   health coverage        m -0.35  s_p 0.25  s_y 0.05  s_d 0.30  c 0     a +0.20
   social security        m -0.45  s_p 0.25  s_y 0.05  s_d 0.35  c +0.60 a +0.70
   school meals           m +0.30  s_p 0.40  s_y 0.08  s_d 0.50  c 0     a -0.30
   welfare beneficiaries  m +0.20  s_p 0.20  s_y 0.05  s_d 0.30  c 0     a -0.10
Signs encode plausible but unverified patterns: poorer provinces have lower health and social
security coverage, Vientiane Capital and urban districts have more formal workers, and targeted
school meals and welfare programmes reach poorer areas more. Census population (all ages) is the
weight for every indicator, including the working-age and school-based ones: a simplification.
"""

from __future__ import annotations

import argparse
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from data.steps.common import DEFAULT_RELEASE_DIR, columns, write_table
from data.steps.translations import apply_lao

DEFAULT_SEED = 20251
DEFAULT_DATE = "2026-11-29"  # `accessed` date when the release folder name is not an ISO date
YEARS = tuple(range(2016, 2025))
SOURCE_ID = "nsps_dashboard_illustrative"
NOTE = "Illustrative — not official statistics"
#: Real series named in the notes, as readers know them.
READER_NAMES = {
    r"\bSHP_COVERAGE\b": "social health protection coverage",
    r"\bSP_COVERAGE_WORKING_AGE\b": "social security coverage of the working-age population",
    r"\bPOP_CENSUS_2015\b": "2015 census population",
}
CAVEAT = (
    "Illustrative — not official statistics. Generated by the dashboard's illustrative-series "
    "script to demonstrate the maps until the ministry publishes province and district tables."
)
OWN_FILES = {"observations-illustrative.csv"}

IND_COLUMNS = columns("indicators")
OBS_COLUMNS = columns("observations")
SRC_COLUMNS = columns("sources")


@dataclass(frozen=True)
class Spec:
    """One illustrative indicator: catalogue text and generation parameters (link scale)."""

    indicator_id: str
    kind: str  # "percent" (logit link) or "rate" (log link)
    mpi: float
    sd_province: float
    sd_year: float
    sd_district: float
    capital: float
    urban: float
    catalogue: dict


SPECS = (
    Spec(
        "ILL_HEALTH_COVERAGE",
        "percent",
        -0.35,
        0.25,
        0.05,
        0.30,
        0.0,
        0.20,
        {
            "goal": "1",
            "activity_ids": "1.1.01;1.1.04",
            "challenge_ids": "C05",
            "name_en": "Population covered by social health protection (illustrative)",
            "unit_en": "% of population",
            "definition_en": "Share of the population covered by a social health protection "
            "scheme. Illustrative values whose census-weighted national mean equals the published "
            "social health protection coverage.",
            "direction": "higher",
        },
    ),
    Spec(
        "ILL_SOCIAL_SECURITY_COVERAGE",
        "percent",
        -0.45,
        0.25,
        0.05,
        0.35,
        0.60,
        0.70,
        {
            "goal": "2",
            "activity_ids": "2.1.01;2.1.03",
            "challenge_ids": "C07;C09",
            "name_en": "Working-age population covered by social security (illustrative)",
            "unit_en": "% of working-age population",
            "definition_en": "Share of the working-age population covered by the National "
            "Social Security Fund (NSSF). Illustrative values; the 2020 national mean equals "
            "the published social protection coverage of the working-age population.",
            "direction": "higher",
        },
    ),
    Spec(
        "ILL_SCHOOL_MEALS_COVERAGE",
        "percent",
        0.30,
        0.40,
        0.08,
        0.50,
        0.0,
        -0.30,
        {
            "goal": "3",
            "activity_ids": "3.1.05",
            "challenge_ids": "",
            "name_en": "Schools in poor districts receiving school meals (illustrative)",
            "unit_en": "% of schools",
            "definition_en": "Share of state schools in poor districts that receive meals from the "
            "National School Meals Programme. Illustrative values; no official figure "
            "exists at any level.",
            "direction": "higher",
        },
    ),
    Spec(
        "ILL_SOCIAL_WELFARE_BENEFICIARIES",
        "rate",
        0.20,
        0.20,
        0.05,
        0.30,
        0.0,
        -0.10,
        {
            "goal": "3",
            "activity_ids": "3.1.01;3.1.02;3.1.03",
            "challenge_ids": "C10",
            "name_en": "Social welfare beneficiaries per 1,000 population (illustrative)",
            "unit_en": "per 1,000 population",
            "definition_en": "People receiving a social welfare benefit or service (mothers and "
            "young children, persons with disabilities and UXO survivors, older adults) per "
            "1,000 population. Illustrative values; no official figure exists.",
            "direction": "higher",
        },
    ),
)
POPULATION_CATALOGUE = {
    "indicator_id": "ILL_POPULATION_DISTRICT",
    "goal": "context",
    "activity_ids": "",
    "challenge_ids": "",
    "name_en": "District population, 2015 (illustrative split of the census)",
    "unit_en": "persons",
    "unit_kind": "count",
    "definition_en": "Each province's 2015 census population split among its districts with seeded "
    "shares; districts sum exactly to the province's census count. The weights of the "
    "illustrative district series.",
    "direction": "none",
    "decimals": "0",
}


# --------------------------------------------------------------------------- inputs


def _read_inputs(release_dir: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    areas = pd.read_csv(release_dir / "areas.csv", dtype=str, keep_default_na=False)
    files = sorted(p for p in release_dir.glob("observations*.csv") if p.name not in OWN_FILES)
    if not files:
        raise FileNotFoundError(f"no observations*.csv in {release_dir}")
    obs = pd.concat(
        [pd.read_csv(p, dtype=str, keep_default_na=False) for p in files], ignore_index=True
    )
    for col in ("sex", "urban_rural"):
        if col in obs:
            obs = obs[obs[col].isin(["", "total"])]
    obs = obs[~obs["indicator_id"].str.startswith("ILL_")]
    return areas, obs


def _values(
    obs: pd.DataFrame, indicator_id: str, year: str | None = None
) -> dict[tuple[str, str], float]:
    rows = obs[obs["indicator_id"] == indicator_id]
    if year is not None:
        rows = rows[rows["year"] == year]
    out: dict[tuple[str, str], float] = {}
    for area, yr, value in zip(rows["area_code"], rows["year"], rows["value"], strict=True):
        key = (area, yr)
        if key in out and out[key] != float(value):
            raise ValueError(f"{indicator_id} {key}: conflicting values")
        out[key] = float(value)
    if not out:
        raise ValueError(f"{indicator_id} not found in observations*.csv")
    return out


# --------------------------------------------------------------------------- numerics


def _link(kind: str, x: np.ndarray) -> np.ndarray:
    x = np.asarray(x, dtype=float)
    return np.log(x / (100.0 - x)) if kind == "percent" else np.log(x)


def _inverse(kind: str, eta: np.ndarray) -> np.ndarray:
    return 100.0 / (1.0 + np.exp(-eta)) if kind == "percent" else np.exp(eta)


def _balance(kind: str, eta: np.ndarray, weights: np.ndarray, target: float) -> np.ndarray:
    """Add the constant shift that makes the weighted mean of inverse(eta + shift) equal target."""
    lo, hi = -30.0, 30.0
    for _ in range(200):
        mid = (lo + hi) / 2.0
        if np.dot(weights, _inverse(kind, eta + mid)) / weights.sum() < target:
            lo = mid
        else:
            hi = mid
    return _inverse(kind, eta + (lo + hi) / 2.0)


def _round_to_mean(
    values: np.ndarray, weights: np.ndarray, target_tenths: int, upper: int | None
) -> np.ndarray:
    """Round to tenths (integers), then move single values by one tenth so that the weighted
    mean is as close to target_tenths as the moves allow. Exact integer arithmetic."""
    tenths = np.rint(np.asarray(values) * 10.0).astype(np.int64)
    w = np.asarray(weights, dtype=np.int64)
    residual = int(target_tenths * w.sum() - np.dot(w, tenths))  # in tenth x person
    moved = np.zeros(len(tenths), dtype=bool)
    while residual != 0:
        step = 1 if residual > 0 else -1
        allowed = ~moved & (tenths + step >= 0)
        if upper is not None:
            allowed &= tenths + step <= upper
        if not allowed.any():
            break
        after = np.where(allowed, np.abs(residual - step * w), np.iinfo(np.int64).max)
        best = int(np.argmin(after))  # first index on ties: deterministic
        if after[best] >= abs(residual):
            break
        tenths[best] += step
        moved[best] = True
        residual -= step * int(w[best])
    mean = np.dot(w, tenths) / w.sum()
    assert abs(mean - target_tenths) < 0.5, f"rounded mean {mean / 10} misses {target_tenths / 10}"
    return tenths


def _largest_remainder(shares: np.ndarray, total: int) -> np.ndarray:
    raw = shares * total
    out = np.floor(raw).astype(np.int64)
    order = np.argsort(-(raw - out), kind="stable")
    out[order[: total - int(out.sum())]] += 1
    assert out.sum() == total and (out > 0).all()
    return out


def _fmt(tenths: int) -> str:
    return f"{tenths // 10}.{tenths % 10}"


# --------------------------------------------------------------------------- national paths


def _national_path(
    spec: Spec, obs: pd.DataFrame, rng: np.random.Generator
) -> tuple[np.ndarray, list[str]]:
    """National value per year (float) and the note of each national row."""
    n = len(YEARS)
    if spec.indicator_id == "ILL_HEALTH_COVERAGE":
        real = {int(y): v for (a, y), v in _values(obs, "SHP_COVERAGE").items() if a == "LA" and y}
        years = sorted(real)
        assert years[0] <= YEARS[0] and years[-1] >= YEARS[-1], (
            "SHP_COVERAGE must bracket 2016-2024"
        )
        path = np.interp(YEARS, years, [real[y] for y in years])
        notes = []
        for y in YEARS:
            if y in real:
                notes.append(f"{NOTE}; national value = SHP_COVERAGE {y} (real)")
            else:
                before = max(k for k in years if k < y)
                after = min(k for k in years if k > y)
                notes.append(
                    f"{NOTE}; national value interpolated linearly between SHP_COVERAGE "
                    f"{before} and {after} (real)"
                )
        return path, notes
    if spec.indicator_id == "ILL_SOCIAL_SECURITY_COVERAGE":
        anchor = _values(obs, "SP_COVERAGE_WORKING_AGE", "2020")[("LA", "2020")]
        slope = rng.uniform(0.4, 0.8)
        jitter = rng.normal(0.0, 0.15, n)
        t = np.array(YEARS) - 2020
        path = anchor + slope * t + np.where(t == 0, 0.0, jitter)
        notes = [
            f"{NOTE}; national value = SP_COVERAGE_WORKING_AGE 2020 (real)"
            if y == 2020
            else f"{NOTE}; national value is an illustrative trend through "
            "SP_COVERAGE_WORKING_AGE 2020 (real)"
            for y in YEARS
        ]
        return path, notes
    start_end = {
        "ILL_SCHOOL_MEALS_COVERAGE": ((25, 35), (60, 75)),
        "ILL_SOCIAL_WELFARE_BENEFICIARIES": ((6, 10), (15, 25)),
    }[spec.indicator_id]
    start = rng.uniform(*start_end[0])
    end = rng.uniform(*start_end[1])
    jitter = rng.normal(0.0, 0.05, n)
    jitter[0] = jitter[-1] = 0.0
    g0, g1 = _link(spec.kind, np.array([start, end]))
    eta = g0 + (g1 - g0) * np.linspace(0.0, 1.0, n) + jitter
    notes = [f"{NOTE}; no official national figure: the national value is illustrative too"] * n
    return _inverse(spec.kind, eta), notes


# --------------------------------------------------------------------------- main step


def run(release_dir: Path, seed: int = DEFAULT_SEED) -> None:
    release_dir = Path(release_dir)
    areas, obs = _read_inputs(release_dir)
    rng = np.random.default_rng(seed)

    provinces = sorted(areas.loc[areas["level"] == "province", "area_code"])
    districts = areas.loc[areas["level"] == "district", ["area_code", "parent_code"]].sort_values(
        "area_code"
    )
    assert len(provinces) == 18 and len(districts) == 148, (len(provinces), len(districts))
    census_vals = _values(obs, "POP_CENSUS_2015", "2015")
    census = np.array([int(round(census_vals[(p, "2015")])) for p in provinces], dtype=np.int64)
    if ("LA", "2015") in census_vals:
        assert census.sum() == int(round(census_vals[("LA", "2015")])), (
            "province census != national"
        )
    mpi_vals = _values(obs, "MPI_HEADCOUNT_PROVINCE", "2017")
    mpi = np.array([mpi_vals[(p, "2017")] for p in provinces])
    z = (mpi - mpi.mean()) / mpi.std()

    # (1) district population: seeded Dirichlet split of each province's census count
    by_province = {
        p: districts.loc[districts["parent_code"] == p, "area_code"].tolist() for p in provinces
    }
    urban = {d for ds in by_province.values() for d in ds if d.endswith("01")} | {
        "LA0102",
        "LA0103",
        "LA0104",
    }
    dist_pop: dict[str, int] = {}
    for p, total in zip(provinces, census, strict=True):
        ds = by_province[p]
        alpha = np.array([6.0 if d in urban else 3.0 for d in ds])
        dist_pop.update(zip(ds, _largest_remainder(rng.dirichlet(alpha), int(total)), strict=True))

    rows: list[dict] = [
        {
            "indicator_id": "ILL_POPULATION_DISTRICT",
            "area_code": d,
            "year": "2015",
            "value": str(v),
            "note": f"{NOTE}; seeded split of the province's POP_CENSUS_2015 (real)",
        }
        for d, v in dist_pop.items()
    ]

    # (2)-(5) the four coverage indicators
    upper_of = {"percent": 1000, "rate": None}
    for spec in SPECS:
        national, national_notes = _national_path(spec, obs, rng)
        u = rng.standard_normal(len(provinces))
        j = rng.standard_normal((len(provinces), len(YEARS)))
        v = rng.standard_normal(len(districts))
        k = rng.standard_normal((len(districts), len(YEARS)))
        d_index = {d: i for i, d in enumerate(districts["area_code"])}
        upper = upper_of[spec.kind]
        for t, year in enumerate(YEARS):
            nat_tenths = int(np.rint(national[t] * 10.0))
            rows.append(
                {
                    "indicator_id": spec.indicator_id,
                    "area_code": "LA",
                    "year": str(year),
                    "value": _fmt(nat_tenths),
                    "note": national_notes[t],
                }
            )
            eta_p = (
                _link(spec.kind, nat_tenths / 10.0)
                + spec.mpi * z
                + spec.sd_province * u
                + spec.sd_year * j[:, t]
                + spec.capital * np.array([p == "LA01" for p in provinces])
            )
            prov_vals = _balance(spec.kind, eta_p, census.astype(float), nat_tenths / 10.0)
            prov_tenths = _round_to_mean(prov_vals, census, nat_tenths, upper)
            for p, pt in zip(provinces, prov_tenths, strict=True):
                assert pt > 0 and (upper is None or pt < upper), (spec.indicator_id, p, year, pt)
                rows.append(
                    {
                        "indicator_id": spec.indicator_id,
                        "area_code": p,
                        "year": str(year),
                        "value": _fmt(int(pt)),
                        "note": NOTE,
                    }
                )
                ds = by_province[p]
                idx = [d_index[d] for d in ds]
                w = np.array([dist_pop[d] for d in ds], dtype=np.int64)
                eta_d = (
                    _link(spec.kind, pt / 10.0)
                    + spec.sd_district * v[idx]
                    + spec.sd_year * k[idx, t]
                    + spec.urban * np.array([d in urban for d in ds])
                )
                d_vals = _balance(spec.kind, eta_d, w.astype(float), pt / 10.0)
                d_tenths = _round_to_mean(d_vals, w, int(pt), upper)
                for d, dt in zip(ds, d_tenths, strict=True):
                    assert dt >= 0 and (upper is None or dt <= upper)
                    rows.append(
                        {
                            "indicator_id": spec.indicator_id,
                            "area_code": d,
                            "year": str(year),
                            "value": _fmt(int(dt)),
                            "note": NOTE,
                        }
                    )

    observations = pd.DataFrame(rows).assign(
        sex="total", urban_rural="total", age="total", nature="illustrative", source_id=SOURCE_ID
    )
    # The working note names the real series by id: readers get their names, the id stays in
    # the downloadable provenance.
    observations["provenance"] = observations["note"]
    observations["note"] = observations["note"].replace(READER_NAMES, regex=True)
    observations = observations[OBS_COLUMNS]
    observations = observations.sort_values(["indicator_id", "area_code", "year"]).reset_index(
        drop=True
    )
    assert not observations.duplicated(["indicator_id", "area_code", "year"]).any()

    write_table(observations, release_dir / "observations-illustrative.csv")
    write_table(_catalogue(), release_dir / "indicators-illustrative.csv")
    write_table(_sources(release_dir, seed), release_dir / "sources-illustrative.csv")


def _catalogue() -> pd.DataFrame:
    common = {
        "nature": "illustrative",
        "source_id": SOURCE_ID,
        "caveat_en": CAVEAT,
        "decimals": "1",
        "unit_kind": "percent",
    }
    records = [
        {**common, "indicator_id": s.indicator_id, "unit_kind": s.kind, **s.catalogue}
        for s in SPECS
    ]
    records.append({**common, **POPULATION_CATALOGUE})
    cat = pd.DataFrame(records, dtype=object).reindex(columns=IND_COLUMNS, fill_value="").fillna("")
    cat = cat.sort_values("indicator_id").reset_index(drop=True)
    return apply_lao(cat, "indicators-illustrative", "indicator_id")


def _sources(release_dir: Path, seed: int) -> pd.DataFrame:
    accessed = (
        release_dir.name if re.fullmatch(r"\d{4}-\d{2}-\d{2}", release_dir.name) else DEFAULT_DATE
    )
    return pd.DataFrame(
        [
            {
                "source_id": SOURCE_ID,
                "publisher": "NSPS Transparency Dashboard project",
                "title": "Illustrative province and district series — not official statistics",
                "year": accessed[:4],
                "url": "",
                "licence": "CC0-1.0",
                "licence_url": "https://creativecommons.org/publicdomain/zero/1.0/",
                "provenance": f"repo:data/steps/illustrative.py (seed {seed})",
                "accessed": accessed,
                "note": "Generated, not measured: province and district values that aggregate "
                "to the real national figures where one exists (the script's docstring "
                "documents the method).",
            }
        ]
    ).reindex(columns=SRC_COLUMNS, fill_value="")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--release-dir", type=Path, default=DEFAULT_RELEASE_DIR)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    args = parser.parse_args()
    run(args.release_dir, args.seed)


if __name__ == "__main__":
    main()
