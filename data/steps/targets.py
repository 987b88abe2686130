"""Write targets.csv: every published target and commitment, with the document that set it.

Each target was re-read against the strategy text (`../shared/nsps/`) and the reference notes
(`../shared/reference/reference_indicators.md`, section 3 and 5):

* 80 % population coverage by 2020 is the target of the 8th Health Sector Development Plan
  (2016–2020), read in the ILO country brief; the strategy itself gives no number.
* 50 % of the population covered by social security was the Ministry of Labour and Social
  Welfare's target for fiscal year 2014-15, set before the strategy existed (stored as 2015, the
  year of the reference row and of the 30.22 % observation).
* Raising health to 9 % of the government budget is a government commitment reported by the World
  Bank in 2013, with no target year, on the World Bank's budget-share figure (4.3 %). WHO GHED's
  domestic general government health expenditure as % of general government expenditure is
  another definition: the commitment is attached to the World Bank series only, and it is a
  commitment (no year, so no status).
* The strategy's own aims are commitments in words: universal health coverage by 2025 (goal 1),
  school meals in all schools of poor districts (activity 3.1.05) and objective 2.1 (all formal
  sector workers and self-employed covered). A number read from them is an interpretation and
  says so; objective 2.1 has no series of its definition, so it is attached to none.

The step checks that every numeric value and year equals the reference row that reports it,
and that every strategy wording is the strategy's text in the draft's goals and activities.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pandas as pd

from data.steps.common import columns, step_main, write_table

NSPS = "National Social Protection Strategy"
NSPS_LO = "ຍຸດທະສາດການປົກປ້ອງທາງສັງຄົມແຫ່ງຊາດ"
HSDP = "8th Health Sector Development Plan (2016–2020), Ministry of Health"
HSDP_LO = "ແຜນພັດທະນາຂະແໜງສາທາລະນະສຸກ ຄັ້ງທີ 8 (2016–2020), ກະຊວງສາທາລະນະສຸກ"
MOLSW = "Ministry of Labour and Social Welfare (Department of Social Security)"
MOLSW_LO = "ກະຊວງແຮງງານ ແລະ ສະຫວັດດີການສັງຄົມ (ກົມປະກັນສັງຄົມ)"

#: target → (reference indicator whose row reports it, its value, its year) for numeric checks.
REPORTED_BY = {
    "hsdp8_health_coverage_2020": ("SHP_COVERAGE_TARGET", "80", "2020"),
    "molsw_social_security_2015": ("SS_COVERAGE_POP_TARGET", "50", "2015"),
    "government_health_budget_share": ("GOV_HEALTH_BUDGET_SHARE_TARGET", "9", None),
}
#: target → (draft table, key column, key, text column) holding the strategy's wording.
STRATEGY_TEXT = {
    "nsps_universal_health_coverage_2025": ("goals", "goal_id", "1", "description"),
    "nsps_school_meals_poor_districts": ("activities", "activity_id", "3.1.05", "text"),
    "nsps_objective_2_1_formal_sector": ("goals", "goal_id", "2", "objective"),
}

TARGETS = [
    {
        "target_id": "hsdp8_health_coverage_2020",
        "indicator_id": "SHP_COVERAGE",
        "kind": "numeric",
        "value": "80",
        "year": "2020",
        "comparison": "at_least",
        "document_source_id": "ilo_extending_shp_brief",
        "setter_en": HSDP,
        "setter_lo": HSDP_LO,
        "wording_en": "set the target of achieving 80 percent population coverage by 2020",
        "wording_lo": "ກຳນົດຄາດໝາຍໃຫ້ບັນລຸການຄຸ້ມຄອງ 80 ສ່ວນຮ້ອຍຂອງພົນລະເມືອງ ພາຍໃນປີ 2020",
        "note_en": "A target of the health sector plan, read in the ILO country brief; it predates "
        "the NSPS, which aims at universal health coverage by 2025 without a number.",
        "note_lo": "ຄາດໝາຍຂອງແຜນຂະແໜງສາທາລະນະສຸກ, ອ່ານຈາກບົດສະຫຼຸບປະເທດຂອງ ILO; ມັນມີກ່ອນ "
        "ຍຸດທະສາດການປົກປ້ອງທາງສັງຄົມແຫ່ງຊາດ ເຊິ່ງມຸ່ງສູ່ການຄຸ້ມຄອງສຸຂະພາບຖ້ວນໜ້າພາຍໃນປີ 2025 "
        "ໂດຍບໍ່ມີຕົວເລກ.",
    },
    {
        "target_id": "molsw_social_security_2015",
        "indicator_id": "SS_COVERAGE_POP",
        "kind": "numeric",
        "value": "50",
        "year": "2015",
        "comparison": "at_least",
        "document_source_id": "molsw_ss_coverage_vt",
        "setter_en": MOLSW,
        "setter_lo": MOLSW_LO,
        "wording_en": "the target of 50 percent set for the 2014-2015 fiscal year",
        "wording_lo": "ຄາດໝາຍ 50 ສ່ວນຮ້ອຍ ທີ່ກຳນົດໄວ້ສຳລັບສົກປີ 2014-2015",
        "note_en": "Set for fiscal year 2014-15, before the NSPS (2020); stored as 2015. Reported "
        "by the Vientiane Times.",
        "note_lo": "ກຳນົດສຳລັບສົກປີ 2014-15, ກ່ອນຍຸດທະສາດການປົກປ້ອງທາງສັງຄົມແຫ່ງຊາດ (2020); "
        "ບັນທຶກເປັນປີ 2015. ລາຍງານໂດຍໜັງສືພິມວຽງຈັນທາມສ໌.",
    },
    {
        "target_id": "government_health_budget_share",
        "indicator_id": "GOV_HEALTH_BUDGET_SHARE",
        "kind": "commitment",
        "value": "9",
        "comparison": "at_least",
        "document_source_id": "wb_health_financing_feature_2013",
        "setter_en": "Government of Lao PDR (reported by the World Bank, 2013)",
        "setter_lo": "ລັດຖະບານ ສປປ ລາວ (ລາຍງານໂດຍທະນາຄານໂລກ, 2013)",
        "wording_en": "plans to increase the amount it spends on health as a percentage of the "
        "government budget, from 4.3 percent to 9 percent",
        "wording_lo": "ມີແຜນເພີ່ມລາຍຈ່າຍດ້ານສຸຂະພາບ ເປັນອັດຕາສ່ວນຂອງງົບປະມານລັດຖະບານ "
        "ຈາກ 4,3 ສ່ວນຮ້ອຍ ເປັນ 9 ສ່ວນຮ້ອຍ",
        "note_en": "No target year is stated, so no status is given. It is set on the World "
        "Bank's budget-share figure, not on WHO GHED's government health spending as a share of "
        "government spending (another definition), so it is not drawn on that series.",
        "note_lo": "ບໍ່ໄດ້ລະບຸປີຄາດໝາຍ, ສະນັ້ນບໍ່ໃຫ້ສະຖານະ. ມັນກຳນົດໃສ່ຕົວເລກສ່ວນແບ່ງງົບປະມານ "
        "ຂອງທະນາຄານໂລກ, ບໍ່ແມ່ນໃສ່ລາຍຈ່າຍດ້ານສຸຂະພາບຂອງລັດຖະບານ ເປັນສ່ວນແບ່ງຂອງລາຍຈ່າຍລັດຖະບານ "
        "ຂອງ WHO GHED (ຄຳນິຍາມອື່ນ), ສະນັ້ນບໍ່ໄດ້ແຕ້ມໃສ່ຊຸດຂໍ້ມູນນັ້ນ.",
    },
    {
        "target_id": "nsps_universal_health_coverage_2025",
        "indicator_id": "ILL_HEALTH_COVERAGE",
        "kind": "commitment",
        "value": "100",
        "year": "2025",
        "comparison": "at_least",
        "document_source_id": "nsps_2020",
        "setter_en": NSPS,
        "setter_lo": NSPS_LO,
        "wording_en": "reach universal health coverage by 2025",
        "wording_lo": "ບັນລຸການຄຸ້ມຄອງສຸຂະພາບຖ້ວນໜ້າພາຍໃນປີ 2025",
        "interpretation_en": "Read here as 100 % of the population covered by 2025: an "
        "interpretation, not a number the strategy states.",
        "interpretation_lo": "ອ່ານຢູ່ນີ້ວ່າ 100 % ຂອງພົນລະເມືອງໄດ້ຮັບການຄຸ້ມຄອງພາຍໃນປີ 2025: "
        "ເປັນການຕີຄວາມ, ບໍ່ແມ່ນຕົວເລກທີ່ຍຸດທະສາດລະບຸ.",
        "note_en": "Goal 1 of the strategy. Drawn on the illustrative coverage series only.",
        "note_lo": "ເປົ້າໝາຍທີ 1 ຂອງຍຸດທະສາດ. ແຕ້ມໃສ່ຊຸດຂໍ້ມູນການຄຸ້ມຄອງແບບສົມມຸດເທົ່ານັ້ນ.",
    },
    {
        "target_id": "nsps_school_meals_poor_districts",
        "indicator_id": "ILL_SCHOOL_MEALS_COVERAGE",
        "kind": "commitment",
        "value": "100",
        "year": "2025",
        "comparison": "at_least",
        "document_source_id": "nsps_2020",
        "setter_en": NSPS,
        "setter_lo": NSPS_LO,
        "wording_en": "Expand the National School Meal Programme to all state kindergarten, "
        "pre-primary, primary and secondary schools in the villages of poor districts "
        "throughout the country.",
        "wording_lo": "ຂະຫຍາຍແຜນງານອາຫານໂຮງຮຽນແຫ່ງຊາດໄປສູ່ໂຮງຮຽນອະນຸບານ, ກ່ອນໄວຮຽນ, ປະຖົມ "
        "ແລະ ມັດທະຍົມຂອງລັດທຸກແຫ່ງ ໃນບັນດາບ້ານຂອງເມືອງທຸກຍາກໃນທົ່ວປະເທດ.",
        "interpretation_en": "Read here as 100 % of schools in poor districts by 2025, the "
        "strategy's horizon: an interpretation; the activity states neither a number nor a year.",
        "interpretation_lo": "ອ່ານຢູ່ນີ້ວ່າ 100 % ຂອງໂຮງຮຽນໃນເມືອງທຸກຍາກພາຍໃນປີ 2025, "
        "ຂອບເວລາຂອງຍຸດທະສາດ: ເປັນການຕີຄວາມ; ກິດຈະກຳບໍ່ໄດ້ລະບຸທັງຕົວເລກ ແລະ ປີ.",
        "note_en": "Activity 3.1.05 of the strategy. Drawn on the illustrative series only.",
        "note_lo": "ກິດຈະກຳ 3.1.05 ຂອງຍຸດທະສາດ. ແຕ້ມໃສ່ຊຸດຂໍ້ມູນແບບສົມມຸດເທົ່ານັ້ນ.",
    },
    {
        "target_id": "nsps_objective_2_1_formal_sector",
        "indicator_id": "",
        "kind": "commitment",
        "comparison": "at_least",
        "document_source_id": "nsps_2020",
        "setter_en": NSPS,
        "setter_lo": NSPS_LO,
        "wording_en": "All the workers and self-employed workers in the formal sector are "
        "covered by social security.",
        "wording_lo": "ຜູ້ອອກແຮງງານ ແລະ ຜູ້ປະກອບອາຊີບອິດສະຫຼະທັງໝົດໃນຂະແໜງເສດຖະກິດໃນລະບົບ "
        "ໄດ້ຮັບການຄຸ້ມຄອງຈາກປະກັນສັງຄົມ.",
        "note_en": "Objective 2.1 of the strategy. No series of this definition (formal-sector "
        "workers and self-employed covered) is published; population and working-age coverage "
        "are other definitions.",
        "note_lo": "ຈຸດປະສົງ 2.1 ຂອງຍຸດທະສາດ. ບໍ່ມີຊຸດຂໍ້ມູນຕາມຄຳນິຍາມນີ້ (ຜູ້ອອກແຮງງານໃນລະບົບ "
        "ແລະ ຜູ້ປະກອບອາຊີບອິດສະຫຼະທີ່ໄດ້ຮັບການຄຸ້ມຄອງ) ທີ່ໄດ້ເຜີຍແຜ່; ການຄຸ້ມຄອງພົນລະເມືອງ ແລະ "
        "ປະຊາກອນໃນໄວເຮັດວຽກ ແມ່ນຄຳນິຍາມອື່ນ.",
    },
]


def _read(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")


def _check(targets: pd.DataFrame, draft: Path) -> None:
    """Numbers equal the reference rows that report them; wordings are the strategy's text."""
    obs = pd.concat([_read(p) for p in sorted(draft.glob("observations*.csv"))])
    for target_id, (reported, value, year) in REPORTED_BY.items():
        row = targets.set_index("target_id").loc[target_id]
        rows = obs[obs["indicator_id"] == reported]
        assert len(rows) == 1, f"{target_id}: {reported} has {len(rows)} rows"
        assert Decimal(rows["value"].iloc[0]) == Decimal(row["value"]) == Decimal(value)
        assert row["year"] == (year or ""), f"{target_id}: year {row['year']!r}"
        assert rows["source_id"].iloc[0] == row["document_source_id"], target_id
    for target_id, (table, key, key_value, stem) in STRATEGY_TEXT.items():
        row = targets.set_index("target_id").loc[target_id]
        text = _read(draft / f"{table}.csv").set_index(key).loc[key_value]
        assert row["wording_en"].rstrip(".") in text[f"{stem}_en"], target_id
    sources = pd.concat([_read(p) for p in sorted(draft.glob("sources*.csv"))])
    indicators = pd.concat([_read(p) for p in sorted(draft.glob("indicators*.csv"))])
    assert set(targets["document_source_id"]) <= set(sources["source_id"])
    assert set(targets["indicator_id"]) - {""} <= set(indicators["indicator_id"])


def run(shared_dir: Path, release_dir: Path) -> None:
    """Needs the draft's framework, reference and illustrative tables (run after them)."""
    targets = pd.DataFrame(TARGETS, columns=columns("targets"), dtype=object).fillna("")
    _check(targets, release_dir)
    write_table(
        targets.sort_values("target_id").reset_index(drop=True), release_dir / "targets.csv"
    )


def main() -> None:
    step_main(run, __doc__)


if __name__ == "__main__":
    main()
