"""The HTML report: self-contained, Vietnamese (English with --lang en), names instead of codes,
each plan counted once, and its charts rendered by a real browser at phone, tablet and desktop widths."""
from __future__ import annotations

import html
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import ROOT, read, run_cli

from pipeline.labels import target_text, text

ARTIFACTS = ROOT / "test-artifacts"
WIDTHS = (390, 900, 1400)


@pytest.fixture(scope="module")
def reports(corpus_out, tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("report")
    paths = {}
    for lang in ("vi", "en"):
        paths[lang] = folder / f"report_{lang}.html"
        proc = run_cli("report", str(corpus_out), "--html", str(paths[lang]), "--lang", lang)
        assert proc.returncode == 0, proc.stderr
    return paths


def visible(page: str) -> str:
    """The page's text without markup and without the <code> tags that show codes beside names."""
    page = re.sub(r"<code>.*?</code>|<title>.*?</title>|<style>.*?</style>", " ", page, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", " ", page))


def test_report_is_self_contained_and_in_vietnamese(reports):
    page = reports["vi"].read_text("utf-8")
    assert not re.search(r"""(src|href)\s*=\s*["']https?://""", page)  # no CDN, works offline
    assert "<script" not in page and '<html lang="vi">' in page
    for key in ("report.title", "report.documents", "report.targets", "report.panels", "report.review"):
        assert text(key, "vi") in page
    for english in ("Targets by", "Review queue", "Lead-unit", "severity", "what to do"):
        assert english not in page  # one language, not a mix
    en = reports["en"].read_text("utf-8")
    assert '<html lang="en">' in en and text("report.review", "en") in en and text("report.review", "vi") not in en


def test_documents_list_shows_every_file_and_which_one_counts(reports, corpus_out):
    page = reports["vi"].read_text("utf-8")
    docs = read(corpus_out, "documents")
    for d in docs:
        assert html.escape(d["source_file"]) in page
    assert page.count("<td>★</td>") == sum(d["is_primary"] for d in docs) == len({d["plan_id"] for d in docs})


def test_targets_show_names_comparators_and_every_kind(reports, corpus_out):
    page = reports["vi"].read_text("utf-8")
    seen = visible(page)
    comparison = read(corpus_out, "target_comparison")
    names = {r["indicator"]: r["name"] for r in read(corpus_out, "indicators")}
    for row in comparison:
        assert html.escape(names[row["indicator"]]) in page
        assert target_text(row["comparator"], row["value"], row["value_max"], row["unit"], "vi") in seen
    assert {r["comparator"] for r in comparison} >= {">=", "=", "decrease_by"}  # the corpus has each kind
    assert "giảm 20%" in seen and "≥ 98%" in seen
    for r in comparison:
        assert not re.search(rf"\b{r['indicator']}\b", seen)  # codes only inside <code>, beside the name


def test_panels_count_each_plan_once_and_name_units_and_deadline_kinds(reports, corpus_out):
    seen = visible(reports["vi"].read_text("utf-8"))
    assert "Đồng Nai 2024 · 76 nhiệm vụ" in seen  # the appendix once, not its PDF + scan + text (228)
    assert "Hà Tĩnh 2023 · 39 nhiệm vụ" in seen
    assert "Thanh tra Sở" in seen and "Thường xuyên" in seen
    unit_ids = {u for t in read(corpus_out, "tasks") for u in (t["lead_units"] or [])}
    assert unit_ids and not any(u in seen for u in unit_ids)
    assert "continuous" not in seen and "by_date" not in seen


def test_review_queue_shows_task_text_field_raw_value_file_page_and_what_to_do(reports, corpus_out):
    page = reports["vi"].read_text("utf-8")
    issues = read(corpus_out, "issues")
    tasks = {t["task_id"]: t for t in read(corpus_out, "tasks")}
    assert page.count('<a href="file://') >= sum(1 for i in issues if i["source_file"])
    flagged = [i for i in issues if i["task_id"]]
    assert flagged
    for i in flagged:
        t = tasks[i["task_id"]]
        assert html.escape((t["task"] or t["activity"] or t["objective"])[:60]) in page
        assert html.escape(i["message"]) in page
        assert html.escape(i["raw_value"][:40]) in page
    assert f"{text('report.page', 'vi')} {flagged[0]['source_page']}" in page
    assert re.search(r'<td class="todo">', page)


def _chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")


def test_charts_render_in_headless_chromium_at_several_widths(reports):
    browser = _chromium()
    if not browser:
        pytest.skip("chromium is not installed (make testdeps installs Debian's chromium when run as root)")
    report = reports["vi"]
    ARTIFACTS.mkdir(exist_ok=True)
    common = [browser, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
              "--user-data-dir=" + str(report.parent / "profile")]
    dom = subprocess.run([*common, "--dump-dom", "--enable-logging=stderr", "--v=0", report.as_uri()],
                         capture_output=True, text=True, timeout=120)
    assert dom.returncode == 0, dom.stderr[-2000:]
    assert "CONSOLE" not in dom.stderr and "Uncaught" not in dom.stderr
    svgs = re.findall(r"<svg.*?</svg>", dom.stdout, flags=re.S)
    assert len(svgs) >= 10 and all("<rect" in s for s in svgs)  # every chart drew bars
    for width in WIDTHS:  # phone, tablet, desktop: the pictures are kept for a person to look at
        shot = ARTIFACTS / f"report_{width}.png"
        shot.unlink(missing_ok=True)
        subprocess.run([*common, f"--screenshot={shot}", f"--window-size={width},3000", report.as_uri()],
                       capture_output=True, timeout=120, check=True)
        assert shot.exists() and shot.stat().st_size > 20_000  # a real picture, not a blank page
