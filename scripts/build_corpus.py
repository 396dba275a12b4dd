"""Build the sample corpus in data/raw/ from the seed texts and the hand-checked tables.

    python scripts/build_corpus.py [--out data/raw] [--keep-docx]

The seed documents were PDF and Word files; only their extracted text survives. This
script rebuilds faithful originals: real Word tables (vertically merged Mục tiêu/STT
cells, section rows spanning all columns, a header row that repeats on every page,
bullet lines inside cells, rows allowed to break across pages) in an A4 landscape
appendix, prose as paragraphs, and renders the PDFs through LibreOffice headless; then a
scan of the Đồng Nai appendix (no text layer) and the Hà Tĩnh plan as a Word 97 .doc.
Table contents come from tests/fixtures/expected/*.json (transcribed by reading the
seeds); prose comes from the seed text itself, with its legacy-glyph damage kept.
"""
from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures" / "expected"
SEEDS = ROOT / "data" / "raw" / "txt"
FONT = "Times New Roman"  # rendered with its metric twin Liberation Serif, full Vietnamese glyphs


# ---------------------------------------------------------------- docx helpers
def new_document() -> Document:
    doc = Document()
    style = doc.styles["Normal"]
    style.font.name = FONT
    style.font.size = Pt(13)
    style.element.rPr.rFonts.set(qn("w:eastAsia"), FONT)
    style.paragraph_format.space_after = Pt(3)
    sec = doc.sections[0]
    sec.page_width, sec.page_height = Cm(21), Cm(29.7)
    sec.left_margin = sec.right_margin = Cm(2)
    sec.top_margin = sec.bottom_margin = Cm(2)
    return doc


def landscape_section(doc: Document, new: bool = True):
    sec = doc.add_section() if new else doc.sections[-1]
    sec.orientation = WD_ORIENT.LANDSCAPE
    sec.page_width, sec.page_height = Cm(29.7), Cm(21)
    sec.left_margin = sec.right_margin = Cm(1.5)
    sec.top_margin = sec.bottom_margin = Cm(1.5)
    return sec


def add_page_number_footer(section, running_head: str | None = None) -> None:
    """Page number in the footer and an optional running head: page furniture to ignore."""
    section.footer.is_linked_to_previous = False
    p = section.footer.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = p.add_run()
    for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if kind:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
        else:
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = text
        run._r.append(el)
    if running_head:
        section.header.is_linked_to_previous = False
        h = section.header.paragraphs[0]
        h.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        h.add_run(running_head).italic = True


def para(doc_or_cell, text: str, bold: bool = False, center: bool = False, size: float | None = None,
         italic: bool = False):
    p = doc_or_cell.add_paragraph()
    run = p.add_run(text)
    run.bold, run.italic = bold, italic
    if size:
        run.font.size = Pt(size)
    if center:
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    return p


def set_cell(cell, text: str | None, bold: bool = False, size: float = 11, center: bool = False) -> None:
    """Write a cell; each line of the text is its own paragraph (bullets stay separate lines)."""
    lines = (text or "").split("\n")
    first = cell.paragraphs[0]
    for i, line in enumerate(lines):
        p = first if i == 0 else cell.add_paragraph()
        p.paragraph_format.space_after = Pt(0)
        if center:
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = p.add_run(line)
        run.bold = bold
        run.font.size = Pt(size)


def repeat_header(row) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    tr_pr.append(el)


def make_table(doc: Document, columns: list[str], widths_cm: list[float]):
    table = doc.add_table(rows=1, cols=len(columns))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for i, (cell, name, w) in enumerate(zip(table.rows[0].cells, columns, widths_cm)):
        set_cell(cell, name, bold=True, center=True)
        cell.width = Cm(w)
        table.columns[i].width = Cm(w)  # LibreOffice lays out by the grid, not the cells
    repeat_header(table.rows[0])
    return table


def add_row(table, values: list[str | None], widths_cm: list[float], size: float = 11):
    row = table.add_row()
    for cell, value, w in zip(row.cells, values, widths_cm):
        cell.width = Cm(w)
        if value is not None:
            set_cell(cell, value, size=size)
    return row


def add_spanning_row(table, text: str, widths_cm: list[float], bold: bool = True):
    row = table.add_row()
    for cell, w in zip(row.cells, widths_cm):
        cell.width = Cm(w)
    merged = row.cells[0].merge(row.cells[-1])
    set_cell(merged, text, bold=bold)
    return row


def merge_down(table, col: int, first_row: int, last_row: int, text: str | None) -> None:
    """Vertically merge a column over rows first..last and write the text once."""
    top = table.cell(first_row, col)
    if last_row > first_row:
        top = top.merge(table.cell(last_row, col))
        for p in list(top.paragraphs)[1:]:
            p._p.getparent().remove(p._p)
        top.paragraphs[0].text = ""
    set_cell(top, text)


