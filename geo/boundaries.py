"""Load, validate and prepare the Lao PDR province and district boundaries.

The boundary files are third-party (HDX COD-AB via geoBoundaries, CC BY 3.0 IGO) and are read
from a folder outside the repository at start-up. Everything the maps need is prepared once
here, so callbacks only ever reuse the cached GeoJSON.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import shapely
from shapely.geometry.base import BaseGeometry

log = logging.getLogger(__name__)

LEVELS: Final = ("province", "district")

#: Canonical column -> accepted source field names (compared case-insensitively, in order).
#: Normalised names (adm1_pcode) and COD-AB originals (ADM1_PCODE) differ only in case; the
#: `admin1Pcode` style is the older HDX COD naming. Add aliases here, not in code.
FIELD_ALIASES: Final[Mapping[str, Mapping[str, tuple[str, ...]]]] = {
    "province": {
        "area_code": ("adm1_pcode", "admin1pcode"),
        "name_en": ("adm1_en", "admin1name_en"),
        "name_lo": ("adm1_lo", "admin1name_lo"),
    },
    "district": {
        "area_code": ("adm2_pcode", "admin2pcode"),
        "name_en": ("adm2_en", "admin2name_en"),
        "name_lo": ("adm2_lo", "admin2name_lo"),
        "parent_code": ("adm1_pcode", "admin1pcode"),
    },
}

#: P-code shape per level (HDX COD-AB for Lao PDR).
PCODE_PATTERNS: Final[Mapping[str, re.Pattern[str]]] = {
    "province": re.compile(r"^LA\d{2}$"),
    "district": re.compile(r"^LA\d{4}$"),
}

#: Which files (or GeoPackage layers) hold which level, by name: `lao_adm1.geojson`,
#: `lao_admbnda_adm1_ngd_20191112.shp`, a layer `..._adm2_...` inside a .gpkg.
LEVEL_NAME_PATTERNS: Final[Mapping[str, re.Pattern[str]]] = {
    "province": re.compile(r"(?<![a-z0-9])adm(?:in)?1(?![0-9])", re.IGNORECASE),
    "district": re.compile(r"(?<![a-z0-9])adm(?:in)?2(?![0-9])", re.IGNORECASE),
}
#: COD-AB line / point / table layers (admbndl, admbndp, admbndt) are not polygons.
_NOT_POLYGON_LAYER: Final = re.compile(r"admbnd[lpt]", re.IGNORECASE)
#: Preferred format first when a folder holds the same level twice.
SUFFIX_PRIORITY: Final[Mapping[str, int]] = {".geojson": 0, ".json": 1, ".gpkg": 2, ".shp": 3}

#: Decimals kept in the prepared geometry (1e-4 degree is about 11 m: invisible on a national map).
COORD_DECIMALS: Final = 4
#: A province layer whose area differs from its districts' union by more than this is reported.
_AREA_MISMATCH_WARN: Final = 0.02
#: Rough Lao PDR extent (lon/lat) with a margin; data outside it suggests swapped axes or a bad CRS.
_LAO_BBOX: Final = (99.0, 13.0, 109.0, 23.5)


class BoundaryError(ValueError):
    """A boundary file breaks a rule; the message names file, feature row, column and rule."""

    def __init__(self, problems: Iterable[str]) -> None:
        self.problems: tuple[str, ...] = tuple(problems)
        shown = list(self.problems[:25])
        if len(self.problems) > 25:
            shown.append(f"... and {len(self.problems) - 25} more")
        super().__init__("\n".join(shown))


@dataclass(frozen=True)
class CoverageReport:
    """Codes present on one side only; both lists are sorted."""

    without_shape: list[str]
    without_data: list[str]

    @property
    def complete(self) -> bool:
        return not self.without_shape and not self.without_data


@dataclass(frozen=True, eq=False)
class Boundaries:
    """Prepared boundaries: simplified as a coverage, clockwise rings, 4-decimal coordinates.

    `provinces` and `districts` are indexed by `area_code` with columns `name_en`, `name_lo`,
    `parent_code` (blank for provinces) and `geometry` (EPSG:4326). Treat them and the
    GeoJSON returned by `geojson()` as read-only: they are shared by every request.
    """

    provinces: gpd.GeoDataFrame
    districts: gpd.GeoDataFrame
    source_dir: Path
    warnings: tuple[str, ...] = ()
    source_files: Mapping[str, str] = field(default_factory=dict)
    stats: Mapping[str, Mapping[str, int]] = field(default_factory=dict)
    _geojson_cache: dict[str, dict[str, Any]] = field(default_factory=dict, init=False, repr=False)

    def layer(self, level: str) -> gpd.GeoDataFrame:
        """The GeoDataFrame for `"province"` or `"district"`."""
        _check_level(level)
        return self.provinces if level == "province" else self.districts

    def codes(self, level: str) -> frozenset[str]:
        """P-codes that have a shape at this level."""
        return frozenset(self.layer(level).index)

    def geojson(self, level: str) -> dict[str, Any]:
        """FeatureCollection with `id` = P-code, for `go.Choropleth(geojson=..., locations=...)`.

        Built once and cached (load_boundaries warms the cache), so do not mutate it.
        """
        cached = self._geojson_cache.get(level)
        if cached is None:
            cached = _feature_collection(self.layer(level))
            self._geojson_cache[level] = cached
        return cached


def load_boundaries(
    geo_dir: Path | str | None, simplify_tolerance: float = 0.005
) -> Boundaries | None:
    """Find, validate and prepare both levels from `geo_dir`.

    Returns None when there is nothing to load (no folder, or no boundary files in it), so the
    app can fall back to the schematic. Raises BoundaryError when files exist but are wrong:
    a broken map is worse than the schematic, and the message says what to fix.
    `simplify_tolerance` is in degrees (0.005 is about 500 m); 0 keeps every vertex.
    """
    if geo_dir is None:
        return None
    geo_dir = Path(geo_dir)
    if not geo_dir.is_dir():
        log.warning("boundary folder %s does not exist; using the schematic", geo_dir)
        return None
    found = find_layers(geo_dir)
    if not found:
        log.warning("no boundary files in %s; using the schematic", geo_dir)
        return None
    warnings: list[str] = []
    missing = [lvl for lvl in LEVELS if lvl not in found]
    if missing:
        have = ", ".join(f"{lvl}: {_label(*found[lvl][0])}" for lvl in found)
        raise BoundaryError(
            [
                f"{geo_dir}: no {' or '.join(missing)} layer found (found {have}); rule: both the "
                "province (adm1) and district (adm2) layers are required"
            ]
        )
    layers: dict[str, gpd.GeoDataFrame] = {}
    labels: dict[str, str] = {}
    for level in LEVELS:
        (path, layer), *ignored = found[level]
        labels[level] = _label(path, layer)
        if ignored:
            warnings.append(
                f"{level}: using {labels[level]}; ignoring "
                + ", ".join(_label(p, lyr) for p, lyr in ignored)
            )
        raw = _read(path, layer, labels[level])
        layers[level] = _validate_layer(raw, level, labels[level], warnings)
    _check_parents(
        layers["district"], set(layers["province"].index), labels["district"], labels["province"]
    )
    provinces, districts, stats = _prepare(
        layers["province"], layers["district"], simplify_tolerance, warnings
    )
    boundaries = Boundaries(
        provinces=provinces,
        districts=districts,
        source_dir=geo_dir,
        warnings=tuple(warnings),
        source_files=labels,
        stats=stats,
    )
    for level in LEVELS:  # warm the cache at start-up, not in the first request
        stats[level]["geojson_bytes"] = len(
            json.dumps(
                boundaries.geojson(level), ensure_ascii=False, separators=(",", ":")
            ).encode()
        )
    for message in warnings:
        log.warning("boundaries: %s", message)
    return boundaries


def coverage_report(
    boundaries: Boundaries, level: str, data_codes: Iterable[str | None]
) -> CoverageReport:
    """Which data codes have no shape and which shapes have no data (pass one level's codes)."""
    shapes = boundaries.codes(level)
    data = {str(c).strip() for c in data_codes if c is not None and not pd.isna(c)} - {""}
    return CoverageReport(without_shape=sorted(data - shapes), without_data=sorted(shapes - data))


def find_layers(geo_dir: Path) -> dict[str, list[tuple[Path, str | None]]]:
    """Candidate (file, layer) pairs per level, best first (see SUFFIX_PRIORITY)."""
    found: dict[str, list[tuple[int, str, Path, str | None]]] = {}
    for path in sorted(geo_dir.iterdir()):
        suffix = path.suffix.lower()
        if suffix not in SUFFIX_PRIORITY or not path.is_file():
            continue
        if suffix == ".gpkg":
            try:
                names = [str(n) for n, _ in pyogrio.list_layers(path)]
            except Exception as exc:  # noqa: BLE001 - any driver error means unreadable
                raise BoundaryError([f"{path}: cannot list layers: {exc}"]) from exc
            for name in names:
                level = _level_of(name) or (_level_of(path.stem) if len(names) == 1 else None)
                if level:
                    found.setdefault(level, []).append((SUFFIX_PRIORITY[suffix], name, path, name))
        elif level := _level_of(path.stem):
            found.setdefault(level, []).append((SUFFIX_PRIORITY[suffix], path.name, path, None))
    return {
        lvl: [(p, lyr) for *_, p, lyr in sorted(c, key=lambda t: t[:2])] for lvl, c in found.items()
    }


def _level_of(name: str) -> str | None:
    if _NOT_POLYGON_LAYER.search(name):
        return None
    hits = [lvl for lvl, pattern in LEVEL_NAME_PATTERNS.items() if pattern.search(name)]
    return hits[0] if len(hits) == 1 else None


def _label(path: Path, layer: str | None) -> str:
    return f"{path}" + (f" (layer '{layer}')" if layer else "")


def _check_level(level: str) -> None:
    if level not in LEVELS:
        raise ValueError(f"level must be one of {LEVELS}, not {level!r}")


def _read(path: Path, layer: str | None, label: str) -> gpd.GeoDataFrame:
    """Read one layer and bring it to EPSG:4326 lon/lat."""
    try:
        gdf = gpd.read_file(path, layer=layer, engine="pyogrio")
    except Exception as exc:  # noqa: BLE001 - report any driver error with the file name
        raise BoundaryError([f"{label}: cannot read: {exc}"]) from exc
    gdf = gdf.reset_index(drop=True)
    if gdf.crs is None:
        present = gdf.geometry[gdf.geometry.notna() & ~gdf.geometry.is_empty]
        if len(present):
            minx, miny, maxx, maxy = present.total_bounds
            if minx < -180 or maxx > 180 or miny < -90 or maxy > 90:
                raise BoundaryError(
                    [
                        f"{label}: all rows, column 'geometry': no CRS and coordinates "
                        f"({minx:.0f}, {miny:.0f})-({maxx:.0f}, {maxy:.0f}) are outside lon/lat "
                        "range; rule: a layer without a CRS must be in EPSG:4326 (add a .prj)"
                    ]
                )
        gdf = gdf.set_crs(4326)
    elif gdf.crs.to_epsg() != 4326:
        gdf = gdf.to_crs(4326)
    return gdf


def _resolve_columns(gdf: gpd.GeoDataFrame, level: str) -> dict[str, str]:
    """Canonical name -> source column, case-insensitively, via FIELD_ALIASES."""
    by_lower = {str(c).lower(): str(c) for c in gdf.columns if c != gdf.geometry.name}
    resolved = {}
    for canonical, aliases in FIELD_ALIASES[level].items():
        for alias in aliases:
            if alias in by_lower:
                resolved[canonical] = by_lower[alias]
                break
    return resolved


def _validate_layer(
    gdf: gpd.GeoDataFrame, level: str, label: str, warnings: list[str]
) -> gpd.GeoDataFrame:
    """Check codes and geometry, repair what make_valid can; return the canonical frame."""
    columns = _resolve_columns(gdf, level)
    if "area_code" not in columns:
        accepted = " / ".join(FIELD_ALIASES[level]["area_code"])
        found = ", ".join(str(c) for c in gdf.columns if c != gdf.geometry.name) or "none"
        raise BoundaryError(
            [
                f"{label}: all rows, column '{accepted}': missing P-code column "
                f"(case-insensitive; found: {found}); rule: the {level} P-code column is required"
            ]
        )
    code_col = columns["area_code"]
    pattern = PCODE_PATTERNS[level]
    n = len(gdf)
    if n == 0:
        raise BoundaryError([f"{label}: no features; rule: the {level} layer must not be empty"])
    problems: list[str] = []

    def where(i: int, col: str) -> str:
        return f"{label}: row {i + 1} of {n} (1-based), column '{col}'"

    codes: list[str | None] = []
    first_row: dict[str, int] = {}
    for i, value in enumerate(gdf[code_col]):
        code = None if value is None or pd.isna(value) else str(value).strip()
        if not code:
            problems.append(
                f"{where(i, code_col)}: null or blank P-code; rule: every feature needs a P-code"
            )
            code = None
        elif not pattern.match(code):
            problems.append(
                f"{where(i, code_col)}: P-code {code!r} does not match "
                f"{pattern.pattern}; rule: {level} P-code format"
            )
        elif code in first_row:
            problems.append(
                f"{where(i, code_col)}: duplicate P-code {code!r} (first at row "
                f"{first_row[code] + 1}); rule: P-codes must be unique"
            )
        else:
            first_row[code] = i
        codes.append(code)

    geom_col = gdf.geometry.name
    geoms: list[BaseGeometry | None] = []
    for i, geom in enumerate(gdf.geometry):
        fixed, problem, note = _check_geometry(geom)
        if problem:
            problems.append(f"{where(i, geom_col)}: {problem}")
        if note:
            warnings.append(f"{where(i, geom_col)} ({codes[i]}): {note}")
        geoms.append(fixed)

    if problems:
        raise BoundaryError(problems)

    for canonical in ("name_en", "name_lo"):
        if canonical not in columns:
            accepted = " / ".join(FIELD_ALIASES[level][canonical])
            warnings.append(f"{label}: column '{accepted}' missing; {canonical} left blank")

    def text(canonical: str) -> list[str]:
        if canonical not in columns:
            return [""] * n
        return ["" if v is None or pd.isna(v) else str(v).strip() for v in gdf[columns[canonical]]]

    frame = gpd.GeoDataFrame(
        {
            "name_en": text("name_en"),
            "name_lo": text("name_lo"),
            "parent_code": text("parent_code") if level == "district" else [""] * n,
        },
        geometry=gpd.array.from_shapely(np.asarray(geoms, dtype=object), crs=gdf.crs),
        index=pd.Index(codes, name="area_code"),
    )
    frame.attrs["label"] = label
    frame.attrs["columns"] = columns
    return frame


def _check_geometry(
    geom: BaseGeometry | None,
) -> tuple[BaseGeometry | None, str | None, str | None]:
    """Return (polygonal geometry, error, repair note)."""
    if geom is None:
        return None, "null geometry; rule: every feature needs a polygon", None
    if geom.is_empty:
        return None, "empty geometry; rule: every feature needs a polygon", None
    note = None
    if not geom.is_valid:
        reason = shapely.is_valid_reason(geom)
        repaired = _polygonal_part(shapely.make_valid(geom))
        if repaired is None or repaired.is_empty:
            return (
                None,
                (
                    f"invalid geometry ({reason}) that make_valid cannot repair into a "
                    "polygon; rule: geometry must be a valid polygon"
                ),
                None,
            )
        geom, note = repaired, f"invalid geometry ({reason}) repaired with make_valid"
    polygonal = _polygonal_part(geom)
    if polygonal is None or polygonal.is_empty:
        return None, f"{geom.geom_type} is not a polygon; rule: geometry must be a polygon", None
    if polygonal is not geom and note is None:
        note = f"non-polygon parts of a {geom.geom_type} dropped"
    return polygonal, None, note


def _polygonal_part(geom: BaseGeometry) -> BaseGeometry | None:
    if geom.geom_type in ("Polygon", "MultiPolygon"):
        return geom
    if geom.geom_type == "GeometryCollection":
        parts = [g for g in shapely.get_parts(geom) if g.geom_type in ("Polygon", "MultiPolygon")]
        polys = [p for g in parts for p in shapely.get_parts(g)]
        if polys:
            return polys[0] if len(polys) == 1 else shapely.MultiPolygon(polys)
    return None


def _check_parents(
    districts: gpd.GeoDataFrame, province_codes: set[str], label: str, province_label: str
) -> None:
    """Fill parent_code from the code prefix and check it names a province in the layer."""
    problems = []
    n = len(districts)
    parents = []
    columns = districts.attrs["columns"]
    code_col, parent_col = columns["area_code"], columns.get("parent_code", columns["area_code"])
    for i, (code, given) in enumerate(zip(districts.index, districts["parent_code"], strict=True)):
        prefix = code[:4]
        if given and given != prefix:
            problems.append(
                f"{label}: row {i + 1} of {n} (1-based), column '{parent_col}': parent "
                f"{given!r} disagrees with the P-code prefix of {code!r}; rule: a "
                "district code starts with its province code"
            )
        elif prefix not in province_codes:
            problems.append(
                f"{label}: row {i + 1} of {n} (1-based), column '{code_col}': parent "
                f"{prefix!r} of {code!r} is not a province in {province_label}; "
                "rule: every district's province must exist"
            )
        parents.append(prefix)
    if problems:
        raise BoundaryError(problems)
    districts["parent_code"] = parents


def _prepare(
    provinces: gpd.GeoDataFrame,
    districts: gpd.GeoDataFrame,
    tolerance: float,
    warnings: list[str],
) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame, dict[str, dict[str, int]]]:
    """Simplify districts as a coverage and dissolve provinces from them, so borders are shared
    exactly and provinces nest; then round and orient rings clockwise for d3-geo."""
    stats = {
        lvl: {
            "features": len(g),
            "vertices_before": int(shapely.get_num_coordinates(g.geometry.values).sum()),
        }
        for lvl, g in (("province", provinces), ("district", districts))
    }
    is_coverage = bool(shapely.coverage_is_valid(districts.geometry.values))
    if not is_coverage:
        warnings.append(
            f"{districts.attrs['label']}: districts overlap or their shared borders "
            "do not match; simplification may show slivers"
        )
    dist_geoms = districts.geometry
    if tolerance > 0:
        dist_geoms = dist_geoms.simplify_coverage(tolerance)
    union = shapely.coverage_union_all if is_coverage else shapely.union_all

    prov_geoms = []
    for code, geom in zip(provinces.index, provinces.geometry, strict=True):
        members = dist_geoms[(districts["parent_code"] == code).to_numpy()].values
        if len(members) == 0:
            warnings.append(
                f"{provinces.attrs['label']}: province {code} has no districts in "
                "the district layer; its own outline is used"
            )
            own = shapely.coverage_simplify(geom, tolerance) if tolerance > 0 else geom
            prov_geoms.append(own)
            continue
        dissolved = union(members)
        if geom.area and abs(dissolved.area - geom.area) / geom.area > _AREA_MISMATCH_WARN:
            warnings.append(
                f"{provinces.attrs['label']}: province {code} area differs from its "
                f"districts' union by {abs(dissolved.area / geom.area - 1):.1%}; "
                "the map shows the districts' union"
            )
        prov_geoms.append(dissolved)

    out = {}
    for lvl, frame, geoms in (
        ("province", provinces, prov_geoms),
        ("district", districts, dist_geoms.values),
    ):
        series = gpd.GeoSeries(
            _round(np.asarray(geoms, dtype=object)), index=frame.index, crs=frame.crs
        )
        prepared = frame.set_geometry(series.orient_polygons(exterior_cw=True))
        prepared.attrs = {"source": frame.attrs["label"]}
        stats[lvl]["vertices_after"] = int(
            shapely.get_num_coordinates(prepared.geometry.values).sum()
        )
        out[lvl] = prepared

    minx, miny, maxx, maxy = out["district"].total_bounds
    bx0, by0, bx1, by1 = _LAO_BBOX
    if minx < bx0 or miny < by0 or maxx > bx1 or maxy > by1:
        warnings.append(
            f"district extent ({minx:.2f}, {miny:.2f})-({maxx:.2f}, {maxy:.2f}) is "
            "outside Lao PDR; check the CRS and axis order"
        )
    return out["province"], out["district"], stats


