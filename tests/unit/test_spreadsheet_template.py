"""The officers' workbook: the template, filled in with openpyxl as an officer would, published.

Typical mistakes of hand-filled workbooks are either read (and reported as read) or refused with
sheet, row, column and rule in the reader's language; a refused workbook publishes nothing.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from importer_samples import releases_with_shipped
from openpyxl import load_workbook
from shipped import SHIPPED_ID, SHIPPED_RELEASE

from dashboard.importers import spreadsheet
from dashboard.importers.__main__ import main as import_main
from dashboard.loading import read_release, release_ids
from dashboard.publish import main as publish_main
from dashboard.queries import Dataset, observations_view


@pytest.fixture(scope="module")
def release():
    return read_release(SHIPPED_RELEASE)


@pytest.fixture
def releases(tmp_path: Path, monkeypatch) -> Path:
    folder = releases_with_shipped(tmp_path)
    monkeypatch.setenv("NSPS_DATA_DIR", str(folder))
    monkeypatch.delenv("NSPS_RELEASE", raising=False)
    return folder


def _template(release, tmp_path: Path) -> Path:
    return spreadsheet.write_template(release, tmp_path / "template.xlsx")


def _entry(lists, column: int, code: str) -> str:
    """The drop-down entry an officer picks for `code` (column of the Lists sheet)."""
    for (value,) in lists.iter_rows(min_row=2, min_col=column, max_col=column, values_only=True):
        if value and value.split(" — ")[0] == code:
            return value
    raise AssertionError(f"{code} not in list column {column}")


def _fill_source(wb) -> None:
    source = wb[spreadsheet.SOURCE_SHEET]
    answers = {
        "publisher": "National Health Insurance Bureau",
        "title": "NHI coverage by province, 2026 (quarterly report Q4)",
        "year": 2027,
        "nature": "administrative — ຂໍ້ມູນທາງບໍລິຫານ",
    }
    for row in range(1, 10):
        label = str(source.cell(row=row, column=1).value or "")
        for key, msgid in spreadsheet.SOURCE_FIELDS.items():
            if label.endswith(msgid) and key in answers:
                source.cell(row=row, column=2, value=answers[key])


def test_template_has_lao_and_english_headings_lists_and_number_check(release, tmp_path) -> None:
    wb = load_workbook(_template(release, tmp_path))
    assert wb.sheetnames == [
        spreadsheet.DATA_SHEET,
        spreadsheet.SOURCE_SHEET,
        spreadsheet.INSTRUCTIONS_SHEET,
        spreadsheet.LISTS_SHEET,
    ]
    data = wb[spreadsheet.DATA_SHEET]
    headings = [c.value for c in data[1]]
    assert headings[0] == "ຕົວຊີ້ວັດ\nIndicator"
    assert headings[1] == "ເຂດ (ແຂວງ ຫຼື ເມືອງ)\nArea (province or district)"
    assert headings[3] == "ຄ່າ\nValue"
    instructions = wb[spreadsheet.INSTRUCTIONS_SHEET]
    assert instructions["A1"].value == "ກະດານຂໍ້ມູນ NSPS: ການປ້ອນຂໍ້ມູນ"
    assert instructions["A2"].value == "ວິທີປ້ອນຂໍ້ມູນໃສ່ໄຟລ໌ນີ້"
    assert instructions["A4"].value.startswith("2. ໃນແຜ່ນ 'ຂໍ້ມູນ'")
    lists = wb[spreadsheet.LISTS_SHEET]
    official = release.indicators[release.indicators["nature"] != "illustrative"]
    indicator_entries = [v for (v,) in lists.iter_rows(min_row=2, max_col=1, values_only=True) if v]
    assert len(indicator_entries) == len(official)
    assert not any(e.startswith("ILL_") for e in indicator_entries)
    assert _entry(lists, 2, "LA06") == "LA06 — ຫຼວງພະບາງ / Louangphabang"
    assert _entry(lists, 2, "LA0101").startswith("LA0101 — ")
    area_entries = [
        v for (v,) in lists.iter_rows(min_row=2, min_col=2, max_col=2, values_only=True) if v
    ]
    assert len(area_entries) == len(release.areas)
    rules = {str(dv.sqref): dv for dv in data.data_validations.dataValidation}
    assert rules["A2:A1001"].type == "list"
    assert rules["A2:A1001"].formula1 == f"='{spreadsheet.LISTS_SHEET}'!$A$2:$A${len(official) + 1}"
    assert (
        rules["B2:B1001"].formula1
        == f"='{spreadsheet.LISTS_SHEET}'!$B$2:$B${len(release.areas) + 1}"
    )
    assert rules["C2:C1001"].type == "list"
    assert rules["D2:D1001"].type == "decimal"


def test_filled_workbook_with_typical_mistakes_is_read_reported_and_published(
    release, releases: Path, tmp_path: Path, capsys
) -> None:
    path = _template(release, tmp_path)
    wb = load_workbook(path)
    lists = wb[spreadsheet.LISTS_SHEET]
    data = wb[spreadsheet.DATA_SHEET]
    nhi = _entry(lists, 1, "NHI_COVERAGE")
    rows = [
        (nhi, _entry(lists, 2, "LA01"), 2026, 41.5),  # picked from the lists
        (nhi, "ຫົວພັນ", "໒໐໒໖", "73,6 %"),  # province name, Lao digits, "73,6 %"
        (nhi, _entry(lists, 2, "LA02"), 2026, 50),  # A4:A6 merged: one indicator, 3 rows
        (None, _entry(lists, 2, "LA03"), None, "60.0"),  # C4:C6 merged: one year too
        (None, _entry(lists, 2, "LA04"), None, 70),
        (nhi, "LA08", 2026, 0.812),  # a cell formatted as a percentage
    ]
    for number, cells in enumerate(rows, start=2):
        for column, value in enumerate(cells, start=1):
            if value is not None:
                data.cell(row=number, column=column, value=value)
    data.merge_cells("A4:A6")
    data.merge_cells("C4:C6")
    data["D7"].number_format = "0.0%"
    _fill_source(wb)
    wb.save(path)

    assert publish_main([str(path), "--id", "2099-01-01", "--lang", "en"]) == 0
    out = capsys.readouterr().out
    sheet = spreadsheet.DATA_SHEET
    assert (
        f"Read as: Sheet '{sheet}', row 3, column 'Area (province or district)': "
        "area name read as LA07 (Houaphan) (found 'ຫົວພັນ')" in out
    )
    assert f"Sheet '{sheet}', row 3, column 'Year': Lao digits read as 2026" in out
    assert f"Sheet '{sheet}', row 3, column 'Value': decimal comma read as a point: 73.6" in out
    assert "% sign left out" in out
    assert (
        f"Sheet '{sheet}', row 4: merged cells A4:A6: the value counts for each of their rows"
        in out
    )
    assert f"Sheet '{sheet}', row 4: merged cells C4:C6: the value counts" in out
    assert "cell formatted as a percentage read as 81.2" in out
    assert "published release 2099-01-01: 6 values added, 0 revised, 0 removed" in out

    ds = Dataset.from_release(read_release(releases / "2099-01-01"))
    rows = observations_view(ds, "NHI_COVERAGE", level="province", year=2026)
    assert rows.set_index("area_code")["value"].to_dict() == {
        "LA01": 41.5,
        "LA02": 50.0,
        "LA03": 60.0,
        "LA04": 70.0,
        "LA07": 73.6,
        "LA08": 81.2,
    }
    assert set(rows["nature"]) == {"administrative"}
    assert set(rows["source_title"]) == {"NHI coverage by province, 2026 (quarterly report Q4)"}
    assert set(rows["source_publisher"]) == {"National Health Insurance Bureau"}
    provenance = ds.release.observations
    provenance = provenance[provenance["source_id"].str.startswith("sheet_")]["provenance"]
    assert provenance.str.contains(r"workbook template\.xlsx \(sha256 [0-9a-f]{16}…\), sheet").all()


def test_workbook_mistakes_are_refused_in_lao_with_sheet_row_column_and_nothing_published(
    release, releases: Path, tmp_path: Path, capsys
) -> None:
    path = _template(release, tmp_path)
    wb = load_workbook(path)
    lists = wb[spreadsheet.LISTS_SHEET]
    data = wb[spreadsheet.DATA_SHEET]
    nhi = _entry(lists, 1, "NHI_COVERAGE")
    members = _entry(lists, 1, "NHI_MEMBERS")
    la01 = _entry(lists, 2, "LA01")
    rows = [
        (nhi, "ຫຼວງພະບາງ", 2026, 50),  # province and district share this Lao name
        ("XYZ_COVERAGE", la01, 2026, 50),  # not an indicator of the list
        (nhi, la01, 2569, 50),  # a Buddhist Era year
        (members, la01, 2026, "1,234"),  # 1234 or 1.234?
        (members, la01, 2025, "12 %"),  # a % sign on a count
        (nhi, la01, 2024, None),  # value missing
        (nhi, la01, 2023, 40),  # B8:C8 merged across columns
    ]
    for number, cells in enumerate(rows, start=2):
        for column, value in enumerate(cells, start=1):
            if value is not None:
                data.cell(row=number, column=column, value=value)
    data.merge_cells("B8:C8")
    _fill_source(wb)
    wb.save(path)

    assert publish_main([str(path), "--id", "2099-01-01"]) == 1  # Lao is the default
    err = capsys.readouterr().err
    sheet = spreadsheet.DATA_SHEET
    assert "ບໍ່ໄດ້ເຜີຍແຜ່: ມີ 7 ບັນຫາ" in err
    expected = [
        f"ແຜ່ນ '{sheet}', ແຖວ 2, ຖັນ 'ເຂດ (ແຂວງ ຫຼື ເມືອງ)': ຊື່ນີ້ເປັນຂອງຫຼາຍເຂດ (LA06, LA0601)",
        f"ແຜ່ນ '{sheet}', ແຖວ 3, ຖັນ 'ຕົວຊີ້ວັດ': ບໍ່ແມ່ນຕົວຊີ້ວັດໃນລາຍການ",
        f"ແຜ່ນ '{sheet}', ແຖວ 4, ຖັນ 'ປີ': ບໍ່ແມ່ນປີລະຫວ່າງ 1900 ແລະ 2100",
        f"ແຜ່ນ '{sheet}', ແຖວ 5, ຖັນ 'ຄ່າ': ຈຸດ (,) ກ່ອນສາມຕົວເລກບໍ່ຊັດເຈນ: ໃຫ້ຂຽນ 1234 ຫຼື 1.234",
        f"ແຜ່ນ '{sheet}', ແຖວ 6, ຖັນ 'ຄ່າ': ມີເຄື່ອງໝາຍ % ແຕ່ຕົວຊີ້ວັດນີ້ບໍ່ແມ່ນເປີເຊັນ",
        f"ແຜ່ນ '{sheet}', ແຖວ 7, ຖັນ 'ຄ່າ': ຕ້ອງໃສ່ຄ່າ",
        f"ແຜ່ນ '{sheet}', ແຖວ 8: ເຊວ B8:C8 ຖືກລວມຂ້າມຖັນ: ໃຫ້ແຍກອອກ",
    ]
    for line in expected:
        assert line in err, line
    assert release_ids(releases) == [SHIPPED_ID]


def test_workbook_value_out_of_range_is_located_in_the_sheet_by_the_one_validation(
    release, releases: Path, tmp_path: Path, capsys
) -> None:
    """The range rule lives in dashboard.loading only; its problem is mapped back to the cell."""
    path = _template(release, tmp_path)
    wb = load_workbook(path)
    lists = wb[spreadsheet.LISTS_SHEET]
    data = wb[spreadsheet.DATA_SHEET]
    for row, (area, value) in ((2, ("LA05", 40)), (4, ("LA06", 104))):  # row 3 left blank
        cells = [_entry(lists, 1, "NHI_COVERAGE"), _entry(lists, 2, area), 2026, value]
        for column, cell in enumerate(cells, start=1):
            data.cell(row=row, column=column, value=cell)
    _fill_source(wb)
    wb.save(path)
    assert publish_main([str(path), "--id", "2099-01-01", "--lang", "en"]) == 1
    err = capsys.readouterr().err
    assert "Not published: 1 problem(s)" in err
    sheet = spreadsheet.DATA_SHEET
    assert (
        f"Sheet '{sheet}', row 4, column 'Value': out of range for this indicator's unit: "
        "0.0 to 100.0 (found '104')" in err
    )
    assert release_ids(releases) == [SHIPPED_ID]


def test_workbook_through_scripts_import_gives_a_valid_draft(
    release, releases: Path, tmp_path: Path, capsys
) -> None:
    path = _template(release, tmp_path)
    wb = load_workbook(path)
    lists = wb[spreadsheet.LISTS_SHEET]
    wb[spreadsheet.DATA_SHEET].append(
        [
            _entry(lists, 1, "NSSF_INSURED_MEMBERS"),
            _entry(lists, 2, "LA"),
            2026,
            250000,
            "",
            "",
            "Q4",
        ]
    )
    _fill_source(wb)
    wb.save(path)
    draft = tmp_path / "draft"
    assert import_main(["spreadsheet", str(path), "--out", str(draft)]) == 0
    out = capsys.readouterr().out
    assert (
        "spreadsheet-nhi_coverage_by_province_2026_quarterly_report_q4: 1 rows read, 1 mapped"
        in out
    )
    assert "publishable: 1 values added" in out
    assert "read as" not in out  # the national code LA is a code, not the district named La
    assert [p.name for p in draft.glob("observations-import-*.csv")] == [
        "observations-import-spreadsheet-nhi_coverage_by_province_2026_quarterly_report_q4.csv"
    ]


def test_not_a_workbook_is_refused(releases: Path, tmp_path: Path, capsys) -> None:
    path = tmp_path / "figures.xlsx"
    path.write_text("indicator,value\n", encoding="utf-8")
    assert publish_main([str(path), "--lang", "en"]) == 1
    assert "figures.xlsx: not an .xlsx workbook" in capsys.readouterr().err


def _workbook(release, path: Path, title: str, rows: list[tuple]) -> Path:
    spreadsheet.write_template(release, path)
    wb = load_workbook(path)
    lists = wb[spreadsheet.LISTS_SHEET]
    data = wb[spreadsheet.DATA_SHEET]
    for indicator, area, year, value in rows:
        data.append([_entry(lists, 1, indicator), _entry(lists, 2, area), year, value])
    _fill_source(wb)
    source = wb[spreadsheet.SOURCE_SHEET]
    source["B2"] = title
    wb.save(path)
    return path


def test_workbooks_of_two_reports_keep_each_other_and_a_correction_replaces_its_own(
    release, releases: Path, tmp_path: Path, capsys
) -> None:
    nhi = _workbook(
        release,
        tmp_path / "nhi.xlsx",
        "NHI report 2026",
        [("NHI_COVERAGE", "LA01", 2026, 40), ("NHI_COVERAGE", "LA02", 2026, 45)],
    )
    nssf = _workbook(
        release,
        tmp_path / "nssf.xlsx",
        "NSSF report 2026",
        [("NSSF_INSURED_MEMBERS", "LA", 2026, 250000)],
    )
    assert publish_main([str(nhi), "--id", "2099-01-01", "--lang", "en"]) == 0
    assert publish_main([str(nssf), "--id", "2099-01-02", "--lang", "en"]) == 0
    assert "1 values added, 0 revised, 0 removed" in capsys.readouterr().out
    corrected = _workbook(
        release,
        tmp_path / "nhi-corrected.xlsx",
        "NHI report 2026",
        [("NHI_COVERAGE", "LA01", 2026, 41)],
    )
    assert publish_main([str(corrected), "--id", "2099-01-03", "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert (
        "Replaces or removes a published value: "
        "observations-import-spreadsheet-nhi_report_2026.csv, row 3: not in this import, so removed"
    ) in out
    assert "published release 2099-01-03: 0 values added, 1 revised, 1 removed" in out
    ds = Dataset.from_release(read_release(releases / "2099-01-03"))
    assert observations_view(ds, "NHI_COVERAGE", level="province", year=2026)["value"].tolist() == [
        41.0
    ]
    assert observations_view(ds, "NSSF_INSURED_MEMBERS", area_codes=("LA",), year=2026)[
        "value"
    ].tolist() == [250000.0]


def test_another_workbook_layout_is_refused_by_name(releases: Path, capsys) -> None:
    """The SDMX Converter input workbook (the tool the LSB used): not the officers' template."""
    from importer_samples import formats_dir

    converter = formats_dir() / "excel" / "sdmx-converter-source.xlsx"
    assert publish_main([str(converter), "--lang", "en"]) == 1
    err = capsys.readouterr().err
    assert "Not published: 1 problem(s)" in err
    assert (
        "sdmx-converter-source.xlsx, sheet 'Data': no row with the headings Indicator and Value: "
        "fill in the template (bash scripts/template)"
    ) in err
    assert release_ids(releases) == [SHIPPED_ID]


