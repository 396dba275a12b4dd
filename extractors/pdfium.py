"""Text PDFs through pdfium: characters, ruling lines and text lines of each page, as pdfplumber sees them.

pdfminer's parsing is most of the time pdfplumber takes; pdfium (pypdfium2, C++) parses a page about
ten times faster. This reader takes from pdfium what pdfplumber takes from pdfminer and hands it to
the same functions: characters in pdfplumber's shape (x0, x1, top, bottom, text, upright, size,
fontname) for its text-line builder and `extractors.ruled`'s cell texts, and the page's straight
path segments and rectangles for `extractors.ruled`'s edge -> cell -> table path.

The frame is the page as seen: pdfium works in PDF user space (y up, page /Rotate not applied), so
every point is turned by the page's rotation and measured from the top-left of its crop box, which
is what pdfplumber gives (it measures from the media box; the two are the same unless a crop box
is set, and then only what is inside it is seen and read here). Characters are built as pdfminer
builds them: from the glyph origin along the advance (pdfium's loose box gives its far end) and
across from the font's descent over one em of the font size, so lines, word gaps and cells come out
as pdfplumber's. Ruling lines: a subpath of two points is a line, a closed one of four sides a
rectangle, as pdfminer decides, but with a tolerance (pdfminer compares exactly and loses the
rectangles of rotated content to float noise).
"""
from __future__ import annotations

import ctypes as C
import math
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as R
import pypdfium2_raw.bindings as _bindings

from .model import ExtractionError
from .ruled import ORIENTATION_TOLERANCE, Segment

SUBSET_TAG = re.compile(r"^[A-Z]{6}\+")  # ABCDEF+Name: a subset of the font Name

FORM_DEPTH = 8  # nested form XObjects followed this deep (pdfminer follows them all; real files nest 1-2)
RULE_TOLERANCE = ORIENTATION_TOLERANCE  # points: corners this close still make an axis-aligned rectangle
HYPHEN_MARKS = "\x02\ufffe"  # pdfium's stand-ins for a hyphen it took as a line-end break


def _fn(name: str, restype, *argtypes):
    """A private handle on a pdfium function with plain C types: the shared pypdfium2 bindings
    convert every argument through typed pointers, which costs more than the call itself when it
    is made once per character."""
    f = _bindings._libs["pdfium"][name]
    f.restype = restype
    f.argtypes = argtypes
    return f


def _fast(name: str, restype):
    """The same without argument types, for the calls made once per character: they take only a
    c_void_p, Python ints (C int) and ctypes buffers, and skip the conversion (about 0.5 µs a call)."""
    f = _bindings._libs["pdfium"][name]
    f.restype = restype
    f.argtypes = None
    return f


