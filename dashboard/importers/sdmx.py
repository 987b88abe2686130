"""SDMX: data messages from ILOSTAT, the UN SDG database and the Lao Statistics Bureau.

Reads SDMX-CSV (1.0: first column `DATAFLOW`; 2.x: `STRUCTURE`, `STRUCTURE_ID`), SDMX-JSON 1.0
data messages, and SDMX-ML 2.1 StructureSpecificData (the format the Lao Statistics Bureau keeps
its SDG data in). Every observation becomes a record of concept → code; the series code (the
mapping's `series_dimension`, e.g. `SERIES`, `MEASURE`, `INDICATOR`) and `UNIT_MEASURE` select
the indicator through `data/channels/sdmx_mapping.csv`, `REF_AREA` the area through
`data/channels/area_crosswalk.csv`. `SEX`, `AGE` and `URBANISATION` become dimension columns;
a breakdown by any other dimension is rejected and listed. `UNIT_MULT` is applied (10^n).
With the dataflow's structure (`--structure`: its data structure definition and codelists, see
`sdmx_structure`), every code is checked against its codelist and named in the provenance.
"""

from __future__ import annotations

import csv
import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from dashboard.importers.mapping import (
    CHANNELS_DIR,
    ImportResult,
    IndicatorMap,
    Rejected,
    add_catalogue_entry,
    now_utc,
    observation,
    plain_number,
    read_area_codes,
    read_mapping,
    slug,
    source_row,
)
from dashboard.importers.sdmx_structure import (
    DataStructure,
    Structure,
    StructureError,
    read_structures,
)

CHANNEL = "sdmx"
MAPPING_FILE = CHANNELS_DIR / "sdmx_mapping.csv"
AREAS_FILE = CHANNELS_DIR / "area_crosswalk.csv"
KEY_COLUMNS = ("dataflow", "series_dimension", "series", "unit")
MAX_LISTED_CODES = 50

#: Concepts that describe a value rather than break it down (attributes, message columns).
NOT_BREAKDOWNS = {
    "DATAFLOW", "STRUCTURE", "STRUCTURE_ID", "ACTION", "FREQ", "REPORTING_TYPE", "TIME_PERIOD",
    "OBS_VALUE", "UNIT_MEASURE", "UNIT_MEASURE_TYPE", "UNIT_MULT", "OBS_STATUS", "NATURE",
    "SOURCE_DETAIL", "TIME_DETAIL", "COMMENT_OBS", "DECIMALS", "SOURCE", "UPPER_BOUND",
    "LOWER_BOUND", "CONF_STATUS", "TIME_FORMAT", "REF_AREA", "SEX", "AGE", "URBANISATION",
}  # fmt: skip
AGENCIES = {
    "ILO": "International Labour Organization (ILOSTAT)",
    "LSB-SDGS": "Lao Statistics Bureau",
    "UNSD": "United Nations Statistics Division (SDG Global Database)",
    "IAEG-SDGS": "United Nations Statistics Division (SDG Global Database)",
    "OECD": "OECD",
}
_SEX = {"_T": "total", "T": "total", "M": "male", "F": "female"}
_URBAN = {"_T": "total", "T": "total", "U": "urban", "R": "rural"}
_TOTAL = re.compile(r"_[TZ]|.*_TOTAL|_X")


class SDMXError(ValueError):
    """A file that is not an SDMX data message this importer reads."""


@dataclass(frozen=True)
class Obs:
    """One observation: concept → code, where it was read, and the message's dataflow."""

    values: dict[str, str]
    where: str
    row: int | str
    dataflow: str
    dimensions: tuple[str, ...]  # concepts that are dimensions (others are attributes)


# ---------------------------------------------------------------- reading messages


def read_message(path: Path) -> Iterator[Obs]:
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"{path}: no such file")
    suffix = path.suffix.lower()
    if suffix == ".json":
        return _read_json(path)
    if suffix == ".xml":
        return _read_xml(path)
    return _read_csv(path)


def _read_csv(path: Path) -> Iterator[Obs]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle)
        header = [h.strip() for h in next(reader, [])]
        if "OBS_VALUE" not in header or not header or header[0] not in ("DATAFLOW", "STRUCTURE"):
            raise SDMXError(
                f"{path.name}: not SDMX-CSV (the first column must be DATAFLOW or STRUCTURE "
                "and an OBS_VALUE column is required)"
            )
        # SDMX-CSV: dimensions come before OBS_VALUE, attributes after it.
        dims = tuple(h for h in header[: header.index("OBS_VALUE")] if h not in NOT_BREAKDOWNS)
        for number, cells in enumerate(reader, start=2):
            if not any(c.strip() for c in cells):
                continue
            values = dict(zip(header, (c.strip() for c in cells), strict=False))
            flow = values.get("DATAFLOW") or values.get("STRUCTURE_ID", "")
            yield Obs(values, path.name, number, flow, dims)