def test_template_lists_sheet_is_protected(release, tmp_path: Path) -> None:
    wb = load_workbook(_template(release, tmp_path))
    assert wb[spreadsheet.LISTS_SHEET].protection.sheet is True
    assert wb[spreadsheet.DATA_SHEET].protection.sheet is False


# ---------------------------------------------------------------- every message in Lao

#: Codes a Lao message may quote as they are: the values the workbook's lists hold.
_CODES = {"administrative", "survey", "estimate", "policy", "total", "female", "male"}
_NOT_WORDS = re.compile(
    r"'[^']*'"  # quoted: a found value, a sheet name, a save-as format
    r"|\S*\.(?:xlsx|csv|yaml)\b"  # file names and extensions
    r"|\S+=\S+"  # a row key: indicator_id=NHI_COVERAGE, …
    r"|bash scripts/\w+"  # a command
    r"|\b[A-Z][A-Za-z]*[A-Z]\w*\b"  # codes and exception names: NHI_COVERAGE, LA06, BadZipFile
)


#: A phrase of each kind of message the workbook validator gives (the cases must produce all).
_EVERY_KIND = (
    "area name read as",
    "Lao digits read as",
    "decimal comma read as a point",
    "% sign left out",
    "merged cells A3:A5",
    "cell formatted as a percentage read as",
    "this name belongs to several areas",
    "not an indicator of the list",
    "not a year between 1900 and 2100",
    "a comma before three digits is ambiguous",
    "a % sign, but the indicator is not a percentage",
    "a value is required",
    "are merged across columns",
    "not a number",
    "formatted as a percentage, but the indicator is not a percentage",
    "must be one of",
    "not an area of the list",
    "the sheet is missing",
    "out of range for this indicator's unit",
    "is already in row",
    "not an .xlsx workbook",
    "no sheet",
    "no row with the headings",
    "a column is missing",
    "not in this import, so removed",
    "a release with this id exists",
    "Not published",
    "Read as",
    "Replaces or removes a published value",
    "would publish release",
)


