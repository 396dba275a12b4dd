"""Unit cells ('Văn phòng Sở phối hợp Thanh tra Sở; Phòng KH-TC-TH') -> unit ids, in order.

The catalog (data/units.csv: id, canonical name, aliases, generic short name) and the
phrases that are not units (data/unit_noise.csv) are data files analysts extend. A cell is
read left to right: the longest catalog alias at each word wins, so names holding commas,
dashes or "và" stay whole; what is left is split on commas, semicolons, line breaks, "và",
"với", "phối hợp" into mentions; each mention is matched fuzzily (rapidfuzz on accent-free
keys) above a threshold, or through the document's own full name for a short name such as
"Trung tâm", or reported as unmatched. Lower-case tails after a unit ("làm đầu mối tổng hợp",
"rà soát, đề xuất") describe its role and are not units.
"""
from __future__ import annotations

import csv
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

from rapidfuzz import fuzz, process

from .text import DATA, repair_glyphs

FUZZY_THRESHOLD = 88.0
SEPARATOR = "|"
CONNECTORS = {("va",), ("voi",), ("phoi", "hop"), ("cung",), ("hoac",)}
PARENS = re.compile(r"\([^()]*\)")


@dataclass(frozen=True)
class Unit:
    unit_id: str
    name: str
    generic: str | None


@dataclass
class UnitMatch:
    ids: list[str] = field(default_factory=list)
    unmatched: list[str] = field(default_factory=list)  # mentions that look like units but match nothing
    fuzzy: list[tuple[str, str, float]] = field(default_factory=list)  # (mention, id, score) above threshold


@lru_cache(maxsize=65536)
def _fold_word(w: str) -> str:
    d = unicodedata.normalize("NFD", w.replace("đ", "d").replace("Đ", "D"))
    return "".join(ch for ch in d if not unicodedata.combining(ch)).lower()


def tokens(text: str) -> list[tuple[str, str, bool]]:
    """(key, original, soft break before) triples: words folded accent-free, ',' ';' as '|'.

    Line breaks and stand-alone dashes or bullets are soft: a name may wrap across them
    ("Phòng Kế hoạch\n– Tài chính – Tổng hợp"), so they do not stop an alias match, but they
    do separate mentions that match nothing.
    """
    out: list[tuple[str, str, bool]] = []
    soft = False
    for m in re.finditer(r"[^\W_]+|[,;]|[\n+•]|(?<!\w)[-–](?!\w)", repair_glyphs(text)):
        word = m.group(0)
        if word[0].isalnum():
            out.append((_fold_word(word), word, soft))
            soft = False
        elif word in ",;":
            out.append((SEPARATOR, word, soft))
            soft = False
        else:
            soft = True
    return out


def key_of(text: str) -> tuple[str, ...]:
    return tuple(t[0] for t in tokens(text))


