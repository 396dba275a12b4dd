"""Deadline cells -> kind + date window (contract: by_date, period, continuous, conditional,
scheduled, unknown).

A hand-written grammar over an accent-free key of the text (dateparser reads "Tháng
01-02/2023" as 2 January). Pure: `parse_deadline(raw, plan_year)` never raises; an impossible
date ("31/2/2024") or anything not understood gives kind `unknown`.
"""
from __future__ import annotations

import calendar
import re
import unicodedata
from dataclasses import dataclass
from datetime import date

from .text import clean_cell, clean_inline, repair_glyphs

ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}
Y = r"(?:nam\s*)?(\d{4})"
NUM_MONTH = r"(\d{1,2})"
QUARTER = r"(iv|iii|ii|i|[1-4])"
SEP = r"\s*[/.\-]\s*"


@dataclass(frozen=True)
class Deadline:
    kind: str  # by_date | period | continuous | conditional | scheduled | unknown
    due_start: date | None = None
    due_end: date | None = None
    ref: str | None = None
    problem: str | None = None  # why it is unknown (for the issue message)


UNKNOWN = Deadline("unknown")


def fold(s: str) -> str:
    """Accent-free lower-case key keeping digits and the separators dates use."""
    d = unicodedata.normalize("NFD", repair_glyphs(s).replace("đ", "d").replace("Đ", "D"))
    d = "".join(ch for ch in d if not unicodedata.combining(ch)).lower()
    d = d.replace("–", "-").replace("—", "-")
    d = re.sub(r"(\d{4})(?=[a-z])", r"\1 ", d)  # "2023và" typed without its space
    return re.sub(r"\s+", " ", d).strip()


def _last_day(y: int, m: int) -> date:
    return date(y, m, calendar.monthrange(y, m)[1])


def _quarter(q: str) -> int:
    return ROMAN.get(q) or int(q)


def _quarter_window(q1: int, q2: int, y: int) -> tuple[date, date]:
    return date(y, 3 * q1 - 2, 1), _last_day(y, 3 * q2)


def _year(text: str, plan_year: int | None) -> int | None:
    m = re.search(r"(?<!\d)(19|20)\d{2}(?!\d)", text)
    return int(m.group(0)) if m else plan_year


def first_deadline(raw: str) -> str:
    """The first of several deadlines in one cell ('- Tháng 01/2024 - Đối với ...')."""
    text = raw.strip()
    parts = [p.strip(" -–•+\t") for p in re.split(r"\n|;|/(?=\s*[A-ZĐ][a-zà-ỹđ])|\s[-–•+]\s(?=\D)", text)]
    parts = [p for p in parts if p]
    return parts[0] if parts else text


def _ref(raw_first: str, lead_words: int) -> str | None:
    words = raw_first.split()
    rest = " ".join(words[lead_words:]).strip(" .:;,")
    return rest or None


CONTINUOUS = re.compile(r"^(thuong xuyen|lien tuc|hang (nam|quy|thang|tuan|ngay)|dinh ky(?: hang (?:nam|quy|thang|tuan)"
                        r"| (?:6 thang|sau thang|quy|thang|nam))?|moi (nam|quy|thang)"
                        r"|(trong )?nam \d{4} va (nhung|cac) nam tiep theo|tu nam \d{4} tro di)")
CONDITIONAL = re.compile(r"^(ngay sau khi co|ngay sau khi|sau khi co|sau khi|khi co|khi|truoc khi|tuy theo|theo)"
                         r"(?= (tien do|huong dan|chi dao|yeu cau|de nghi|van ban|thong bao)\b|(?<!theo) )")
SCHEDULED = re.compile(r"^theo (ke hoach|thoi han|thoi gian|lich|chuong trinh|quy dinh|quyet dinh|tien do ke hoach"
                       r"|lo trinh|de an|ke hoach so)\b")
BY_WORDS = r"(?:truoc|den|cham nhat|han chot|hoan thanh truoc|hoan thanh|den het|truoc het|trong)?\s*(?:ngay\s*)?"

