"""Open SDG: the indicator CSVs of an Open SDG data repository (the Lao Statistics Bureau's).

Reads one indicator file, a folder of them, or a Git checkout of an Open SDG data repository
(its built `untranslated/`, `en/` or `lo/` data). Columns are recognised by their SDMX concept or
their English or Lao heading; `SERIES` and `UNIT_MEASURE` (or `Series`/`Units`) are mapped to an
indicator through `data/channels/opensdg_mapping.csv`; `GeoCode` to a P-code through
`data/channels/area_crosswalk.csv` (blank = national); sex, urban/rural and age become the
release's dimension columns. A value broken down by any other dimension (income quintile,
education, economic activity…) is rejected and listed: the release has no column for it.
"""

from __future__ import annotations

import csv
import html
import json
import re
import subprocess
from pathlib import Path

from dashboard.importers.mapping import (
    CHANNELS_DIR,
    ImportResult,
    IndicatorMap,
    add_catalogue_entry,
    now_utc,
    observation,
    plain_number,
    read_area_codes,
    read_codes,
    read_mapping,
    slug,
    source_row,
)

CHANNEL = "opensdg"
MAPPING_FILE = CHANNELS_DIR / "opensdg_mapping.csv"
CODES_FILE = CHANNELS_DIR / "opensdg_codes.csv"
AREAS_FILE = CHANNELS_DIR / "area_crosswalk.csv"
KEY_COLUMNS = ("series", "unit")
#: Built data folders of an Open SDG repository, the code-based one first (codes are stable).
BUILDS = ("untranslated/data", "en/data", "lo/data", "data")

#: Column headings → SDMX concept (English build, Lao build, Open SDG templates, SDMX names).
HEADINGS = {
    "Year": "YEAR",
    "SERIES": "SERIES",
    "Series": "SERIES",
    "UNIT_MEASURE": "UNIT_MEASURE",
    "Units": "UNIT_MEASURE",
    "GeoCode": "GEOCODE",
    "Value": "VALUE",
    "REF_AREA": "REF_AREA",
    "Reference area": "REF_AREA",
    "ເຂດອ້າງອີງ": "REF_AREA",
    "SEX": "SEX",
    "Sex": "SEX",
    "ເພດ": "SEX",
    "AGE": "AGE",
    "Age": "AGE",
    "ອາຍຸ": "AGE",
    "URBANISATION": "URBANISATION",
    "Degree of urbanisation": "URBANISATION",
    "ລະດັບການເມືອງ": "URBANISATION",
}
SEX = {"_T": "total", "M": "male", "F": "female"}
URBANISATION = {"_T": "total", "U": "urban", "R": "rural"}


