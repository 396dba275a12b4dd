"""Render the layout corpus (tests/fixtures/layouts/docs/) from its specs (tests/fixtures/layouts/specs/*.json).

    .venv/bin/python scripts/build_layouts.py [--only ID] [--force]

One JSON spec per plan is the single source of its documents and of the expected results. Each
spec lists `renders`, every one a file in docs/:

- `docx`: a Word file (title block, prose, signature, then the Phụ lục task table in a section of
  its own: real Word table, vMerge/gridSpan merges, every header row marked `w:tblHeader`);
- `pdf`: LibreOffice headless rendering of a `docx` render (`from`) or of a DOCX built with the
  render's own page settings (appendix page orientation, column widths, font size, borders);
- `rotate`: the landscape pages of a `pdf` render turned into portrait MediaBoxes with their content
  rotated, and `/Rotate 90` or `/Rotate 270` so a viewer shows them upright, or `sideways` (no
  /Rotate: the table runs up the page, as a landscape table printed on a portrait sheet);
- `scan`: a `pdf` render printed and scanned (see ScanModel): JPEG pages, no text layer.

Idempotent: a render is rebuilt only when its spec, its settings, its source render or
RENDER_VERSION changed (docs/BUILD.json keeps a digest per file), so re-running leaves the
committed bytes alone; --force rebuilds everything. Needs LibreOffice (soffice) for the PDFs.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import math
import shutil
import sys
import tempfile
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

sys.path.insert(0, str(Path(__file__).resolve().parent))
from build_corpus import (  # noqa: E402
    add_page_number_footer,
    convert,
    landscape_section,
    new_document,
    para,
    repeat_header,
    set_cell,
)

ROOT = Path(__file__).resolve().parents[1]
LAYOUTS = ROOT / "tests" / "fixtures" / "layouts"
SPECS = LAYOUTS / "specs"
DOCS = LAYOUTS / "docs"
BUILD_LOG = DOCS / "BUILD.json"
SEAL_FONT = "/usr/share/fonts/truetype/liberation2/LiberationSans-Bold.ttf"
RENDER_VERSION = 1  # bump when a change to this script alters the documents: every render is then rebuilt


# ---------------------------------------------------------------- the spec's table as a grid
def leaf_columns(columns: list[dict]) -> list[dict]:
    """The table's real columns, left to right (group headers dissolved)."""
    out = []
    for col in columns:
        out.extend(col["columns"] if "columns" in col else [col])
    return out


def heading_text(block: dict, key: str, fmt: str) -> str:
    """A section or group heading as written in a spanning row."""
    no = block.get("no")
    return f"{no}. {block[key]}" if no and fmt == "span" else block[key]


@dataclass
class Cell:
    text: str | None = None
    bold: bool = False
    center: bool = False


@dataclass
class Grid:
    """Rows x leaf columns of cells, the rectangles to merge and how many rows are header."""
    rows: list[list[Cell]] = field(default_factory=list)
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)  # r1, c1, r2, c2 inclusive
    header_rows: int = 0