_VP, _INT, _DBL, _FLT = C.c_void_p, C.c_int, C.c_double, C.c_float
_load_textpage = _fn("FPDFText_LoadPage", _VP, _VP)
_close_textpage = _fn("FPDFText_ClosePage", None, _VP)
_count_chars = _fn("FPDFText_CountChars", _INT, _VP)
_get_text = _fn("FPDFText_GetText", _INT, _VP, _INT, _INT, _VP)
_unicode = _fn("FPDFText_GetUnicode", C.c_uint, _VP, _INT)
_text_object = _fast("FPDFText_GetTextObject", _VP)
_loose_box = _fast("FPDFText_GetLooseCharBox", _INT)
_origin = _fast("FPDFText_GetCharOrigin", _INT)
_char_matrix = _fn("FPDFText_GetMatrix", _INT, _VP, _INT, _VP)
_map_error = _fast("FPDFText_HasUnicodeMapError", _INT)
_is_generated = _fast("FPDFText_IsGenerated", _INT)
_font_size = _fn("FPDFTextObj_GetFontSize", _INT, _VP, _VP)
_font_of = _fn("FPDFTextObj_GetFont", _VP, _VP)
_font_name = _fn("FPDFFont_GetBaseFontName", C.c_ulong, _VP, _VP, C.c_ulong)
_font_descent = _fn("FPDFFont_GetDescent", _INT, _VP, _FLT, _VP)
_glyph_width = _fn("FPDFFont_GetGlyphWidth", _INT, _VP, C.c_uint, _FLT, _VP)
_count_objects = _fn("FPDFPage_CountObjects", _INT, _VP)
_page_object = _fn("FPDFPage_GetObject", _VP, _VP, _INT)
_count_form_objects = _fn("FPDFFormObj_CountObjects", _INT, _VP)
_form_object = _fn("FPDFFormObj_GetObject", _VP, _VP, C.c_ulong)
_object_type = _fn("FPDFPageObj_GetType", _INT, _VP)
_object_matrix = _fn("FPDFPageObj_GetMatrix", _INT, _VP, _VP)
_count_segments = _fn("FPDFPath_CountSegments", _INT, _VP)
_path_segment = _fn("FPDFPath_GetPathSegment", _VP, _VP, _INT)
_segment_point = _fn("FPDFPathSegment_GetPoint", _INT, _VP, _VP, _VP)
_segment_type = _fn("FPDFPathSegment_GetType", _INT, _VP)
_segment_close = _fn("FPDFPathSegment_GetClose", _INT, _VP)

_TEXT, _PATH, _FORM = R.FPDF_PAGEOBJ_TEXT, R.FPDF_PAGEOBJ_PATH, R.FPDF_PAGEOBJ_FORM
_LINETO, _MOVETO = R.FPDF_SEGMENT_LINETO, R.FPDF_SEGMENT_MOVETO

Matrix = tuple[float, float, float, float, float, float]  # a, b, c, d, e, f: x' = a x + c y + e, y' = b x + d y + f
IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


def _compose(m: Matrix, n: Matrix) -> Matrix:
    """m, then n."""
    a, b, c, d, e, f = m
    A, B, Cc, D, E, F = n
    return (a * A + b * Cc, a * B + b * D, c * A + d * Cc, c * B + d * D, e * A + f * Cc + E, e * B + f * D + F)


def open_pdfium(path: Path, password: str | None = None) -> pdfium.PdfDocument:
    """The document, or an ExtractionError with the codes and messages of the pdfplumber reader."""
    try:
        pdf = pdfium.PdfDocument(str(path), password=password or None)
    except pdfium.PdfiumError as exc:
        if exc.err_code in (R.FPDF_ERR_PASSWORD, R.FPDF_ERR_SECURITY):
            if password:
                raise ExtractionError("encrypted_pdf", "PDF is encrypted and the --password given does not open it "
                                      "(older PDF encryption takes Latin characters only)") from exc
            raise ExtractionError("encrypted_pdf", "PDF is encrypted: give its password with --password, "
                                  "or save an unencrypted copy") from exc
        raise ExtractionError("unreadable_file", "PDF cannot be opened (PdfiumError): "
                              "the file is damaged or truncated; download it again") from exc
    except OSError as exc:
        raise ExtractionError("unreadable_file", f"PDF cannot be opened ({type(exc).__name__}): "
                              "the file is damaged or truncated; download it again") from exc
    if len(pdf) == 0:
        pdf.close()
        raise ExtractionError("unreadable_file", "PDF cannot be opened (no pages): "
                              "the file is damaged or truncated; download it again")
    return pdf


