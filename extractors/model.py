"""The plain model every extractor returns: text lines, and tables as cells with spans.

Every reader (DOCX XML, pdfplumber, camelot, OCR, the text-file shapes) fills the same `Table`:
cells with their grid position and spans, page, position on the page and confidence. The
assembler reads properties of the table (spans, pages, header hints), never the name of the
reader that made it. `Table.rows` is the grid view the row assembler walks: a cell's text at its
top-left position, None at every position a merged cell covers.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

BBox = tuple[float, float, float, float]  # x0, top, x1, bottom in points of the page as seen


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
class Cell:
    """One cell of a table as the reader found it."""

    text: str  # '' when empty
    row: int  # top grid row, 0-based within the table
    col: int  # left grid column
    row_span: int = 1
    col_span: int = 1
    page: int | None = None  # 1-based page of the cell's top (PDF, scan)
    bbox: BBox | None = None
    confidence: float | None = None  # OCR: mean word confidence 0-100; None for a text layer
    header: bool = False  # the reader knows it is a header cell (DOCX repeated header rows)

    def covers(self, row: int, col: int) -> bool:
        return self.row <= row < self.row + self.row_span and self.col <= col < self.col + self.col_span


@dataclass
class Table:
    """A table as found: cells with spans on a grid of n_rows x n_cols."""

    cells: list[Cell]
    extractor: str
    index: int = 0  # order of the table in the document
    n_rows: int = 0
    n_cols: int = 0
    row_pages: list[int | None] = field(default_factory=list)  # page of each grid row
    row_tops: list[float | None] = field(default_factory=list)  # top of each grid row on its page (points)
    page_bottoms: dict[int, float] = field(default_factory=dict)  # lowest table ink per page: where a page ends
    unplaced_words: int = 0  # characters of the table region the reader put in no cell
    region_words: int = 0  # non-blank characters of the table region

    def __post_init__(self) -> None:
        if self.cells:
            self.n_rows = max(self.n_rows, max(c.row + c.row_span for c in self.cells))
            self.n_cols = max(self.n_cols, max(c.col + c.col_span for c in self.cells))
        if len(self.row_pages) < self.n_rows:
            self.row_pages = self.row_pages + [None] * (self.n_rows - len(self.row_pages))
        if len(self.row_tops) < self.n_rows:
            self.row_tops = self.row_tops + [None] * (self.n_rows - len(self.row_tops))

    @classmethod
    def from_grid(cls, rows: list[list[str | None]], row_pages: list[int | None] | None = None, *,
                  extractor: str, index: int = 0, confidence: list[list[float | None]] | None = None,
                  header_rows: int = 0) -> Table:
        """A table from a grid where None marks a position covered by a merged cell: from the left
        when the rest of the row is covered (a heading spanning the row), else from above (what text
        readers mean by it), else from the left. Readers that know their spans (DOCX,
        PDF rulings, OCR grids) build their cells directly instead."""
        width = max((len(r) for r in rows), default=0)
        grid = [list(r) + [""] * (width - len(r)) for r in rows]
        pages = list(row_pages or []) + [None] * (len(grid) - len(row_pages or []))
        owner: dict[tuple[int, int], Cell] = {}
        cells: list[Cell] = []
        for i, row in enumerate(grid):
            for j, text in enumerate(row):
                if (i, j) in owner:
                    continue
                if text is None:
                    left = owner.get((i, j - 1))
                    if left is not None and left.row == i and all(v is None for v in row[j:]):
                        left.col_span += 1  # a row spanned by one cell (a section heading)
                        owner[i, j] = left
                        continue
                    up = owner.get((i - 1, j))
                    if up is not None and up.col == j and all(
                            k < width and grid[i][k] is None for k in range(j, j + up.col_span)):
                        up.row_span = i - up.row + 1
                        for k in range(j, j + up.col_span):
                            owner[i, k] = up
                        continue
                    left = owner.get((i, j - 1))
                    if left is not None and left.row == i:
                        left.col_span += 1
                        owner[i, j] = left
                        continue
                    text = ""  # covered by nothing we can see: an empty cell
                conf = confidence[i][j] if confidence and i < len(confidence) and j < len(confidence[i]) else None
                c = Cell(text, i, j, page=pages[i], confidence=conf, header=i < header_rows)
                cells.append(c)
                owner[i, j] = c
        return cls(cells, extractor, index, len(grid), width, pages)

    @property
    def rows(self) -> list[list[str | None]]:
        """Grid view: each cell's text at its top-left position, None where a merged cell covers."""
        grid: list[list[str | None]] = [[None] * self.n_cols for _ in range(self.n_rows)]
        for c in self.cells:
            grid[c.row][c.col] = c.text
        return grid

    @property
    def cell_confidence(self) -> list[list[float | None]] | None:
        if all(c.confidence is None for c in self.cells):
            return None
        grid: list[list[float | None]] = [[None] * self.n_cols for _ in range(self.n_rows)]
        for c in self.cells:
            grid[c.row][c.col] = c.confidence
        return grid

    def cell_at(self, row: int, col: int) -> Cell | None:
        """The cell covering a grid position."""
        for c in self.cells:
            if c.covers(row, col):
                return c
        return None

    def owners(self) -> list[list[Cell | None]]:
        """The cell covering each grid position."""
        grid: list[list[Cell | None]] = [[None] * self.n_cols for _ in range(self.n_rows)]
        for c in self.cells:
            for i in range(c.row, min(c.row + c.row_span, self.n_rows)):
                for j in range(c.col, min(c.col + c.col_span, self.n_cols)):
                    grid[i][j] = c
        return grid

    def map_text(self, fn: Callable[[str], str]) -> None:
        for c in self.cells:
            if c.text:
                c.text = fn(c.text)


def RawTable(rows: list[list[str | None]], row_pages: list[int | None], extractor: str, index: int = 0,  # noqa: N802
             cell_confidence: list[list[float | None]] | None = None) -> Table:
    """A table from a grid (the shape text readers produce)."""
    return Table.from_grid(rows, row_pages, extractor=extractor, index=index, confidence=cell_confidence)


@dataclass
class SourceDocument:
    path: str
    source_format: str  # pdf | docx | doc | txt | pdf-ocr
    lines: list[TextLine] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    pages: int | None = None
    warnings: list[tuple[str, str]] = field(default_factory=list)  # (code, message)
    reports: list = field(default_factory=list)  # ParseReport of each candidate reader tried (extractors.quality)
    report: object | None = None  # the chosen reading's ParseReport
    appendix: object | None = None  # the chosen reading's rows (extractors.appendix.AppendixResult)

    @property
    def text(self) -> str:
        return "\n".join(ln.text for ln in self.lines)
