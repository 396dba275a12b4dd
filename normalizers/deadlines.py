"""Deadline cells -> kind + date window (contract: by_date, period, continuous, conditional,
scheduled, unknown).

A hand-written grammar over an accent-free key of the text (dateparser reads "Tháng
01-02/2023" as 2 January). Pure: `parse_deadline(raw, plan_year)` never raises; an impossible
date ("31/2/2024"), a range that runs backwards, or anything not understood gives kind
`unknown` (never a guessed window).

Besides single dates, months, quarters and years it reads ranges ("từ tháng 3 đến tháng
6/2025", "Quý II - Quý III/2025", a piece without a year takes the year of the next one),
lists (the window from the first to the last), the edges of a period ("đầu" its first part,
"cuối" its last: a year's first or last quarter, a quarter's first or last month, a month's
first or last ten days), recurrences ("ngày 20 hằng tháng": continuous), a window that goes
on ("Năm 2025 và các năm tiếp theo": continuous from its start) and a window followed by a
second deadline ("Quý I/2025 và thường xuyên": the first one's window, as for any cell
naming several deadlines).
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


# a spaced dash that goes on with a range ("Quý II - Quý III/2025", "Tháng 3 - tháng 6") is no separator
RANGE_GOES_ON = r"(?!\s*(?:[Qq]u[yýỳ]|[Qq][úu]y|[Tt]háng|[Nn]gày|[Nn]ăm|[Đđ]ến|[IVX]+\b|\d))"


TITLE_LINES = 40  # the title ("KẾ HOẠCH ... năm 2024") and the place-date line sit in the first lines
TITLE_YEAR = re.compile(r"\b(?:năm|NĂM)\s+(20\d\d)\b")


def plan_year_of(lines: list[str]) -> int | None:
    """The year a plan is for, from its title lines ("Kế hoạch cải cách hành chính năm 2024")."""
    for text in [t for t in lines if t.strip()][:TITLE_LINES]:
        m = TITLE_YEAR.search(text)
        if m:
            return int(m.group(1))
    return None


def first_deadline(raw: str) -> str:
    """The first of several deadlines in one cell ('- Tháng 01/2024 - Đối với ...')."""
    text = raw.strip()
    parts = [p.strip(" -–•+\t") for p in re.split(r"\n|;|/(?=\s*[A-ZĐ][a-zà-ỹđ])|\s[-–•+]\s" + RANGE_GOES_ON, text)]
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
                     r"|\d+ thang\b|giai doan \d|\d{1,2}/\d{1,2}|tu (?:thang|quy|ngay|nay)\b"
                     r"|(?:dau|cuoi) (?:nam|quy|thang)\b|dot \d)")


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
    k = LABEL.sub("", fold(first_clean).rstrip(" .;,"))
    return _read(k, first_clean, plan_year)


LABEL = re.compile(r"^(?:dot|giai doan|buoc) \d{1,2}\s*:\s*")  # "Đợt 1: Quý II/2025"
# "Quý I/2025 và thường xuyên", "Tháng 3/2025 và duy trì hằng năm": continuous from the first window
# "Năm 2025 và các năm tiếp theo", "từ tháng 3/2025 trở đi": a window that goes on (continuous from its start)
ONGOING_TAIL = re.compile(r"\s*(?:,|va|;)?\s*(?:(?:nhung|cac) nam tiep theo|tro di)$")
# "Quý I/2025 và thường xuyên": two deadlines, the first gives the window (the rest stays in the raw text)
THEN_ALWAYS = re.compile(r"\s*(?:,|va|;)\s*(?:sau do\s+)?(?:duy tri\s+)?(?:thuong xuyen|lien tuc)$")
RECURRING = re.compile(r"\b(?:hang|moi) (?:ngay|tuan|thang|quy|nam)\b")  # "ngày 20 hằng tháng"
TRAILING_NOTE = re.compile(r"\s*\([^()]*\)$")  # "Quý IV/2025 (trước 15/12)"


def _read(k: str, raw: str, plan_year: int | None) -> Deadline:
    year = _year(k, plan_year)
    m = CONTINUOUS.match(k)
    if m:
        start = date(year, 1, 1) if year else None
        rest = k[m.end():].strip(" ,.")
        ref = _ref(raw, len(m.group(0).split())) if rest and not re.fullmatch(r"nam \d{4}", rest) else None
        return Deadline("continuous", start, None, ref)
    if SCHEDULED.match(k):
        return Deadline("scheduled", ref=_ref(raw, 1))
    m = CONDITIONAL.match(k)
    if m:
        return Deadline("conditional", ref=_ref(raw, len(m.group(0).split())))
    if RECURRING.search(k):  # a day or a month of every period ("ngày 20 hằng tháng"): from the plan year
        return Deadline("continuous", date(year, 1, 1) if year else None, None, ref=raw.strip(" .;,"))
    m = THEN_ALWAYS.search(k)
    if m and m.start() > 0:
        head = _window(k[:m.start()].strip(" ,;-"), plan_year)
        if head:
            return head
    m = ONGOING_TAIL.search(k)
    if m and m.start() > 0:
        head = _window(re.sub(r"^tu\s+", "", k[:m.start()].strip(" ,;-")), plan_year)
        if head:
            start = head.due_start or date(head.due_end.year, 1, 1)
            return Deadline("continuous", start, None)
    found = _window(k, plan_year)
    if found:
        return found
    m = TRAILING_NOTE.search(k)
    if m and m.start() > 0:
        return _window(k[:m.start()], plan_year) or UNKNOWN
    return UNKNOWN


def _window(k: str, plan_year: int | None) -> Deadline | None:
    """A deadline that names a date or a window (no recurrence, no condition); None when not one."""
    return _single(k, plan_year) or _span(k, plan_year)


BY = r"(?:(?:truoc|den het|den|cham nhat|han chot|hoan thanh|truoc het|trong)\s+)*"


def _single(k: str, plan_year: int | None) -> Deadline | None:
    year = _year(k, plan_year)
    # by a date: "Trước ngày 14/3/2024", "chậm nhất trước ngày 30/6", "ngày 30 tháng 6 năm 2024", "15/12/2025"
    m = re.fullmatch(BY + r"(?:ngay\s*)?(\d{1,2})" + SEP + NUM_MONTH + r"(?:" + SEP + r"(\d{4}))?", k)
    if m:
        y = int(m.group(3)) if m.group(3) else plan_year
        return Deadline("by_date", None, date(y, int(m.group(2)), int(m.group(1)))) if y else UNKNOWN
    m = re.fullmatch(BY + r"(?:ngay\s*)?(\d{1,2}) thang (\d{1,2})(?: nam (\d{4}))?", k)
    if m:
        y = int(m.group(3)) if m.group(3) else plan_year
        return Deadline("by_date", None, date(y, int(m.group(2)), int(m.group(1)))) if y else UNKNOWN
    # by the end of a year / quarter / month: "Đến năm 2025", "Đến hết quý II/2025", "Trước tháng 6/2024"
    m = re.fullmatch(r"(den|den het|truoc|cham nhat|hoan thanh truoc|tu nay den(?: het)?) (?:nam )?(\d{4})", k)
    if m:
        return Deadline("by_date", None, date(int(m.group(2)), 12, 31))
    m = re.fullmatch(r"(den het|den|cham nhat|hoan thanh trong|truoc het|truoc|tu nay den(?: het)?) (?:quy|q) ?"
                     + QUARTER + r"(?:" + SEP + "|\\s+)?" + r"(?:nam )?(\d{4})?", k)
    if m and year:
        q = _quarter(m.group(2))
        if m.group(1) == "truoc":  # before the quarter starts
            end = date(year, 3 * q - 2, 1).toordinal() - 1
            return Deadline("by_date", None, date.fromordinal(end))
        return Deadline("by_date", None, _last_day(year, 3 * q))
    m = re.fullmatch(r"(den het|den|cham nhat|truoc|tu nay den(?: het)?) thang " + NUM_MONTH
                     + r"(?:" + SEP + r"(\d{4})| nam (\d{4}))?", k)
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
    # the first months of a year: "6 tháng đầu năm", "9 tháng đầu năm 2025", "6 tháng cuối năm 2024"
    m = re.fullmatch(r"(3|03|6|06|9|09|sau|chin|ba) thang (dau|cuoi) nam(?: \d{4})?", k2)
    if m and year:
        n = {"sau": 6, "chin": 9, "ba": 3}.get(m.group(1)) or int(m.group(1))
        if m.group(2) == "dau":
            return Deadline("period", date(year, 1, 1), _last_day(year, n))
        return Deadline("period", date(year, 13 - n, 1), date(year, 12, 31))
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
    # a bare month and year "12/2024", as start | end columns write them (a day/month pair needs its year)
    m = re.fullmatch(NUM_MONTH + r"\s*/\s*(\d{4})", k2)
    if m and 1 <= int(m.group(1)) <= 12:
        y, mo = int(m.group(2)), int(m.group(1))
        return Deadline("period", date(y, mo, 1), _last_day(y, mo))
    # the start or the end of a year / quarter / month: "cuối năm 2025", "đầu quý II", "cuối tháng 6"
    p = _point(k2, None)
    if p and p.edge:
        if not p.year and not plan_year:
            return UNKNOWN
        s, e = p.window(p.year or plan_year)
        return Deadline("period", s, e)
    return None


@dataclass(frozen=True)
class _Point:
    """One named moment of a range or list: a date, a month, a quarter or a year (its year may be missing)."""
    unit: str  # date | month | quarter | year
    value: tuple[int, ...]  # (day, month) | (month,) | (quarter,) | ()
    year: int | None
    edge: str | None = None  # "dau" (its first part) | "cuoi" (its last part) | None (all of it)

    def window(self, year: int) -> tuple[date, date]:
        if self.unit == "date":
            d = date(year, self.value[1], self.value[0])
            return d, d
        if self.unit == "month":
            s, e = date(year, self.value[0], 1), _last_day(year, self.value[0])
            # the first or last ten days: the "thượng tuần" / "hạ tuần" of a month
            return {"dau": (s, s.replace(day=10)), "cuoi": (e.replace(day=21), e)}.get(self.edge, (s, e))
        if self.unit == "quarter":
            q = self.value[0]
            first, last = 3 * q - 2, 3 * q  # the first or last month of a quarter
            return {"dau": (date(year, first, 1), _last_day(year, first)),
                    "cuoi": (date(year, last, 1), _last_day(year, last))}.get(self.edge, _quarter_window(q, q, year))
        # a year's first or last quarter
        return {"dau": (date(year, 1, 1), date(year, 3, 31)),
                "cuoi": (date(year, 10, 1), date(year, 12, 31))}.get(self.edge, (date(year, 1, 1), date(year, 12, 31)))


YEAR_TAIL = r"(?:" + SEP + r"(?:nam )?|\s+nam\s+|\s+)(\d{4})"


def _point(piece: str, unit: str | None) -> _Point | None:
    """'tháng 3/2025', 'quý II', '01/3', 'năm 2025', 'cuối năm'; a bare numeral takes `unit`."""
    piece = piece.strip()
    edge = None
    m = re.match(r"(dau|cuoi)\s+", piece)
    if m:
        edge, piece = m.group(1), piece[m.end():]
    m = re.fullmatch(r"(?:ngay\s*)?(\d{1,2})" + SEP + NUM_MONTH + r"(?:" + SEP + r"(\d{4}))?", piece) or \
        re.fullmatch(r"(?:ngay\s*)?(\d{1,2}) thang (\d{1,2})(?: nam (\d{4}))?", piece)
    if m and not edge:
        return _Point("date", (int(m.group(1)), int(m.group(2))), int(m.group(3)) if m.group(3) else None)
    m = re.fullmatch(r"(?:(thang)\s*)?" + NUM_MONTH + r"(?:" + YEAR_TAIL + r")?", piece)
    if m and (m.group(1) or unit == "month"):
        return _Point("month", (int(m.group(2)),), int(m.group(3)) if m.group(3) else None, edge)
    m = re.fullmatch(r"(?:(quy|q)\s?)?" + QUARTER + r"(?:" + YEAR_TAIL + r")?", piece)
    if m and (m.group(1) or unit == "quarter"):
        return _Point("quarter", (_quarter(m.group(2)),), int(m.group(3)) if m.group(3) else None, edge)
    m = re.fullmatch(r"(?:nam\s*)?(\d{4})?", piece) if piece.startswith("nam") or edge else \
        re.fullmatch(r"(\d{4})", piece)
    if m and (m.group(1) or edge):
        return _Point("year", (), int(m.group(1)) if m.group(1) else None, edge)
    return None


SPAN_SEP = re.compile(r"\s*(?:-|\bden het\b|\bden\b)\s*")
LIST_SEP = re.compile(r"\s*(?:,|\bva\b)\s*")


def _span(k: str, plan_year: int | None) -> Deadline | None:
    """'Từ tháng 3 đến tháng 6/2025', 'Quý II - Quý III/2025', '01/3 - 30/6/2025', 'tháng 11/2024 - tháng 2/2025'
    (a range), 'tháng 3, 6, 9 và 12/2025' (a list: the window from the first to the last)."""
    k = re.sub(r"^(?:trong|thuc hien|hoan thanh|vao)\s+", "", k)
    ranged = k.startswith("tu ")
    k = k[3:] if ranged else k
    pieces = SPAN_SEP.split(k)
    if len(pieces) == 2:
        if pieces[0] == "nay":  # "từ nay đến hết năm 2025": only the end is named
            b = _points([pieces[1]], plan_year)
            return Deadline("by_date", None, b[0][1]) if b else None
        points = _points(pieces, plan_year)
    elif len(pieces) == 1 and not ranged:
        pieces = LIST_SEP.split(k)
        points = _points(pieces, plan_year) if len(pieces) > 1 else None
    else:
        return None
    if not points:
        return None
    for (s1, e1), (s2, e2) in zip(points, points[1:]):
        if s2 < s1 or e2 < e1:
            raise ValueError(f"deadline window {k!r} runs backwards")
    return Deadline("period", points[0][0], points[-1][1])


def _points(pieces: list[str], plan_year: int | None) -> list[tuple[date, date]] | None:
    """Windows of the pieces; a piece without a unit takes the one before, without a year the one after
    (the last one, the plan year)."""
    found: list[_Point] = []
    for piece in pieces:
        p = _point(piece, found[-1].unit if found else None)
        if p is None:
            return None
        found.append(p)
    years: list[int | None] = []
    nxt = plan_year
    for p in reversed(found):
        nxt = p.year or nxt
        years.append(nxt)
    years.reverse()
    if any(y is None for y in years):
        return None
    return [p.window(y) for p, y in zip(found, years)]
