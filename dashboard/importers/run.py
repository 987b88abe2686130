"""Shared end of every import: write the draft, check it with the publication's own validation,
and print what was read, mapped, rejected and what would change."""

from __future__ import annotations

import datetime as dt
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from dashboard.age_groups import age_label
from dashboard.config import REPO_ROOT, Settings
from dashboard.importers.draft import Draft, write_draft
from dashboard.importers.mapping import ImportResult, now_utc
from dashboard.loading import PublicationError, latest_release_path, read_release, release_ids
from dashboard.publish import PublishedRelease, publish

DRAFTS_DIR = REPO_ROOT / "data" / "drafts"
MAX_LISTED_CHANGES = 200


@dataclass
class Outcome:
    draft: Draft
    checked: PublishedRelease | None
    problems: list[str]

    @property
    def ok(self) -> bool:
        return self.checked is not None


def live_release(settings: Settings) -> Path:
    """The release servers serve now: drafts start from it."""
    return latest_release_path(settings.releases_dir, settings.release)


def areas_of(base: Path):
    """The gazetteer of the base release (for name suggestions and the workbook's lists)."""
    return read_release(base).areas


def default_out(channel: str) -> Path:
    return DRAFTS_DIR / f"{channel}-{now_utc().strftime('%Y%m%dT%H%M%SZ')}"


def next_release_id(releases_dir: Path) -> str:
    """Today, or the day after the newest release if that is today or later (ids are dates)."""
    today = dt.date.today()
    ids = release_ids(releases_dir)
    if ids and dt.date.fromisoformat(ids[-1]) >= today:
        today = dt.date.fromisoformat(ids[-1]) + dt.timedelta(days=1)
    return today.isoformat()


def check(draft: Path, releases_dir: Path) -> tuple[PublishedRelease | None, list[str]]:
    """Validate the draft exactly as `scripts/publish --check` does; publish nothing."""
    try:
        return publish(
            draft, releases_dir, release_id=next_release_id(releases_dir), dry_run=True
        ), []
    except PublicationError as exc:
        return None, [str(p) for p in exc.problems]


def finish(
    result: ImportResult,
    *,
    base: Path,
    out: Path | None,
    releases_dir: Path,
    title: str,
    dry_run: bool = False,
    say: Callable[[str], None] = print,
) -> Outcome:
    """Write and check the draft; print the summary. A dry run leaves nothing behind."""
    for line in result.summary_lines():
        say(line)
    workdir = Path(tempfile.mkdtemp(prefix="nsps-draft-")) if dry_run else None
    target = workdir / "draft" if workdir else (out or default_out(result.channel))
    try:
        draft = write_draft(result, base, target, title=title, notes=[title])
        for line in draft.superseded:
            say(f"replaces: {line}")
        for line in draft.dropped:
            say(f"removes: {line}")
        for indicator in draft.kept_catalogue:
            say(f"catalogue: {indicator} already exists; its catalogue entry is kept unchanged")
        checked, problems = check(target, releases_dir)
        if checked is None:
            say(f"the draft does NOT pass validation ({len(problems)} problem(s)):")
            for problem in problems:
                say(f"  {problem}")
        else:
            c = checked.counts
            verb = "would change" if dry_run else "publishable"
            say(
                f"{verb}: {c.added} values added, {c.revised} revised, {c.removed} removed "
                f"against release {checked.previous_id}"
            )
            if dry_run and checked.changes is not None:
                _list_changes(checked.changes, say)
        if not dry_run:
            say(f"draft written to {target}")
            if checked is not None:
                say(f"publish it with: bash scripts/publish {target}")
        return Outcome(draft, checked, problems)
    finally:
        if workdir is not None:
            shutil.rmtree(workdir, ignore_errors=True)


def _list_changes(changes, say: Callable[[str], None]) -> None:
    for _, row in changes.head(MAX_LISTED_CHANGES).iterrows():
        parts = [f"{row['change']}", row["indicator_id"], row["area_code"], str(row["year"])]
        breakdown = [row[c] for c in ("sex", "urban_rural") if row[c] != "total"]
        if row["age"] != "total":
            breakdown.append(f"{row['age']} ({age_label(row['age'], 'en')})")
        old, new = row["old_value"], row["new_value"]
        if row["change"] == "added":
            values = f"{new:g}"
        elif row["change"] == "removed":
            values = f"was {old:g}"
        else:
            values = f"{old:g} → {new:g}"
        say("  " + " ".join(parts + breakdown) + f": {values}")
    if len(changes) > MAX_LISTED_CHANGES:
        say(f"  … and {len(changes) - MAX_LISTED_CHANGES} more")
