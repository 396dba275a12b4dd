"""Syllable and syllable-pair counts of text-layer plans, for the OCR correction pass.

    .venv/bin/python scripts/build_ocr_lexicon.py [TEXT ...]   (default: data/raw/txt/*.txt)

Writes normalizers/data/ocr_ngrams.csv (`ngram,count`: one syllable, or two separated by a space,
lower case, NFC) from plain text of plans that have a text layer. Pairs are counted only inside a
line and between syllables that follow each other without punctuation, so the columns of a
linearised table and the ends of sentences do not make pairs. Words in capitals are counted lower
case. The counts come from the documents' own correct text, never from what OCR misread.
"""
from __future__ import annotations

import argparse
import csv
import sys
import unicodedata
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from normalizers.ocr_correct import NGRAMS_CSV, phrases  # noqa: E402


def count(paths: list[Path]) -> tuple[Counter, Counter]:
    uni: Counter = Counter()
    big: Counter = Counter()
    for path in paths:
        text = unicodedata.normalize("NFC", path.read_text(encoding="utf-8", errors="replace"))
        for line in text.splitlines():
            for run in phrases(line):
                words = [w.lower() for w in run]
                uni.update(words)
                big.update(zip(words, words[1:]))
    return uni, big


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("texts", nargs="*", type=Path)
    args = ap.parse_args()
    paths = args.texts or sorted((ROOT / "data/raw/txt").glob("*.txt"))
    uni, big = count(paths)
    with open(NGRAMS_CSV, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["ngram", "count"])
        for s, n in sorted(uni.items(), key=lambda t: (-t[1], t[0])):
            w.writerow([s, n])
        for (a, b), n in sorted(big.items(), key=lambda t: (-t[1], t[0])):
            w.writerow([f"{a} {b}", n])
    print(f"{len(paths)} texts: {sum(uni.values())} syllables, {len(uni)} distinct, {len(big)} pairs -> {NGRAMS_CSV}")


if __name__ == "__main__":
    main()
