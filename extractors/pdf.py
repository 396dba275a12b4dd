"""Text PDFs: the text lines of every page and its ruled tables; pages without a usable text layer go to OCR.

Two readers of the same page model: pdfium (extractors.pdfium: characters and ruling lines, about
ten times faster than pdfminer) is the default; pdfplumber's is kept as a candidate for the pages a
caller wants read again (`read_pdf_pages_pdfplumber`) and as the reference the pdfium reading is
compared with. Both hand their characters to pdfplumber's own text-line builder and their segments
to extractors.ruled, so both give the same lines and tables.
"""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from normalizers.text import match_key

from .chartext import cell_text, page_text
from .header import header_aliases, header_fields
from .model import ExtractionError, RawTable, SourceDocument, Table, TextLine
from .ocr import add_ocr_pages, page_ranges, tesseract_problem
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
    pdf = open_pdfium(path, password)
    empty_pages: list[int] = []
    try:
        descents = font_descents(path, password)
        doc.pages = len(pdf)
        for number in range(1, doc.pages + 1):
            page = pdf[number - 1]
            try:
                chars, segments, _ = read_page(page, descents)
            finally:
                page.close()
            text = page_text(chars)
            if not _usable(text):
                empty_pages.append(number)
                continue  # nothing on it is worth keeping; OCR reads the page
            doc.lines.extend(TextLine(t, number) for t in text.splitlines())
            if with_tables:
                for table in tables_of(chars, segments, number, "pdfium"):
                    table.index = len(doc.tables)
                    doc.tables.append(table)
    except ExtractionError:
        raise
    except Exception as exc:
        raise ExtractionError("unreadable_file", f"PDF content cannot be parsed ({type(exc).__name__}): "
                              "the file is damaged; download it again") from exc
    finally:
        pdf.close()
    _finish(doc, path, password, with_tables, empty_pages)
    return doc


def read_pdf_pdfplumber(path: Path, password: str | None = None, with_tables: bool = True) -> SourceDocument:
    """The pdfplumber (pdfminer) reading of the whole document: the same model, about ten times slower."""
    doc = SourceDocument(path=str(path), source_format="pdf")
    pdf = open_pdf(path, password)
    empty_pages: list[int] = []
    try:
        doc.pages = len(pdf.pages)
        for number, page in enumerate(pdf.pages, start=1):
            try:
                text = page.extract_text() or ""
                if not _usable(text):
                    empty_pages.append(number)
                    continue
                doc.lines.extend(TextLine(t, number) for t in text.splitlines())
                if with_tables:
                    for table in ruled_tables(page, number):
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
    _finish(doc, path, password, with_tables, empty_pages)
    return doc


def read_pdf_pages_pdfplumber(path: Path, pages: list[int], password: str | None = None) -> list[Table]:
    """The ruled tables of some pages (1-based) read by pdfplumber: a second candidate reading for the
    pages where the first one looks weak. Pages without a usable text layer give none (OCR reads them)."""
    found: list[Table] = []
    pdf = open_pdf(path, password)
    try:
        for number in sorted(set(pages)):
            if not 1 <= number <= len(pdf.pages):
                continue
            page = pdf.pages[number - 1]
            try:
                if _usable(page.extract_text() or ""):
                    found.extend(ruled_tables(page, number))
            finally:
                page.close()
    except ExtractionError:
        raise
    except Exception as exc:
        raise ExtractionError("unreadable_file", f"PDF content cannot be parsed ({type(exc).__name__}): "
                              "the file is damaged; download it again") from exc
    finally:
        pdf.close()
    return found


def _finish(doc: SourceDocument, path: Path, password: str | None, with_tables: bool, empty_pages: list[int]) -> None:
    """camelot where no ruled table was found on pages that look tabular; OCR for the pages without text."""
    if with_tables and not doc.tables:
        candidates = [n for n in range(1, (doc.pages or 0) + 1)
                      if looks_tabular("\n".join(ln.text for ln in doc.lines if ln.page == n))]
        if candidates:
            doc.tables.extend(camelot_tables(path, candidates, password, doc))
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
        texts, stray = texts_in_cells(boxes, grid, chars, cell_text)
        found.append(table_of_boxes(boxes, texts, page=number, extractor=extractor, unplaced=stray))
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


def looks_tabular(page_text: str) -> bool:
    """A header-like line on the page: mostly column names of three or more fields."""
    return any(3 <= len(line.split()) <= 30 and _may_be_header(line) and len(header_fields(line)) >= 3
               for line in page_text.splitlines())


HEADER_COVER = 0.7  # header_fields' min_cover: the share of a line's words its column names must cover
WORD = re.compile(r"[^\W_]+")


@lru_cache(maxsize=1)
def _header_words() -> frozenset[str]:
    return frozenset(w for alias in header_aliases() for w in alias.split())


@lru_cache(maxsize=65536)
def _word_key(word: str) -> str:
    return match_key(word)


def _may_be_header(line: str) -> bool:
    """False when too few of the line's words occur in any column name for header_fields to take
    it: the same answer, without matching every column name at every word (prose pages)."""
    keys = [k for k in map(_word_key, WORD.findall(line)) if k]
    vocabulary = _header_words()
    return sum(k in vocabulary for k in keys) >= HEADER_COVER * len(keys) > 0


def camelot_tables(path: Path, pages: list[int], password: str | None, doc: SourceDocument) -> list[RawTable]:
    """The fallback where pdfplumber's ruling lines find no table: camelot lattice, then stream
    (borderless tables). Stream splits a wrapped cell into rows; those rows are joined back."""
    try:
        import camelot
    except ImportError:
        doc.warnings.append(("camelot_unavailable", "no ruled table found and camelot is not installed: "
                             "pip install camelot-py to read borderless tables"))
        return []
    found: list[RawTable] = []
    spec = ",".join(str(p) for p in pages)
    for flavor in ("lattice", "stream"):
        try:
            tables = camelot.read_pdf(str(path), pages=spec, flavor=flavor, password=password or None)
        except Exception as exc:  # camelot raises many types on odd pages; the document still has its text
            doc.warnings.append(("camelot_failed", f"camelot {flavor} could not read pages {spec}: "
                                 f"{type(exc).__name__}"))
            continue
        for t in tables:
            rows = [[str(c) for c in r] for r in t.df.values.tolist()]
            if flavor == "stream":
                rows = join_wrapped_rows(rows)
            if rows and max(len(r) for r in rows) >= 2:
                found.append(RawTable(rows=rows, row_pages=[int(t.page)] * len(rows),
                                      extractor=f"camelot-{flavor}", index=len(found)))
        if found:
            break
    return found


def join_wrapped_rows(rows: list[list[str]]) -> list[list[str]]:
    """Stream-read tables put each wrapped line of a cell in a row of its own: a row with an empty
    first cell whose cells all sit under filled cells of the row above continues it when it fills
    fewer of them (a new task without a number fills them all), all its cells start lower-case, or
    the row above is a one-cell heading."""
    out: list[list[str]] = []
    for row in rows:
        filled = [i for i, c in enumerate(row) if c.strip()]
        if out and filled and not row[0].strip():
            prev = out[-1]
            prev_filled = [i for i, c in enumerate(prev) if c.strip() and i > 0]
            lower = all(row[i].strip()[0].islower() for i in filled)
            heading = len(prev_filled) == 1  # a one-cell row (section heading) wraps like any cell
            if all(prev[i].strip() for i in filled) and (len(filled) < len(prev_filled) or lower or heading):
                out[-1] = [f"{a}\n{b}" if b.strip() else a for a, b in zip(prev, row)]
                continue
        out.append(list(row))
    return out
