"""`scripts/refresh`: run the configured imports, diff against the live release, publish if changed.

Meant for a daily timer (docs/deployment.md). `data/channels/channels.yaml` says which channels
run and which indicators each one supplies; every channel's draft starts from the previous one,
so one release carries them all. Nothing is published unless the result passes the one
validation and at least one value was added, revised or removed. A channel that fails keeps its
values of the live release (its files are carried over unchanged) and makes the run exit 1.
"""

from __future__ import annotations

import argparse
import datetime as dt
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from dashboard.config import Settings
from dashboard.importers import dhis2, sdmx
from dashboard.importers.__main__ import run_channel
from dashboard.importers.draft import write_draft
from dashboard.importers.mapping import CHANNELS_DIR, ImportResult, MappingError
from dashboard.importers.run import live_release
from dashboard.loading import PublicationError
from dashboard.publish import publish

CONFIG_FILE = CHANNELS_DIR / "channels.yaml"
CHANNELS = ("dhis2", "opensdg", "sdmx")


class ConfigError(ValueError):
    """channels.yaml cannot be used; the message names the entry and the rule."""


@dataclass(frozen=True)
class ChannelConfig:
    channel: str
    indicators: tuple[str, ...]
    options: dict
    enabled: bool = True


def read_config(path: Path = CONFIG_FILE, *, enabled_only: bool = True) -> list[ChannelConfig]:
    """The enabled channels (with `enabled_only=False` every entry); an indicator may be supplied
    by one channel only."""
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise ConfigError(f"{path}: not readable ({exc})") from None
    configs, owner = [], {}
    for number, entry in enumerate(data.get("channels") or [], start=1):
        where = f"{Path(path).name}, channel entry {number}"
        name = entry.get("channel")
        if name not in CHANNELS:
            raise ConfigError(f"{where}: channel must be one of {', '.join(CHANNELS)}")
        indicators = tuple(str(i) for i in entry.get("indicators") or ())
        for indicator in indicators:
            if indicator in owner:
                raise ConfigError(
                    f"{where}: {indicator} is already supplied by {owner[indicator]}"
                    " (an indicator comes from one channel)"
                )
            owner[indicator] = name
        enabled = bool(entry.get("enabled", False))
        if not enabled and enabled_only:
            continue
        if enabled and not indicators:
            raise ConfigError(f"{where}: list the indicators this channel supplies")
        options = {k: v for k, v in entry.items() if k not in ("channel", "enabled", "indicators")}
        configs.append(ChannelConfig(name, indicators, options, enabled))
    return configs


def nothing_enabled(path: Path) -> list[str]:
    """What `scripts/refresh` says when every channel is off: which would supply what."""
    lines = [f"no channel enabled in {path}: nothing imported, nothing published"]
    for config in read_config(path, enabled_only=False):
        supplies = ", ".join(config.indicators) or "no indicator yet"
        lines.append(f"  {config.channel}: off (would supply {supplies})")
    lines.append(
        "A channel is switched on (enabled: true) once its owner has supplied what data/README.md "
        "lists under 'What a ministry supplies to turn an illustrative map into an official one'."
    )
    return lines


def _arguments(config: ChannelConfig, today: dt.date) -> argparse.Namespace:
    """The same arguments `scripts/import <channel>` would be given."""
    o = config.options
    mapping = Path(o["mapping"]) if o.get("mapping") else None
    if config.channel == "dhis2":
        years_back = int(o.get("years_back", 5))
        return argparse.Namespace(
            channel="dhis2",
            mapping=mapping,
            crosswalk=Path(o["crosswalk"]) if o.get("crosswalk") else None,
            response=None,
            url=o.get("url"),
            timeout=float(o.get("timeout", 60)),
            retries=int(o.get("retries", 3)),
            row_limit=int(o.get("row_limit", dhis2.DEFAULT_ROW_LIMIT)),
            periods=None,
            first=today.year - years_back,
            last=today.year - 1,
            levels=",".join(str(level) for level in o.get("levels", [2, 3])),
        )
    if config.channel == "opensdg":
        return argparse.Namespace(channel="opensdg", mapping=mapping, path=Path(o["path"]))
    return argparse.Namespace(
        channel="sdmx",
        mapping=mapping,
        path=[Path(p) for p in o.get("paths") or []],
        source_url=o.get("source_url"),
        structure=[Path(p) for p in o.get("structure") or []],
    )


