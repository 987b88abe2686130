"""What a server process serves: the checked release and the prepared boundaries, loaded once.

Callbacks and routes read `store.dataset` on every request. Swapping in another release is a
single reference assignment, so a request sees either the old release or the new one, never a
mix; and a release that fails validation never replaces the one being served.
"""

from __future__ import annotations

import fcntl
import json
import logging
import os
import threading
import time
from collections.abc import Callable
from contextvars import ContextVar, Token
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import yaml

from dashboard.changes import ChangelogEntry, read_changelog_entry
from dashboard.config import Settings
from dashboard.loading import PublicationError, latest_release_path, release_ids
from dashboard.publish import MANIFEST_FILE, load_dataset
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


#: The newest release any worker of this instance has served, in the instance's runtime folder.
MARK_FILE = "served-release"


class ReleaseUnavailable(Exception):
    """A published release id whose folder fails its checks (manifest, checksums, rules).

    Links pinned to it answer 503 with a plain message (`callbacks.security`): the files are
    broken on this server, not the reader's request.
    """

    def __init__(self, release_id: str):
        super().__init__(f"release {release_id} fails its checks on this server")
        self.release_id = release_id


@dataclass(frozen=True, eq=False)
class Served:
    """A release being served and the changelog up to it: swapped together, as one reference."""

    dataset: Dataset
    changelog: tuple[ChangelogEntry, ...]  # newest first


