"""How numbers, sources and natures are written for readers (one place, so every view agrees)."""

from __future__ import annotations

import math

import pandas as pd

NATURE_LABELS = {
    "administrative": "Administrative data",
    "survey": "Survey / census",
    "estimate": "Estimate",
    "policy": "Policy figure",
    "illustrative": "Illustrative — not official statistics",
}

LEVEL_LABELS = {"national": "National", "province": "Province", "district": "District"}


def format_value(value: float | None, decimals: int | None = 1, unit_kind: str = "other") -> str:
    """`6,492,228`, `73.6`, `0.108`; "no data" for a missing value (never a zero)."""
    if value is None or (isinstance(value, float) and math.isnan(value)) or pd.isna(value):
        return "no data"
    digits = 1 if decimals is None or pd.isna(decimals) else int(decimals)
    if unit_kind == "year":
        return f"{int(round(value))}"
    text = f"{value:,.{digits}f}"
    return text


def format_with_unit(value: float | None, indicator: pd.Series) -> str:
    text = format_value(value, indicator["decimals"], indicator["unit_kind"])
    if text == "no data" or indicator["unit_kind"] == "year":
        return text
    unit = indicator["unit_en"]
    return f"{text} %" if indicator["unit_kind"] == "percent" else f"{text} {unit}"


def source_line(sources: pd.DataFrame) -> str:
    """`Publisher, Title (2024); Publisher 2, …` for the distinct sources of a view."""
    parts = []
    for _, src in sources.iterrows():
        year = "" if pd.isna(src["source_year"]) else f" ({int(src['source_year'])})"
        parts.append(f"{src['source_publisher']}, {src['source_title']}{year}")
    return "; ".join(parts)


def nature_line(natures: list[str]) -> str:
    return ", ".join(NATURE_LABELS[n] for n in natures)
