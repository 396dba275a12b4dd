"""Unit cells ('Văn phòng Sở phối hợp Thanh tra Sở; Phòng KH-TC-TH') -> unit ids, in order.

The units a cell can name depend on the document's agency (normalizers/unit_catalog.py: its own
divisions, the generic units of any Sở under its prefix, EXT.* bodies, abbreviations derived by
rule); the phrases that are not units are in data/unit_noise.csv. A cell is read left to right:
the longest alias at each word wins, so names holding commas, dashes or "và" stay whole; what is
left is split on commas, semicolons, line breaks, "và", "với", "phối hợp" into mentions; each
mention is matched fuzzily (rapidfuzz on accent-free keys, word by word, so a name that differs by
a word names another body and stays unmatched), or through the document's own full name for a
short name such as "Trung tâm", or reported as unmatched. Lower-case tails after a unit ("làm đầu
mối tổng hợp", "rà soát, đề xuất") describe its role and are not units. A collective name before a
colon or "gồm" ("Các phòng: A, B") gives way to the units it lists.
"""
from __future__ import annotations

import csv
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

from rapidfuzz import fuzz, process

from .catalogs import open_catalog
from .provinces import lookup_province
from .unit_catalog import ANY, SEPARATOR, Unit, agencies, agency_prefix, key_of, scope, tokens

FUZZY_THRESHOLD = 88.0
FUZZY_WORD_THRESHOLD = 75.0  # each word of a fuzzy match must be a near spelling of the alias's word
FUZZY_MISSING_TAIL = 1  # words an alias may have beyond the mention (a name cut by a page break)
CONNECTORS = {("va",), ("voi",), ("phoi", "hop"), ("cung",), ("hoac",)}
PARENS = re.compile(r"\([^()]*\)")
LIST_INTRO = re.compile(r"\s*\b(?:bao\s+gồm|gồm\s+có|gồm)\b\s*:?", re.I)
COLON = ":"

__all__ = ["ANY", "SEPARATOR", "UnitMatch", "catalog", "match_units", "units_in_text", "tokens", "key_of"]


@dataclass
class UnitMatch:
    ids: list[str] = field(default_factory=list)
    unmatched: list[str] = field(default_factory=list)  # mentions that look like units but match nothing
    fuzzy: list[tuple[str, str, float]] = field(default_factory=list)  # (mention, id, score) above threshold


def catalog(agency: str | None = ANY) -> tuple[dict[tuple[str, ...], str], dict[str, Unit], int]:
    """alias key -> id, id -> Unit, longest alias length (in tokens), for the agency's documents."""
    sc = scope(agency_prefix(agency))
    return sc.aliases, sc.units, sc.longest


@lru_cache(maxsize=1)
def noise_phrases() -> list[tuple[str, ...]]:
    with open_catalog("unit_noise.csv") as fh:
        keys = [tuple(k for k in key_of(r["phrase"]) if k != SEPARATOR) for r in csv.DictReader(fh)]
    return sorted((k for k in keys if k), key=len, reverse=True)


@lru_cache(maxsize=32)
def _fuzzy_choices(prefix: str | None) -> tuple[list[str], list[str]]:
    s = scope(prefix)
    pairs = [(" ".join(t for t in k if t != SEPARATOR), s.aliases[k]) for k in s.written
             if len(k) > 1 and k in s.aliases]
    pairs.sort()
    return [p[0] for p in pairs], [p[1] for p in pairs]


@lru_cache(maxsize=32)
def _alias_lengths(prefix: str | None) -> dict[str, list[int]]:
    """first word of an alias -> the alias lengths starting with it, longest first."""
    by_first: dict[str, set[int]] = {}
    for k in scope(prefix).aliases:
        by_first.setdefault(k[0], set()).add(len(k))
    return {w: sorted(ns, reverse=True) for w, ns in by_first.items()}


def units_in_text(text: str, agency: str | None = ANY) -> set[str]:
    """Ids whose full name (an alias of two words or more) the text mentions: for short names."""
    prefix = agency_prefix(agency)
    aliases = scope(prefix).aliases
    lengths = _alias_lengths(prefix)
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