def table_grid(appendix: dict, number_row: bool | None = None) -> Grid:
    columns = appendix["columns"]
    leaves = leaf_columns(columns)
    fields = [c["field"] for c in leaves]
    n = len(leaves)
    grid = Grid()
    grouped = any("columns" in c for c in columns)
    top = [Cell(bold=True, center=True) for _ in range(n)]
    sub = [Cell(bold=True, center=True) for _ in range(n)]
    c = 0
    for col in columns:
        if "columns" in col:
            top[c].text = col["name"]
            width = len(col["columns"])
            if width > 1:
                grid.merges.append((0, c, 0, c + width - 1))
            for j, leaf in enumerate(col["columns"]):
                sub[c + j].text = leaf["name"]
            c += width
        else:
            top[c].text = col["name"]
            if grouped:
                grid.merges.append((0, c, 1, c))
            c += 1
    grid.rows.append(top)
    if grouped:
        grid.rows.append(sub)
    if appendix.get("number_row") if number_row is None else number_row:
        grid.rows.append([Cell(f"({i + 1})", center=True) for i in range(n)])
    grid.header_rows = len(grid.rows)

    def spanning(text: str, no: str | None, fmt: str) -> None:
        r = len(grid.rows)
        if fmt == "split" and no:  # numeral in the first column, heading over the rest
            grid.rows.append([Cell(no, bold=True, center=True), Cell(text, bold=True)] + [Cell() for _ in range(n - 2)])
            grid.merges.append((r, 1, r, n - 1))
        else:
            grid.rows.append([Cell(text, bold=True)] + [Cell() for _ in range(n - 1)])
            grid.merges.append((r, 0, r, n - 1))

    for block in appendix["blocks"]:
        if "section" in block:
            spanning(heading_text(block, "section", appendix.get("section_format", "span")), block.get("no"),
                     appendix.get("section_format", "span"))
        elif "group" in block:
            spanning(heading_text(block, "group", appendix.get("group_format", "span")), block.get("no"),
                     appendix.get("group_format", "span"))
        else:
            first = len(grid.rows)
            for i, row in enumerate(block["rows"]):
                cells = []
                for f in fields:
                    if f == "item_no":
                        cells.append(Cell(block["item"] if i == 0 else None, center=True))
                    elif f == "objective":
                        cells.append(Cell(block.get("objective") if i == 0 else None))
                    else:
                        v = row.get(f)
                        cells.append(Cell(None if v in ("^", "") else v))
                grid.rows.append(cells)
                r = len(grid.rows) - 1
                for j, f in enumerate(fields):  # '^': merged with the cell above
                    if row.get(f) != "^":
                        continue
                    for k, (r1, c1, r2, c2) in enumerate(grid.merges):
                        if c1 == c2 == j and r2 == r - 1:
                            grid.merges[k] = (r1, c1, r, c2)
                            break
                    else:
                        grid.merges.append((r - 1, j, r, j))
            last = len(grid.rows) - 1
            if last > first:
                for j, f in enumerate(fields):
                    if f in ("item_no", "objective"):
                        grid.merges.append((first, j, last, j))
    return grid


# ---------------------------------------------------------------- docx
def no_borders(table) -> None:
    tbl_pr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = OxmlElement(f"w:{edge}")
        el.set(qn("w:val"), "nil")
        borders.append(el)
    tbl_pr.append(borders)


def set_widths(table, widths_cm: list[float]) -> None:
    for i, w in enumerate(widths_cm):
        table.columns[i].width = Cm(w)  # LibreOffice lays out by the grid, not the cells
        for cell in table.columns[i].cells:
            cell.width = Cm(w)


def render_grid(doc: Document, grid: Grid, widths_cm: list[float], size: float, borders: bool,
                repeat: bool = True) -> None:
    table = doc.add_table(rows=len(grid.rows), cols=len(widths_cm))
    table.style = "Table Grid" if borders else None
    table.autofit = False
    if not borders:
        no_borders(table)
    set_widths(table, widths_cm)
    for r1, c1, r2, c2 in grid.merges:
        table.cell(r1, c1).merge(table.cell(r2, c2))
    covered = {(r, c) for r1, c1, r2, c2 in grid.merges for r in range(r1, r2 + 1) for c in range(c1, c2 + 1)
               if (r, c) != (r1, c1)}
    for r, row in enumerate(grid.rows):
        tr = table.rows[r]
        if r < grid.header_rows and repeat:
            repeat_header(tr)
        for c, cell in enumerate(row):
            if (r, c) in covered or cell.text is None:
                continue
            target = table.cell(r, c)
            for p in list(target.paragraphs)[1:]:
                p._p.getparent().remove(p._p)
            set_cell(target, cell.text, bold=cell.bold, size=size, center=cell.center)


def borderless_block(doc: Document, left: list[tuple[str, dict]], right: list[tuple[str, dict]],
                     widths_cm: tuple[float, float]) -> None:
    """Two side-by-side columns without rulings (title block, signature block)."""
    table = doc.add_table(rows=1, cols=2)
    table.style = None
    table.autofit = False
    no_borders(table)
    set_widths(table, list(widths_cm))
    trpr = table.rows[0]._tr.get_or_add_trPr()
    trpr.append(OxmlElement("w:cantSplit"))  # a signature block is never cut by a page end
    for cell, lines in zip(table.rows[0].cells, (left, right)):
        first = True
        for text, style in lines:
            p = cell.paragraphs[0] if first else cell.add_paragraph()
            first = False
            p.paragraph_format.space_after = Pt(0)
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER if style.get("center", True) else WD_ALIGN_PARAGRAPH.LEFT
            run = p.add_run(text)
            run.bold, run.italic = style.get("bold", False), style.get("italic", False)
            run.font.size = Pt(style.get("size", 13))


