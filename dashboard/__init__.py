"""The core: configuration, loading and validation, queries and figure builders (no Dash)."""
