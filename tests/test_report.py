"""Issue 6 (part): the HTML report is self-contained and its charts render in a real browser."""
from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import ROOT, read, run_cli

ARTIFACTS = ROOT / "test-artifacts"


@pytest.fixture(scope="module")
def report(corpus_out, tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("report") / "report.html"
    proc = run_cli("report", str(corpus_out), "--html", str(path))
    assert proc.returncode == 0, proc.stderr
    return path


def test_report_is_self_contained_and_has_every_section(report, corpus_out):
    text = report.read_text("utf-8")
    assert not re.search(r"""(src|href)\s*=\s*["']https?://""", text)  # no CDN, works offline
    assert "<script" not in text
    for heading in ("Targets by indicator", "Tasks per PAR Index area", "Lead-unit workload", "Deadlines",
                    "Review queue"):
        assert heading in text
    assert text.count("<svg") >= 5
    # the comparison table shows every comparison row; the review queue every issue, linked to its file
    assert text.count("<td>on_time_resolution</td>") == sum(
        r["indicator"] == "on_time_resolution" for r in read(corpus_out, "target_comparison"))
    assert text.count('<a href="file://') >= sum(1 for i in read(corpus_out, "issues") if i["source_file"])
    assert "<th>page</th><th>row</th>" in text  # the review queue points back to document, page and row


def _chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")


def test_charts_render_in_headless_chromium(report):
    browser = _chromium()
    if not browser:
        pytest.skip("chromium is not installed (make testdeps installs Debian's chromium when run as root)")
    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / "report.png"
    shot.unlink(missing_ok=True)
    common = [browser, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
              "--user-data-dir=" + str(report.parent / "profile")]
    dom = subprocess.run([*common, "--dump-dom", "--enable-logging=stderr", "--v=0", report.as_uri()],
                         capture_output=True, text=True, timeout=120)
    assert dom.returncode == 0, dom.stderr[-2000:]
    assert "CONSOLE" not in dom.stderr and "Uncaught" not in dom.stderr
    svgs = re.findall(r"<svg.*?</svg>", dom.stdout, flags=re.S)
    assert len(svgs) >= 5 and all("<rect" in s for s in svgs)  # every chart drew bars
    subprocess.run([*common, f"--screenshot={shot}", "--window-size=1280,2400", report.as_uri()],
                   capture_output=True, timeout=120, check=True)
    assert shot.exists() and shot.stat().st_size > 20_000  # a real picture, not a blank page
