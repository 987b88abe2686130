"""The published-data format as data: every table, column and rule that `data/README.md` documents.

Validation (`dashboard.loading`) is generic over these specs, so a new column or rule is one line
here rather than new code.
"""

from __future__ import annotations

from dataclasses import dataclass

NATURES = ("administrative", "survey", "estimate", "policy", "illustrative")
GOALS = ("1", "2", "3", "challenge", "context")
LEVELS = ("national", "province", "district")
DIRECTIONS = ("higher", "lower", "none")
UNIT_KINDS = ("percent", "index01", "count", "rate", "currency", "year", "flag", "other")
SEXES = ("total", "female", "male")
URBAN_RURAL = ("total", "urban", "rural")
#: A numeric target states a number; a commitment states an aim in words (any number read from
#: it is an interpretation, in `interpretation_en`).
TARGET_KINDS = ("numeric", "commitment")
COMPARISONS = ("at_least", "at_most")
#: Age groups as SDMX codes (`Y0T14` = under 15, `Y15T24`, `Y_GE65` = 65 and over); blank = total.
AGE_PATTERN = r"total|[MY][A-Z0-9_]+"

#: Allowed value range per `unit_kind` (inclusive); None means unbounded on that side.
UNIT_RANGES: dict[str, tuple[float | None, float | None]] = {
    "percent": (0.0, 100.0),
    "index01": (0.0, 1.0),
    "count": (0.0, None),
    "rate": (0.0, None),
    "currency": (0.0, None),
    "year": (1900.0, 2100.0),
    #: 1 = the source names this area (a programme area); an area it does not name has no row.
    "flag": (1.0, 1.0),
    "other": (None, None),
}

#: What a `url` column may hold: a web address. Releases before WEB_ADDRESSES_FROM also kept
#: internal references (`repo:…`, `github:…`), which pages show as text and never link; no
#: release may hold any other scheme (`javascript:`, `data:`, `file:` …).
WEB_SCHEMES = ("http", "https")
LEGACY_REFERENCE_SCHEMES = ("repo", "github")
WEB_ADDRESSES_FROM = "2026-12-03"

AREA_CODE_PATTERN = r"LA(\d{2}(\d{2})?)?"
YEAR_PATTERN = r"(19|20)\d{2}"


@dataclass(frozen=True)
class Column:
    """One column: its parsing kind, whether a value is required, and its allowed values."""

    name: str
    kind: str = "text"  # text | int | number | list | url
    required: bool = True
    choices: tuple[str, ...] | None = None
    pattern: str | None = None  # full-match regular expression
    default: str = ""  # value a blank cell stands for (only for optional columns)
    # Added after tables were first published: a file may leave the whole column out (= blank).
    may_be_absent: bool = False


@dataclass(frozen=True)
class ForeignKey:
    """`column` of this table (each item, for list columns) must exist in `table.target`."""

    column: str
    table: str
    target: str


@dataclass(frozen=True)
class Table:
    name: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]
    foreign_keys: tuple[ForeignKey, ...] = ()
    multi_file: bool = False  # `name.csv` and `name-*.csv` are read as one table
    # Added after releases were first published: a release without the file has no rows.
    may_be_absent: bool = False
    # Columns that older releases carry and that are no longer read (their content moved to
    # another table); a file may still hold them, and they are dropped when it is read.
    retired_columns: tuple[str, ...] = ()

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)


def _text(name: str, required: bool = True, **kw) -> Column:
    return Column(name, "text", required, **kw)


def _bilingual(stem: str, required: bool = True) -> tuple[Column, Column]:
    """English is required where the column is; Lao may be blank until translated."""
    return _text(f"{stem}_en", required), _text(f"{stem}_lo", required=False)