class Store:
    """Holds the dataset being served and the map geometry; picks up new releases while running.

    Every request reads one `Served` snapshot (see `begin_request`), so even a page that asks
    for `store.dataset` several times is drawn from one release while another is switched in.
    Releases only move forward: a release folder without a valid manifest is never served, and
    a worker never serves a release older than one its instance has already served (the
    high-water mark `MARK_FILE` in NSPS_RUNTIME_DIR, checked before each request).
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
        self._mark_seen: tuple[int, int] | None = None  # (mtime, size) of the mark last read
        self._mark = ""
        self._behind = ""  # a mark this worker failed to catch up with
        self._switch_listeners: list[Callable[[Dataset], None]] = []
        self._served = self._initial()
        self._raise_mark(self._served.dataset.release.release_id)
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
        """Ids of the release folders that were published (they carry a manifest), oldest first."""
        folder = self.settings.releases_dir
        return [i for i in release_ids(folder) if (folder / i / MANIFEST_FILE).is_file()]

    def dataset_for(self, release_id: str | None) -> Dataset:
        """The served release for None, else an older published one (checked, then cached).

        Pinned links and embeds name a release so that what they show never changes.
        Raises KeyError for an id that is not a published release, `ReleaseUnavailable` for
        one whose folder fails its checks (remembered until the folder changes).
        """
        current = self.dataset
        if not release_id or release_id == current.release.release_id:
            return current
        if release_id not in release_ids(self.settings.releases_dir):
            raise KeyError(release_id)
        with self._lock:
            if release_id not in self._pinned:
                fingerprint = self._fingerprint(release_id)
                if self._rejected.get(release_id) == fingerprint:
                    raise ReleaseUnavailable(release_id)
                try:
                    self._pinned[release_id] = self._load(release_id).dataset
                except (PublicationError, OSError, ValueError) as exc:
                    self._rejected[release_id] = fingerprint
                    log.error("release %s NOT served (asked for by a link): %s", release_id, exc)
                    raise ReleaseUnavailable(release_id) from None
            return self._pinned[release_id]

    def health_problems(self) -> list[str]:
        """Why this instance serves less than it should, for `/healthz` (empty: all is well)."""
        problems = []
        if self.geo.schematic:
            problems.append("schematic maps: no boundary files in NSPS_GEO_DIR")
        served = self._served.dataset.release.release_id
        refused = sorted(
            release_id
            for release_id, fingerprint in list(self._rejected.items())
            if release_id > served and self._fingerprint(release_id) == fingerprint
        )
        if refused:
            problems.append(
                f"fallback release: serving {served} because newer {', '.join(refused)} "
                "failed its checks (see the log)"
            )
        if self._read_mark() > served:
            problems.append(
                f"serving {served}, older than {self._mark} already served by this instance"
            )
        newest = max(self.available_releases(), default=served)
        if self.settings.release and newest > served:
            problems.append(f"pinned by NSPS_RELEASE to {served}; release {newest} is published")
        return problems

    # ------------------------------------------------------------ switching releases

    def on_switch(self, listener: Callable[[Dataset], None]) -> None:
        """Call `listener(dataset)` in the loading thread after each release switched in."""
        self._switch_listeners.append(listener)

    def _serve(self, served: Served) -> None:
        self._served = served
        self._raise_mark(served.dataset.release.release_id)
        for listener in self._switch_listeners:
            try:
                listener(served.dataset)
            except Exception:  # a listener's failure never undoes the switch
                log.exception("after switching to %s", served.dataset.release.release_id)

    def switch_to(self, release_dir: Path) -> Dataset:
        """Check a published release and, only if it passes, serve it (one atomic assignment)."""
        served = self._load(Path(release_dir).name, folder=release_dir)
        self._serve(served)
        return served.dataset

    def catch_up(self) -> bool:
        """Before a request: if another worker of this instance has served a newer release,
        switch to it now (inline), so no reader is sent back in time. Cheap when nothing
        changed (one stat of the mark file)."""
        if self.settings.release:
            return False
        mark = self._read_mark()
        if not mark or mark <= self._served.dataset.release.release_id or mark == self._behind:
            return False
        switched = self.refresh()
        if not switched:  # said once per mark (and in /healthz); the periodic look goes on
            self._behind = mark
            log.error(
                "serving %s, older than %s already served by this instance",
                self._served.dataset.release.release_id,
                mark,
            )
        return switched

    def refresh_if_new(self, background: bool = True) -> bool:
        """Cheap enough for every request: at most every N seconds, look for a newer release.

        When there is one, it is checked in a background thread (or inline) and swapped in
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
        """Serve the newest published release that passes its checks, if newer than the served.

        A release that fails is logged and never served; the one being served stays.
        """
        if self.settings.release:
            return False
        with self._refresh_lock:
            for release_id in self._candidates():
                fingerprint = self._fingerprint(release_id)
                try:
                    served = self._load(release_id)
                except (PublicationError, OSError, ValueError) as exc:
                    self._rejected[release_id] = fingerprint
                    log.error(
                        "release %s NOT served (still serving %s): %s",
                        release_id,
                        self._served.dataset.release.release_id,
                        exc,
                    )
                    continue
                self._serve(served)
                log.info("now serving release %s", release_id)
                return True
        return False

    def _candidates(self) -> list[str]:
        """Release ids newer than the served one, newest first, not already refused as they are.

        Folders without a manifest are candidates too: refusing them is logged (and retried
        once the folder changes, e.g. when a copy completes).
        """
        current = self._served.dataset.release.release_id
        return [
            release_id
            for release_id in reversed(release_ids(self.settings.releases_dir))
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

    # ------------------------------------------------------------ the high-water mark

    @property
    def _mark_path(self) -> Path | None:
        runtime = self.settings.runtime_dir
        return None if runtime is None else runtime / MARK_FILE

    def _read_mark(self) -> str:
        """The newest release id served by this instance ('' without a runtime folder)."""
        path = self._mark_path
        if path is None:
            return ""
        try:
            stat = path.stat()
        except OSError:
            return ""
        seen = (stat.st_mtime_ns, stat.st_size)
        if seen != self._mark_seen:
            try:
                self._mark = path.read_text(encoding="utf-8").strip()
            except OSError:
                return self._mark
            self._mark_seen = seen
        return self._mark

    def _raise_mark(self, release_id: str) -> None:
        """Record that this instance served `release_id` (the mark only ever increases)."""
        path = self._mark_path
        if path is None:
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path.with_suffix(".lock"), "a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)  # read-compare-write as one step across workers
            try:
                current = path.read_text(encoding="utf-8").strip()
            except OSError:
                current = ""
            if release_id > current:
                temporary = path.with_suffix(f".{os.getpid()}")
                temporary.write_text(release_id + "\n", encoding="utf-8")
                os.replace(temporary, path)

    # ------------------------------------------------------------ loading

    def _initial(self) -> Served:
        """The pinned release, else the newest that passes its checks (older ones as fallback)."""
        releases_dir = self.settings.releases_dir
        if self.settings.release:
            return self._load(latest_release_path(releases_dir, self.settings.release).name)
        ids = release_ids(releases_dir)
        if not ids:
            latest_release_path(releases_dir)  # raises "no release published"
        first_error: Exception | None = None
        for release_id in reversed(ids):
            try:
                return self._load(release_id)
            except (PublicationError, OSError, ValueError) as exc:
                first_error = first_error or exc
                self._rejected[release_id] = self._fingerprint(release_id)
                log.error("release %s NOT served: %s", release_id, exc)
        assert first_error is not None
        raise first_error

    def _load(self, release_id: str, folder: Path | None = None) -> Served:
        """Check manifest and rules (or read the checked snapshot), then build the dataset and
        its changelog."""
        folder = folder or self.settings.releases_dir / release_id
        dataset = load_dataset(folder)
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
        tidy = self.dataset.table
        for level in ("province", "district"):
            codes = set(tidy.loc[tidy["area_level"] == level, "area_code"].unique())
            report = coverage_report(boundaries, level, codes)
            if report.without_shape:
                log.warning("%s codes in the data without a shape: %s", level, report.without_shape)
            if report.without_data:
                log.info("%d %s shapes without any data", len(report.without_data), level)
