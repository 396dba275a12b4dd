"""Section headings -> the eight PAR Index areas (data/areas.csv), whatever their numbering."""
from __future__ import annotations

import csv
import re
from functools import lru_cache

from .catalogs import open_catalog
from .text import match_key

NUMBERING = re.compile(r"^\s*(?:phần\s+)?(?:[IVXLC]+|\d{1,2}(?:\.\d{1,2})*|[a-z])\s*[.:)\-–]?\s+", re.I)


@lru_cache(maxsize=1)
def _areas() -> list[tuple[int, list[str]]]:
    with open_catalog("areas.csv") as fh:
        return [(int(r["area_code"]), [match_key(k) for k in r["keywords"].split(";") if k.strip()])
                for r in csv.DictReader(fh)]


def area_code(heading: str | None) -> int | None:
    """'II Cải cách thủ tục hành chính' -> 3; 'VII Chỉ đạo điều hành CCHC' -> 1; None when unclear."""
    if not heading:
        return None
    key = " " + match_key(NUMBERING.sub("", heading)) + " "
    best: tuple[int, int] | None = None  # (length of the longest keyword found, code)
    for code, keywords in _areas():
        for kw in keywords:
            if f" {kw} " in key and (best is None or len(kw) > best[0]):
                best = (len(kw), code)
    return best[1] if best else None
