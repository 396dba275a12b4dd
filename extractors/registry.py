"""Format -> reader, and the tables of a document chosen among candidate readers by their reports.

Each format has its candidate table readers, cheapest first (READERS). The first candidate's
tables are assembled and get a parse report (extractors/quality.py); a further candidate runs only
where the report so far is weak, and the best report wins. The document keeps every report, so
the checks stage can say when even the best reading looks wrong.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from normalizers.deadlines import plan_year_of
from normalizers.legacy import detect_legacy, to_unicode, warning

from .camelot_reader import camelot_tables, tabular_pages
from .doc import read_doc
from .docx import read_docx
from .model import ExtractionError, SourceDocument, Table
from .pdf import read_pdf, read_pdf_pages_pdfplumber
from .pdf_columns import column_tables
from .quality import report
from .sniff import sniff_bytes
from .txt import read_txt
from .txt_blocks import block_tables
from .txt_coded import coded_tables
from .txt_tables import tab_tables

MAX_FILE_BYTES = 512 * 1024 * 1024


@dataclass
class Context:
    path: Path
    password: str | None
    doc: SourceDocument

    @cached_property
    def tabular_pages(self) -> list[int]:
        """Pages with a line of column names, where a further candidate reads (found once per document)."""
        return tabular_pages(self.doc)


@dataclass(frozen=True)
class Reader:
    """A candidate table reader: its name (the `extractor` of its rows) and how it reads."""

    name: str
    read: Callable[[Context], list[Table]]


def _as_read(ctx: Context) -> list[Table]:
    return ctx.doc.tables  # what the format's own reader found while reading the file


READERS: dict[str, list[Reader]] = {
    "pdf": [Reader("pdf-rulings", _as_read),  # pdfium's characters and ruling lines (extractors/pdf.py)
            Reader("pdfplumber-rulings", lambda c: read_pdf_pages_pdfplumber(c.path, c.tabular_pages, c.password)),
            Reader("pdf-columns", lambda c: column_tables(c.path, c.tabular_pages, c.password)),
            Reader("camelot-lattice", lambda c: camelot_tables(c.path, c.tabular_pages, c.password, c.doc,
                                                               "lattice")),
            Reader("camelot-stream", lambda c: camelot_tables(c.path, c.tabular_pages, c.password, c.doc,
                                                              "stream"))],
    "pdf-ocr": [Reader("ocr-grid", _as_read)],
    "docx": [Reader("docx-xml", _as_read)],
    "doc": [Reader("docx-xml", _as_read)],
    "txt": [Reader("txt-tab", lambda c: tab_tables(c.doc.lines)),
            Reader("txt-coded", lambda c: coded_tables(c.doc.lines)),
            Reader("txt-blocks", lambda c: block_tables(c.doc.lines, plan_year_of([ln.text for ln in c.doc.lines])))],
}


def sniff_format(path: Path) -> str | None:
    with open(path, "rb") as fh:
        head = fh.read(4096)
    return sniff_bytes(head, path)


def extract(path: Path, password: str | None = None) -> SourceDocument:
    """Read a file: its text lines, and the tables of the best candidate reading."""
    doc = _extract(path, password)
    encoding = detect_legacy(doc.text)
    if encoding:
        for line in doc.lines:
            line.text = to_unicode(line.text, encoding)
        for t in doc.tables:
            t.map_text(lambda c: to_unicode(c, encoding))
        doc.warnings.append(warning(encoding))
    choose_tables(doc, Context(path, password, doc))
    return doc


def choose_tables(doc: SourceDocument, ctx: Context) -> None:
    """Run the format's candidate readers until one reads well; keep the best reading."""
    best = None
    for reader in READERS.get(doc.source_format, [Reader("as-read", _as_read)]):
        tables = reader.read(ctx)
        for i, t in enumerate(tables):
            t.index = i
        rep, found = report(reader.name, tables)
        doc.reports.append(rep)
        if best is None or rep.key() > best[0].key():
            best = (rep, tables, found)
        if not best[0].weak:
            break
    if best is not None:
        doc.report, doc.tables, doc.appendix = best


def _extract(path: Path, password: str | None = None) -> SourceDocument:
    """Read any supported file; raises ExtractionError with a stable code otherwise."""
    size = path.stat().st_size
    if size == 0:
        raise ExtractionError("empty_file", "file is empty (0 bytes): download it again")
    if size > MAX_FILE_BYTES:
        raise ExtractionError("oversized_file", f"file is {size // 2**20} MiB, over the "
                              f"{MAX_FILE_BYTES // 2**20} MiB limit: split it or raise the limit")
    fmt = sniff_format(path)
    if fmt == "pdf":
        return read_pdf(path, password)
    if fmt == "docx":
        return read_docx(path)
    if fmt == "txt":
        return read_txt(path)
    if fmt == "doc":
        return read_doc(path)
    if fmt == "zip-broken":
        raise ExtractionError("unreadable_file", "zip/DOCX archive is damaged: download it again")
    if fmt == "zip":
        raise ExtractionError("unsupported_format", "zip archive that is not a Word document")
    raise ExtractionError("unsupported_format", "not a PDF, DOCX, DOC or text file (checked by content, "
                          "not by extension)")
