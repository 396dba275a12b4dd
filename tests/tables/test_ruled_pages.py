"""Ruled tables from segments and characters: orientation with a tolerance, spans from the grid,
text cut off a repeated header that overflows into the row below, pages printed sideways."""
from __future__ import annotations

import pdfplumber

from extractors.orientation import turn_chars, turn_of, turn_segments
from extractors.ruled import Grid, Segment, cell_tables, edges_of, table_of_boxes, texts_in_cells


def ch(text, x0, top, size=10.0, font="Times", matrix=(1, 0, 0, 1, 0, 0)):
    return {"text": text, "x0": x0, "x1": x0 + size * 0.5, "top": top, "bottom": top + size, "doctop": top,
            "size": size, "fontname": font, "upright": True, "matrix": matrix}


def word(text, x0, top, **kw):
    return [ch(c, x0 + 5 * i, top, **kw) for i, c in enumerate(text)]


def _text(chars):
    return pdfplumber.utils.extract_text(chars, x_tolerance=3, y_tolerance=3)


def grid_segments(xs, ys):
    return [Segment(xs[0], y, xs[-1], y + 1e-13) for y in ys] + [Segment(x, ys[0], x, ys[-1]) for x in xs]


def test_rules_off_by_float_noise_still_make_a_grid_with_spans():
    # a header cell spanning two columns: its row has no rule between them
    segs = grid_segments([0, 100, 200], [0, 20, 40])
    segs = [s for s in segs if not (s.x0 == 100 and s.top == 0)] + [Segment(100, 20, 100, 40)]
    tables = cell_tables(edges_of(segs))
    assert len(tables) == 1
    t = table_of_boxes(tables[0], ["A", "b", "c"], page=1, extractor="test")
    top = next(c for c in t.cells if c.row == 0)
    assert (t.n_rows, t.n_cols, top.col_span) == (2, 2, 2)


def test_a_line_cut_off_a_repeated_header_is_not_read_into_the_row_below():
    # header cell rows 0-30 shows "Thời gian" / "hoàn"; LibreOffice still draws "thành" at the next line
    # pitch (top 34), inside the first body row (30-80), right after "hoàn" in the content stream
    header = word("Thời", 105, 2) + word("hoàn", 105, 14)
    overflow = word("thành", 105, 26 + 0.0)
    body_stt = word("1", 5, 34)
    body = word("Quý", 105, 40) + word("I", 130, 40)
    boxes = [(0, 0, 100, 30), (100, 0, 200, 30), (0, 30, 100, 80), (100, 30, 200, 80)]
    chars = header + [{**c, "top": c["top"] + 12, "bottom": c["bottom"] + 12, "doctop": c["top"] + 12}
                      for c in overflow] + body_stt + body
    texts, stray, inside = texts_in_cells(boxes, Grid(boxes), chars, _text)
    assert texts[1] == "Thời\nhoàn"
    assert texts[3] == "Quý I" and texts[2] == "1"


def test_the_first_line_of_a_row_is_kept_after_a_spanning_section_row():
    boxes = [(0, 0, 200, 20), (0, 20, 100, 60), (100, 20, 200, 60)]
    chars = word("CẢI CÁCH", 5, 4) + word("1", 5, 24) + word("Rà soát", 105, 24)
    texts, _, _ = texts_in_cells(boxes, Grid(boxes), chars, _text)
    assert texts == ["CẢI CÁCH", "1", "Rà soát"]


def test_a_page_printed_sideways_is_turned_upright():
    # glyphs running upwards (text matrix b = 1): the page is turned clockwise to be read
    up = (0, 1, -1, 0, 0, 0)
    chars = [{**ch(c, 50, 500 - 10 * i, matrix=up), "x1": 60, "bottom": 510 - 10 * i} for i, c in enumerate("ABCD")]
    assert turn_of(chars) == 90
    turned = sorted(turn_chars(chars, 90, 595, 842), key=lambda c: c["x0"])
    assert "".join(c["text"] for c in turned) == "ABCD"
    assert all(abs(c["top"] - turned[0]["top"]) < 1 for c in turned)
    seg = turn_segments([Segment(40, 100, 40, 700)], 90, 595, 842)[0]
    assert abs(seg.top - seg.bottom) < 1e-9  # a vertical rule of the sheet is a horizontal one of the table
    assert turn_of(word("Rà soát", 0, 0)) == 0