TABLES: dict[str, Table] = {
    t.name: t
    for t in (
        Table(
            "strategy",
            (_text("key", pattern=r"[a-z0-9_]+"), *_bilingual("text")),
            key=("key",),
        ),
        Table(
            "goals",
            (
                _text("goal_id", choices=("1", "2", "3")),
                *_bilingual("name"),
                *_bilingual("statement"),
                *_bilingual("description"),
                _text("objective_id", pattern=r"\d\.\d"),
                *_bilingual("objective"),
                # What the goal page opens on, computed by data/steps/defaults.py.
                _text("default_tab", required=False, choices=("map", "chart"), may_be_absent=True),
                _text("default_indicator", required=False, may_be_absent=True),
                _text(
                    "default_level",
                    required=False,
                    choices=("province", "district"),
                    may_be_absent=True,
                ),
                _text("default_series", required=False, may_be_absent=True),
            ),
            key=("goal_id",),
            foreign_keys=(
                ForeignKey("default_indicator", "indicators", "indicator_id"),
                ForeignKey("default_series", "indicators", "indicator_id"),
            ),
        ),
        Table(
            "activities",
            (_text("activity_id", pattern=r"\d\.\d\.\d{2}"), _text("goal_id"), *_bilingual("text")),
            key=("activity_id",),
            foreign_keys=(ForeignKey("goal_id", "goals", "goal_id"),),
        ),
        Table(
            "institutions",
            (_text("goal_id"), *_bilingual("institution")),
            key=("goal_id", "institution_en"),
            foreign_keys=(ForeignKey("goal_id", "goals", "goal_id"),),
        ),
        Table(
            "challenges",
            (
                _text("challenge_id", pattern=r"C\d{2}"),
                *_bilingual("text"),
                Column("goal_ids", "list", required=False),
                _text("note", required=False),
            ),
            key=("challenge_id",),
            foreign_keys=(ForeignKey("goal_ids", "goals", "goal_id"),),
        ),
        Table(
            "areas",
            (
                _text("area_code", pattern=AREA_CODE_PATTERN),
                _text("level", choices=LEVELS),
                _text("parent_code", required=False, pattern=AREA_CODE_PATTERN),
                *_bilingual("name"),
                _text("iso_code", required=False, pattern=r"LA-[A-Z]{2}"),
            ),
            key=("area_code",),
            foreign_keys=(ForeignKey("parent_code", "areas", "area_code"),),
        ),
        Table(
            "sources",
            (
                _text("source_id", pattern=r"[a-z0-9_]+"),
                _text("publisher"),
                _text("title"),
                Column("year", "int", required=False, pattern=YEAR_PATTERN),
                Column("url", "url", required=False),
                _text("licence"),
                _text("accessed", pattern=r"\d{4}-\d{2}-\d{2}"),
                _text("note", required=False),
                _text("via", required=False, may_be_absent=True),
                Column("via_url", "url", required=False, may_be_absent=True),
                Column("licence_url", "url", required=False, may_be_absent=True),
                _text("provenance", required=False, may_be_absent=True),
            ),
            key=("source_id",),
            multi_file=True,
        ),
        Table(
            "indicators",
            (
                _text("indicator_id", pattern=r"[A-Za-z0-9_.\-]+"),
                _text("goal", choices=GOALS),
                Column("activity_ids", "list", required=False),
                Column("challenge_ids", "list", required=False),
                *_bilingual("name"),
                *_bilingual("unit"),
                _text("unit_kind", choices=UNIT_KINDS),
                *_bilingual("definition"),
                _text("direction", choices=DIRECTIONS),
                _text("nature", choices=NATURES),
                _text("source_id"),
                _text("series_family", required=False),
                _text("budget_stack", required=False),
                Column("headline", "int", required=False),
                Column("decimals", "int", required=False, default="1"),
                *_bilingual("caveat", required=False),
            ),
            key=("indicator_id",),
            foreign_keys=(
                ForeignKey("activity_ids", "activities", "activity_id"),
                ForeignKey("challenge_ids", "challenges", "challenge_id"),
                ForeignKey("source_id", "sources", "source_id"),
            ),
            multi_file=True,
            # targets moved to targets.csv in release 2026-12-03
            retired_columns=("target_value", "target_year", "target_source_id", "target_note_en"),
        ),
        Table(
            "targets",
            (
                _text("target_id", pattern=r"[a-z0-9_]+"),
                _text("indicator_id", required=False),
                _text("kind", choices=TARGET_KINDS),
                Column("value", "number", required=False),
                Column("year", "int", required=False, pattern=YEAR_PATTERN),
                Column("baseline_year", "int", required=False, pattern=YEAR_PATTERN),
                _text("comparison", choices=COMPARISONS),
                _text("document_source_id"),
                *_bilingual("setter"),
                *_bilingual("wording"),
                *_bilingual("interpretation", required=False),
                *_bilingual("note", required=False),
            ),
            key=("target_id",),
            foreign_keys=(
                ForeignKey("indicator_id", "indicators", "indicator_id"),
                ForeignKey("document_source_id", "sources", "source_id"),
            ),
            may_be_absent=True,
        ),
        Table(
            "observations",
            (
                _text("indicator_id"),
                _text("area_code", pattern=AREA_CODE_PATTERN),
                Column("year", "int", required=False, pattern=YEAR_PATTERN),
                Column("value", "number"),
                _text("sex", required=False, choices=SEXES, default="total"),
                _text("urban_rural", required=False, choices=URBAN_RURAL, default="total"),
                _text("nature", choices=NATURES),
                _text("source_id"),
                _text("note", required=False),
                _text(
                    "age", required=False, pattern=AGE_PATTERN, default="total", may_be_absent=True
                ),
                _text("provenance", required=False, may_be_absent=True),
            ),
            key=("indicator_id", "area_code", "year", "sex", "urban_rural", "age"),
            foreign_keys=(
                ForeignKey("indicator_id", "indicators", "indicator_id"),
                ForeignKey("area_code", "areas", "area_code"),
                ForeignKey("source_id", "sources", "source_id"),
            ),
            multi_file=True,
        ),
        Table(
            "budget",
            (
                _text("budget_id", pattern=r"[A-Za-z0-9_.\-]+"),
                _text("goal", choices=("1", "2", "3")),
                *_bilingual("programme"),
                Column("year", "int", pattern=YEAR_PATTERN),
                Column("year_end", "int", required=False, pattern=YEAR_PATTERN),
                _text("area_code", pattern=AREA_CODE_PATTERN),
                Column("amount", "number"),
                _text("currency", pattern=r"[A-Z]{3}"),
                _text("stage", choices=("approved", "committed", "executed")),
                _text("funder", choices=("government", "donor", "mixed")),
                _text("nature", choices=NATURES),
                _text("source_id"),
                _text("note", required=False),
            ),
            key=("budget_id",),
            foreign_keys=(
                ForeignKey("area_code", "areas", "area_code"),
                ForeignKey("source_id", "sources", "source_id"),
            ),
        ),
    )
}

#: Order in which tables are read: a table's foreign keys point only at tables before it.
LOAD_ORDER = tuple(TABLES)
