"""Document metadata from its text: province, plan year, agency, title, number, date."""
from __future__ import annotations

import csv
import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache

from normalizers.catalogs import open_catalog
from normalizers.provinces import Resolution, named_provinces, plan_date, province_before, province_mentions, resolve
from normalizers.text import clean_inline, match_key

HEADER_LINES = 25  # the national motto, number and place-date sit in the first lines
BODY_START = re.compile(
    r"^(Thực hiện|Căn cứ|Triển khai)\b.*\b(số|Quyết định|Kế hoạch|Nghị quyết|Chỉ thị|Công văn)\b.*\d")
# the issuer's heading: "UBND TỈNH LÂM ĐỒNG", "ỦY BAN NHÂN DÂN" over "TỈNH LÂM ĐỒNG (MỚI)"
ISSUER_HEADING = re.compile(
    r"^(?:(?:UBND|ỦY BAN NHÂN DÂN|UỶ BAN NHÂN DÂN)\s+(?i:tỉnh|thành phố|tp\.)|TỈNH|THÀNH PHỐ)\s")
BOILERPLATE = re.compile(r"^(CỘNG HÒA|CỘNG HÕA|ĐỘC LẬP|SỞ |UBND|ỦY BAN|UỶ BAN|BAN |PHÒNG |SỐ:?|TỈNH |THÀNH PHỐ )",
                         re.I)


@dataclass
class Metadata:
    province: str | None = None
    province_code: str | None = None
    plan_year: int | None = None
    agency: str | None = None
    title: str | None = None
    doc_number: str | None = None
    doc_date: dt.date | None = None
    province_2025: str | None = None
    province_code_2025: str | None = None
    sources: dict[str, str] = field(default_factory=dict)
    problems: list[dict] = field(default_factory=list)  # issue fields (code, message, field, raw_value)


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


def detect_date(lines: list[str]) -> tuple[dt.date | None, str | None]:
    """The issue date and the place-and-date line it was read from."""
    for ln in lines[:HEADER_LINES]:
        if re.search(r",\s*ngày\b", ln):
            m = re.search(r"ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})", ln)
            date = None
            if m:
                try:
                    date = dt.date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
                except ValueError:
                    date = None
            return date, ln
    return None, None


def detect_agency(lines: list[str], text: str) -> str | None:
    agencies = _agencies()
    for ln in lines[:HEADER_LINES]:
        # the issuer line, often beside the national motto in a layout table ("SỞ NỘI VỤ  Độc lập - …")
        m = re.match(r"^(SỞ\s+[^\d,;:\t]+?)\s*(?:\t.*|\s{2,}.*|CỘNG HÒA.*|Độc lập.*|ĐỘC LẬP.*)?$", ln)
        if m:
            words = m.group(1).split()
            for n in range(len(words), 1, -1):  # the longest known agency the line opens with
                name = agencies.get(match_key(" ".join(words[:n])))
                if name:
                    return name
            return m.group(1).strip().title()
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
    meta.doc_date, place_line = detect_date(lines)
    meta.plan_year = detect_year(meta.title, lines, meta.doc_date)
    meta.agency = detect_agency(lines, text)
    when = plan_date(meta.doc_date, meta.plan_year)
    issuer = detect_issuer(lines, place_line, when)
    if issuer is None:
        # no issuer in the header: the province the text names most often among those existing on the
        # plan's date (a former province named in a post-merger plan is history, not the issuer)
        mentions = Counter(province_mentions(" ".join(lines), when))
        if mentions:
            top = mentions.most_common(1)[0][0]
            issuer = Resolution(top, top)
    if issuer:
        _assign(meta, issuer, when)
    for f in ("province", "plan_year", "agency"):
        if getattr(meta, f) is not None:
            meta.sources[f] = "text"
    return meta


def detect_issuer(lines: list[str], place_line: str | None, when: dt.date | None) -> Resolution | None:
    """The province of the place-and-date line, else of the issuer's heading; one that existed on the
    plan's date first (a former one in a post-merger header is read as its successor)."""
    found = [r for r in [province_before(place_line, when) if place_line else None] if r]
    for ln in lines[:HEADER_LINES]:
        if ISSUER_HEADING.match(ln):
            found += [r for r in [next(named_provinces(ln, when), None)] if r]
    return next((r for r in found if r.named.valid_on(when)), found[0] if found else None)


def _assign(meta: Metadata, r: Resolution, when: dt.date | None, source: str = "text") -> None:
    p = r.province
    meta.province, meta.province_code = p.name, p.code
    meta.province_2025, meta.province_code_2025 = p.name_2025, p.code_2025
    if r.superseded:
        since = r.named.valid_to + dt.timedelta(days=1)
        meta.problems.append({
            "code": "province_superseded", "field": "province", "raw_value": r.named.name,
            "message": f"the {source} names {r.named.name}, which since {since:%d/%m/%Y} is part of {p.name}; "
                       f"the plan (dated {when:%d/%m/%Y}) is assigned to {p.name} ({p.code}): check the date, "
                       "or give the province in the manifest"})
    elif r.named.valid_from and when and when < r.named.valid_from:
        meta.problems.append({
            "code": "province_not_yet_formed", "field": "province", "raw_value": r.named.name,
            "message": f"the {source} names {r.named.name} as formed on {r.named.valid_from:%d/%m/%Y}, but the "
                       f"plan is dated {when:%d/%m/%Y}; it is assigned to {p.name} as it was then: check the date"})


def apply_manifest_province(meta: Metadata, name: str | None, year_changed: bool) -> bool:
    """The manifest's province (a former or a new name, '(mới)' understood) read on the plan's date; with
    none, a province detected before the manifest changed the year is read again on the new date.
    False when the name is unknown."""
    when = plan_date(meta.doc_date, meta.plan_year)
    if name is None:
        if year_changed and meta.province_code:
            r = resolve(meta.province_code, when)
            if r:
                meta.problems = [p for p in meta.problems if p["field"] != "province"]
                _assign(meta, r, when)
        return True
    r = resolve(name, when)
    if r is None:
        return False
    meta.problems = [p for p in meta.problems if p["field"] != "province"]
    _assign(meta, r, when, source="manifest")
    meta.sources["province"] = "manifest"
    return True