def font_descents(path: Path, password: str | None = None) -> dict[str, float]:
    """Descent (in em, <= 0) of each font the pages use, by base name, as pdfminer takes it: from the
    font descriptor (its zero too: LibreOffice writes Ascent 0 Descent 0, and pdfium puts glyph extents
    in their place), the standard 14 fonts from their metrics, Type 3 fonts from their FontBBox. Only
    the dictionaries are read; an unreadable structure gives {} and pdfium's own descents are used."""
    from pdfminer.pdfdocument import PDFDocument
    from pdfminer.pdfpage import PDFPage
    from pdfminer.pdfparser import PDFParser
    from pdfminer.pdftypes import PDFObjRef, resolve1
    from pdfminer.psparser import literal_name

    def name(v) -> str:
        v = resolve1(v)
        return SUBSET_TAG.sub("", literal_name(v) if not isinstance(v, (str, bytes)) else
                              (v.decode("latin-1") if isinstance(v, bytes) else v))

    def descent_of(spec: dict) -> float:
        subtype = literal_name(resolve1(spec.get("Subtype"))) if spec.get("Subtype") else ""
        if subtype == "Type3":
            bbox = resolve1(spec.get("FontBBox")) or [0, 0, 0, 0]
            m = resolve1(spec.get("FontMatrix")) or [0.001, 0, 0, 0.001, 0, 0]
            return float(resolve1(bbox[1])) * float(resolve1(m[1]) + resolve1(m[3]))
        if subtype == "Type0":
            spec = resolve1((resolve1(spec.get("DescendantFonts")) or [{}])[0]) or {}
        elif subtype in ("Type1", "MMType1", "TrueType", ""):
            metrics = _standard_metrics(name(spec.get("BaseFont", "unknown")))
            if metrics is not None:
                return metrics
        d = float(resolve1((resolve1(spec.get("FontDescriptor")) or {}).get("Descent", 0)) or 0)
        return -abs(d) * 0.001

    found: dict[str, float] = {}
    seen: set[int] = set()

    def resources(res, depth: int) -> None:
        res = resolve1(res) or {}
        for ref in (resolve1(res.get("Font")) or {}).values():
            if isinstance(ref, PDFObjRef):
                if ref.objid in seen:
                    continue
                seen.add(ref.objid)
            spec = resolve1(ref)
            if isinstance(spec, dict):
                found.setdefault(name(spec.get("BaseFont", "unknown")), descent_of(spec))
        if depth < FORM_DEPTH:
            for ref in (resolve1(res.get("XObject")) or {}).values():
                if isinstance(ref, PDFObjRef):
                    if ref.objid in seen:
                        continue
                    seen.add(ref.objid)
                xobj = resolve1(ref)
                attrs = getattr(xobj, "attrs", None)
                if attrs and literal_name(resolve1(attrs.get("Subtype"))) == "Form" and "Resources" in attrs:
                    resources(attrs["Resources"], depth + 1)

    try:
        with open(path, "rb") as fh:
            doc = PDFDocument(PDFParser(fh), password=password or "")
            for page in PDFPage.create_pages(doc):
                resources(page.resources, 0)
    except Exception:  # noqa: BLE001  a structure pdfminer cannot walk: pdfium's descents stand in
        return {}
    return found


def _standard_metrics(basefont: str) -> float | None:
    """pdfminer's descent of one of the standard 14 fonts, None for any other font."""
    try:
        from pdfminer.fontmetrics import FONT_METRICS
    except ImportError:  # pragma: no cover
        return None
    metrics = FONT_METRICS.get(basefont)
    if metrics is None:
        return None
    return -abs(float(metrics[0].get("Descent", 0))) * 0.001


# the direction a glyph advances in user space (1/-1 along x, 2/-2 along y) as an angle, counter-clockwise
ADVANCE_ANGLE = {1: 0, 2: 90, -1: 180, -2: 270}


