"""Import the reference indicator set: indicators, observations, sources and budget tables.

The step is generic: every editorial decision lives in two harmonisation tables next to it,
`reference_sources.csv` (one row per distinct source in the reference CSV) and
`reference_catalogue.csv` (one row per indicator: goal, links, units, nature and budget
lines). Targets are written by the `targets` step.
Values are copied as text, exactly as they appear in the reference CSV.
"""

import re
from decimal import Decimal
from pathlib import Path

import pandas as pd

from data.steps.common import columns, step_main, write_table
from data.steps.translations import apply_lao

STEPS_DIR = Path(__file__).resolve().parent
SOURCE_KEY = ["source_name", "source_url_or_repo_path"]
OBS_KEY = ["indicator_id", "area_code", "year", "sex", "urban_rural", "age"]
#: District names the reference spells differently from the gazetteer (HDX COD-AB spelling).
DISTRICT_SPELLINGS = {"Nakai (Khammouane)": "LA1207"}  # COD-AB: Nakay (Khammouan)
#: The reference set and its additions (section 8 of reference_indicators.md), with row counts.
REFERENCE_FILES = {"reference_indicators.csv": 738, "reference_additions.csv": 204}
EXPECTED_ROWS = sum(REFERENCE_FILES.values())
#: The harmonisation of each reference file's indicators (same columns).
CATALOGUE_FILES = ("reference_catalogue.csv", "reference_additions_catalogue.csv")
CENSUS_2015_TOTAL = 6_492_228

INDICATOR_COLUMNS = columns("indicators")
OBS_COLUMNS = columns("observations")
SOURCE_COLUMNS = columns("sources")
BUDGET_COLUMNS = columns("budget")
NUMBER = re.compile(r"-?\d+(\.\d+)?")


