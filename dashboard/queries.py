"""Pure query functions over a loaded release.

One tidy frame (`Dataset.table`, as text `Dataset.tidy`) joins every observation with its
indicator, area and source. Every chart, table, CSV download and API answer is a filter of it
through `observations_view`, so what a reader sees and what a reader downloads can never
disagree. Publishing stores that frame in the release's snapshot (`dashboard.snapshot`), so a
server start reads it instead of joining and sorting every observation again.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
import pandas as pd

from dashboard import defaults
from dashboard.cache import PerOwnerCache
from dashboard.citations import via_label
from dashboard.loading import Release

ILLUSTRATIVE_BADGE = "Illustrative — not official statistics"
#: The columns of `PUBLIC_COLUMNS` that hold numbers (every other one holds text).
NUMBER_COLUMNS = {"year": "Int64", "value": "float64", "source_year": "Int64"}
#: Raise when `tidy_table` changes what it derives, so stored tidy tables are rebuilt, not read.
TIDY_VERSION = 1

#: Columns of every public table (per-view CSV, full download, API), in this order.
PUBLIC_COLUMNS = (
    "indicator_id",
    "indicator_name",
    "goal",
    "area_code",
    "area_name",
    "area_name_lo",
    "area_level",
    "year",
    "value",
    "unit",
    "sex",
    "urban_rural",
    "age",
    "nature",
    "badge",
    "source_id",
    "source_publisher",
    "source_title",
    "source_year",
    "source_url",
    "source_via",
    "source_via_url",
    "source_label",
    "source_licence",
    "source_licence_url",
    "note",
    "provenance",
)


@dataclass(frozen=True, eq=False)
class Dataset:
    """A release plus the joined and grouped frames that every query starts from.

    `table` (`tidy_table`) holds text as categoricals: built or read once per release before
    workers fork, small and shared. Queries hand out plain-text frames (`tidy`, `rows`), made
    from it on first use in each process, so no caller meets categorical semantics.
    """

    release: Release
    table: pd.DataFrame = field(repr=False)
    _by_indicator: dict[str, pd.DataFrame] = field(repr=False)
    _text_rows: dict[str, pd.DataFrame] = field(default_factory=dict, repr=False)

    @classmethod
    def from_release(cls, release: Release, table: pd.DataFrame | None = None) -> Dataset:
        """The dataset of `release`; `table` is its `tidy_table` when already built (the
        snapshot's), else it is built here."""
        table = tidy_table(release) if table is None else table
        # `tidy_table` sorts by indicator, so each indicator's rows are one run: slices, no copy.
        codes = table["indicator_id"].cat.codes.to_numpy()
        starts = [0, *(np.flatnonzero(codes[1:] != codes[:-1]) + 1).tolist()]
        ends = [*starts[1:], len(table)]
        names = table["indicator_id"].cat.categories
        runs = zip(starts, ends, strict=True)
        groups = {names[codes[a]]: table.iloc[a:b] for a, b in runs if b > a}
        dataset = cls(release=release, table=table, _by_indicator=groups)
        dataset.coverage  # noqa: B018 -- built before workers fork
        return dataset

    @cached_property
    def tidy(self) -> pd.DataFrame:
        """Every observation joined with its catalogue and source columns, as plain text: what
        full downloads read (made from `table` on first use in each process)."""
        return as_text(self.table)

    def rows(self, indicator_id: str) -> pd.DataFrame:
        """All rows of one indicator, as plain text (empty frame for an unknown id)."""
        found = self._text_rows.get(indicator_id)
        if found is None:
            part = self._by_indicator.get(indicator_id)
            if part is None:
                return self.empty
            found = self._text_rows[indicator_id] = as_text(part)
        return found

    @cached_property
    def empty(self) -> pd.DataFrame:
        """No rows, with the columns and types of `tidy`."""
        return as_text(self.table.iloc[0:0])

    def rows_of(self, indicator_ids: list[str]) -> pd.DataFrame:
        """All rows of these indicators, as plain text, in `tidy`'s order."""
        frames = [self.rows(i) for i in dict.fromkeys(indicator_ids) if i in self._by_indicator]
        return pd.concat(frames).sort_index() if frames else self.empty

    def indicator(self, indicator_id: str) -> pd.Series:
        return self.release.indicators.loc[indicator_id]

    def has_indicator(self, indicator_id: object) -> bool:
        """Whether the release has this indicator; False for anything but a text id (a
        callback may receive any JSON value)."""
        return isinstance(indicator_id, str) and indicator_id in self.release.indicators.index

    @cached_property
    def coverage(self) -> dict[tuple[str, str], tuple[int, ...]]:
        """Years with a dated total value per (indicator, level), found once per release.

        Every map request asks which indicators, levels and years have data (dozens of
        questions per goal page); answering from this index instead of filtering rows keeps a
        request's cost flat as the release grows (bench/README.md).
        """
        rows = self.table[_totals(self.table) & self.table["year"].notna()]
        years = rows.groupby(["indicator_id", "area_level"], sort=False, observed=True)["year"]
        return {key: tuple(sorted(int(y) for y in found)) for key, found in years.unique().items()}

    @cached_property
    def national_map_indicator(self) -> str | None:
        """The indicator of the home page's province map (`defaults.national_map`), found once
        per release: the rule scans every observation."""
        release = self.release
        return defaults.national_map(release.indicators, self.table, release.areas)


def _totals(rows: pd.DataFrame) -> pd.Series:
    """Rows that are not broken down by sex, urban/rural or age."""
    return (rows["sex"] == "total") & (rows["urban_rural"] == "total") & (rows["age"] == "total")


def tidy_table(release: Release) -> pd.DataFrame:
    """Every observation joined with its indicator, area and source (`PUBLIC_COLUMNS`), sorted
    by indicator, level, area, year and breakdown.

    Text columns are categoricals with sorted categories: a few hundred distinct texts over
    hundreds of thousands of rows, so the frame is small, shared by forked workers, read from
    the snapshot without building a string per cell, and sorts and compares as text does.
    """
    obs = release.observations.reset_index(drop=True)
    ind = release.indicators
    areas = release.areas
    src = release.sources
    tidy = pd.DataFrame(
        {
            "indicator_id": obs["indicator_id"],
            "indicator_name": obs["indicator_id"].map(ind["name_en"]),
            "goal": obs["indicator_id"].map(ind["goal"]),
            "area_code": obs["area_code"],
            "area_name": obs["area_code"].map(areas["name_en"]),
            "area_name_lo": obs["area_code"].map(areas["name_lo"]),
            "area_level": obs["area_code"].map(areas["level"]),
            "year": obs["year"],
            "value": obs["value"],
            "unit": obs["indicator_id"].map(ind["unit_en"]),
            "sex": obs["sex"],
            "urban_rural": obs["urban_rural"],
            "age": obs["age"],
            "nature": obs["nature"],
            "badge": obs["nature"].map({"illustrative": ILLUSTRATIVE_BADGE}).fillna(""),
            "source_id": obs["source_id"],
            "source_publisher": obs["source_id"].map(src["publisher"]),
            "source_title": obs["source_id"].map(src["title"]),
            "source_year": obs["source_id"].map(src["year"]),
            "source_url": obs["source_id"].map(src["url"]),
            "source_via": obs["source_id"].map(src["via"]),
            "source_via_url": obs["source_id"].map(src["via_url"]),
            "source_label": obs["source_id"].map(_source_labels(src)),
            "source_licence": obs["source_id"].map(src["licence"]),
            "source_licence_url": obs["source_id"].map(src["licence_url"]),
            "note": obs["note"],
            "provenance": obs["provenance"],
        },
        columns=list(PUBLIC_COLUMNS),
    )
    level_order = tidy["area_level"].map({"national": 0, "province": 1, "district": 2})
    level_order = level_order.astype("float64")  # a number to sort by, not a category
    tidy = tidy.assign(_level=level_order).sort_values(
        ["indicator_id", "_level", "area_code", "year", "sex", "urban_rural", "age"],
        na_position="last",
    )
    tidy = tidy.drop(columns="_level").reset_index(drop=True)
    return sorted_categories(tidy.astype({c: NUMBER_COLUMNS.get(c, "category") for c in tidy}))


def as_text(frame: pd.DataFrame) -> pd.DataFrame:
    """`frame` with its categorical columns as plain text columns."""
    text = {c: "str" for c in frame.columns if isinstance(frame[c].dtype, pd.CategoricalDtype)}
    return frame.astype(text) if text else frame


def sorted_categories(frame: pd.DataFrame) -> pd.DataFrame:
    """`frame` with each categorical column's categories in text order (a column read back from
    Parquet has them in order of appearance), so sorting by it sorts as text."""
    for column in frame.columns:
        values = frame[column]
        if isinstance(values.dtype, pd.CategoricalDtype):
            categories = values.cat.categories
            if not categories.is_monotonic_increasing:
                frame[column] = values.cat.reorder_categories(categories.sort_values())
    return frame


def _source_labels(sources: pd.DataFrame) -> pd.Series:
    """Publisher, and "via …" for a secondary copy: cited as published, in English."""
    return pd.Series(
        [via_label(p, v, "en") for p, v in zip(sources["publisher"], sources["via"], strict=True)],
        index=sources.index,
        dtype=object,
    )


def full_table(ds: Dataset) -> pd.DataFrame:
    """Every observation of the release, one row each, with catalogue and source columns."""
    return ds.tidy


def observations_view(
    ds: Dataset,
    indicator_id: str,
    *,
    level: str | None = None,
    year: int | None = None,
    area_codes: tuple[str, ...] | None = None,
    dated_only: bool = False,
    totals_only: bool = True,
) -> pd.DataFrame:
    """The rows of one indicator that a view shows: the single query behind charts and downloads.

    Kept per dataset (`_VIEWS`): building one goal page asks for about 190 views, most of them
    asked before. Each caller gets its own shallow copy, so changing it changes no other.
    """
    key = (indicator_id, level, year, area_codes, dated_only, totals_only)
    return _VIEWS.get_or_make(ds, key, lambda: _observations_view(ds, *key)).copy(deep=False)


#: Views of observations kept per dataset (see `observations_view`); a few hundred small frames.
_VIEWS: PerOwnerCache[pd.DataFrame] = PerOwnerCache(1024)


def _observations_view(
    ds: Dataset,
    indicator_id: str,
    level: str | None,
    year: int | None,
    area_codes: tuple[str, ...] | None,
    dated_only: bool,
    totals_only: bool,
) -> pd.DataFrame:
    rows = ds.rows(indicator_id)
    mask = pd.Series(True, index=rows.index)
    if level is not None:
        mask &= rows["area_level"] == level
    if year is not None:
        mask &= rows["year"] == year
    if area_codes is not None:
        mask &= rows["area_code"].isin(area_codes)
    if dated_only:
        mask &= rows["year"].notna()
    if totals_only:
        mask &= _totals(rows)
    return rows[mask.fillna(False)]


def years_with_data(ds: Dataset, indicator_id: str, level: str) -> list[int]:
    """Years with a dated total value (the rows `observations_view(dated_only=True)` gives)."""
    return list(ds.coverage.get((indicator_id, level), ()))


def levels_with_data(ds: Dataset, indicator_id: str) -> list[str]:
    return [lv for lv in ("province", "district") if (indicator_id, lv) in ds.coverage]


def areas_at(ds: Dataset, level: str) -> pd.DataFrame:
    areas = ds.release.areas
    return areas[areas["level"] == level]


def family_members(ds: Dataset, indicator_id: str) -> list[str]:
    """The indicator and others of its series family (same measure, other method): series breaks."""
    ind = ds.release.indicators
    family = ind.at[indicator_id, "series_family"]
    if not family:
        return [indicator_id]
    members = ind.index[ind["series_family"] == family].tolist()
    return [indicator_id] + [m for m in members if m != indicator_id]


def series_view(ds: Dataset, indicator_id: str, area_codes: tuple[str, ...] = ()) -> pd.DataFrame:
    """Time-series rows: the national series of the indicator and its family, plus chosen areas."""
    frames = [
        observations_view(ds, member, area_codes=("LA",), dated_only=True)
        for member in family_members(ds, indicator_id)
    ]
    if area_codes:
        chosen = tuple(code for code in area_codes if code != "LA")
        frames.append(observations_view(ds, indicator_id, area_codes=chosen, dated_only=True))
    frames = [f for f in frames if not f.empty]
    if not frames:
        return ds.empty
    return pd.concat(frames).sort_values(["indicator_id", "area_code", "year"])


def undated_view(ds: Dataset, indicator_ids: list[str]) -> pd.DataFrame:
    """Values whose source gives no reference year: shown in tables, never on a time axis."""
    rows = ds.rows_of(indicator_ids)
    return rows[rows["year"].isna()]


def latest(ds: Dataset, indicator_id: str, area_code: str = "LA") -> pd.Series | None:
    """Most recent total value for an area; an undated value only when no dated one exists
    (found once per dataset: a goal page asks for dozens; each caller gets its own copy)."""
    key = (indicator_id, area_code)
    found = _LATEST.get_or_make(ds, key, lambda: _latest(ds, indicator_id, area_code))
    return None if found is None else found.copy(deep=False)


_LATEST: PerOwnerCache[pd.Series | None] = PerOwnerCache(1024)


def _latest(ds: Dataset, indicator_id: str, area_code: str) -> pd.Series | None:
    rows = observations_view(ds, indicator_id, area_codes=(area_code,))
    if rows.empty:
        return None
    dated = rows[rows["year"].notna()]
    return (dated if not dated.empty else rows).sort_values("year").iloc[-1]


def latest_breakdowns(ds: Dataset, indicator_id: str, area_code: str = "LA") -> pd.DataFrame:
    """The most recent value of each breakdown (urban/rural, sex, age) of an area, for series
    published only by breakdown (e.g. urban and rural poverty): one row per breakdown."""
    rows = observations_view(ds, indicator_id, area_codes=(area_code,), totals_only=False)
    rows = rows[~_totals(rows) & rows["year"].notna()]
    if rows.empty:
        return rows
    groups = ["sex", "urban_rural", "age"]
    return rows.sort_values("year").groupby(groups, sort=True).tail(1).sort_values(groups)


def financing_indicator_ids(ds: Dataset, goal: str) -> list[str]:
    """Money figures set by policy for a goal's activities (allocations, rates, donor funding,
    plans) that are not already programme envelopes of the budget table: shown beside them."""
    ind = ds.release.indicators
    envelopes = {b.upper() for b in ds.release.budget.index}
    money = ind[(ind["unit_kind"] == "currency") & (ind["nature"] == "policy")]
    of_goal = money["activity_ids"].map(lambda ids: any(a.startswith(f"{goal}.") for a in ids))
    return [i for i in money.index[of_goal] if i not in envelopes and not ds.rows(i).empty]


def goal_indicator_ids(ds: Dataset, goal: str) -> list[str]:
    ind = ds.release.indicators
    return ind.index[ind["goal"] == goal].tolist()


def goal_challenge_ids(ds: Dataset, goal: str) -> list[str]:
    challenges = ds.release.challenges
    return challenges.index[challenges["goal_ids"].map(lambda ids: goal in ids)].tolist()


def challenge_indicator_ids(ds: Dataset, challenge_id: str) -> list[str]:
    ind = ds.release.indicators
    return ind.index[ind["challenge_ids"].map(lambda ids: challenge_id in ids)].tolist()


def mappable_indicator_ids(ds: Dataset, goal: str) -> list[str]:
    """Indicators a goal page can map: the goal's own, then those of the challenges it faces.

    Real series come before illustrative ones, so the default view shows published figures;
    among them, those with values for more areas first (a one-province study is no default).
    """
    candidates = goal_indicator_ids(ds, goal)
    for challenge in goal_challenge_ids(ds, goal):
        candidates += [i for i in challenge_indicator_ids(ds, challenge) if i not in candidates]
    mappable = [i for i in candidates if levels_with_data(ds, i)]
    natures = ds.release.indicators["nature"]
    areas = {i: ds.rows(i)["area_code"].nunique() for i in mappable}
    return sorted(mappable, key=lambda i: (natures[i] == "illustrative", -min(areas[i], 18)))


def series_indicator_ids(ds: Dataset, goal: str) -> list[str]:
    """Indicators of a goal with at least two dated national values (worth a time series)."""
    return list(_SERIES_IDS.get_or_make(ds, goal, lambda: _series_indicator_ids(ds, goal)))


_SERIES_IDS: PerOwnerCache[list[str]] = PerOwnerCache(8)


def _series_indicator_ids(ds: Dataset, goal: str) -> list[str]:
    out = []
    for indicator_id in goal_indicator_ids(ds, goal):
        national = observations_view(ds, indicator_id, area_codes=("LA",), dated_only=True)
        if len(national) >= 2:
            out.append(indicator_id)
    return out


def headline_indicator_ids(ds: Dataset, goal: str) -> list[str]:
    ind = ds.release.indicators
    rows = ind[(ind["goal"] == goal) & ind["headline"].notna()]
    return rows.sort_values("headline").index.tolist()


#: The source columns a target's document is described with (`document_<column>`).
DOCUMENT_COLUMNS = ("publisher", "title", "year", "url", "via", "via_url", "licence", "licence_url")


def targets_view(ds: Dataset) -> pd.DataFrame:
    """Every target and commitment with its document's citation fields (`document_publisher`,
    `document_title` …, as in sources.csv), by target year then id (built once per dataset;
    each caller gets its own shallow copy)."""
    return _TARGETS.get_or_make(ds, "targets", lambda: _targets_view(ds)).copy(deep=False)


_TARGETS: PerOwnerCache[pd.DataFrame] = PerOwnerCache(1)


def _targets_view(ds: Dataset) -> pd.DataFrame:
    targets = ds.release.targets.sort_index()
    src = ds.release.sources
    documents = targets["document_source_id"]
    view = targets.assign(
        **{f"document_{column}": documents.map(src[column]) for column in DOCUMENT_COLUMNS},
        document_label=documents.map(_source_labels(src)),
    )
    return view.sort_values(["year"], na_position="last", kind="stable")  # index: target_id


def indicator_targets(ds: Dataset, indicator_id: str) -> pd.DataFrame:
    """The targets set on one series' definition (never those of another family member)."""
    view = targets_view(ds)
    return view[view["indicator_id"] == indicator_id]


def drawn_targets(ds: Dataset, indicator_id: str) -> pd.DataFrame:
    """The targets a chart of the indicator draws: those with a value and a target year."""
    view = indicator_targets(ds, indicator_id)
    return view[view["value"].notna() & view["year"].notna()]


def budget_stack_view(ds: Dataset, goal: str) -> pd.DataFrame:
    """National rows of each budget stack (e.g. health spending by source) that bears on a goal."""
    ind = ds.release.indicators
    stacked = ind[ind["budget_stack"] != ""]
    stacks = stacked.groupby("budget_stack")["goal"].agg(set)
    wanted = [name for name, goals in stacks.items() if goal in goals]
    members = stacked.index[stacked["budget_stack"].isin(wanted)].tolist()
    rows = ds.rows_of(members)
    rows = rows[(rows["area_code"] == "LA") & rows["year"].notna()]
    return rows.assign(budget_stack=rows["indicator_id"].map(ind["budget_stack"]))


def budget_view(ds: Dataset, goal: str) -> pd.DataFrame:
    """Budget lines of a goal with their source, in the order they are drawn."""
    budget = ds.release.budget
    rows = budget[budget["goal"] == goal].reset_index(drop=True)
    src = ds.release.sources
    return rows.assign(
        source_publisher=rows["source_id"].map(src["publisher"]),
        source_label=rows["source_id"].map(_source_labels(src)),
        source_title=rows["source_id"].map(src["title"]),
        source_url=rows["source_id"].map(src["url"]),
    ).sort_values(["year", "budget_id"])


def sources_of(view: pd.DataFrame) -> pd.DataFrame:
    """The distinct sources behind a view, for its source line."""
    cols = ["source_id", "source_publisher", "source_title", "source_year", "source_url"]
    cols += ["source_via", "source_via_url"]
    return view[cols].drop_duplicates("source_id")


def natures_of(view: pd.DataFrame) -> list[str]:
    return sorted(set(view["nature"]))


def default_view(ds: Dataset, goal: str) -> defaults.DefaultView:
    """What a goal page opens on, as the release's catalogue (`goals.csv`) says; computed by
    the same rule for releases published before it said so."""
    row = ds.release.goals.loc[goal]
    if row.get("default_tab"):
        return defaults.DefaultView(
            tab=row["default_tab"],
            indicator_id=row["default_indicator"] or None,
            level=row["default_level"] or None,
            series_id=row["default_series"] or None,
        )
    release = ds.release
    return defaults.choose(
        goal, release.indicators, release.observations, release.challenges, release.areas
    )


def national_map_indicator(ds: Dataset) -> str | None:
    """The indicator of the home page's province map (`defaults.national_map`)."""
    return ds.national_map_indicator