@lru_cache(maxsize=1)
def catalog() -> tuple[dict[tuple[str, ...], str], dict[str, Unit], int]:
    """alias key -> id, id -> Unit, longest alias length (in tokens)."""
    aliases: dict[tuple[str, ...], str] = {}
    units: dict[str, Unit] = {}
    with open(DATA / "units.csv", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            uid = row["unit_id"].strip()
            units[uid] = Unit(uid, row["canonical_name"].strip(), (row.get("generic") or "").strip() or None)
            for alias in [row["canonical_name"], *row["aliases"].split(";")]:
                k = key_of(alias)
                if k:
                    aliases.setdefault(k, uid)
    return aliases, units, max(len(k) for k in aliases)


@lru_cache(maxsize=1)
def noise_phrases() -> list[tuple[str, ...]]:
    with open(DATA / "unit_noise.csv", encoding="utf-8") as fh:
        keys = [tuple(k for k in key_of(r["phrase"]) if k != SEPARATOR) for r in csv.DictReader(fh)]
    return sorted((k for k in keys if k), key=len, reverse=True)


@lru_cache(maxsize=1)
def _fuzzy_choices() -> tuple[list[str], list[str]]:
    aliases, _, _ = catalog()
    pairs = [(" ".join(t for t in k if t != SEPARATOR), uid) for k, uid in aliases.items() if len(k) > 1]
    return [p[0] for p in pairs], [p[1] for p in pairs]


@lru_cache(maxsize=1)
def _alias_lengths() -> dict[str, list[int]]:
    """first word of an alias -> the alias lengths starting with it, longest first."""
    aliases, _, _ = catalog()
    by_first: dict[str, set[int]] = {}
    for k in aliases:
        by_first.setdefault(k[0], set()).add(len(k))
    return {w: sorted(ns, reverse=True) for w, ns in by_first.items()}


def units_in_text(text: str) -> set[str]:
    """Ids whose full name (an alias of two words or more) the text mentions: for short names."""
    aliases, _, _ = catalog()
    lengths = _alias_lengths()
    toks = [t[0] for t in tokens(text)]
    found: set[str] = set()
    for i, tok in enumerate(toks):
        for n in lengths.get(tok, ()):
            if n < 2 or i + n > len(toks):
                continue
            uid = aliases.get(tuple(toks[i:i + n]))
            if uid:
                found.add(uid)
                break
    return found


def _strip_noise(chunk: list) -> list:
    keys = [t[0] for t in chunk]
    for phrase in noise_phrases():
        n = len(phrase)
        i = 0
        while i + n <= len(keys):
            if tuple(keys[i:i + n]) == phrase:
                del keys[i:i + n]
                del chunk[i:i + n]
            else:
                i += 1
    return chunk


def _split_chunks(gap: list) -> list[list]:
    chunks: list[list] = [[]]
    i = 0
    while i < len(gap):
        k = gap[i][0]
        two = tuple(t[0] for t in gap[i:i + 2])
        if gap[i][2]:
            chunks.append([])
        if k == SEPARATOR or (k,) in CONNECTORS:
            chunks.append([])
            i += 1
        elif two in CONNECTORS:
            chunks.append([])
            i += 2
        else:
            chunks[-1].append(gap[i])
            i += 1
    return [c for c in chunks if c]


def match_units(raw: str | None, known_in_document: frozenset[str] | set[str] = frozenset()) -> UnitMatch:
    """Ids of the units a cell names, in order (duplicates dropped), and what matched nothing."""
    result = UnitMatch()
    text = unicodedata.normalize("NFC", raw or "")
    if not text.strip():
        return result
    # "(căn cứ chức năng ...)", "(nếu có)" qualify and are dropped; "(Các phòng ... phối hợp)" names units
    text = PARENS.sub(lambda m: " , " + (m.group(0)[1:-1] if m.group(0)[1:2].isupper() else "") + " , ", text)
    aliases, units, longest = catalog()
    toks = tokens(text)
    gap: list = []
    pieces: list[tuple[str, object]] = []  # ("id", uid) | ("gap", tokens)
    i = 0
    while i < len(toks):
        hit = None
        if toks[i][0] != SEPARATOR:
            for n in range(min(longest, len(toks) - i), 0, -1):
                uid = aliases.get(tuple(t[0] for t in toks[i:i + n]))
                if uid and toks[i + n - 1][0] != SEPARATOR:
                    hit = (uid, n)
                    break
        if hit:
            if gap:
                pieces.append(("gap", gap))
                gap = []
            pieces.append(("id", hit[0]))
            i += hit[1]
        else:
            gap.append(toks[i])
            i += 1
    if gap:
        pieces.append(("gap", gap))

    seen_unit = False
    qualifier = False  # after a unit, a lower-case phrase describes its role up to the next ';'
    for kind, value in pieces:
        if kind == "id":
            if not qualifier:
                _add(result, value)
                seen_unit = True
            continue
        for part in _split_hard(value):
            if part[0][1] == ";":
                qualifier = False
                part = part[1:]
            if qualifier or not part:
                continue
            whole = _drop_connectors(list(part))
            if not _strip_noise(list(whole)):
                continue
            if seen_unit and whole[0][1][:1].islower():
                qualifier = True
                continue
            uid = _resolve(whole, known_in_document, units)
            if uid:
                _take(result, " ".join(t[1] for t in whole), uid)
                seen_unit = True
                continue
            for chunk in _split_chunks(part):
                chunk = _strip_noise(chunk)
                if not chunk:
                    continue
                words = [t[1] for t in chunk]
                if seen_unit and words[0][:1].islower():
                    continue  # a role or qualifier of the unit before it
                uid = _resolve(chunk, known_in_document, units)
                if uid:
                    _take(result, " ".join(words), uid)
                    seen_unit = True
                elif words[0][:1].isupper() or not seen_unit:
                    result.unmatched.append(" ".join(words))
    return result


def _split_hard(gap: list) -> list[list]:
    """Split on ',' ';' and soft breaks; a part starting with ';' keeps it as its first token."""
    parts: list[list] = [[]]
    for t in gap:
        if t[0] == SEPARATOR:
            parts.append([t] if t[1] == ";" else [])
        elif t[2] and parts[-1]:
            parts.append([t])
        else:
            parts[-1].append(t)
    return [p for p in parts if p]


def _drop_connectors(part: list) -> list:
    while part and ((part[0][0],) in CONNECTORS or tuple(t[0] for t in part[:2]) in CONNECTORS):
        part = part[2:] if tuple(t[0] for t in part[:2]) in CONNECTORS else part[1:]
    return part


def _take(result: UnitMatch, mention: str, uid: tuple[str, float]) -> None:
    _add(result, uid[0])
    if uid[1] < 100:
        result.fuzzy.append((mention, uid[0], uid[1]))


def _add(result: UnitMatch, uid: str) -> None:
    if uid not in result.ids:
        result.ids.append(uid)


def _resolve(chunk, known_in_document, units: dict[str, Unit]) -> tuple[str, float] | None:
    key = " ".join(t[0] for t in chunk)
    generic = [u.unit_id for u in units.values() if u.generic and key == " ".join(key_of(u.generic))]
    if generic:
        # a short name ("Trung tâm") means the one such unit the document names in full
        candidates = [uid for uid in known_in_document
                      if units[uid].generic and " ".join(key_of(units[uid].generic)) == key]
        return (candidates[0], 100.0) if len(candidates) == 1 else None
    if len(chunk) < 2:
        return None  # one word is too little to guess from
    names, ids = _fuzzy_choices()
    best = process.extractOne(key, names, scorer=fuzz.ratio, processor=None)
    if best and best[1] >= FUZZY_THRESHOLD:
        return ids[best[2]], float(best[1])
    return None


@lru_cache(maxsize=1)
def unit_records() -> tuple[tuple[str, str, tuple[str, ...]], ...]:
    """Every catalog unit as (id, canonical name, aliases as written), for the `units` dimension dataset."""
    with open(DATA / "units.csv", encoding="utf-8") as fh:
        return tuple((r["unit_id"].strip(), r["canonical_name"].strip(),
                      tuple(a.strip() for a in r["aliases"].split(";") if a.strip())) for r in csv.DictReader(fh))