def _read(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")


def _area_codes(ref: pd.DataFrame, lookup: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """P-code and urban/rural split for every reference row."""
    provinces = set(lookup["adm1_pcode"])
    # District rows are named "District (Province)" in the reference;
    # match both names to the gazetteer.
    districts = {
        (r.adm2_en.casefold(), r.adm1_en.casefold()): r.adm2_pcode
        for r in lookup.itertuples(index=False)
    }
    codes, splits = [], []
    for r in ref.itertuples(index=False):
        split = "total"
        if r.area_level == "national":
            code = "LA"
            m = re.fullmatch(r".+ - (urban|rural)", r.area_name)
            if m:
                split = m.group(1)
        elif r.area_level == "province":
            code = r.area_pcode
            assert code in provinces, f"unknown province code {code!r} ({r.indicator_id})"
        elif r.area_level == "district":
            m = re.fullmatch(r"(.+?) \((.+)\)", r.area_name)
            assert m, f"district name not 'District (Province)': {r.area_name!r}"
            code = (
                r.area_pcode
                or districts.get((m.group(1).casefold(), m.group(2).casefold()))
                or DISTRICT_SPELLINGS.get(r.area_name)
            )
            assert code, f"district not found in the gazetteer: {r.area_name!r}"
        else:
            raise ValueError(f"unknown area_level {r.area_level!r}")
        codes.append(code)
        splits.append(split)
    return pd.Series(codes, index=ref.index), pd.Series(splits, index=ref.index)


def _dedupe(obs: pd.DataFrame) -> pd.DataFrame:
    """One row per key.

    Identical values from several sources are merged (the other sources go in the provenance);
    conflicting values stop the build, because choosing between them is an editorial decision."""
    dup = obs.duplicated(OBS_KEY, keep=False)
    if not dup.any():
        return obs
    keep = []
    for _, group in obs[dup].groupby(OBS_KEY, sort=False):
        values = {Decimal(v) for v in group["value"]}
        assert len(values) == 1, f"conflicting values for one key:\n{group}"
        first = group.iloc[0].copy()
        others = "; ".join(group["source_id"].iloc[1:])
        first["provenance"] = f"{first['provenance']} [same value also in: {others}]".strip()
        keep.append(first)
    return pd.concat([obs[~dup], pd.DataFrame(keep)], ignore_index=True)


#: Parts of a reference note that say how a value was read (which row, column, file), not
#: what a reader must know about it: they go to `provenance`, never to the shown note.
_READING = re.compile(
    r"read directly|^row\b|\brow:|\bcolumn\b|SpatialDimensionValueCode|full precision|"
    r"record date|^where:|source spelling|P-code|as given in the source|key-figures box|"
    r"\.csv|\.xlsx|github:|sheet |dashboard|GDL region|wiki|pcode|see md|\bsee \w+ row\b|"
    r"\b[A-Z0-9]+_[A-Z0-9_]+\b",
    re.IGNORECASE,
)


def split_note(note: str) -> tuple[str, str]:
    """(reader's note, provenance) of a reference note.

    The whole note, verbatim, is the provenance (nothing is lost); the reader's note keeps the
    quoted wording and caveats, without the `[table]`/`[text]` tag, the "secondary:" marker (the
    citation says "via …") and the reading instructions."""
    body = re.sub(r"^\[(table|text)\]\s*", "", note.strip())
    body = re.sub(r"^secondary:\s*", "", body)
    body = body.replace(" — where: ", "; where: ")
    kept = [part for part in _top_level_parts(body) if part and not _READING.search(part)]
    return "; ".join(kept), note.strip()


def _top_level_parts(text: str) -> list[str]:
    """`text` split at "; " outside brackets (a bracket may hold a "; " of its own)."""
    parts, depth, start = [], 0, 0
    for i, char in enumerate(text):
        depth += {"(": 1, ")": -1}.get(char, 0)
        if depth == 0 and text.startswith("; ", i):
            parts.append(text[start:i].strip())
            start = i + 2
    parts.append(text[start:].strip())
    return parts


def _main_source(obs: pd.DataFrame) -> pd.Series:
    """Most frequent source of each indicator; ties go to the source of the latest dated row."""
    ranked = obs.assign(y=pd.to_numeric(obs["year"], errors="coerce").fillna(-1))
    counts = ranked.groupby(["indicator_id", "source_id"]).agg(
        n=("value", "size"), latest=("y", "max")
    )
    counts = counts.reset_index().sort_values(
        ["indicator_id", "n", "latest", "source_id"], ascending=[True, False, False, True]
    )
    return counts.drop_duplicates("indicator_id").set_index("indicator_id")["source_id"]


def run(shared_dir: Path, release_dir: Path) -> None:
    parts = [_read(shared_dir / "reference" / name) for name in REFERENCE_FILES]
    assert [len(p) for p in parts] == list(REFERENCE_FILES.values()), [len(p) for p in parts]
    assert list(parts[0].columns) == list(parts[1].columns), "reference files differ in columns"
    ref = pd.concat(parts, ignore_index=True)
    lookup = _read(shared_dir / "geo" / "lao_admin_lookup.csv")
    sources = _read(STEPS_DIR / "reference_sources.csv")
    catalogue = pd.concat([_read(STEPS_DIR / name) for name in CATALOGUE_FILES], ignore_index=True)
    assert len(ref) == EXPECTED_ROWS, len(ref)
    # several wordings of one document in the reference map to one source: its citation agrees
    assert not sources.duplicated(SOURCE_KEY).any()
    citation_fields = ["source_id", *SOURCE_COLUMNS[1:]]
    assert (
        sources[[c for c in citation_fields if c in sources]]
        .drop_duplicates()["source_id"]
        .is_unique
    ), "one source_id with two different citations"
    assert catalogue["indicator_id"].is_unique
    assert set(ref["indicator_id"]) == set(catalogue["indicator_id"]), (
        "catalogue and reference disagree"
    )
    assert all(NUMBER.fullmatch(v) for v in ref["value"]), "non-numeric value in the reference"

    # --- observations -------------------------------------------------------------------------
    ref = ref.merge(
        sources[[*SOURCE_KEY, "source_id"]], on=SOURCE_KEY, how="left", validate="many_to_one"
    )
    assert ref["source_id"].ne("").all() and ref["source_id"].notna().all(), "unmapped source"
    ref = ref.merge(catalogue[["indicator_id", "nature", "obs_sex"]], on="indicator_id", how="left")
    ref["area_code"], ref["urban_rural"] = _area_codes(ref, lookup)
    ref["sex"] = ref["obs_sex"].replace("", "total")
    ref["age"] = "total"  # the reference set has no age breakdown
    ref["note"], ref["provenance"] = zip(*ref["note"].map(split_note), strict=True)
    obs = ref[OBS_COLUMNS].copy()
    assert len(obs) == EXPECTED_ROWS
    obs = _dedupe(obs)
    obs = obs.assign(_y=pd.to_numeric(obs["year"], errors="coerce"))
    obs = obs.sort_values(
        ["indicator_id", "area_code", "_y", *OBS_KEY[3:]], na_position="first", kind="stable"
    )
    obs = obs.drop(columns="_y").reset_index(drop=True)
    assert not obs.duplicated(OBS_KEY).any()

    # --- indicators ---------------------------------------------------------------------------
    units = ref.groupby("indicator_id")["unit"].agg(lambda s: "; ".join(dict.fromkeys(s)))
    ind = catalogue.copy()
    ind["unit_en"] = ind["unit_en"].mask(ind["unit_en"] == "", ind["indicator_id"].map(units))
    ind["source_id"] = ind["indicator_id"].map(_main_source(obs))
    for col in ("name_lo", "unit_lo", "definition_lo", "caveat_lo"):
        ind[col] = ""
    ind = ind[INDICATOR_COLUMNS].sort_values("indicator_id").reset_index(drop=True)

    # --- sources (only those used; targets cite the sources of their reference rows) ----------
    used = set(obs["source_id"])
    src = sources[sources["source_id"].isin(used)].drop_duplicates("source_id").copy()
    src["provenance"] = "Read from " + src["source_url_or_repo_path"]
    src = src[SOURCE_COLUMNS].sort_values("source_id").reset_index(drop=True)

    # --- budget: programme envelopes flagged in the catalogue, amounts read from the reference --
    lines = catalogue[catalogue["budget_goal"] != ""]
    budget = []
    for c in lines.itertuples(index=False):
        rows = obs[obs["indicator_id"] == c.indicator_id]
        assert len(rows) == 1, f"budget line {c.indicator_id} needs exactly one observation"
        row = rows.iloc[0]
        amount = Decimal(row["value"]) * Decimal(c.budget_scale or "1")
        budget.append(
            {
                "budget_id": c.indicator_id.lower(),
                "goal": c.budget_goal,
                "programme_en": c.budget_programme_en,
                "programme_lo": "",
                "year": c.budget_year or row["year"],
                "year_end": c.budget_year_end,
                "area_code": row["area_code"],
                "amount": format(amount.normalize(), "f"),
                "currency": c.budget_currency,
                "stage": c.budget_stage,
                "funder": c.budget_funder,
                "nature": row["nature"],
                "source_id": row["source_id"],
                "note": c.budget_note,
            }
        )
    budget = (
        pd.DataFrame(budget, columns=BUDGET_COLUMNS).sort_values("budget_id").reset_index(drop=True)
    )

    # --- checks --------------------------------------------------------------------------------
    assert len(obs) == EXPECTED_ROWS, f"{len(obs)} observation rows, expected {EXPECTED_ROWS}"
    census = obs[(obs["indicator_id"] == "POP_CENSUS_2015") & (obs["area_code"].str.len() == 4)]
    assert len(census) == 18, len(census)
    assert sum(int(v) for v in census["value"]) == CENSUS_2015_TOTAL, (
        "census provinces do not sum to the total"
    )
    # the observations reproduce the reference exactly (indicator, area, year, value)
    assert sorted(
        zip(
            ref["indicator_id"],
            ref["area_code"],
            ref["year"],
            ref["value"],
            ref["urban_rural"],
            strict=True,
        )
    ) == sorted(
        zip(
            obs["indicator_id"],
            obs["area_code"],
            obs["year"],
            obs["value"],
            obs["urban_rural"],
            strict=True,
        )
    )

    release_dir.mkdir(parents=True, exist_ok=True)
    write_table(apply_lao(ind, "indicators", "indicator_id"), release_dir / "indicators.csv")
    write_table(obs, release_dir / "observations.csv")
    write_table(src, release_dir / "sources.csv")
    write_table(apply_lao(budget, "budget", "budget_id"), release_dir / "budget.csv")


def main() -> None:
    step_main(run, __doc__)


if __name__ == "__main__":
    main()
