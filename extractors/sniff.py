"""Detect a file's format from its bytes, never from its extension."""
from __future__ import annotations

import re
import zipfile
from pathlib import Path

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def sniff_bytes(head: bytes, path: Path | None = None) -> str | None:
    """'pdf', 'docx', 'doc', 'txt' or None (unknown) for the first bytes of a file."""
    if b"%PDF-" in head[:1024]:
        return "pdf"
    if head.startswith(OLE_MAGIC):
        return "doc"
    if head.startswith(b"PK\x03\x04"):
        if path is not None:
            try:
                with zipfile.ZipFile(path) as z:
                    return "docx" if main_part(z) else "zip"
            except (zipfile.BadZipFile, OSError, KeyError, ValueError):
                return "zip-broken"
        return "docx"
    if looks_like_text(head):
        return "txt"
    return None


OFFICE_DOCUMENT = re.compile(rb'<Relationship\b[^>]*?Type="[^"]*/officeDocument"[^>]*?>', re.S)
TARGET = re.compile(rb'Target="([^"]+)"')


def main_part(z: zipfile.ZipFile) -> str | None:
    """The Word body part of an OOXML package (DOCX, DOCM, DOTX, DOTM, Strict OOXML), found through the
    package relationships as Word does, whatever the content type says; None for other zips."""
    names = set(z.namelist())
    target = None
    if "_rels/.rels" in names:
        rel = OFFICE_DOCUMENT.search(z.read("_rels/.rels")[:65536])
        found = TARGET.search(rel.group(0)) if rel else None
        if found:
            target = found.group(1).decode("utf-8", "replace").lstrip("/")
    if target in names and target.startswith("word/"):
        return target
    return "word/document.xml" if "word/document.xml" in names else None


def looks_like_text(head: bytes) -> bool:
    if not head:
        return False
    if head.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
        return True
    if b"\x00" in head:
        return False
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        # a multi-byte character cut at the end of the sample is still text
        if exc.start < len(head) - 4:
            return _mostly_printable(head.decode("cp1252", errors="replace"))
    return _mostly_printable(head.decode("utf-8", errors="ignore"))


def _mostly_printable(s: str) -> bool:
    if not s:
        return False
    bad = sum(1 for ch in s if ord(ch) < 32 and ch not in "\t\n\r\f")
    return bad / len(s) < 0.01
