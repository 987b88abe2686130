"""Build the framework tables from framework.yaml.

strategy, goals, activities, institutions and challenges.
"""

import re
from pathlib import Path

import pandas as pd
import yaml

from data.steps.common import columns, step_main, write_table
from data.steps.translations import apply_lao

# Lao goal names (the three NSPS pillars). Every other `_lo` cell comes from translations_lo.csv.
GOAL_NAMES_LO = {1: "ປະກັນສຸຂະພາບ", 2: "ປະກັນສັງຄົມ", 3: "ສະຫວັດດີການສັງຄົມ"}

# Editorial reading of which goals each NSPS challenge bears on (the strategy lists the challenges
# without assigning them to goals). Kept here as a small, reviewed table: (goal_ids, note).
CHALLENGE_GOALS = {
    "C01": (
        "1;2;3",
        "Public budget funds all three pillars "
        "(activities 1.1.05 and 3.1.07 name budget allocation).",
    ),
    "C02": (
        "1",
        "Staff, facilities and medical equipment are health-service inputs "
        "(activities 1.1.03, 1.1.04).",
    ),
    "C03": (
        "1;2;3",
        "Human resource capacity is needed by NHI, NSSF and social welfare services alike.",
    ),
    "C04": (
        "3",
        "Benefit amounts and nutrition support are read as social welfare benefits (school meals, "
        "mother and child grants); social security benefit levels may also be meant.",
    ),
    "C05": (
        "1;3",
        "Urban-rural gaps in access to healthcare (activity 1.1.04) and in poverty targeted by "
        "social welfare; formal-sector social security is largely urban.",
    ),
    "C06": (
        "1;2;3",
        "Awareness of rights and obligations affects enrolment in every scheme "
        "(activity 2.1.03 promotes enrolment).",
    ),
    "C07": (
        "2",
        "Compulsory registration by employers is a social security (NSSF) obligation "
        "(activities 2.1.02, 2.1.05).",
    ),
    "C08": ("1", "The National Health Insurance Fund is the goal 1 scheme."),
    "C09": (
        "2",
        "Informal-economy coverage is a social security gap (activities 2.1.01, 2.1.06); health "
        "insurance already covers informal workers through NHI.",
    ),
    "C10": (
        "3",
        "Benefits and services for vulnerable groups are the goal 3 remit "
        "(activities 3.1.01-3.1.04).",
    ),
    "C11": (
        "1;3",
        "Donor funding is large in health financing (external share of health spending) and in "
        "social welfare programmes (school meals, cash transfers, nutrition).",
    ),
    "C12": ("1;2;3", "Management, planning and M&E capacity is a system-wide constraint."),
}


def _clean(text: str) -> str:
    return " ".join(str(text).split())


def _flow_text(item: dict) -> str:
    """Text of a `{id: ..., text: ...}` flow mapping in framework.yaml.

    The YAML writes these unquoted, so a comma inside the text splits it: the remainder becomes
    extra keys with null values (e.g. C02 "Insufficient staff" + "facilities and medical
    equipment").
    Re-join them in order, so the published text is the full sentence.
    """
    extra = [k for k, v in item.items() if k not in ("id", "text") and v is None]
    unexpected = [k for k, v in item.items() if k not in ("id", "text") and v is not None]
    assert not unexpected, f"unexpected keys in {item}"
    return _clean(", ".join([str(item["text"]), *map(str, extra)]))


#: The strategy itself, as a source: its text (and the targets read from it) cite this row.
STRATEGY_SOURCE = {
    "source_id": "nsps_2020",
    "publisher": "Government of Lao PDR (Decree No. 224/PM), with the ILO",
    "title": "National Social Protection Strategy, Vision 2030 and Goals 2025 (summary brochure)",
    "year": 2020,
    "url": "https://www.ilo.org/wcmsp5/groups/public/---asia/---ro-bangkok/documents/publication/wcms_757945.pdf",
    "licence": "© ILO; reuse by permission (published before the ILO Open Access policy of "
    "3 May 2023)",
    "licence_url": "https://www.ilo.org/global/copyright/lang--en/index.htm",
    "accessed": "2026-11-29",
    "note": "Goals, objectives, activities, institutions and challenges are transcribed from it.",
}
STRATEGY_SOURCE["provenance"] = f"Read from {STRATEGY_SOURCE['url']} (the brochure's text)"


#: Passages of the brochure that framework.yaml does not carry, each read verbatim between its
#: first and last words (the brochure is a flattened PDF: line breaks and hyphenation removed).
BROCHURE_PASSAGES = {
    "what_is_social_protection": (
        "Social protection is a set of policies",
        "tax-financed benefits.",
    ),
    "universality": ("Under the condition of universality", "any other consideration."),
    "governance_commission_responsibilities": (
        "The National Social Protection Commission is responsible",
        "social protection in the country.",
    ),
    "governance_local_committees": (
        "Local committees chaired by the Vice Governor",
        "relevant local departments.",
    ),
}


