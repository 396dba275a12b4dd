"""Extractors: read a source file into a plain `SourceDocument` (text lines and raw tables
with provenance). They know nothing of the output schema or Parquet."""
from .model import ExtractionError, RawTable, SourceDocument, TextLine
from .registry import extract, sniff_format

__all__ = ["ExtractionError", "RawTable", "SourceDocument", "TextLine", "extract", "sniff_format"]
