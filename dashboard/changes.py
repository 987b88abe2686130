"""What changed between two releases: values added, revised (old → new) and removed.

Journalists compare figures over time; a silent revision would make the dashboard contradict
what it said last month. Each release therefore carries `changes.csv`, computed once at
publication from the observation tables of the previous release and the new one, keyed by
(indicator_id, area_code, year, sex, urban_rural, age).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import yaml

from dashboard.loading import Release

CHANGES_FILE = "changes.csv"
OBSERVATION_KEY = ("indicator_id", "area_code", "year", "sex", "urban_rural", "age")
CHANGE_KINDS = ("revised", "added", "removed")  # also the order rows are listed in
CHANGE_COLUMNS = (
    "change",
    *OBSERVATION_KEY,
    "old_value",
    "new_value",
    "nature",
    "source_id",
)
_CARRIED = ("value", "nature", "source_id")


@dataclass(frozen=True)
class ChangeCounts:
    added: int
    revised: int
    removed: int

    @classmethod
    def of(cls, changes: pd.DataFrame) -> ChangeCounts:
        counts = changes["change"].value_counts()
        return cls(**{kind: int(counts.get(kind, 0)) for kind in ("added", "revised", "removed")})

    def as_dict(self) -> dict[str, int]:
        return {"added": self.added, "revised": self.revised, "removed": self.removed}


def observation_changes(old: pd.DataFrame | None, new: pd.DataFrame) -> pd.DataFrame:
    """One row per value added, revised or removed between two typed observation tables.

    `old` is None for a first release: every value is then 'added'. A value is revised when
    the number differs; a new source or note for the same number is not a revision.
    """
    key = list(OBSERVATION_KEY)
    new_part = new.reset_index(drop=True)[key + list(_CARRIED)]
    old_part = new_part.iloc[0:0] if old is None else old.reset_index(drop=True)[new_part.columns]
    merged = old_part.merge(
        new_part, on=key, how="outer", suffixes=("_old", "_new"), indicator=True, sort=False
    )
    both = merged["_merge"] == "both"
    kind = pd.Series("", index=merged.index, dtype=object)
    kind[merged["_merge"] == "right_only"] = "added"
    kind[merged["_merge"] == "left_only"] = "removed"
    kind[both & (merged["value_old"] != merged["value_new"])] = "revised"
    removed = kind == "removed"
    out = pd.DataFrame(
        {
            "change": kind,
            **{column: merged[column] for column in key},
            "old_value": merged["value_old"],
            "new_value": merged["value_new"],
            "nature": merged["nature_new"].where(~removed, merged["nature_old"]),
            "source_id": merged["source_id_new"].where(~removed, merged["source_id_old"]),
        },
        columns=list(CHANGE_COLUMNS),
    )
    out = out[out["change"] != ""]
    order = out["change"].map({k: i for i, k in enumerate(CHANGE_KINDS)})
    out = out.assign(_order=order).sort_values(["_order", *key], na_position="last")
    return out.drop(columns="_order").reset_index(drop=True)


def write_changes(changes: pd.DataFrame, path: Path) -> None:
    changes.to_csv(path, index=False, lineterminator="\n", encoding="utf-8")


def read_changes(path: Path) -> pd.DataFrame:
    """A changes.csv written by `write_changes`, typed like the observation table."""
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    if "age" not in frame.columns:  # written before observations had an age breakdown
        frame.insert(CHANGE_COLUMNS.index("age"), "age", "total")
    missing = [c for c in CHANGE_COLUMNS if c not in frame.columns]
    if missing:
        raise ValueError(f"{path}: columns missing: {', '.join(missing)}")
    frame["year"] = pd.to_numeric(frame["year"].replace("", None)).astype("Int64")
    for column in ("old_value", "new_value"):
        frame[column] = pd.to_numeric(frame[column].replace("", None)).astype("float64")
    return frame[list(CHANGE_COLUMNS)]


@dataclass(frozen=True, eq=False)
class ChangelogEntry:
    """One release as the changelog lists it; `changes` is None when it records none."""

    release_id: str
    date: str
    title: str
    previous_id: str | None
    changes: pd.DataFrame | None = field(repr=False)

    @property
    def counts(self) -> ChangeCounts | None:
        return None if self.changes is None else ChangeCounts.of(self.changes)

    @property
    def revised(self) -> pd.DataFrame | None:
        return None if self.changes is None else self.changes[self.changes["change"] == "revised"]


def read_changelog_entry(release_dir: Path) -> ChangelogEntry:
    """The changelog entry of a published release folder (release.yaml and changes.csv)."""
    meta = yaml.safe_load((release_dir / "release.yaml").read_text(encoding="utf-8")) or {}
    changes_path = release_dir / CHANGES_FILE
    return ChangelogEntry(
        release_id=str(meta.get("id", release_dir.name)),
        date=str(meta.get("date", "")),
        title=str(meta.get("title", "")),
        previous_id=str(meta["previous"]) if meta.get("previous") else None,
        changes=read_changes(changes_path) if changes_path.is_file() else None,
    )


def revisions_view(revised: pd.DataFrame, release: Release) -> pd.DataFrame:
    """Revised values with the names and number format a reader needs (catalogue of `release`).

    An indicator or area missing from the catalogue keeps its code as its name.
    """
    ind, areas, src = release.indicators, release.areas, release.sources
    ids = revised["indicator_id"]
    return revised.assign(
        indicator_name=ids.map(ind["name_en"]).fillna(ids),
        unit_kind=ids.map(ind["unit_kind"]).fillna("other"),
        decimals=ids.map(ind["decimals"]),
        area_name=revised["area_code"].map(areas["name_en"]).fillna(revised["area_code"]),
        source_title=revised["source_id"].map(src["title"]).fillna(revised["source_id"]),
    )
