"""What a server process serves: the validated release and the prepared boundaries, loaded once.

Callbacks and routes read `store.dataset` on every request. Swapping in another release is a
single reference assignment, so a request sees either the old release or the new one, never a
mix; and a release that fails validation never replaces the one being served.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from contextvars import ContextVar, Token
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import yaml

from dashboard.changes import ChangelogEntry, read_changelog_entry
from dashboard.config import Settings
from dashboard.loading import PublicationError, latest_release_path, release_ids
from dashboard.publish import manifest_problems, validate_publication
from dashboard.queries import Dataset
from geo.boundaries import Boundaries, coverage_report, feature_bounds, load_boundaries
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

    @cached_property
    def _bounds(self) -> dict[str, dict[str, tuple[float, float, float, float]]]:
        out: dict[str, dict[str, tuple[float, float, float, float]]] = {}
        for level in ("province", "district"):
            collection = self.geojson(level)
            if collection is not None:
                out[level] = feature_bounds(collection)
        return out

    def bounds(self, level: str, area_code: str) -> tuple[float, float, float, float] | None:
        """(west, south, east, north) of an area's prepared shape: what a chosen area zooms to
        (`figures.area_zoom`); None for an unknown area or level."""
        return self._bounds.get(level, {}).get(area_code)


#: Seconds between two looks for a newly published release (NSPS_RELEASE_CHECK_SECONDS).


@dataclass(frozen=True, eq=False)
class Served:
    """A release being served and the changelog up to it: swapped together, as one reference."""

    dataset: Dataset
    changelog: tuple[ChangelogEntry, ...]  # newest first


class Store:
    """Holds the dataset being served and the map geometry; picks up new releases while running.

    Every request reads one `Served` snapshot (see `begin_request`), so even a page that asks
    for `store.dataset` several times is drawn from one release while another is switched in.
    """

    def __init__(self, settings: Settings):
        self.settings = settings
        self._pinned: dict[str, Dataset] = {}
        self._lock = threading.Lock()
        self._refresh_lock = threading.Lock()
        self._loader: threading.Thread | None = None
        self._next_check = 0.0
        # release id -> folder fingerprint when it failed: retried only once the folder changes
        self._rejected: dict[str, tuple] = {}
        self._entries: dict[str, ChangelogEntry] = {}
        self._request: ContextVar[Served | None] = ContextVar("nsps_served", default=None)
        self._served = self._initial()
        boundaries = load_boundaries(settings.geo_dir, settings.geo_simplify_tolerance)
        self.geo = GeoLayers(boundaries)
        self._report_coverage()

    # ------------------------------------------------------------ what a request reads

    @property
    def served(self) -> Served:
        return self._request.get() or self._served

    @property
    def dataset(self) -> Dataset:
        return self.served.dataset

    def changelog(self) -> tuple[ChangelogEntry, ...]:
        """Every release up to the one served, newest first, with what each changed."""
        return self.served.changelog

    def begin_request(self) -> Token:
        """Fix the release this request reads, whatever is switched in meanwhile."""
        return self._request.set(self._served)

    def end_request(self, token: Token) -> None:
        self._request.reset(token)

    def available_releases(self) -> list[str]:
        return release_ids(self.settings.releases_dir)

    def dataset_for(self, release_id: str | None) -> Dataset:
        """The served release for None, else an older published one (validated, then cached).

        Pinned links and embeds name a release so that what they show never changes.
        Raises KeyError for an id that is not a published release.
        """
        current = self.dataset
        if not release_id or release_id == current.release.release_id:
            return current
        if release_id not in self.available_releases():
            raise KeyError(release_id)
        with self._lock:
            if release_id not in self._pinned:
                self._pinned[release_id] = self._load(release_id, require_manifest=False).dataset
            return self._pinned[release_id]

    # ------------------------------------------------------------ switching releases

    def switch_to(self, release_dir: Path) -> Dataset:
        """Validate a release and, only if it passes, serve it (one atomic assignment)."""
        served = self._load(Path(release_dir).name, require_manifest=False, folder=release_dir)
        self._served = served
        return served.dataset

    def refresh_if_new(self, background: bool = True) -> bool:
        """Cheap enough for every request: at most every N seconds, look for a newer release.

        When there is one, it is validated in a background thread (or inline) and swapped in
        only if it passes. Returns True when a load was started (or, inline, a switch made).
        A pinned NSPS_RELEASE never switches.
        """
        if self.settings.release:
            return False
        now = time.monotonic()
        if now < self._next_check:
            return False
        self._next_check = now + self.settings.release_check_seconds
        if not self._candidates():
            return False
        if not background:
            return self.refresh()
        with self._lock:
            if self._loader is not None and self._loader.is_alive():
                return False
            self._loader = threading.Thread(target=self.refresh, name="nsps-release", daemon=True)
            self._loader.start()
        return True

    def refresh(self) -> bool:
        """Serve the newest published release that passes validation, if newer than the served.

        A release that fails is logged and never served; the one being served stays.
        """
        if self.settings.release:
            return False
        with self._refresh_lock:
            for release_id in self._candidates():
                fingerprint = self._fingerprint(release_id)
                try:
                    served = self._load(release_id, require_manifest=True)
                except (PublicationError, OSError, ValueError) as exc:
                    self._rejected[release_id] = fingerprint
                    log.error(
                        "release %s NOT served (still serving %s): %s",
                        release_id,
                        self._served.dataset.release.release_id,
                        exc,
                    )
                    continue
                self._served = served
                log.info("now serving release %s", release_id)
                return True
        return False

    def _candidates(self) -> list[str]:
        """Published ids newer than the served one, newest first, not already refused as is."""
        current = self._served.dataset.release.release_id
        return [
            release_id
            for release_id in reversed(self.available_releases())
            if release_id > current
            and self._rejected.get(release_id) != self._fingerprint(release_id)
        ]

    def _fingerprint(self, release_id: str) -> tuple:
        folder = self.settings.releases_dir / release_id
        try:
            return tuple(
                sorted((p.name, p.stat().st_size, p.stat().st_mtime_ns) for p in folder.iterdir())
            )
        except OSError:
            return ()

    def _initial(self) -> Served:
        """The pinned release, else the newest that passes validation (older ones as fallback)."""
        releases_dir = self.settings.releases_dir
        if self.settings.release:
            return self._load(
                latest_release_path(releases_dir, self.settings.release).name,
                require_manifest=False,
            )
        ids = release_ids(releases_dir)
        if not ids:
            latest_release_path(releases_dir)  # raises "no release published"
        first_error: Exception | None = None
        for release_id in reversed(ids):
            try:
                return self._load(release_id, require_manifest=False)
            except (PublicationError, OSError, ValueError) as exc:
                first_error = first_error or exc
                log.error("release %s NOT served: %s", release_id, exc)
        assert first_error is not None
        raise first_error

    def _load(
        self, release_id: str, *, require_manifest: bool, folder: Path | None = None
    ) -> Served:
        """Check manifest and every rule, then build the dataset and its changelog."""
        folder = folder or self.settings.releases_dir / release_id
        problems = manifest_problems(folder, required=require_manifest)
        if problems:
            raise PublicationError(problems)
        dataset = Dataset.from_release(validate_publication(folder))
        served_id = dataset.release.release_id
        ids = [i for i in self.available_releases() if i < served_id]
        entries = [self._entry(i) for i in reversed(ids)]
        own = read_changelog_entry(folder)
        self._entries[served_id] = own
        return Served(dataset, (own, *(e for e in entries if e is not None)))

    def _entry(self, release_id: str) -> ChangelogEntry | None:
        if release_id not in self._entries:
            try:
                self._entries[release_id] = read_changelog_entry(
                    self.settings.releases_dir / release_id
                )
            except (OSError, ValueError, yaml.YAMLError) as exc:
                log.warning("changelog of release %s unreadable: %s", release_id, exc)
                return None
        return self._entries[release_id]

    def _report_coverage(self) -> None:
        boundaries = self.geo.boundaries
        if boundaries is None:
            log.warning(
                "No boundary files in NSPS_GEO_DIR=%s: provinces use the schematic tile grid "
                "and district maps are unavailable.",
                self.settings.geo_dir,
            )
            return
        tidy = self.dataset.tidy
        for level in ("province", "district"):
            codes = set(tidy.loc[tidy["area_level"] == level, "area_code"])
            report = coverage_report(boundaries, level, codes)
            if report.without_shape:
                log.warning("%s codes in the data without a shape: %s", level, report.without_shape)
            if report.without_data:
                log.info("%d %s shapes without any data", len(report.without_data), level)