def add_title_block(doc: Document, spec: dict) -> None:
    h = spec["header"]
    issuer = [(h["issuer"][0], {"size": 12})] + [(t, {"bold": True, "size": 12}) for t in h["issuer"][1:]]
    left = issuer + [("", {}), (h["number"], {"size": 13})]
    right = [("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", {"bold": True, "size": 12}),
             ("Độc lập - Tự do - Hạnh phúc", {"bold": True, "size": 13}), ("", {}),
             (h["place_date"], {"italic": True, "size": 13})]
    borderless_block(doc, left, right, (6.5, 10.5))
    para(doc, "")
    for i, line in enumerate(spec["title"]):
        para(doc, line, bold=True, center=True, size=14 if i == 0 else 13)


def add_body(doc: Document, body: list[dict]) -> None:
    for block in body:
        if "h" in block:
            p = para(doc, block["h"], bold=True)
        elif "h2" in block:
            p = para(doc, block["h2"], bold=True, italic=False)
        else:
            p = para(doc, block["p"])
            p.paragraph_format.first_line_indent = Cm(1)
            p.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY


def add_signature(doc: Document, sig: dict) -> None:
    left = [(sig["recipients"][0], {"bold": True, "italic": True, "size": 12, "center": False})]
    left += [(t, {"size": 11, "center": False}) for t in sig["recipients"][1:]]
    right = [(t, {"bold": True, "size": 13}) for t in sig["role"]]
    right += [("", {}), ("", {}), ("", {}), (sig["name"], {"bold": True, "size": 13})]
    para(doc, "")
    borderless_block(doc, left, right, (8.5, 8.5))


def shrink(p) -> None:
    """An empty paragraph one point high."""
    fmt = p.paragraph_format
    fmt.space_before = fmt.space_after = Pt(0)
    fmt.line_spacing = Pt(1)
    ppr = p._p.get_or_add_pPr()
    rpr = OxmlElement("w:rPr")
    sz = OxmlElement("w:sz")
    sz.set(qn("w:val"), "2")
    rpr.append(sz)
    sect = ppr.find(qn("w:sectPr"))
    if sect is not None:  # the schema puts the mark's run properties before sectPr
        sect.addprevious(rpr)
    else:
        ppr.append(rpr)


def build_docx(spec: dict, render: dict, path: Path) -> Path:
    """The whole plan as Word: title block, prose, signature, then the appendix in its own section."""
    doc = new_document()
    add_page_number_footer(doc.sections[0])
    add_title_block(doc, spec)
    add_body(doc, spec["body"])
    add_signature(doc, spec["signature"])
    appendix = spec["appendix"]
    leaves = leaf_columns(appendix["columns"])
    widths = render.get("widths") or [c["width"] for c in leaves]
    if render.get("appendix_page", "landscape") == "landscape":
        sec = landscape_section(doc)
    else:
        sec = doc.add_section()
        sec.left_margin = sec.right_margin = Cm(2)
    shrink(doc.paragraphs[-1])  # the section-break paragraph: never pushed onto a page of its own
    add_page_number_footer(sec, running_head=render.get("running_head"))
    for i, line in enumerate(appendix["lines"]):
        para(doc, line, bold=i < 2, italic=i >= 2, center=True, size=13)
    grid = table_grid(appendix, render.get("number_row"))
    render_grid(doc, grid, widths, render.get("font_size", 11), render.get("borders", True),
                render.get("repeat_header", True))
    doc.core_properties.author = "cchc layout corpus"
    doc.save(path)
    return path


