"""Build the draft of the next release: run every step, in order, into one empty draft folder.

`bash scripts/build-release` runs this and then publishes the draft with `scripts/publish`, so
a release is always the output of the steps on the reference material, never a hand edit.
The draft folder is emptied first, so a table a step no longer writes cannot linger in it.
Same inputs give byte-identical tables (every step sorts and writes with `write_table`).
"""

from __future__ import annotations

import argparse
import shutil
from collections.abc import Callable
from pathlib import Path

import yaml

from data.steps import areas, defaults, framework, illustrative, import_reference, targets
from data.steps.common import DEFAULT_RELEASE_DIR, DEFAULT_SHARED_DIR

STEPS_DIR = Path(__file__).resolve().parent
#: id, title and notes of the release the draft becomes (copied into the draft's release.yaml).
RELEASE_META = STEPS_DIR / "release.yaml"

Step = Callable[[Path, Path], None]

#: The order matters: the illustrative step reads the areas and the real observations the
#: earlier steps wrote into the draft; the targets step checks its targets against them; the
#: defaults step reads everything.
STEPS: list[tuple[str, Step]] = [
    ("areas", areas.run),
    ("framework", framework.run),
    ("import_reference", import_reference.run),
    ("illustrative", lambda shared_dir, draft_dir: illustrative.run(draft_dir)),
    ("targets", targets.run),
    ("defaults", defaults.run),  # last: reads the catalogue and every observation
]


def release_meta() -> dict:
    """The next release's id, title and notes (`data/steps/release.yaml`)."""
    return yaml.safe_load(RELEASE_META.read_text(encoding="utf-8"))


def build(shared_dir: Path, draft_dir: Path) -> None:
    """Every step into an emptied `draft_dir`, plus the release.yaml `scripts/publish` reads."""
    if draft_dir.exists():
        shutil.rmtree(draft_dir)
    draft_dir.mkdir(parents=True)
    for name, run in STEPS:
        print(f"build: step {name}", flush=True)
        run(shared_dir, draft_dir)
    meta = release_meta()
    (draft_dir / "release.yaml").write_text(
        yaml.safe_dump(
            {"title": meta["title"], "notes": meta["notes"]}, allow_unicode=True, sort_keys=False
        ),
        encoding="utf-8",
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--shared-dir", type=Path, default=DEFAULT_SHARED_DIR)
    parser.add_argument("--draft-dir", type=Path, default=DEFAULT_RELEASE_DIR)
    parser.add_argument(
        "--print-id", action="store_true", help="print the next release's id and exit"
    )
    args = parser.parse_args()
    if args.print_id:
        print(release_meta()["id"])
        return
    build(args.shared_dir, args.draft_dir)


if __name__ == "__main__":
    main()
