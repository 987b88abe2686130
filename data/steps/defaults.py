"""Write what each goal page opens on into the draft's goals.csv (`dashboard.defaults` states
the rule). The last step: it reads the catalogue and observations the earlier steps wrote."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from dashboard import defaults
from data.steps.common import columns, step_main, write_table


def _read(release_dir: Path, table: str) -> pd.DataFrame:
    """A table of the draft, every file of it (`observations.csv`, `observations-*.csv`)."""
    files = sorted(release_dir.glob(f"{table}.csv")) + sorted(release_dir.glob(f"{table}-*.csv"))
    return pd.concat(
        [pd.read_csv(f, dtype=str, keep_default_na=False) for f in files], ignore_index=True
    )


def run(shared_dir: Path, release_dir: Path) -> None:
    goals = _read(release_dir, "goals")
    indicators = _read(release_dir, "indicators").set_index("indicator_id")
    observations = _read(release_dir, "observations")
    challenges = _read(release_dir, "challenges").set_index("challenge_id")
    areas = _read(release_dir, "areas")
    chosen = pd.DataFrame(
        [
            defaults.choose(goal, indicators, observations, challenges, areas).as_row()
            for goal in goals["goal_id"]
        ]
    )
    for column in defaults.COLUMNS:
        goals[column] = chosen[column].to_numpy()
    write_table(goals[columns("goals")], release_dir / "goals.csv")


if __name__ == "__main__":
    step_main(run, __doc__)
