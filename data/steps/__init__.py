"""Build steps for the published-data releases."""
