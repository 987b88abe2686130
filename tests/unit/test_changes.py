"""observation_changes: values added, revised and removed are counted exactly."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from dashboard.changes import (
    ChangeCounts,
    observation_changes,
    read_changes,
    write_changes,
)


def _obs(rows: list[tuple]) -> pd.DataFrame:
    frame = pd.DataFrame(
        rows,
        columns=["indicator_id", "area_code", "year", "sex", "urban_rural", "value", "nature"],
    )
    frame["year"] = frame["year"].astype("Int64")
    return frame.assign(source_id="src", note="", age="total")


OLD = _obs(
    [
        ("A", "LA", 2020, "total", "total", 10.0, "survey"),  # kept
        ("A", "LA", 2021, "total", "total", 11.0, "survey"),  # revised 11 → 12.5
        ("A", "LA", None, "total", "total", 5.0, "survey"),  # undated, revised 5 → 6
        ("A", "LA01", 2021, "female", "total", 3.0, "survey"),  # removed
        ("B", "LA", 2020, "total", "rural", 7.0, "estimate"),  # kept
    ]
)
NEW = _obs(
    [
        ("A", "LA", 2020, "total", "total", 10.0, "survey"),
        ("A", "LA", 2021, "total", "total", 12.5, "survey"),
        ("A", "LA", None, "total", "total", 6.0, "survey"),
        ("B", "LA", 2020, "total", "rural", 7.0, "estimate"),
        ("B", "LA", 2020, "total", "urban", 8.0, "estimate"),  # added
        ("A", "LA01", 2021, "male", "total", 3.0, "survey"),  # added (other sex)
    ]
)


def test_changes_counts_added_revised_removed_exactly() -> None:
    changes = observation_changes(OLD, NEW)
    assert ChangeCounts.of(changes) == ChangeCounts(added=2, revised=2, removed=1)
    revised = changes[changes["change"] == "revised"]
    assert revised["year"].tolist()[0] == 2021 and pd.isna(revised["year"].tolist()[1])
    assert revised[["old_value", "new_value"]].values.tolist() == [[11.0, 12.5], [5.0, 6.0]]
    removed = changes[changes["change"] == "removed"].iloc[0]
    assert (removed["area_code"], removed["sex"], removed["old_value"]) == ("LA01", "female", 3.0)
    assert pd.isna(removed["new_value"]) and removed["nature"] == "survey"
    added = changes[changes["change"] == "added"]
    assert added["old_value"].isna().all()
    assert sorted(added["new_value"]) == [3.0, 8.0]
    assert changes["change"].tolist()[:2] == ["revised", "revised"], "revisions listed first"


def test_changes_identical_releases_have_none() -> None:
    assert observation_changes(OLD, OLD.copy()).empty


def test_changes_first_release_adds_every_value() -> None:
    changes = observation_changes(None, NEW)
    assert ChangeCounts.of(changes) == ChangeCounts(added=len(NEW), revised=0, removed=0)


def test_changes_row_order_does_not_matter() -> None:
    shuffled = NEW.sample(frac=1, random_state=3)
    assert observation_changes(OLD, shuffled).equals(observation_changes(OLD, NEW))


def test_changes_csv_round_trip(tmp_path: Path) -> None:
    changes = observation_changes(OLD, NEW)
    write_changes(changes, tmp_path / "changes.csv")
    read = read_changes(tmp_path / "changes.csv")
    pd.testing.assert_frame_equal(read, changes, check_dtype=False)
    assert str(read["year"].dtype) == "Int64"
