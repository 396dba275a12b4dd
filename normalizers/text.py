"""Text repair: every stored string goes through `clean_inline` or `clean_cell`.

NFC; legacy-font damage repaired ('ƣ' for 'ư', tone marks stranded after a consonant,
tone marks on the wrong vowel, word-level fixes such as 'HÕA'); whitespace folded; lines
wrapped inside a cell joined (also mid-token: 'Tháng 01-' + '02/2023'), while bullet
lines stay separate lines. Diacritics are never stripped from stored values: `match_key`
builds accent-free keys for comparisons only.
"""
from __future__ import annotations

import csv
import re
import unicodedata
from functools import lru_cache
from pathlib import Path

from .catalogs import open_catalog

DATA = Path(__file__).with_name("data")

TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}  # huyền, sắc, ngã, hỏi, nặng
MODIFIERS = {"\u0302", "\u0306", "\u031b"}  # circumflex, breve, horn
VOWELS = set("aeiouyAEIOUY")
INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)
SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
WORD_RUN = re.compile(r"(?:[^\W\d_]|[\u0300-\u036f])+")
JOIN_TAIL = 16  # characters of the previous line that decide a join (longest pattern: "15/01/202")
BULLET = re.compile(r"^(?:[-–+•*●▪◦]\s?|\(?[a-zđ]\)\s|\(?\d{1,2}\)\s|\d{1,2}(?:\.\d{1,2})*\.\s)")


@lru_cache(maxsize=1)
def _word_fixes() -> list[tuple[re.Pattern, str]]:
    with open_catalog("word_fixes.csv") as fh:
        rows = list(csv.DictReader(fh))
    return [(re.compile(rf"(?<!\w){re.escape(unicodedata.normalize('NFC', r['wrong']))}(?!\w)"),
             unicodedata.normalize("NFC", r["right"])) for r in rows]


def _fix_word_tones(word: list[str]) -> list[str]:
    """Move a tone mark (in an NFD word) onto the vowel Vietnamese spelling puts it on."""
    tone_at = [i for i, ch in enumerate(word) if ch in TONES]
    if len(tone_at) != 1:
        return word
    t = tone_at[0]
    bases = [i for i, ch in enumerate(word) if not unicodedata.combining(ch)]
    vowel_bases = [i for i in bases if word[i] in VOWELS]
    if not vowel_bases:
        return word
    carrier = max((b for b in bases if b < t), default=None)
    modified = [b for b in vowel_bases if any(word[j] in MODIFIERS for j in range(b + 1, _end(word, b)))]
    on_vowel = carrier is not None and word[carrier] in VOWELS
    # Only a mark stranded after a consonant ('câp̣') or on the word's last letter after a
    # modified vowel ('liêụ') is damage; 'ngưòi' is the author's typo and stays as written.
    if on_vowel and not (carrier == bases[-1] and modified and modified[-1] < carrier):
        return word
    if modified:
        target = modified[-1]
    else:
        before = [b for b in vowel_bases if b < t]
        target = before[-1] if before else vowel_bases[0]
    if target == carrier:
        return word
    mark = word.pop(t)
    end = _end(word, target)
    word.insert(end, mark)
    return word


def _end(word: list[str], base: int) -> int:
    j = base + 1
    while j < len(word) and unicodedata.combining(word[j]):
        j += 1
    return j


def repair_glyphs(s: str) -> str:
    """Repair legacy-font damage; the result is NFC."""
    return _repair_cached(s) if len(s) <= 200 else _repair(s)


@lru_cache(maxsize=65536)
def _repair_cached(s: str) -> str:
    return _repair(s)


@lru_cache(maxsize=65536)
def _fix_word(word: str) -> str:
    return "".join(_fix_word_tones(list(word)))


def _repair(s: str) -> str:
    s = s.replace("ƣ", "ư").replace("Ƣ", "Ư")
    d = unicodedata.normalize("NFD", s)
    if any(ch in TONES for ch in d):
        # words repeat a lot in a plan: fix each distinct word once
        d = WORD_RUN.sub(lambda m: _fix_word(m.group(0)), d)
    s = unicodedata.normalize("NFC", d)
    for pattern, right in _word_fixes():
        s = pattern.sub(right, s)
    return s


def clean_inline(s: str | None) -> str | None:
    """One line of clean text: repaired, whitespace folded; None/blank -> None."""
    if s is None:
        return None
    s = repair_glyphs(s.translate(INVISIBLE))
    s = SPACES.sub(" ", s.replace("\r", " ").replace("\n", " ")).strip()
    return s or None


def _joins_without_space(prev: str, nxt: str) -> bool:
    """A line break inside a token: 'Tháng 01-' + '02/2023', '15/01/2' + '023', '45/KH-' + 'UBND'."""
    # Every pattern below is anchored at the end and spans at most 9 characters: look at the tail only,
    # or a cell built from thousands of lines is re-scanned at every join (quadratic in its length).
    prev = prev[-JOIN_TAIL:]
    if re.search(r"\S-$", prev) and nxt[:1].isalnum() and not re.search(r"\s[-–]$", prev):
        return bool(re.search(r"(\d|[A-ZĐ]{2,}|/[A-ZĐ]+)-$", prev)) or nxt[:1].isdigit()
    if re.search(r"\d/$", prev) and nxt[:1].isdigit():
        return True
    return bool(re.search(r"\d{1,2}/\d{1,2}/\d{1,3}$", prev) and re.match(r"\d", nxt))


def clean_cell(s: str | None) -> str | None:
    """A table cell: wrapped lines joined, bullet lines kept as separate lines."""
    if s is None:
        return None
    s = repair_glyphs(s.translate(INVISIBLE)).replace("\r\n", "\n").replace("\r", "\n")
    lines = [SPACES.sub(" ", ln).strip() for ln in s.split("\n")]
    out: list[str] = []
    for ln in lines:
        if not ln:
            continue
        if not out or BULLET.match(ln):
            out.append(ln)
        elif _joins_without_space(out[-1], ln):
            out[-1] += ln
        else:
            out[-1] += " " + ln
    return "\n".join(out) or None


def fold_spaces(s: str | None) -> str:
    """Whitespace-normalised form used to compare cell texts."""
    return SPACES.sub(" ", (s or "").replace("\n", " ")).strip()


def match_key(s: str | None) -> str:
    """Accent- and case-insensitive key for comparing names (never stored)."""
    if not s:
        return ""
    d = unicodedata.normalize("NFD", repair_glyphs(s).replace("đ", "d").replace("Đ", "D"))
    d = "".join(ch for ch in d if not unicodedata.combining(ch)).lower()
    return " ".join(re.findall(r"[a-z0-9]+", d))
