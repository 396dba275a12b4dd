"""Whole documents typed in the legacy Vietnamese encodings TCVN3 (ABC) and VNI -> Unicode.

Detection and conversion are viparse's (pinned in pyproject.toml). It is asked once per
document, on all its text, because short strings alone are too little to tell; text that is
already Unicode is left exactly as it is.
"""
from __future__ import annotations

import re

from viparse.api import detect_text_encoding, fix

UNICODE_VIETNAMESE = re.compile("[\u1ea0-\u1ef9]")  # precomposed letters with a tone that only Unicode text has
UNICODE_EVIDENCE = 20  # this many of them, and ...
UNICODE_SHARE = 0.01  # ... this share of the text's letters: Unicode text, the detector need not run
DETECT_CHARS = 200_000  # the detector reads this much of a long document (its verdict is the same)


def detect_legacy(text: str) -> str | None:
    """'tcvn3' or 'vni' when the text is in a legacy encoding, else None."""
    if not text.strip():
        return None
    sample = text[:DETECT_CHARS]
    letters = sum(ch.isalpha() for ch in sample)
    toned = len(UNICODE_VIETNAMESE.findall(sample))
    if toned >= UNICODE_EVIDENCE and toned >= UNICODE_SHARE * letters:
        return None  # TCVN3 and VNI bytes, read as any 8-bit code page, never give these letters
    try:
        return detect_text_encoding(sample)
    except Exception:  # a detector failure must not lose the document
        return None


def to_unicode(text: str | None, encoding: str) -> str | None:
    """Convert one string known to be in `encoding`, keeping its line breaks, tabs and spaces (readers of
    text tables need a line's leading and trailing spaces; the converter folds them)."""
    if not text:
        return text
    return "\n".join("\t".join(_convert(cell, encoding) for cell in line.split("\t")) for line in text.split("\n"))


def _convert(cell: str, encoding: str) -> str:
    if not cell.strip():
        return cell
    out = _convert_spaced(cell, encoding)
    if encoding == "tcvn3" and _upper_line(out):
        # TCVN3 has no capital toned letters (a heading font draws them): "NHIệM Vụ" was "NHIỆM VỤ"
        return out.upper()
    return out


def _upper_line(text: str) -> bool:
    ascii_letters = [ch for ch in text if ch.isascii() and ch.isalpha()]
    return (len(ascii_letters) >= 2 and all(ch.isupper() for ch in ascii_letters)
            and any(ch.islower() and not ch.isascii() for ch in text))


def _convert_spaced(cell: str, encoding: str) -> str:
    parts = re.split(r"(\s+)", cell)  # words at even positions, the spaces between them at odd ones
    words = [p for p in parts[::2] if p]
    converted = fix(" ".join(words), encoding=encoding).split(" ")
    if len(converted) != len(words):  # the converter joined or split words: keep its text, not the spacing
        lead, trail = cell[:len(cell) - len(cell.lstrip())], cell[len(cell.rstrip()):]
        return lead + " ".join(converted) + trail
    it = iter(converted)
    return "".join(p if i % 2 or not p else next(it) for i, p in enumerate(parts))


def warning(encoding: str) -> tuple[str, str]:
    """The `legacy_encoding` issue (code, message) for a document that was converted."""
    return ("legacy_encoding", f"text was typed in the legacy {encoding.upper()} encoding and was converted to "
            "Unicode: spot-check names and numbers")
