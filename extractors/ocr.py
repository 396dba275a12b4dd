"""Scanned pages through Tesseract: the grid from the page's ruling lines, each cell read on its own.

A scanned appendix is a picture of a ruled table, and OCR of the whole page reads across the
columns and loses short cells ("1.1"). So the grid comes first: the page is deskewed on its long
horizontal rules, horizontal and vertical ink runs are found by morphology and turned into
pdfplumber-style edges, and pdfplumber's own edge -> intersection -> cell -> table functions
give the cells (merged cells included). The rules are erased and Tesseract (`vie`, in process
through tesserocr) reads every cell on its own; the rest of the page is read as lines. The table
model is the same as for text PDFs, with a mean word confidence per cell.
"""
from __future__ import annotations

import glob
import os
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from .model import Table, TextLine
from .ruled import table_of_boxes

OCR_DPI = 200  # as accurate as 300 dpi on these documents and ~2x faster (PITFALLS.md)
LANG = "vie"
LOW_CONFIDENCE = 60.0  # a cell read below this mean word confidence puts its row up for review
INK_CONTRAST = 60  # grey levels between a region's paper and its darkest ink for it to hold text
NOISE_CONFIDENCE = 40  # a word with no letter or digit read below this is a speck, not text
INSTALL_HINT = "install the Debian packages tesseract-ocr and tesseract-ocr-vie (make sysdeps does it)"


@dataclass
class OcrPage:
    lines: list[str]
    tables: list[Table]  # cells with their confidence, boxes in points
    mean_confidence: float | None
    failed: str | None = None  # why the engine could not read the page
    corrected_words: int = 0  # words whose marks the correction pass chose from their context


def tessdata_dirs() -> list[str]:
    """Where a vie.traineddata may be: $TESSDATA_PREFIX, then Debian's and the usual install folders."""
    found = [os.environ.get("TESSDATA_PREFIX", "")]
    found += sorted(glob.glob("/usr/share/tesseract-ocr/*/tessdata"), reverse=True)
    found += ["/usr/share/tessdata", "/usr/local/share/tessdata"]
    return [d for d in found if d and os.path.isfile(os.path.join(d, f"{LANG}.traineddata"))]


@lru_cache(maxsize=1)
def tesseract_problem() -> str | None:
    """None when Tesseract with the Vietnamese model can run, else what to install."""
    try:
        import tesserocr  # noqa: F401  (the engine itself ships in the wheel)
    except ImportError as exc:
        return f"the Python package tesserocr cannot be loaded ({exc}): pip install -e . (cchc depends on it)"
    if not tessdata_dirs():
        return f"the Vietnamese Tesseract model ({LANG}.traineddata) is missing: {INSTALL_HINT}"
    return None


@lru_cache(maxsize=1)
def _engine():
    """One Tesseract per worker process: creating it loads the model (~0.3 s)."""
    import tesserocr
    return tesserocr.PyTessBaseAPI(path=tessdata_dirs()[0], lang=LANG, psm=tesserocr.PSM.SINGLE_BLOCK)


@lru_cache(maxsize=1)
def osd_engine():
    """Tesseract's orientation and script detector (osd.traineddata, shipped with tesseract-ocr)."""
    import tesserocr
    dirs = [d for d in tessdata_dirs() if os.path.isfile(os.path.join(d, "osd.traineddata"))]
    if not dirs:
        raise RuntimeError("osd.traineddata is missing")
    return tesserocr.PyTessBaseAPI(path=dirs[0], lang="osd", psm=tesserocr.PSM.OSD_ONLY)


def render_page(pdf, index: int, dpi: int = OCR_DPI) -> np.ndarray:
    """RGB image of one page of an open pypdfium2 document (colour kept: red stamps are told by it)."""
    page = pdf[index]
    try:
        return np.asarray(page.render(scale=dpi / 72).to_pil().convert("RGB"))
    finally:
        page.close()


def read_scan(image: np.ndarray, scale: float = OCR_DPI / 72) -> OcrPage:
    """A page image as it comes (colour or grey, stamped, tilted, turned) prepared, read and corrected."""
    from normalizers.ocr_correct import correct_text

    from .ocr_image import prepare
    if scale < OCR_DPI / 72 - 1e-6:  # a 150 dpi image: measured, vie reads its cells better enlarged to 200
        import cv2
        f = OCR_DPI / 72 / scale
        image, scale = cv2.resize(image, None, fx=f, fy=f, interpolation=cv2.INTER_CUBIC), OCR_DPI / 72
    page = ocr_page(prepare(image, scale).gray, scale)
    before = [c.text for t in page.tables for c in t.cells] + page.lines
    for table in page.tables:
        table.map_text(correct_text)
    page.lines = [correct_text(t) for t in page.lines]
    after = [c.text for t in page.tables for c in t.cells] + page.lines
    page.corrected_words = sum(_words_changed(a, b) for a, b in zip(before, after))
    return page