def brochure_passage(brochure: str, first: str, last: str) -> str:
    """The brochure's text from `first` to `last` inclusive, on one line ("non-con- tributory"
    re-joined); stops the build when the passage is not found exactly once."""
    flat = re.sub(r"-\s*\n\s*", "-", brochure)
    flat = " ".join(flat.split()).replace("non-con-tributory", "non-contributory")
    start = flat.find(first)
    assert start >= 0 and flat.find(first, start + 1) < 0, f"brochure: {first!r} not found once"
    end = flat.find(last, start)
    assert end >= 0, f"brochure: {last!r} not found after {first!r}"
    return flat[start : end + len(last)]


def run(shared_dir: Path, release_dir: Path) -> None:
    fw = yaml.safe_load((shared_dir / "nsps" / "framework.yaml").read_text(encoding="utf-8"))
    brochure = (shared_dir / "nsps" / "nsps-summary-brochure.txt").read_text(encoding="utf-8")
    release_dir.mkdir(parents=True, exist_ok=True)

    gov = fw["governance"]
    strategy = pd.DataFrame(
        [
            ("vision", fw["vision"]),
            ("horizon_2025", fw["horizon_2025"]),
            ("principles", ";".join(p.capitalize() for p in fw["principles"])),
            ("governance_commission", gov["commission"]),
            ("governance_secretariat", gov["secretariat"]),
            ("governance_local", gov["local"]),
            ("sdgs", ";".join(fw["sdgs"])),
            *(
                (key, brochure_passage(brochure, first, last))
                for key, (first, last) in BROCHURE_PASSAGES.items()
            ),
        ],
        columns=["key", "text_en"],
    )
    strategy["text_en"] = strategy["text_en"].map(_clean)
    strategy["text_lo"] = ""
    write_table(apply_lao(strategy, "strategy", "key"), release_dir / "strategy.csv")

    goals, activities, institutions = [], [], []
    for g in fw["goals"]:
        gid = int(g["id"])
        goals.append(
            {
                "goal_id": gid,
                "name_en": _clean(g["name"]),
                "name_lo": GOAL_NAMES_LO[gid],
                "statement_en": _clean(g["goal"]),
                "statement_lo": "",
                "description_en": _clean(g["description"]),
                "description_lo": "",
                "objective_id": str(g["objective"]["id"]),
                "objective_en": _flow_text(g["objective"]),
                "objective_lo": "",
            }
        )
        for a in g["activities"]:
            activities.append(
                {
                    "activity_id": str(a["id"]),
                    "goal_id": gid,
                    "text_en": _flow_text(a),
                    "text_lo": "",
                }
            )
        for inst in g["responsible"]:
            institutions.append(
                {"goal_id": gid, "institution_en": _clean(inst), "institution_lo": ""}
            )

    goals_table = pd.DataFrame(goals).sort_values("goal_id")
    write_table(apply_lao(goals_table, "goals", "goal_id"), release_dir / "goals.csv")
    acts = pd.DataFrame(activities).sort_values("activity_id")
    assert acts["activity_id"].is_unique and len(acts) == 20, len(acts)
    write_table(apply_lao(acts, "activities", "activity_id"), release_dir / "activities.csv")
    # institutions keep the strategy's listing order within each goal (first = lead ministry)
    write_table(
        apply_lao(pd.DataFrame(institutions), "institutions", "institution_en"),
        release_dir / "institutions.csv",
    )

    challenges = pd.DataFrame(
        [
            {"challenge_id": c["id"], "text_en": _flow_text(c), "text_lo": ""}
            for c in fw["challenges"]
        ]
    ).sort_values("challenge_id")
    assert set(challenges["challenge_id"]) == set(CHALLENGE_GOALS), "challenge list changed"
    challenges["goal_ids"] = challenges["challenge_id"].map(lambda c: CHALLENGE_GOALS[c][0])
    challenges["note"] = challenges["challenge_id"].map(
        lambda c: "Editorial reading: " + CHALLENGE_GOALS[c][1]
    )
    write_table(apply_lao(challenges, "challenges", "challenge_id"), release_dir / "challenges.csv")
    write_table(
        pd.DataFrame([STRATEGY_SOURCE]).reindex(columns=columns("sources"), fill_value=""),
        release_dir / "sources-strategy.csv",
    )


def main() -> None:
    step_main(run, __doc__)


if __name__ == "__main__":
    main()
