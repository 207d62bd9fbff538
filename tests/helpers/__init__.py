"""Helpers shared by several test areas, imported as `tests.helpers.<module>` (pytest runs from
the repository root with `python -m pytest`, so the root is on sys.path)."""
