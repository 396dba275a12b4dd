"""Pages whose text runs sideways, read as the page is seen.

A landscape table printed on a portrait sheet without a /Rotate entry has its glyphs turned a
quarter (their text matrix says so). When most of a page's glyphs are turned the same way, every
character and ruling segment of the page is turned back, so the table finder and the text lines
see the page the way a reader holding it would. Pages with /Rotate are already given as seen.
"""
from __future__ import annotations

from .ruled import Segment

UPWARDS, DOWNWARDS = 90, 270  # the angle of a glyph's advance as seen, counter-clockwise: running up / down
TURNED_SHARE = 0.5  # a page is read turned when more than this share of its glyphs are turned one way
SAMPLE_GLYPHS = 600  # glyphs of a page looked at for its direction


def turn_of(chars: list[dict]) -> int:
    """0, or the quarter turn (90: glyphs run upwards; 270: downwards) most glyphs of the page have."""
    up = down = n = 0
    for ch in chars:
        if not ch["text"].strip():
            continue
        n += 1
        if n > SAMPLE_GLYPHS:
            break  # a page printed sideways is sideways from its first lines
        if "angle" in ch:  # pdfium's reading: the angle of the advance on the page as seen
            up += ch["angle"] == UPWARDS
            down += ch["angle"] == DOWNWARDS
            continue
        m = ch.get("matrix")  # pdfplumber's: the text matrix
        if m and m[1] > 0.5:
            up += 1
        elif m and m[1] < -0.5:
            down += 1
    n = min(n, SAMPLE_GLYPHS)
    if n and up / n > TURNED_SHARE:
        return 90
    if n and down / n > TURNED_SHARE:
        return 270
    return 0


def _box(x0: float, top: float, x1: float, bottom: float, turn: int, width: float, height: float):
    if turn == 90:  # the page turned clockwise: what ran upwards runs to the right
        return height - bottom, x0, height - top, x1
    return top, width - x1, bottom, width - x0


def turn_chars(chars: list[dict], turn: int, width: float, height: float) -> list[dict]:
    out = []
    for ch in chars:
        x0, top, x1, bottom = _box(ch["x0"], ch["top"], ch["x1"], ch["bottom"], turn, width, height)
        out.append({**ch, "x0": x0, "top": top, "x1": x1, "bottom": bottom, "upright": True,
                    "doctop": top, "width": x1 - x0, "height": bottom - top})
    # reading order: line by line, then left to right (the table finder and extract_text sort too)
    return out


def turn_segments(segments: list[Segment], turn: int, width: float, height: float) -> list[Segment]:
    return [Segment(*_box(min(s.x0, s.x1), min(s.top, s.bottom), max(s.x0, s.x1), max(s.top, s.bottom), turn,
                          width, height)) for s in segments]
