"""Variant documents for the tests that the seeds do not cover (run by hand; outputs committed).

borderless_table.pdf: a task table drawn without any ruling line (pdfplumber's line strategy
finds nothing; the camelot fallback must), other column names and order than the seeds, a
province and units the seeds do not have.
"""
from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.shared import Cm, Pt

sys.path.insert(0, str(Path(__file__).resolve().parent))
from build_corpus import to_pdf  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "tests" / "fixtures" / "variants"

HEADER = ["TT", "Nội dung công việc", "Cơ quan chủ trì", "Cơ quan phối hợp", "Thời hạn"]
ROWS = [
    ["I", "CẢI CÁCH THỦ TỤC HÀNH CHÍNH", "", "", ""],
    ["1", "Rà soát thủ tục hành chính", "Văn phòng Sở", "Thanh tra Sở", "Quý II/2025"],
    ["2", "Công khai thủ tục trên Cổng", "Văn phòng Sở", "Các phòng", "Thường xuyên"],
    ["3", "Số hóa hồ sơ thủ tục", "Phòng QLTM", "Văn phòng Sở", "trước 30/6/2025"],
    ["II", "CẢI CÁCH TÀI CHÍNH CÔNG", "", "", ""],
    ["1", "Lập dự toán ngân sách", "Phòng KH-TC-TH", "Các phòng", "Tháng 12/2025"],
    ["2", "Công khai tài chính", "Phòng KH-TC-TH", "Văn phòng Sở", "Quý IV/2025"],
]


def build_borderless(work: Path) -> Path:
    doc = Document()
    sec = doc.sections[0]
    sec.orientation = WD_ORIENT.LANDSCAPE
    sec.page_width, sec.page_height = Cm(29.7), Cm(21.0)
    doc.add_paragraph("KẾ HOẠCH cải cách hành chính năm 2025 của Sở Công Thương tỉnh Quảng Ninh")
    table = doc.add_table(rows=0, cols=len(HEADER))
    table.style = None  # no borders at all
    for values in [HEADER, *ROWS]:
        cells = table.add_row().cells
        for cell, v in zip(cells, values):
            cell.text = v
            for run in cell.paragraphs[0].runs:
                run.font.size = Pt(11)
    for row in table.rows:
        for cell, width in zip(row.cells, (1.5, 9, 5, 5, 4)):
            cell.width = Cm(width)
    path = work / "borderless_table.docx"
    doc.save(path)
    return path


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        pdf = to_pdf(build_borderless(Path(tmp)), OUT)
        print(f"wrote {pdf.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
