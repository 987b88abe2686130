"""Officers' workbooks: a bilingual data-entry template, and reading it back into the tables.

`scripts/template` writes an .xlsx with Lao and English headings, an instruction sheet in Lao,
drop-down lists (indicators, areas with their P-codes, years, sex, urban/rural, nature) and a
number check. `scripts/publish filled.xlsx` reads it back here — the workbook becomes the same
tables as any import and goes through the same validation — and reports every problem with
sheet, row, column and rule in the reader's language.

What a workbook typed by hand often holds, and what happens to it:
- Lao digits (໐–໙) in a number or year: read as 0–9, and reported as read.
- A decimal comma ("73,6") or a % sign on a percentage ("73,6 %"): read as 73.6, and reported.
  A comma followed by exactly three digits ("1,234") is ambiguous and refused; a % sign on an
  indicator that is not a percentage is refused.
- A cell formatted as a percentage in a percentage indicator (0.736 shown as 73.6 %): read as
  73.6, and reported.
- A province or district typed by its official name instead of picked from the list: read as
  its P-code when exactly one area has that name, and reported; a name of several areas
  (a district name used in two provinces) or an unknown name is refused.
- Cells merged down one column (one indicator or year for several rows): the value counts for
  each row, and this is reported. Cells merged across columns are refused.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from dashboard.i18n import N_, translator
from dashboard.importers.mapping import ImportResult, now_utc, plain_number, slug, source_row
from dashboard.schema import NATURES

CHANNEL = "spreadsheet"
DATA_SHEET = "ຂໍ້ມູນ Data"
SOURCE_SHEET = "ແຫຼ່ງຂໍ້ມູນ Source"
LISTS_SHEET = "ລາຍການ Lists"
INSTRUCTIONS_SHEET = "ຄຳແນະນຳ Instructions"
DATA_ROWS = 1000
FIRST_YEAR, LAST_YEAR = 1990, 2035
ENTRY_SEPARATOR = " — "

#: Data columns: key → heading (English msgid; the template shows Lao over English).
COLUMNS = {
    "indicator": N_("Indicator"),
    "area": N_("Area (province or district)"),
    "year": N_("Year"),
    "value": N_("Value"),
    "sex": N_("Sex"),
    "urban_rural": N_("Urban or rural"),
    "note": N_("Note"),
}
REQUIRED = ("indicator", "area", "year", "value")
#: Source sheet: key → label; the answer goes in column B of the same row.
SOURCE_FIELDS = {
    "publisher": N_("Publisher (ministry, department or programme)"),
    "title": N_("Title of the report or dataset"),
    "year": N_("Year of publication"),
    "url": N_("Link or reference of the document"),
    "licence": N_("Licence or terms of use"),
    "nature": N_("Nature of the values"),
    "contact": N_("Contact person"),
}
INSTRUCTIONS = (
    N_("How to fill in this workbook"),
    N_("1. On the sheet 'Source', say who published the figures and in which document."),
    N_("2. On the sheet 'Data', enter one value per row: indicator, area, year and value."),
    N_("3. Choose the indicator, the area and the year from the drop-down lists."),
    N_("4. Type the value as a plain number with a decimal point, for example 73.6, "
       "without units or % sign."),
    N_("5. Leave sex and urban or rural blank for a total."),
    N_("6. Do not merge cells and do not add columns."),
    N_("7. Send the saved workbook to the dashboard team; it is checked before publication and "
       "every problem is reported with its sheet, row and column."),
)  # fmt: skip
WORKBOOK_TITLE = N_("NSPS dashboard: data entry")

SEXES = ("total", "female", "male")
URBAN_RURAL = ("total", "urban", "rural")
ENTERED_NATURES = tuple(n for n in NATURES if n != "illustrative")
_LAO_DIGITS = str.maketrans("໐໑໒໓໔໕໖໗໘໙", "0123456789")


class WorkbookError(ValueError):
    """A file that is not a filled template (not a workbook, no data sheet, no headings).

    `rule` is an English msgid with {placeholders}: `render(lang)` says it in the reader's
    language; `str()` is the English text (logs, `scripts/import`)."""

    def __init__(self, rule: str, **fmt: object) -> None:
        self.rule, self.fmt = rule, fmt
        super().__init__(self.render("en"))

    def render(self, lang: str) -> str:
        return translator(lang)(self.rule, **_in_language(self.fmt, lang))


def _in_language(fmt: dict, lang: str) -> dict:
    """Placeholder values; a value given as {lang: text} (an area's name) in the reader's one."""
    return {
        k: (v.get(lang) or v.get("en", "")) if isinstance(v, dict) else v for k, v in fmt.items()
    }


# ---------------------------------------------------------------- problems in two languages


@dataclass(frozen=True)
class SheetProblem:
    """One problem or one reading made in a workbook cell; rendered in the reader's language."""

    sheet: str
    row: int | None
    column: str | None  # a key of COLUMNS or SOURCE_FIELDS
    rule: str  # English msgid with {placeholders}
    fmt: dict = field(default_factory=dict)  # a value may be {lang: text}, e.g. an area's name
    value: str = ""

    def render(self, lang: str) -> str:
        _ = translator(lang)
        heading = COLUMNS.get(self.column or "") or SOURCE_FIELDS.get(self.column or "")
        rule = _(self.rule, **_in_language(self.fmt, lang))
        found = _("found")
        shown = f" ({found} {self.value!r})" if self.value else ""
        if self.row is None:
            return _("Sheet '{sheet}': {rule}", sheet=self.sheet, rule=rule) + shown
        if heading is None:
            return (
                _("Sheet '{sheet}', row {row}: {rule}", sheet=self.sheet, row=self.row, rule=rule)
                + shown
            )
        return (
            _(
                "Sheet '{sheet}', row {row}, column '{column}': {rule}",
                sheet=self.sheet,
                row=self.row,
                column=_(heading),
                rule=rule,
            )
            + shown
        )


@dataclass
class WorkbookReading:
    """What a workbook held: the import, its problems and readings, and each value's sheet row."""

    result: ImportResult
    problems: list[SheetProblem] = field(default_factory=list)
    readings: list[SheetProblem] = field(default_factory=list)  # normalised, reported
    rows: list[int] = field(default_factory=list)  # sheet row of each observation, in order


# ---------------------------------------------------------------- the template


def _entry(code: str, label: str) -> str:
    return f"{code}{ENTRY_SEPARATOR}{label}" if label else code


def _lists(release) -> dict[str, list[str]]:
    lo = translator("lo")
    indicators = release.indicators[release.indicators["nature"] != "illustrative"]
    areas = release.areas
    return {
        "indicator": [
            _entry(i, row["name_lo"] or row["name_en"]) for i, row in indicators.iterrows()
        ],
        "area": [
            _entry(code, f"{row['name_lo']} / {row['name_en']}") for code, row in areas.iterrows()
        ],
        "year": [str(y) for y in range(FIRST_YEAR, LAST_YEAR + 1)],
        "sex": [_entry(s, lo(s)) for s in SEXES],
        "urban_rural": [_entry(u, lo(u)) for u in URBAN_RURAL],
        "nature": [_entry(n, lo(n)) for n in ENTERED_NATURES],
    }


def _heading(msgid: str) -> str:
    return f"{translator('lo')(msgid)}\n{msgid}"


def write_template(release, path: Path) -> Path:
    """The data-entry workbook for `release` (its indicators and areas in the lists)."""
    lo = translator("lo")
    wb = Workbook()
    bold = Font(bold=True)
    wrap = Alignment(wrap_text=True, vertical="top")
    fill = PatternFill("solid", fgColor="DDEBF7")

    intro = wb.active
    intro.title = INSTRUCTIONS_SHEET
    intro["A1"] = lo(WORKBOOK_TITLE)
    intro["A1"].font = Font(bold=True, size=14)
    for number, line in enumerate(INSTRUCTIONS, start=2):
        intro.cell(row=number, column=1, value=lo(line)).alignment = wrap
    english = len(INSTRUCTIONS) + 3
    intro.cell(row=english, column=1, value=WORKBOOK_TITLE).font = bold
    for number, line in enumerate(INSTRUCTIONS, start=english + 1):
        intro.cell(row=number, column=1, value=line).alignment = wrap
    intro.column_dimensions["A"].width = 110

    lists = wb.create_sheet(LISTS_SHEET)
    ranges = {}
    for column, (key, entries) in enumerate(_lists(release).items(), start=1):
        letter = get_column_letter(column)
        lists.cell(row=1, column=column, value=_heading(COLUMNS.get(key) or SOURCE_FIELDS[key]))
        lists.cell(row=1, column=column).font = bold
        for number, entry in enumerate(entries, start=2):
            lists.cell(row=number, column=column, value=entry)
        ranges[key] = f"'{LISTS_SHEET}'!${letter}$2:${letter}${len(entries) + 1}"
        lists.column_dimensions[letter].width = 45
    lists.protection.sheet = True  # the drop-down lists read it: officers look, never edit

    data = wb.create_sheet(DATA_SHEET, 0)
    for column, (key, msgid) in enumerate(COLUMNS.items(), start=1):
        cell = data.cell(row=1, column=column, value=_heading(msgid))
        cell.font, cell.alignment, cell.fill = bold, wrap, fill
        data.column_dimensions[get_column_letter(column)].width = (
            48 if key in ("indicator", "area") else 18
        )
    data.row_dimensions[1].height = 36
    data.freeze_panes = "A2"
    letters = {key: get_column_letter(i) for i, key in enumerate(COLUMNS, start=1)}
    last = DATA_ROWS + 1
    pick = lo(N_("Choose from the list")) + " / Choose from the list"
    for key in ("indicator", "area", "year", "sex", "urban_rural"):
        rule = DataValidation(type="list", formula1=f"={ranges[key]}", allow_blank=True)
        rule.error, rule.errorTitle, rule.showErrorMessage = pick, _heading(COLUMNS[key])[:32], True
        rule.add(f"{letters[key]}2:{letters[key]}{last}")
        data.add_data_validation(rule)
    number = DataValidation(
        type="decimal", operator="between", formula1="-1000000000000", formula2="1000000000000000"
    )
    number.errorStyle = "warning"
    number.error = lo(N_("Type a plain number with a decimal point, without units")) + (
        " / Type a plain number with a decimal point, without units"
    )
    number.showErrorMessage = True
    number.add(f"{letters['value']}2:{letters['value']}{last}")
    data.add_data_validation(number)

    source = wb.create_sheet(SOURCE_SHEET, 1)
    for row, (key, msgid) in enumerate(SOURCE_FIELDS.items(), start=1):
        cell = source.cell(row=row, column=1, value=_heading(msgid))
        cell.font, cell.alignment, cell.fill = bold, wrap, fill
        source.row_dimensions[row].height = 36
        if key == "nature":
            rule = DataValidation(type="list", formula1=f"={ranges['nature']}", allow_blank=True)
            rule.add(f"B{row}")
            source.add_data_validation(rule)
    source.column_dimensions["A"].width = 50
    source.column_dimensions["B"].width = 70
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path


# ---------------------------------------------------------------- reading a filled workbook


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return re.sub(r"\s+", " ", str(value)).strip()


def _fold(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().casefold()


def _code_of(text: str) -> str:
    return text.split(ENTRY_SEPARATOR, 1)[0].strip()


def _find_sheet(wb, name: str, english: str):
    for sheet in wb.worksheets:
        if sheet.title == name or english.casefold() in sheet.title.casefold():
            return sheet
    return None


def _header(sheet, file: str) -> tuple[int, dict[str, int]]:
    """Header row and column of each known heading (Lao or English line of the heading)."""
    lo = translator("lo")
    names = {}
    for key, msgid in COLUMNS.items():
        names[_fold(msgid)] = key
        names[_fold(lo(msgid))] = key
        names[_fold(_heading(msgid))] = key
    for row in range(1, 11):
        found = {}
        for cell in sheet[row]:
            text = str(cell.value or "")
            for line in [text, *text.splitlines()]:
                key = names.get(_fold(line))
                if key and key not in found:
                    found[key] = cell.column
        if "indicator" in found and "value" in found:
            missing = [k for k in REQUIRED if k not in found]
            if missing:
                raise WorkbookError(
                    N_("{file}, sheet '{sheet}', row {row}: a column is missing: {columns}"),
                    file=file,
                    sheet=sheet.title,
                    row=row,
                    columns={
                        "en": ", ".join(COLUMNS[k] for k in missing),
                        "lo": ", ".join(lo(COLUMNS[k]) for k in missing),
                    },
                )
            return row, found
    raise WorkbookError(
        N_(
            "{file}, sheet '{sheet}': no row with the headings Indicator and Value: "
            "fill in the template ({command})"
        ),
        file=file,
        sheet=sheet.title,
        command="bash scripts/template",
    )


class _Reader:
    def __init__(self, release, path: Path):
        self.release = release
        self.path = Path(path)
        self.indicators = release.indicators
        self.areas = release.areas
        names: dict[str, list[str]] = {}
        for code, row in self.areas.iterrows():
            for name in {row["name_en"], row["name_lo"]}:
                if name:
                    names.setdefault(_fold(name), []).append(code)
        self.area_names = names
        self.reading = WorkbookReading(ImportResult(CHANNEL))

    def problem(self, sheet, row, column, rule, value="", **fmt) -> None:
        self.reading.problems.append(SheetProblem(sheet, row, column, rule, fmt, _text(value)))

    def read_as(self, sheet, row, column, rule, value="", **fmt) -> None:
        self.reading.readings.append(SheetProblem(sheet, row, column, rule, fmt, _text(value)))

    # -------------------------------------------------------------- cells

    def number(self, cell, unit_kind: str, sheet: str, row: int, column: str) -> str | None:
        raw = cell.value
        if isinstance(raw, bool):
            self.problem(sheet, row, column, N_("not a number"), raw)
            return None
        if isinstance(raw, (int, float)):
            value = float(raw)
            if "%" in (cell.number_format or ""):
                if unit_kind != "percent":
                    self.problem(
                        sheet,
                        row,
                        column,
                        N_("formatted as a percentage, but the indicator is not a percentage"),
                        raw,
                    )
                    return None
                shown = plain_number(round(value * 100, 10))
                self.read_as(
                    sheet,
                    row,
                    column,
                    N_("cell formatted as a percentage read as {number}"),
                    raw,
                    number=shown,
                )
                return shown
            return plain_number(value)
        text = _text(raw)
        original = text
        ascii_digits = text.translate(_LAO_DIGITS)
        if ascii_digits != text:
            text = ascii_digits
            self.read_as(
                sheet, row, column, N_("Lao digits read as {number}"), original, number=text
            )
        if "%" in text:
            if unit_kind != "percent":
                self.problem(
                    sheet,
                    row,
                    column,
                    N_("a % sign, but the indicator is not a percentage"),
                    original,
                )
                return None
            text = text.replace("%", "").strip()
            self.read_as(
                sheet, row, column, N_("% sign left out: the indicator is a percentage"), original
            )
        text = text.replace("\u00a0", " ").strip()
        if re.fullmatch(r"[-+]?\d+,\d+", text):
            if len(text.split(",")[1]) == 3:
                self.problem(
                    sheet,
                    row,
                    column,
                    N_("a comma before three digits is ambiguous: write {thousands} or {decimal}"),
                    original,
                    thousands=text.replace(",", ""),
                    decimal=text.replace(",", "."),
                )
                return None
            text = text.replace(",", ".")
            self.read_as(
                sheet,
                row,
                column,
                N_("decimal comma read as a point: {number}"),
                original,
                number=text,
            )
        value = plain_number(text) if re.fullmatch(r"[-+]?(\d+(\.\d*)?|\.\d+)", text) else None
        if value is None:
            self.problem(
                sheet,
                row,
                column,
                N_("not a number: type digits with a decimal point, without units or spaces"),
                original,
            )
        return value

    def year(self, cell, sheet: str, row: int) -> str | None:
        text = _text(cell.value)
        ascii_digits = text.translate(_LAO_DIGITS)
        if ascii_digits != text:
            self.read_as(
                sheet, row, "year", N_("Lao digits read as {number}"), text, number=ascii_digits
            )
        if not re.fullmatch(r"\d{4}", ascii_digits) or not 1900 <= int(ascii_digits) <= 2100:
            rule = N_("not a year between 1900 and 2100 (a Buddhist Era year? subtract 543)")
            self.problem(sheet, row, "year", rule, text)
            return None
        return ascii_digits

    def area(self, text: str, sheet: str, row: int) -> str | None:
        code = _code_of(text)
        found = re.match(r"(LA(\d{2}(\d{2})?)?)(\s|$)", code)  # "LA", "LA06", "LA06 Louang…"
        if found and found.group(1) in self.areas.index:
            return found.group(1)
        matches = self.area_names.get(_fold(code), [])
        if len(matches) == 1:
            area = self.areas.loc[matches[0]]
            name = {"en": area["name_en"], "lo": area["name_lo"] or area["name_en"]}
            self.read_as(
                sheet,
                row,
                "area",
                N_("area name read as {code} ({name})"),
                text,
                code=matches[0],
                name=name,
            )
            return matches[0]
        if matches:
            self.problem(
                sheet,
                row,
                "area",
                N_("this name belongs to several areas ({codes}): choose the area from the list"),
                text,
                codes=", ".join(matches),
            )
        else:
            self.problem(
                sheet,
                row,
                "area",
                N_("not an area of the list: choose it from the drop-down list"),
                text,
            )
        return None

    def choice(self, text: str, allowed: tuple[str, ...], sheet, row, column) -> str | None:
        if not text:
            return "total"
        code = _code_of(text)
        lo = translator("lo")
        for option in allowed:
            if _fold(code) in (option, _fold(lo(option))):
                return option
        self.problem(
            sheet, row, column, N_("must be one of: {choices}"), text, choices=", ".join(allowed)
        )
        return None

    # -------------------------------------------------------------- sheets

    def source(self, wb) -> tuple[dict[str, str], str]:
        sheet = _find_sheet(wb, SOURCE_SHEET, "Source")
        answers: dict[str, str] = {}
        if sheet is None:
            self.problem(SOURCE_SHEET, None, None, N_("the sheet is missing: use the template"))
            return answers, ""
        lo = translator("lo")
        labels = {}
        for key, msgid in SOURCE_FIELDS.items():
            for name in (msgid, lo(msgid), _heading(msgid)):
                labels[_fold(name)] = key
        for row in sheet.iter_rows(min_row=1, max_row=30):
            label = str(row[0].value or "")
            key = next(
                (labels[_fold(x)] for x in [label, *label.splitlines()] if _fold(x) in labels), None
            )
            if key and len(row) > 1:
                answers[key] = _text(row[1].value)
                if key in ("publisher", "title") and not answers[key]:
                    self.problem(sheet.title, row[0].row, key, N_("a value is required"))
        for key in ("publisher", "title"):
            if key not in answers:
                self.problem(sheet.title, None, key, N_("a value is required"))
        nature = _code_of(answers.get("nature", ""))
        if nature and nature not in ENTERED_NATURES:
            self.problem(
                sheet.title,
                None,
                "nature",
                N_("must be one of: {choices}"),
                nature,
                choices=", ".join(ENTERED_NATURES),
            )
        return answers, nature

    def data(self, wb, answers: dict[str, str], nature: str) -> None:
        sheet = _find_sheet(wb, DATA_SHEET, "Data")
        if sheet is None:
            raise WorkbookError(
                N_("{file}: no sheet '{sheet}': use the template"),
                file=self.path.name,
                sheet=DATA_SHEET,
            )
        header_row, columns = _header(sheet, self.path.name)
        merged_down: dict[tuple[int, int], object] = {}  # (row, column) → the merge's top cell
        across: set[int] = set()
        for merged in list(sheet.merged_cells.ranges):
            if merged.max_row <= header_row:
                continue
            if merged.min_col != merged.max_col:
                for row in range(max(merged.min_row, header_row + 1), merged.max_row + 1):
                    across.add(row)
                    self.problem(
                        sheet.title,
                        row,
                        None,
                        N_("cells {cells} are merged across columns: unmerge them"),
                        cells=merged.coord,
                    )
                continue
            top = sheet.cell(row=merged.min_row, column=merged.min_col)
            for row in range(merged.min_row, merged.max_row + 1):
                merged_down[(row, merged.min_col)] = top
            self.read_as(
                sheet.title,
                merged.min_row,
                None,
                N_("merged cells {cells}: the value counts for each of their rows"),
                cells=merged.coord,
            )
        digest = hashlib.sha256(self.path.read_bytes()).hexdigest()[:16]
        retrieved = now_utc()
        stamp = retrieved.isoformat().replace("+00:00", "Z")
        source_id = "sheet_" + slug(answers.get("title") or self.path.stem)[:50]
        result = self.reading.result
        # One channel per report: a corrected workbook replaces its own earlier values only.
        result.channel = f"{CHANNEL}-{source_id.removeprefix('sheet_')}"
        for cells in sheet.iter_rows(min_row=header_row + 1, max_row=sheet.max_row):
            row = cells[0].row
            cell = {
                key: merged_down.get((row, column)) or sheet.cell(row=row, column=column)
                for key, column in columns.items()
            }
            texts = {key: _text(c.value) for key, c in cell.items()}
            own = [texts[k] for k, column in columns.items() if (row, column) not in merged_down]
            if not any(own):
                continue
            result.read += 1
            if row in across:
                continue
            before = len(self.reading.problems)
            for key in REQUIRED:
                if not texts[key]:
                    self.problem(sheet.title, row, key, N_("a value is required"))
            if len(self.reading.problems) > before:
                continue
            indicator = _code_of(texts["indicator"])
            if (
                indicator not in self.indicators.index
                or self.indicators.at[indicator, "nature"] == "illustrative"
            ):
                self.problem(
                    sheet.title,
                    row,
                    "indicator",
                    N_("not an indicator of the list: choose it from the drop-down list"),
                    texts["indicator"],
                )
                continue
            unit_kind = self.indicators.at[indicator, "unit_kind"]
            area = self.area(texts["area"], sheet.title, row)
            year = self.year(cell["year"], sheet.title, row)
            value = self.number(cell["value"], unit_kind, sheet.title, row, "value")
            sex = self.choice(texts.get("sex", ""), SEXES, sheet.title, row, "sex")
            urban = self.choice(
                texts.get("urban_rural", ""), URBAN_RURAL, sheet.title, row, "urban_rural"
            )
            if None in (area, year, value, sex, urban):
                continue
            result.observations.append(
                {
                    "indicator_id": indicator,
                    "area_code": area,
                    "year": year,
                    "value": value,
                    "sex": sex,
                    "urban_rural": urban,
                    "nature": nature or self.indicators.at[indicator, "nature"],
                    "source_id": source_id,
                    "note": texts.get("note", ""),
                    "age": "total",
                    "provenance": f"workbook {self.path.name} (sha256 {digest}…), sheet "
                    f"'{sheet.title}', row {row}, read {stamp}",
                }
            )
            self.reading.rows.append(row)
        result.sources[source_id] = source_row(
            source_id,
            publisher=answers.get("publisher", ""),
            title=answers.get("title", ""),
            url=answers.get("url") or f"workbook {self.path.name}",
            retrieved=retrieved,
            provenance=f"workbook {self.path.name} (sha256 {digest}…) read {stamp}"
            + (f"; contact: {answers['contact']}" if answers.get("contact") else ""),
            licence=answers.get("licence") or "not stated",
            year=answers.get("year", "") if re.fullmatch(r"\d{4}", answers.get("year", "")) else "",
        )


def read_workbook(path: Path, release) -> WorkbookReading:
    """Every value of a filled template, with every problem and every reading made."""
    path = Path(path)
    try:
        wb = load_workbook(path, data_only=True)
    except Exception as exc:  # openpyxl raises several kinds for a file that is not a workbook
        raise WorkbookError(
            N_("{file}: not an .xlsx workbook ({kind}); save it as '{format}'"),
            file=path.name,
            kind=exc.__class__.__name__,
            format="Excel Workbook (.xlsx)",
        ) from None
    reader = _Reader(release, path)
    answers, nature = reader.source(wb)
    reader.data(wb, answers, nature)
    reading = reader.reading
    for problem in reading.problems:
        reading.result.reject(problem.sheet, problem.row, problem.render("en"), problem.value)
    reading.result.notices += [f"read as: {r.render('en')}" for r in reading.readings]
    return reading


def import_workbook(path: Path, release) -> ImportResult:
    """For `scripts/import spreadsheet`: the workbook as an import (problems as rejected rows)."""
    return read_workbook(path, release).result


# ---------------------------------------------------------------- publishing a workbook

#: Release columns of the workbook's observations → the workbook column they came from.
_FROM_COLUMN = {
    "indicator_id": "indicator",
    "area_code": "area",
    "year": "year",
    "value": "value",
    "sex": "sex",
    "urban_rural": "urban_rural",
    "note": "note",
}
#: A rule of the publication's validation, said in English when it has no Lao text of its own.
REFUSED_BY_VALIDATION = N_("refused by the publication check ({where}): {rule}")
_ID_TAKEN = N_("a release with this id exists; releases are never overwritten (choose a new id)")
_ID_EARLIER = re.compile(
    r"must be later than the newest release (\S+) \(servers serve the newest\)"
)
_RANGE_RULE = re.compile(r"out of range for unit kind '(\w+)' \((.+) to (.+)\)")
_DUPLICATE_RULE = re.compile(r"duplicate key .*first given in (\S+) row (\d+)")


def _sheet_problem(problem, rows: list[int], observations_file: str) -> SheetProblem | None:
    """A validation problem in the workbook's own values, located in the workbook."""
    if problem.file != observations_file or problem.row is None:
        return None
    row = rows[problem.row - 2]
    column = _FROM_COLUMN.get(problem.column or "")
    ranged = _RANGE_RULE.fullmatch(problem.rule)
    duplicate = _DUPLICATE_RULE.match(problem.rule)
    if ranged:
        low, high = ranged.group(2), ranged.group(3)
        rule, fmt = (
            N_("out of range for this indicator's unit: {low} to {high}"),
            {"low": low, "high": high},
        )
    elif duplicate:  # within the workbook: the draft replaces other files' rows of that key
        first = rows[int(duplicate.group(2)) - 2]
        rule, fmt = (
            N_("the same indicator, area, year, sex and urban or rural is already in row {first}"),
            {"first": first},
        )
    else:
        rule, fmt = _publication_rule(problem)
    return SheetProblem(DATA_SHEET, row, column, rule, fmt, problem.value or "")


def _publication_rule(problem) -> tuple[str, dict]:
    """A rule of the publication (the release id) in the officer's language; any other rule of
    the one validation, which the workbook reader does not check itself, is named as such."""
    if problem.rule == _ID_TAKEN:
        return _ID_TAKEN, {}
    later = _ID_EARLIER.fullmatch(problem.rule)
    if later:
        return N_("must be later than the newest release {newest} (servers serve the newest)"), {
            "newest": later.group(1)
        }
    lo = translator("lo")
    return REFUSED_BY_VALIDATION, {
        "rule": {"en": problem.rule, "lo": lo(problem.rule)},
        "where": problem.file,
    }


def publish_workbook(
    path: Path,
    releases_dir: Path,
    *,
    release_id: str | None,
    title: str | None,
    notes,
    dry_run: bool,
    lang: str,
    base: Path | None = None,
) -> int:
    """`scripts/publish filled.xlsx`: workbook → tables → the one validation → a release.

    Nothing is published while the workbook has any problem; each is printed with sheet, row,
    column and rule in `lang`, and so is every value that was read as something else.
    """
    import sys
    import tempfile

    from dashboard.config import Settings
    from dashboard.importers.draft import channel_file, write_draft
    from dashboard.importers.run import live_release
    from dashboard.loading import PublicationError, read_release
    from dashboard.publish import publish

    _ = translator(lang)
    base = base or live_release(Settings.from_env())
    release = read_release(base)
    try:
        reading = read_workbook(path, release)
    except WorkbookError as exc:
        print(_("Not published: {count} problem(s)", count=1), file=sys.stderr)
        print(f"  {exc.render(lang)}", file=sys.stderr)
        return 1
    for note in reading.readings:
        print(_("Read as: {reading}", reading=note.render(lang)))
    problems = [p.render(lang) for p in reading.problems]
    if not problems:
        with tempfile.TemporaryDirectory(prefix="nsps-workbook-") as work:
            draft = Path(work) / "draft"
            written = write_draft(
                reading.result,
                base,
                draft,
                title=title or f"Workbook {Path(path).name}",
                notes=list(notes) + [f"from workbook {Path(path).name}"],
            )
            for change in written.superseded + written.dropped:
                what = _(change.rule, **change.fmt())
                print(_("Replaces or removes a published value: {what}", what=what))
            observations = channel_file("observations", reading.result.channel)
            try:
                published = publish(
                    draft, releases_dir, release_id=release_id, title=title, dry_run=dry_run
                )
            except PublicationError as exc:
                for problem in exc.problems:
                    located = _sheet_problem(problem, reading.rows, observations)
                    if located is None:  # not in the workbook's values: the release id
                        rule, fmt = _publication_rule(problem)
                        found = f" ({_('found')} {problem.value!r})" if problem.value else ""
                        problems.append(_(rule, **_in_language(fmt, lang)) + found)
                    else:
                        problems.append(located.render(lang))
    if problems:
        print(_("Not published: {count} problem(s)", count=len(problems)), file=sys.stderr)
        for line in problems:
            print(f"  {line}", file=sys.stderr)
        return 1
    c = published.counts
    message = (
        N_(
            "would publish release {release}: {added} values added, {revised} revised, "
            "{removed} removed"
        )
        if dry_run
        else N_(
            "published release {release}: {added} values added, {revised} revised, "
            "{removed} removed"
        )
    )
    print(
        _(
            message,
            release=published.release_id,
            added=c.added,
            revised=c.revised,
            removed=c.removed,
        )
    )
    return 0
