"""A columnar copy (Parquet) of a validated release: written once by publishing, read by servers.

Checking every rule of every CSV cell takes seconds per million observations, and each server
start did it again. Publishing validates once and writes the typed tables as they came out of
validation, one `snapshot-<table>.parquet` per table, listed in `MANIFEST.sha256`. A server
reads them back instead (`dashboard.publish.load_published`) — but only when the manifest
vouches for their checksums and they were written under the rules in force now (a fingerprint
of `dashboard.schema`); otherwise it validates the CSV tables in full. Unvalidated data is never
served.

Beside the tables it stores the one derived frame every server builds from them, the joined and
sorted observations (`queries.tidy_table`, `snapshot-tidy.parquet`, categorical text), under a
fingerprint of the rules and of the query code's `TIDY_VERSION`: at 100× the observations,
building it took most of a start. A missing or stale one is built again at start, never trusted.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Mapping
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from dashboard.loading import (
    CATEGORICAL_TABLES,
    Problem,
    PublicationError,
    Release,
    read_meta,
)
from dashboard.queries import PUBLIC_COLUMNS, TIDY_VERSION, sorted_categories, tidy_table
from dashboard.schema import LOAD_ORDER, TABLES, UNIT_RANGES

log = logging.getLogger(__name__)

PREFIX = "snapshot-"
SUFFIX = ".parquet"
#: Raise when the snapshot layout changes, so older snapshots are validated instead of trusted.
FORMAT_VERSION = 1
_RULES_KEY = b"nsps_rules"
_TABLES_KEY = b"nsps_tables"  # the digest of the CSV files the snapshot was made from
#: The rules a snapshot was validated under: tables, columns, patterns, choices, ranges.
RULES_FINGERPRINT = hashlib.sha256(
    repr((FORMAT_VERSION, sorted(TABLES.items()), sorted(UNIT_RANGES.items()))).encode()
).hexdigest()


#: The derived table: the joined observations every server starts from (`queries.tidy_table`).
TIDY = "tidy"
TIDY_FINGERPRINT = hashlib.sha256(
    repr((RULES_FINGERPRINT, TIDY_VERSION, PUBLIC_COLUMNS)).encode()
).hexdigest()


def snapshot_name(table: str) -> str:
    return f"{PREFIX}{table}{SUFFIX}"


def is_snapshot_file(name: str) -> bool:
    return name.startswith(PREFIX) and name.endswith(SUFFIX)


def tables_digest(checksums: Mapping[str, str]) -> str:
    """One digest of a release's CSV files (name → sha256): binds a snapshot to the very files
    it was made from, so a table edited afterwards (even with a manifest written again by hand)
    is validated, never hidden behind an older snapshot."""
    lines = "".join(
        f"{checksums[name]}  {name}\n" for name in sorted(checksums) if name.endswith(".csv")
    )
    return hashlib.sha256(lines.encode()).hexdigest()


def write_snapshot(release: Release, folder: Path, digest: str) -> list[Path]:
    """Write every table of a validated `release` into `folder`, made from the CSV files of
    `tables_digest` `digest`; returns the files written."""
    written = []
    for name in LOAD_ORDER:
        frame = getattr(release, name).reset_index(drop=True)
        table = pa.Table.from_pandas(frame, preserve_index=False)
        metadata = {
            **(table.schema.metadata or {}),
            _RULES_KEY: RULES_FINGERPRINT.encode(),
            _TABLES_KEY: digest.encode(),
        }
        path = Path(folder) / snapshot_name(name)
        pq.write_table(table.replace_schema_metadata(metadata), path)
        written.append(path)
    table = pa.Table.from_pandas(tidy_table(release), preserve_index=False)
    metadata = {
        **(table.schema.metadata or {}),
        _RULES_KEY: TIDY_FINGERPRINT.encode(),
        _TABLES_KEY: digest.encode(),
    }
    path = Path(folder) / snapshot_name(TIDY)
    pq.write_table(table.replace_schema_metadata(metadata), path)
    written.append(path)
    return written


def _text_columns(schema: pa.Schema) -> list[str]:
    return [
        f.name for f in schema if pa.types.is_string(f.type) or pa.types.is_large_string(f.type)
    ]


def read_tidy(folder: Path, digest: str) -> pd.DataFrame | None:
    """The stored `queries.tidy_table` of the release in `folder`, or None when there is none
    made from these tables (`digest`) by the current rules and query code (then build it).

    Checksums are the caller's job (the manifest), as for `read_snapshot`.
    """
    path = Path(folder) / snapshot_name(TIDY)
    if not path.is_file():
        return None
    try:
        table = pq.read_table(path)
    except (OSError, pa.ArrowException) as exc:
        log.warning("snapshot %s unreadable (%s): building the tidy table", path, exc)
        return None
    metadata = table.schema.metadata or {}
    if (
        metadata.get(_TABLES_KEY, b"").decode() != digest
        or metadata.get(_RULES_KEY, b"").decode() != TIDY_FINGERPRINT
        or tuple(table.column_names) != PUBLIC_COLUMNS
    ):
        log.info("snapshot %s is stale: building the tidy table", path)
        return None
    frame = sorted_categories(table.to_pandas())
    del table
    pa.default_memory_pool().release_unused()  # freed before workers fork, not kept by Arrow
    return frame


def read_snapshot(folder: Path, digest: str) -> Release | None:
    """The release from its snapshot, or None when there is none usable (then validate).

    Checksums are the caller's job (the manifest); here each table must exist, carry the
    current rules' fingerprint and the `tables_digest` of the folder's CSV files (`digest`), and
    have exactly the schema's columns.
    """
    folder = Path(folder)
    tables: dict[str, pd.DataFrame] = {}
    for name in LOAD_ORDER:
        path = folder / snapshot_name(name)
        if not path.is_file():
            return None
        try:
            text = _text_columns(pq.read_schema(path)) if name in CATEGORICAL_TABLES else None
            table = pq.read_table(path, read_dictionary=text)
        except (OSError, pa.ArrowException) as exc:
            log.warning("snapshot %s unreadable (%s): validating the CSV tables", path, exc)
            return None
        metadata = table.schema.metadata or {}
        spec = TABLES[name]
        if metadata.get(_TABLES_KEY, b"").decode() != digest:
            log.warning("snapshot %s was not made from these tables: validating them", path)
            return None
        rules = metadata.get(_RULES_KEY, b"").decode()
        if rules != RULES_FINGERPRINT or tuple(table.column_names) != spec.column_names:
            log.info("snapshot %s predates the current rules: validating the CSV tables", path)
            return None
        frame = sorted_categories(table.to_pandas())
        for column in spec.columns:
            if column.kind == "list":
                frame[column.name] = frame[column.name].map(tuple)
        if len(spec.key) == 1:
            frame = frame.set_index(spec.key[0], drop=False)
        tables[name] = frame
    problems: list[Problem] = []
    meta = read_meta(folder, problems)
    if problems:
        raise PublicationError(problems)
    return Release(release_id=str(meta["id"]), path=folder, meta=meta, **tables)
