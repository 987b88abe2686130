"""read_release: every kind of bad input is refused with a problem naming file, row, column, rule.

Each case corrupts one private copy of the shipped release (`release_copy`) and lists the exact
problems it must produce. Rows are spreadsheet rows: the header is row 1, the first data row 2.
"""

from __future__ import annotations

import csv
import io
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pytest
from shipped import RELEASES_DIR
from shipped import SHIPPED_ID as RELEASE_ID

from dashboard.loading import Problem, PublicationError, read_release

FIRST_RELEASE = Path(__file__).resolve().parents[2] / "data" / "releases" / "2026-11-29"

# ---------------------------------------------------------------- helpers


@dataclass(frozen=True)
class Expected:
    """One problem a corruption must produce; `rule` is a substring of the problem's rule."""

    file: str
    row: int | None
    column: str | None
    rule: str

    def matches(self, problem: Problem) -> bool:
        return (
            problem.file == self.file
            and problem.row == self.row
            and problem.column == self.column
            and self.rule in problem.rule
        )


def _rows(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"), newline="")))


def _write_rows(path: Path, rows: list[list[str]], encoding: str = "utf-8") -> None:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    # a legacy encoding cannot hold every character of the release: those become "?"
    path.write_bytes(buffer.getvalue().encode(encoding, errors="replace"))


def _find(folder: Path, file: str, **match: str) -> int:
    """Spreadsheet row of the first data row whose cells equal `match` (list index + 1)."""
    rows = _rows(folder / file)
    header = rows[0]
    for index, row in enumerate(rows[1:], start=1):
        if all(row[header.index(col)] == value for col, value in match.items()):
            return index + 1
    raise AssertionError(f"no row of {file} matches {match}")


def _set(folder: Path, file: str, row: int, column: str, value: str) -> str:
    """Write `value` into spreadsheet `row`, `column` of `file`; return the old value."""
    path = folder / file
    rows = _rows(path)
    col = rows[0].index(column)
    old = rows[row - 1][col]
    rows[row - 1][col] = value
    _write_rows(path, rows)
    return old


def _problems(folder: Path) -> list[Problem]:
    with pytest.raises(PublicationError) as excinfo:
        read_release(folder)
    return excinfo.value.problems


def _assert_exactly(problems: list[Problem], expected: list[Expected]) -> None:
    """Every expected problem is reported, and nothing else is."""
    shown = "\n".join(str(p) for p in problems)
    for exp in expected:
        assert any(exp.matches(p) for p in problems), f"{exp} not among:\n{shown}"
    for problem in problems:
        assert any(exp.matches(problem) for exp in expected), f"unexpected problem: {problem}"
    assert len(problems) == len(expected), shown


# ---------------------------------------------------------------- corruptions

OBS = "observations.csv"
ILL_OBS = "observations-illustrative.csv"


def _obs_cell(column: str, value: str, rule: str, **match: str) -> Callable[[Path], list[Expected]]:
    """A case that writes `value` into `column` of the first observations.csv row matching."""

    def corrupt(folder: Path) -> list[Expected]:
        row = _find(folder, OBS, **match) if match else 2
        _set(folder, OBS, row, column, value)
        return [Expected(OBS, row, column, rule)]

    return corrupt


def _area_wrong_shape(folder: Path) -> list[Expected]:
    _set(folder, OBS, 3, "area_code", "Vientiane")
    return [
        Expected(OBS, 3, "area_code", "does not match the pattern"),
        Expected(OBS, 3, "area_code", "unknown area_code"),
    ]


def _duplicate_key(folder: Path) -> list[Expected]:
    path = folder / OBS
    rows = _rows(path)
    rows.append(list(rows[4]))  # copy of spreadsheet row 5, appended as the last row
    _write_rows(path, rows)
    return [Expected(OBS, len(rows), None, f"duplicate key (indicator_id={rows[4][0]!r}")]


def _duplicate_key_blank_default(folder: Path) -> list[Expected]:
    """A blank sex/urban_rural means 'total', so it collides with an explicit 'total' row."""
    path = folder / OBS
    rows = _rows(path)
    header = rows[0]
    copy = list(rows[4])
    copy[header.index("sex")] = ""
    copy[header.index("urban_rural")] = ""
    rows.append(copy)
    _write_rows(path, rows)
    return [Expected(OBS, len(rows), None, "first given in observations.csv row 5")]


def _missing_source(folder: Path) -> list[Expected]:
    """Delete a referenced source: every row anywhere that refers to it is reported."""
    gone = "who_health_or_hardship_2023"
    path = folder / "sources.csv"
    rows = _rows(path)
    kept = [r for r in rows if r[0] != gone]
    assert len(kept) == len(rows) - 1
    _write_rows(path, kept)
    expected = []
    for csv_path in sorted(folder.glob("*.csv")):
        data = _rows(csv_path)
        for column in ("source_id", "document_source_id"):
            if column in data[0] and not csv_path.name.startswith("sources"):
                col = data[0].index(column)
                expected += [
                    Expected(csv_path.name, index + 1, column, "unknown source_id")
                    for index, row in enumerate(data[1:], start=1)
                    if row[col] == gone
                ]
    assert sum(e.file == OBS for e in expected) >= 2, "pick a source used by several rows"
    return expected


def _drop_column(folder: Path) -> list[Expected]:
    path = folder / OBS
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    frame.drop(columns="value").to_csv(path, index=False, lineterminator="\n")
    return [Expected(OBS, 1, "value", "required column is missing")]


def _rename_column(folder: Path) -> list[Expected]:
    path = folder / OBS
    rows = _rows(path)
    rows[0][rows[0].index("note")] = "notes"
    _write_rows(path, rows)
    return [
        Expected(OBS, 1, "note", "required column is missing"),
        Expected(OBS, 1, "notes", "unknown column"),
    ]


def _empty_file(folder: Path) -> list[Expected]:
    (folder / ILL_OBS).write_bytes(b"")
    return [Expected(ILL_OBS, None, None, "file is empty")]


def _latin1(folder: Path) -> list[Expected]:
    path = folder / OBS
    rows = _rows(path)
    rows[6][rows[0].index("note")] = "Phôngsali, Savannakhét"  # spreadsheet row 7
    _write_rows(path, rows, encoding="latin-1")
    return [Expected(OBS, 7, None, "not UTF-8")]


def _utf16(folder: Path) -> list[Expected]:
    path = folder / "areas.csv"
    path.write_bytes(path.read_text(encoding="utf-8").encode("utf-16"))
    return [Expected("areas.csv", None, None, "UTF-16")]


def _missing_table(name: str) -> Callable[[Path], list[Expected]]:
    def corrupt(folder: Path) -> list[Expected]:
        (folder / f"{name}.csv").unlink()
        return [Expected(f"{name}.csv", None, None, "required table is missing")]

    return corrupt


def _unknown_activity(folder: Path) -> list[Expected]:
    row = _find(folder, "indicators.csv", indicator_id="SHP_COVERAGE")
    old = _set(folder, "indicators.csv", row, "activity_ids", "1.1.01;9.9.99")
    assert old == "1.1.01"
    return [Expected("indicators.csv", row, "activity_ids", "unknown activity_id 9.9.99")]


def _illustrative_unmarked(folder: Path) -> list[Expected]:
    old = _set(folder, ILL_OBS, 2, "nature", "survey")
    assert old == "illustrative"
    return [Expected(ILL_OBS, 2, "nature", "illustrative indicator must be 'illustrative'")]


def _level_mismatch(folder: Path) -> list[Expected]:
    row = _find(folder, "areas.csv", area_code="LA05")
    _set(folder, "areas.csv", row, "level", "district")
    return [Expected("areas.csv", row, "level", "does not match the length of area_code")]


def _release_id(folder: Path) -> list[Expected]:
    path = folder / "release.yaml"
    text = path.read_text(encoding="utf-8")
    line = next(line for line in text.splitlines() if line.startswith("id:"))
    path.write_text(text.replace(line, 'id: "1999-01-01"'), encoding="utf-8")
    return [Expected("release.yaml", None, "id", f"must equal the folder name '{RELEASE_ID}'")]


def _blank_line_inside(folder: Path) -> list[Expected]:
    """An empty line is a row in a spreadsheet: rows after it keep their spreadsheet number."""
    path = folder / OBS
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    lines.insert(5, "\n")  # the empty line is spreadsheet row 6
    path.write_text("".join(lines), encoding="utf-8")
    _set(folder, OBS, 11, "nature", "official")
    return [Expected(OBS, 11, "nature", "must be one of")]


def _unquoted_comma(folder: Path) -> list[Expected]:
    """An unquoted 8,9 adds a cell; pandas would silently take the first column as an index."""
    path = folder / OBS
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    for number in (2, 9):  # the first data row (the silent-index case) and a later one
        cells = lines[number - 1].split(",")
        cells[3] = "8,9"
        lines[number - 1] = ",".join(cells)
    path.write_text("".join(lines), encoding="utf-8")
    width = len(lines[0].rstrip("\n").split(","))
    rule = f"{width + 1} cells but the header has {width}"
    return [Expected(OBS, 2, None, rule), Expected(OBS, 9, None, rule)]


TARGETS = "targets.csv"


def _second_target_same_year(folder: Path) -> list[Expected]:
    """A chart never shows two targets for one year of one series."""
    rows = _rows(folder / TARGETS)
    header = rows[0]
    twin = list(rows[_find(folder, TARGETS, target_id="hsdp8_health_coverage_2020") - 1])
    twin[header.index("target_id")] = "another_plan_2020"
    _write_rows(folder / TARGETS, [*rows, twin])
    return [Expected(TARGETS, len(rows) + 1, "year", "one target per target year")]


def _numeric_target_without_series(folder: Path) -> list[Expected]:
    row = _find(folder, TARGETS, target_id="molsw_social_security_2015")
    _set(folder, TARGETS, row, "indicator_id", "")
    return [
        Expected(TARGETS, row, "indicator_id", "a numeric target needs its series"),
        Expected(TARGETS, row, "indicator_id", "a target value needs its series"),
    ]


def _target_out_of_range(folder: Path) -> list[Expected]:
    row = _find(folder, TARGETS, target_id="hsdp8_health_coverage_2020")
    _set(folder, TARGETS, row, "value", "180")
    return [Expected(TARGETS, row, "value", "out of range for unit kind 'percent'")]


CASES = [
    pytest.param(
        _obs_cell("indicator_id", "NO_SUCH_INDICATOR", "unknown indicator_id"),
        id="unknown-indicator",
    ),
    pytest.param(_obs_cell("area_code", "LA99", "unknown area_code"), id="unknown-area-LA99"),
    pytest.param(_area_wrong_shape, id="area-code-wrong-shape"),
    pytest.param(_duplicate_key, id="duplicate-key"),
    pytest.param(_duplicate_key_blank_default, id="duplicate-key-blank-means-total"),
    pytest.param(_obs_cell("value", "n/a", "not a number"), id="non-numeric"),
    pytest.param(_obs_cell("value", "8,9", "decimal comma"), id="comma-decimal"),
    pytest.param(
        _obs_cell("value", "6,492,228", "thousands separators", indicator_id="POP_CENSUS_2015"),
        id="thousands-separators",
    ),
    pytest.param(
        _obs_cell(
            "value", "101", "out of range for unit kind 'percent'", indicator_id="SHP_COVERAGE"
        ),
        id="percent-above-100",
    ),
    pytest.param(
        _obs_cell("value", "1.2", "out of range for unit kind 'index01'", indicator_id="GDL_SHDI"),
        id="index01-above-1",
    ),
    pytest.param(
        _obs_cell(
            "value", "-5", "out of range for unit kind 'count'", indicator_id="POP_CENSUS_2015"
        ),
        id="negative-count",
    ),
    pytest.param(
        _obs_cell("source_id", "no_such_source", "unknown source_id"), id="unknown-source"
    ),
    pytest.param(_missing_source, id="missing-source-every-row"),
    pytest.param(_drop_column, id="missing-column"),
    pytest.param(_rename_column, id="renamed-column"),
    pytest.param(_empty_file, id="empty-file"),
    pytest.param(_latin1, id="latin-1"),
    pytest.param(_utf16, id="utf-16"),
    pytest.param(_missing_table("budget"), id="missing-table-budget"),
    pytest.param(_missing_table("areas"), id="missing-table-areas"),
    pytest.param(_obs_cell("nature", "official", "must be one of"), id="nature-not-listed"),
    pytest.param(_unknown_activity, id="unknown-activity-in-list"),
    pytest.param(_illustrative_unmarked, id="illustrative-indicator-unmarked-row"),
    pytest.param(_obs_cell("year", "2017.0", "not a whole number"), id="year-2017.0"),
    pytest.param(_obs_cell("year", "20017", "does not match the pattern"), id="year-20017"),
    pytest.param(_level_mismatch, id="area-level-vs-code-length"),
    pytest.param(_release_id, id="release-id-not-folder"),
    pytest.param(_blank_line_inside, id="blank-line-keeps-row-numbers"),
    pytest.param(_unquoted_comma, id="unquoted-comma-decimal"),
    pytest.param(_second_target_same_year, id="target-twice-in-one-year"),
    pytest.param(_numeric_target_without_series, id="numeric-target-without-series"),
    pytest.param(_target_out_of_range, id="target-percent-above-100"),
]


@pytest.mark.parametrize("corrupt", CASES)
def test_bad_input_is_refused_with_a_precise_problem(
    release_copy: Path, corrupt: Callable[[Path], list[Expected]]
) -> None:
    expected = corrupt(release_copy)
    _assert_exactly(_problems(release_copy), expected)


# ---------------------------------------------------------------- accepted variations


def test_utf8_bom_is_accepted(release_copy: Path) -> None:
    path = release_copy / OBS
    raw = path.read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf")
    path.write_bytes(b"\xef\xbb\xbf" + raw)
    release = read_release(release_copy)
    assert list(release.observations.columns)[0] == "indicator_id"
    assert len(release.observations) == 738 + 204 + 6160


def test_relative_release_folder_is_accepted(
    release_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(release_copy)
    assert read_release(Path(".")).release_id == RELEASE_ID


def test_trailing_blank_rows_are_accepted(release_copy: Path) -> None:
    path = release_copy / OBS
    text = path.read_text(encoding="utf-8")
    path.write_text(text + ",,,,,,,,\n" * 3 + "\n", encoding="utf-8")
    release = read_release(release_copy)
    assert len(release.observations) == 738 + 204 + 6160
    assert (release.observations["indicator_id"] != "").all()


def test_age_and_provenance_columns_may_be_absent_or_given(tmp_path: Path) -> None:
    """Files published before the importers lack `age` and `provenance`; newer files carry them.

    An age row is a breakdown: it may share indicator, area, year, sex and urban/rural with the
    total row, and a bad age code is refused like any other cell.
    """
    release_copy = tmp_path / FIRST_RELEASE.name  # the first release predates these columns
    shutil.copytree(FIRST_RELEASE, release_copy)
    old = read_release(release_copy)
    assert set(old.observations["age"]) == {"total"}
    assert set(old.observations["provenance"]) == {""}
    assert set(old.sources["provenance"]) == {""}
    extra = release_copy / "observations-age.csv"
    header = "indicator_id,area_code,year,value,sex,urban_rural,nature,source_id,note"
    header += ",age,provenance"
    rows = [
        "NHI_COVERAGE,LA,2030,40,,,administrative,who_lao_nhi_2021,,Y0T14,file x row 2",
        "NHI_COVERAGE,LA,2030,41,,,administrative,who_lao_nhi_2021,,,file x row 3",
    ]
    extra.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    new = read_release(release_copy).observations
    added = new[(new["indicator_id"] == "NHI_COVERAGE") & (new["year"] == 2030)]
    assert sorted(added["age"]) == ["Y0T14", "total"]
    assert set(added["provenance"]) == {"file x row 2", "file x row 3"}
    extra.write_text(
        "\n".join([header, rows[0].replace("Y0T14", "under 15")]) + "\n", encoding="utf-8"
    )
    with pytest.raises(PublicationError) as caught:
        read_release(release_copy)
    (problem,) = caught.value.problems
    assert (problem.file, problem.row, problem.column) == ("observations-age.csv", 2, "age")
    assert "does not match the pattern" in problem.rule


# ---------------------------------------------------------------- reporting


def test_all_problems_are_reported_at_once(release_copy: Path) -> None:
    _set(release_copy, OBS, 2, "value", "n/a")
    row = _find(release_copy, "areas.csv", area_code="LA05")
    _set(release_copy, "areas.csv", row, "level", "district")
    _assert_exactly(
        _problems(release_copy),
        [
            Expected(OBS, 2, "value", "not a number"),
            Expected("areas.csv", row, "level", "does not match the length"),
        ],
    )


def test_problem_str_names_file_row_column_rule_and_value() -> None:
    problem = Problem("observations.csv", 7, "value", "not a number", "n/a")
    assert str(problem) == "observations.csv, row 7, column 'value': not a number (found 'n/a')"
    assert str(Problem("areas.csv", None, None, "file is empty")) == "areas.csv: file is empty"
    assert (
        str(Problem("release.yaml", None, "id", "a value is required"))
        == "release.yaml, column 'id': a value is required"
    )


def test_publication_error_lists_every_problem() -> None:
    problems = [
        Problem("observations.csv", 7, "value", "not a number", "n/a"),
        Problem("areas.csv", None, None, "file is empty"),
    ]
    error = PublicationError(problems)
    assert error.problems == problems
    text = str(error)
    assert text.startswith("2 problem(s) in the publication")
    assert all(str(p) in text for p in problems)


# ---------------------------------------------------------------- typed result


def test_valid_release_returns_typed_frames(release_copy: Path) -> None:
    row = _find(release_copy, OBS, indicator_id="SHP_COVERAGE", year="2017")
    _set(release_copy, OBS, row, "sex", "")  # blank means 'total'
    release = read_release(release_copy)
    assert release.release_id == RELEASE_ID
    obs = release.observations
    assert str(obs["year"].dtype) == "Int64"
    assert obs["value"].dtype == "float64"
    assert obs["year"].isna().any(), "undated values stay missing, not 0"
    assert set(obs["sex"]) == {"total", "female", "male"}
    shp = obs[(obs["indicator_id"] == "SHP_COVERAGE") & (obs["year"] == 2017)]
    assert shp["sex"].tolist() == ["total"]
    ind = release.indicators
    assert ind.index.name == "indicator_id" and ind.index.is_unique
    assert all(isinstance(v, tuple) for v in ind["activity_ids"])
    assert ind.at["SHP_COVERAGE", "activity_ids"] == ("1.1.01",)
    assert ind.at["ILL_HEALTH_COVERAGE", "activity_ids"] == ("1.1.01", "1.1.04")
    targets = release.targets
    assert targets.at["hsdp8_health_coverage_2020", "value"] == 80.0
    assert str(targets["year"].dtype) == "Int64"
    assert targets.at["hsdp8_health_coverage_2020", "year"] == 2020
    assert not {"target_value", "target_year"} & set(ind.columns), "one source of truth"
    assert all(isinstance(v, tuple) for v in release.challenges["goal_ids"])
    assert release.challenges.at["C01", "goal_ids"] == ("1", "2", "3")
    assert "_row" not in obs.columns and "_file" not in obs.columns


@pytest.mark.parametrize(
    ("value", "web_only", "problem"),
    [
        ("https://lsb.gov.la/report.pdf", True, None),
        ("http://example.org", True, None),
        ("javascript:alert(1)", False, "only http:// and https://"),
        ("JavaScript:alert(1)", True, "only http:// and https://"),
        ("vbscript:x", False, "only http:// and https://"),
        ("data:text/html,x", False, "only http:// and https://"),
        ("file:///etc/passwd", False, "only http:// and https://"),
        ("//example.org/x", True, "only http:// and https://"),
        ("https://example.org/a b", True, "no spaces or control characters"),
        ("https://example.org/\x00", True, "no spaces or control characters"),
        ("https:///x", True, "the host is missing"),
        ("repo:data/steps/illustrative.py", False, None),  # releases before 2026-12-03
        ("repo:data/steps/illustrative.py", True, "only http:// and https://"),
        ("github:owner/repo@abc:path with space.csv", False, None),
    ],
)
def test_url_columns_accept_only_web_addresses(value, web_only, problem) -> None:
    from dashboard.loading import url_problem

    found = url_problem(value, web_only)
    assert (found is None) if problem is None else (problem in found)


def test_url_rule_applies_to_every_url_column_of_sources() -> None:
    from dashboard.schema import TABLES

    url_columns = {c.name for c in TABLES["sources"].columns if c.kind == "url"}
    named_like_urls = {c.name for c in TABLES["sources"].columns if c.name.endswith("url")}
    assert url_columns == named_like_urls == {"url", "via_url", "licence_url"}


def test_url_rule_refuses_internal_references_from_2026_12_03(tmp_path: Path) -> None:
    first = RELEASES_DIR / "2026-11-29"  # published before the rule, with repo: references
    folder = tmp_path / "2026-12-04"
    shutil.copytree(first, folder)
    meta = folder / "release.yaml"
    meta.write_text(meta.read_text(encoding="utf-8").replace("2026-11-29", "2026-12-04"))
    with pytest.raises(PublicationError) as refused:
        read_release(folder)
    rules = {(p.column, p.rule) for p in refused.value.problems}
    assert rules == {("url", "not a web address: only http:// and https:// addresses are allowed")}
    assert read_release(first).release_id == "2026-11-29"  # its own rules still hold


def test_an_older_release_with_catalogue_target_columns_still_reads() -> None:
    """2026-11-29 carries targets in the catalogue: those retired columns are not read (targets
    have one source of truth, targets.csv), and a release without targets.csv has none."""
    first = Path(__file__).resolve().parents[2] / "data" / "releases" / "2026-11-29"
    assert "target_value" in _rows(first / "indicators.csv")[0]
    release = read_release(first)
    assert release.targets.empty
    assert not {"target_value", "target_year", "target_source_id"} & set(release.indicators.columns)
