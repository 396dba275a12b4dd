"""The pdfium reader against the pdfplumber one, page by page: the same text lines, the same ruled
tables (grid, spans, cell text), on every text PDF of the corpus and of the fixtures, on pages
turned by /Rotate or cut by a crop box, and on a hand-written PDF with the drawing and text
operators real producers use (scaled fonts, text rise, forms, rectangles, paths of many
subpaths); the same errors for damaged and encrypted files."""
from __future__ import annotations

import unicodedata
from pathlib import Path

import pdfplumber
import pypdfium2 as pdfium
import pytest
from conftest import RAW
from pdfplumber.utils import extract_text
from pypdf import PdfReader, PdfWriter
from pypdf.generic import RectangleObject

from extractors.camelot_reader import _may_be_header
from extractors.chartext import page_text
from extractors.model import ExtractionError
from extractors.pdf import (
    _usable,
    read_pdf_pages_pdfplumber,
    read_pdf_pdfium,
    read_pdf_pdfplumber,
    tables_of,
)
from extractors.pdfium import font_descents, read_page
from extractors.ruled import Grid, Segment, cell_tables, edges_of, table_of_boxes, texts_in_cells

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
TEXT_PDFS = sorted(p for p in [*RAW.glob("*.pdf"), *(FIXTURES / "variants").glob("*.pdf"),
                               *(FIXTURES / "layouts" / "docs").glob("*.pdf")] if "scan" not in p.stem)
APPENDIX = RAW / "dongnai_2024_phuluc_nhiemvu_cchc.pdf"


def nfc(s: str) -> str:
    return unicodedata.normalize("NFC", s)


def shape(tables) -> list[list[tuple]]:
    return [[(c.row, c.col, c.row_span, c.col_span, nfc(c.text)) for c in t.cells] for t in tables]


def plumber_tables(page, number: int):
    """The tables as the pdfplumber reader finds them, cell text by pdfplumber's own function."""
    segments = [Segment(o["x0"], o["top"], o["x1"], o["bottom"]) for o in [*page.lines, *page.rects]]
    out = []
    for boxes in cell_tables(edges_of(segments)):
        grid = Grid(boxes)
        if len(grid.xs) < 3:
            continue
        texts, stray, _inside = texts_in_cells(boxes, grid, page.chars,
                                      lambda cs: extract_text(cs, x_tolerance=3, y_tolerance=3))
        out.append(table_of_boxes(boxes, texts, page=number, extractor="pdfplumber", unplaced=stray))
    return out


def turned_text(page) -> bool:
    """Glyphs drawn turned on the page as seen (a landscape table laid sideways without /Rotate)."""
    return any(abs(c["matrix"][1]) > 0.5 for c in page.chars)


def readings(path: Path, crop: bool = False):
    """(page number, pdfplumber page, pdfium chars, pdfium segments) of each page."""
    descents = font_descents(path)
    doc = pdfium.PdfDocument(str(path))
    try:
        with pdfplumber.open(path) as pl:
            for n, page in enumerate(pl.pages, start=1):
                seen = page.crop(page.cropbox) if crop else page
                p = doc[n - 1]
                chars, segments, _ = read_page(p, descents)
                p.close()
                yield n, seen, chars, segments
                page.close()
    finally:
        doc.close()


def differences(path: Path, crop: bool = False) -> list[str]:
    out = []
    for n, page, chars, segments in readings(path, crop):
        expected_text = nfc(page.extract_text() or "")
        got_text = nfc(page_text(chars))
        expected, got = shape(plumber_tables(page, n)), shape(tables_of(chars, segments, n, "pdfium"))
        if turned_text(page):
            # pdfminer takes glyphs turned by a cos(90°) of 6e-17 as upright and reads them across the
            # turned lines; pdfium's glyph boxes differ from pdfminer's by a fraction of a point for the
            # letters it splits (ư, ơ, í), which moves single letters between those nonsense lines. The
            # grid and the characters are the same; the texts are not compared.
            if sorted(got_text.replace("\n", "").replace(" ", "")) != sorted(
                    expected_text.replace("\n", "").replace(" ", "")):
                out.append(f"{path.name} p{n}: other characters")
            if [[c[:4] for c in t] for t in got] != [[c[:4] for c in t] for t in expected]:
                out.append(f"{path.name} p{n}: other grids")
            continue
        if got_text != expected_text:
            a, b = expected_text.splitlines(), got_text.splitlines()
            first = next((i for i, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))
            out.append(f"{path.name} p{n} line {first}: {a[first:first + 1]} != {b[first:first + 1]}")
        if got != expected:
            cells = [len(t) for t in expected], [len(t) for t in got]
            out.append(f"{path.name} p{n}: tables differ ({cells[0]} / {cells[1]} cells)")
    return out


@pytest.mark.parametrize("path", TEXT_PDFS, ids=lambda p: p.name)
def test_pdfium_reads_every_corpus_pdf_as_pdfplumber_does(path):
    assert differences(path) == []


