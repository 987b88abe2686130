"""Components and pages: functions from the loaded data (and the URL query) to Dash layouts."""
