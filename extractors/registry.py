"""Format -> extractor."""
from __future__ import annotations

from pathlib import Path

from normalizers.legacy import detect_legacy, to_unicode, warning

from .doc import read_doc
from .docx import read_docx
from .model import ExtractionError, SourceDocument
from .pdf import read_pdf
from .sniff import sniff_bytes
from .txt import read_txt

MAX_FILE_BYTES = 512 * 1024 * 1024


def sniff_format(path: Path) -> str | None:
    with open(path, "rb") as fh:
        head = fh.read(4096)
    return sniff_bytes(head, path)


def extract(path: Path, password: str | None = None) -> SourceDocument:
    doc = _extract(path, password)
    encoding = detect_legacy(doc.text)
    if encoding:
        for line in doc.lines:
            line.text = to_unicode(line.text, encoding)
        for t in doc.tables:
            t.rows = [[to_unicode(c, encoding) if c else c for c in row] for row in t.rows]
        doc.warnings.append(warning(encoding))
    return doc


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
