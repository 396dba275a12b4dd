"""Numeric targets in plan text: "Tỷ lệ giải quyết hồ sơ đúng hạn đạt tối thiểu 98%" ->
(on_time_resolution, >=, 98, %).

Each percentage (also "2.5 %", "phần trăm"), percentage-point change ("2 điểm %"), range
("25%-35%", "từ 02 đến 03 sáng kiến"), minute count or count of a listed noun
(data/count_nouns.csv, leading zeros allowed) is a target; years, dates, document, article,
page, phone and section numbers, money and counts of other things are not, nor a count after
"số"/"Điều"/"gồm", a figure already reached ("đã đạt 98%") or, given the plan year, a clause
about an earlier year ("Năm 2024, ... đạt 99%"). The comparator follows the bound words
closest to the number, compared without accents (tối thiểu, ít nhất, không dưới, không thấp
hơn, trên, hơn, vượt / tối đa, không quá, dưới, ít hơn; "trở lên"/"trở xuống" after it);
"giảm"/"tăng" win unless "xuống"/"còn"/"lên"/"đạt" shows they describe the movement towards a
level ("tăng cường" is no increase). A past figure it is measured against is its baseline:
"(năm 2022 là 83,99%)", "so với năm 2022 (83,99%)", the "từ 40%" of "từ 40% lên 60%". The
phrase the number belongs to (from the previous number, ';' or "trong đó" up to the next) is
mapped to the indicator catalog (data/indicators.csv) with abbreviations expanded
(data/abbreviations.csv); word order does not matter; below a full match, or when a word the
catalog rules out is present, no indicator.
"""
from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import lru_cache

from .catalogs import open_catalog
from .text import clean_inline, match_key

NUM = r"\d{1,3}(?:[,.]\d{1,3})?"  # "98", "83,99", "2.5" (a year or a document number is longer)
PCT = r"\s*(?:%|％|phần\s+trăm)"
TO = r"\s*(?:[-–—]|\bđến\b|\btới\b)\s*"  # "25%-35%", "từ 02 đến 03"
BEFORE = r"(?<![\d/.,\w])"
GLUED_SENTENCE = re.compile(r"(?<=[^\W\d_]{2})\.(?=\d)")  # a sentence's point glued to the next number
YEAR_SINCE = r"so với\s+(?:kết quả\s+)?(?:cùng kỳ\s+)?(?:năm\s+)?(\d{4})"
# a figure of the past a target is measured against: "(năm 2022 là 83,99%)", "so với năm 2022 (83,99%)",
# "từ 80% lên 90%" (then the 80 is where it starts)
BASELINES = (
    re.compile(r"\(\s*(?:kết quả\s+|số liệu\s+)?năm\s+(\d{4})\s*(?:là|đạt|:|=)?\s*(" + NUM + ")" + PCT + r"\s*\)",
               re.I),
    re.compile(YEAR_SINCE + r"\s*\(\s*(?:là|đạt|:)?\s*(" + NUM + ")" + PCT + r"\s*\)", re.I),
    re.compile(r"\btừ\s+()(" + NUM + ")" + PCT + r"(?=\s+(?:lên|xuống)\b)", re.I),
)
SINCE_YEAR = re.compile(r"^\s*" + YEAR_SINCE, re.I)
BOUNDARY = re.compile(r"(;|(?<=[^\d\s])\.\s+(?=[A-ZĐÀ-Ỹ0-9])|\btrong (?:số )?đó\b[,:]?|\n)", re.I)
PART_OF = re.compile(r"^trong", re.I)  # "…, trong đó 98% …" is part of the clause before it
# bound words, compared without accents (a scan's "tối thiếu" still means "tối thiểu"); the one closest
# to the number wins, and of two ending at the same word the longer ("không dưới" over "dưới")
NEAR = {">=": ("tối thiểu", "ít nhất", "không dưới", "không thấp hơn", "không ít hơn"),
        "<=": ("tối đa", "không quá", "không vượt quá", "không vượt", "không cao hơn", "không nhiều hơn")}
