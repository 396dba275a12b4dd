"""Tasks -> the closest criterion of the PAR Index tree (data/par_criteria.csv, from seed 002).

The tree is data: codes, levels, areas, names, and optional extra keywords per criterion
that analysts add when a criterion is worded differently in plans. A task is compared with
the criteria of its own area (all areas when unknown): the share of a criterion's content
words (accent-free) that the task uses; the best above the threshold wins, deeper levels
preferred on ties; below it, None.
"""
from __future__ import annotations

import csv
import math
from dataclasses import dataclass
from functools import cache, lru_cache

from .catalogs import open_catalog
from .text import match_key

THRESHOLD = 55.0
# words every plan repeats; they say nothing about which criterion a task serves
STOPWORDS = set("""cac cua va cho trong tren theo duoc cong tac viec thuc hien nang tang cuong tiep tuc
ve voi nhung mot so de tai tu den la co khong nam so""".split())


@dataclass(frozen=True)
class Criterion:
    code: str
    level: int
    area_code: int | None
    name: str
    keys: tuple[str, ...]  # the name and each extra keyword phrase, as content keys


def _content_key(text: str) -> str:
    return " ".join(w for w in match_key(text).split() if w not in STOPWORDS)


@lru_cache(maxsize=1)
def criteria() -> tuple[Criterion, ...]:
    out = []
    with open_catalog("par_criteria.csv") as fh:
        for r in csv.DictReader(fh):
            phrases = [r["criterion_name"], *(k for k in (r.get("keywords") or "").split(";") if k.strip())]
            area = int(r["area_code"]) if r["area_code"].strip() else None
            keys = tuple(_content_key(p) for p in phrases)
            out.append(Criterion(r["criterion_code"], int(r["level"]), area, r["criterion_name"], keys))
    return tuple(out)


@cache
def _criterion_grams(c: Criterion) -> tuple[frozenset[str], ...]:
    return tuple(frozenset(_grams(k)) for k in c.keys)


def _grams(key: str) -> set[str]:
    words = key.split()
    return set(words) | {f"{a} {b}" for a, b in zip(words, words[1:])}


@lru_cache(maxsize=1)
def _idf() -> dict[str, float]:
    docs = [_grams(k) for c in criteria() for k in c.keys]
    counts: dict[str, int] = {}
    for d in docs:
        for g in d:
            counts[g] = counts.get(g, 0) + 1
    return {g: math.log((1 + len(docs)) / (1 + n)) + 1.0 for g, n in counts.items()}


def _score(task: set[str], crit: set[str]) -> float:
    """Weighted share (0-100) of the criterion's words and word pairs that the task uses; rare
    words weigh more, so 'hồ sơ mẫu' decides and 'thủ tục hành chính' hardly counts."""
    shared = task & crit
    if len([g for g in shared if " " not in g]) < 2:
        return 0.0
    idf = _idf()
    return 100.0 * sum(idf.get(g, 1.0) for g in shared) / sum(idf.get(g, 1.0) for g in crit)


def match_criterion(text: str | None, area_code: int | None = None) -> tuple[str, float] | None:
    """(criterion code, score) of the closest level-2/3 criterion, or None below the threshold."""
    grams = _grams(_content_key(text or ""))
    if len(grams) < 2:
        return None
    best: tuple[float, int, str] | None = None
    for c in criteria():
        if c.level < 2 or (area_code is not None and c.area_code not in (None, area_code)):
            continue
        score = max(_score(grams, g) for g in _criterion_grams(c))
        cand = (round(score, 1), c.level, c.code)
        if best is None or cand[:2] > best[:2]:
            best = cand
    if best is None or best[0] < THRESHOLD:
        return None
    return best[2], best[0]
