"""Text PDFs through pdfplumber: the text lines of every page and its ruled tables (camelot, the
other candidate for pages without rulings, is extractors/camelot_reader.py)."""
from __future__ import annotations

import re
from pathlib import Path

import pdfplumber

from .model import ExtractionError, SourceDocument, Table, TextLine
from .ocr import add_ocr_pages, page_ranges, tesseract_problem
from .orientation import turn_chars, turn_of, turn_segments
from .ruled import Grid, Segment, cell_tables, edges_of, table_of_boxes, texts_in_cells

# Ruled appendix tables: cells are bounded by drawn lines; snap small gaps between segments.
TABLE_SETTINGS = {
    "vertical_strategy": "lines",
    "horizontal_strategy": "lines",
    "snap_tolerance": 3,
    "join_tolerance": 3,
    "intersection_tolerance": 3,
}
MIN_TEXT_CHARS = 20  # a page with less text than this has no usable text layer
GARBAGE_SHARE = 0.3  # a text layer with more unmapped glyphs than this is unusable: OCR the page instead
UNMAPPED_GLYPH = re.compile(r"\(cid:\d+\)|[\ufffd\ue000-\uf8ff\x00-\x08\x0b\x0c\x0e-\x1f]")


def garbage_share(text: str) -> float:
    """Share of a page's visible characters that are glyphs without a Unicode mapping: (cid:N),
    private-use or replacement characters, controls (a font without a ToUnicode map)."""
    visible = len(re.sub(r"\s", "", text))
    if not visible:
        return 0.0
    bad = sum(len(m.group()) for m in UNMAPPED_GLYPH.finditer(text))
    return bad / visible


def open_pdf(path: Path, password: str | None = None):
    try:
        return pdfplumber.open(path, password=password or "")
    except Exception as exc:  # pdfminer raises many unrelated types for damaged files
        name = f"{type(exc).__name__} {exc!r} {exc.__cause__!r}".lower()  # pdfminer's cause sits in args
        if password and ("password" in name or "unicodeencodeerror" in name):
            raise ExtractionError("encrypted_pdf", "PDF is encrypted and the --password given does not open it "
                                  "(older PDF encryption takes Latin characters only)") from exc
        if "password" in name or "encrypt" in name:
            raise ExtractionError("encrypted_pdf", "PDF is encrypted: give its password with --password, "
                                  "or save an unencrypted copy") from exc
        raise ExtractionError("unreadable_file", f"PDF cannot be opened ({type(exc).__name__}): "
                              "the file is damaged or truncated; download it again") from exc


def read_pdf(path: Path, password: str | None = None, with_tables: bool = True) -> SourceDocument:
    """Text lines and tables of every page; pages without a usable text layer are OCR'd."""
    doc = SourceDocument(path=str(path), source_format="pdf")
    pdf = open_pdf(path, password)
    empty_pages: list[int] = []
    turned: list[int] = []
    try:
        doc.pages = len(pdf.pages)
        for number, page in enumerate(pdf.pages, start=1):
            try:
                chars, segments, turn = page_as_seen(page)
                text = (page.extract_text() if not turn else _text_of(chars)) or ""
                if len(text.strip()) < MIN_TEXT_CHARS or garbage_share(text) > GARBAGE_SHARE:
                    empty_pages.append(number)
                    continue  # nothing on it is worth keeping; OCR reads the page
                doc.lines.extend(TextLine(t, number) for t in text.splitlines())
                if turn:
                    turned.append(number)
                if with_tables:
                    for table in ruled_tables(page, number, chars, segments):
                        table.index = len(doc.tables)
                        doc.tables.append(table)
            finally:
                page.close()  # memory grows with the page count otherwise
    except ExtractionError:
        raise
    except Exception as exc:
        raise ExtractionError("unreadable_file", f"PDF content cannot be parsed ({type(exc).__name__}): "
                              "the file is damaged; download it again") from exc
    finally:
        pdf.close()
    if turned:
        doc.warnings.append(("sideways_pages", f"pages {page_ranges(turned)} are printed sideways (no /Rotate): "
                             "they were read turned upright; spot-check their rows"))
    if empty_pages:
        _read_scanned_pages(doc, path, empty_pages, password)
    return doc


def page_as_seen(page) -> tuple[list[dict], list[Segment], int]:
    """The page's characters and ruling segments as a reader holding it upright sees them, and the
    quarter turn that took (0 for a page printed upright)."""
    chars, segments = page.chars, _segments(page)
    turn = turn_of(chars)
    if turn:
        chars = turn_chars(chars, turn, page.width, page.height)
        segments = turn_segments(segments, turn, page.width, page.height)
    return chars, segments, turn


def _segments(page) -> list[Segment]:
    out = [Segment(o["x0"], o["top"], o["x1"], o["bottom"]) for o in page.lines]
    out += [Segment(o["x0"], o["top"], o["x1"], o["bottom"]) for o in page.rects]
    return out


def _text_of(chars: list[dict]) -> str:
    return pdfplumber.utils.extract_text(chars, x_tolerance=3, y_tolerance=3)


def ruled_tables(page, number: int, chars: list[dict] | None = None,
                 segments: list[Segment] | None = None) -> list[Table]:
    """The ruled tables of a pdfplumber page (or of its characters and segments as seen), each cell
    with its span, box and text."""
    chars = page.chars if chars is None else chars
    found = []
    for boxes in cell_tables(edges_of(_segments(page) if segments is None else segments)):
        grid = Grid(boxes)
        if len(grid.xs) < 3:
            continue  # one column: a framed paragraph, not a table
        texts, stray, inside = texts_in_cells(boxes, grid, chars, _text_of)
        found.append(table_of_boxes(boxes, texts, page=number, extractor="pdfplumber", unplaced=stray,
                                    region=inside))
    return found


def _read_scanned_pages(doc: SourceDocument, path: Path, pages: list[int], password: str | None) -> None:
    everything = len(pages) == doc.pages
    problem = tesseract_problem()
    if problem is None:
        add_ocr_pages(doc, path, pages, password)
        if everything and not doc.lines and not doc.tables:
            raise ExtractionError("no_text_layer", "PDF has no text layer and OCR found no text on its pages "
                                  "(blank pages, or a scan too faint to read): check the file")
    elif everything:
        raise ExtractionError("ocr_unavailable", f"PDF has no usable text layer (a scan) and cannot be OCR'd: "
                              f"{problem}")
    else:
        doc.warnings.append(("ocr_unavailable", f"pages {page_ranges(pages)} have no usable text layer (scanned?) "
                             f"and are missing from the output: {problem}"))