NEXT = {">=": ("trên", "hơn", "vượt", "vượt mức"), "<=": ("dưới", "ít hơn", "thấp hơn")}  # right before the number
AFTER = {">=": ("trở lên",), "<=": ("trở xuống", "trở lại")}  # right after it: "từ 98% trở lên"
LEVEL = re.compile(r"\b(xuống|còn|lên|đạt|ở mức)\b")  # "giảm xuống còn 25 phút" names the level, not the change
NOT_A_CHANGE = re.compile(r"\btăng cường\b", re.I)  # "strengthen", not "increase"
ACHIEVED = re.compile(r"\bđã\s+(?:đạt|được)\b[^\d]{0,12}$", re.I)  # "đã đạt 98%": a result
RESULT_YEAR = re.compile(r"^\W*(?:\d{1,2}(?:\.\d{1,2})*\.?\s+)?(?:trong\s+)?(?:kết quả\s+(?:thực hiện\s+)?)?"
                         r"năm\s+(\d{4})\b", re.I)
NOT_BEFORE_COUNT = re.compile(r"\b(năm|số|ngày|tháng|điều|khoản|mục|trang)\s*$", re.I)
DESCRIBES = re.compile(r"\b(gồm|bao gồm|hiện có|tổng số)\b", re.I)  # "Sở hiện có 05 phòng và 02 đơn vị": a fact
BOUND_COUNT = "tối thiểu|tối thiếu|ít nhất|tối đa|không quá|không dưới|không ít hơn"
TIME_WORDS = "năm|tháng|ngày|giờ|tuần|quý|phút|lần"  # durations and frequencies are no counts of outputs
CONTINUES = re.compile(r"^\W*(?:và\s+)?(?:tăng|giảm|đạt|vượt)\b", re.I)  # "…đạt 92%, tăng 3% …": same subject
GENERIC_LEAD = {"ty", "le", "muc", "do", "chi", "so"}  # "tỷ lệ", "mức độ", "chỉ số" open many phrases


@dataclass
class TargetHit:
    value: float
    value_max: float | None
    comparator: str
    unit: str
    indicator: str | None
    indicator_raw: str
    baseline_value: float | None = None
    baseline_year: int | None = None


def _num(s: str) -> float:
    return float(s.replace(",", "."))


@lru_cache(maxsize=1)
def _abbreviations() -> list[tuple[re.Pattern, str]]:
    with open_catalog("abbreviations.csv") as fh:
        rows = sorted(csv.DictReader(fh), key=lambda r: -len(r["abbreviation"]))
    return [(re.compile(rf"(?<!\w){re.escape(r['abbreviation'])}(?!\w)"), r["expansion"]) for r in rows]


def expand(text: str) -> str:
    for pattern, full in _abbreviations():
        text = pattern.sub(full, text)
    return text


@lru_cache(maxsize=1)
def catalog() -> tuple[list[tuple[str, tuple[str, ...]]], dict[str, set[str]], dict[str, list[str]]]:
    """(indicator, phrase words) pairs; the indicators each one overrides; the words that rule it out."""
    phrases: list[tuple[str, tuple[str, ...]]] = []
    overrides: dict[str, set[str]] = {}
    excludes: dict[str, list[str]] = {}
    with open_catalog("indicators.csv") as fh:
        for r in csv.DictReader(fh):
            for p in r["phrases"].split(";"):
                key = tuple(match_key(expand(p)).split())
                if key:
                    phrases.append((r["indicator"], key))
            overrides[r["indicator"]] = {o for o in (r.get("overrides") or "").split(";") if o}
            excludes[r["indicator"]] = [f" {match_key(expand(x))} " for x in (r.get("excludes") or "").split(";")
                                        if x.strip()]
    return phrases, overrides, excludes


@lru_cache(maxsize=1)
def count_nouns() -> list[str]:
    with open_catalog("count_nouns.csv") as fh:
        return sorted((r["noun"] for r in csv.DictReader(fh)), key=len, reverse=True)


def indicator_of(phrase: str) -> str | None:
    """Catalog key of the indicator a phrase names, or None."""
    words = match_key(expand(phrase)).split()
    if not words:
        return None
    present = set(words)
    found: dict[str, tuple[int, int]] = {}  # indicator -> (position, -length)
    phrases, overrides, excludes = catalog()
    spaced = f" {' '.join(words)} "
    for ind, key in phrases:
        if set(key) <= present and not any(x in spaced for x in excludes[ind]):
            anchor = next((w for w in key if w not in GENERIC_LEAD), key[0])
            cand = (words.index(anchor), -len(key))
            if ind not in found or cand < found[ind]:
                found[ind] = cand
    for ind in list(found):
        for other in overrides.get(ind, ()):
            found.pop(other, None)
    if not found:
        return None
    return min(found, key=lambda i: found[i])


