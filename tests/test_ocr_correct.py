"""The OCR correction pass: syllable grammar, and the marks it chooses from context (normalizers/ocr_correct.py)."""
from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest

from normalizers.ocr_correct import correct_text, is_syllable, skeleton

TXT = Path("data/raw/txt")


@pytest.mark.parametrize("word, ok", [
    ("thiểu", True), ("nghiệp", True), ("quyết", True), ("giải", True), ("khuyến", True), ("đồng", True),
    ("gì", True), ("oanh", True), ("chế", True), ("chẽ", True),
    ("thiếuu", False), ("cấp̉", False), ("tẽp", False),  # two tones; a stop rhyme takes only sắc or nặng
    ("qpl", False), ("tthc", False), ("xyz", False),
])
def test_syllable_grammar(word, ok):
    assert is_syllable(word) is ok


def test_skeleton_drops_every_mark():
    assert skeleton("đổi") == skeleton("đối") == skeleton("dôi") == "doi"


@pytest.mark.parametrize("read, meant", [
    # misreads of the kind Tesseract makes on 150-200 dpi scans: a mark taken for another or lost
    ("tối thiếu 97%", "tối thiểu 97%"),
    ("Cống dịch vụ công quốc gia", "Cổng dịch vụ công quốc gia"),
    ("bố sung kịp thời", "bổ sung kịp thời"),
    ("xây dưng, ban hành", "xây dựng, ban hành"),
    ("đào tao bồi dưỡng", "đào tạo bồi dưỡng"),
    ("điên tử", "điện tử"),
    ("đơn vị thuôc Sở", "đơn vị thuộc Sở"),
    ("Tố chức cuộc thi", "Tổ chức cuộc thi"),
    ("Nhiệm vụ cụ thế", "Nhiệm vụ cụ thể"),
    ("II. CẢI CÁCH THỂ CHẼ", "II. CẢI CÁCH THỂ CHẾ"),  # capitals keep their case
    ("Quý 11/2024", "Quý II/2024"), ("Quý 111 - Quý IV/2024", "Quý III - Quý IV/2024"),  # no 11th quarter
])
def test_marks_chosen_from_context(read, meant):
    assert correct_text(read) == meant


@pytest.mark.parametrize("text", [
    "UBND tỉnh, TTHC, VB QPPL, TTr Sở",  # abbreviations are no syllables: left alone
    "Quý II/2024; 30/9/2024; 100%", "Quý 1/2024", "Quý 4, tháng 11/2024",
    "Phòng KTAT&MT, Gia Nghĩa, Bảo Lộc",
    "Tiếp nhận, giải quyết hồ sơ\nđúng hạn",  # lines kept
    "",
])
def test_what_is_not_a_misread_stays(text):
    assert correct_text(text) == text


def test_correct_text_of_the_plans_is_left_as_it_is():
    """Every syllable of the text-layer plans (also the source of the counts) comes back unchanged; only
    words that cannot be syllables may change (the seeds' broken glyphs, such as "ngưòi")."""
    changed = []
    for path in sorted(TXT.glob("*.txt")):
        for line in path.read_text(encoding="utf-8").splitlines():
            line = unicodedata.normalize("NFC", line)
            for a, b in zip(line.split(), correct_text(line).split()):
                if a != b:
                    changed.append((a, b))
    assert changed and all(not is_syllable(re.sub(r"\W", "", a).lower()) for a, _b in changed), changed