# ---------------------------------------------------------------- rotated pages
def rotate_pdf(src: Path, dst: Path, mode) -> Path:
    """Landscape pages become portrait MediaBoxes with their content turned a quarter; `/Rotate` (90 or
    270) makes a viewer show them upright again; 'sideways' leaves them turned (no /Rotate). A list
    gives the mode of each landscape page in turn (cycled)."""
    from pypdf import PdfReader, PdfWriter, Transformation
    from pypdf.generic import NameObject, NumberObject, RectangleObject

    modes = mode if isinstance(mode, list) else [mode]
    writer = PdfWriter(clone_from=PdfReader(str(src)))
    k = 0
    for page in writer.pages:
        w, h = float(page.mediabox.width), float(page.mediabox.height)
        if w > h:
            m = modes[k % len(modes)]
            k += 1
            if m in (90, "sideways"):  # drawn a quarter turn anticlockwise; the viewer turns it clockwise
                t = Transformation().rotate(90).translate(h, 0)
            else:
                t = Transformation().rotate(-90).translate(0, w)
            page.add_transformation(t)
            box = RectangleObject([0, 0, h, w])
            page.mediabox = box
            page.cropbox = box
            if m != "sideways":
                page[NameObject("/Rotate")] = NumberObject(m)
            page.compress_content_streams()
    writer.add_metadata({"/Producer": "cchc layout corpus"})
    with open(dst, "wb") as fh:
        writer.write(fh)
    return dst


# ---------------------------------------------------------------- scans
@dataclass
class ScanModel:
    """A printed page put on a scanner: every setting is one physical property of the result."""
    dpi: int = 200
    skew: float = 0.8  # largest turn of a page on the glass, degrees (each page draws its own)
    skew_fixed: float | None = None  # every page turned by exactly this much
    blur: float = 0.6  # Gaussian radius in pixels at the scan resolution (focus, paper lift)
    noise: float = 3.0  # sensor noise, grey levels (sigma)
    light: float = 0.08  # uneven light: the far corner darker by this fraction
    paper: tuple[int, int, int] = (244, 242, 236)  # paper colour (RGB)
    colour: bool = False  # colour JPEG; otherwise grey
    quality: int = 60  # JPEG quality
    dust: float = 0.0004  # share of pixels hit by dust specks
    seals: list[dict] = field(default_factory=list)  # {"anchor": text, "occurrence": -1, "dx_mm", "dy_mm", "text"}
    signature: bool = True  # a pen stroke where a seal is put over the signature
    pages: list[int] | None = None  # 1-based pages to scan (default all)
    seed: int = 1

    @classmethod
    def from_spec(cls, d: dict) -> ScanModel:
        d = dict(d)
        if "paper" in d:
            d["paper"] = tuple(d["paper"])
        return cls(**d)


def find_anchor(pdf_path: Path, text: str, occurrence: int) -> tuple[int, float, float, float, float]:
    """(page index, x0, top, x1, bottom) in points of the `occurrence`-th line starting with `text`."""
    import pdfplumber

    hits = []
    words = text.split()
    with pdfplumber.open(str(pdf_path)) as pdf:
        for i, page in enumerate(pdf.pages):
            ws = page.extract_words()
            for j in range(len(ws) - len(words) + 1):
                if [w["text"] for w in ws[j:j + len(words)]] == words:
                    hits.append((i, ws[j]["x0"], ws[j]["top"], ws[j + len(words) - 1]["x1"], ws[j]["bottom"]))
            page.close()
    if not hits:
        raise SystemExit(f"seal anchor {text!r} not found in {pdf_path.name}")
    return hits[occurrence]