@lru_cache(maxsize=1)
def _pattern() -> re.Pattern:
    nouns = "|".join(re.escape(n) for n in count_nouns())
    return re.compile(
        rf"{BEFORE}(?P<a>{NUM})(?:{PCT})?{TO}(?P<b>{NUM}){PCT}"
        rf"|{BEFORE}(?P<pp>{NUM})\s*điểm\s*(?:%|phần\s+trăm)"
        rf"|{BEFORE}(?P<p>{NUM}){PCT}"
        rf"|{BEFORE}(?P<ca>\d{{1,3}}){TO}(?P<cb>\d{{1,3}})\s+(?P<cn>{nouns})(?!\w)"
        rf"|{BEFORE}(?P<c>\d{{1,3}})\s+(?P<n>{nouns})(?!\w)"
        # a bounded count of anything but a span of time: "tối thiểu 05 xã, phường", "ít nhất 02 cụm công nghiệp"
        rf"|(?:{BOUND_COUNT})\s+(?P<bc>\d{{1,3}})\s+(?!(?:{TIME_WORDS})\b)(?=[^\W\d_])", re.I)


def _number_spans(clause: str) -> list[tuple[int, int, float, float | None, str]]:
    """(start, end, value, value_max, unit) of every target-like number in a clause."""
    out = []
    for m in _pattern().finditer(clause):
        if m.group("a"):
            out.append((m.start(), m.end(), _num(m.group("a")), _num(m.group("b")), "%"))
        elif m.group("pp"):
            out.append((m.start(), m.end(), _num(m.group("pp")), None, "percentage_points"))
        elif m.group("p"):
            out.append((m.start(), m.end(), _num(m.group("p")), None, "%"))
        elif m.group("ca"):
            unit = "minutes" if m.group("cn").lower() == "phút" else "count"
            out.append((m.start(), m.end(), float(m.group("ca")), float(m.group("cb")), unit))
        elif m.group("c"):
            unit = "minutes" if m.group("n").lower() == "phút" else "count"
            out.append((m.start(), m.end(), float(m.group("c")), None, unit))
        else:
            out.append((m.start("bc"), m.end("bc"), float(m.group("bc")), None, "count"))
    return out


@lru_cache(maxsize=1)
def _bound_keys() -> tuple[list[tuple[str, str]], list[tuple[str, str]], list[tuple[str, str]]]:
    def keyed(table):
        return [(f" {match_key(w)}", comp) for comp, words in table.items() for w in words]
    return keyed(NEAR), keyed(NEXT), keyed(AFTER)


def _bound(before: str, after: str) -> str | None:
    """'>=' / '<=' from the bound words around a number, None for a bare figure."""
    tail = " " + " ".join(match_key(before).split()[-6:])
    near, nxt, aft = _bound_keys()
    best: tuple[int, int, str] | None = None  # (end of the phrase, its length, comparator)
    for phrase, comp in near:
        i = tail.rfind(phrase + " ") if not tail.endswith(phrase) else len(tail) - len(phrase)
        if i >= 0:
            cand = (i + len(phrase), len(phrase), comp)
            best = max(best, cand) if best else cand
    for phrase, comp in nxt:
        if tail.endswith(phrase):
            cand = (len(tail), len(phrase), comp)
            best = max(best, cand) if best else cand
    if best:
        return best[2]
    head = " " + match_key(after[:40])
    for phrase, comp in aft:
        if head.startswith(phrase):
            return comp
    if re.search(r"\btừ\s*$", before.lower()):  # "từ 90% văn bản ... trở lên"
        m = re.search(r"\btrở (lên|xuống)\b", after[:60].lower())
        if m:
            return ">=" if m.group(1) == "lên" else "<="
    return None


LEVEL_BOUND = re.compile(r"\b(dưới|tối đa|không quá|không vượt quá|trên|tối thiểu|ít nhất|không dưới)\s*$")


