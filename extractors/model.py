"""The plain model every extractor returns."""
from __future__ import annotations

from dataclasses import dataclass, field


class ExtractionError(Exception):
    """A file that cannot be read; `code` is the stable issue code for the review queue."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass
class TextLine:
    text: str
    page: int | None = None  # 1-based page (PDF), None for DOCX/TXT


@dataclass
class RawTable:
    """A table as found. A cell is its text ('' when empty) or None where a merged cell
    from above or from the left covers that grid position."""

    rows: list[list[str | None]]
    row_pages: list[int | None]
    extractor: str
    index: int = 0  # order of the table in the document
    cell_confidence: list[list[float | None]] | None = None  # OCR: mean word confidence (0-100) per cell

    @property
    def n_cols(self) -> int:
        return max((len(r) for r in self.rows), default=0)


@dataclass
class SourceDocument:
    path: str
    source_format: str  # pdf | docx | doc | txt | pdf-ocr
    lines: list[TextLine] = field(default_factory=list)
    tables: list[RawTable] = field(default_factory=list)
    pages: int | None = None
    warnings: list[tuple[str, str]] = field(default_factory=list)  # (code, message)

    @property
    def text(self) -> str:
        return "\n".join(ln.text for ln in self.lines)
