"""Province names -> ISO 3166-2:VN codes, knowing the date (Resolution 202/2025/QH15).

Catalogs in data/ (editable): provinces.csv (the 63 provinces before 1 July 2025, with aliases),
provinces_2025.csv (the 34 units after), province_mapping_2025.csv (which unit each former province
became part of, and from when), province_changes.csv (renames and changes of status, with their dates).
From them every unit gets periods of validity; a name is read as the unit it designated on the plan's
date. A unit of the 34 carries the code of the former province whose name it kept: ISO 3166-2:VN has
published no codes for the new units.
"""
from __future__ import annotations

import csv
import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from .catalogs import open_catalog
from .text import match_key

ONE_DAY = dt.timedelta(days=1)
PREFIX = re.compile(r"^(?:tỉnh|thành phố|tp\.?)\s+", re.I)
MARKER = re.compile(r"\s*\(?\s*\b(mới|cũ)\s*\)?\s*$", re.I)  # "Lâm Đồng (mới)", "Bình Phước cũ"
MENTION = re.compile(  # a lookahead: "tỉnh A và tỉnh B" names both
    r"(?<!\w)(?:tỉnh\s+|thành phố\s+|tp\.\s*)(?=((?:[^\s,.;:()]+\s*){1,6})(\(\s*(?:mới|cũ)\s*\))?)", re.I)
MAX_NAME_WORDS = 5  # "Bà Rịa - Vũng Tàu", the longest name, is five tokens (a marker may follow)


class CatalogError(ValueError):
    """The province catalogs contradict each other (a former province without a successor, a change
    dated outside every period of its code, ...)."""


@dataclass(frozen=True)
class Province:
    """One unit during one period (valid_from/valid_to inclusive; None = open)."""
    code: str
    name: str
    code_2025: str | None = None  # the unit of the 34-unit arrangement it is part of
    name_2025: str | None = None  # that unit's current name
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None

    def valid_on(self, day: dt.date | None) -> bool:
        return day is None or ((self.valid_from is None or self.valid_from <= day) and
                               (self.valid_to is None or day <= self.valid_to))


@dataclass(frozen=True)
class Resolution:
    """What a name meant on a date: `named` is the unit the name designates, `province` the unit valid
    on that date (its successor when `named` had ceased to exist: "Bình Phước" in 2026 -> Đồng Nai)."""
    province: Province
    named: Province

    @property
    def code(self) -> str:
        return self.province.code

    @property
    def name(self) -> str:
        return self.province.name

    @property
    def superseded(self) -> bool:
        """The name is of a province merged into another one by the plan's date."""
        return self.named.code != self.province.code


@dataclass
class _Period:
    code: str
    name: str
    aliases: list[str]
    valid_from: dt.date | None
    valid_to: dt.date | None
    code_2025: str
    unit_2025: bool = False  # the period a unit of the 34 begins with
    merged: bool = False  # that unit absorbed other provinces


def _aliases(raw: str | None) -> list[str]:
    return [a.strip() for a in (raw or "").split(";") if a.strip()]


def _day(raw: str, what: str) -> dt.date:
    try:
        return dt.date.fromisoformat(raw.strip())
    except ValueError as exc:
        raise CatalogError(f"{what}: {raw!r} is not a date (YYYY-MM-DD)") from exc


