"""Boundaries for the maps: real HDX COD-AB shapes when available, else a schematic tile grid.

The boundary files are third-party (CC BY 3.0 IGO) and live outside the repository; the
attribution below must be shown wherever the real shapes are drawn.
"""

from typing import Final

from geo.boundaries import (
    FIELD_ALIASES,
    LEVELS,
    Boundaries,
    BoundaryError,
    CoverageReport,
    coverage_report,
    load_boundaries,
)
from geo.schematic import SCHEMATIC_LABEL, province_tiles, schematic_geojson, tile_centres

HDX_DATASET_URL: Final = "https://data.humdata.org/dataset/cod-ab-lao"

#: From SOURCES.md "Attribution text", plus the modification notice CC BY-IGO requires
#: (SOURCES.md's suggested wording, and this dashboard's own simplification).
ATTRIBUTION: Final = (
    "Administrative boundaries: National Geographic Department (NGD), Lao PDR, and OCHA ROAP, "
    '"Lao PDR – Subnational Administrative Boundaries" (COD-AB, 2019-11-12), Humanitarian '
    "Data Exchange, licensed under CC BY 3.0 IGO; processed by geoBoundaries (Runfola et al. "
    "2020, PLoS ONE 15(4): e0231866). Province ISO codes matched using OpenStreetMap-derived "
    "boundaries (© OpenStreetMap contributors, ODbL). Boundaries and names shown do not imply "
    "official endorsement or acceptance. Modified: simplified by geoBoundaries; provinces "
    "dissolved from districts; Lao names partly supplemented; further simplified for web "
    "display by this dashboard."
)

__all__ = [
    "ATTRIBUTION",
    "FIELD_ALIASES",
    "HDX_DATASET_URL",
    "LEVELS",
    "SCHEMATIC_LABEL",
    "Boundaries",
    "BoundaryError",
    "CoverageReport",
    "coverage_report",
    "load_boundaries",
    "province_tiles",
    "schematic_geojson",
    "tile_centres",
]
