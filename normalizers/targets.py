"""Numeric targets in plan text: "Tỷ lệ giải quyết hồ sơ đúng hạn đạt tối thiểu 98%" ->
(on_time_resolution, >=, 98, %).

Each percentage, range, minute count or count of a listed noun (data/count_nouns.csv) is a
target; years, document numbers and other bare numbers are not. The comparator follows the
words before (and "trở lên" after) the number; "giảm"/"tăng" win over other words unless
"xuống"/"còn"/"lên" shows they describe the movement towards a level. The phrase the
number belongs to (from the previous number, ';' or "trong đó" up to the next) is mapped to
the indicator catalog (data/indicators.csv) with abbreviations expanded
(data/abbreviations.csv); word order does not matter; below a full match, no indicator.
"""
from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import lru_cache

from .catalogs import open_catalog
from .text import clean_inline, match_key

NUM = r"\d+(?:,\d+)?"
BASELINE = re.compile(r"\(\s*năm\s+(\d{4})\s+(?:là|đạt)\s+(" + NUM + r")\s*%\s*\)", re.I)
SINCE_YEAR = re.compile(r"^\s*so với (?:cùng kỳ )?năm (\d{4})", re.I)
BOUNDARY = re.compile(r";|(?<=[^\d\s])\.\s+(?=[A-ZĐÀ-Ỹ0-9])|\btrong (?:số )?đó\b[,:]?|\n", re.I)
GE_NEAR = ("tối thiểu", "ít nhất", "không dưới", "không thấp hơn", "tối thiểu là", "ít nhất là")
GE_NEXT = ("trên", "hơn", "vượt")
LE_NEAR = ("tối đa", "không quá", "không vượt quá", "không vượt", "tối đa là")
LE_NEXT = ("dưới",)
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
def catalog() -> tuple[list[tuple[str, tuple[str, ...]]], dict[str, set[str]]]:
    phrases: list[tuple[str, tuple[str, ...]]] = []
    overrides: dict[str, set[str]] = {}
    with open_catalog("indicators.csv") as fh:
        for r in csv.DictReader(fh):
            for p in r["phrases"].split(";"):
                key = tuple(match_key(expand(p)).split())
                if key:
                    phrases.append((r["indicator"], key))
            overrides[r["indicator"]] = {o for o in (r.get("overrides") or "").split(";") if o}
    return phrases, overrides


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
    phrases, overrides = catalog()
    for ind, key in phrases:
        if set(key) <= present:
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


def _number_spans(clause: str) -> list[tuple[int, int, float, float | None, str]]:
    """(start, end, value, value_max, unit) of every target-like number in a clause."""
    nouns = "|".join(re.escape(n) for n in count_nouns())
    pattern = re.compile(
        rf"(?<![\d/.,\w])(?P<a>{NUM})\s*(?P<pa>%)?\s*[-–]\s*(?P<b>{NUM})\s*(?P<pb>%)"
        rf"|(?<![\d/.,\w])(?P<p>{NUM})\s*%"
        rf"|(?<![\d/.,\w])(?P<ca>\d{{1,3}})\s*[-–]\s*(?P<cb>\d{{1,3}})\s+(?P<cn>{nouns})(?!\w)"
        rf"|(?<![\d/.,\w])(?P<c>\d{{1,3}})\s+(?P<n>{nouns})(?!\w)", re.I)
    out = []
    for m in pattern.finditer(clause):
        if m.group("a"):
            out.append((m.start(), m.end(), _num(m.group("a")), _num(m.group("b")), "%"))
        elif m.group("p"):
            out.append((m.start(), m.end(), _num(m.group("p")), None, "%"))
        elif m.group("ca"):
            unit = "minutes" if m.group("cn").lower() == "phút" else "count"
            out.append((m.start(), m.end(), float(m.group("ca")), float(m.group("cb")), unit))
        else:
            unit = "minutes" if m.group("n").lower() == "phút" else "count"
            out.append((m.start(), m.end(), float(m.group("c")), None, unit))
    return out


def _comparator(before: str, after: str, ranged: bool) -> str:
    b = " " + before.lower().strip() + " "
    tail = " ".join(b.split()[-6:])
    direction = None
    for word, comp in (("giảm", "decrease_by"), ("tăng", "increase_by")):
        i = b.rfind(f" {word} ")
        if i >= 0 and (direction is None or i > direction[0]):
            direction = (i, comp)
    if direction and not re.search(r"\b(xuống|còn|lên|đạt)\b", b[direction[0]:]):
        return direction[1]
    if ranged:
        return "range"
    if re.match(r"\s*(%\s*)?(trở lên)", after.lower()):
        return ">="
    if re.match(r"\s*(%\s*)?(trở xuống)", after.lower()):
        return "<="
    # the bound phrases compare without accents: a scan's "tối thiếu" still means "tối thiểu"
    tail_key = f" {match_key(tail)} "
    if any(f" {match_key(w)} " in tail_key for w in GE_NEAR):
        return ">="
    if any(f" {match_key(w)} " in tail_key for w in LE_NEAR):
        return "<="
    last = b.split()[-1] if b.split() else ""
    if last in GE_NEXT:
        return ">="
    if last in LE_NEXT:
        return "<="
    if re.search(r"\btừ\s*$", b) and re.match(r"\s*(%\s*)?.{0,40}?trở lên", after.lower()):
        return ">="
    return "="


def find_targets(text: str | None) -> list[TargetHit]:
    """Every numeric target in a passage, in order."""
    text = clean_inline(text) if text and "\n" not in text else (text or "")
    hits: list[TargetHit] = []
    for clause in BOUNDARY.split(text):
        if not clause or not clause.strip():
            continue
        baselines = [(m.start(), int(m.group(1)), _num(m.group(2))) for m in BASELINE.finditer(clause)]
        masked = BASELINE.sub(lambda m: " " * len(m.group(0)), clause)
        spans = _number_spans(masked)
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
            if unit != "%" and re.search(r"(năm|số|ngày|tháng)\s*$", before.strip().lower()):
                continue
            comp = _comparator(before, masked[e:], value_max is not None)
            phrase = clean_inline(masked[start:end]) or ""
            base_value = base_year = None
            for pos, year, val in baselines:
                if pos >= e and (k + 1 >= len(spans) or pos < spans[k + 1][0]):
                    base_year, base_value = year, val
            m = SINCE_YEAR.match(after)
            if m and base_year is None:
                base_year = int(m.group(1))
            hits.append(TargetHit(value, value_max, comp, unit, indicator_of(phrase), phrase, base_value, base_year))
    return hits
