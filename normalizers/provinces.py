"""Province names -> ISO 3166-2:VN codes, from data/provinces.csv (editable)."""
from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import lru_cache

from .catalogs import open_catalog
from .text import match_key


@dataclass(frozen=True)
class Province:
    code: str
    name: str


@lru_cache(maxsize=1)
def _catalog() -> dict[str, Province]:
    """match key of every name and alias -> province."""
    out: dict[str, Province] = {}
    with open_catalog("provinces.csv") as fh:
        for row in csv.DictReader(fh):
            p = Province(row["province_code"].strip(), row["province"].strip())
            for name in [p.name, *filter(None, (a.strip() for a in (row.get("aliases") or "").split(";")))]:
                out[match_key(name)] = p
    return out


def lookup_province(name: str | None) -> Province | None:
    """The province a name (or alias, or code) designates, ignoring case and accents."""
    if not name:
        return None
    key = match_key(re.sub(r"^(tỉnh|thành phố|tp\.?)\s+", "", name.strip(), flags=re.I))
    if key in _catalog():
        return _catalog()[key]
    code = name.strip().upper()
    return next((p for p in _catalog().values() if p.code == code), None)


def province_mentions(text: str) -> list[Province]:
    """Provinces named after 'tỉnh' / 'thành phố' in the text, in order of appearance."""
    keys = _catalog()
    found: list[Province] = []
    for m in re.finditer(r"(?:tỉnh|thành phố|TỈNH|THÀNH PHỐ|Tỉnh|Thành phố)\s+((?:[^\s,.;:()]+\s*){1,4})", text):
        words = m.group(1).split()
        for n in range(min(4, len(words)), 0, -1):
            p = keys.get(match_key(" ".join(words[:n])))
            if p:
                found.append(p)
                break
    return found


def province_before(line: str) -> Province | None:
    """The province in a place-and-date line: '... Hà Tĩnh, ngày 12 tháng 01 năm 2023'."""
    m = re.search(r"((?:[^\s,]+\s+){0,4}[^\s,]+)\s*,\s*ngày\b", line)
    if not m:
        return None
    words = m.group(1).split()
    for n in range(min(5, len(words)), 0, -1):
        p = lookup_province(" ".join(words[-n:]))
        if p:
            return p
    return None