OPENING = re.compile(r"^(?:[-+•–]\s*)?(?:(?:truoc|den het|den|cham nhat|han chot|hoan thanh truoc)\b|ngay \d"
                     r"|trong (?:nam|quy|thang)\b|(?:quy|q) ?(?:iv|iii|ii|i|[1-4])\b|thang \d|(?:ca )?nam(?: \d|$)"
                     r"|\d+ thang\b|giai doan \d|\d{1,2}/\d{1,2})")


def opens_deadline(text: str | None) -> bool:
    """The text starts the way a deadline cell does ("Thường xuyên", "Quý II/", "Trước ngày",
    "Khi có hướng dẫn", "Theo Kế hoạch"), though it may be cut by a line end; used to tell a
    deadline cell from other text when a table has lost its columns."""
    k = fold(text or "")
    return bool(k) and bool(CONTINUOUS.match(k) or SCHEDULED.match(k) or CONDITIONAL.match(k) or OPENING.match(k))


def parse_deadline(raw: str | None, plan_year: int | None = None) -> Deadline:
    """'Quý II/2024' -> period 2024-04-01..2024-06-30; 'Thường xuyên' -> continuous; ..."""
    try:
        return _parse(raw, plan_year)
    except (ValueError, OverflowError) as exc:  # a date that does not exist
        return Deadline("unknown", problem=str(exc))


