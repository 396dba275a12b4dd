"""Scanned-table accuracy and speed: pages of text-layer PDFs rendered, degraded as offices publish
them, read through the OCR path; each cell compared with the text layer's own cell of that page.

    .venv/bin/python bench/scans.py [PDF ...] [--pages N] [--only NAME] [--engines a,b]

Prints, per degradation and engine, the share of table cells read exactly (after folding spaces),
the share equal once accents are ignored (what a diacritic fix could still win) and seconds per
page on one core. Without PDFs, the corpus's ruled-table PDFs in data/raw are used.
"""
from __future__ import annotations

import argparse
import io
import os
import sys
import time
from dataclasses import dataclass
from pathlib import Path

os.environ.setdefault("OMP_THREAD_LIMIT", "1")

import numpy as np  # noqa: E402
from PIL import Image, ImageDraw, ImageFilter  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from normalizers.text import fold_spaces, match_key  # noqa: E402

DEFAULT_PDFS = [ROOT / "data/raw/dongnai_2024_phuluc_nhiemvu_cchc.pdf",
                ROOT / "data/raw/phancong_bochiso_cchc_2024.pdf"]


@dataclass(frozen=True)
class Degradation:
    dpi: int
    skew: float = 0.0  # largest turn, degrees (each page draws its own)
    blur: float = 0.0
    noise: float = 0.0  # grey-level standard deviation
    jpeg: int | None = None
    colour: bool = False  # tinted paper, uneven light
    seal: bool = False  # a red seal over the table
    turn: int = 0  # quarter turn of the whole page


DEGRADATIONS = {
    "clean 300": Degradation(300),
    "clean 200": Degradation(200),
    "office 200 (blur, skew 0.8, JPEG 60)": Degradation(200, skew=0.8, blur=0.6, noise=4, jpeg=60),
    "office 150 colour seal skew 1.2 JPEG 50": Degradation(150, skew=1.2, blur=0.5, noise=5, jpeg=50, colour=True,
                                                           seal=True),
    "noisy 300 skew 2": Degradation(300, skew=2.0, blur=0.8, noise=10, jpeg=70),
    "turned 90, 200": Degradation(200, skew=0.5, jpeg=70, turn=90),
    "turned 180, 200": Degradation(200, skew=0.5, jpeg=70, turn=180),
}