def _english_words(line: str) -> list[str]:
    words = re.findall(r"[A-Za-z]{2,}", _NOT_WORDS.sub(" ", line))
    return [w for w in words if w not in _CODES]


def _officer_mistakes(release, tmp_path: Path) -> dict[str, tuple[Path, list[str]]]:
    """Every kind of message the workbook validator gives: name → (workbook, extra arguments)."""
    cases: dict[str, tuple[Path, list[str]]] = {}

    def workbook(name: str, rows, edit=None, fill_source: bool = True) -> Path:
        path = spreadsheet.write_template(release, tmp_path / f"{name}.xlsx")
        wb = load_workbook(path)
        lists = wb[spreadsheet.LISTS_SHEET]
        data = wb[spreadsheet.DATA_SHEET]
        for number, cells in enumerate(rows, start=2):
            for column, value in enumerate(cells, start=1):
                if value is not None:
                    if isinstance(value, tuple):  # (list column, code): the officer picks it
                        value = _entry(lists, *value)
                    data.cell(row=number, column=column, value=value)
        if fill_source:
            _fill_source(wb)
        if edit:
            edit(wb)
        wb.save(path)
        return path

    nhi, members, la01 = (1, "NHI_COVERAGE"), (1, "NHI_MEMBERS"), (2, "LA01")

    def read_as_edits(wb) -> None:
        data = wb[spreadsheet.DATA_SHEET]
        data.merge_cells("A3:A5")
        data["D6"].number_format = "0.0%"

    cases["read"] = (
        workbook(
            "read",
            [
                (nhi, "ຫົວພັນ", "໒໐໒໖", "73,6 %"),
                (nhi, (2, "LA02"), 2026, 50),
                (None, (2, "LA03"), 2026, 60),
                (None, (2, "LA04"), 2026, 70),
                (nhi, "LA08", 2026, 0.812),
            ],
            read_as_edits,
        ),
        ["--check"],
    )

    def refused_edits(wb) -> None:
        wb[spreadsheet.DATA_SHEET].merge_cells("B8:C8")
        wb[spreadsheet.DATA_SHEET]["D11"].number_format = "0.0%"
        source = wb[spreadsheet.SOURCE_SHEET]
        for row in range(1, 10):
            label = str(source.cell(row=row, column=1).value or "")
            if label.endswith(spreadsheet.SOURCE_FIELDS["nature"]):
                source.cell(row=row, column=2, value="official")
            if label.endswith(spreadsheet.SOURCE_FIELDS["publisher"]):
                source.cell(row=row, column=2, value=None)

    cases["refused"] = (
        workbook(
            "refused",
            [
                (nhi, "ຫຼວງພະບາງ", 2026, 50),
                ("XYZ_COVERAGE", la01, 2026, 50),
                (nhi, la01, 2569, 50),
                (members, la01, 2026, "1,234"),
                (members, la01, 2025, "12 %"),
                (nhi, la01, 2024, None),
                (nhi, la01, 2023, 40),
                (nhi, la01, 2022, "abc"),
                (nhi, la01, 2021, True),
                (members, la01, 2020, 0.5),
                (nhi, la01, 2019, 5, "x"),
                (nhi, "Nowhere", 2018, 5),
            ],
            refused_edits,
        ),
        [],
    )
    cases["no-source-sheet"] = (
        workbook("nosource", [(nhi, la01, 2026, 50)], lambda wb: wb.remove(wb["ແຫຼ່ງຂໍ້ມູນ Source"])),
        [],
    )
    cases["validation"] = (
        workbook(
            "validation", [(nhi, la01, 2026, 104), (nhi, la01, 2025, 5), (nhi, la01, 2025, 6)]
        ),
        [],
    )
    not_a_workbook = tmp_path / "figures.xlsx"
    not_a_workbook.write_text("indicator,value\n", encoding="utf-8")
    cases["not-a-workbook"] = (not_a_workbook, [])
    cases["no-data-sheet"] = (
        workbook("nodata", [], lambda wb: setattr(wb[spreadsheet.DATA_SHEET], "title", "Other")),
        [],
    )
    cases["no-headings"] = (
        workbook("noheadings", [], lambda wb: wb[spreadsheet.DATA_SHEET].delete_rows(1)),
        [],
    )
    cases["column-missing"] = (
        workbook("nocolumn", [], lambda wb: wb[spreadsheet.DATA_SHEET].delete_cols(3)),
        [],
    )
    return cases


