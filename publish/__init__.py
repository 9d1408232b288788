"""Parquet -> the published Datasette site. Entry point: ``python -m publish``."""
