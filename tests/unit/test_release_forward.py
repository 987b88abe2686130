"""Releases only move forward, and servers load the checked snapshot instead of re-validating.

A replacement worker forked from a master that still holds an older release catches up before
its first request; a folder without a valid manifest is never served nor counted against;
`/healthz` says why an instance is degraded; the Parquet snapshot gives exactly the validated
tables and is trusted only when the manifest vouches for it under the current rules.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest
from flask import Flask

from callbacks import releases as release_hooks
from dashboard import publish as publishing
from dashboard import snapshot
from dashboard.config import Settings
from dashboard.loading import LOAD_ORDER, PublicationError, read_release
from dashboard.publish import MANIFEST_FILE, load_published, publish, seal
from dashboard.store import MARK_FILE, ReleaseUnavailable, Store

BASE = Path(__file__).resolve().parents[1] / "corpus" / "base"


def _tables(folder: Path) -> Path:
    shutil.copytree(BASE, folder)
    return folder


def _publish(releases: Path, tmp_path: Path, release_id: str) -> Path:
    tables = _tables(tmp_path / f"tables-{release_id}")
    return publish(tables, releases, release_id=release_id, title=release_id).path


def _store(releases: Path, runtime: Path | None = None, **env: str) -> Store:
    values = {"NSPS_DATA_DIR": str(releases), **env}
    if runtime is not None:
        values["NSPS_RUNTIME_DIR"] = str(runtime)
    return Store(Settings.from_env(values))


def _hand_copy(published: Path, releases: Path, release_id: str) -> Path:
    """A copy of a published folder put in place by hand, under another id, without manifest."""
    folder = releases / release_id
    shutil.copytree(published, folder)
    for path in folder.iterdir():
        path.chmod(0o644)
    (folder / MANIFEST_FILE).unlink()
    meta = (folder / "release.yaml").read_text(encoding="utf-8")
    (folder / "release.yaml").write_text(meta.replace(published.name, release_id), encoding="utf-8")
    return folder


@pytest.fixture
def releases(tmp_path: Path) -> Path:
    folder = tmp_path / "releases"
    _publish(folder, tmp_path, "2026-01-01")
    return folder


# ---------------------------------------------------------------- never back in time


def test_release_forward_replacement_worker_catches_up_before_its_first_request(
    releases: Path, tmp_path: Path
) -> None:
    runtime = tmp_path / "run"
    forked = _store(releases, runtime)  # the master's state, which a replacement worker gets
    _publish(releases, tmp_path, "2026-02-01")
    other_worker = _store(releases, runtime)  # an older worker already switched (mark raised)
    assert other_worker.dataset.release.release_id == "2026-02-01"
    assert (runtime / MARK_FILE).read_text().strip() == "2026-02-01"

    forked._next_check = float("inf")  # its own periodic look would come too late
    server = Flask(__name__)
    release_hooks.register(server, forked)
    server.get("/release")(lambda: forked.dataset.release.release_id)
    assert server.test_client().get("/release").text == "2026-02-01"


def test_release_forward_mark_only_increases(releases: Path, tmp_path: Path) -> None:
    runtime = tmp_path / "run"
    _publish(releases, tmp_path, "2026-02-01")
    _store(releases, runtime)
    _store(releases, runtime, NSPS_RELEASE="2026-01-01")  # a pinned one never lowers the mark
    assert (runtime / MARK_FILE).read_text().strip() == "2026-02-01"


def test_release_forward_health_reports_a_worker_stuck_behind_the_mark(
    releases: Path, tmp_path: Path
) -> None:
    runtime = tmp_path / "run"
    store = _store(releases, runtime)
    (runtime / MARK_FILE).write_text("2026-05-01\n")  # served elsewhere, gone from this disk
    assert store.catch_up() is False
    assert store.dataset.release.release_id == "2026-01-01"
    assert any("older than 2026-05-01" in p for p in store.health_problems())
    store.refresh = lambda: pytest.fail("looked again for the same mark")  # type: ignore[method-assign]
    assert store.catch_up() is False


# ---------------------------------------------------------------- only valid folders


def test_release_forward_manifestless_newest_folder_is_never_served(
    releases: Path, tmp_path: Path
) -> None:
    _hand_copy(releases / "2026-01-01", releases, "2026-02-01")
    store = _store(releases)
    assert store.dataset.release.release_id == "2026-01-01"
    assert store.available_releases() == ["2026-01-01"]
    assert [e.release_id for e in store.changelog()] == ["2026-01-01"]
    problems = store.health_problems()
    assert any(p.startswith("fallback release: serving 2026-01-01") for p in problems), problems


def test_release_forward_manifestless_folder_named_by_a_link_is_unavailable(
    releases: Path, tmp_path: Path
) -> None:
    _publish(releases, tmp_path, "2026-02-01")
    _hand_copy(releases / "2026-01-01", releases, "2026-01-15")
    store = _store(releases)
    with pytest.raises(ReleaseUnavailable):
        store.dataset_for("2026-01-15")
    with pytest.raises(ReleaseUnavailable):  # remembered, not checked again per request
        store.dataset_for("2026-01-15")
    with pytest.raises(KeyError):
        store.dataset_for("2026-01-16")
    assert store.dataset_for("2026-01-01").release.release_id == "2026-01-01"


def test_release_forward_manifestless_pinned_release_refuses_to_start(releases: Path) -> None:
    _hand_copy(releases / "2026-01-01", releases, "2026-02-01")
    with pytest.raises(PublicationError, match="MANIFEST.sha256"):
        _store(releases, NSPS_RELEASE="2026-02-01")


def test_release_forward_health_names_a_pinned_outdated_release(
    releases: Path, tmp_path: Path
) -> None:
    _publish(releases, tmp_path, "2026-02-01")
    store = _store(releases, NSPS_RELEASE="2026-01-01")
    assert store.health_problems() == [
        "schematic maps: no boundary files in NSPS_GEO_DIR",
        "pinned by NSPS_RELEASE to 2026-01-01; release 2026-02-01 is published",
    ]


def test_publish_diffs_against_the_newest_valid_release_only(
    releases: Path, tmp_path: Path
) -> None:
    copy = _hand_copy(releases / "2026-01-01", releases, "2026-02-01")
    observations = copy / "observations.csv"
    lines = observations.read_text(encoding="utf-8").splitlines(keepends=True)
    observations.write_text("".join(lines[:2]), encoding="utf-8")  # most values gone
    published = publish(
        _tables(tmp_path / "third"), releases, release_id="2026-03-01", title="Third"
    )
    assert published.previous_id == "2026-01-01"
    assert (published.counts.added, published.counts.removed) == (0, 0)


# ---------------------------------------------------------------- the snapshot


def test_snapshot_is_written_by_publish_and_listed_in_the_manifest(releases: Path) -> None:
    folder = releases / "2026-01-01"
    listed = (folder / MANIFEST_FILE).read_text(encoding="utf-8")
    for name in LOAD_ORDER:
        assert f"  {snapshot.snapshot_name(name)}\n" in listed


def test_snapshot_load_equals_full_validation_and_skips_it(
    releases: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = releases / "2026-01-01"
    validated = read_release(folder)

    def refuse(_folder: Path) -> None:
        raise AssertionError("validated again although the snapshot is good")

    monkeypatch.setattr(publishing, "validate_publication", refuse)
    loaded = load_published(folder)
    assert loaded.release_id == "2026-01-01" and loaded.meta == validated.meta
    for name in LOAD_ORDER:
        pd.testing.assert_frame_equal(getattr(loaded, name), getattr(validated, name))
    assert loaded.indicators["activity_ids"].map(type).eq(tuple).all()


def _replace(path: Path, data: bytes) -> None:
    path.chmod(0o644)
    path.write_bytes(data)


def test_snapshot_with_wrong_checksum_falls_back_to_full_validation(
    releases: Path, caplog: pytest.LogCaptureFixture
) -> None:
    folder = releases / "2026-01-01"
    observations = folder / snapshot.snapshot_name("observations")
    frame = pd.read_parquet(observations).iloc[:1]  # a tampered snapshot: one value left
    frame.to_parquet(tmp := folder / "tmp.parquet", index=False)
    _replace(observations, tmp.read_bytes())
    tmp.unlink()
    loaded = load_published(folder)
    assert len(loaded.observations) == len(read_release(folder).observations) > 1
    assert "snapshot of" in caplog.text and "validating the CSV tables" in caplog.text


def test_snapshot_of_other_rules_is_not_trusted(
    releases: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = releases / "2026-01-01"
    digest = snapshot.tables_digest(dict(publishing._manifest_lines(folder)))
    assert snapshot.read_snapshot(folder, digest) is not None
    monkeypatch.setattr(snapshot, "RULES_FINGERPRINT", "rules of another version")
    assert snapshot.read_snapshot(folder, digest) is None


def test_snapshot_never_hides_a_changed_table(releases: Path) -> None:
    folder = releases / "2026-01-01"
    _replace(folder / "areas.csv", b"area_code\n")
    with pytest.raises(PublicationError, match="changed since publication"):
        load_published(folder)


def test_snapshot_never_hides_a_table_edited_under_a_manifest_written_again(
    releases: Path,
) -> None:
    folder = releases / "2026-01-01"
    observations = folder / "observations.csv"
    lines = observations.read_text(encoding="utf-8").splitlines(keepends=True)
    _replace(observations, "".join(lines[:3]).encode())  # two values left
    (folder / MANIFEST_FILE).chmod(0o644)
    publishing.write_manifest(folder)  # by hand: the manifest now vouches for the edit
    served = load_published(folder).observations
    assert len(served) == len(read_release(folder).observations) < 17  # the edit, validated


def test_snapshot_seal_makes_a_generated_folder_servable(tmp_path: Path) -> None:
    releases = tmp_path / "releases"
    folder = _tables(releases / "2026-04-01")
    (folder / "release.yaml").write_text(
        "id: 2026-04-01\ndate: 2026-04-01\ntitle: generated\n", encoding="utf-8"
    )
    seal(folder)
    assert _store(releases).dataset.release.release_id == "2026-04-01"