def build_periods(former: list[dict], units: list[dict], mapping: list[dict],
                  changes: list[dict]) -> list[tuple[Province, tuple[str, ...]]]:
    """Every unit's periods, with the names (name and aliases) each answers to, from catalog rows."""
    successor = {r["province_code"].strip(): (r["province_code_2025"].strip(), _day(r["valid_from"], "mapping"))
                 for r in mapping}
    unit_rows = {r["province_code_2025"].strip(): r for r in units}
    lines: dict[str, list[_Period]] = {}
    for r in former:
        code = r["province_code"].strip()
        if code not in successor:
            raise CatalogError(f"province {code} {r['province']} has no row in province_mapping_2025.csv")
        to, start = successor[code]
        if to not in unit_rows:
            raise CatalogError(f"province_mapping_2025.csv sends {code} to {to}, which provinces_2025.csv lacks")
        lines.setdefault(code, []).append(_Period(code, r["province"].strip(), _aliases(r.get("aliases")), None,
                                                  start - ONE_DAY, to))
    for code, r in unit_rows.items():
        members = sorted(c for c, (to, _) in successor.items() if to == code)
        if not members:
            raise CatalogError(f"unit {code} {r['province_2025']} has no former province in the mapping")
        name = r["province_2025"].strip()
        namesake = lines.get(code, [])
        inherited = namesake[-1].aliases if namesake and match_key(namesake[-1].name) == match_key(name) else []
        lines.setdefault(code, []).append(_Period(  # a kept name keeps its spellings
            code, name, _aliases(r.get("aliases")) + inherited, min(successor[m][1] for m in members), None, code,
            unit_2025=True, merged=members != [code]))
    for r in sorted(changes, key=lambda r: r["valid_from"]):
        code, day = r["province_code"].strip(), _day(r["valid_from"], "province_changes.csv")
        line = lines.get(code, [])
        i = next((k for k, p in enumerate(line) if (p.valid_from is None or p.valid_from < day) and
                  (p.valid_to is None or day <= p.valid_to)), None)
        if i is None:
            raise CatalogError(f"province_changes.csv: {code} on {day} falls in no period of that code")
        old = line[i]
        line.insert(i + 1, _Period(code, r["province"].strip(), _aliases(r.get("aliases")), day, old.valid_to,
                                   old.code_2025))
        old.valid_to = day - ONE_DAY
    for line in lines.values():  # a unit the arrangement left unchanged keeps one period
        k = 1
        while k < len(line):
            a, b = line[k - 1], line[k]
            if b.unit_2025 and not b.merged and match_key(a.name) == match_key(b.name):
                a.valid_to, a.code_2025 = b.valid_to, b.code_2025
                a.aliases += [x for x in b.aliases if x not in a.aliases]
                del line[k]
            else:
                k += 1
    current = {code: line[-1].name for code, line in lines.items()}
    return [(Province(p.code, p.name, p.code_2025, current[p.code_2025], p.valid_from, p.valid_to),
             tuple(dict.fromkeys([p.name, *p.aliases])))
            for code in sorted(lines) for p in lines[code]]


def _read(name: str) -> list[dict]:
    with open_catalog(name) as fh:
        return list(csv.DictReader(fh))


@dataclass(frozen=True)
class _Catalog:
    periods: tuple[Province, ...]
    by_key: dict[str, tuple[Province, ...]]
    by_code: dict[str, tuple[Province, ...]]
    arrangement: dt.date


@lru_cache(maxsize=1)
def _catalog() -> _Catalog:
    mapping = _read("province_mapping_2025.csv")
    built = build_periods(_read("provinces.csv"), _read("provinces_2025.csv"), mapping,
                          _read("province_changes.csv"))
    by_key: dict[str, list[Province]] = {}
    by_code: dict[str, list[Province]] = {}
    for p, names in built:
        by_code.setdefault(p.code, []).append(p)
        for n in names:
            if p not in by_key.setdefault(match_key(PREFIX.sub("", n)), []):
                by_key[match_key(PREFIX.sub("", n))].append(p)
    return _Catalog(tuple(p for p, _ in built), {k: tuple(v) for k, v in by_key.items()},
                    {k: tuple(v) for k, v in by_code.items()},
                    min(_day(r["valid_from"], "mapping") for r in mapping))


def arrangement_date() -> dt.date:
    """The day the 34-unit arrangement took effect (the mapping's valid_from)."""
    return _catalog().arrangement


def plan_date(doc_date: dt.date | None, plan_year: int | None) -> dt.date | None:
    """The date a plan's province names are read at: its issue date, else 1 January of its year."""
    if doc_date is not None:
        return doc_date
    return dt.date(plan_year, 1, 1) if plan_year else None


