"""Build areas.csv (the gazetteer) from the geo lookup table: codes and names only, no geometry."""

from pathlib import Path

import pandas as pd

from data.steps.common import columns, step_main, write_table

# geo/SOURCES.md section 5: the lookup CSV still carries LA-XN (the former Xaisomboun special zone)
# for LA18; the current ISO 3166-2 code, used in lao_adm1.geojson after the fix, is LA-XS.
ISO_CORRECTIONS = {"LA18": "LA-XS"}
COLUMNS = columns("areas")


def run(shared_dir: Path, release_dir: Path) -> None:
    lookup = pd.read_csv(
        shared_dir / "geo" / "lao_admin_lookup.csv", dtype=str, keep_default_na=False
    )
    national = pd.DataFrame(
        [
            {
                "area_code": "LA",
                "level": "national",
                "parent_code": "",
                "name_en": "Lao PDR",
                "name_lo": "ສປປ ລາວ",
                "iso_code": "",
            }
        ]
    )
    provinces = (
        lookup[["adm0_pcode", "adm1_pcode", "adm1_en", "adm1_lo", "adm1_iso"]]
        .drop_duplicates()
        .rename(
            columns={
                "adm0_pcode": "parent_code",
                "adm1_pcode": "area_code",
                "adm1_en": "name_en",
                "adm1_lo": "name_lo",
                "adm1_iso": "iso_code",
            }
        )
        .assign(level="province")
    )
    provinces["iso_code"] = (
        provinces["area_code"].map(ISO_CORRECTIONS).fillna(provinces["iso_code"])
    )
    districts = (
        lookup[["adm1_pcode", "adm2_pcode", "adm2_en", "adm2_lo"]]
        .rename(
            columns={
                "adm1_pcode": "parent_code",
                "adm2_pcode": "area_code",
                "adm2_en": "name_en",
                "adm2_lo": "name_lo",
            }
        )
        .assign(level="district", iso_code="")
    )
    areas = pd.concat([national, provinces, districts], ignore_index=True)[COLUMNS]
    areas = areas.sort_values(["level", "area_code"], key=_level_key).reset_index(drop=True)

    assert areas["area_code"].is_unique, "duplicate area_code"
    counts = areas["level"].value_counts()
    assert (
        counts.get("national") == 1
        and counts.get("province") == 18
        and counts.get("district") == 148
    ), counts
    prov = areas[areas.level == "province"]
    assert prov["area_code"].is_unique and (prov["iso_code"] != "").all()
    dist = areas[areas.level == "district"]
    assert all(c.startswith(p) for c, p in zip(dist.area_code, dist.parent_code, strict=True))
    assert set(dist.parent_code) <= set(prov.area_code)

    release_dir.mkdir(parents=True, exist_ok=True)
    write_table(areas, release_dir / "areas.csv")


def _level_key(s: pd.Series) -> pd.Series:
    if s.name == "level":
        return s.map({"national": 0, "province": 1, "district": 2})
    return s


def main() -> None:
    step_main(run, __doc__)


if __name__ == "__main__":
    main()