def _parse(raw: str | None, plan_year: int | None) -> Deadline:
    cell = clean_cell(raw or "")  # wrapped lines joined (also mid-token), bullet lines kept apart
    text = clean_inline(cell or "")
    if not text:
        return UNKNOWN
    first = first_deadline(cell)
    first_clean = clean_inline(first) or text
    k = fold(first_clean).rstrip(" .")
    year = _year(k, plan_year)

    m = CONTINUOUS.match(k)
    if m:
        start = date(year, 1, 1) if year else None
        rest = k[m.end():].strip(" ,.")
        ref = _ref(first_clean, len(m.group(0).split())) if rest and not re.fullmatch(r"nam \d{4}", rest) else None
        return Deadline("continuous", start, None, ref)
    if SCHEDULED.match(k):
        return Deadline("scheduled", ref=_ref(first_clean, 1))
    m = CONDITIONAL.match(k)
    if m:
        return Deadline("conditional", ref=_ref(first_clean, len(m.group(0).split())))

    # by a date: "Trước ngày 14/3/2024", "trước 30/6", "ngày 30 tháng 6 năm 2024", "15/12/2025"
    m = re.fullmatch(BY_WORDS + r"(\d{1,2})" + SEP + NUM_MONTH + r"(?:" + SEP + r"(\d{4}))?", k)
    if m:
        y = int(m.group(3)) if m.group(3) else plan_year
        return Deadline("by_date", None, date(y, int(m.group(2)), int(m.group(1)))) if y else UNKNOWN
    m = re.fullmatch(BY_WORDS + r"(\d{1,2}) thang (\d{1,2})(?: nam (\d{4}))?", k)
    if m:
        y = int(m.group(3)) if m.group(3) else plan_year
        return Deadline("by_date", None, date(y, int(m.group(2)), int(m.group(1)))) if y else UNKNOWN
    # by the end of a year / quarter / month: "Đến năm 2025", "Đến hết quý II/2025", "Trước tháng 6/2024"
    m = re.fullmatch(r"(den|den het|truoc|cham nhat|hoan thanh truoc) (?:nam )?(\d{4})", k)
    if m:
        return Deadline("by_date", None, date(int(m.group(2)), 12, 31))
    m = re.fullmatch(r"(den het|den|cham nhat|hoan thanh trong|truoc het|truoc) (?:quy|q) ?" + QUARTER
                     + r"(?:" + SEP + "|\\s+)?" + r"(?:nam )?(\d{4})?", k)
    if m and year:
        q = _quarter(m.group(2))
        if m.group(1) == "truoc":  # before the quarter starts
            end = date(year, 3 * q - 2, 1).toordinal() - 1
            return Deadline("by_date", None, date.fromordinal(end))
        return Deadline("by_date", None, _last_day(year, 3 * q))
    m = re.fullmatch(r"(den het|den|cham nhat|truoc) thang " + NUM_MONTH + r"(?:" + SEP + r"(\d{4})| nam (\d{4}))?", k)
    if m and year:
        mo = int(m.group(2))
        if m.group(1) == "truoc":
            return Deadline("by_date", None, date.fromordinal(date(year, mo, 1).toordinal() - 1))
        return Deadline("by_date", None, _last_day(year, mo))

    k2 = re.sub(r"^(trong|thuc hien trong|hoan thanh trong|vao|trong thoi gian|du kien)\s+", "", k)
    # months: "Tháng 01/2024", "Tháng 01-02/2023", "Tháng 3, 4/2024", "tháng 12", "tháng 6 năm 2024"
    m = re.fullmatch(r"thang " + NUM_MONTH + r"(?:\s*(?:-|,|va|den)\s*(?:thang )?" + NUM_MONTH + r")?"
                     r"(?:" + SEP + r"(\d{4})| nam (\d{4}))?", k2)
    if m:
        y = int(m.group(3) or m.group(4) or 0) or plan_year
        m1, m2 = int(m.group(1)), int(m.group(2) or m.group(1))
        if not y:
            return UNKNOWN
        if m2 < m1:
            raise ValueError(f"month range {m1}-{m2} runs backwards")
        return Deadline("period", date(y, m1, 1), _last_day(y, m2))
    # quarters: "Quý II/2024", "quý 2 năm 2024", "QII/2024", "Quý II-III/2024", "Quý II, III/2023"
    m = re.fullmatch(r"(?:quy|q) ?" + QUARTER + r"(?:\s*(?:-|,|va|den)\s*(?:quy |q)?" + QUARTER + r")?"
                     r"(?:" + SEP + r"|\s+)?(?:nam )?(\d{4})?", k2)
    if m:
        if not year:
            return UNKNOWN
        q1, q2 = _quarter(m.group(1)), _quarter(m.group(2) or m.group(1))
        if q2 < q1:
            raise ValueError(f"quarter range {q1}-{q2} runs backwards")
        s, e = _quarter_window(q1, q2, year)
        return Deadline("period", s, e)
    # halves: "6 tháng đầu năm", "6 tháng cuối năm 2024"
    m = re.fullmatch(r"(6|06|sau) thang (dau|cuoi) nam(?: \d{4})?", k2)
    if m and year:
        if m.group(2) == "dau":
            return Deadline("period", date(year, 1, 1), date(year, 6, 30))
        return Deadline("period", date(year, 7, 1), date(year, 12, 31))
    # years: "Năm 2023", "Trong năm 2023", "Cả năm", "2024-2025", "Giai đoạn 2024 - 2025"
    m = re.fullmatch(r"(?:ca )?nam(?: (\d{4}))?", k2)
    if m and year:
        return Deadline("period", date(year, 1, 1), date(year, 12, 31))
    m = re.fullmatch(r"(?:giai doan |nam |tu nam )?(\d{4})(?:\s*(?:-|den|den nam)\s*(\d{4}))?", k2)
    if m:
        y1, y2 = int(m.group(1)), int(m.group(2) or m.group(1))
        if not (1900 < y1 <= y2 < 2200):
            raise ValueError(f"year range {y1}-{y2} is not a window")
        return Deadline("period", date(y1, 1, 1), date(y2, 12, 31))
    # a bare date "30/6/2024"
    m = re.fullmatch(r"(\d{1,2})" + SEP + NUM_MONTH + SEP + r"(\d{4})", k2)
    if m:
        return Deadline("by_date", None, date(int(m.group(3)), int(m.group(2)), int(m.group(1))))
    return UNKNOWN