def _read_json(path: Path) -> Iterator[Obs]:
    try:
        message = json.loads(path.read_text(encoding="utf-8"))
        structure = message["structure"]
        data_set = message["dataSets"][0]
    except (ValueError, KeyError, IndexError, TypeError):
        raise SDMXError(f"{path.name}: not an SDMX-JSON data message") from None
    dims = structure.get("dimensions", {})
    series_dims = dims.get("series", [])
    obs_dims = dims.get("observation", [])
    attrs = structure.get("attributes", {}).get("observation", [])
    flow = ""
    for link in message.get("header", {}).get("links", []) + structure.get("links", []):
        found = re.search(r"/data/([^/?]+)", str(link.get("href", "")))
        if found:
            flow = found.group(1)
            break
    names = tuple(d["id"] for d in series_dims + obs_dims if d["id"] not in NOT_BREAKDOWNS)

    def decode(dimensions: list[dict], key: str) -> dict[str, str]:
        indexes = [int(i) for i in key.split(":")] if key else []
        return {d["id"]: d["values"][i]["id"] for d, i in zip(dimensions, indexes, strict=True)}

    def observations(series_key: str, items: dict) -> Iterator[Obs]:
        for key, cell in items.items():
            values = {**decode(series_dims, series_key), **decode(obs_dims, key)}
            values["OBS_VALUE"] = "" if cell[0] is None else str(cell[0])
            for attr, index in zip(attrs, cell[1:], strict=False):
                if index is not None and attr.get("values"):
                    values[attr["id"]] = attr["values"][index]["id"]
            yield Obs(values, path.name, f"{series_key}|{key}".strip("|"), flow, names)

    if "series" in data_set:
        for series_key, series in data_set["series"].items():
            yield from observations(series_key, series.get("observations", {}))
    else:
        yield from observations("", data_set.get("observations", {}))


def _read_xml(path: Path) -> Iterator[Obs]:
    try:
        root = ET.parse(path).getroot()
    except ET.ParseError as exc:
        raise SDMXError(f"{path.name}: not readable XML ({exc})") from None
    ref = root.find(".//{*}Structure/{*}Structure/Ref")
    flow = ""
    if ref is not None:
        version = f"({ref.get('version')})" if ref.get("version") else ""
        flow = f"{ref.get('agencyID')}:{ref.get('id')}{version}"
    found = False
    all_series = (e for e in root.iter() if e.tag.rsplit("}", 1)[-1] == "Series")
    for number, series in enumerate(all_series, start=1):
        found = True
        dims = tuple(k for k in series.attrib if k not in NOT_BREAKDOWNS)
        for index, obs in enumerate(series, start=1):
            yield Obs(
                {**series.attrib, **obs.attrib},
                path.name,
                f"series element {number}, observation {index}",
                flow,
                dims,
            )
    if not found:
        raise SDMXError(f"{path.name}: no <Series> elements (not SDMX-ML StructureSpecificData)")


# ---------------------------------------------------------------- mapping


def _age(code: str) -> str | None:
    """SDMX age codes as the release keeps them; ILOSTAT's `AGE_<classif>_<band>` converted."""
    if code in ("", "_T", "T"):
        return "total"
    ilo = re.fullmatch(r"AGE_[A-Z0-9]+_(.+)", code)
    if ilo:
        band = ilo.group(1)
        if band == "TOTAL":
            return "total"
        for pattern, form in (
            (r"Y(\d+)-(\d+)", "Y{}T{}"),
            (r"YGE(\d+)", "Y_GE{}"),
            (r"YLT(\d+)", "Y_LT{}"),
        ):
            match = re.fullmatch(pattern, band)
            if match:
                return form.format(*match.groups())
        return None
    return code if re.fullmatch(r"[MY][A-Z0-9_]+", code) else None


def _plain_flow(flow: str) -> str:
    """`ILO:DF_X(1.0)` → `ILO:DF_X` (the mapping names a dataflow without its version)."""
    return re.sub(r"\(.*\)$", "", flow)