# ---------------------------------------------------------------- appendix tables
def build_task_table(doc: Document, spec: dict, widths_cm: list[float], size: float = 11) -> None:
    """Appendix table from a fixture: STT and Mục tiêu merged over each item's task rows;
    a task cell given as '^' is merged with the one above."""
    table = make_table(doc, spec["columns"], widths_cm)
    for block in spec["blocks"]:
        if "section" in block:
            add_spanning_row(table, block["section"], widths_cm)
        elif "group" in block:
            add_spanning_row(table, block["group"], widths_cm)
        else:
            first = len(table.rows)
            for values in block["rows"]:
                add_row(table, [None, None] + [None if v == "^" else v for v in values], widths_cm, size)
            last = len(table.rows) - 1
            merge_down(table, 0, first, last, block["item"])
            merge_down(table, 1, first, last, block["objective"])
            for offset, values in enumerate(block["rows"]):
                for col, v in enumerate(values):
                    if v == "^":  # merged with the previous row's cell
                        start = first + offset - 1
                        text = block["rows"][offset - 1][col]
                        merge_down(table, col + 2, start, first + offset, text)


def build_assignment_table(doc: Document, spec: dict, widths_cm: list[float]) -> None:
    table = make_table(doc, spec["columns"], widths_cm)
    rows = spec["rows"]
    start_of: dict[int, int] = {}
    for i, (code, name, resp, note) in enumerate(rows):
        level1 = code is not None and "." not in code
        row = add_row(table, [code, name, None if resp == "^" else resp, note], widths_cm)
        if level1:
            for c in row.cells[:2]:
                for p in c.paragraphs:
                    for r in p.runs:
                        r.bold = True
        if resp not in (None, "^"):
            start_of[i] = len(table.rows) - 1
    # merge each responsible cell down over its '^' continuation rows
    i = 0
    while i < len(rows):
        if rows[i][2] not in (None, "^"):
            j = i
            while j + 1 < len(rows) and rows[j + 1][2] == "^":
                j += 1
            if j > i:
                merge_down(table, 2, i + 1, j + 1, rows[i][2])
            i = j + 1
        else:
            i += 1


# ---------------------------------------------------------------- prose
LIST_START = re.compile(r"^\s*(?:[-+•]|[a-dđ]\)|\(?\d+\)|[IVX]+\.|\d+(?:\.\d+)*\.?\s"
                        r"|Số:|Nơi nhận|KT\.|GIÁM ĐỐC|PHÓ GIÁM ĐỐC|KẾ HOẠCH)")


def prose_paragraphs(text: str) -> list[str]:
    """Re-flow text whose lines were wrapped at the page width back into paragraphs."""
    lines = [ln.strip() for ln in text.splitlines()]
    lines = [ln for ln in lines if ln and not re.fullmatch(r"\d{1,3}", ln)]  # drop page numbers
    paras: list[str] = []
    for ln in lines:
        if paras and not LIST_START.match(ln) and not re.search(r"[.:;!?]$", paras[-1]) \
                and not paras[-1].isupper():
            paras[-1] = f"{paras[-1]} {ln}"
        else:
            paras.append(ln)
    return paras


def add_prose(doc: Document, paragraphs: list[str]) -> None:
    for text in paragraphs:
        text = text.replace("**", "")
        heading = bool(re.match(r"^[IVX]+\.\s", text)) or (text.isupper() and len(text) < 90)
        p = para(doc, text, bold=heading, center=text.isupper() and len(text) < 60)
        p.paragraph_format.first_line_indent = None if heading else Cm(1)
        p.alignment = p.alignment if heading else WD_ALIGN_PARAGRAPH.JUSTIFY


# ---------------------------------------------------------------- documents
def build_000(out: Path) -> Path:
    spec = json.loads((FIXTURES / "000_appendix.json").read_text("utf-8"))
    doc = new_document()
    sec = landscape_section(doc, new=False)
    add_page_number_footer(sec, running_head="Phụ lục")
    para(doc, spec["title"], bold=True, center=True, size=14)
    build_task_table(doc, spec, [1.3, 4.6, 6.6, 3.8, 3.0, 3.9, 3.4])
    return save(doc, out / "dongnai_2024_phuluc_nhiemvu_cchc.docx")


def split_001(text: str) -> tuple[str, str]:
    idx = text.index("\nPhụ lục\n")
    return text[:idx], text[idx:]


