"""Text PDFs through pdfplumber: the text lines of every page and its ruled tables."""
from __future__ import annotations

from pathlib import Path

import pdfplumber

from .model import ExtractionError, RawTable, SourceDocument, TextLine

# Ruled appendix tables: cells are bounded by drawn lines; snap small gaps between segments.
TABLE_SETTINGS = {
    "vertical_strategy": "lines",
    "horizontal_strategy": "lines",
    "snap_tolerance": 3,
    "join_tolerance": 3,
    "intersection_tolerance": 3,
}
MIN_TEXT_CHARS = 20  # a page with less text than this has no usable text layer


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
    doc = SourceDocument(path=str(path), source_format="pdf")
    pdf = open_pdf(path, password)
    empty_pages: list[int] = []
    try:
        doc.pages = len(pdf.pages)
        for number, page in enumerate(pdf.pages, start=1):
            try:
                text = page.extract_text() or ""
                if len(text.strip()) < MIN_TEXT_CHARS:
                    empty_pages.append(number)
                doc.lines.extend(TextLine(t, number) for t in text.splitlines())
                if with_tables:
                    for table in page.find_tables(TABLE_SETTINGS):
                        rows = table.extract()
                        if rows and max(len(r) for r in rows) >= 2:
                            doc.tables.append(RawTable(rows=[list(r) for r in rows], row_pages=[number] * len(rows),
                                                       extractor="pdfplumber", index=len(doc.tables)))
            finally:
                page.close()  # memory grows with the page count otherwise
    except ExtractionError:
        raise
    except Exception as exc:
        raise ExtractionError("unreadable_file", f"PDF content cannot be parsed ({type(exc).__name__}): "
                              "the file is damaged; download it again") from exc
    finally:
        pdf.close()
    if doc.pages and len(empty_pages) == doc.pages:
        raise ExtractionError("no_text_layer", "PDF has no text layer (a scan): OCR is needed; install "
                              "tesseract-ocr and tesseract-ocr-vie to read scanned plans")
    if empty_pages:
        doc.warnings.append(("pages_without_text", f"pages {empty_pages} have no text layer (scanned?); "
                             "their content is missing unless OCR is enabled"))
    return doc
