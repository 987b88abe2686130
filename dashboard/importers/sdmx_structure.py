"""SDMX structure: which codelist each dimension of a dataflow draws on, and the codes' names.

An SDMX data message only carries codes; whether `AGE=Y_GE65` is a code at all, and what it
means, is in the dataflow's structure. This reads:

- SDMX-ML 2.1 structure messages — `DataStructures` (each dimension and attribute with the
  codelist it is enumerated by) and `Codelists` (codes with their names per language) — also
  as a bare excerpt without the message's namespace declarations (the Lao Statistics Bureau's
  `LSB_DSD.xml` is 1.9 MB; a verbatim excerpt of its `DataStructures` is what the tests use);
- a folder of Open SDG code translations, `<folder>/<lang>/<CONCEPT>.yml` (`code: name`), which is
  where the LSB keeps the names of its codes (`sdg-laos/data: translations/dsd`).

A codelist from a structure message is found by the id the data structure names; a translation
file by its concept. A concept whose codelist was not supplied is not checked, and the importer
says so.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

import yaml

_NAMESPACES = {
    "message": "http://www.sdmx.org/resources/sdmxml/schemas/v2_1/message",
    "structure": "http://www.sdmx.org/resources/sdmxml/schemas/v2_1/structure",
    "common": "http://www.sdmx.org/resources/sdmxml/schemas/v2_1/common",
    "xsi": "http://www.w3.org/2001/XMLSchema-instance",
}
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


class StructureError(ValueError):
    """A structure file that cannot be read; the message names the file and the rule."""


@dataclass(frozen=True)
class Codelist:
    """Codes and their names (language → name); `ref` says where the list came from."""

    ref: str
    names: dict[str, dict[str, str]]

    def __contains__(self, code: str) -> bool:
        return code in self.names

    def name(self, code: str, lang: str = "en") -> str:
        names = self.names.get(code, {})
        return names.get(lang) or names.get("en") or next(iter(names.values()), "")


@dataclass(frozen=True)
class DataStructure:
    """One data structure definition: its components and the codelist each is enumerated by."""

    agency: str
    id: str
    version: str
    dimensions: tuple[str, ...]
    enumerations: dict[str, str]  # component → codelist reference "AGENCY:CL_ID(version)"

    @property
    def ref(self) -> str:
        return f"{self.agency}:{self.id}({self.version})"


@dataclass
class Structure:
    """Everything read from the structure files given to one import."""

    structures: list[DataStructure] = field(default_factory=list)
    codelists: dict[str, Codelist] = field(default_factory=dict)  # by codelist id
    by_concept: dict[str, Codelist] = field(default_factory=dict)  # Open SDG translations
    files: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.structures or self.codelists or self.by_concept)

    def data_structure(self, flow: str) -> DataStructure | None:
        """The definition a message's dataflow (`AGENCY:ID(version)`) refers to: matched by id
        and version; agencies are not compared (the LSB's files say `LSB-SDGs`, its DSD
        `LSB-SDG`) — the importer reports such a difference."""
        match = re.fullmatch(r"(?:([^:]+):)?([^(]+)(?:\(([^)]*)\))?", flow or "")
        if not match:
            return None
        _, flow_id, version = match.groups()
        for dsd in self.structures:
            if dsd.id == flow_id and (not version or dsd.version == version):
                return dsd
        return None

    def codelist(self, dsd: DataStructure | None, concept: str) -> tuple[Codelist | None, str]:
        """The codelist of a concept and the structure's reference to it ('' if not enumerated).

        With a data structure, a concept it does not enumerate has no codelist; without one, the
        concept's translation file (if any) is its list."""
        if dsd is None:
            found = self.by_concept.get(concept)
            return found, found.ref if found else ""
        ref = dsd.enumerations.get(concept, "")
        if not ref:
            return None, ""
        list_id = re.sub(r"^[^:]*:|\(.*\)$", "", ref)
        return self.codelists.get(list_id) or self.by_concept.get(concept), ref


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _parse_xml(path: Path) -> ET.Element:
    """A structure message, or a verbatim excerpt of one without its namespace declarations."""
    text = path.read_text(encoding="utf-8-sig")
    try:
        return ET.fromstring(text)
    except ET.ParseError as first:
        body = re.sub(r"^\s*<\?xml[^>]*\?>", "", text)
        declarations = " ".join(f'xmlns:{p}="{uri}"' for p, uri in _NAMESPACES.items())
        try:
            return ET.fromstring(f"<excerpt {declarations}>{body}</excerpt>")
        except ET.ParseError:
            raise StructureError(f"{path.name}: not readable XML ({first})") from None


