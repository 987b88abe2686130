"""View models: one pure function per chart kind, from a dataset, a resolved selection, the
reader's language and a figure layout to everything any surface shows of that chart.

Goal pages, embeds, briefing images, lite pages and CSV downloads are adapters over these
(`ChartView`): they differ in how they present a view, never in what the view says.
"""

from dashboard.viewmodels.budget import budget_view
from dashboard.viewmodels.common import ChartView
from dashboard.viewmodels.map import map_view
from dashboard.viewmodels.series import series_view
from dashboard.viewmodels.status import status_view

__all__ = ["ChartView", "budget_view", "map_view", "series_view", "status_view"]
