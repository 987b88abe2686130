"""The deliberately naive reference build the benchmark compares against. Never deploy it.

It is the straightforward way to write this map in Dash, and what the real app must beat:

- one callback rebuilds the whole figure with plotly express on every change;
- the full-resolution boundaries (every vertex, no simplification) are embedded in every figure;
- every request scans the whole observation table;
- no response compression, and the full plotly.min.js bundle from Dash.

Same data (the release named by NSPS_DATA_DIR / NSPS_RELEASE), same boundaries (NSPS_GEO_DIR),
same component ids for the controls, so the benchmark drives both apps with one payload.
Run: `gunicorn bench.naive_app:server` from the repository root.
"""

from __future__ import annotations

import plotly.express as px
from dash import Dash, Input, Output, dcc, html

from dashboard.config import REPO_ROOT, Settings
from dashboard.loading import latest_release_path, read_release
from dashboard.queries import Dataset
from geo.boundaries import load_boundaries

LEVELS = ("province", "district")

settings = Settings.from_env()
dataset = Dataset.from_release(
    read_release(latest_release_path(settings.releases_dir, settings.release))
)
boundaries = load_boundaries(settings.geo_dir, 0.0)  # 0: keep every vertex
if boundaries is None:
    raise SystemExit("the naive build needs NSPS_GEO_DIR with the province and district layers")
GEOJSON = {level: boundaries.geojson(level) for level in LEVELS}

table = dataset.tidy
totals = table[(table["sex"] == "total") & (table["urban_rural"] == "total")]
mapped = sorted(set(totals.loc[totals["area_level"].isin(LEVELS), "indicator_id"]))
default = "ILL_HEALTH_COVERAGE" if "ILL_HEALTH_COVERAGE" in mapped else mapped[0]
years = sorted(int(y) for y in table["year"].dropna().unique())
shown_first = totals[(totals["indicator_id"] == default) & (totals["area_level"] == "province")]

# Only the topojson base maps as assets (plotly fetches them; no CDN at run time).
app = Dash(
    __name__,
    compress=False,
    serve_locally=True,
    assets_folder=str(REPO_ROOT / "assets" / "topojson"),
    title="naive reference map",
)
app.layout = html.Div(
    [
        dcc.Dropdown(id="map-indicator", options=mapped, value=default, clearable=False),
        dcc.RadioItems(id="map-level", options=list(LEVELS), value="province"),
        dcc.Dropdown(id="map-year", options=years, value=int(shown_first["year"].max())),
        dcc.Graph(id="map-graph", config={"topojsonURL": "/assets/"}, style={"height": "560px"}),
    ]
)


@app.callback(
    Output("map-graph", "figure"),
    Input("map-indicator", "value"),
    Input("map-level", "value"),
    Input("map-year", "value"),
)
def update_map(indicator_id: str, level: str, year: int):
    """Filter the whole table and rebuild the whole figure, geometry included, every time."""
    rows = dataset.tidy
    rows = rows[
        (rows["indicator_id"] == indicator_id)
        & (rows["area_level"] == level)
        & (rows["year"] == year)
        & (rows["sex"] == "total")
        & (rows["urban_rural"] == "total")
    ]
    figure = px.choropleth(
        rows,
        geojson=GEOJSON[level],
        locations="area_code",
        featureidkey="id",
        color="value",
        hover_name="area_name",
        hover_data=["nature", "source_publisher"],
        color_continuous_scale="Cividis",
        title=f"{indicator_id} — {level}, {year}",
    )
    figure.update_geos(fitbounds="locations", visible=False)
    return figure


server = app.server