def _round(geoms: np.ndarray) -> np.ndarray:
    """Round to COORD_DECIMALS. Shared vertices round identically, so borders stay shared."""
    rounded = shapely.transform(geoms, lambda xy: np.round(xy, COORD_DECIMALS))
    return shapely.remove_repeated_points(rounded, 0.0)


def _feature_collection(frame: gpd.GeoDataFrame) -> dict[str, Any]:
    features = [
        {
            "type": "Feature",
            "id": code,
            "properties": {"name_en": name_en, "name_lo": name_lo},
            "geometry": _geometry_json(geom),
        }
        for code, name_en, name_lo, geom in zip(
            frame.index, frame["name_en"], frame["name_lo"], frame.geometry, strict=True
        )
    ]
    return {"type": "FeatureCollection", "features": features}


def _geometry_json(geom: BaseGeometry) -> dict[str, Any]:
    """GeoJSON geometry with plain lists and short floats (smaller payload than mapping())."""

    def ring(r: Any) -> list[list[float]]:
        return [[round(x, COORD_DECIMALS), round(y, COORD_DECIMALS)] for x, y in r.coords]

    def polygon(p: shapely.Polygon) -> list[list[list[float]]]:
        return [ring(p.exterior), *(ring(i) for i in p.interiors)]

    if geom.geom_type == "Polygon":
        return {"type": "Polygon", "coordinates": polygon(geom)}
    return {"type": "MultiPolygon", "coordinates": [polygon(p) for p in geom.geoms]}


def feature_bounds(collection: Mapping[str, Any]) -> dict[str, tuple[float, float, float, float]]:
    """(west, south, east, north) of every feature of a FeatureCollection, by its `id`."""
    out = {}
    for feature in collection["features"]:
        west, south, east, north = shapely.geometry.shape(feature["geometry"]).bounds
        out[str(feature["id"])] = (west, south, east, north)
    return out