def _mapping_for(maps: list[IndicatorMap], obs: Obs) -> IndicatorMap | None:
    for m in maps:
        if m.keys["dataflow"] and m.keys["dataflow"] != _plain_flow(obs.dataflow):
            continue
        if obs.values.get(m.keys["series_dimension"] or "SERIES") != m.keys["series"]:
            continue
        if m.keys["unit"] and obs.values.get("UNIT_MEASURE", "") != m.keys["unit"]:
            continue
        return m
    return None


def request_link(path: Path) -> str:
    """The query an SDMX-JSON message says it answers (`header.links`, rel 'request'), or ''."""
    if Path(path).suffix.lower() != ".json":
        return ""
    try:
        header = json.loads(Path(path).read_text(encoding="utf-8")).get("header", {})
    except (OSError, ValueError, AttributeError):
        return ""
    for link in header.get("links") or []:
        if link.get("rel") == "request" and str(link.get("href", "")).startswith("http"):
            return str(link["href"])
    return ""


def import_sdmx(
    paths,
    *,
    mapping_file: Path = MAPPING_FILE,
    areas_file: Path = AREAS_FILE,
    source_url: str | None = None,
    structure=(),
) -> ImportResult:
    """`source_url`: where the files were downloaded (the query), cited as their source;
    `structure`: structure files or code-translation folders (`sdmx_structure`) whose codelists
    every code must belong to."""
    maps = read_mapping(mapping_file, KEY_COLUMNS)
    try:
        codes = CodeCheck(read_structures(structure))
    except StructureError as exc:
        raise SDMXError(str(exc)) from None
    areas = read_area_codes(areas_file, CHANNEL)
    result = ImportResult(CHANNEL)
    retrieved = now_utc()
    stamp = retrieved.isoformat().replace("+00:00", "Z")
    bad_codes: list[Rejected] = []
    if isinstance(paths, (str, Path)):
        paths = [paths]
    for path in paths:
        url = source_url or request_link(Path(path))
        for obs in read_message(Path(path)):
            result.read += 1
            unknown = codes.unknown(obs)
            if unknown:
                bad_codes.append(Rejected(obs.where, obs.row, *unknown))
                continue
            _convert(obs, Path(path), url, maps, areas, result, retrieved, stamp, codes)
    if bad_codes:
        # A code outside its codelist means the file does not follow its own structure: the
        # whole import stops, so that no part of a wrongly coded message is published.
        shown = [str(r) for r in bad_codes[:MAX_LISTED_CODES]]
        more = len(bad_codes) - len(shown)
        raise SDMXError(
            f"{len(bad_codes)} code(s) not in their codelist:\n  "
            + "\n  ".join(shown + ([f"… and {more} more"] if more else []))
        )
    result.notices += codes.summary()
    return result


class CodeCheck:
    """Checks codes against the dataflow's codelists and names them; remembers what it could not
    check and which names the imported rows used, for the import summary."""

    NAMED = ("SERIES", "SEX", "AGE", "URBANISATION", "UNIT_MEASURE")

    def __init__(self, structure: Structure) -> None:
        self.structure = structure
        self._dsd: dict[str, DataStructure | None] = {}
        self.unchecked: dict[str, set[str]] = {}  # dataflow → "concept (codelist)" not supplied
        self.used: dict[str, int] = {}  # "AGE=Y_GE65 (65 years old and over)" → mapped rows

    def dsd(self, flow: str) -> DataStructure | None:
        if flow not in self._dsd:
            self._dsd[flow] = self.structure.data_structure(flow)
        return self._dsd[flow]

    def unknown(self, obs: Obs) -> tuple[str, str] | None:
        """(rule, code) of the first code that is not in its codelist, or None."""
        if not self.structure:
            return None
        dsd = self.dsd(obs.dataflow)
        for concept, code in obs.values.items():
            codelist, ref = self.structure.codelist(dsd, concept)
            if not code or not ref:
                continue
            if codelist is None:
                self.unchecked.setdefault(obs.dataflow, set()).add(f"{concept} ({ref})")
            elif code not in codelist:
                return f"column '{concept}': not a code of its codelist {ref}", code
        return None

    def named(self, obs: Obs) -> str:
        """`SEX=F (Female), AGE=Y_GE65 (65 years old and over)`: the codes with their names."""
        if not self.structure:
            return ""
        dsd = self.dsd(obs.dataflow)
        parts = []
        for concept in self.NAMED:
            code = obs.values.get(concept, "")
            codelist, _ = self.structure.codelist(dsd, concept)
            if code and codelist is not None and code in codelist:
                parts.append(f"{concept}={code} ({codelist.name(code)})")
        for part in parts:
            self.used[part] = self.used.get(part, 0) + 1
        return ", ".join(parts)

    def summary(self) -> list[str]:
        if not self.structure:
            return []
        lines = []
        for flow, dsd in self._dsd.items():
            if dsd is None:
                lines.append(
                    f"structure: no data structure definition for dataflow {flow or '-'}; "
                    "codes checked against the code lists named by concept only"
                )
            elif not flow.startswith(f"{dsd.agency}:"):
                lines.append(
                    f"structure: dataflow {flow} read with {dsd.ref} (same id and version, "
                    "different agency)"
                )
        for flow, concepts in self.unchecked.items():
            lines.append(
                f"structure: codes not checked for dataflow {flow} (codelist not supplied): "
                + ", ".join(sorted(concepts))
            )
        if self.used:
            lines.append("codes imported (names from the structure):")
            lines += [f"  {part}: {count} rows" for part, count in sorted(self.used.items())]
        return lines


