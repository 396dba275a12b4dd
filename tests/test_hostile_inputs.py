"""Issue 7: every hostile input made by the test itself, with the issue code it must end as;
the batch always finishes. Plus a bounded fuzz run over mutated copies of the corpus."""
from __future__ import annotations

import io
import os
import random
import shutil
import zipfile

import pytest
from conftest import RAW, read, run_cli
from docx import Document
from pypdf import PdfReader, PdfWriter

PDF_TABLE = RAW / "phancong_bochiso_cchc_2024.pdf"
PDF_PROSE = RAW / "gialai_2023_kehoach_nang_cao_chiso_cchc.pdf"
DOCX = RAW / "hatinh_2023_kehoach_cchc.docx"


def _encrypted(path):
    w = PdfWriter(clone_from=str(PDF_TABLE))
    w.encrypt(user_password="cchc-2024", owner_password="owner", algorithm="RC4-128")
    w.write(str(path))


def _scan(path):
    w = PdfWriter()
    for _ in range(3):
        w.add_blank_page(width=595, height=842)
    w.write(str(path))


def _zip_bomb(path):
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        with z.open("word/document.xml", "w", force_zip64=True) as fh:
            chunk = b"\0" * (1 << 20)
            for _ in range(300):  # 300 MB that deflate to well under 1 MB
                fh.write(chunk)


def _docx_with(path, xml_head: bytes):
    buf = io.BytesIO()
    Document().save(buf)
    src = zipfile.ZipFile(io.BytesIO(buf.getvalue()))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "word/document.xml":
                body = data.split(b"?>", 1)[1]
                data = b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' + xml_head + body
            out.writestr(info, data)


