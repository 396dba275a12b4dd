"""Word-by-word correction of OCR'd Vietnamese: the syllable, among those with the same letters, that
best fits what was read and the syllables around it.

Tesseract reads the letters of a Vietnamese syllable well and its marks less well: a hook above
read as an acute ("bố sung" for "bổ sung", "Cống" for "Cổng"), a dot below lost ("Bộ phân"). So
each read syllable is compared with every known syllable of the same base letters (marks removed,
đ as d) and replaced when a pair model says the other one is much likelier beside its neighbours.
The model is counts of syllables and syllable pairs from text-layer plans
(normalizers/data/ocr_ngrams.csv, built by scripts/build_ocr_lexicon.py) and the pairs inside the
words of underthesea's Vietnamese dictionary (Viet74K, Apache-2.0, shipped with underthesea); the
Vietnamese syllable grammar (onset, rhyme, tone) tells a syllable that cannot exist from one that
merely is rare. Tokens that are not syllables (abbreviations, numbers, codes) are left alone.
"""
from __future__ import annotations

import csv
import math
import re
import unicodedata
from functools import lru_cache
from pathlib import Path

NGRAMS_CSV = Path(__file__).parent / "data" / "ocr_ngrams.csv"

# Settings of the choice, named once (log-probability units).
CHANGE_COST = 3.0  # per changed letter: a reading is kept unless its context clearly says otherwise
INVALID_BONUS = 4.0  # a reading the grammar rules out is given up this much more easily
DICTIONARY_WEIGHT = 0.3  # a pair inside a dictionary word counts this much against a pair seen in a plan
PAIR_WEIGHT = 0.6  # share of the pair counts in a pair probability, the rest from the syllable's own count

TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}  # huyền, sắc, ngã, hỏi, nặng
STOP_TONES = {"", "\u0301", "\u0323"}  # a syllable ending in p, t, c, ch takes only sắc or nặng (or none, in loans)
ONSETS = ("", "b", "c", "ch", "d", "đ", "g", "gh", "gi", "h", "k", "kh", "l", "m", "n", "ng", "ngh", "nh", "p",
          "ph", "qu", "r", "s", "t", "th", "tr", "v", "x")
RHYMES = frozenset("""
a ai ao au ay am an ang anh ac ach ap at ăm ăn ăng ăc ăp ăt âm ân âng âc âp ât âu ây
e eo em en eng ec ep et ê êu êm ên ênh êch êp êt i ia iu im in inh ich ip it
iê iêm iên iêng iêc iêp iêt iêu o oi om on ong oc op ot oong ooc ô ôi ôm ôn ông ôc ôp ôt
ơ ơi ơm ơn ơp ơt u ua ui um un ung uc up ut uôi uôm uôn uông uôc uôt
ư ưa ưi ưu ưng ưc ưt ưm ưn ươi ươu ươm ươn ương ươc ươp ươt
y yêm yên yêng yêt yêu oa oai oay oan oang oanh oac oach oat oap oăm oăn oăng oăc oăt
oe oen oet oeo uê uêch uênh uân uâng uât uây uy uya uych uyên uyêt uynh uyt uyu uơ
""".split())
_ONSETS_LONGEST_FIRST = sorted(ONSETS, key=len, reverse=True)
WORD = re.compile(r"[^\W\d_]+")
BREAK = re.compile(r"[^\w\s]|\d")  # punctuation and digits end a run of syllables


def _nfd(s: str) -> str:
    return unicodedata.normalize("NFD", s)


def skeleton(word: str) -> str:
    """Base letters of a lower-case word: every mark removed, đ as d."""
    return "".join(ch for ch in _nfd(word.replace("đ", "d")) if not unicodedata.combining(ch))


def tone_and_bare(word: str) -> tuple[str, str]:
    """(tone mark or '', the word without its tone, NFC)."""
    d = _nfd(word)
    tones = [ch for ch in d if ch in TONES]
    bare = unicodedata.normalize("NFC", "".join(ch for ch in d if ch not in TONES))
    return (tones[0] if len(tones) == 1 else ("?" if tones else "")), bare


def is_syllable(word: str) -> bool:
    """Whether a lower-case word can be a Vietnamese syllable (onset + rhyme + a tone the rhyme allows)."""
    tone, bare = tone_and_bare(word)
    if tone == "?":
        return False
    for onset in _ONSETS_LONGEST_FIRST:
        if not bare.startswith(onset):
            continue
        rhyme = bare[len(onset):]
        if onset == "gi" and rhyme == "":
            rhyme = "i"
        if rhyme in RHYMES:
            return tone in STOP_TONES if rhyme.endswith(("p", "t", "c", "ch")) else True
    return False


def phrases(line: str) -> list[list[str]]:
    """Runs of words with no punctuation or digits between them (pairs are counted within a run)."""
    return [WORD.findall(part) for part in BREAK.split(line) if WORD.search(part)]


