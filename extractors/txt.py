"""Pre-extracted plain text: decode it and keep its lines."""
from __future__ import annotations

import unicodedata
from pathlib import Path

from normalizers.legacy import detect_legacy, to_unicode, warning

from .model import ExtractionError, SourceDocument, TextLine


def decode(data: bytes) -> str:
    """The text; TCVN3 or VNI bytes come back as the characters the legacy converter maps."""
    for bom, enc in ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16")):
        if data.startswith(bom):
            return data.decode(enc)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    # Legacy TCVN3/VNI bytes are kept as the Latin-1 characters a legacy font's text shows in a PDF or
    # DOCX, which is what the converter maps (read as cp1258, a tenth of their letters would be lost).
    latin = data.decode("latin-1")
    if detect_legacy(latin):
        return latin
    # Vietnamese Windows code page: tone marks are separate characters, composed here (NFC)
    return unicodedata.normalize("NFC", data.decode("cp1258", errors="replace"))


def read_txt(path: Path) -> SourceDocument:
    data = path.read_bytes()
    text = decode(data)
    if not text.strip():
        raise ExtractionError("empty_file", "text file has no content")
    doc = SourceDocument(path=str(path), source_format="txt")
    legacy = detect_legacy(text)  # also legacy-font text saved as UTF-8 ("Céng hoµ")
    if legacy:  # converted before the tables are read: their readers match unit names and deadlines
        text = to_unicode(text, legacy) or ""
        doc.warnings.append(warning(legacy))
    doc.lines = [TextLine(line) for line in text.splitlines()]
    return doc  # its tables are read by the candidate readers of the registry (tab, coded, blocks)