def _billion_laughs(path):
    ents = b'<!ENTITY lol "lol">' + b"".join(
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'.encode() for i in range(1, 10))
    _docx_with(path, b"<!DOCTYPE w:document [" + ents + b"]>\n")


def _external_entity(path):
    _docx_with(path, b'<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n')


def _english(path):
    path.write_text("Annual plan of the Department of Industry and Trade. " * 40 + "\nThe weather is fine.\n" * 30,
                    "utf-8")


CASES = {  # file name -> (how to make it, expected issue code or None for "read normally")
    "zero.pdf": (lambda p: p.write_bytes(b""), "empty_file"),
    "truncated.pdf": (lambda p: p.write_bytes(PDF_PROSE.read_bytes()[:4000]), "unreadable_file"),
    "encrypted.pdf": (_encrypted, "encrypted_pdf"),
    "scan.pdf": (_scan, "no_text_layer"),
    "not_a_zip.docx": (lambda p: p.write_bytes(b"PK\x03\x04" + os.urandom(200)), "unreadable_file"),
    "zip_bomb.docx": (_zip_bomb, "oversized_archive"),
    "billion_laughs.docx": (_billion_laughs, "unsafe_docx"),
    "external_entity.docx": (_external_entity, "unsafe_docx"),
    "plan_really_text.pdf": (lambda p: shutil.copy(RAW / "txt" / "001_f76b48a4b12a19b8.txt", p), None),
    "english.txt": (_english, "not_vietnamese"),
    "image.pdf": (lambda p: p.write_bytes(b"\x89PNG\r\n\x1a\n" + os.urandom(2000)), "unsupported_format"),
    "kế hoạch CCHC 2023 (bản cuối).docx": (lambda p: shutil.copy(DOCX, p), None),
    "broken_link.pdf": (lambda p: os.symlink(p.parent / "nowhere.pdf", p), "unreadable_file"),
}


@pytest.fixture(scope="module")
def hostile_out(tmp_path_factory):
    src = tmp_path_factory.mktemp("hostile")
    for name, (make, _) in CASES.items():
        make(src / name)
    shutil.copy(DOCX, src / "same_bytes_again.docx")  # a duplicate under another name
    out = tmp_path_factory.mktemp("out")
    proc = run_cli("run", str(src), "--out", str(out), "--quiet", "--workers", "2")
    assert proc.returncode == 0, proc.stderr
    return out


@pytest.mark.parametrize("name", sorted(CASES))
def test_each_hostile_input_ends_as_its_issue_code(hostile_out, name):
    expected = CASES[name][1]
    codes = {i["code"] for i in read(hostile_out, "issues") if i["source_file"].endswith("/" + name)}
    if expected is None:
        assert not {c for c in codes if c not in {"province_unknown", "plan_year_unknown"}}, codes
        docs = read(hostile_out, "documents")
        assert any(d["source_file"].endswith("/" + name) and d["status"] == "ok" for d in docs)
    else:
        assert expected in codes, codes


def test_messages_are_one_clear_line(hostile_out):
    for i in read(hostile_out, "issues"):
        assert i["message"] and "\n" not in i["message"] and len(i["message"]) < 300
    scan = next(i for i in read(hostile_out, "issues") if i["code"] == "no_text_layer")
    assert "ocr found no text" in scan["message"].lower()  # OCR ran on the blank pages and says so


def test_same_bytes_under_two_names_one_doc_both_named(hostile_out):
    docs = [d for d in read(hostile_out, "documents") if d["doc_id"] == _doc_id_of(DOCX)]
    assert len(docs) == 1
    dup = [i for i in read(hostile_out, "issues") if i["code"] == "duplicate_file"]
    assert len(dup) == 1 and dup[0]["doc_id"] == docs[0]["doc_id"]
    names = {docs[0]["source_file"].rsplit("/", 1)[-1], dup[0]["source_file"].rsplit("/", 1)[-1]}
    assert names == {"kế hoạch CCHC 2023 (bản cuối).docx", "same_bytes_again.docx"}
    tasks = [t for t in read(hostile_out, "tasks") if t["doc_id"] == docs[0]["doc_id"]]
    assert len(tasks) == 39  # one set of rows


def _doc_id_of(path):
    import hashlib
    return hashlib.sha256(path.read_bytes()).hexdigest()[:16]


def test_encrypted_pdf_opens_with_the_password(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    _encrypted(src / "encrypted.pdf")
    out = tmp_path / "out"
    assert run_cli("run", str(src), "--out", str(out), "--quiet", "--password", "cchc-2024").returncode == 0
    assert not [i for i in read(out, "issues") if i["severity"] == "error"]
    assert len(read(out, "par_assignments")) == 115
    wrong = tmp_path / "out_wrong"
    assert run_cli("run", str(src), "--out", str(wrong), "--quiet", "--password", "sai-mật-khẩu").returncode == 0
    assert [i["code"] for i in read(wrong, "issues") if i["severity"] == "error"] == ["encrypted_pdf"]


def test_a_500_page_pdf_is_read_page_by_page(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    w = PdfWriter()
    reader = PdfReader(str(PDF_PROSE))
    while len(w.pages) < 500:
        for page in reader.pages:
            w.add_page(page)
    w.write(str(src / "long.pdf"))
    out = tmp_path / "out"
    proc = run_cli("run", str(src), "--out", str(out), "--quiet", "--timeout", "600")
    assert proc.returncode == 0, proc.stderr
    doc, = read(out, "documents")
    assert doc["pages"] >= 500 and doc["status"] == "ok"


CRASH_CODES = {"extractor_crash", "assembly_crash", "worker_crashed", "memory_limit", "timeout"}


def _flip(rng, data: bytearray, ops: int) -> bytearray:
    for _ in range(ops):  # flip bytes, cut, or splice
        op = rng.random()
        if not data:
            break
        if op < 0.6:
            data[rng.randrange(len(data))] = rng.randrange(256)
        elif op < 0.8:
            del data[rng.randrange(len(data)):]
        else:
            i = rng.randrange(len(data))
            data[i:i] = os.urandom(rng.randint(1, 64))
    return data


def _docx_xml_mutant(rng, path):
    """A valid zip whose document.xml is damaged: the XML reader and the table reader get the garbage."""
    with zipfile.ZipFile(DOCX) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "word/document.xml":
                text = bytearray(data)
                for _ in range(rng.randint(1, 6)):  # cut or duplicate whole rows and cells, or flip a byte
                    tag = rng.choice([b"<w:tr ", b"<w:tc>", b"<w:gridSpan", b"<w:vMerge"])
                    at = text.find(tag, rng.randrange(len(text)))
                    if at < 0:
                        continue
                    if rng.random() < 0.5:
                        del text[at:at + rng.randint(1, 4000)]
                    else:
                        text[at:at] = text[at:at + rng.randint(1, 4000)]
                data = bytes(_flip(rng, text, rng.randint(0, 2)))
            out.writestr(info, data)


def _txt_mutant(rng, path):
    lines = (RAW / "txt" / rng.choice(["001_f76b48a4b12a19b8.txt", "000_3c92886d3c87bfaf.txt"])).read_text(
        "utf-8").splitlines()
    for _ in range(rng.randint(1, 30)):
        i = rng.randrange(len(lines))
        op = rng.random()
        if op < 0.3:
            lines[i] = lines[i].replace(" ", "\t")  # stray tab-separated rows
        elif op < 0.5:
            lines[i:i] = [lines[i]] * rng.randint(1, 50)  # repeated rows
        elif op < 0.7:
            lines[i] = "".join(rng.choice("0123456789./-–IVX ") for _ in range(rng.randint(1, 80)))
        else:
            del lines[i:i + rng.randint(1, 40)]
    data = "\n".join(lines).encode("utf-8")
    path.write_bytes(data if rng.random() < 0.7 else data.decode("utf-8").encode("utf-16"))


def test_bounded_fuzz_every_input_ends_as_rows_or_an_issue(tmp_path):
    """Byte-level mutations of a PDF, a DOCX and a text, then structure-level ones (rows and cells of a
    DOCX table, lines of a text table): every input leaves rows or an issue, and nothing crashes."""
    rng = random.Random(20261121)
    src = tmp_path / "fuzz"
    src.mkdir()
    seeds = [PDF_TABLE, DOCX, RAW / "txt" / "003_f93ae6ff23f7aa48.txt"]
    n = 36
    for k in range(n):
        path = src / f"m{k:02d}.bin"
        if k % 3 == 0 and k >= 12:
            _docx_xml_mutant(rng, path)
        elif k % 3 == 1 and k >= 12:
            _txt_mutant(rng, path)
        else:
            path.write_bytes(bytes(_flip(rng, bytearray(rng.choice(seeds).read_bytes()), rng.randint(1, 20))))
    out = tmp_path / "out"
    proc = run_cli("run", str(src), "--out", str(out), "--quiet", "--timeout", "60", "--workers", "2")
    assert proc.returncode == 0, proc.stderr
    docs = {d["source_file"].rsplit("/", 1)[-1]: d for d in read(out, "documents")}
    flagged = {i["source_file"].rsplit("/", 1)[-1] for i in read(out, "issues")}
    outcomes = {}
    for k in range(n):
        name = f"m{k:02d}.bin"
        assert name in docs or name in flagged, f"{name} left no trace"
        outcomes[name] = docs[name]["status"] if name in docs else "issue only"
    codes = sorted(i["code"] for i in read(out, "issues") if i["severity"] == "error")
    print(f"\nfuzz: {n} mutated inputs; outcomes {sorted(outcomes.values())}; error codes {codes}")
    crashes = [(i["source_file"], i["message"]) for i in read(out, "issues") if i["code"] in CRASH_CODES]
    assert not crashes


def test_bounded_fuzz_of_the_manifest_never_crashes(tmp_path):
    """Mutated manifests (bytes, encodings, separators, columns): each is read, or refused with a
    ManifestError whose message is one line; never another exception."""
    from pipeline.manifest import ManifestError, load_manifest

    rng = random.Random(20261201)
    base = ("file,province,plan_year,agency\n" + "\n".join(
        f"{n},{p},{y},Sở Công Thương" for n, p, y in [("a.pdf", "Đồng Nai", "2024"), ("b.docx", "Hà Tĩnh", "2023"),
                                                      ("txt/c.txt", "Gia Lai", "²⁰²³")]) + "\n")
    outcomes = {"read": 0, "refused": 0}
    for k in range(300):
        text = base.replace(",", rng.choice([",", ";", "\t", ", "]))
        data = bytearray(text.encode(rng.choice(["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "cp1258"]),
                                     errors="replace"))
        path = tmp_path / f"m{k}.csv"
        path.write_bytes(bytes(_flip(rng, data, rng.randint(0, 12))))
        try:
            m = load_manifest(path)
        except ManifestError as exc:
            assert "\n" not in str(exc)
            outcomes["refused"] += 1
            continue
        outcomes["read"] += 1
        for problem in m.problems + m.unmatched():
            assert problem.line >= 1 and problem.code.startswith("manifest_")
    print(f"\nmanifest fuzz: {outcomes}")
    assert outcomes["read"] > 100


def test_word_lock_files_are_skipped_not_reported(tmp_path):
    """Word leaves '~$name.docx' (owner name, a few bytes) beside an open document: not an input."""
    shutil.copy(RAW / "txt" / "004_4f7a36543f88cd95.txt", tmp_path / "kehoach.txt")
    (tmp_path / "~$hoach.docx").write_bytes(b"\x0cNguyen Van A" + b"\x00" * 150)
    from pipeline.run import discover
    found, problems = discover([str(tmp_path)], set())
    assert [p.name for p, _ in found] == ["kehoach.txt"] and not problems
