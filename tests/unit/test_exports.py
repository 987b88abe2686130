"""CSV exports: byte-order mark, Lao text, formula injection, and round trip of the values."""

from __future__ import annotations

import pandas as pd

from dashboard import queries, views
from dashboard.exports import BOM, csv_bytes, download_name, read_csv_bytes


def test_csv_starts_with_a_bom_and_keeps_lao_text(dataset):
    rows = queries.observations_view(dataset, "LSIS2_STUNTING", level="province", year=2017)
    data = csv_bytes(rows)
    assert data.startswith(BOM.encode("utf-8"))
    assert "ນະຄອນຫຼວງວຽງຈັນ".encode() in data


def test_csv_round_trip_keeps_every_value(dataset):
    selection = views.resolve_map_selection(dataset, "2", level="district", year="2019")
    rows = views.map_rows(dataset, selection)
    back = read_csv_bytes(csv_bytes(rows))
    assert len(back) == 148
    assert back["value"].tolist() == rows["value"].tolist()
    assert (back["badge"] == queries.ILLUSTRATIVE_BADGE).all()


def test_formula_like_text_is_neutralised_but_negative_numbers_are_not():
    frame = pd.DataFrame({c: [""] * 3 for c in queries.PUBLIC_COLUMNS}).assign(
        note=['=HYPERLINK("http://x")', "+1", "plain"],
        value=[-3.5, 2.0, 1.0],
    )
    back = read_csv_bytes(csv_bytes(frame))
    assert back["note"].tolist() == ['\'=HYPERLINK("http://x")', "'+1", "plain"]
    assert back["value"].tolist() == [-3.5, 2.0, 1.0]


def test_download_name_is_safe():
    assert download_name("SP.POP.TOTL", "province", 2017, None, "2026-11-29") == (
        "nsps-SP.POP.TOTL-province-2017-2026-11-29.csv"
    )
    assert "/" not in download_name("../etc/passwd", "x")