def _words_changed(a: str, b: str) -> int:
    return 0 if a == b else sum(1 for x, y in zip(a.split(), b.split()) if x != y)


def _ink(gray: np.ndarray) -> np.ndarray:
    import cv2
    # adaptive: a scan's paper tone drifts across the page
    return cv2.adaptiveThreshold(gray, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, 25, 15)


def _rule_masks(ink: np.ndarray, fraction: int) -> tuple[np.ndarray, np.ndarray]:
    """Horizontal and vertical ink runs longer than 1/fraction of the page (rules, not letters)."""
    import cv2
    h, w = ink.shape
    wide = cv2.getStructuringElement(cv2.MORPH_RECT, (max(20, w // fraction), 1))
    tall = cv2.getStructuringElement(cv2.MORPH_RECT, (1, max(20, h // fraction)))
    return cv2.morphologyEx(ink, cv2.MORPH_OPEN, wide), cv2.morphologyEx(ink, cv2.MORPH_OPEN, tall)


def skew_of(gray: np.ndarray) -> float:
    """The page's rotation in degrees, from the slope of its long horizontal rules (0 without rules)."""
    import cv2
    horizontal, _ = _rule_masks(_ink(gray), 60)
    n, labels, stats, _ = cv2.connectedComponentsWithStats(horizontal)
    angles, weights = [], []
    for i in range(1, n):
        x, y, w, h, _area = stats[i]
        if w < gray.shape[1] // 8:
            continue
        ys, xs = np.nonzero(labels[y:y + h, x:x + w] == i)
        angles.append(np.degrees(np.arctan(np.polyfit(xs, ys, 1)[0])))
        weights.append(w)
    return float(np.average(angles, weights=weights)) if angles else 0.0


def deskew(gray: np.ndarray) -> tuple[np.ndarray, float]:
    import cv2
    angle = skew_of(gray)
    if abs(angle) < 0.05 or abs(angle) > 10:  # straight already, or not a rule we trust
        return gray, 0.0
    h, w = gray.shape
    matrix = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    return cv2.warpAffine(gray, matrix, (w, h), flags=cv2.INTER_CUBIC, borderValue=255), angle


def _segments(mask: np.ndarray, orientation: str) -> list[dict]:
    """Ink runs of a rule mask as pdfplumber edges (pixel units)."""
    import cv2
    n, _labels, stats, _ = cv2.connectedComponentsWithStats(mask)
    edges = []
    for i in range(1, n):
        x, y, w, h, _area = (int(v) for v in stats[i])
        if orientation == "h":
            mid = y + h / 2
            edges.append({"x0": x, "x1": x + w, "top": mid, "bottom": mid, "width": w, "orientation": "h"})
        else:
            mid = x + w / 2
            edges.append({"x0": mid, "x1": mid, "top": y, "bottom": y + h, "height": h, "orientation": "v"})
    return edges


def find_grids(gray: np.ndarray) -> tuple[list[list[tuple[float, float, float, float]]], np.ndarray]:
    """Cell boxes of each ruled table on the page, and the mask of the rules (to erase before OCR)."""
    import cv2
    from pdfplumber.table import cells_to_tables, edges_to_intersections, intersections_to_cells, merge_edges

    horizontal, vertical = _rule_masks(_ink(gray), 40)
    tol = max(3, round(gray.shape[1] / 300))  # ~3 pt at any dpi, as for text PDFs
    edges = merge_edges(_segments(horizontal, "h") + _segments(vertical, "v"), tol, tol, tol, tol)
    cells = intersections_to_cells(edges_to_intersections(edges, tol, tol))
    tables = [t for t in cells_to_tables(cells) if len(t) >= 4]
    rules = cv2.dilate(horizontal | vertical, np.ones((9, 9), np.uint8))
    return tables, rules


def _binary(gray: np.ndarray) -> np.ndarray:
    import cv2
    return cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)[1]


def _stretch(gray: np.ndarray) -> np.ndarray:
    """Paper to white, ink to black, greys kept (a scan's paper is grey and its ink is not black)."""
    lo, hi = np.percentile(gray, 1), np.percentile(gray, 60)
    if hi - lo < 30:
        return gray
    return np.clip((gray.astype(np.float32) - lo) * 255.0 / (hi - lo), 0, 255).astype(np.uint8)


def _despeck(gray: np.ndarray) -> np.ndarray:
    """Dust of three pixels or fewer turned white; a full stop at 200 dpi is larger."""
    import cv2
    ink = 255 - _binary(gray)
    n, labels, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    small = np.nonzero(stats[:, 4] <= 3)[0]
    out = gray.copy()
    out[np.isin(labels, small[small > 0])] = 255
    return out


def _has_ink(region: np.ndarray) -> bool:
    """Some ink bigger than a scanner speck (a full stop survives a 2x2 opening, a dust pixel does not)."""
    import cv2
    ink = cv2.morphologyEx(255 - _binary(region), cv2.MORPH_OPEN, np.ones((2, 2), np.uint8))
    # darker than its own paper by a margin (not an absolute level: a faded scan's paper is made white)
    return int(np.count_nonzero(ink)) >= 12 and int(np.percentile(region, 90)) - int(region.min()) >= INK_CONTRAST


def read_region(region: np.ndarray) -> tuple[str, float | None]:
    """Text (lines kept) and mean confidence of one image region, read on its own."""
    import cv2
    from PIL import Image

    if region.size == 0 or not _has_ink(region):
        return "", None
    api = _engine()
    # Otsu per region (each cell gets the threshold of its own ink and paper), read twice and the
    # more confident kept: Otsu keeps small digits and points ("1.5") whole; the despeckled grey
    # keeps the dots under letters (ệ, ộ, ự) that thresholding loses.
    variants = [_binary(region), _despeck(_stretch(region))]
    text, conf = "", None
    for img in variants:
        api.SetImage(Image.fromarray(cv2.copyMakeBorder(img, 20, 20, 20, 20, cv2.BORDER_CONSTANT, value=255)))
        t = "\n".join(ln.strip() for ln in api.GetUTF8Text().splitlines() if ln.strip())
        c = float(api.MeanTextConf()) if t else None
        if t and (conf is None or (c or 0) > conf):
            text, conf = t, c
    if text and conf is not None and conf < NOISE_CONFIDENCE and not any(ch.isalnum() for ch in text):
        return "", None  # specks read as punctuation
    return text, conf


def table_cells(cells: list[tuple[float, float, float, float]], clean: np.ndarray, scale: float = 1.0,
                page: int | None = None) -> Table:
    """The table of one grid, each cell read on its own, with its confidence; boxes in points
    (pixels / scale)."""
    inset = max(3, clean.shape[1] // 600)  # stay clear of what is left of the rules
    texts, confs = [], []
    for box in cells:
        x0, top, x1, bottom = (int(round(v)) for v in box)
        text, conf = read_region(clean[top + inset:bottom - inset, x0 + inset:x1 - inset])
        texts.append(text)
        confs.append(conf)
    boxes = [tuple(v / scale for v in box) for box in cells]
    return table_of_boxes(boxes, texts, page=page, extractor="tesseract", confidence=confs)


def ocr_page(gray: np.ndarray, scale: float = OCR_DPI / 72) -> OcrPage:
    """Tables cell by cell; the rest of the page (titles, prose) as one block of lines."""
    gray, _angle = deskew(gray)
    grids, rules = find_grids(gray)
    if not grids:  # no ruling lines: a borderless table is read by its columns of white
        from .ocr_columns import borderless_grids
        grids = borderless_grids(gray)
    clean = gray.copy()
    clean[rules > 0] = 255  # rules read as | and _ and split words otherwise
    tables = [table_cells(cells, clean, scale) for cells in grids]
    outside = clean.copy()
    placed: list[tuple[float, str]] = []
    for cells, table in zip(grids, tables):
        rows = table.rows
        x0, top = min(c[0] for c in cells), min(c[1] for c in cells)
        x1, bottom = max(c[2] for c in cells), max(c[3] for c in cells)
        outside[int(top):int(bottom) + 1, int(x0):int(x1) + 1] = 255
        for row_top, row in zip([(t or 0.0) * scale for t in table.row_tops], rows):
            text = " ".join(c.replace("\n", " ") for c in row if c)
            if text:
                placed.append((row_top, text))
    lines = read_lines(outside)
    placed += [(top, text) for top, text, _c in lines]
    confs = [c.confidence for t in tables for c in t.cells if c.confidence is not None] + [c for *_t, c in lines]
    placed.sort(key=lambda t: t[0])
    return OcrPage([t for _y, t in placed], tables, float(np.mean(confs)) if confs else None)


def read_lines(gray: np.ndarray) -> list[tuple[float, str, float]]:
    """(top, text, confidence) of each text line of a page region, with Tesseract's own layout."""
    import tesserocr
    from PIL import Image

    if not _has_ink(gray):
        return []
    api = _engine()
    api.SetPageSegMode(tesserocr.PSM.AUTO)
    try:
        api.SetImage(Image.fromarray(_binary(gray)))
        api.Recognize()
        out = []
        it = api.GetIterator()
        level = tesserocr.RIL.TEXTLINE
        while it is not None:
            try:
                text = (it.GetUTF8Text(level) or "").strip()
            except RuntimeError:  # tesserocr raises on an empty line instead of returning ""
                text = ""
            conf = it.Confidence(level)
            box = it.BoundingBox(level)
            if text and (conf >= NOISE_CONFIDENCE or any(ch.isalnum() for ch in text)):
                out.append((float(box[1]) if box else 0.0, " ".join(text.split()), float(conf)))
            if not it.Next(level):
                break
        return out
    finally:
        api.SetPageSegMode(tesserocr.PSM.SINGLE_BLOCK)


def ocr_pdf_pages(path, pages: list[int], password: str | None = None):
    """OCR the given 1-based pages (the caller has checked tesseract_problem()): yields (page number, OcrPage)."""
    import pypdfium2 as pdfium

    os.environ.setdefault("OMP_THREAD_LIMIT", "1")  # several times slower on 2 cores otherwise
    pdf = pdfium.PdfDocument(str(path), password=password or None)
    try:
        for number in pages:
            try:
                yield number, read_scan(render_page(pdf, number - 1))
            except RuntimeError as exc:  # the engine gave up on this page; the others still count
                yield number, OcrPage([], [], None, failed=f"{exc}")
    finally:
        pdf.close()


def add_ocr_pages(doc, path, pages: list[int], password: str | None) -> None:
    """Fill doc with the OCR'd pages' lines and tables, in page order with what it has."""
    means: list[float] = []
    failed: list[int] = []
    corrected = 0
    for number, page in ocr_pdf_pages(path, pages, password):
        corrected += page.corrected_words
        if page.failed:
            failed.append(number)
        doc.lines.extend(TextLine(t, number) for t in page.lines)
        for table in page.tables:
            for c in table.cells:
                c.page = number
            table.row_pages = [number] * table.n_rows
            table.page_bottoms = {number: max(table.page_bottoms.values())} if table.page_bottoms else {}
            doc.tables.append(table)
        if page.mean_confidence is not None:
            means.append(page.mean_confidence)
    doc.lines.sort(key=lambda ln: ln.page or 0)  # stable: each page keeps its own order
    doc.tables.sort(key=lambda t: t.row_pages[0] if t.row_pages else 0)
    for i, t in enumerate(doc.tables):
        t.index = i
    if failed:
        doc.warnings.append(("ocr_failed", f"Tesseract could not read {_pages(failed)}: their content is "
                             "missing; check the scan (rotation, resolution) and run again"))
    doc.source_format = "pdf-ocr"
    mean = f"{np.mean(means):.0f}%" if means else "n/a"
    doc.warnings.append(("ocr_pages", f"{_pages(pages)} read by OCR (mean word confidence {mean}): "
                         f"rows with cells read below {LOW_CONFIDENCE:.0f}% are flagged needs_review; "
                         f"{corrected} words had their accents chosen from context (a correction pass "
                         "over Vietnamese syllables): compare doubtful cells with the scan"))


def _pages(pages: list[int]) -> str:
    """'page 3 was' / 'pages 1-10 were'."""
    return f"page {pages[0]} was" if len(pages) == 1 else f"pages {page_ranges(pages)} were"


def page_ranges(pages: list[int]) -> str:
    """[1, 2, 3, 7] -> '1-3, 7'."""
    out, start = [], None
    for i, p in enumerate(pages):
        if start is None:
            start = p
        if i + 1 == len(pages) or pages[i + 1] != p + 1:
            out.append(f"{start}" if start == p else f"{start}-{p}")
            start = None
    return ", ".join(out)
