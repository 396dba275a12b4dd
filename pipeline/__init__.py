"""cchc pipeline: discover inputs -> extract -> assemble rows -> normalise -> write Parquet."""
__version__ = "0.1.0"
