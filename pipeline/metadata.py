"""Document metadata from its text: province, plan year, agency, title, number, date."""
from __future__ import annotations

import csv
import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache

from normalizers.catalogs import open_catalog
from normalizers.provinces import Province, lookup_province, province_before, province_mentions
from normalizers.text import clean_inline, match_key

HEADER_LINES = 25  # the national motto, number and place-date sit in the first lines
BODY_START = re.compile(
    r"^(Thực hiện|Căn cứ|Triển khai)\b.*\b(số|Quyết định|Kế hoạch|Nghị quyết|Chỉ thị|Công văn)\b.*\d")
BOILERPLATE = re.compile(r"^(CỘNG HÒA|CỘNG HÕA|ĐỘC LẬP|SỞ |UBND|ỦY BAN|UỶ BAN|BAN |PHÒNG |SỐ:?)", re.I)


@dataclass
class Metadata:
    province: str | None = None
    province_code: str | None = None
    plan_year: int | None = None
    agency: str | None = None
    title: str | None = None
    doc_number: str | None = None
    doc_date: dt.date | None = None
    sources: dict[str, str] = field(default_factory=dict)


@lru_cache(maxsize=1)
def _agencies() -> dict[str, str]:
    out: dict[str, str] = {}
    with open_catalog("agencies.csv") as fh:
        for row in csv.DictReader(fh):
            for name in [row["agency"], *filter(None, (row.get("aliases") or "").split(";"))]:
                out[match_key(name)] = row["agency"].strip()
    return out


def _lines(text: str) -> list[str]:
    return [c for c in (clean_inline(ln.replace("**", "")) for ln in text.splitlines()) if c]


def detect_title(lines: list[str]) -> str | None:
    for i, ln in enumerate(lines[:60]):
        m = re.match(r"^(KẾ HOẠCH|CHƯƠNG TRÌNH|QUYẾT ĐỊNH|BÁO CÁO|ĐỀ ÁN)\b\s*(.*)$", ln)
        if m:
            parts = [ln]
            if not m.group(2):
                for nxt in lines[i + 1:i + 5]:
                    if BODY_START.match(nxt) or re.match(r"^([IVX]+\.|\d+\.)\s", nxt) or len(nxt) > 110:
                        break
                    parts.append(nxt)
            return " ".join(parts)
    # an appendix or a table: its first run of upper-case heading lines
    run: list[str] = []
    for ln in lines[:40]:
        letters = [c for c in ln if c.isalpha()]
        upper = letters and sum(c.isupper() for c in letters) / len(letters) > 0.9 and len(letters) > 3
        if upper and (run or not BOILERPLATE.match(ln)) and not re.fullmatch(r"PHỤ LỤC\s*\w*", ln, re.I) \
                and not re.match(r"^(CỘNG HÒA|ĐỘC LẬP)", ln, re.I):
            run.append(ln)  # a wrapped title may continue with 'SỞ ...'
        elif run:
            break
    return " ".join(run) or None


def detect_year(title: str | None, lines: list[str], doc_date: dt.date | None) -> int | None:
    for text in ([title] if title else []) + lines[:40]:
        m = re.search(r"\b(?:năm|NĂM)\s+(20\d\d)\b", text)
        if m:
            return int(m.group(1))
    return doc_date.year if doc_date else None


def detect_number(lines: list[str]) -> str | None:
    for ln in lines[:HEADER_LINES]:
        m = re.match(r"^Số\s*:?\s*(\S*?)\s*/\s*([A-ZĐ][A-ZĐ0-9.&\-]*)", ln)
        if m:
            return f"{m.group(1)}/{m.group(2)}" if re.match(r"\d", m.group(1)) else None
    return None


def detect_date(lines: list[str]) -> tuple[dt.date | None, Province | None]:
    for ln in lines[:HEADER_LINES]:
        if re.search(r",\s*ngày\b", ln):
            place = province_before(ln)
            m = re.search(r"ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})", ln)
            date = None
            if m:
                try:
                    date = dt.date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
                except ValueError:
                    date = None
            return date, place
    return None, None


def detect_agency(lines: list[str], text: str) -> str | None:
    agencies = _agencies()
    for ln in lines[:HEADER_LINES]:
        m = re.match(r"^(SỞ\s+[^\d,;:]+?)\s*(CỘNG HÒA.*)?$", ln)
        if m:
            name = agencies.get(match_key(m.group(1)))
            return name or m.group(1).strip().title()
    counts = Counter()
    for m in re.finditer(r"Sở\s+(?:[A-ZĐÀ-Ỹ][^\s,.;:()]*\s*){1,6}", text):
        words = m.group(0).split()
        for n in range(len(words), 1, -1):
            name = agencies.get(match_key(" ".join(words[:n])))
            if name:
                counts[name] += 1
                break
    return counts.most_common(1)[0][0] if counts else None


def detect(text: str) -> Metadata:
    lines = _lines(text)
    meta = Metadata()
    meta.title = detect_title(lines)
    meta.doc_number = detect_number(lines)
    meta.doc_date, place = detect_date(lines)
    meta.plan_year = detect_year(meta.title, lines, meta.doc_date)
    meta.agency = detect_agency(lines, text)
    province = place
    if province is None:
        for ln in lines[:HEADER_LINES]:
            m = re.match(r"^(?:UBND|ỦY BAN NHÂN DÂN|UỶ BAN NHÂN DÂN)\s+(?:TỈNH|THÀNH PHỐ)\s+(.+)$", ln, re.I)
            if m and (province := lookup_province(m.group(1))):
                break
    if province is None:
        mentions = Counter(province_mentions(" ".join(lines)))
        if mentions:
            province = mentions.most_common(1)[0][0]
    if province:
        meta.province, meta.province_code = province.name, province.code
    for f in ("province", "plan_year", "agency"):
        if getattr(meta, f) is not None:
            meta.sources[f] = "text"
    return meta