def keep_configured(result: ImportResult, indicators: Sequence[str]) -> None:
    """Rows of indicators this channel is not configured for are rejected, and listed."""
    wanted = set(indicators)
    kept = []
    for row in result.observations:
        if row["indicator_id"] in wanted:
            kept.append(row)
        else:
            where = row["provenance"].split(", read ")[0].split(", retrieved ")[0]
            result.reject(
                where,
                None,
                "indicator not configured for this channel (channels.yaml)",
                row["indicator_id"],
            )
    result.observations = kept
    result.indicators = {i: e for i, e in result.indicators.items() if i in wanted}
    used = {row["source_id"] for row in kept} | {e["source_id"] for e in result.indicators.values()}
    result.sources = {s: r for s, r in result.sources.items() if s in used}


@dataclass
class RefreshReport:
    published: str | None = None
    failed: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def exit_code(self) -> int:
        return 1 if self.failed or self.problems else 0


def refresh(
    configs: list[ChannelConfig],
    settings: Settings,
    *,
    release_id: str | None = None,
    dry_run: bool = False,
    say: Callable[[str], None] = print,
) -> RefreshReport:
    report = RefreshReport()
    started = time.monotonic()

    def progress(message: str) -> None:
        print(f"[{time.monotonic() - started:6.1f} s] {message}", file=sys.stderr, flush=True)

    base = live_release(settings)
    today = dt.date.today()
    work = Path(tempfile.mkdtemp(prefix="nsps-refresh-"))
    try:
        current = base
        notes = []
        for step, config in enumerate(configs, start=1):
            progress(f"{step}/{len(configs)} {config.channel}: importing")
            try:
                result = run_channel(_arguments(config, today), base)
            except (MappingError, FileNotFoundError, dhis2.DHIS2Error, sdmx.SDMXError) as exc:
                report.failed.append(f"{config.channel}: {exc}")
                say(f"{config.channel} FAILED, its values stay as in the live release: {exc}")
                continue
            keep_configured(result, config.indicators)
            for line in result.summary_lines():
                say(line)
            draft = work / f"{step}-{config.channel}"
            write_draft(result, current, draft, title="refresh")
            current = draft
            notes.append(f"{config.channel}: {len(result.observations)} values imported")
        if current == base:
            say("no channel produced a draft: nothing to publish")
            return report
        progress("validating the combined draft")
        title = f"Automatic refresh {today.isoformat()}"
        try:
            checked = publish(
                current,
                settings.releases_dir,
                release_id=release_id,
                title=title,
                notes=notes,
                dry_run=True,
            )
        except PublicationError as exc:
            report.problems = [str(p) for p in exc.problems]
            say(f"NOT PUBLISHED: {len(report.problems)} problem(s)")
            for problem in report.problems:
                say(f"  {problem}")
            return report
        c = checked.counts
        say(
            f"against {checked.previous_id}: {c.added} added, {c.revised} revised, "
            f"{c.removed} removed"
        )
        if not (c.added or c.revised or c.removed):
            say("nothing changed: no release published")
            return report
        if dry_run:
            say(f"dry run: release {checked.release_id} would be published")
            return report
        progress(f"publishing release {checked.release_id}")
        published = publish(
            current, settings.releases_dir, release_id=release_id, title=title, notes=notes
        )
        report.published = published.release_id
        say(f"published release {published.release_id} at {published.path}")
        return report
    finally:
        shutil.rmtree(work, ignore_errors=True)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="scripts/refresh",
        description="Run the imports configured in data/channels/channels.yaml and publish a "
        "new release only if it passes validation and something changed.",
    )
    parser.add_argument("--config", type=Path, default=CONFIG_FILE)
    parser.add_argument("--id", dest="release_id", help="release id (default today)")
    parser.add_argument("--dry-run", action="store_true", help="show what would change only")
    args = parser.parse_args(argv)
    try:
        configs = read_config(args.config)
    except ConfigError as exc:
        print(f"NOT REFRESHED: {exc}", file=sys.stderr)
        return 1
    if not configs:
        print("\n".join(nothing_enabled(args.config)))
        return 0
    try:
        report = refresh(
            configs, Settings.from_env(), release_id=args.release_id, dry_run=args.dry_run
        )
    except PublicationError as exc:
        print(f"NOT REFRESHED: {exc}", file=sys.stderr)
        return 1
    for failure in report.failed:
        print(f"channel failed: {failure}", file=sys.stderr)
    return report.exit_code


if __name__ == "__main__":
    sys.exit(main())
