"""Publishing and switching: immutable dated releases, and servers that swap them atomically."""

from __future__ import annotations

import csv
import io
import shutil
import stat
import threading
import time
from pathlib import Path

import pytest
import yaml
from flask import Flask

from callbacks import releases as release_hooks
from dashboard.changes import ChangeCounts, read_changes
from dashboard.config import Settings
from dashboard.loading import PublicationError
from dashboard.publish import MANIFEST_FILE, main, manifest_problems, publish, write_manifest
from dashboard.queries import Dataset
from dashboard.store import Store

BASE = Path(__file__).resolve().parents[1] / "corpus" / "base"
BASE_VALUES = 17  # observations in tests/corpus/base


def _tables(folder: Path) -> Path:
    shutil.copytree(BASE, folder)
    return folder


def _set(folder: Path, file: str, row: int, column: str, value: str) -> None:
    path = folder / file
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"), newline="")))
    rows[row - 1][rows[0].index(column)] = value
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8")


def _drop_last_row(folder: Path, file: str) -> None:
    path = folder / file
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text("".join(lines[:-1]), encoding="utf-8")


def _tree(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


def _store(releases: Path, **env: str) -> Store:
    return Store(Settings.from_env({"NSPS_DATA_DIR": str(releases), **env}))


@pytest.fixture
def releases(tmp_path: Path) -> Path:
    """A releases folder with one good release, 2026-01-01."""
    folder = tmp_path / "releases"
    publish(_tables(tmp_path / "first"), folder, release_id="2026-01-01", title="First")
    return folder


def _second(tmp_path: Path) -> Path:
    """The base with one value revised, one added (new file) and one removed."""
    tables = _tables(tmp_path / "second")
    _set(tables, "observations.csv", 10, "value", "60")  # SHP_COVERAGE 2016: 58 → 60
    _drop_last_row(tables, "observations-illustrative.csv")
    (tables / "observations-2026.csv").write_text(
        "indicator_id,area_code,year,value,sex,urban_rural,nature,source_id,note\n"
        "SHP_COVERAGE,LA,2019,95,total,total,administrative,p4h_uhc_dynamics_card,new\n",
        encoding="utf-8",
    )
    return tables


# ---------------------------------------------------------------- publishing


def test_publish_creates_immutable_dated_release_with_manifest_and_changes(
    releases: Path, tmp_path: Path
) -> None:
    published = publish(
        _second(tmp_path), releases, release_id="2026-02-01", title="Second", notes=["fix"]
    )
    folder = releases / "2026-02-01"
    assert published.path == folder and published.previous_id == "2026-01-01"
    assert published.counts == ChangeCounts(added=1, revised=1, removed=1)
    meta = yaml.safe_load((folder / "release.yaml").read_text(encoding="utf-8"))
    assert {k: meta[k] for k in ("id", "date", "title", "notes", "previous")} == {
        "id": "2026-02-01",
        "date": "2026-02-01",
        "title": "Second",
        "notes": ["fix"],
        "previous": "2026-01-01",
    }
    assert meta["changes"] == {"added": 1, "revised": 1, "removed": 1}
    revised = read_changes(folder / "changes.csv").query("change == 'revised'").iloc[0]
    assert (revised["indicator_id"], revised["year"]) == ("SHP_COVERAGE", 2016)
    assert (revised["old_value"], revised["new_value"]) == (58.0, 60.0)
    assert manifest_problems(folder, required=True) == []
    listed = (folder / MANIFEST_FILE).read_text(encoding="utf-8")
    for name in ("release.yaml", "changes.csv", "observations-2026.csv", "areas.csv"):
        assert f"  {name}\n" in listed
    assert all(not p.stat().st_mode & stat.S_IWUSR for p in folder.iterdir()), "read-only files"
    assert sorted(p.name for p in releases.iterdir()) == ["2026-01-01", "2026-02-01"]


def test_publish_first_release_adds_every_value(releases: Path) -> None:
    meta = yaml.safe_load((releases / "2026-01-01" / "release.yaml").read_text(encoding="utf-8"))
    assert meta["previous"] is None
    assert meta["changes"] == {"added": BASE_VALUES, "revised": 0, "removed": 0}


def test_publish_failed_validation_writes_nothing(releases: Path, tmp_path: Path) -> None:
    tables = _tables(tmp_path / "bad")
    _set(tables, "observations.csv", 12, "value", "104")
    before = _tree(releases)
    with pytest.raises(PublicationError) as info:
        publish(tables, releases, release_id="2026-02-01", title="Bad")
    assert [(p.file, p.row, p.column) for p in info.value.problems] == [
        ("observations.csv", 12, "value")
    ]
    assert _tree(releases) == before


def test_publish_failed_validation_into_new_folder_leaves_no_folder(tmp_path: Path) -> None:
    tables = _tables(tmp_path / "bad")
    _set(tables, "observations.csv", 12, "value", "104")
    with pytest.raises(PublicationError):
        publish(tables, tmp_path / "new-releases", release_id="2026-02-01", title="Bad")
    assert not (tmp_path / "new-releases").exists()


def test_publish_refuses_existing_release_id(releases: Path, tmp_path: Path) -> None:
    before = (releases / "2026-01-01" / MANIFEST_FILE).read_bytes()
    with pytest.raises(PublicationError, match="never overwritten"):
        publish(_second(tmp_path), releases, release_id="2026-01-01", title="Again")
    assert (releases / "2026-01-01" / MANIFEST_FILE).read_bytes() == before
    assert manifest_problems(releases / "2026-01-01", required=True) == []


def test_publish_check_only_writes_nothing(releases: Path, tmp_path: Path) -> None:
    before = _tree(releases)
    result = publish(
        _second(tmp_path), releases, release_id="2026-02-01", title="Dry", dry_run=True
    )
    assert result.counts == ChangeCounts(added=1, revised=1, removed=1)
    assert _tree(releases) == before


def test_publish_manifest_detects_changed_missing_and_extra_files(releases: Path) -> None:
    folder = releases / "2026-01-01"
    (folder / "areas.csv").chmod(0o644)
    (folder / "areas.csv").write_text("area_code\n", encoding="utf-8")
    (folder / "budget.csv").chmod(0o644)
    (folder / "budget.csv").unlink()
    (folder / "extra.csv").write_text("x\n", encoding="utf-8")
    found = {(p.file, p.rule.split(" (")[0]) for p in manifest_problems(folder, required=True)}
    assert found == {
        ("areas.csv", "changed since publication"),
        ("budget.csv", "listed in the manifest but missing"),
        ("extra.csv", "not listed in the manifest"),
    }


def test_publish_command_prints_every_problem_and_exits_non_zero(
    releases: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    monkeypatch.setenv("NSPS_DATA_DIR", str(releases))
    tables = _tables(tmp_path / "bad")
    _set(tables, "observations.csv", 12, "value", "104")
    _set(tables, "observations.csv", 9, "value", "n/a")
    assert main([str(tables), "--id", "2026-02-01", "--title", "Bad"]) == 1
    err = capsys.readouterr().err
    assert "NOT PUBLISHED: 2 problem(s)" in err
    assert "observations.csv, row 9, column 'value': not a number (found 'n/a')" in err
    assert "observations.csv, row 12, column 'value': out of range" in err
    assert main([str(_second(tmp_path)), "--id", "2026-02-01", "--title", "Second"]) == 0
    out = capsys.readouterr().out
    assert "published release 2026-02-01" in out and "1 revised" in out


# ---------------------------------------------------------------- switching


def _bad_release(releases: Path, tmp_path: Path, release_id: str) -> Path:
    """A release folder put in place by hand: valid manifest, but a percentage above 100."""
    folder = releases / release_id
    _tables(folder)
    _set(folder, "observations.csv", 12, "value", "104")
    meta = {"id": release_id, "date": release_id, "title": "Bad"}
    (folder / "release.yaml").write_text(yaml.safe_dump(meta), encoding="utf-8")
    write_manifest(folder)
    return folder


def test_switch_store_serves_newly_published_release_after_refresh(
    releases: Path, tmp_path: Path
) -> None:
    store = _store(releases)
    first = store.dataset
    assert store.refresh() is False
    publish(_second(tmp_path), releases, release_id="2026-02-01", title="Second")
    assert store.refresh() is True
    assert store.dataset.release.release_id == "2026-02-01"
    assert store.dataset is not first and len(store.dataset.tidy) == BASE_VALUES
    entries = store.changelog()
    assert [e.release_id for e in entries] == ["2026-02-01", "2026-01-01"]
    assert entries[0].counts == ChangeCounts(added=1, revised=1, removed=1)
    assert store.dataset_for("2026-01-01").release.release_id == "2026-01-01"


def test_switch_bad_new_release_leaves_old_one_served(
    releases: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    store = _store(releases)
    served = store.served
    _bad_release(releases, tmp_path, "2026-03-01")
    assert store.refresh() is False
    assert store.served is served
    assert "release 2026-03-01 NOT served" in caplog.text
    assert "out of range for unit kind 'percent'" in caplog.text
    # A good release published later is still picked up.
    publish(_second(tmp_path), releases, release_id="2026-03-02", title="Fixed")
    assert store.refresh() is True
    assert store.dataset.release.release_id == "2026-03-02"


def test_switch_release_without_manifest_is_not_served(releases: Path, tmp_path: Path) -> None:
    store = _store(releases)
    published = publish(
        _second(tmp_path), tmp_path / "elsewhere", release_id="2026-02-01", title="x"
    )
    copy = releases / "2026-02-01"
    shutil.copytree(published.path, copy)
    manifest = copy / MANIFEST_FILE
    manifest.chmod(0o644)
    text = manifest.read_text(encoding="utf-8")
    manifest.unlink()  # a copy still in progress: the manifest has not arrived yet
    assert store.refresh() is False
    assert store.dataset.release.release_id == "2026-01-01"
    manifest.write_text(text, encoding="utf-8")  # the copy completes: the folder changed
    assert store.refresh() is True
    assert store.dataset.release.release_id == "2026-02-01"


def test_switch_pinned_release_never_switches(releases: Path, tmp_path: Path) -> None:
    store = _store(releases, NSPS_RELEASE="2026-01-01")
    publish(_second(tmp_path), releases, release_id="2026-02-01", title="Second")
    assert store.refresh_if_new(background=False) is False
    assert store.refresh() is False
    assert store.dataset.release.release_id == "2026-01-01"


def test_switch_startup_skips_a_broken_newest_release(releases: Path, tmp_path: Path) -> None:
    _bad_release(releases, tmp_path, "2026-03-01")
    assert _store(releases).dataset.release.release_id == "2026-01-01"


def test_switch_checks_at_most_every_interval(releases: Path, tmp_path: Path) -> None:
    store = _store(releases)
    assert store.refresh_if_new(background=False) is False  # checked: nothing new
    publish(_second(tmp_path), releases, release_id="2026-02-01", title="Second")
    assert store.refresh_if_new(background=False) is False  # too soon to look again
    assert store.dataset.release.release_id == "2026-01-01"
    store._next_check = 0.0  # the interval has passed
    assert store.refresh_if_new(background=False) is True
    assert store.dataset.release.release_id == "2026-02-01"


def test_switch_request_sees_one_release_throughout(releases: Path, tmp_path: Path) -> None:
    store = _store(releases)
    token = store.begin_request()
    publish(_second(tmp_path), releases, release_id="2026-02-01", title="Second")
    assert store.refresh() is True
    assert store.dataset.release.release_id == "2026-01-01", "mid-request: still the old one"
    store.end_request(token)
    assert store.dataset.release.release_id == "2026-02-01"


def test_switch_concurrent_readers_always_see_a_complete_dataset(
    releases: Path, tmp_path: Path
) -> None:
    """Readers in threads while releases are swapped back and forth: never a mixed dataset."""
    publish(_second(tmp_path), releases, release_id="2026-02-01", title="Second")
    tables = _tables(tmp_path / "third")
    _drop_last_row(tables, "observations.csv")
    publish(tables, releases, release_id="2026-03-01", title="Third")
    store = _store(releases)
    expected = {"2026-01-01": 17, "2026-02-01": 17, "2026-03-01": 16}
    datasets = [
        Dataset.from_release(store.dataset_for(i).release) for i in ("2026-01-01", "2026-03-01")
    ]
    stop = threading.Event()
    seen: set[str] = set()
    errors: list[str] = []

    def read() -> None:
        while not stop.is_set():
            ds = store.dataset
            release_id = ds.release.release_id
            seen.add(release_id)
            if not (len(ds.tidy) == len(ds.release.observations) == expected[release_id]):
                errors.append(release_id)

    readers = [threading.Thread(target=read) for _ in range(4)]
    for reader in readers:
        reader.start()
    deadline = time.monotonic() + 30
    swaps = 0
    while swaps < 200 or (len(seen) < 2 and time.monotonic() < deadline):
        store._served = type(store.served)(datasets[swaps % 2], ())
        swaps += 1
        time.sleep(0.001)
    stop.set()
    for reader in readers:
        reader.join()
    assert errors == []
    assert seen == {"2026-01-01", "2026-03-01"}, "readers ran during the swaps"


def test_switch_flask_hook_picks_up_release_without_restart(releases: Path, tmp_path: Path) -> None:
    store = _store(releases)
    server = Flask(__name__)
    release_hooks.register(server, store)
    server.get("/release")(lambda: store.dataset.release.release_id)
    client = server.test_client()
    assert client.get("/release").text == "2026-01-01"
    publish(_second(tmp_path), releases, release_id="2026-02-01", title="Second")
    deadline = time.monotonic() + 20
    while client.get("/release").text != "2026-02-01":
        assert time.monotonic() < deadline, "the new release was not picked up"
        store._next_check = 0.0  # do not wait NSPS_RELEASE_CHECK_SECONDS in a test
        time.sleep(0.05)


def test_changelog_section_lists_releases_and_revised_values(
    releases: Path, tmp_path: Path
) -> None:
    from layouts.changelog import changelog_section

    publish(_second(tmp_path), releases, release_id="2026-02-01", title="Second")
    store = _store(releases)
    text = str(changelog_section(store, lang="en").to_plotly_json())
    assert "1 value added, 1 revised, 1 removed since release 2026-01-01." in text
    assert "17 values added, 0 revised, 0 removed (first release)." in text
    assert "revisions-2026-02-01" in text and "revisions-2026-01-01" not in text
    assert "'58.0'" in text and "'60.0'" in text
