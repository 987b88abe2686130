"""Tile-grid cartogram of the 18 provinces, used when no boundary files are available.

The tiles are squares in fake lon/lat degrees placed over Laos' extent, so the same
`go.Choropleth(..., fitbounds="locations")` builder draws them as it draws the real map.
The layout is data (province_tiles.csv: area_code,row,col; row 0 is the north).
"""

from __future__ import annotations

import csv
import re
from functools import cache
from pathlib import Path
from typing import Any, Final

TILES_CSV: Final = Path(__file__).with_name("province_tiles.csv")
SCHEMATIC_LABEL: Final = "Schematic layout — not a map"

#: Size of one grid cell and of the square drawn in it, in degrees (the gap separates tiles).
CELL_DEG: Final = 1.0
TILE_DEG: Final = 0.9
#: The grid is centred here, inside Laos' extent (lon 100.1–107.6, lat 13.9–22.5).
CENTRE_LON: Final = 104.0
CENTRE_LAT: Final = 18.2

_PROVINCE_CODE = re.compile(r"^LA\d{2}$")


@cache
def province_tiles() -> dict[str, tuple[int, int]]:
    """P-code -> (row, col), checked: 18 provinces, valid codes, one province per cell."""
    with TILES_CSV.open(newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    tiles: dict[str, tuple[int, int]] = {}
    for line, row in enumerate(rows, start=2):
        code = row["area_code"].strip()
        cell = (int(row["row"]), int(row["col"]))
        if not _PROVINCE_CODE.match(code) or code in tiles or cell in tiles.values():
            raise ValueError(f"{TILES_CSV}:{line}: bad, duplicate code or duplicate cell {row}")
        tiles[code] = cell
    if len(tiles) != 18:
        raise ValueError(f"{TILES_CSV}: expected 18 provinces, found {len(tiles)}")
    return tiles


def _origin() -> tuple[float, float]:
    """Lon of column 0's left edge and lat of row 0's top edge, centring the grid."""
    tiles = province_tiles().values()
    n_rows = max(r for r, _ in tiles) + 1
    n_cols = max(c for _, c in tiles) + 1
    return CENTRE_LON - n_cols * CELL_DEG / 2, CENTRE_LAT + n_rows * CELL_DEG / 2


def tile_centres() -> dict[str, tuple[float, float]]:
    """P-code -> (lon, lat) of the tile centre, for text labels on the schematic."""
    west, north = _origin()
    return {
        code: (round(west + (col + 0.5) * CELL_DEG, 4), round(north - (row + 0.5) * CELL_DEG, 4))
        for code, (row, col) in province_tiles().items()
    }


@cache
def schematic_geojson() -> dict[str, Any]:
    """FeatureCollection of square tiles, `id` = P-code, exterior rings clockwise (d3-geo).

    Cached and shared: do not mutate.
    """
    half = TILE_DEG / 2
    features = []
    for code, (lon, lat) in sorted(tile_centres().items()):
        w, e = round(lon - half, 4), round(lon + half, 4)
        s, n = round(lat - half, 4), round(lat + half, 4)
        ring = [[w, s], [w, n], [e, n], [e, s], [w, s]]  # up, right, down: clockwise
        features.append(
            {
                "type": "Feature",
                "id": code,
                "properties": {"schematic": True},
                "geometry": {"type": "Polygon", "coordinates": [ring]},
            }
        )
    return {"type": "FeatureCollection", "features": features}
