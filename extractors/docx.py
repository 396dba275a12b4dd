"""DOCX through its XML: paragraphs in reading order and tables with their real grid
(gridSpan, vMerge, gridBefore/After), not python-docx's repeated merged cells."""
from __future__ import annotations

import zipfile
from pathlib import Path

from .model import Cell, ExtractionError, SourceDocument, Table, TextLine
from .sniff import main_part


def qn(tag: str) -> str:
    """python-docx's namespaced tag; python-docx (with lxml) is loaded only when a DOCX is read."""
    from docx.oxml.ns import qn as _qn

    return _qn(tag)




MAX_XML_BYTES = 200 * 1024 * 1024  # declared uncompressed size we accept for document.xml
MAX_RATIO = 200  # and the compression ratio beyond which we suspect a zip bomb
LAYOUT_COLUMNS = 2  # a table this narrow lays out the title or signature block; wider ones hold data


def check_archive(path: Path) -> None:
    """Refuse hostile archives by their declared sizes, before anything is inflated."""
    try:
        with zipfile.ZipFile(path) as z:
            for info in z.infolist():
                if info.file_size > MAX_XML_BYTES or (
                        info.compress_size and info.file_size / info.compress_size > MAX_RATIO
                        and info.file_size > 10 * 1024 * 1024):
                    raise ExtractionError("oversized_archive", f"DOCX part {info.filename} declares "
                                          f"{info.file_size} bytes uncompressed: refused as a possible zip bomb")
            for info in z.infolist():
                if info.filename.endswith((".xml", ".rels")):
                    with z.open(info) as fh:
                        head = fh.read(4096).replace(b"\x00", b"")  # UTF-16 XML too
                    if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
                        # Word never writes a DTD; one in a DOCX is an entity bomb or an external-entity probe
                        raise ExtractionError("unsafe_docx", f"DOCX part {info.filename} declares XML entities "
                                              "(a DTD), which Word never writes: refused for safety")
    except zipfile.BadZipFile as exc:
        raise ExtractionError("unreadable_file", "DOCX is not a valid zip archive: the file is damaged; "
                              "open and re-save it in Word or LibreOffice") from exc


def _text(el) -> str:
    """Text of a paragraph: runs, tabs and line breaks."""
    parts: list[str] = []
    for node in el.iter(qn("w:t"), qn("w:tab"), qn("w:br"), qn("w:cr")):
        if node.tag == qn("w:t"):
            parts.append(node.text or "")
        elif node.tag == qn("w:tab"):
            parts.append("\t")
        else:
            parts.append("\n")
    return "".join(parts)


def _cell_text(tc) -> str:
    paras = [_text(p) for p in tc.iter(qn("w:p"))]
    return "\n".join(paras).strip("\n")


def _int_attr(el, path: str, default: int) -> int:
    found = el.find(path)
    if found is None:
        return default
    try:
        return int(found.get(qn("w:val")))
    except (TypeError, ValueError):
        return default


def read_table(tbl, index: int) -> Table:
    """The table's cells with their real spans: gridSpan across, vMerge down; rows marked to repeat
    as a header on every page (w:tblHeader) are flagged as header cells."""
    cells: list[Cell] = []
    open_merge: dict[int, Cell] = {}  # grid column -> the cell a vMerge there continues
    n_rows = 0
    width = 0
    for i, tr in enumerate(tbl.findall(qn("w:tr"))):
        n_rows = i + 1
        trpr = tr.find(qn("w:trPr"))
        col = _int_attr(trpr, qn("w:gridBefore"), 0) if trpr is not None else 0
        header = trpr is not None and trpr.find(qn("w:tblHeader")) is not None and \
            trpr.find(qn("w:tblHeader")).get(qn("w:val")) not in ("0", "false")
        for tc in tr.findall(qn("w:tc")):
            tcpr = tc.find(qn("w:tcPr"))
            span = max(1, _int_attr(tcpr, qn("w:gridSpan"), 1)) if tcpr is not None else 1
            vmerge = tcpr.find(qn("w:vMerge")) if tcpr is not None else None
            continued = vmerge is not None and vmerge.get(qn("w:val")) in (None, "continue")
            above = open_merge.get(col)
            if continued and above is not None and above.col == col and above.row + above.row_span == i:
                above.row_span += 1
            else:
                cell = Cell(_cell_text(tc) if not continued else "", i, col, 1, span, header=header)
                cells.append(cell)
                if vmerge is not None and not continued:
                    for k in range(col, col + span):
                        open_merge[k] = cell
                else:
                    for k in range(col, col + span):
                        open_merge.pop(k, None)
            col += span
        width = max(width, col)
    table = Table(cells, "docx-xml", index, n_rows=n_rows, n_cols=width)
    owners = table.owners()
    for i, row in enumerate(owners):  # gridBefore/gridAfter and ragged rows: empty cells, not merged ones
        for j, owner in enumerate(row):
            if owner is None:
                table.cells.append(Cell("", i, j, header=any(c.header for c in row if c is not None)))
    table.cells.sort(key=lambda c: (c.row, c.col))
    return table


STRICT_NS = b"http://purl.oclc.org/ooxml/wordprocessingml/main"  # ISO 29500 Strict: same elements
TRANSITIONAL_NS = b"http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _body(path: Path):
    """The w:body of the package's main part, parsed by our XML reader: python-docx refuses a macro-enabled
    document or a template by its content type, and needs parts (styles) the text does not."""
    try:
        with zipfile.ZipFile(path) as z:
            part = main_part(z)
            if part is None:
                raise ExtractionError("unreadable_file", "the archive has no Word document part: the file is "
                                      "damaged or not a Word document; open and re-save it in Word or LibreOffice")
            xml = z.read(part).replace(STRICT_NS, TRANSITIONAL_NS)
        from docx.oxml import parse_xml

        body = parse_xml(xml).find(qn("w:body"))
    except ExtractionError:
        raise
    except Exception as exc:
        raise ExtractionError("unreadable_file", f"DOCX cannot be parsed ({type(exc).__name__}): "
                              "open and re-save it in Word or LibreOffice") from exc
    if body is None:
        raise ExtractionError("unreadable_file", "the Word document part has no body: open and re-save the file "
                              "in Word or LibreOffice")
    return body


def read_docx(path: Path) -> SourceDocument:
    check_archive(path)
    body = _body(path)
    doc = SourceDocument(path=str(path), source_format="docx")
    for child in body.iterchildren():
        if child.tag == qn("w:p"):
            for line in _text(child).split("\n"):
                doc.lines.append(TextLine(line))
        elif child.tag == qn("w:tbl"):
            table = read_table(child, len(doc.tables))
            doc.tables.append(table)
            if table.n_cols <= LAYOUT_COLUMNS:
                # a layout table (the title block: issuer | national motto; the signature block): each
                # cell's lines as they read, not one line per row that glues the issuer to the motto
                for row in table.rows:
                    for c in row:
                        doc.lines.extend(TextLine(ln) for ln in (c or "").split("\n") if ln.strip())
            else:
                for row in table.rows:
                    doc.lines.append(TextLine("\t".join((c or "").replace("\n", " ") for c in row)))
    return doc