def _convert(
    obs: Obs, path, url, maps, areas, result: ImportResult, retrieved, stamp, codes: CodeCheck
) -> None:
    v = obs.values
    reject = lambda reason, value="": result.reject(obs.where, obs.row, reason, value)  # noqa: E731
    mapping = _mapping_for(maps, obs)
    if mapping is None:
        series = next((v[k] for k in ("SERIES", "MEASURE", "INDICATOR", "IND") if k in v), "")
        return reject("series not in the mapping file", f"{obs.dataflow} {series}".strip())
    series_dimension = mapping.keys["series_dimension"] or "SERIES"
    broken = [
        f"{d}={v[d]}"
        for d in obs.dimensions
        if d != series_dimension and v.get(d) and not _TOTAL.fullmatch(v[d])
    ]
    if broken:
        return reject("broken down by a dimension the release does not have: " + ", ".join(broken))
    if v.get("FREQ", "A") != "A":
        return reject("not an annual value (FREQ)", v["FREQ"])
    area = areas.get(v.get("REF_AREA", ""))
    if area is None:
        return reject("REF_AREA not in the reviewed area crosswalk", v.get("REF_AREA", ""))
    year = v.get("TIME_PERIOD", "")
    if not re.fullmatch(r"(19|20)\d{2}", year):
        return reject("TIME_PERIOD is not a calendar year", year or "(no TIME_PERIOD)")
    sex = _SEX.get(re.sub(r"^SEX_", "", v.get("SEX", "_T")) or "_T")
    urban = _URBAN.get(v.get("URBANISATION", "_T") or "_T")
    age = _age(v.get("AGE", ""))
    for name, got in (("SEX", sex), ("URBANISATION", urban), ("AGE", age)):
        if got is None:
            return reject(f"{name} code not known to the importer", v.get(name, ""))
    value = plain_number(v.get("OBS_VALUE", ""))
    if value is None:
        return reject("OBS_VALUE is not a number", v.get("OBS_VALUE", ""))
    multiplier = v.get("UNIT_MULT", "0") or "0"
    if not multiplier.lstrip("-").isdigit():
        return reject("UNIT_MULT is not a whole number", multiplier)
    scaled = f" × 10^{multiplier} (UNIT_MULT)" if multiplier != "0" else ""
    if scaled:
        value = plain_number(float(value) * 10 ** int(multiplier)) or value
    flow = _plain_flow(obs.dataflow) or path.stem
    source_id = f"sdmx_{slug(flow)}"
    named = codes.named(obs)
    provenance = (
        f"SDMX {path.resolve()}, {obs.where} row {obs.row} (dataflow {obs.dataflow or '-'}, "
        f"OBS_VALUE {v.get('OBS_VALUE')}{scaled}{'; ' + named if named else ''}), read {stamp}"
    )
    note = v.get("SOURCE_DETAIL") or v.get("SOURCE") or ""
    result.observations.append(
        observation(
            mapping,
            area,
            year,
            value,
            source_id,
            provenance,
            sex=sex,
            urban_rural=urban,
            age=age,
            note=note,
        )
    )
    if source_id not in result.sources:
        agency = flow.split(":")[0].upper() if ":" in flow else ""
        result.sources[source_id] = source_row(
            source_id,
            publisher=AGENCIES.get(agency, agency or "not stated"),
            title=f"SDMX dataflow {flow}",
            url=url,
            retrieved=retrieved,
            provenance=f"SDMX data message {path.resolve()}"
            + (f" from {url}" if url else "")
            + f", read {stamp}",
        )
    add_catalogue_entry(result, mapping, source_id)