@dataclass(frozen=True)
class Frame:
    """PDF user space -> the page as seen: turned by /Rotate, from the crop box's top-left, y down."""

    rotation: int
    left: float
    bottom: float
    right: float
    top: float

    @classmethod
    def of(cls, page: pdfium.PdfPage) -> Frame:
        left, bottom, right, top = page.get_cropbox()
        return cls(page.get_rotation() % 360, min(left, right), min(bottom, top), max(left, right), max(bottom, top))

    @property
    def size(self) -> tuple[float, float]:
        w, h = self.right - self.left, self.top - self.bottom
        return (h, w) if self.rotation in (90, 270) else (w, h)

    def point(self, x: float, y: float) -> tuple[float, float]:
        r = self.rotation
        if r == 0:
            return x - self.left, self.top - y
        if r == 90:
            return y - self.bottom, x - self.left
        if r == 180:
            return self.right - x, y - self.bottom
        return self.top - y, self.right - x

    def vector(self, dx: float, dy: float) -> tuple[float, float]:
        """A direction in user space as seen, y up (pdfminer's device space)."""
        r = self.rotation
        if r == 0:
            return dx, dy
        if r == 90:
            return dy, -dx
        if r == 180:
            return -dx, -dy
        return -dy, dx

    def box(self, x0: float, y0: float, x1: float, y1: float) -> tuple[float, float, float, float]:
        """x0, x1, top, bottom as seen of a user-space box (x0 <= x1, y0 <= y1)."""
        r = self.rotation
        if r == 0:
            return x0 - self.left, x1 - self.left, self.top - y1, self.top - y0
        if r == 90:
            return y0 - self.bottom, y1 - self.bottom, x0 - self.left, x1 - self.left
        if r == 180:
            return self.right - x1, self.right - x0, y0 - self.bottom, y1 - self.bottom
        return self.top - y1, self.top - y0, self.right - x1, self.right - x0

    def inside(self, x: float, y: float) -> bool:
        return self.left <= x <= self.right and self.bottom <= y <= self.top


class _Fonts:
    """Name and descent of each font, size and matrix of each text object, asked of pdfium once."""

    def __init__(self, descents: dict[str, float] | None = None):
        self.descents = descents or {}
        self.objects: dict[int, tuple[str, float, float, tuple[float, float, float, float]]] = {}
        self.fonts: dict[int, tuple[str, float]] = {}
        self.widths: dict[tuple[int, str, float], float | None] = {}
        self._f = C.c_float()
        self._m = R.FS_MATRIX()

    def font(self, handle: int | None) -> tuple[str, float]:
        if handle is None:
            return "unknown", 0.0
        known = self.fonts.get(handle)
        if known is None:
            n = _font_name(handle, None, 0)
            buf = C.create_string_buffer(max(n, 1))
            _font_name(handle, buf, n)
            name = SUBSET_TAG.sub("", buf.value.decode("utf-8", "replace")) or "unknown"
            descent = self.descents.get(name)
            if descent is None:
                descent = min(self._f.value, 0.0) if _font_descent(handle, 1.0, C.byref(self._f)) else 0.0
            known = self.fonts[handle] = (name, descent)
        return known

    def of(self, textpage: int, index: int, obj: int):
        known = self.objects.get(obj)
        if known is None:
            size = self._f.value if _font_size(obj, C.byref(self._f)) else 0.0
            font = _font_of(obj)
            name, descent = self.font(font)
            _char_matrix(textpage, index, C.byref(self._m))
            m = self._m
            known = self.objects[obj] = (name, size, descent, (m.a, m.b, m.c, m.d), font)
        return known

    def width(self, font: int | None, text: str, size: float) -> float | None:
        """Advance of the glyph that maps to `text` (one character), in text space at `size`."""
        if font is None or len(text) != 1:
            return None
        key = (font, text, size)
        if key not in self.widths:
            ok = _glyph_width(font, ord(text), size, C.byref(self._f))
            self.widths[key] = self._f.value if ok and self._f.value > 0 else None
        return self.widths[key]


def page_chars(page: pdfium.PdfPage, frame: Frame, order: dict[int, int] | None = None,
               descents: dict[str, float] | None = None) -> list[dict]:
    """The characters of a page in pdfplumber's shape, in content order (pdfium moves some text
    objects within a line; pdfplumber's line builder groups consecutive characters)."""
    tp = _load_textpage(C.cast(page.raw, _VP))
    if not tp:
        raise ExtractionError("unreadable_file", "PDF page text cannot be read (pdfium): "
                              "the file is damaged; download it again")
    try:
        return _chars(tp, frame, order or {}, descents)
    finally:
        _close_textpage(tp)