def test_every_workbook_message_has_a_lao_text(release, releases: Path, tmp_path: Path, capsys):
    """The officer-mistakes workbooks in Lao and in English: the same messages, and no Lao line
    that is its English one or keeps English words beyond codes, file names and found values."""
    cases = _officer_mistakes(release, tmp_path)
    first = _workbook(
        release, tmp_path / "nhi.xlsx", "NHI report 2026", [("NHI_COVERAGE", "LA01", 2026, 40)]
    )
    assert publish_main([str(first), "--id", "2099-01-01", "--lang", "en"]) == 0
    capsys.readouterr()
    cases["replaces"] = (  # the same report again: a revised value and one removed
        _workbook(
            release, tmp_path / "nhi2.xlsx", "NHI report 2026", [("NHI_COVERAGE", "LA02", 2026, 41)]
        ),
        ["--check", "--id", "2099-01-02"],
    )
    seen = set()
    for name, (path, extra) in cases.items():
        said = {}
        for lang in ("en", "lo"):
            publish_main([str(path), "--lang", lang, *extra])
            captured = capsys.readouterr()
            said[lang] = [line.strip() for line in (captured.out + captured.err).splitlines()]
        assert len(said["lo"]) == len(said["en"]) > 0, name
        for english, lao in zip(said["en"], said["lo"], strict=True):
            assert lao != english or not _english_words(english), (name, lao)
            assert not _english_words(lao), (name, lao)
            seen.add(english)
    assert release_ids(releases) == [SHIPPED_ID, "2099-01-01"]  # nothing else was published
    said_in_english = "\n".join(sorted(seen))
    for kind in _EVERY_KIND:
        assert kind in said_in_english, kind  # each kind of message was produced and compared