def _turned(src: Path, dest: Path, rotation: int, pages: int = 3) -> Path:
    w = PdfWriter()
    for page in PdfReader(str(src)).pages[:pages]:
        w.add_page(page)
        w.pages[-1].rotate(rotation)
    w.write(str(dest))
    return dest


@pytest.mark.parametrize("rotation", [90, 180, 270])
def test_pages_turned_by_rotate_read_as_seen(tmp_path, rotation):
    path = _turned(APPENDIX, tmp_path / f"r{rotation}.pdf", rotation)
    assert differences(path) == []
    for _, page, chars, _ in readings(path):
        if page.page_number > 1:
            break
        # the same frame as pdfplumber's: each character where pdfplumber puts it (a letter pdfium
        # splits and this reader puts back takes its advance from the font program, not /Widths)
        for a, b in zip(page.chars, chars):
            near = 0.02 if len(unicodedata.normalize("NFD", b["text"])) == 1 else 1.0
            assert abs(a["x0"] - b["x0"]) < near and abs(a["top"] - b["top"]) < near, (a, b)


def test_a_crop_box_gives_the_page_as_seen(tmp_path):
    w = PdfWriter()
    for page in PdfReader(str(APPENDIX)).pages[:2]:
        w.add_page(page)
        box = w.pages[-1].mediabox
        # the crop box cuts the running head off; the table and the page number stay inside
        w.pages[-1].cropbox = RectangleObject((float(box.left) + 20, float(box.bottom) + 30,
                                               float(box.right) - 15, float(box.top) - 50))
    w.write(str(tmp_path / "cropped.pdf"))
    path = tmp_path / "cropped.pdf"
    assert differences(path, crop=True) == []
    doc = read_pdf_pdfium(path)
    assert not any(ln.text.startswith("Phụ lục") for ln in doc.lines)  # the running head is outside


HELVETICA = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"


