"""Text PDFs: the text lines of every page and its ruled tables; pages without a usable text layer go to OCR.

Two readers of the same page model: pdfium (extractors.pdfium: characters and ruling lines, about
ten times faster than pdfminer) is the default; pdfplumber's is kept as a candidate for the pages a
caller wants read again (`read_pdf_pages_pdfplumber`) and as the reference the pdfium reading is
compared with. Both hand their characters to pdfplumber's own text-line builder and their segments
to extractors.ruled, so both give the same lines and tables. A page whose text runs sideways
(a landscape table printed on a portrait sheet without /Rotate) is turned upright first
(extractors/orientation.py). camelot, the other candidate for pages without rulings, is
extractors/camelot_reader.py; the registry decides which candidates run.
"""
from __future__ import annotations

import re
from contextlib import contextmanager
from pathlib import Path

from .chartext import cell_text, page_text
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
    """A pdfplumber document, or the ExtractionError the pdfium reader raises for the same file."""
    import pdfplumber

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
    """Text lines and tables of every page (pdfium); pages without a usable text layer are OCR'd."""
    return read_pdf_pdfium(path, password, with_tables)


def _usable(text: str) -> bool:
    return len(text.strip()) >= MIN_TEXT_CHARS and garbage_share(text) <= GARBAGE_SHARE


def read_pdf_pdfium(path: Path, password: str | None = None, with_tables: bool = True) -> SourceDocument:
    """The pdfium reading: characters and ruling segments from pdfium, lines and tables as pdfplumber's."""
    from .pdfium import font_descents, open_pdfium, read_page

    doc = SourceDocument(path=str(path), source_format="pdf")
    empty_pages: list[int] = []
    turned: list[int] = []
    with _parsing(open_pdfium(path, password)) as pdf:
        descents = font_descents(path, password)
        doc.pages = len(pdf)
        for number in range(1, doc.pages + 1):
            page = pdf[number - 1]
            try:
                chars, segments, frame = read_page(page, descents)
            finally:
                page.close()
            chars, segments, turn = as_seen(chars, segments, *frame.size)
            _add_page(doc, number, page_text(chars), chars, segments, turn, "pdfium", with_tables, empty_pages,
                      turned)
    _finish(doc, path, password, empty_pages, turned)
    return doc


def as_seen(chars: list[dict], segments: list[Segment], width: float, height: float):
    """A page's characters and segments turned upright when its text runs sideways, and the turn."""
    turn = turn_of(chars)
    if turn:
        chars = turn_chars(chars, turn, width, height)
        segments = turn_segments(segments, turn, width, height)
    return chars, segments, turn


def page_as_seen(page) -> tuple[list[dict], list[Segment], int]:
    """A pdfplumber page's characters and ruling segments as a reader holding it upright sees them."""
    return as_seen(page.chars, _segments(page), page.width, page.height)


def read_pdf_pdfplumber(path: Path, password: str | None = None, with_tables: bool = True) -> SourceDocument:
    """The pdfplumber (pdfminer) reading of the whole document: the same model, about ten times slower."""
    doc = SourceDocument(path=str(path), source_format="pdf")
    empty_pages: list[int] = []
    turned: list[int] = []
    with _parsing(open_pdf(path, password)) as pdf:
        doc.pages = len(pdf.pages)
        for number, page in enumerate(pdf.pages, start=1):
            try:
                chars, segments, turn = page_as_seen(page)
                _add_page(doc, number, _plumber_text(page, chars, turn), chars, segments, turn, "pdfplumber",
                          with_tables, empty_pages, turned)
            finally:
                page.close()  # memory grows with the page count otherwise
    _finish(doc, path, password, empty_pages, turned)
    return doc


def read_pdf_pages_pdfplumber(path: Path, pages: list[int], password: str | None = None) -> list[Table]:
    """The ruled tables of some pages (1-based) read by pdfplumber: a second candidate reading for the
    pages where the first one looks weak. Pages without a usable text layer give none (OCR reads them)."""
    found: list[Table] = []
    with _parsing(open_pdf(path, password)) as pdf:
        for number in sorted(set(pages)):
            if not 1 <= number <= len(pdf.pages):
                continue
            page = pdf.pages[number - 1]
            try:
                chars, segments, turn = page_as_seen(page)
                if _usable(_plumber_text(page, chars, turn)):
                    found.extend(tables_of(chars, segments, number, "pdfplumber"))
            finally:
                page.close()
    return found


@contextmanager
def _parsing(pdf):
    """An open PDF while it is read: any failure but ours becomes one unreadable_file error, and the
    file is closed whatever happens."""
    try:
        yield pdf
    except ExtractionError:
        raise
    except Exception as exc:
        raise ExtractionError("unreadable_file", f"PDF content cannot be parsed ({type(exc).__name__}): "
                              "the file is damaged; download it again") from exc
    finally:
        pdf.close()


def _plumber_text(page, chars: list[dict], turn: int) -> str:
    """pdfplumber's own text of an upright page; a turned page's from its characters as seen."""
    return (page.extract_text() if not turn else page_text(chars)) or ""


def _add_page(doc: SourceDocument, number: int, text: str, chars: list[dict], segments: list[Segment], turn: int,
              extractor: str, with_tables: bool, empty_pages: list[int], turned: list[int]) -> None:
    """A read page's lines and tables into the document; a page without usable text is left to OCR."""
    if not _usable(text):
        empty_pages.append(number)  # nothing on it is worth keeping; OCR reads the page
        return
    if turn:
        turned.append(number)
    doc.lines.extend(TextLine(t, number) for t in text.splitlines())
    if with_tables:
        for table in tables_of(chars, segments, number, extractor):
            table.index = len(doc.tables)
            doc.tables.append(table)


def _finish(doc: SourceDocument, path: Path, password: str | None, empty_pages: list[int],
            turned: list[int]) -> None:
    """Say which pages were turned upright; OCR for the pages without text."""
    if turned:
        doc.warnings.append(("sideways_pages", f"pages {page_ranges(turned)} are printed sideways (no /Rotate): "
                             "they were read turned upright; spot-check their rows"))
    if empty_pages:
        _read_scanned_pages(doc, path, empty_pages, password)


def _segments(page) -> list[Segment]:
    out = [Segment(o["x0"], o["top"], o["x1"], o["bottom"]) for o in page.lines]
    out += [Segment(o["x0"], o["top"], o["x1"], o["bottom"]) for o in page.rects]
    return out


def ruled_tables(page, number: int) -> list[Table]:
    """The ruled tables of a pdfplumber page, each cell with its span, box and text."""
    return tables_of(page.chars, _segments(page), number, "pdfplumber")


def tables_of(chars: list[dict], segments: list[Segment], number: int, extractor: str) -> list[Table]:
    """The ruled tables the segments draw, each cell with its span, box and the text of its characters."""
    found = []
    for boxes in cell_tables(edges_of(segments)):
        grid = Grid(boxes)
        if len(grid.xs) < 3:
            continue  # one column: a framed paragraph, not a table
        texts, stray, inside = texts_in_cells(boxes, grid, chars, cell_text)
        found.append(table_of_boxes(boxes, texts, page=number, extractor=extractor, unplaced=stray,
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
