"""Word files of the DOCX family are read through our XML reader, whatever their content type says
(macro-enabled, template, Strict OOXML) and without the parts the text does not need (styles)."""
from __future__ import annotations

import re
import zipfile

import pytest
from conftest import RAW

from extractors import extract
from extractors.model import ExtractionError
from extractors.sniff import sniff_bytes

DOCX = RAW / "hatinh_2023_kehoach_cchc.docx"
MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
TRANSITIONAL = b"http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _rewrite(dest, change):
    """A copy of the sample DOCX with change(name, data) -> (name, data) | None applied to every part."""
    with zipfile.ZipFile(DOCX) as src, zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            kept = change(info.filename, src.read(info))
            if kept is not None:
                out.writestr(kept[0], kept[1])
    return dest


def _content_type(new):
    return lambda name, data: (name, data.replace(MAIN.encode(), new.encode()) if name == "[Content_Types].xml"
                               else data)


def _no_styles(name, data):
    if name == "word/styles.xml":
        return None
    if name == "word/_rels/document.xml.rels":
        data = re.sub(rb"<Relationship [^>]*styles\.xml\"[^>]*/>", b"", data)
    return name, data


def _renamed_main(name, data):
    if name == "word/document.xml":
        return "word/document2.xml", data
    if name == "word/_rels/document.xml.rels":
        return "word/_rels/document2.xml.rels", data
    if name in ("_rels/.rels", "[Content_Types].xml"):
        return name, data.replace(b"word/document.xml", b"word/document2.xml")
    return name, data


def _strict(name, data):
    return name, data.replace(TRANSITIONAL, b"http://purl.oclc.org/ooxml/wordprocessingml/main")


VARIANTS = {
    "macro_enabled.docx": _content_type("application/vnd.ms-word.document.macroEnabled.main+xml"),
    "template.docx": _content_type("application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml"),
    "macro_template.docx": _content_type("application/vnd.ms-word.template.macroEnabledTemplate.main+xml"),
    "no_styles_part.docx": _no_styles,
    "main_part_renamed.docx": _renamed_main,  # some writers name the body word/document2.xml
    "strict_ooxml.docx": _strict,
}


@pytest.fixture(scope="module")
def reference():
    return extract(DOCX)


@pytest.mark.parametrize("name", sorted(VARIANTS))
def test_a_docx_family_file_reads_like_the_docx(tmp_path, reference, name):
    path = _rewrite(tmp_path / name, VARIANTS[name])
    assert sniff_bytes(path.read_bytes()[:4096], path) == "docx"
    doc = extract(path)
    assert [t.rows for t in doc.tables] == [t.rows for t in reference.tables]
    assert [ln.text for ln in doc.lines] == [ln.text for ln in reference.lines]
    assert len(reference.tables[0].rows) > 39  # the appendix table, header included


def test_a_zip_without_a_word_part_is_not_a_docx(tmp_path):
    path = _rewrite(tmp_path / "no_body.docx", lambda n, d: None if n == "word/document.xml" else (n, d))
    assert sniff_bytes(path.read_bytes()[:4096], path) == "zip"
    spreadsheet = tmp_path / "book.docx"
    with zipfile.ZipFile(spreadsheet, "w") as z:
        z.writestr("_rels/.rels", '<Relationships><Relationship Id="r" Type="http://schemas.openxmlformats.org/'
                   'officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>')
        z.writestr("xl/workbook.xml", "<workbook/>")
    assert sniff_bytes(spreadsheet.read_bytes()[:4096], spreadsheet) == "zip"


def test_a_word_part_that_is_not_xml_is_one_clear_error(tmp_path):
    path = _rewrite(tmp_path / "bad_body.docx", lambda n, d: (n, b"not xml" if n == "word/document.xml" else d))
    with pytest.raises(ExtractionError) as err:
        extract(path)
    assert err.value.code == "unreadable_file" and "re-save" in err.value.message
