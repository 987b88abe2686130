"""The targets step: every number equals the reference row that reports it, every strategy
wording is the strategy's text, and the table it writes is the one the release carries."""

from __future__ import annotations

import copy
import shutil
from pathlib import Path

import pandas as pd
import pytest
from shipped import SHIPPED_RELEASE

from data.steps import targets


@pytest.fixture
def draft(tmp_path: Path) -> Path:
    """The shipped release's tables as a draft folder (what the earlier steps write)."""
    folder = tmp_path / "draft"
    folder.mkdir()
    for path in SHIPPED_RELEASE.glob("*.csv"):
        shutil.copy(path, folder / path.name)
    (folder / "targets.csv").unlink()
    return folder


def test_targets_step_writes_the_shipped_table(draft):
    targets.run(Path("unused"), draft)
    written = (draft / "targets.csv").read_bytes()
    assert written == (SHIPPED_RELEASE / "targets.csv").read_bytes()


def test_targets_step_refuses_a_number_the_reference_does_not_report(draft, monkeypatch):
    changed = copy.deepcopy(targets.TARGETS)
    next(t for t in changed if t["target_id"] == "hsdp8_health_coverage_2020")["value"] = "85"
    monkeypatch.setattr(targets, "TARGETS", changed)
    with pytest.raises(AssertionError):
        targets.run(Path("unused"), draft)


def test_targets_step_refuses_a_strategy_wording_the_strategy_does_not_have(draft, monkeypatch):
    changed = copy.deepcopy(targets.TARGETS)
    uhc = next(t for t in changed if t["target_id"] == "nsps_universal_health_coverage_2025")
    uhc["wording_en"] = "reach 100 % health coverage by 2025"
    monkeypatch.setattr(targets, "TARGETS", changed)
    with pytest.raises(AssertionError, match="nsps_universal_health_coverage_2025"):
        targets.run(Path("unused"), draft)


def test_targets_step_attaches_no_target_to_the_who_ghed_series(draft):
    targets.run(Path("unused"), draft)
    table = pd.read_csv(draft / "targets.csv", dtype=str, keep_default_na=False)
    assert "GHED_GGHE-DGGE_SHA2011" not in set(table["indicator_id"])
    commitment = table.set_index("target_id").loc["government_health_budget_share"]
    assert (commitment["indicator_id"], commitment["kind"], commitment["year"]) == (
        "GOV_HEALTH_BUDGET_SHARE",
        "commitment",
        "",
    )
