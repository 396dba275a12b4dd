"""Normalisers: pure functions from what people write to the schema's values.
Catalogs (units, provinces, indicators, PAR criteria) are CSV files in normalizers/data/."""
