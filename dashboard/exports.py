"""CSV files for readers: UTF-8 with a byte-order mark, so Excel shows Lao script correctly."""

from __future__ import annotations

import re

import pandas as pd

from dashboard.queries import PUBLIC_COLUMNS

BOM = "\ufeff"
#: A text cell starting with one of these is run as a formula by spreadsheets.
_FORMULA_START = re.compile(r"^[=+\-@\t\r]")


def _inert(value: object) -> object:
    """Prefix formula-like text with an apostrophe; numbers (e.g. -3.5) are left as they are."""
    if isinstance(value, str) and _FORMULA_START.match(value):
        return "'" + value
    return value


def csv_bytes(frame: pd.DataFrame, columns: tuple[str, ...] = PUBLIC_COLUMNS) -> bytes:
    """The rows of a view as CSV bytes, with text cells made safe for spreadsheets."""
    table = frame.loc[:, list(columns)].copy()
    for name in table.columns:
        if table[name].dtype == object or pd.api.types.is_string_dtype(table[name]):
            table[name] = table[name].map(_inert)
    text = table.to_csv(index=False, lineterminator="\r\n", float_format="%.10g")
    return (BOM + text).encode("utf-8")


def read_csv_bytes(data: bytes) -> pd.DataFrame:
    """Inverse of `csv_bytes` for tests and API consumers (drops the BOM)."""
    import io

    return pd.read_csv(io.BytesIO(data), encoding="utf-8-sig", keep_default_na=False)


def download_name(*parts: object) -> str:
    """`nsps-<indicator>-<level>-<year>-<release>.csv`, safe as a file name."""
    words = [
        re.sub(r"[^A-Za-z0-9._-]+", "-", str(p)).strip("-") for p in parts if p not in (None, "")
    ]
    return "nsps-" + "-".join(w for w in words if w) + ".csv"