def _chars(tp: int, frame: Frame, order: dict[int, int], descents: dict[str, float] | None) -> list[dict]:
    n = _count_chars(tp)
    if n <= 0:
        return []
    buf = (C.c_ushort * (n + 1))()
    _get_text(tp, 0, n, buf)
    text = bytes(buf)[: 2 * n].decode("utf-16-le", "surrogatepass")
    if len(text) != n or any("\ud800" <= t <= "\udfff" for t in text):
        text = "".join(chr(_unicode(tp, i)) for i in range(n))  # outside the BMP: one unit per char
    fonts = _Fonts(descents)
    tp = C.c_void_p(tp)  # the untyped per-character calls need the pointer as a pointer
    box = (C.c_float * 4)()  # left, top, right, bottom as pdfium fills FS_RECTF
    org = (C.c_double * 2)()
    org_y = C.byref(org, 8)
    box_of = frame.box
    lo_x, lo_y, hi_x, hi_y = frame.left, frame.bottom, frame.right, frame.top
    plain = frame.rotation == 0
    styles: dict[int, tuple] = {}
    out: list[dict] = []
    keys: list[int] = []
    current = None  # the text object of the character before, and what it shares
    last = None  # (text object, origin) of the character before
    for i in range(n):
        obj = _text_object(tp, i)
        if obj is None:
            continue  # a line break pdfium made up
        if obj != current:
            current = obj
            style = styles.get(obj)
            if style is None:
                style = styles[obj] = _style(fonts, tp, i, obj, frame)
            fontname, size, upright, along, (a, b, c, d), (v0, v1), font = style
            fast = along == 1 and plain and c == 0.0 and d > 0.0  # upright text on an upright page
            low, high = hi_y - d * v0, hi_y - d * v1
            key = order.get(obj, 0)
        _origin(tp, i, org, org_y)
        ox, oy = org[0], org[1]
        if not (lo_x <= ox <= hi_x and lo_y <= oy <= hi_y):
            continue  # outside the crop box: not on the page as seen
        ch = text[i]
        if ch == " " and _is_generated(tp, i) == 1:
            continue  # a space pdfium put in a gap of a TJ array: pdfminer has no such character
        if _map_error(tp, i):
            # no Unicode for the glyph (a CID font without ToUnicode): pdfminer writes (cid:N), so a
            # page of them is seen as having no usable text layer and goes to OCR; pdfium gives the code
            ch = f"(cid:{ord(ch)})"
        elif ch in HYPHEN_MARKS:
            ch = "-"  # pdfium's mark for a hyphen it took as a line-end break
        elif out and last == (obj, ox, oy) and unicodedata.combining(ch):
            _merge_mark(out[-1], ch, fonts, font, box_of, ox, oy, style, tp, i, box)
            continue
        last = (obj, ox, oy)
        _loose_box(tp, i, box)
        if fast:
            x0, x1, top, bottom = ox - lo_x, box[2] - lo_x, high - oy, low - oy
        else:
            if along == 1:
                ax, ay = box[2] - ox, 0.0
            elif along == -1:
                ax, ay = box[0] - ox, 0.0
            elif along == 2:
                ax, ay = 0.0, box[1] - oy
            elif along == -2:
                ax, ay = 0.0, box[3] - oy
            else:  # skewed or turned by an odd angle: pdfium's box is the best there is
                ax, ay = box[2] - box[0], 0.0
                ox, oy = box[0], box[3]
            x0, x1, top, bottom = _corners(box_of, ox, oy, ax, ay, c, d, v0, v1)
        out.append({"text": ch, "fontname": fontname, "size": bottom - top, "upright": upright,
                    "x0": x0, "x1": x1, "top": top, "bottom": bottom,
                    "angle": (ADVANCE_ANGLE[along] - frame.rotation) % 360 if along in ADVANCE_ANGLE else None})
        keys.append(key)
    if any(keys[k] > keys[k + 1] for k in range(len(keys) - 1)):
        ranked = sorted(range(len(out)), key=keys.__getitem__)  # stable: pdfium's order within an object
        out = [out[k] for k in ranked]
    return out


