"""Section headings -> the eight PAR Index areas (data/areas.csv), whatever their numbering.

Each area lists its official names, current and former (the 2011-2020 and 2021-2030 reform
programmes, Nghị quyết 30c/NQ-CP and 76/NQ-CP, and the Bộ Nội vụ PAR Index decisions), and
the words its headings typically use. A heading is compared without accents and with
abbreviations expanded ("TTHC", "QPPL"): the name or word that starts earliest in it wins
(the longer of two starting together), so "Ứng dụng CNTT trong cải cách TTHC" is area 7.
When no name is found whole, a heading with one misread word still maps: a name of three or
more words found in it with one word an edit away (two for a long word) or a space lost or
gained; "Cải cách hành chính công" is not "tài chính công" (a different word, not a misread),
and two areas near at the same place give None. Anything else is None (and the caller
raises `unknown_area`).
"""
from __future__ import annotations

import csv
import re
from functools import lru_cache

from rapidfuzz.distance import Levenshtein

from .catalogs import open_catalog
from .targets import expand
from .text import match_key

NUMBERING = re.compile(r"^\s*(?:phần\s+)?(?:[IVXLC]+|\d{1,2}(?:\.\d{1,2})*|[a-z])\s*[.:)\-–]?\s+", re.I)
FUZZY_MIN_WORDS = 3  # shorter names must be found whole: two words leave too little to tell a misread
LONG_WORD = 5  # a misread word of this many letters may be two edits away ("chính" read "chinii"), else one


@lru_cache(maxsize=1)
def _areas() -> list[tuple[int, list[str]]]:
    with open_catalog("areas.csv") as fh:
        return [(int(r["area_code"]), [k for k in (_key(p) for p in f"{r['names']};{r['keywords']}".split(";")) if k])
                for r in csv.DictReader(fh)]


def _key(text: str) -> str:
    return match_key(expand(text))


@lru_cache(maxsize=4096)
def area_code(heading: str | None) -> int | None:
    """'II Cải cách thủ tục hành chính' -> 3; 'VII Chỉ đạo điều hành CCHC' -> 1; None when unclear."""
    if not heading:
        return None
    key = _key(NUMBERING.sub("", heading))
    if not key:
        return None
    return _whole(key) or _fuzzy(key)


def _whole(key: str) -> int | None:
    spaced = f" {key} "
    best: tuple[int, int, int] | None = None  # (start, -length, code)
    for code, phrases in _areas():
        for p in phrases:
            i = spaced.find(f" {p} ")
            if i >= 0 and (best is None or (i, -len(p)) < best[:2]):
                best = (i, -len(p), code)
    return best[2] if best else None


def _fuzzy(key: str) -> int | None:
    words = key.split()
    found: dict[int, int | None] = {}  # start of the earliest near match -> its area (None when two areas tie)
    for code, phrases in _areas():
        for p in phrases:
            pw = p.split()
            if len(pw) < FUZZY_MIN_WORDS:
                continue
            n, first, last = len(pw), pw[0][0], pw[-1][-1]
            for i in range(len(words)):
                # one edit cannot change both the first and the last letter of the joined words, and
                # one misread word of three or more leaves the first or second word intact: skip
                # windows that can be near neither way before measuring edits
                if words[i][0] != first and not any(
                        i + size <= len(words) and words[i + size - 1][-1] == last for size in (n - 1, n, n + 1)):
                    continue
                if any(_near(pw, words[i:i + size]) for size in (n, n - 1, n + 1)):
                    if found.get(i, code) != code:
                        found[i] = None
                    else:
                        found[i] = code
                    break
    if not found:
        return None
    return found[min(found)]


def _near(phrase: list[str], window: list[str]) -> bool:
    """One misread word: the same words but one, and that one an edit or two away (two for a longer word);
    or a space lost or gained (the letters an edit away)."""
    if len(window) != len(phrase):
        return len(window) >= len(phrase) - 1 and Levenshtein.distance("".join(phrase), "".join(window)) <= 1
    diff = [(a, b) for a, b in zip(phrase, window) if a != b]
    if len(diff) != 1:
        return False
    a, b = diff[0]
    return Levenshtein.distance(a, b) <= (2 if len(a) >= LONG_WORD else 1)


@lru_cache(maxsize=1)
def area_names() -> dict[int, str]:
    """area code -> its name (data/areas.csv), for the `areas` dimension dataset and the report."""
    with open_catalog("areas.csv") as fh:
        return {int(r["area_code"]): r["area"].strip() for r in csv.DictReader(fh)}
