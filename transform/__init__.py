"""Raw layer -> published tables (Parquet). Entry point: ``python -m transform``."""