def draw_seal(diameter_px: int, text: str, colour: tuple[int, int, int], rng):
    """A round red seal: two rings, the issuer's name around, a star in the middle; ink is uneven."""
    import numpy as np
    from PIL import Image, ImageDraw, ImageFont

    size = diameter_px
    img = Image.new("L", (size, size), 0)
    d = ImageDraw.Draw(img)
    r = size / 2
    ring = max(2, size // 40)
    d.ellipse([ring, ring, size - ring, size - ring], outline=255, width=ring)
    inner = r * 0.62
    d.ellipse([r - inner, r - inner, r + inner, r + inner], outline=255, width=max(1, ring // 2))
    font = ImageFont.truetype(SEAL_FONT, max(8, int(size * 0.095)))
    text_r = r * 0.80
    step = 360 / max(len(text), 1)
    for k, ch in enumerate(text):
        angle = -90 + k * step  # clockwise from the top
        glyph = Image.new("L", (int(size * 0.14), int(size * 0.14)), 0)
        ImageDraw.Draw(glyph).text((glyph.width / 2, glyph.height / 2), ch, fill=255, font=font, anchor="mm")
        glyph = glyph.rotate(-(angle + 90), resample=Image.BICUBIC)
        x = r + text_r * math.cos(math.radians(angle)) - glyph.width / 2
        y = r + text_r * math.sin(math.radians(angle)) - glyph.height / 2
        img.paste(255, (int(x), int(y)), glyph)
    star_r = inner * 0.45
    pts = [(r + (star_r if i % 2 == 0 else star_r * 0.4) * math.cos(math.radians(-90 + i * 36)),
            r + (star_r if i % 2 == 0 else star_r * 0.4) * math.sin(math.radians(-90 + i * 36))) for i in range(10)]
    d.polygon(pts, fill=255)
    a = np.asarray(img).astype(np.float32) / 255
    a *= np.clip(rng.normal(0.85, 0.15, a.shape), 0.3, 1.0)  # uneven ink
    alpha = Image.fromarray((a * 220).astype(np.uint8))
    rgba = Image.new("RGBA", (size, size), colour + (0,))
    rgba.putalpha(alpha)
    return rgba


def draw_signature(img, centre: tuple[float, float], width_px: int, rng) -> None:
    from PIL import ImageDraw

    d = ImageDraw.Draw(img)
    cx, cy = centre
    pts = []
    for k in range(40):
        t = k / 39
        pts.append((cx - width_px / 2 + t * width_px,
                    cy + math.sin(t * 9 + rng.uniform(0, 0.4)) * width_px * 0.08 + rng.normal(0, 1)))
    d.line(pts, fill=(30, 40, 110), width=max(2, width_px // 70))


def scan_pdf(src: Path, dst: Path, model: ScanModel) -> Path:
    import numpy as np
    import pypdfium2 as pdfium
    from PIL import Image, ImageFilter

    rng = np.random.default_rng(model.seed)
    px_per_pt = model.dpi / 72
    px_per_mm = model.dpi / 25.4
    stamps: dict[int, list] = {}
    for seal in model.seals:
        page_i, x0, top, x1, bottom = find_anchor(src, seal["anchor"], seal.get("occurrence", -1))
        cx = ((x0 + x1) / 2) * px_per_pt + seal.get("dx_mm", 0) * px_per_mm
        cy = ((top + bottom) / 2) * px_per_pt + seal.get("dy_mm", 0) * px_per_mm
        stamps.setdefault(page_i, []).append((cx, cy, seal))
    pdf = pdfium.PdfDocument(str(src))
    wanted = [p - 1 for p in model.pages] if model.pages else range(len(pdf))
    pages = []
    paper = np.array(model.paper, dtype=np.float32) / 255
    for i in wanted:
        page = pdf[i]
        img = page.render(scale=px_per_pt).to_pil().convert("RGB")
        for cx, cy, seal in stamps.get(i, []):
            if model.signature and seal.get("signature", True):
                draw_signature(img, (cx - 4 * px_per_mm, cy - 2 * px_per_mm), int(28 * px_per_mm), rng)
            diameter = int(seal.get("diameter_mm", 36) * px_per_mm)
            stamp = draw_seal(diameter, seal.get("text", ""), (200, 30, 40), rng)
            stamp = stamp.rotate(rng.uniform(-25, 25), resample=Image.BICUBIC)
            img.paste(stamp, (int(cx - diameter / 2), int(cy - diameter / 2)), stamp)
        a = np.asarray(img).astype(np.float32) / 255
        a = a * paper[None, None, :]  # ink multiplies the paper colour
        h, w = a.shape[:2]
        yy, xx = np.mgrid[0:h, 0:w]
        a *= (1 - model.light * (xx / w * 0.6 + yy / h * 0.4))[..., None]
        dust = rng.random((h, w)) < model.dust
        a[dust] *= rng.uniform(0.3, 0.7, (int(dust.sum()), 1))
        out = Image.fromarray(np.clip(a * 255, 0, 255).astype(np.uint8))
        if not model.colour:
            out = out.convert("L")
        angle = model.skew_fixed if model.skew_fixed is not None else rng.uniform(-model.skew, model.skew)
        fill = tuple(int(c) for c in model.paper) if model.colour else int(np.mean(model.paper))
        out = out.rotate(angle, resample=Image.BICUBIC, fillcolor=fill)
        if model.noise:  # sensor noise, then the optics' blur softens it as a real scan does
            n = np.asarray(out).astype(np.float32)
            n += rng.normal(0, model.noise, n.shape)
            out = Image.fromarray(np.clip(n, 0, 255).astype(np.uint8))
        if model.blur:
            out = out.filter(ImageFilter.GaussianBlur(model.blur))
        pages.append(out)
    pdf.close()
    pages[0].save(dst, "PDF", save_all=True, append_images=pages[1:], resolution=model.dpi,
                  quality=model.quality, title="scan", creationDate=None, modDate=None)
    return dst


# ---------------------------------------------------------------- driver
EXPECTATIONS = {"note", "what", "renders", "expect", "doubt", "accept_deadline", "targets", "non_targets",
                "area_code", "deadline_rule", "layouts", "expect_breaks", "province_code", "province_2025",
                "province_code_2025", "unit_prefix"}  # spec keys that say what to expect, not what to draw


def rendered_part(obj):
    """The spec without its expectations: what the documents are drawn from."""
    if isinstance(obj, dict):
        return {k: rendered_part(v) for k, v in obj.items() if k not in EXPECTATIONS}
    if isinstance(obj, list):
        return [rendered_part(v) for v in obj]
    return obj


def digest(spec: dict, render: dict, upstream: str = "") -> str:
    """What a render depends on: the drawn part of the spec, the render's settings, the digest of
    the file it is made from and RENDER_VERSION."""
    h = hashlib.sha256(str(RENDER_VERSION).encode())
    for part in (rendered_part(spec), rendered_part(render)):
        h.update(json.dumps(part, sort_keys=True, ensure_ascii=False).encode())
    h.update(upstream.encode())
    return h.hexdigest()[:16]


def check_nfc(obj, where: str = "") -> None:
    if isinstance(obj, str):
        if unicodedata.normalize("NFC", obj) != obj:
            raise SystemExit(f"spec text not NFC at {where}: {obj[:60]!r}")
    elif isinstance(obj, dict):
        for k, v in obj.items():
            check_nfc(v, f"{where}.{k}")
    elif isinstance(obj, list):
        for i, v in enumerate(obj):
            check_nfc(v, f"{where}[{i}]")


def build_render(spec: dict, render: dict, work: Path) -> Path:
    out = DOCS / render["file"]
    kind = render["kind"]
    if kind == "docx":
        build_docx(spec, render, out)
    elif kind == "pdf":
        if "from" in render:
            src = DOCS / render["from"]
        else:
            src = build_docx(spec, render, work / f"{Path(render['file']).stem}.docx")
        pdf = convert(src, work, "pdf")
        shutil.move(pdf, out)
    elif kind == "rotate":
        rotate_pdf(DOCS / render["from"], out, render["rotate"])
    elif kind == "scan":
        scan_pdf(DOCS / render["from"], out, ScanModel.from_spec(render["scan"]))
    else:
        raise SystemExit(f"unknown render kind {kind!r} in {spec['id']}")
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--only", help="build only this spec id")
    ap.add_argument("--force", action="store_true", help="rebuild even when nothing changed")
    args = ap.parse_args()
    DOCS.mkdir(parents=True, exist_ok=True)
    log = json.loads(BUILD_LOG.read_text("utf-8")) if BUILD_LOG.exists() else {}
    for spec_path in sorted(SPECS.glob("*.json")):
        spec = json.loads(spec_path.read_text("utf-8"))
        check_nfc(spec, spec["id"])
        if args.only and spec["id"] != args.only:
            continue
        with tempfile.TemporaryDirectory() as tmp:
            for render in spec["renders"]:
                upstream = log.get(render.get("from", ""), "")
                key = digest(spec, render, upstream)
                out = DOCS / render["file"]
                if not args.force and log.get(render["file"]) == key and out.exists():
                    print(f"unchanged {render['file']}")
                    continue
                build_render(spec, render, Path(tmp))
                log[render["file"]] = key
                print(f"wrote {out.relative_to(ROOT)} ({out.stat().st_size // 1024} KB)")
    BUILD_LOG.write_text(json.dumps(log, indent=1, sort_keys=True) + "\n", "utf-8")


if __name__ == "__main__":
    main()