def _ref(element: ET.Element | None) -> str:
    if element is None:
        return ""
    ref = next((e for e in element.iter() if _local(e.tag) == "Ref"), None)
    if ref is None:
        return ""
    return f"{ref.get('agencyID', '')}:{ref.get('id', '')}({ref.get('version', '')})"


def _names(element: ET.Element) -> dict[str, str]:
    return {
        name.get(_XML_LANG, "en"): (name.text or "").strip()
        for name in element
        if _local(name.tag) == "Name"
    }


def read_structure_xml(path: Path, into: Structure) -> None:
    root = _parse_xml(path)
    found = False
    for element in root.iter():
        kind = _local(element.tag)
        if kind == "DataStructure":
            found = True
            dimensions, enumerations = [], {}
            for component in element.iter():
                concept = component.get("id", "")
                kinds = ("Dimension", "Attribute", "TimeDimension")
                if _local(component.tag) not in kinds or not concept:
                    continue  # (a bare <Dimension> inside an attribute relationship is a reference)
                if _local(component.tag) == "Dimension":
                    dimensions.append(concept)
                enumeration = next(
                    (e for e in component.iter() if _local(e.tag) == "Enumeration"), None
                )
                if enumeration is not None:
                    enumerations[concept] = _ref(enumeration)
            into.structures.append(
                DataStructure(
                    element.get("agencyID", ""),
                    element.get("id", ""),
                    element.get("version", ""),
                    tuple(dimensions),
                    enumerations,
                )
            )
        elif kind == "Codelist" and element.get("id"):
            found = True
            ref = f"{element.get('agencyID', '')}:{element.get('id')}({element.get('version', '')})"
            codes = {
                code.get("id", ""): _names(code) for code in element if _local(code.tag) == "Code"
            }
            into.codelists[element.get("id", "")] = Codelist(ref, codes)
    if not found:
        raise StructureError(
            f"{path.name}: no DataStructure or Codelist element (not an SDMX structure message)"
        )


def read_translations(folder: Path, into: Structure) -> None:
    """Open SDG code translations: `<folder>/<lang>/<CONCEPT>.yml`, each `code: name`; the key
    equal to the concept itself is the concept's own name, not a code."""
    files = sorted(folder.glob("*/*.yml"))
    if not files:
        raise StructureError(f"{folder}: no <lang>/<CONCEPT>.yml code translation files")
    lists: dict[str, dict[str, dict[str, str]]] = {}
    for path in files:
        lang, concept = path.parent.name, path.stem
        try:
            codes = yaml.safe_load(path.read_text(encoding="utf-8-sig")) or {}
        except yaml.YAMLError as exc:
            raise StructureError(f"{path}: not readable YAML ({exc})") from None
        if not isinstance(codes, dict):
            raise StructureError(f"{path}: must map codes to names")
        target = lists.setdefault(concept, {})
        for code, name in codes.items():
            if str(code) != concept:
                target.setdefault(str(code), {})[lang] = str(name).strip()
    for concept, names in lists.items():
        into.by_concept[concept] = Codelist(f"{concept} code translations ({folder.name})", names)


def read_structures(paths) -> Structure:
    """Read every structure file or translation folder given; an empty list reads nothing."""
    structure = Structure()
    for path in map(Path, paths or ()):
        if path.is_dir():
            read_translations(path, structure)
        elif path.is_file():
            read_structure_xml(path, structure)
        else:
            raise FileNotFoundError(f"{path}: no such structure file or folder")
        structure.files.append(str(path))
    return structure