class Model:
    """Syllable and pair counts, and the known syllables indexed by their base letters."""

    def __init__(self, uni: dict[str, float], big: dict[tuple[str, str], float],
                 seen: frozenset[tuple[str, str]] = frozenset()):
        self.uni, self.big, self.seen = uni, big, seen  # seen: pairs that plans themselves have
        self.total = sum(uni.values()) or 1.0
        self.by_skeleton: dict[str, list[str]] = {}
        for s in uni:
            self.by_skeleton.setdefault(skeleton(s), []).append(s)

    def p_uni(self, s: str) -> float:
        return (self.uni.get(s, 0.0) + 0.1) / (self.total + 0.1 * len(self.uni))

    def p_pair(self, a: str, b: str) -> float:
        """P(b | a), interpolated with P(b): an unseen pair after a frequent syllable is not made unlikely."""
        seen = self.big.get((a, b), 0.0) / self.uni[a] if self.uni.get(a) else 0.0
        return PAIR_WEIGHT * seen + (1 - PAIR_WEIGHT) * self.p_uni(b)


@lru_cache(maxsize=1)
def model() -> Model:
    uni: dict[str, float] = {}
    big: dict[tuple[str, str], float] = {}
    with open(NGRAMS_CSV, encoding="utf-8") as f:
        for row in csv.DictReader(f):
            parts = row["ngram"].split(" ")
            n = float(row["count"])
            if len(parts) == 1:
                uni[parts[0]] = n
            else:
                big[(parts[0], parts[1])] = n
    seen = frozenset(big)
    for word in _dictionary_words():
        parts = word.split(" ")
        for p in parts:
            uni[p] = uni.get(p, 0.0) + DICTIONARY_WEIGHT
        for a, b in zip(parts, parts[1:]):
            big[(a, b)] = big.get((a, b), 0.0) + DICTIONARY_WEIGHT
    return Model(uni, big, seen)


def _dictionary_words() -> list[str]:
    """Lower-case words of underthesea's Viet74K whose syllables the grammar accepts (none without it)."""
    try:
        import underthesea
    except ImportError:
        return []
    path = Path(underthesea.__file__).parent / "corpus" / "data" / "Viet74K.txt"
    if not path.is_file():
        return []
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        w = unicodedata.normalize("NFC", line.strip().lower())
        if w and all(is_syllable(p) for p in w.split(" ")):
            out.append(w)
    return out


def _cased(word: str, like: str) -> str:
    if like.isupper() and len(like) > 1:
        return word.upper()
    if like[:1].isupper():
        return word[:1].upper() + word[1:]
    return word


def _changed(a: str, b: str) -> int:
    return sum(1 for x, y in zip(a, b) if x != y)


def choose(read: str, prev: str | None, nxt: str | None, m: Model | None = None) -> str:
    """The syllable (lower case) that best fits `read` between `prev` and `nxt` (lower case or None)."""
    m = m or model()
    candidates = m.by_skeleton.get(skeleton(read))
    if not candidates:
        return read
    valid = is_syllable(read)
    if valid and ((prev and (prev, read) in m.seen) or (nxt and (read, nxt) in m.seen)):
        return read  # a real syllable in a pair that plans have: nothing to correct

    def score(c: str) -> float:
        s = math.log(m.p_pair(prev, c)) if prev else math.log(m.p_uni(c))
        if nxt:
            s += math.log(m.p_pair(c, nxt))
        if c != read:
            s -= CHANGE_COST * _changed(c, read) - (0.0 if valid else INVALID_BONUS)
        return s

    best = max(candidates + ([read] if read not in candidates else []), key=score)
    return best


# "Quý" (quarter) takes I-IV; Tesseract reads a Roman II or III in a serif face as 11 or 111, which
# no quarter can be. Only those impossible readings are rewritten.
QUARTER_MISREAD = re.compile(r"(?i)\b(qu[ýy])(\s+)(11|111|1I|I1|l1|1l|ll|lI|Il)(?=\s*(?:/|-|,|$|\s))")


def _quarters(text: str) -> str:
    return QUARTER_MISREAD.sub(lambda m: m.group(1) + m.group(2) + "I" * len(m.group(3)), text)


def correct_text(text: str) -> str:
    """The text with each syllable replaced by the best fitting one; everything else as read."""
    if not text:
        return text
    text = _quarters(unicodedata.normalize("NFC", text))
    out = []
    for line in text.split("\n"):
        out.append(_correct_line(line))
    return "\n".join(out)


def _correct_line(line: str) -> str:
    m = model()
    tokens = list(WORD.finditer(line))
    if not tokens:
        return line
    pieces, last = [], 0
    prev: str | None = None
    for i, tok in enumerate(tokens):
        word = tok.group()
        lower = word.lower()
        between = line[last:tok.start()]
        if BREAK.search(between):
            prev = None  # a pair does not cross punctuation (as counted)
        nxt = None
        if i + 1 < len(tokens) and not BREAK.search(line[tok.end():tokens[i + 1].start()]):
            nxt = tokens[i + 1].group().lower()
        mixed = len(word) > 1 and not word.isupper() and any(ch.isupper() for ch in word[1:])
        best = lower if mixed else choose(lower, prev, nxt, m)
        pieces.append(between + (word if best == lower else _cased(best, word)))
        prev = best
        last = tok.end()
    pieces.append(line[last:])
    return "".join(pieces)

