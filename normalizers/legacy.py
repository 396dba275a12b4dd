"""Whole documents typed in the legacy Vietnamese encodings TCVN3 (ABC) and VNI -> Unicode.

Detection and conversion are viparse's (pinned in pyproject.toml). It is asked once per
document, on all its text, because short strings alone are too little to tell; text that is
already Unicode is left exactly as it is.
"""
from __future__ import annotations

from viparse.api import detect_text_encoding, fix


def detect_legacy(text: str) -> str | None:
    """'tcvn3' or 'vni' when the text is in a legacy encoding, else None."""
    if not text.strip():
        return None
    try:
        return detect_text_encoding(text)
    except Exception:  # a detector failure must not lose the document
        return None


def to_unicode(text: str | None, encoding: str) -> str | None:
    """Convert one string known to be in `encoding`, keeping its line breaks and tabs."""
    if not text:
        return text
    return "\n".join("\t".join(fix(cell, encoding=encoding) if cell.strip() else cell for cell in line.split("\t"))
                     for line in text.split("\n"))
