"""Load, once in the parent process, the readers a batch's files need.

Workers are forked per document: what the parent has imported they share, what they import
themselves they import again for every document (pdfplumber's table functions and pdfminer's
structure reading cost more than pdfium reading a short PDF). A batch of text files imports none
of them, so `cchc run` over a TXT starts without them.
"""
from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from .sniff import sniff_bytes


def _format(path: Path) -> str | None:
    try:
        with open(path, "rb") as fh:
            return sniff_bytes(fh.read(4096), path)
    except OSError:
        return None


def preload_readers(paths: Iterable[Path]) -> set[str]:
    """Import the readers of the formats among `paths` (PDF: pdfium and pdfplumber's table and text
    functions; DOCX and .doc: python-docx); the formats found."""
    formats = {_format(Path(p)) for p in paths}
    if "pdf" in formats:
        import pdfminer.pdfdocument  # noqa: F401  (font descriptors)
        import pdfplumber.table  # noqa: F401  (edges -> cells -> tables)

        from . import pdfium  # noqa: F401
    if formats & {"docx", "doc"}:
        import docx  # noqa: F401
    return {f for f in formats if f}
