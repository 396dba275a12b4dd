"""The manifest as Excel saves it on Vietnamese Windows, and what cannot be used in it: a warning
naming the line, never a crash and never silence."""
from __future__ import annotations

import shutil
import unicodedata

import pytest
from conftest import RAW, read, run_cli

from pipeline.manifest import decode, load_manifest, parse_year

CRITERIA_TXT = "002_d43268a35414126a.txt"  # the criteria table names no province: only the manifest gives it


def cp1258(text: str) -> bytes:
    """How Windows-1258 spells Vietnamese: letters with circumflex, breve or horn precomposed, tone marks
    as combining characters after them."""
    out: list[list[str]] = []  # per letter: base with its shape marks, then its tone marks
    for ch in unicodedata.normalize("NFD", text):
        if not unicodedata.combining(ch) or not out:
            out.append([ch, ""])
        elif ch in "\u0302\u0306\u031b":
            out[-1][0] = unicodedata.normalize("NFC", out[-1][0] + ch)
        else:
            out[-1][1] += ch
    return "".join(base + tones for base, tones in out).encode("cp1258")


TEXT = "file,province,plan_year\n" + CRITERIA_TXT + ",Đồng Nai,2024\n"
ENCODINGS = {
    "utf-8": TEXT.encode("utf-8"),
    "utf-8 with BOM (Excel 'CSV UTF-8')": TEXT.encode("utf-8-sig"),
    "utf-16 with tabs (Excel 'Unicode text')": TEXT.replace(",", "\t").encode("utf-16"),
    "utf-16-le without BOM": TEXT.replace(",", "\t").encode("utf-16-le"),
    "cp1258 with semicolons (Vietnamese Windows 'CSV')": cp1258(TEXT.replace(",", ";").replace("\n", "\r\n")),
}


@pytest.mark.parametrize("label", sorted(ENCODINGS))
def test_a_manifest_in_any_excel_encoding_gives_the_province(tmp_path, label):
    path = tmp_path / "manifest.csv"
    path.write_bytes(ENCODINGS[label])
    m = load_manifest(path)
    assert m.lookup(CRITERIA_TXT) == {"province": "Đồng Nai", "plan_year": "2024"}, label
    assert not m.problems


def test_cp1258_text_decodes_to_nfc():
    raw = cp1258("Sở Công Thương tỉnh Hà Tĩnh")
    assert raw != "Sở Công Thương tỉnh Hà Tĩnh".encode()
    assert decode(raw) == "Sở Công Thương tỉnh Hà Tĩnh"


@pytest.mark.parametrize("value,year", [("2024", 2024), (" 2023 ", 2023), ("2024.0", 2024), ("²⁰²⁴", None),
                                        ("٢٠٢٤", None), ("24", None), ("năm 2024", None), ("1850", None), ("", None)])
def test_parse_year(value, year):
    assert parse_year(value) == year


def test_what_cannot_be_used_becomes_warnings_naming_the_line(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    shutil.copy(RAW / "txt" / CRITERIA_TXT, src / CRITERIA_TXT)
    shutil.copy(RAW / "txt" / "001_f76b48a4b12a19b8.txt", src / "hatinh.txt")
    manifest = tmp_path / "m.csv"
    manifest.write_text("file,province,plan_year,ghi chú\n"
                        f"{CRITERIA_TXT},Đồng Nai,2024,ok\n"
                        "hatinh.txt,,²⁰²⁴,\n"
                        "missing.pdf,Gia Lai,2023,\n"
                        ",Gia Lai,2023,\n"
                        f"{CRITERIA_TXT},Đồng Nai,2024,again\n", "utf-8")
    out = tmp_path / "out"
    proc = run_cli("run", str(src), "--out", str(out), "--manifest", str(manifest), "--quiet")
    assert proc.returncode == 0, proc.stderr
    got = {(i["code"], i["message"].split(":")[0]) for i in read(out, "issues") if i["code"].startswith("manifest_")}
    assert got == {("manifest_unknown_column", "manifest line 1"), ("manifest_bad_value", "manifest line 3"),
                   ("manifest_unmatched_row", "manifest line 4"), ("manifest_bad_value", "manifest line 5"),
                   ("manifest_duplicate_row", "manifest line 6")}
    docs = {d["source_file"].rsplit("/", 1)[-1]: d for d in read(out, "documents")}
    assert docs["hatinh.txt"]["plan_year"] == 2023 and docs["hatinh.txt"]["status"] == "ok"  # read from the text
    assert docs[CRITERIA_TXT]["province"] == "Đồng Nai"  # the usable rows still apply
    bad = next(i for i in read(out, "issues") if i["code"] == "manifest_bad_value" and i["field"] == "plan_year")
    assert bad["raw_value"] == "²⁰²⁴" and bad["source_file"] == str(manifest)


def test_a_manifest_without_a_file_column_stops_before_anything_is_written(tmp_path):
    bad = tmp_path / "m.csv"
    bad.write_bytes(cp1258("tên tệp;tỉnh\nx.pdf;Đồng Nai\n"))
    proc = run_cli("run", "data/raw/txt", "--out", str(tmp_path / "o"), "--manifest", str(bad))
    assert proc.returncode == 2 and "'file' column" in proc.stderr and proc.stderr.count("\n") == 1
    assert not (tmp_path / "o").exists()