def build_001(out: Path) -> Path:
    spec = json.loads((FIXTURES / "001_appendix.json").read_text("utf-8"))
    prose, _ = split_001((SEEDS / spec["seed"]).read_text("utf-8"))
    doc = new_document()
    para(doc, "UBND TỈNH HÀ TĨNH", bold=False, size=13)
    para(doc, "SỞ CÔNG THƯƠNG", bold=True, size=13)
    para(doc, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", bold=True, center=True, size=12)
    para(doc, "Độc lập - Tự do - Hạnh phúc", bold=True, center=True)
    paragraphs = [p.strip() for p in prose.split("\n") if p.strip()]
    add_prose(doc, paragraphs)
    sec = landscape_section(doc)
    add_page_number_footer(sec)
    para(doc, "Phụ lục", bold=True, center=True)
    para(doc, spec["title"], bold=True, center=True)
    para(doc, "(Kèm theo Kế hoạch số: /KH-SCT ngày tháng 01 năm 2023 của Sở Công Thương)",
         italic=True, center=True)
    build_task_table(doc, spec, [1.0, 3.6, 4.0, 4.4, 3.4, 2.4, 2.6, 2.3, 2.5], size=10.5)
    return save(doc, out / "hatinh_2023_kehoach_cchc.docx")


def build_002(out: Path) -> Path:
    spec = json.loads((FIXTURES / "002_assignments.json").read_text("utf-8"))
    doc = new_document()
    add_page_number_footer(doc.sections[0])
    para(doc, spec["title"], bold=True, center=True)
    para(doc, spec["subtitle"], italic=True, center=True)
    build_assignment_table(doc, spec, [1.6, 10.4, 3.2, 1.8])
    return save(doc, out / "phancong_bochiso_cchc_2024.docx")


def build_prose(out: Path, seed: str, name: str, title_lines: int) -> Path:
    """A prose plan; the title_lines after the 'KẾ HOẠCH' line are its centred title block."""
    lines = [ln.strip() for ln in (SEEDS / seed).read_text("utf-8").splitlines() if ln.strip()]
    at = next(i for i, ln in enumerate(lines) if ln == "KẾ HOẠCH")
    doc = new_document()
    add_page_number_footer(doc.sections[0])
    add_prose(doc, prose_paragraphs("\n".join(lines[:at])))
    para(doc, "KẾ HOẠCH", bold=True, center=True)
    for ln in lines[at + 1: at + 1 + title_lines]:
        para(doc, ln, bold=True, center=True)
    add_prose(doc, prose_paragraphs("\n".join(lines[at + 1 + title_lines:])))
    return save(doc, out / name)


def save(doc: Document, path: Path) -> Path:
    doc.core_properties.author = "cchc sample corpus"
    doc.save(path)
    return path


def convert(src: Path, out_dir: Path, target: str) -> Path:
    """src converted by LibreOffice headless (target 'pdf' or 'doc:MS Word 97') into out_dir."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice:
        sys.exit("LibreOffice (soffice) is needed to build the corpus: apt-get install libreoffice-writer-nogui")
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run([soffice, f"-env:UserInstallation=file://{profile}", "--headless",
                        "--convert-to", target, "--outdir", str(out_dir), str(src)],
                       check=True, capture_output=True, timeout=300)
    return out_dir / f"{src.stem}.{target.split(':')[0]}"


def to_pdf(docx_path: Path, out_dir: Path) -> Path:
    return convert(docx_path, out_dir, "pdf")


def scan_pdf(src: Path, dst: Path, dpi: int = 200, seed: int = 2024) -> Path:
    """A scan of a printed PDF: pages rasterised at `dpi`, each turned by up to 0.8 degrees, slightly
    blurred, on grey paper with a tone drift and dust specks, stored as JPEG images with no text layer."""
    import numpy as np
    import pypdfium2 as pdfium
    from PIL import Image, ImageFilter

    rng = np.random.default_rng(seed)
    pages = []
    pdf = pdfium.PdfDocument(str(src))
    for page in pdf:
        img = page.render(scale=dpi / 72, grayscale=True).to_pil().convert("L")
        img = img.rotate(rng.uniform(-0.8, 0.8), resample=Image.BICUBIC, fillcolor=255)
        img = img.filter(ImageFilter.GaussianBlur(0.6))
        a = np.asarray(img).astype(np.float32)
        a = a / 255 * (235 + 12 * np.linspace(0, 1, a.shape[1])[None, :])  # paper tone drifting across
        dust = rng.random(a.shape) < 0.0008
        a[dust] = rng.uniform(0, 120, int(dust.sum()))
        pages.append(Image.fromarray(np.clip(a, 0, 255).astype(np.uint8)))
    pdf.close()
    pages[0].save(dst, save_all=True, append_images=pages[1:], resolution=dpi, quality=60)
    return dst


def to_doc(docx_path: Path, out_dir: Path) -> Path:
    """The Word 97-2003 (.doc) form of a DOCX."""
    return convert(docx_path, out_dir, "doc:MS Word 97")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", type=Path, default=ROOT / "data" / "raw")
    ap.add_argument("--keep-docx", action="store_true", help="keep the DOCX sources of the PDFs")
    args = ap.parse_args()
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        sources = [build_000(work), build_002(work),
                   build_prose(work, "003_f93ae6ff23f7aa48.txt", "gialai_2023_kehoach_nang_cao_chiso_cchc.docx", 3),
                   build_prose(work, "004_4f7a36543f88cd95.txt", "dongnai_2026_kehoach_cchc.docx", 1)]
        for src in sources:
            pdf = to_pdf(src, out)
            print(f"wrote {pdf.relative_to(ROOT) if pdf.is_relative_to(ROOT) else pdf}")
            if args.keep_docx:
                shutil.copy(src, out / src.name)
        docx_path = build_001(out)
        appendix = out / "dongnai_2024_phuluc_nhiemvu_cchc.pdf"
        written = [docx_path, scan_pdf(appendix, out / f"{appendix.stem}_scan.pdf"), to_doc(docx_path, out)]
        for path in written:
            print(f"wrote {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")


if __name__ == "__main__":
    main()
