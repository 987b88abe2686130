"""Tests for the geo package: loading, validation, preparation and the schematic."""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import geopandas as gpd
import pytest
import shapely
from shapely.geometry import shape

from geo import (
    ATTRIBUTION,
    HDX_DATASET_URL,
    SCHEMATIC_LABEL,
    Boundaries,
    BoundaryError,
    coverage_report,
    load_boundaries,
    province_tiles,
    schematic_geojson,
)

REPO = Path(__file__).resolve().parents[2]
FIXTURES = REPO / "tests" / "fixtures" / "geo"


def _real_geo_dir() -> Path | None:
    env = os.environ.get("NSPS_GEO_DIR")
    candidate = Path(env) if env else REPO.parent / "shared" / "geo"
    return candidate if (candidate / "lao_adm2.geojson").is_file() else None


REAL_DIR = _real_geo_dir()
needs_real = pytest.mark.skipif(
    REAL_DIR is None,
    reason="real boundary files not found: set NSPS_GEO_DIR or provide ../shared/geo",
)


# ---------------------------------------------------------------- helpers


def _fixture(level: str) -> dict[str, Any]:
    name = "lao_adm1.geojson" if level == "province" else "lao_adm2.geojson"
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


def _write(path: Path, collection: dict[str, Any]) -> Path:
    path.write_text(json.dumps(collection, ensure_ascii=False), encoding="utf-8")
    return path


def _fixture_dir(
    tmp_path: Path, edit: Callable[[dict[str, Any], dict[str, Any]], None] | None = None
) -> Path:
    """Copy the fixture pair into tmp_path, optionally editing (provinces, districts) first."""
    provinces, districts = _fixture("province"), _fixture("district")
    if edit:
        edit(provinces, districts)
    _write(tmp_path / "lao_adm1.geojson", provinces)
    _write(tmp_path / "lao_adm2.geojson", districts)
    return tmp_path


def _exterior_rings(collection: dict[str, Any]) -> list[list[list[float]]]:
    rings = []
    for feature in collection["features"]:
        geom = feature["geometry"]
        polygons = [geom["coordinates"]] if geom["type"] == "Polygon" else geom["coordinates"]
        rings.extend(polygon[0] for polygon in polygons)
    return rings


def _payload_bytes(collection: dict[str, Any]) -> int:
    return len(json.dumps(collection, ensure_ascii=False, separators=(",", ":")).encode())


@pytest.fixture(scope="module")
def real() -> Boundaries:
    assert REAL_DIR is not None
    boundaries = load_boundaries(REAL_DIR)
    assert boundaries is not None
    return boundaries


# ---------------------------------------------------------------- real data


@needs_real
def test_real_counts_and_codes(real: Boundaries) -> None:
    assert len(real.provinces) == 18
    assert len(real.districts) == 148
    assert real.codes("province") == {f"LA{i:02d}" for i in range(1, 19)}
    assert "LA1801" in real.codes("district") and "LA0101" in real.codes("district")
    assert real.provinces.loc["LA18", "name_lo"] == "ໄຊສົມບູນ"
    assert real.districts.loc["LA1801", "name_en"] == "Anouvong"
    assert real.districts.loc["LA1801", "parent_code"] == "LA18"
    per_province = real.districts.groupby("parent_code").size()
    assert per_province["LA06"] == 12 and per_province["LA13"] == 15 and per_province.sum() == 148
    assert real.warnings == ()
    assert list(real.provinces.columns) == ["name_en", "name_lo", "parent_code", "geometry"]
    assert real.provinces.index.name == real.districts.index.name == "area_code"
    assert real.districts.crs.to_epsg() == 4326


@needs_real
def test_real_rings_clockwise(real: Boundaries) -> None:
    for level in ("province", "district"):
        for geom in real.layer(level).geometry:
            for polygon in shapely.get_parts(geom):
                assert not polygon.exterior.is_ccw, f"{level}: counter-clockwise exterior"
                assert all(ring.is_ccw for ring in polygon.interiors)
        rings = _exterior_rings(real.geojson(level))
        assert rings and not any(shapely.LinearRing(r).is_ccw for r in rings)


@needs_real
def test_real_coverage_has_no_gaps_and_provinces_nest(real: Boundaries) -> None:
    districts_union = shapely.union_all(real.districts.geometry.values)
    provinces_union = shapely.union_all(real.provinces.geometry.values)
    assert districts_union.area == pytest.approx(provinces_union.area, rel=1e-9)
    assert districts_union.symmetric_difference(provinces_union).area < 1e-9
    # No gaps between districts: their union is one polygon without holes, as in the source.
    assert districts_union.geom_type == "Polygon" and len(districts_union.interiors) == 0
    # No overlaps: the areas add up.
    district_areas = shapely.area(real.districts.geometry.values).sum()
    assert district_areas == pytest.approx(districts_union.area, rel=1e-6)
    for code, row in real.districts.iterrows():
        assert code[:4] == row["parent_code"]
        parent = real.provinces.geometry[row["parent_code"]]
        assert row.geometry.difference(parent).area < 1e-9, f"{code} sticks out of its province"


