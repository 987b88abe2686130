"""What a server process serves: the validated release and the prepared boundaries, loaded once.

Callbacks and routes read `store.dataset` on every request. Swapping in another release is a
single reference assignment, so a request sees either the old release or the new one, never a
mix; and a release that fails validation never replaces the one being served.
"""

from __future__ import annotations

import json
import logging
import threading
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from dashboard.config import Settings
from dashboard.loading import latest_release_path, read_release, release_ids
from dashboard.queries import Dataset
from geo.boundaries import Boundaries, coverage_report, load_boundaries
from geo.schematic import schematic_geojson

log = logging.getLogger(__name__)


@dataclass(frozen=True, eq=False)
class GeoLayers:
    """Map geometry per level, ready to serve: real boundaries or the schematic fallback."""

    boundaries: Boundaries | None

    @property
    def schematic(self) -> bool:
        return self.boundaries is None

    def has_level(self, level: str) -> bool:
        return self.boundaries is not None or level == "province"

    def geojson(self, level: str) -> dict | None:
        if self.boundaries is not None:
            return self.boundaries.geojson(level)
        return schematic_geojson() if level == "province" else None

    @cached_property
    def _encoded(self) -> dict[str, bytes]:
        out = {}
        for level in ("province", "district"):
            collection = self.geojson(level)
            if collection is not None:
                out[level] = json.dumps(collection, separators=(",", ":")).encode()
        return out

    def geojson_bytes(self, level: str) -> bytes | None:
        return self._encoded.get(level)


class Store:
    """Holds the dataset being served and the map geometry."""

    def __init__(self, settings: Settings):
        self.settings = settings
        self._dataset = Dataset.from_release(
            read_release(latest_release_path(settings.releases_dir, settings.release))
        )
        self._pinned: dict[str, Dataset] = {}
        self._lock = threading.Lock()
        boundaries = load_boundaries(settings.geo_dir, settings.geo_simplify_tolerance)
        self.geo = GeoLayers(boundaries)
        self._report_coverage()

    @property
    def dataset(self) -> Dataset:
        return self._dataset

    def available_releases(self) -> list[str]:
        return release_ids(self.settings.releases_dir)

    def dataset_for(self, release_id: str | None) -> Dataset:
        """The served release for None, else an older published one (validated, then cached).

        Pinned links and embeds name a release so that what they show never changes.
        Raises KeyError for an id that is not a published release.
        """
        current = self._dataset
        if not release_id or release_id == current.release.release_id:
            return current
        if release_id not in self.available_releases():
            raise KeyError(release_id)
        with self._lock:
            if release_id not in self._pinned:
                self._pinned[release_id] = Dataset.from_release(
                    read_release(self.settings.releases_dir / release_id)
                )
            return self._pinned[release_id]

    def switch_to(self, release_dir: Path) -> Dataset:
        """Validate a release and, only if it passes, serve it (one atomic assignment)."""
        dataset = Dataset.from_release(read_release(release_dir))
        self._dataset = dataset
        return dataset

    def _report_coverage(self) -> None:
        boundaries = self.geo.boundaries
        if boundaries is None:
            log.warning(
                "No boundary files in NSPS_GEO_DIR=%s: provinces use the schematic tile grid "
                "and district maps are unavailable.",
                self.settings.geo_dir,
            )
            return
        tidy = self._dataset.tidy
        for level in ("province", "district"):
            codes = set(tidy.loc[tidy["area_level"] == level, "area_code"])
            report = coverage_report(boundaries, level, codes)
            if report.without_shape:
                log.warning("%s codes in the data without a shape: %s", level, report.without_shape)
            if report.without_data:
                log.info("%d %s shapes without any data", len(report.without_data), level)