def seal(img: Image.Image, rng: np.random.Generator) -> Image.Image:
    """A red round seal (rings, star, lettering strokes) multiplied over a random spot of the page."""
    w, h = img.size
    r = int(min(w, h) * rng.uniform(0.09, 0.12))
    cx, cy = int(rng.uniform(0.3, 0.8) * w), int(rng.uniform(0.3, 0.8) * h)
    layer = Image.new("RGB", img.size, (255, 255, 255))
    d = ImageDraw.Draw(layer)
    red = (205, 40, 45)
    d.ellipse([cx - r, cy - r, cx + r, cy + r], outline=red, width=max(3, r // 18))
    d.ellipse([cx - r * 0.72, cy - r * 0.72, cx + r * 0.72, cy + r * 0.72], outline=red, width=max(2, r // 30))
    for k in range(40):  # lettering between the rings: short strokes
        a = k / 40 * 2 * np.pi
        p0 = (cx + 0.8 * r * np.cos(a), cy + 0.8 * r * np.sin(a))
        p1 = (cx + 0.92 * r * np.cos(a + 0.05), cy + 0.92 * r * np.sin(a + 0.05))
        d.line([p0, p1], fill=red, width=max(2, r // 40))
    star = [(cx + (0.3 if i % 2 == 0 else 0.12) * r * np.cos(np.pi / 2 + i * np.pi / 5),
             cy - (0.3 if i % 2 == 0 else 0.12) * r * np.sin(np.pi / 2 + i * np.pi / 5)) for i in range(10)]
    d.polygon(star, fill=red)
    a = np.asarray(img).astype(np.float32) * np.asarray(layer).astype(np.float32) / 255
    return Image.fromarray(a.astype(np.uint8))


def degrade(page, spec: Degradation, rng: np.random.Generator) -> np.ndarray:
    img = page.render(scale=spec.dpi / 72).to_pil().convert("RGB")
    if spec.seal:
        img = seal(img, rng)
    if spec.colour:
        a = np.asarray(img).astype(np.float32)
        h, w = a.shape[:2]
        light = 0.78 + 0.22 * np.outer(np.linspace(1, 0.7, h), np.linspace(0.8, 1, w))  # darker corner
        tint = np.array([1.0, 0.96, 0.86])  # yellowish paper
        a = 255 - (255 - a) * 0.9  # ink not quite black
        img = Image.fromarray(np.clip(a * tint * light[..., None], 0, 255).astype(np.uint8))
    if spec.skew:
        img = img.rotate(rng.uniform(-spec.skew, spec.skew), resample=Image.BICUBIC, fillcolor=(255, 255, 255))
    if spec.blur:
        img = img.filter(ImageFilter.GaussianBlur(spec.blur))
    if spec.noise:
        a = np.asarray(img).astype(np.float32) + rng.normal(0, spec.noise, (img.height, img.width, 1))
        img = Image.fromarray(np.clip(a, 0, 255).astype(np.uint8))
    if not spec.colour:
        img = img.convert("L")
    if spec.turn:
        img = img.rotate(-spec.turn, expand=True)
    if spec.jpeg:
        buf = io.BytesIO()
        img.save(buf, "JPEG", quality=spec.jpeg)
        img = Image.open(io.BytesIO(buf.getvalue()))
    return np.asarray(img)


def reference_cells(path: Path, only: set[int] | None = None) -> dict[int, list]:
    """Text-layer cells of each page (1-based; only those of `only` if given), from the project's own
    ruled-table reader."""
    import pdfplumber

    from extractors.pdf import ruled_tables
    out: dict[int, list] = {}
    with pdfplumber.open(path) as pdf:
        for number, page in enumerate(pdf.pages, start=1):
            if only is not None and number not in only:
                continue
            cells = [c for t in ruled_tables(page, number) for c in t.cells if c.bbox]
            if cells:
                out[number] = cells
            page.close()
    return out


def compare(ref: list, got: list) -> tuple[int, int, int, list[tuple[str, str]]]:
    """(cells, exact, equal without accents, misreads): each reference cell against the read cell at its centre."""
    exact = loose = 0
    wrong = []
    for c in ref:
        x0, t, x1, b = c.bbox
        cx, cy = (x0 + x1) / 2, (t + b) / 2
        hit = next((g for g in got if g.bbox[0] <= cx <= g.bbox[2] and g.bbox[1] <= cy <= g.bbox[3]), None)
        a, o = fold_spaces(c.text), fold_spaces(hit.text if hit else "")
        if a == o:
            exact += 1
        else:
            wrong.append((a, o))
        if match_key(a) == match_key(o):
            loose += 1
    return len(ref), exact, loose, wrong


def engines(names: list[str]):
    from extractors import ocr, ocr_image

    def as_today(img, scale):  # grey, as rendered for OCR before: a 150 dpi page enlarged to 200 dpi
        gray = Image.fromarray(img).convert("L")
        if scale < ocr.OCR_DPI / 72:
            f = ocr.OCR_DPI / 72 / scale
            gray, scale = gray.resize((round(gray.width * f), round(gray.height * f)), Image.BICUBIC), ocr.OCR_DPI / 72
        return ocr.ocr_page(np.asarray(gray), scale)

    def prepared(img, scale):
        return ocr.ocr_page(ocr_image.prepare(img, scale).gray, scale)

    def corrected(img, scale):
        return ocr.read_scan(img, scale)  # what the pipeline runs

    table = {"tesseract": as_today, "tesseract+prep": prepared, "tesseract+prep+correct": corrected}
    return {n: table[n] for n in names}


VNCV_NOTE = ("vncv 0.1.8 (VietOCR-style ONNX): not runnable offline — its Vietnamese recognition models are not in "
             "the wheel and are downloaded at first use (its in-wheel recogniser reads ASCII only); licence "
             "LicenseRef-DevHubSolutions restricts use; not a dependency")


def vncv_problem() -> str | None:
    """None when vncv can read a page here without fetching anything, else why not."""
    try:
        import vncv.ocr  # noqa: F401
    except Exception:
        return VNCV_NOTE
    from importlib import resources
    weights = resources.files("vncv") / "weights"
    if not all((weights / f).is_file() for f in ("model_encoder.onnx", "model_decoder.onnx", "vocab.json")):
        return VNCV_NOTE
    return None


def engine_speed(path: Path, pages: int) -> dict:
    """CPU seconds per page on one core (OMP_THREAD_LIMIT=1) of each engine over a scanned PDF's pages."""
    import pypdfium2 as pdfium

    from extractors import ocr
    out: dict = {}
    pdf = pdfium.PdfDocument(str(path))
    images = [ocr.render_page(pdf, i) for i in range(min(pages, len(pdf)))]
    pdf.close()
    for name, run in engines(["tesseract", "tesseract+prep+correct"]).items():
        run(images[0], ocr.OCR_DPI / 72)  # engines and models loaded once per worker: not per page
        t0 = time.process_time()
        for img in images:
            run(img, ocr.OCR_DPI / 72)
        out[name] = (time.process_time() - t0) / len(images)
    out["vncv"] = vncv_problem()
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("pdfs", nargs="*", type=Path)
    ap.add_argument("--pages", type=int, default=3, help="table pages per PDF")
    ap.add_argument("--only", default="", help="degradations whose name contains this")
    ap.add_argument("--engines", default="tesseract,tesseract+prep,tesseract+prep+correct")
    ap.add_argument("--show", type=int, default=0, help="print this many misreads per line")
    ap.add_argument("--speed", type=Path, help="only print engine_speed of this scanned PDF as JSON")
    args = ap.parse_args()
    if args.speed:
        import json
        print(json.dumps(engine_speed(args.speed, args.pages)))
        return
    import pypdfium2 as pdfium
    pdfs = args.pdfs or DEFAULT_PDFS
    refs = {p: reference_cells(p) for p in pdfs}
    runners = engines(args.engines.split(","))
    print(f"{'degradation':42} {'engine':24} {'cells':>6} {'exact':>7} {'no-accent':>9} {'s/page':>7}")
    for name, spec in DEGRADATIONS.items():
        if args.only not in name:
            continue
        for engine, run in runners.items():
            total = exact = loose = 0
            seconds, pages, wrong = 0.0, 0, []
            for path in pdfs:
                rng = np.random.default_rng(17)
                pdf = pdfium.PdfDocument(str(path))
                for number in sorted(refs[path])[:args.pages]:
                    img = degrade(pdf[number - 1], spec, rng)
                    t0 = time.process_time()
                    page = run(img, spec.dpi / 72)
                    seconds += time.process_time() - t0
                    pages += 1
                    n, e, lo, w = compare(refs[path][number], [c for t in page.tables for c in t.cells])
                    total, exact, loose = total + n, exact + e, loose + lo
                    wrong += w
                pdf.close()
            print(f"{name:42} {engine:24} {total:6d} {exact / total:7.1%} {loose / total:9.1%} "
                  f"{seconds / max(pages, 1):7.2f}", flush=True)
            for a, o in wrong[:args.show]:
                print(f"    {a[:70]!r}\n -> {o[:70]!r}")


if __name__ == "__main__":
    main()