@needs_real
def test_real_payload_smaller_and_rounded(real: Boundaries) -> None:
    assert REAL_DIR is not None
    full = load_boundaries(REAL_DIR, simplify_tolerance=0)
    assert full is not None
    for level, filename in (("province", "lao_adm1.geojson"), ("district", "lao_adm2.geojson")):
        simplified = _payload_bytes(real.geojson(level))
        assert simplified < 0.7 * _payload_bytes(full.geojson(level))
        assert simplified < 0.5 * (REAL_DIR / filename).stat().st_size
        assert real.stats[level]["vertices_after"] < real.stats[level]["vertices_before"]
        for ring in _exterior_rings(real.geojson(level))[:20]:
            assert all(round(v, 4) == v for point in ring for v in point)


@needs_real
def test_real_geojson_ids_and_cache(real: Boundaries) -> None:
    for level in ("province", "district"):
        collection = real.geojson(level)
        assert collection is real.geojson(level)
        assert {f["id"] for f in collection["features"]} == real.codes(level)
        assert set(collection["features"][0]["properties"]) == {"name_en", "name_lo"}


@needs_real
def test_real_load_is_fast() -> None:
    start = time.perf_counter()
    assert load_boundaries(REAL_DIR) is not None
    assert time.perf_counter() - start < 2.0


# ---------------------------------------------------------------- discovery and formats


def test_no_folder_or_no_files_gives_none(tmp_path: Path) -> None:
    assert load_boundaries(None) is None
    assert load_boundaries(tmp_path / "missing") is None
    (tmp_path / "readme.txt").write_text("nothing here")
    assert load_boundaries(tmp_path) is None


def test_fixture_geojson_prepared(tmp_path: Path) -> None:
    boundaries = load_boundaries(_fixture_dir(tmp_path))
    assert boundaries is not None
    assert boundaries.codes("province") == {"LA01", "LA02"}
    assert boundaries.codes("district") == {"LA0101", "LA0102", "LA0201", "LA0202"}
    # The collinear mid-edge vertex is simplified away; provinces are dissolved squares.
    assert boundaries.stats["district"]["vertices_after"] == 4 * 5
    assert boundaries.provinces.geometry["LA01"].equals(shapely.box(102, 17, 103, 18))
    rings = _exterior_rings(boundaries.geojson("district"))
    assert len(rings) == 4 and not any(shapely.LinearRing(r).is_ccw for r in rings)
    assert boundaries.districts.loc["LA0102", "name_lo"] == "ສີໂຄດຕະບອງ"
    with pytest.raises(ValueError, match="level"):
        boundaries.codes("country")


