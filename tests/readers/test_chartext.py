"""extractors.chartext gives pdfplumber's own strings for the same characters: page text as
`Page.extract_text()` builds it, cell text as `utils.extract_text(x_tolerance=3, y_tolerance=3)`.
Characters are generated on a quarter-point grid so that ties and gaps of exactly the tolerance
occur, in lines whose tops wander across the tolerance, with blanks, ligatures and turned runs."""
from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from pdfplumber.utils import extract_text
from pdfplumber.utils.text import chars_to_textmap

from extractors.chartext import cell_text, page_text

quarter = st.integers(min_value=0, max_value=2400).map(lambda v: v / 4)


@st.composite
def page_chars(draw):
    chars = []
    for _ in range(draw(st.integers(0, 6))):  # runs of upright or turned characters
        upright = draw(st.sampled_from([True, True, True, False]))
        top0 = draw(quarter)
        x = draw(quarter)
        for _ in range(draw(st.integers(1, 25))):
            text = draw(st.sampled_from(list("abcđơ ") + ["ﬁ", "ệ", " ", "1"]))
            adv = draw(st.sampled_from([0.0, 2.5, 3.0, 6.5, 7.25]))
            gap = draw(st.sampled_from([0.0, 0.0, 0.25, 2.75, 3.0, 3.25, 10.0, -1.0]))
            top = top0 + draw(st.sampled_from([0.0, 0.0, 1.5, 2.75, 3.0, 3.25, -3.0, 12.0]))
            size = draw(st.sampled_from([13.0, 11.0]))
            if draw(st.booleans()) and chars and draw(st.booleans()):
                x = chars[-1]["x0"]  # a tie on the position
            if upright:
                x0, x1, t, b = x, x + adv, top, top + size
            else:
                x0, x1, t, b = top, top + size, x, x + adv
            chars.append({"text": text, "upright": upright, "x0": x0, "x1": x1, "top": t, "bottom": b,
                          "doctop": t, "size": size, "width": x1 - x0, "height": b - t})
            x = x + adv + gap
    return chars


@settings(max_examples=150, deadline=None)
@given(page_chars())
def test_page_text_is_pdfplumbers(chars):
    expected = chars_to_textmap(chars).as_string if chars else ""
    assert page_text(chars) == expected


@settings(max_examples=150, deadline=None)
@given(page_chars())
def test_cell_text_is_pdfplumbers(chars):
    assert cell_text(chars) == extract_text(chars, x_tolerance=3, y_tolerance=3)


def test_a_line_of_words_and_the_line_below():
    def ch(text, x0, top):
        return {"text": text, "upright": True, "x0": x0, "x1": x0 + 5, "top": top, "bottom": top + 10,
                "doctop": top, "size": 10.0, "width": 5.0, "height": 10.0}

    chars = [ch("a", 0, 0), ch("b", 5, 1), ch(" ", 10, 0), ch("c", 15, 0), ch("d", 30, 2.5), ch("e", 0, 20)]
    assert page_text(chars) == "ab c d\ne"  # d is 10 points past c: a new word on the same line
    assert cell_text(chars) == "ab c d\ne"
