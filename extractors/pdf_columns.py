"""Borderless tables of a text PDF, read by column positions: the same white-river geometry as
borderless scans (extractors/ocr_columns.py), on the words of the page's text layer. A candidate
reader of the registry: it runs only where the ruling lines gave a weak reading, on pages whose
text has a line of column names."""
from __future__ import annotations

from pathlib import Path

from .chartext import cell_text
from .model import Table
from .ocr_columns import Word, column_boxes
from .pdf import open_pdf, page_as_seen
from .ruled import Grid, table_of_boxes, texts_in_cells

SCALE = 200 / 72  # the river geometry works in pixels of a 200 dpi page, as for scans


def column_tables(path: Path, pages: list[int], password: str | None) -> list[Table]:
    found: list[Table] = []
    if not pages:
        return found
    import pdfplumber  # only where the rulings gave a weak reading
    pdf = open_pdf(path, password)
    try:
        for number in pages:
            page = pdf.pages[number - 1]
            try:
                chars, _segments, turn = page_as_seen(page)
                width, height = (page.height, page.width) if turn else (page.width, page.height)
                words = [Word(int(w["x0"] * SCALE), int(w["top"] * SCALE), int(w["x1"] * SCALE) + 1,
                              int(w["bottom"] * SCALE) + 1, 100.0)
                         for w in pdfplumber.utils.extract_words([{"doctop": c["top"], **c} for c in chars],
                                                                 x_tolerance=3, y_tolerance=3)]
                boxes = [tuple(v / SCALE for v in b) for b in column_boxes(words, width * SCALE, height * SCALE)]
                if not boxes:
                    continue
                grid = Grid(boxes)
                texts, stray, inside = texts_in_cells(boxes, grid, chars, cell_text)
                found.append(table_of_boxes(boxes, texts, page=number, extractor="pdf-columns", unplaced=stray,
                                            region=inside))
            finally:
                page.close()
    finally:
        pdf.close()
    return found