def _codab(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    return frame.rename(columns={c: c.upper() for c in frame.columns if c != "geometry"})


def test_codab_field_names_in_shapefile(tmp_path: Path) -> None:
    for level, name in (
        ("adm1", "lao_admbnda_adm1_ngd_20191112"),
        ("adm2", "lao_admbnda_adm2_ngd_20191112"),
    ):
        frame = _codab(gpd.read_file(FIXTURES / f"lao_{level}.geojson"))
        assert "ADM2_PCODE" in frame.columns or level == "adm1"
        frame.to_file(tmp_path / f"{name}.shp", encoding="utf-8")
    # COD-AB line layers must not be mistaken for polygons.
    (tmp_path / "lao_admbndl_admall_ngd_20191112.shp").write_bytes(b"")
    boundaries = load_boundaries(tmp_path)
    assert boundaries is not None
    assert boundaries.codes("district") == {"LA0101", "LA0102", "LA0201", "LA0202"}
    assert boundaries.districts.loc["LA0201", "name_lo"] == "ຜົ້ງສາລີ"
    assert boundaries.districts.loc["LA0201", "parent_code"] == "LA02"


def test_codab_field_names_in_geojson(tmp_path: Path) -> None:
    def upper(provinces: dict[str, Any], districts: dict[str, Any]) -> None:
        for collection in (provinces, districts):
            for f in collection["features"]:
                f["properties"] = {k.upper(): v for k, v in f["properties"].items()}

    boundaries = load_boundaries(_fixture_dir(tmp_path, upper))
    assert boundaries is not None
    assert boundaries.provinces.loc["LA02", "name_en"] == "Phongsaly"


def test_gpkg_with_layers_and_projected_crs(tmp_path: Path) -> None:
    gpkg = tmp_path / "lao_adm_ngd_20191112.gpkg"
    for level in ("adm1", "adm2"):
        frame = _codab(gpd.read_file(FIXTURES / f"lao_{level}.geojson")).to_crs(32648)
        frame.to_file(gpkg, layer=f"lao_admbnda_{level}_ngd_20191112", driver="GPKG")
    boundaries = load_boundaries(tmp_path)
    assert boundaries is not None
    assert "layer 'lao_admbnda_adm2_ngd_20191112'" in boundaries.source_files["district"]
    minx, miny, maxx, maxy = boundaries.districts.total_bounds
    assert (minx, miny, maxx, maxy) == pytest.approx((102, 17, 104, 18), abs=1e-3)


def test_no_crs_and_projected_coordinates_is_an_error(tmp_path: Path) -> None:
    for level in ("adm1", "adm2"):
        frame = gpd.read_file(FIXTURES / f"lao_{level}.geojson").to_crs(32648)
        frame = frame.set_crs(None, allow_override=True)
        with pytest.warns(UserWarning, match="crs"):
            frame.to_file(tmp_path / f"lao_{level}.shp")
    assert not (tmp_path / "lao_adm1.prj").exists()
    with pytest.raises(BoundaryError, match=r"lao_adm1\.shp.*no CRS.*outside lon/lat"):
        load_boundaries(tmp_path)


def test_missing_district_layer_is_an_error(tmp_path: Path) -> None:
    _fixture_dir(tmp_path)
    (tmp_path / "lao_adm2.geojson").unlink()
    with pytest.raises(BoundaryError, match="no district layer"):
        load_boundaries(tmp_path)


# ---------------------------------------------------------------- validation rules


def _district_props(districts: dict[str, Any], row: int) -> dict[str, Any]:
    return districts["features"][row - 1]["properties"]


def _expect(tmp_path: Path, edit: Callable[..., None], *parts: str) -> BoundaryError:
    with pytest.raises(BoundaryError) as info:
        load_boundaries(_fixture_dir(tmp_path, edit))
    message = str(info.value)
    for part in parts:
        assert part in message, f"{part!r} not in {message!r}"
    assert isinstance(info.value, ValueError)
    return info.value


def test_duplicate_pcode(tmp_path: Path) -> None:
    def edit(_: dict[str, Any], d: dict[str, Any]) -> None:
        _district_props(d, 3)["adm2_pcode"] = "LA0101"

    _expect(
        tmp_path,
        edit,
        "lao_adm2.geojson",
        "row 3 of 4",
        "'adm2_pcode'",
        "duplicate",
        "first at row 1",
    )


def test_parent_not_a_province(tmp_path: Path) -> None:
    def edit(_: dict[str, Any], d: dict[str, Any]) -> None:
        _district_props(d, 4).update(adm2_pcode="LA0301", adm1_pcode="LA03")

    _expect(
        tmp_path,
        edit,
        "lao_adm2.geojson",
        "row 4 of 4",
        "'adm2_pcode'",
        "'LA03'",
        "not a province in",
        "lao_adm1.geojson",
    )


def test_parent_field_disagrees_with_code(tmp_path: Path) -> None:
    def edit(_: dict[str, Any], d: dict[str, Any]) -> None:
        _district_props(d, 1)["adm1_pcode"] = "LA02"

    _expect(tmp_path, edit, "lao_adm2.geojson", "row 1 of 4", "'adm1_pcode'", "disagrees")


def test_missing_pcode_column(tmp_path: Path) -> None:
    def edit(p: dict[str, Any], _: dict[str, Any]) -> None:
        for f in p["features"]:
            del f["properties"]["adm1_pcode"]

    _expect(tmp_path, edit, "lao_adm1.geojson", "all rows", "'adm1_pcode", "missing P-code column")


@pytest.mark.parametrize("value", [None, "  "])
def test_null_or_blank_pcode(tmp_path: Path, value: str | None) -> None:
    def edit(_: dict[str, Any], d: dict[str, Any]) -> None:
        _district_props(d, 2)["adm2_pcode"] = value

    _expect(tmp_path, edit, "lao_adm2.geojson", "row 2 of 4", "'adm2_pcode'", "null or blank")


def test_pcode_pattern(tmp_path: Path) -> None:
    def edit(p: dict[str, Any], _: dict[str, Any]) -> None:
        p["features"][1]["properties"]["adm1_pcode"] = "LA2"

    _expect(tmp_path, edit, "lao_adm1.geojson", "row 2 of 2", "'adm1_pcode'", "^LA\\d{2}$")


def test_all_problems_reported_together(tmp_path: Path) -> None:
    def edit(_: dict[str, Any], d: dict[str, Any]) -> None:
        _district_props(d, 1)["adm2_pcode"] = "LA01011"
        _district_props(d, 4)["adm2_pcode"] = None

    error = _expect(tmp_path, edit, "row 1 of 4", "row 4 of 4")
    assert len(error.problems) == 2


def test_null_geometry(tmp_path: Path) -> None:
    def edit(_: dict[str, Any], d: dict[str, Any]) -> None:
        d["features"][1]["geometry"] = None

    _expect(tmp_path, edit, "lao_adm2.geojson", "row 2 of 4", "'geometry'", "null geometry")


def test_empty_geometry(tmp_path: Path) -> None:
    provinces = gpd.read_file(FIXTURES / "lao_adm1.geojson")
    districts = gpd.read_file(FIXTURES / "lao_adm2.geojson")
    districts.loc[2, "geometry"] = shapely.Polygon()
    provinces.to_file(tmp_path / "lao_adm1.gpkg")
    districts.to_file(tmp_path / "lao_adm2.gpkg")
    with pytest.raises(BoundaryError, match=r"lao_adm2\.gpkg.*row 3 of 4.*'geom\w*'.*empty"):
        load_boundaries(tmp_path)


def test_invalid_geometry_repaired_with_warning(tmp_path: Path) -> None:
    def edit(_: dict[str, Any], d: dict[str, Any]) -> None:
        # A bow-tie inside LA0101's square: make_valid splits it into two triangles.
        x0, x1 = 102.0, 102.5
        ring = [[x0, 17], [x1, 18], [x1, 17], [x0, 18], [x0, 17]]
        d["features"][0]["geometry"] = {"type": "Polygon", "coordinates": [ring]}

    boundaries = load_boundaries(_fixture_dir(tmp_path, edit))
    assert boundaries is not None
    assert any("row 1 of 4" in w and "repaired" in w for w in boundaries.warnings)
    assert boundaries.districts.geometry["LA0101"].is_valid


def test_unrepairable_geometry(tmp_path: Path) -> None:
    def edit(_: dict[str, Any], d: dict[str, Any]) -> None:
        ring = [[102, 17], [102.2, 17], [102.4, 17], [102, 17]]  # collapses to a line
        d["features"][0]["geometry"] = {"type": "Polygon", "coordinates": [ring]}

    _expect(tmp_path, edit, "lao_adm2.geojson", "row 1 of 4", "'geometry'", "cannot repair")


# ---------------------------------------------------------------- coverage report


def test_coverage_report(tmp_path: Path) -> None:
    boundaries = load_boundaries(_fixture_dir(tmp_path))
    assert boundaries is not None
    report = coverage_report(boundaries, "district", ["LA0101", "LA0202", "LA0999", " ", None])
    assert report.without_shape == ["LA0999"]
    assert report.without_data == ["LA0102", "LA0201"]
    assert not report.complete
    full = coverage_report(boundaries, "province", ["LA02", "LA01"])
    assert full.without_shape == [] and full.without_data == [] and full.complete


# ---------------------------------------------------------------- schematic and constants


def test_schematic_tiles() -> None:
    tiles = province_tiles()
    assert set(tiles) == {f"LA{i:02d}" for i in range(1, 19)}
    assert len(set(tiles.values())) == 18
    rows = [r for r, _ in tiles.values()]
    cols = [c for _, c in tiles.values()]
    assert tiles["LA02"][0] == min(rows) and rows.count(min(rows)) == 1  # Phongsaly on top
    assert tiles["LA17"] == (max(rows), max(cols))  # Attapeu bottom-right
    assert tiles["LA05"][1] == min(cols)  # Bokeo far west
    r18, c18 = tiles["LA18"]
    assert tiles["LA10"] == (r18, c18 - 1) and tiles["LA09"] == (r18 - 1, c18)
    assert tiles["LA01"] == (tiles["LA10"][0] + 1, tiles["LA10"][1])


def test_schematic_geojson() -> None:
    collection = schematic_geojson()
    features = collection["features"]
    assert len(features) == 18
    assert {f["id"] for f in features} == set(province_tiles())
    shapes = [shape(f["geometry"]) for f in features]
    assert all(s.is_valid and not s.exterior.is_ccw for s in shapes)
    assert shapely.union_all(shapes).area == pytest.approx(sum(s.area for s in shapes))
    minx, miny, maxx, maxy = shapely.GeometryCollection(shapes).bounds
    assert 100 <= minx < maxx <= 108 and 13.9 <= miny < maxy <= 22.5
    north = {f["id"]: shape(f["geometry"]).centroid.y for f in features}
    assert max(north, key=north.__getitem__) == "LA02"
    assert "not a map" in SCHEMATIC_LABEL


def test_attribution_constants() -> None:
    assert "CC BY 3.0 IGO" in ATTRIBUTION and "National Geographic Department" in ATTRIBUTION
    assert "geoBoundaries" in ATTRIBUTION and "Modified" in ATTRIBUTION
    assert HDX_DATASET_URL == "https://data.humdata.org/dataset/cod-ab-lao"