def _style(fonts: _Fonts, tp: int, i: int, obj: int, frame: Frame) -> tuple:
    """What every character of a text object shares: font name, size, upright as pdfminer decides it,
    the direction of the advance (1/-1 along x, 2/-2 along y, 0 skewed), the matrix, the vertical
    extent in em from the descent, the font handle."""
    fontname, size, descent, (a, b, c, d), font = fonts.of(tp, i, obj)
    if abs(b) <= 1e-6 * abs(a):
        along = 1 if a > 0 else -1
    elif abs(a) <= 1e-6 * abs(b):
        along = 2 if b > 0 else -2
    else:
        along = 0
    ua, ub = frame.vector(a, b)
    uc, ud = frame.vector(c, d)
    upright = ua * ud > 0 and ub * uc <= 0
    return fontname, size, upright, along, (a, b, c, d), (descent * size, (descent + 1.0) * size), font


def _merge_mark(prev: dict, mark: str, fonts: _Fonts, font, box_of, ox: float, oy: float, style: tuple,
                tp: int, i: int, box) -> None:
    """pdfium splits a precomposed letter into letter + mark at one origin, each with a part of the
    glyph's box; pdfminer keeps the glyph whole, as wide as its advance: put it back together."""
    _, size, _, along, (a, b, c, d), (v0, v1), _ = style
    prev["text"] = unicodedata.normalize("NFC", prev["text"] + mark)
    w = fonts.width(font, prev["text"], size)
    if w is not None:
        x0, x1, top, bottom = _corners(box_of, ox, oy, a * w, b * w, c, d, v0, v1)
    else:  # the letter's and the mark's parts of the box together, along the advance
        _loose_box(tp, i, box)
        far = _corners(box_of, ox, oy, box[2] - ox, 0.0, c, d, v0, v1) if along == 1 else None
        x0, top, bottom = prev["x0"], prev["top"], prev["bottom"]
        x1 = max(prev["x1"], far[1]) if far else prev["x1"]
    prev.update(x0=x0, x1=x1, top=top, bottom=bottom, size=bottom - top)


def _corners(box, ox: float, oy: float, ax: float, ay: float, c: float, d: float, v0: float,
             v1: float) -> tuple[float, float, float, float]:
    """x0, x1, top, bottom as seen of the box from the origin along (ax, ay) and across v0..v1
    through the matrix column (c, d): pdfminer's character box (its bounding box in user space,
    which a quarter turn of the page keeps a box)."""
    xa, xb = _extent(ox, c * v0, c * v1, ax)
    ya, yb = _extent(oy, d * v0, d * v1, ay)
    return box(xa, ya, xb, yb)


def _extent(o: float, lo: float, hi: float, advance: float) -> tuple[float, float]:
    """One axis of that box: from o + lo to o + hi, stretched by the advance on its side."""
    a, b = (o + lo, o + hi) if lo <= hi else (o + hi, o + lo)
    return (a + advance, b) if advance < 0 else (a, b + advance)


def _objects(page: pdfium.PdfPage) -> Iterator[tuple[int, int, Matrix]]:
    """(handle, type, matrix to page space) of every page object, form XObjects followed, in
    content order."""
    m = R.FS_MATRIX()
    pm = C.byref(m)

    def walk(parent: int, count, get, outer: Matrix, depth: int):
        for k in range(count(parent)):
            obj = get(parent, k)
            if not obj:
                continue
            kind = _object_type(obj)
            if kind == _TEXT:
                yield obj, kind, outer
            elif kind in (_PATH, _FORM):
                own = (m.a, m.b, m.c, m.d, m.e, m.f) if _object_matrix(obj, pm) else IDENTITY
                full = _compose(own, outer)
                yield obj, kind, full
                if kind == _FORM and depth < FORM_DEPTH:
                    yield from walk(obj, _count_form_objects, _form_object, full, depth + 1)

    yield from walk(C.cast(page.raw, _VP).value, _count_objects, _page_object, IDENTITY, 0)