def match_units(raw: str | None, known_in_document: frozenset[str] | set[str] = frozenset(),
                agency: str | None = ANY) -> UnitMatch:
    """Ids of the units a cell names, in order (duplicates dropped), and what matched nothing.

    `agency` is the document's agency (name, alias or prefix): generic names take its prefix;
    None (agency unknown) leaves them unmatched; ANY (the default) recognises every catalog's
    units, for layout decisions only.
    """
    result = UnitMatch()
    text = unicodedata.normalize("NFC", raw or "")
    if not text.strip():
        return result
    # "(căn cứ chức năng ...)", "(nếu có)" qualify and are dropped; "(Các phòng ... phối hợp)" names units
    text = PARENS.sub(lambda m: (" : " + m.group(0)[1:-1] if m.group(0)[1:2].isupper() else "") + " , ", text)
    text = LIST_INTRO.sub(" : ", text)
    prefix = agency_prefix(agency)
    sc = scope(prefix)
    aliases, units, longest = sc.aliases, sc.units, sc.longest
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
        if hit and gap and _possessive(gap, toks[i:i + hit[1]]):
            gap.extend(toks[i:i + hit[1]])  # "Công đoàn cơ sở Sở Nội vụ": the agency's name is part of the mention
            i += hit[1]
        elif hit:
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

    found: list[str] = []  # ids in order, COLON where a list begins
    seen_unit = False
    qualifier = False  # after a unit, a lower-case phrase describes its role up to the next ';'
    for kind, value in pieces:
        if kind == "id":
            if not qualifier:
                found.append(value)
                seen_unit = True
            continue
        for part in _split_hard(value):
            if part[0][1] in ";:":
                if part[0][1] == COLON:
                    found.append(COLON)
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
            uid = _resolve(whole, known_in_document, units, prefix)
            if uid:
                _take(result, found, " ".join(t[1] for t in whole), uid)
                seen_unit = True
                continue
            for chunk in _split_chunks(part):
                chunk = _strip_noise(chunk)
                if not chunk:
                    continue
                words = [t[1] for t in chunk]
                if seen_unit and words[0][:1].islower():
                    continue  # a role or qualifier of the unit before it
                uid = _resolve(chunk, known_in_document, units, prefix)
                if uid:
                    _take(result, found, " ".join(words), uid)
                    seen_unit = True
                elif seen_unit and lookup_province(" ".join(words)):
                    continue  # "Bưu điện tỉnh Bình Phước": the province of the unit before it
                elif words[0][:1].isupper() or not seen_unit:
                    result.unmatched.append(" ".join(words))
    for k, uid in enumerate(found):
        if uid == COLON:
            continue
        listed = k + 1 < len(found) and found[k + 1] == COLON and any(u != COLON for u in found[k + 2:])
        if listed and units[uid].collective:
            continue  # "Các phòng: A, B" names A and B
        if uid not in result.ids:
            result.ids.append(uid)
    return result


def _possessive(gap: list, name: list) -> bool:
    """An agency's name straight after other words (no comma, no "và") belongs to them."""
    last = gap[-1][0]
    if last == SEPARATOR or (last,) in CONNECTORS or tuple(t[0] for t in gap[-2:]) in CONNECTORS:
        return False
    if name[0][2] or not gap[-1][1][:1].isalpha():
        return False  # a line break or bullet before the name starts a new mention
    return tuple(t[0] for t in name) in agency_keys()


@lru_cache(maxsize=1)
def agency_keys() -> frozenset[tuple[str, ...]]:
    return frozenset(key_of(n) for a in agencies() for n in (a.name, *a.aliases))


def _split_hard(gap: list) -> list[list]:
    """Split on ',' ';' ':' and soft breaks; a part after ';' or ':' keeps it as its first token."""
    parts: list[list] = [[]]
    for t in gap:
        if t[0] == SEPARATOR:
            parts.append([t] if t[1] in ";:" else [])
        elif t[2] and parts[-1]:
            parts.append([t])
        else:
            parts[-1].append(t)
    return [p for p in parts if p]


def _drop_connectors(part: list) -> list:
    while part and ((part[0][0],) in CONNECTORS or tuple(t[0] for t in part[:2]) in CONNECTORS):
        part = part[2:] if tuple(t[0] for t in part[:2]) in CONNECTORS else part[1:]
    return part


def _take(result: UnitMatch, found: list[str], mention: str, uid: tuple[str, float]) -> None:
    found.append(uid[0])
    if uid[1] < 100:
        result.fuzzy.append((mention, uid[0], uid[1]))


def _resolve(chunk, known_in_document, units: dict[str, Unit], prefix: str | None) -> tuple[str, float] | None:
    key = " ".join(t[0] for t in chunk)
    generic = [u.unit_id for u in units.values() if u.generic and key == " ".join(key_of(u.generic))]
    if generic:
        # a short name ("Trung tâm") means the one such unit the document names in full
        candidates = [uid for uid in known_in_document
                      if uid in units and units[uid].generic and " ".join(key_of(units[uid].generic)) == key]
        return (candidates[0], 100.0) if len(candidates) == 1 else None
    if len(chunk) < 2:
        return None  # one word is too little to guess from
    names, ids = _fuzzy_choices(prefix)
    best = process.extractOne(key, names, scorer=fuzz.ratio, processor=None)
    if best and best[1] >= FUZZY_THRESHOLD and same_words(key.split(), best[0].split()):
        return ids[best[2]], float(best[1])
    return None


def same_words(mention: list[str], alias: list[str]) -> bool:
    """Word by word the same name, up to spelling: another word means another body."""
    if not 0 <= len(alias) - len(mention) <= FUZZY_MISSING_TAIL:
        return False
    return all(a == b or fuzz.ratio(a, b) >= FUZZY_WORD_THRESHOLD for a, b in zip(mention, alias))
