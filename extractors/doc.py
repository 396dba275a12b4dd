"""Legacy Word 97-2003 (.doc) files: converted to DOCX by LibreOffice headless, then read as DOCX."""
from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from .docx import read_docx
from .model import ExtractionError, SourceDocument

CONVERT_TIMEOUT_S = 180
INSTALL_HINT = "install the Debian package libreoffice-writer-nogui (make sysdeps does it)"


def soffice_path() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def read_doc(path: Path) -> SourceDocument:
    soffice = soffice_path()
    if not soffice:
        raise ExtractionError("converter_unavailable", f"legacy Word .doc file needs LibreOffice to be read: "
                              f"{INSTALL_HINT}")
    with tempfile.TemporaryDirectory(prefix="cchc-doc-") as tmp:
        work = Path(tmp)
        # a plain copy: LibreOffice names its output after the input, and odd names trip it
        source = work / "input.doc"
        shutil.copyfile(path, source)
        out = work / "out"
        cmd = [soffice, f"-env:UserInstallation={(work / 'profile').as_uri()}", "--headless", "--norestore",
               "--convert-to", "docx:MS Word 2007 XML", "--outdir", str(out), str(source)]
        try:
            subprocess.run(cmd, capture_output=True, timeout=CONVERT_TIMEOUT_S, check=False,
                           stdin=subprocess.DEVNULL)
        except subprocess.TimeoutExpired as exc:
            raise ExtractionError("unreadable_file", f"LibreOffice did not convert the .doc within "
                                  f"{CONVERT_TIMEOUT_S} s (damaged or password-protected?): open it in Word "
                                  "and save it as DOCX") from exc
        converted = out / "input.docx"
        if not converted.is_file() or converted.stat().st_size == 0:
            raise ExtractionError("unreadable_file", "LibreOffice could not convert this .doc to DOCX (not a "
                                  "Word document, damaged or password-protected): open it in Word and save as DOCX")
        doc = read_docx(converted)
    doc.path = str(path)
    doc.source_format = "doc"
    return doc
