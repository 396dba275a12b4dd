"""Pre-extracted plain text: decode it and keep its lines."""
from __future__ import annotations

from pathlib import Path

from .model import ExtractionError, SourceDocument, TextLine
from .txt_blocks import block_tables
from .txt_coded import coded_tables
from .txt_tables import tab_tables


def decode(data: bytes) -> str:
    for bom, enc in ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16")):
        if data.startswith(bom):
            return data.decode(enc)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        # Vietnamese Windows code page; legacy TCVN3/VNI text is repaired by the normalisers
        return data.decode("cp1258", errors="replace")


def read_txt(path: Path) -> SourceDocument:
    data = path.read_bytes()
    text = decode(data)
    if not text.strip():
        raise ExtractionError("empty_file", "text file has no content")
    doc = SourceDocument(path=str(path), source_format="txt")
    doc.lines = [TextLine(line) for line in text.splitlines()]
    # tab-separated tables (text saved from Word); else criteria tables linearised by a PDF tool
    doc.tables = tab_tables(doc.lines) or coded_tables(doc.lines) or block_tables(doc.lines)
    return doc
