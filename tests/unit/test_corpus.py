"""The bad-input corpus (tests/corpus/cases.yaml): every malformed publication is refused.

Each table case is published through `dashboard.publish.publish` (what `scripts/publish` runs)
next to a good release that a Store is serving. It must be refused with exactly its expected
problems (file, row, column, rule), write nothing, and leave the Store serving the good
release. Boundary cases go through `geo.load_boundaries` and must raise BoundaryError naming
file, feature row, column and rule.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import geopandas as gpd
import pytest
import yaml

from dashboard.config import Settings
from dashboard.loading import Problem, PublicationError
from dashboard.publish import publish
from dashboard.store import Store
from geo import BoundaryError, load_boundaries

CORPUS = Path(__file__).resolve().parents[1] / "corpus"
BASE = CORPUS / "base"
GEO_FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "geo"
SPEC = yaml.safe_load((CORPUS / "cases.yaml").read_text(encoding="utf-8"))
GOOD_ID = "2026-01-01"
NEXT_ID = "2026-02-01"
GEO_FILES = {"province": "lao_adm1.geojson", "district": "lao_adm2.geojson"}


# ---------------------------------------------------------------- table edits


def _rows(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"), newline="")))


def _write_rows(path: Path, rows: list[list[str]]) -> None:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8")


def _set(folder: Path, file: str, row: int, column: str, value: str, quote: bool = True) -> None:
    path = folder / file
    rows = _rows(path)
    rows[row - 1][rows[0].index(column)] = value
    _write_rows(path, rows)
    if not quote:  # what a hand-written file has: the cell's comma splits it
        path.write_text(path.read_text(encoding="utf-8").replace(f'"{value}"', value), "utf-8")


def _apply(folder: Path, op: str, arg: dict[str, Any]) -> None:
    path = folder / arg["file"]
    if op == "set":
        _set(folder, arg["file"], arg["row"], arg["column"], arg["value"], arg.get("quote", True))
    elif op == "drop_column":
        rows = _rows(path)
        index = rows[0].index(arg["column"])
        _write_rows(path, [r[:index] + r[index + 1 :] for r in rows])
    elif op == "rename_column":
        rows = _rows(path)
        rows[0][rows[0].index(arg["from"])] = arg["to"]
        _write_rows(path, rows)
    elif op == "copy_row":
        rows = _rows(path)
        copy = list(rows[arg["row"] - 1])
        for column, value in (arg.get("changes") or {}).items():
            copy[rows[0].index(column)] = value
        _write_rows(path, [*rows, copy])
    elif op == "drop_rows":
        rows = _rows(path)
        index = rows[0].index(arg["column"])
        kept = [r for r in rows if r[index] != arg["value"]]
        assert len(kept) < len(rows), f"no row of {arg['file']} has {arg['value']!r}"
        _write_rows(path, kept)
    elif op == "remove":
        path.unlink()
    elif op == "rename_file":
        path.rename(folder / arg["to"])
    elif op == "write":
        path.write_text(arg["text"], encoding="utf-8")
    elif op == "prepend":
        path.write_text(arg["text"] + path.read_text(encoding="utf-8"), encoding="utf-8")
    elif op == "append":
        path.write_text(path.read_text(encoding="utf-8") + arg["text"], encoding="utf-8")
    elif op == "encode":
        text = path.read_text(encoding="utf-8").replace("\n", arg.get("newline", "\n"))
        data = text.encode(arg["encoding"], errors=arg.get("errors", "strict"))
        path.write_bytes(b"\xef\xbb\xbf" * arg.get("bom", 0) + data)
    elif op == "mojibake":
        text = path.read_text(encoding="utf-8")
        path.write_text(text.encode("utf-8").decode("latin-1"), encoding="utf-8")
    elif op == "sparse":
        with path.open("r+b") as handle:  # a hole: no disk space, no time to write
            handle.truncate(arg["bytes"])
    else:
        raise AssertionError(f"unknown corpus edit {op!r}")


def _candidate(folder: Path, edits: list[dict[str, dict[str, Any]]]) -> Path:
    shutil.copytree(BASE, folder)
    for edit in edits or []:
        ((op, arg),) = edit.items()
        _apply(folder, op, arg)
    return folder


def _matches(problem: Problem, expected: list[Any]) -> bool:
    file, row, column, rule = expected
    return (
        problem.file == file
        and problem.row == row
        and problem.column == column
        and rule in problem.rule
    )


def _tree(folder: Path) -> list[tuple[str, int]]:
    return sorted((str(p.relative_to(folder)), p.stat().st_size) for p in folder.rglob("*"))


# ---------------------------------------------------------------- the served release


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Store, Path]]:
    """A releases folder holding one good release, and a Store serving it."""
    releases = tmp_path_factory.mktemp("releases")
    candidate = _candidate(tmp_path_factory.mktemp("good") / "tables", [])
    publish(candidate, releases, release_id=GOOD_ID, title="Good release")
    store = Store(Settings.from_env({"NSPS_DATA_DIR": str(releases)}))
    assert store.dataset.release.release_id == GOOD_ID
    yield store, releases


def _case_params(section: str) -> list[Any]:
    return [pytest.param(case, id=case["id"]) for case in SPEC[section]]


def test_corpus_has_at_least_30_rejected_publications() -> None:
    assert len(SPEC["tables"]) + len(SPEC["boundaries"]) >= 30
    ids = [c["id"] for section in ("tables", "boundaries", "accepted") for c in SPEC[section]]
    assert len(ids) == len(set(ids)), "case ids must be unique"


@pytest.mark.parametrize("case", _case_params("tables"))
def test_corpus_table_case_is_refused_and_served_data_unchanged(
    case: dict[str, Any], served: tuple[Store, Path], tmp_path: Path
) -> None:
    store, releases = served
    candidate = _candidate(tmp_path / "tables", case.get("edits", []))
    args = {"release_id": NEXT_ID, "title": "Candidate", **(case.get("publish") or {})}
    if args.pop("id", None) is not None:
        args["release_id"] = {"existing": GOOD_ID}.get(case["publish"]["id"], case["publish"]["id"])
    before_tree, before_served = _tree(releases), store.served

    with pytest.raises(PublicationError) as info:
        publish(candidate, releases, **args)

    problems = info.value.problems
    shown = "\n".join(str(p) for p in problems)
    for expected in case["expect"]:
        assert any(_matches(p, expected) for p in problems), f"{expected} not in:\n{shown}"
    for problem in problems:
        assert any(_matches(problem, e) for e in case["expect"]), f"unexpected: {problem}"
    assert len(problems) == len(case["expect"]), shown
    assert _tree(releases) == before_tree, "a refused publication wrote something"
    assert store.refresh() is False
    assert store.served is before_served
    assert store.dataset.release.release_id == GOOD_ID


@pytest.mark.parametrize("case", _case_params("accepted"))
def test_corpus_accepted_variation_publishes(case: dict[str, Any], tmp_path: Path) -> None:
    candidate = _candidate(tmp_path / "tables", case["edits"])
    published = publish(candidate, tmp_path / "releases", release_id=NEXT_ID, title="t")
    assert published.counts.added == 17, "every value of the base publication is published"
    assert (published.path / "MANIFEST.sha256").is_file()


# ---------------------------------------------------------------- boundaries


def _geo_case(folder: Path, edits: list[dict[str, dict[str, Any]]]) -> Path:
    layers = {
        level: json.loads((GEO_FIXTURES / name).read_text(encoding="utf-8"))
        for level, name in GEO_FILES.items()
    }
    shapefile_epsg = None
    for edit in edits:
        ((op, arg),) = edit.items()
        level = arg.get("level")
        features = layers[level]["features"] if level else []
        if op == "geometry":
            features[arg["row"] - 1]["geometry"] = arg["value"]
        elif op == "property":
            features[arg["row"] - 1]["properties"][arg["key"]] = arg["value"]
        elif op == "drop_property":
            for feature in features:
                del feature["properties"][arg["key"]]
        elif op == "remove_layer":
            del layers[level]
        elif op == "projected_shapefile":
            shapefile_epsg = arg["epsg"]
        else:
            raise AssertionError(f"unknown boundary edit {op!r}")
    folder.mkdir()
    for level, collection in layers.items():
        path = folder / GEO_FILES[level]
        path.write_text(json.dumps(collection, ensure_ascii=False), encoding="utf-8")
        if shapefile_epsg is not None:  # metres, and the .prj that would say so is lost
            frame = gpd.read_file(path).to_crs(shapefile_epsg)
            frame = frame.set_crs(None, allow_override=True)
            with pytest.warns(UserWarning, match="crs"):
                frame.to_file(path.with_suffix(".shp"))
            path.unlink()
    return folder


@pytest.mark.parametrize("case", _case_params("boundaries"))
def test_corpus_boundary_case_is_refused(case: dict[str, Any], tmp_path: Path) -> None:
    folder = _geo_case(tmp_path / "geo", case["edits"])
    with pytest.raises(BoundaryError) as info:
        load_boundaries(folder)
    message = str(info.value)
    for part in case["expect"]:
        assert part in message, f"{part!r} not in {message!r}"


def test_corpus_boundary_base_is_valid(tmp_path: Path) -> None:
    """The unedited fixture loads, so each boundary case fails for its own edit only."""
    assert load_boundaries(_geo_case(tmp_path / "geo", [])) is not None