def province_periods() -> tuple[Province, ...]:
    """Every unit's periods, by code then date: the rows of the `provinces` dataset."""
    return _catalog().periods


def _valid_on(code: str, day: dt.date) -> Province | None:
    return next((p for p in _catalog().by_code.get(code, ()) if p.valid_on(day)), None)


def resolve(name: str | None, when: dt.date | None = None) -> Resolution | None:
    """The unit a name (alias, or code; 'tỉnh'/'thành phố' and '(mới)'/'(cũ)' understood) designated on
    `when`; without a date, the latest unit of that name."""
    if not name or not name.strip():
        return None
    text = PREFIX.sub("", name.strip())
    marker = None
    m = MARKER.search(text)
    if m and m.start() > 0:
        marker, text = m.group(1).lower(), text[:m.start()]
    cat = _catalog()
    cands = cat.by_key.get(match_key(text)) or cat.by_code.get(text.strip().upper())
    if not cands:
        return None
    if marker == "mới":
        cands = tuple(p for p in cands if p.valid_from and p.valid_from >= cat.arrangement) or cands
    elif marker == "cũ":
        cands = tuple(p for p in cands if p.valid_to and p.valid_to < cat.arrangement) or cands
    if when is None:
        named = max(cands, key=lambda p: p.valid_from or dt.date.min)
        return Resolution(named, named)
    valid = [p for p in cands if p.valid_on(when)]
    if valid:
        return Resolution(valid[0], valid[0])
    ended = [p for p in cands if p.valid_to is not None and p.valid_to < when]
    if ended:  # the name had ceased to designate a unit: its successor on that date
        named = max(ended, key=lambda p: p.valid_to)
        after = _valid_on(named.code, when) or _valid_on(named.code_2025, when)
        return Resolution(after or named, named)
    named = min(cands, key=lambda p: p.valid_from or dt.date.min)  # a unit not yet formed on that date
    return Resolution(_valid_on(named.code, when) or named, named)


def lookup_province(name: str | None, when: dt.date | None = None) -> Province | None:
    """The province a name (or alias, or code) designates, ignoring case and accents."""
    r = resolve(name, when)
    return r.province if r else None


def named_provinces(text: str, when: dt.date | None = None) -> Iterator[Resolution]:
    """Provinces named after 'tỉnh' / 'thành phố' / 'TP.' in the text, in order, read on `when`."""
    for m in MENTION.finditer(text):
        words = m.group(1).split()
        for n in range(min(MAX_NAME_WORDS, len(words)), 0, -1):
            if resolve(" ".join(words[:n])) is None:
                continue
            marker = m.group(2) if n == len(words) else words[n] if words[n].lower() in ("mới", "cũ") else ""
            r = resolve(f"{' '.join(words[:n])} {marker or ''}".strip(), when)
            if r:
                yield r
            break


def province_mentions(text: str, when: dt.date | None = None) -> list[Province]:
    """Provinces the text names that existed on `when`: a former province named in a plan issued after
    it was merged ("tỉnh Bình Phước (cũ)" in 2026) is history, not a candidate issuer."""
    return [r.province for r in named_provinces(text, when) if r.named.valid_on(when)]


def province_before(line: str, when: dt.date | None = None) -> Resolution | None:
    """The province in a place-and-date line: '... Hà Tĩnh, ngày 12 tháng 01 năm 2023'."""
    m = re.search(r"((?:[^\s,]+\s+){0,5}[^\s,]+)\s*,\s*ngày\b", line)
    if not m:
        return None
    words = m.group(1).split()
    for n in range(min(6, len(words)), 0, -1):
        r = resolve(" ".join(words[-n:]), when)
        if r:
            return r
    return None


def province_rows() -> list[dict]:
    """The `provinces` dimension dataset: each unit's periods with the 2025 unit it is part of."""
    return [{"province_code": p.code, "province": p.name, "province_code_2025": p.code_2025,
             "province_2025": p.name_2025, "valid_from": p.valid_from, "valid_to": p.valid_to}
            for p in province_periods()]