def _pdf(content: bytes, form: bytes, mediabox=(0, 0, 600, 400), font: bytes = HELVETICA,
         extra: tuple[bytes, ...] = ()) -> bytes:
    """A one-page PDF with a font (Helvetica) and a form XObject, written object by object."""
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [%d %d %d %d] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> /XObject << /Fm1 6 0 R >> >> >>" % mediabox,
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content),
        font,
        b"<< /Type /XObject /Subtype /Form /BBox [0 0 600 400] /Matrix [1 0 0 1 0 0] "
        b"/Resources << /Font << /F1 5 0 R >> >> /Length %d >>\nstream\n%s\nendstream" % (len(form), form),
        *extra,
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for k, body in enumerate(objs, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (k, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
    return bytes(out)


# A table drawn three ways (single lines, one path of many subpaths, thin filled rectangles), text
# set with Tf 1 and a scaled Tm, with a rise, with horizontal scaling, and a table inside a form
# XObject placed by a cm.
CONTENT = b"""
0.5 w
50 350 m 300 350 l S
50 320 m 300 320 l 50 290 m 300 290 l S
50 289.5 250 1 re f
50 290 m 50 350 l 150 290 m 150 350 l S
299.5 290 1 60 re f
BT /F1 1 Tf 12 0 0 12 55 330 Tm (Cell one) Tj ET
BT /F1 12 Tf 155 330 Td (Cell two) Tj ET
BT /F1 12 Tf 55 300 Td 3 Ts (raised) Tj 0 Ts ( text) Tj ET
BT /F1 12 Tf 80 Tz 155 300 Td (narrow glyphs) Tj 100 Tz ET
0 0 1 rg 400 300 m 450 350 l 500 300 c f
BT /F1 11 Tf 1 0 0 1 320 200 Tm [(Kerned)-500(words) -2000 (far)] TJ ET
q 1 0 0 1 300 -120 cm /Fm1 Do Q
"""
FORM = b"""
0.5 w
50 250 m 250 250 l 50 220 m 250 220 l 50 190 m 250 190 l S
50 190 m 50 250 l 130 190 m 130 250 l 250 190 m 250 250 l S
BT /F1 10 Tf 55 235 Td (In a form) Tj 80 0 Td (second) Tj ET
BT /F1 10 Tf 55 205 Td (row two) Tj ET
"""


@pytest.mark.parametrize("mediabox", [(0, 0, 600, 400), (-30, 20, 570, 420)], ids=["origin", "offset"])
def test_operators_real_producers_use(tmp_path, mediabox):
    path = tmp_path / "ops.pdf"
    path.write_bytes(_pdf(CONTENT, FORM, mediabox))
    assert differences(path) == []
    for n, page, chars, segments in readings(path):
        tables = tables_of(chars, segments, n, "pdfium")
        assert sorted(len(t.cells) for t in tables) == [4, 4]  # the page's table and the form's
        assert {c.text for t in tables for c in t.cells} >= {"Cell one", "Cell two", "raised text", "narrow glyphs",
                                                             "In a form", "second", "row two"}
        assert [a["text"] for a in page.chars] == [b["text"] for b in chars]
        # pdfplumber's frame for a media box away from the origin is shifted by the box's corner
        # (pdfplumber issue 1181); this reader measures from the box's top-left as seen
        left, up = page.mediabox[0], page.mediabox[1]
        for a, b in zip(page.chars, chars):  # each character where pdfminer puts it
            assert max(abs(a["x0"] - left - b["x0"]), abs(a["x1"] - left - b["x1"]),
                       abs(a["top"] - up - b["top"]), abs(a["bottom"] - up - b["bottom"])) < 0.02, (a, b)


def test_glyphs_without_unicode_make_the_page_unusable_for_both(tmp_path):
    """A CID font without ToUnicode: pdfminer writes (cid:N), pdfium gives the codes as letters
    ("$%&"); read as pdfminer does, the page is seen as having no usable text layer (OCR reads it)."""
    font = b"<< /Type /Font /Subtype /Type0 /BaseFont /ABCDEF+Some /Encoding /Identity-H /DescendantFonts [7 0 R] >>"
    cid = (b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /ABCDEF+Some /DW 600 /FontDescriptor 8 0 R "
           b"/CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> >>",
           b"<< /Type /FontDescriptor /FontName /ABCDEF+Some /Flags 4 /FontBBox [0 -200 1000 900] /ItalicAngle 0 "
           b"/Ascent 900 /Descent -200 /CapHeight 700 /StemV 80 >>")
    path = tmp_path / "cid.pdf"
    path.write_bytes(_pdf(b"BT /F1 12 Tf 50 300 Td <00240025002600270028002900300031> Tj ET", b"", font=font,
                          extra=cid))
    assert differences(path) == []
    for _, _page, chars, _ in readings(path):
        assert page_text(chars) == "".join(f"(cid:{c})" for c in (36, 37, 38, 39, 40, 41, 48, 49))
        assert not _usable(page_text(chars))


def test_the_same_errors_for_damaged_and_encrypted_files(tmp_path):
    truncated = tmp_path / "truncated.pdf"
    truncated.write_bytes((RAW / "gialai_2023_kehoach_nang_cao_chiso_cchc.pdf").read_bytes()[:4000])
    junk = tmp_path / "junk.pdf"
    junk.write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 20)
    encrypted = tmp_path / "encrypted.pdf"
    w = PdfWriter(clone_from=str(RAW / "phancong_bochiso_cchc_2024.pdf"))
    w.encrypt(user_password="cchc-2024", owner_password="owner", algorithm="RC4-128")
    w.write(str(encrypted))
    for path, password, code in [(truncated, None, "unreadable_file"), (junk, None, "unreadable_file"),
                                 (encrypted, None, "encrypted_pdf"), (encrypted, "sai", "encrypted_pdf"),
                                 (encrypted, "sai-mật-khẩu", "encrypted_pdf")]:
        errors = []
        for reader in (read_pdf_pdfplumber, read_pdf_pdfium):
            with pytest.raises(ExtractionError) as caught:
                reader(path, password)
            errors.append((caught.value.code, caught.value.message.split(" (")[0]))
        assert errors[0] == errors[1] and errors[0][0] == code, (path.name, password, errors)
    opened = read_pdf_pdfium(encrypted, "cchc-2024")
    plain = read_pdf_pdfium(RAW / "phancong_bochiso_cchc_2024.pdf")
    assert shape(opened.tables) == shape(plain.tables) and sum(len(t.cells) for t in plain.tables) > 400


def test_pdfplumber_reads_the_pages_it_is_asked_for():
    pdfium_doc = read_pdf_pdfium(APPENDIX)
    again = read_pdf_pages_pdfplumber(APPENDIX, [2, 5])
    assert [t.row_pages[0] for t in again] == [2, 5]
    assert shape(again) == shape([t for t in pdfium_doc.tables if t.row_pages[0] in (2, 5)])
    assert {t.extractor for t in again} == {"pdfplumber"} and {t.extractor for t in pdfium_doc.tables} == {"pdfium"}


def test_the_header_prefilter_never_hides_a_header_line():
    from extractors.header import header_aliases, header_fields

    lines = [" ".join(a.split()[:3]) for a in header_aliases()]
    lines += ["STT Nhiệm vụ Đơn vị chủ trì Đơn vị phối hợp Thời gian hoàn thành",
              "Nội dung công việc Sản phẩm Thời hạn Ghi chú", "Cơ quan chủ trì và kết quả đầu ra"]
    lines += [ln for p in (RAW / "txt").glob("*.txt") for ln in p.read_text("utf-8").splitlines()]
    assert all(_may_be_header(ln) for ln in lines if header_fields(ln))
    assert sum(1 for ln in lines if header_fields(ln)) >= 3
