"""Pre-extracted plain text: decode it and keep its lines."""
from __future__ import annotations

from pathlib import Path

from .model import ExtractionError, SourceDocument, TextLine


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
    return doc  # its tables are read by the candidate readers of the registry (tab, coded, blocks)