def _level_after_object(phrase: str) -> bool:
    """'giảm thời gian chờ đợi … dưới 25 phút': a bound after what is reduced names the level to reach, not
    the size of the reduction ('giảm tối thiểu 20%', where the direction wins)."""
    m = LEVEL_BOUND.search(phrase.rstrip())
    return bool(m) and len(phrase[:m.start()].split()) > 2


def _comparator(before: str, after: str, ranged: bool) -> str:
    b = " " + NOT_A_CHANGE.sub(" ", before.lower()).strip() + " "
    direction = None
    for word, comp in (("giảm", "decrease_by"), ("tăng", "increase_by")):
        i = b.rfind(f" {word} ")
        if i >= 0 and (direction is None or i > direction[0]):
            direction = (i, comp)
    if direction and not LEVEL.search(b[direction[0]:]) and not _level_after_object(b[direction[0]:]):
        return direction[1]
    if ranged:
        return "range"
    return _bound(before, after) or "="


def find_targets(text: str | None, plan_year: int | None = None) -> list[TargetHit]:
    """Every numeric target in a passage, in order. With the plan year, a clause about an earlier
    year ("Năm 2024, tỷ lệ ... đạt 99%") is a result, not a target."""
    text = clean_inline(text) if text and "\n" not in text else (text or "")
    text = GLUED_SENTENCE.sub(". ", text)  # "trả kết quả.100% thủ tục": a scan lost the space after the point
    hits: list[TargetHit] = []
    pieces = BOUNDARY.split(text)  # clause, separator, clause, ...
    past = False
    for k in range(0, len(pieces), 2):
        clause = pieces[k]
        m = RESULT_YEAR.match(clause)
        if m:
            past = bool(plan_year) and int(m.group(1)) < plan_year
        elif not (k and PART_OF.match(pieces[k - 1])):
            past = False
        if past or not clause.strip():
            continue
        hits += _clause_targets(clause)
    return hits


def _clause_targets(clause: str) -> list[TargetHit]:
    baselines: list[tuple[int, int, int | None, float]] = []  # (start, end, year, value)
    masked = clause
    for rx in BASELINES:
        for m in rx.finditer(masked):
            baselines.append((m.start(), m.end(), int(m.group(1)) if m.group(1) else None, _num(m.group(2))))
        masked = rx.sub(lambda m: " " * len(m.group(0)), masked)
    spans = _number_spans(masked)
    hits = []
    for k, (s, e, value, value_max, unit) in enumerate(spans):
        start = spans[k - 1][1] if k else 0
        end = spans[k + 1][0] if k + 1 < len(spans) else len(masked)
        # between two numbers, the words up to the first comma still describe the first one
        if k:
            comma = masked.find(",", start, s)
            start = comma + 1 if comma >= 0 else start
        if k + 1 < len(spans):
            comma = masked.rfind(",", e, end)
            end = comma if comma >= 0 else end
        before, after = masked[start:s], masked[e:end]
        if unit in ("count", "minutes") and (NOT_BEFORE_COUNT.search(before) or DESCRIBES.search(masked[:s])):
            continue
        if ACHIEVED.search(masked[:s]):
            continue
        comp = _comparator(before, masked[e:], value_max is not None)
        phrase = clean_inline(masked[start:end]) or ""
        base_value = base_year = None
        prev_end = spans[k - 1][1] if k else 0
        next_start = spans[k + 1][0] if k + 1 < len(spans) else len(masked)
        for b_start, b_end, year, val in baselines:
            # a parenthesis after the number, or the "từ 80%" of "từ 80% lên 90%" before it
            if (b_start >= e and b_start < next_start) or (b_end <= s and b_start >= prev_end and year is None):
                base_year, base_value = year or base_year, val
        m = SINCE_YEAR.match(after)
        if m and base_year is None:
            base_year = int(m.group(1))
        indicator = indicator_of(phrase)
        if indicator is None and hits and CONTINUES.match(before):
            indicator = hits[-1].indicator
        hits.append(TargetHit(value, value_max, comp, unit, indicator, phrase, base_value, base_year))
    return hits


@lru_cache(maxsize=1)
def indicator_labels() -> dict[str, str]:
    """indicator key -> its Vietnamese name (data/indicators.csv), for the `indicators` dimension dataset."""
    with open_catalog("indicators.csv") as fh:
        return {r["indicator"]: r["label"].strip() for r in csv.DictReader(fh)}
