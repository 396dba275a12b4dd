"""Text files in the 8-bit encodings Vietnamese offices still send: TCVN3 (ABC), VNI and Windows-1258.

The files are written here from a plan of another province and office, with encoders built
from the encodings' published layouts (not from the converter's own tables): TCVN3 one byte
per letter, VNI a base letter plus mark bytes, Windows-1258 base letters plus combining tone
marks. Each must read back as the Unicode text it was written from, in NFC.
"""
from __future__ import annotations

import re
import unicodedata

import pytest
from block_text import Heading, Item, Writer, font_available

from extractors.appendix import assemble
from extractors.registry import extract
from pipeline.metadata import detect

PLAN = """UBND TỈNH QUẢNG NGÃI
SỞ NỘI VỤ
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Số: 215/KH-SNV\tQuảng Ngãi, ngày 06 tháng 01 năm 2025
KẾ HOẠCH
Cải cách hành chính năm 2025
I. MỤC ĐÍCH, YÊU CẦU
- Triển khai đồng bộ, hiệu quả các nhiệm vụ cải cách hành chính; lấy sự hài lòng của người dân, doanh nghiệp làm
thước đo chất lượng phục vụ của cơ quan.
II. NHIỆM VỤ CỤ THỂ
1. Cải cách thủ tục hành chính
- Tỷ lệ hồ sơ giải quyết đúng hạn đạt từ 98% trở lên; phấn đấu 100% thủ tục hành chính đủ điều kiện được cung
cấp dịch vụ công trực tuyến toàn trình.
2. Cải cách chế độ công vụ
- Tuyển dụng, sử dụng, đánh giá công chức, viên chức đúng quy định; ứng xử văn minh, lịch sự, tận tụy.
- Bồi dưỡng kiến thức, kỹ năng cho đội ngũ cán bộ phụ trách; bảo đảm kỷ luật, kỷ cương hành chính.
Ủy ban nhân dân tỉnh; Văn phòng Sở; Thanh tra Sở; Phòng Tổ chức, biên chế và tổ chức phi chính phủ.
"""

# TCVN3 (TCVN 5712:1993, VN3): each toned lower-case letter and each base letter has its own byte; there are no
# capital toned letters (a heading font draws the same bytes as capitals)
TCVN3_LETTERS = "àảãáạăằẳẵắặâầẩẫấậđèẻẽéẹêềểễếệìỉĩíịòỏõóọôồổỗốộơờởỡớợùủũúụưừửữứựỳỷỹýỵĂÂÊÔƠƯĐ"
TCVN3_BYTES = bytes([0xB5, 0xB6, 0xB7, 0xB8, 0xB9, 0xA8, 0xBB, 0xBC, 0xBD, 0xBE, 0xC6, 0xA9, 0xC7, 0xC8, 0xC9, 0xCA,
                     0xCB, 0xAE, 0xCC, 0xCE, 0xCF, 0xD0, 0xD1, 0xAA, 0xD2, 0xD3, 0xD4, 0xD5, 0xD6, 0xD7, 0xD8, 0xDC,
                     0xDD, 0xDE, 0xDF, 0xE1, 0xE2, 0xE3, 0xE4, 0xAB, 0xE5, 0xE6, 0xE7, 0xE8, 0xE9, 0xAC, 0xEA, 0xEB,
                     0xEC, 0xED, 0xEE, 0xEF, 0xF1, 0xF2, 0xF3, 0xF4, 0xAD, 0xF5, 0xF6, 0xF7, 0xF8, 0xF9, 0xFA, 0xFB,
                     0xFC, 0xFD, 0xFE, 0xA1, 0xA2, 0xA3, 0xA4, 0xA5, 0xA6, 0xA7])
TCVN3 = dict(zip(TCVN3_LETTERS, TCVN3_BYTES))

# VNI: a base letter, then one byte for its modifier and tone (sắc ù, huyền ø, hỏi û, ngã õ, nặng ï; â/ê/ô take
# â á à å ã ä, ă takes ê é è ü ë); ơ ư đ and the toned i are single bytes; capitals take the capital marks
TONES = {"\u0301": "ù", "\u0300": "ø", "\u0309": "û", "\u0303": "õ", "\u0323": "ï"}
CIRCUMFLEX = {"": "â", "\u0301": "á", "\u0300": "à", "\u0309": "å", "\u0303": "ã", "\u0323": "ä"}
BREVE = {"": "ê", "\u0301": "é", "\u0300": "è", "\u0303": "ü", "\u0323": "ë"}
TONED_I = {"\u0301": "iù", "\u0300": "iø", "\u0309": "æ", "\u0303": "ó", "\u0323": "ò"}


def tcvn3(text: str) -> bytes:
    return b"".join(bytes([TCVN3.get(ch, TCVN3.get(ch.lower(), 0))]) if not ch.isascii() else ch.encode()
                    for ch in unicodedata.normalize("NFC", text))