def _subpaths(obj: int, m: Matrix) -> Iterator[tuple[list[tuple[float, float]], bool, bool]]:
    """(points in page space, closed, straight) of each subpath of a path object."""
    x, y = C.c_float(), C.c_float()
    px, py = C.byref(x), C.byref(y)
    a, b, c, d, e, f = m
    pts: list[tuple[float, float]] = []
    closed = False
    straight = True
    for k in range(_count_segments(obj)):
        seg = _path_segment(obj, k)
        if not seg or not _segment_point(seg, px, py):
            continue
        kind = _segment_type(seg)
        if kind == _MOVETO and pts:
            yield pts, closed, straight
            pts, closed, straight = [], False, True
        pts.append((a * x.value + c * y.value + e, b * x.value + d * y.value + f))
        if kind not in (_LINETO, _MOVETO):
            straight = False  # a Bezier curve: pdfminer keeps it as a curve, not a rule
        closed = closed or bool(_segment_close(seg))
    if pts:
        yield pts, closed, straight


def _near(p: tuple[float, float], q: tuple[float, float]) -> bool:
    return abs(p[0] - q[0]) <= RULE_TOLERANCE and abs(p[1] - q[1]) <= RULE_TOLERANCE


def rule_of(pts: list[tuple[float, float]], closed: bool) -> tuple[tuple[float, float], tuple[float, float]] | None:
    """The two defining points of a line (its ends) or of an axis-aligned rectangle (opposite
    corners) that a subpath draws, None for anything else (pdfminer's line / rect / curve)."""
    if closed and not _near(pts[-1], pts[0]):
        pts = [*pts, pts[0]]
    if len(pts) > 3 and _near(pts[-2], pts[0]) and _near(pts[-1], pts[0]):
        pts = pts[:-1]  # a redundant segment back to the start before the close
    if len(pts) == 2 or (len(pts) == 3 and _near(pts[2], pts[0])):
        return pts[0], pts[1]
    if len(pts) == 5 and _near(pts[4], pts[0]):
        (x0, y0), (x1, y1), (x2, y2), (x3, y3) = pts[:4]
        t = RULE_TOLERANCE
        square = ((abs(x0 - x1) <= t and abs(y1 - y2) <= t and abs(x2 - x3) <= t and abs(y3 - y0) <= t)
                  or (abs(y0 - y1) <= t and abs(x1 - x2) <= t and abs(y2 - y3) <= t and abs(x3 - x0) <= t))
        if square:
            return pts[0], pts[2]
    return None


def read_page(page: pdfium.PdfPage,
              descents: dict[str, float] | None = None) -> tuple[list[dict], list[Segment], Frame]:
    """Characters (pdfplumber's shape) and ruling segments of one page, in the frame as seen."""
    frame = Frame.of(page)
    width, height = frame.size
    order: dict[int, int] = {}
    segments: list[Segment] = []
    for seq, (obj, kind, m) in enumerate(_objects(page)):
        if kind == _TEXT:
            order[obj] = seq
        elif kind == _PATH:
            for pts, closed, straight in _subpaths(obj, m):
                if not straight:
                    continue
                rule = rule_of(pts, closed)
                if rule is None:
                    continue
                (xa, ya), (xb, yb) = frame.point(*rule[0]), frame.point(*rule[1])
                if not (math.isfinite(xa + ya + xb + yb)):
                    continue
                # clipped to the crop box: what lies outside is not on the page as seen
                x0, x1 = max(min(xa, xb), 0.0), min(max(xa, xb), width)
                top, bottom = max(min(ya, yb), 0.0), min(max(ya, yb), height)
                if x0 <= x1 and top <= bottom:
                    segments.append(Segment(x0, top, x1, bottom))
    return page_chars(page, frame, order, descents), segments, frame