def _space(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def indicator_files(path: Path) -> list[Path]:
    """The indicator CSVs a path stands for: a file, a folder of CSVs, or a repository."""
    path = Path(path)
    if path.is_file():
        return [path]
    if not path.is_dir():
        raise FileNotFoundError(f"{path}: no such file or folder")
    for build in BUILDS:
        found = sorted((path / build).glob("*.csv"))
        if found:
            return found
    found = sorted(path.glob("*.csv"))
    if not found:
        raise FileNotFoundError(f"{path}: no Open SDG indicator CSV files found")
    return found


def git_location(path: Path) -> str:
    """Where a file of a Git checkout is, pinned to its commit, else '' outside a checkout.

    The file's web address at that commit for a GitHub remote (what a reader can open), else
    `<remote>@<commit>:<path>`. Credentials inside a remote URL are never copied.
    """

    def git(*args: str) -> str:
        run = subprocess.run(
            ["git", "-C", str(path.parent), *args], capture_output=True, text=True, check=False
        )
        return run.stdout.strip() if run.returncode == 0 else ""

    commit = git("rev-parse", "HEAD")
    if not commit:
        return ""
    inside = git("rev-parse", "--show-prefix") + path.name
    remote = git("config", "--get", "remote.origin.url") or git("rev-parse", "--show-toplevel")
    remote = re.sub(r"//[^/@]+@", "//", remote)  # https://user:token@host/… → https://host/…
    github = re.fullmatch(
        r"(?:https://github\.com/|git@github\.com:)([^/]+/[^/]+?)(?:\.git)?/?", remote
    )
    if github:
        return f"https://github.com/{github.group(1)}/blob/{commit}/{inside}"
    return f"{remote}@{commit}:{inside}"


def _meta(path: Path) -> dict:
    """The indicator's metadata JSON beside the data (`<build>/meta/<id>.json`, else English)."""
    for folder in (path.parent.parent / "meta", path.parent.parent.parent / "en" / "meta"):
        candidate = folder / f"{path.stem}.json"
        if candidate.is_file():
            try:
                return json.loads(candidate.read_text(encoding="utf-8"))
            except ValueError:
                return {}
    return {}


def _text(value: object) -> str:
    """Metadata HTML as one line of plain text (images and tags removed)."""
    text = re.sub(r"<img[^>]*>", "", str(value or ""))
    return _space(html.unescape(re.sub(r"<[^>]+>", " ", text)))


def _first_sentences(text: str, limit: int = 300) -> str:
    text = re.sub(r"^Definition:\s*", "", text)
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(". ", 1)[0]
    return cut + "."


def _code(lists: dict[str, dict[str, str]], concept: str, value: str) -> str | None:
    if value == "":
        return "_T"
    return lists.get(concept, {}).get(value)


def import_opensdg(
    path: Path,
    *,
    mapping_file: Path = MAPPING_FILE,
    codes_file: Path = CODES_FILE,
    areas_file: Path = AREAS_FILE,
) -> ImportResult:
    mappings = read_mapping(mapping_file, KEY_COLUMNS)
    codes = read_codes(codes_file)
    geo = read_area_codes(areas_file, CHANNEL)
    result = ImportResult(CHANNEL)
    retrieved = now_utc()
    for file in indicator_files(path):
        _import_file(file, mappings, codes, geo, result, retrieved)
    return result


def _find_mapping(mappings: list[IndicatorMap], series: str, unit: str) -> IndicatorMap | None:
    for m in mappings:
        if _space(m.keys["series"]) == series and m.keys["unit"] in ("", unit):
            return m
    return None


def _import_file(file, mappings, codes, geo, result: ImportResult, retrieved) -> None:
    where = file.name
    location = git_location(file) or str(file.resolve())
    meta = _meta(file)
    stamp = retrieved.isoformat().replace("+00:00", "Z")
    with file.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader, [])
        concepts = [HEADINGS.get(h.strip(), h.strip()) for h in header]
        missing = [c for c in ("YEAR", "SERIES", "VALUE") if c not in concepts]
        if missing:
            result.reject(
                where, 1, f"not an Open SDG indicator file: no {', '.join(missing)} column"
            )
            return
        others = [h for h, c in zip(header, concepts, strict=True) if c not in {*HEADINGS.values()}]
        for number, cells in enumerate(reader, start=2):
            if not any(c.strip() for c in cells):
                continue
            result.read += 1
            record = {c: v.strip() for c, v in zip(concepts, cells, strict=False)}
            raw = {h: v.strip() for h, v in zip(header, cells, strict=False)}
            broken = [f"{h}={raw[h]}" for h in others if raw.get(h, "") not in ("", "_T")]
            if broken:
                result.reject(
                    where,
                    number,
                    "broken down by a dimension the release does not have: " + ", ".join(broken),
                )
                continue
            series = _space(record.get("SERIES", ""))
            unit = record.get("UNIT_MEASURE", "")
            mapping = _find_mapping(mappings, series, unit)
            if mapping is None:
                result.reject(
                    where, number, "series and unit not in the mapping file", f"{series} / {unit}"
                )
                continue
            geocode = record.get("GEOCODE", "")
            area = geo.get(geocode)
            if area is None:
                result.reject(where, number, "GeoCode not in the reviewed area crosswalk", geocode)
                continue
            if not re.fullmatch(r"(19|20)\d{2}", record.get("YEAR", "")):
                result.reject(where, number, "Year is not a calendar year", record.get("YEAR", ""))
                continue
            sex = SEX.get(_code(codes, "SEX", record.get("SEX", "")) or "")
            urban = URBANISATION.get(
                _code(codes, "URBANISATION", record.get("URBANISATION", "")) or ""
            )
            age = _code(codes, "AGE", record.get("AGE", ""))
            for name, got in (("SEX", sex), ("URBANISATION", urban), ("AGE", age)):
                if got is None:
                    result.reject(
                        where,
                        number,
                        f"{name} value not in the code list (data/channels/opensdg_codes.csv)",
                        record.get(name, ""),
                    )
                    break
            else:
                value = plain_number(record.get("VALUE", ""))
                if value is None:
                    result.reject(where, number, "Value is not a number", record.get("VALUE", ""))
                    continue
                source_id = f"opensdg_{slug(file.stem)}"
                provenance = f"Open SDG file {location}, row {number}, read {stamp}"
                result.observations.append(
                    observation(
                        mapping,
                        area,
                        record["YEAR"],
                        value,
                        source_id,
                        provenance,
                        sex=sex,
                        urban_rural=urban,
                        age="total" if age == "_T" else age,
                    )
                )
                _add_source(result, mapping, source_id, file, meta, location, stamp, retrieved)


def _add_source(result, mapping, source_id, file, meta, location, stamp, retrieved) -> None:
    if source_id in result.sources:
        return
    publisher = _text(meta.get("COMPILING_ORG")) or _text(meta.get("DATA_SOURCE"))
    name = _text(meta.get("SDG_INDICATOR")) or meta.get("indicator_name") or file.stem
    survey = _text(meta.get("SOURCE_TYPE"))
    result.sources[source_id] = source_row(
        source_id,
        publisher=publisher or "Lao Statistics Bureau (Open SDG platform)",
        title=f"SDG indicator {name}" + (f" — {survey}" if survey else ""),
        url=location if location.startswith("https://github.com/") else "",  # a page to open
        retrieved=retrieved,
        provenance=f"Open SDG indicator file {location}, read {stamp}",
        note=_text(meta.get("copyright")),
    )
    add_catalogue_entry(result, mapping, source_id)
    entry = result.indicators[mapping.indicator_id]
    if not entry.get("definition_en"):
        entry["definition_en"] = _first_sentences(_text(meta.get("STAT_CONC_DEF")))
