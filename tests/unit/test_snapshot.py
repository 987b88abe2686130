"""The snapshot's stored tidy table: a server start reads the joined observations instead of
building them, gets exactly what building gives, and never trusts a stale or edited copy.

The tables themselves (equal to validation, refused on a bad checksum or older rules) are
tested in test_release_forward.py.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from dashboard import publish as publishing
from dashboard import queries, snapshot
from dashboard.loading import read_release
from dashboard.publish import MANIFEST_FILE, load_dataset, publish
from dashboard.queries import Dataset

BASE = Path(__file__).resolve().parents[1] / "corpus" / "base"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    tables = tmp_path / "tables"
    shutil.copytree(BASE, tables)
    return publish(tables, tmp_path / "releases", release_id="2026-01-01", title="t").path


def _digest(folder: Path) -> str:
    return snapshot.tables_digest(dict(publishing._manifest_lines(folder)))


def _built(folder: Path) -> Dataset:
    return Dataset.from_release(read_release(folder))


def test_snapshot_tidy_is_written_by_publish_and_listed_in_the_manifest(folder: Path) -> None:
    listed = (folder / MANIFEST_FILE).read_text(encoding="utf-8")
    assert f"  {snapshot.snapshot_name(snapshot.TIDY)}\n" in listed


def test_snapshot_tidy_is_read_instead_of_built_and_equals_the_built_one(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    expected = _built(folder)

    def refuse(_release: object) -> None:
        raise AssertionError("tidy table built again although the snapshot has it")

    monkeypatch.setattr(queries, "tidy_table", refuse)
    loaded = load_dataset(folder)
    pd.testing.assert_frame_equal(loaded.table, expected.table)
    pd.testing.assert_frame_equal(loaded.tidy, expected.tidy)
    assert loaded.coverage == expected.coverage
    assert loaded.national_map_indicator == expected.national_map_indicator


def test_snapshot_tidy_of_other_query_code_is_built_again(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert snapshot.read_tidy(folder, _digest(folder)) is not None
    monkeypatch.setattr(snapshot, "TIDY_FINGERPRINT", "tidy table of another version")
    assert snapshot.read_tidy(folder, _digest(folder)) is None
    pd.testing.assert_frame_equal(load_dataset(folder).tidy, _built(folder).tidy)


def test_snapshot_tidy_of_other_tables_is_not_trusted(folder: Path) -> None:
    assert snapshot.read_tidy(folder, "digest of other tables") is None


def test_snapshot_tidy_edited_after_publication_is_refused_and_built_again(
    folder: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = folder / snapshot.snapshot_name(snapshot.TIDY)
    frame = pd.read_parquet(path)
    frame.loc[0, "value"] = frame.loc[0, "value"] + 1  # a tampered value
    path.chmod(0o644)
    frame.to_parquet(path, index=False)
    loaded = load_dataset(folder)
    pd.testing.assert_frame_equal(loaded.tidy, _built(folder).tidy)
    assert "snapshot of" in caplog.text and "validating the CSV tables" in caplog.text


def test_dataset_hands_out_plain_text_and_keeps_categories_inside(folder: Path) -> None:
    ds = load_dataset(folder)
    assert isinstance(ds.table["indicator_id"].dtype, pd.CategoricalDtype)
    for frame in (ds.tidy, ds.rows("SHP_COVERAGE"), ds.rows("no such id"), ds.empty):
        assert not any(isinstance(t, pd.CategoricalDtype) for t in frame.dtypes)
        assert list(frame.columns) == list(queries.PUBLIC_COLUMNS)
    rows = ds.rows("SHP_COVERAGE")
    assert not rows.empty and set(rows["indicator_id"]) == {"SHP_COVERAGE"}
    pd.testing.assert_frame_equal(rows, ds.tidy[ds.tidy["indicator_id"] == "SHP_COVERAGE"])


def test_tidy_table_sorts_text_as_text(folder: Path) -> None:
    ds = load_dataset(folder)
    for column in ds.table.columns:
        if isinstance(ds.table[column].dtype, pd.CategoricalDtype):
            assert ds.table[column].cat.categories.is_monotonic_increasing, column
    tidy = ds.tidy  # plain text, in the table's order
    level = tidy["area_level"].map({"national": 0, "province": 1, "district": 2})
    keys = ["indicator_id", "_level", "area_code", "year", "sex", "urban_rural", "age"]
    resorted = tidy.assign(_level=level).sort_values(keys, na_position="last", kind="stable")
    assert resorted.index.tolist() == tidy.index.tolist()
    assert tidy["area_code"].nunique() > 2 and tidy["indicator_id"].nunique() > 2