def vni(text: str) -> bytes:
    out = []
    for ch in unicodedata.normalize("NFC", text):
        if ch.isascii():
            out.append(ch)
            continue
        if ch in "đĐ":
            out.append("ñ" if ch == "đ" else "Ñ")
            continue
        base, *marks = unicodedata.normalize("NFD", ch)
        tone = next((m for m in marks if m in TONES), "")
        upper = base.isupper()
        if base.lower() == "i" and tone:
            s = TONED_I[tone]
        elif "\u031b" in marks:  # horn: ơ ư are single bytes, then the tone
            s = ("ô" if base.lower() == "o" else "ö") + (TONES[tone] if tone else "")
        elif "\u0302" in marks:
            s = base.lower() + CIRCUMFLEX[tone]
        elif "\u0306" in marks:
            s = base.lower() + BREVE[tone]
        else:
            s = base.lower() + TONES[tone]
        out.append(s.upper() if upper else s)
    return "".join(out).encode("latin-1")


def cp1258(text: str) -> bytes:
    out = bytearray()
    for ch in unicodedata.normalize("NFC", text):
        try:
            out += ch.encode("cp1258")
        except UnicodeEncodeError:  # a toned letter: its base (with ^, ˘ or the horn) plus a combining tone mark
            base, *marks = unicodedata.normalize("NFD", ch)
            tone = "".join(m for m in marks if m in TONES)
            out += (unicodedata.normalize("NFC", base + "".join(m for m in marks if m not in TONES)) + tone
                    ).encode("cp1258")
    return bytes(out)


def words(text: str) -> list[str]:
    return re.findall(r"\w+", text)


@pytest.mark.parametrize("encoding,encode,legacy", [("tcvn3", tcvn3, True), ("vni", vni, True),
                                                    ("cp1258", cp1258, False)])
def test_8bit_text_reads_back_as_the_unicode_it_was_written_from(tmp_path, encoding, encode, legacy):
    path = tmp_path / f"quangngai_snv_2025_{encoding}.txt"
    path.write_bytes(encode(PLAN))
    doc = extract(path)
    text = doc.text
    assert unicodedata.is_normalized("NFC", text)
    # TCVN3 cannot tell "Ủy" from "ủy" inside a line of lower-case words; all else must come back as written
    fold = str.casefold if encoding == "tcvn3" else str
    expected, got = words(fold(PLAN)), words(fold(text))
    same = sum(a == b for a, b in zip(expected, got))
    print(f"\n{encoding}: {same}/{len(expected)} words as written ({same / len(expected):.1%})")
    assert got == expected
    assert [ln.text for ln in doc.lines][:3] == PLAN.splitlines()[:3]  # capitals too: "SỞ NỘI VỤ"
    assert any(code == "legacy_encoding" for code, _ in doc.warnings) is legacy
    meta = detect(text)
    assert (meta.agency, meta.province, meta.plan_year) == ("Sở Nội vụ", "Quảng Ngãi", 2025)


@pytest.mark.skipif(not font_available(), reason="needs fonts-liberation2 (make testdeps)")
def test_space_linearised_table_reads_year_less_quarters_with_the_plan_year(tmp_path):
    """The text-table reader tells a deadline cell by reading it: 'Tháng 6' without a year is a deadline
    of the plan year named in the title, so the units beside it keep their words."""
    header = ["STT", "Nhiệm vụ", "Sản phẩm", "Đơn vị chủ trì", "Đơn vị phối hợp", "Thời gian hoàn thành"]
    rows = [("Rà soát, đơn giản hóa thủ tục hành chính thuộc thẩm quyền giải quyết của Sở", "Báo cáo kết quả rà soát",
             "Văn phòng Sở", "Các phòng chuyên môn", "Quý II"),
            ("Cập nhật, công khai thủ tục hành chính trên Cổng dịch vụ công quốc gia", "Danh mục được công khai",
             "Văn phòng Sở", "Thanh tra Sở", "Quý III - Quý IV"),
            ("Tổ chức đối thoại với doanh nghiệp về thủ tục hành chính", "Hội nghị đối thoại",
             "Phòng Quản lý thương mại", "Văn phòng Sở", "Tháng 6"),
            ("Đánh giá, xếp loại công chức, viên chức theo quy định", "Kết quả đánh giá", "Văn phòng Sở",
             "Các phòng, đơn vị thuộc Sở", "Quý I và Quý II")]
    body = [Heading("I Cải cách thủ tục hành chính")] + [Item(str(k), None, [list(r)]) for k, r in enumerate(rows, 1)]
    text = "KẾ HOẠCH\nCải cách hành chính năm 2025\n\n" + Writer([35, 150, 90, 80, 70, 52]).render(header, body)
    path = tmp_path / "plan.txt"
    path.write_text(text, encoding="utf-8")
    found = [(r.cells.get("lead"), r.cells.get("support"), r.cells.get("deadline"))
             for r in assemble(extract(path).tables).rows]
    assert found == [r[2:] for r in rows]
