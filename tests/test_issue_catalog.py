"""The issue catalog: every code the code emits is documented in pipeline/data/issue_codes.csv
(severity, meaning, what to do), and the catalog lists nothing the code no longer emits."""
from __future__ import annotations

import ast
import csv
import re

from conftest import ROOT

from pipeline.issues import CATALOG_FILE, catalog, markdown, message

# callable -> position of the code among its arguments
EMITTERS = {"issue": 1, "issue_row": 1, "ExtractionError": 0, "message": 0, "ManifestProblem": 0}
SLUG = re.compile(r"^[a-z][a-z0-9_]*$")


def _name(func: ast.expr) -> str:
    return func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""


def _literal(node: ast.expr | None) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def emitted_codes() -> dict[str, str]:
    """code -> first place it is emitted, from issue(...), issue_row(...), ExtractionError(...),
    *.warnings.append((code, ...)), {"code": ...} literals, *_CODES tables and the (code, message) a
    *warning*() helper returns."""
    found: dict[str, str] = {}
    for package in ("pipeline", "extractors", "normalizers"):
        for path in sorted((ROOT / package).rglob("*.py")):
            tree = ast.parse(path.read_text("utf-8"))
            for node in ast.walk(tree):
                codes: list[str | None] = []
                if isinstance(node, ast.Call):
                    name = _name(node.func)
                    if name in EMITTERS and len(node.args) > EMITTERS[name]:
                        codes.append(_literal(node.args[EMITTERS[name]]))
                    codes += [_literal(k.value) for k in node.keywords if k.arg == "code"]
                    if name == "append" and _name(getattr(node.func, "value", None) or node.func).endswith("warnings") \
                            and node.args and isinstance(node.args[0], ast.Tuple):
                        codes.append(_literal(node.args[0].elts[0]))
                elif isinstance(node, ast.FunctionDef) and "warning" in node.name:
                    # a helper that returns a document warning as (code, message)
                    codes += [_literal(r.value.elts[0]) for r in ast.walk(node) if isinstance(r, ast.Return)
                              and isinstance(r.value, ast.Tuple) and r.value.elts]
                elif isinstance(node, ast.Dict):
                    codes += [_literal(v) for k, v in zip(node.keys, node.values) if _literal(k) == "code"]
                elif isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id.endswith("_CODES")
                                                          for t in node.targets):
                    values = node.value.values if isinstance(node.value, ast.Dict) else \
                        getattr(node.value, "elts", [])
                    codes += [_literal(v) for v in values]
                for c in codes:
                    if c is not None:
                        found.setdefault(c, f"{path.relative_to(ROOT)}:{node.lineno}")
    return found


def test_the_catalog_file_is_well_formed():
    with open(CATALOG_FILE, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert rows and list(rows[0]) == ["code", "severity", "meaning", "what_to_do"]
    codes = [r["code"] for r in rows]
    assert len(codes) == len(set(codes)), "a code is listed twice"
    for r in rows:
        assert SLUG.match(r["code"]), r
        assert r["severity"] in {"error", "warning"}, r
        assert r["meaning"].strip() and r["what_to_do"].strip(), r


def test_every_code_the_code_emits_is_in_the_catalog():
    emitted = emitted_codes()
    assert {"unreadable_file", "timeout", "unknown_unit", "legacy_encoding"} <= set(emitted)  # the scan sees them
    missing = {c: where for c, where in emitted.items() if c not in catalog()}
    assert not missing, f"add these codes to {CATALOG_FILE.relative_to(ROOT)}: {missing}"


def test_the_catalog_lists_only_codes_the_code_emits():
    stale = set(catalog()) - set(emitted_codes())
    assert not stale, f"no code emits {sorted(stale)}: remove them from the catalog (or the scan misses an emitter)"


def test_messages_carry_the_catalogs_advice_on_one_short_line():
    text = message("timeout", "no result after\n300 s")
    assert text == "no result after 300 s: " + catalog()["timeout"].what_to_do
    assert len(message("unknown_unit", "x" * 1000)) <= 300
    assert message("not_in_the_catalog", "detail") == "detail"  # never raises at run time


def test_the_readme_sends_readers_to_the_catalog_and_names_no_undocumented_code():
    readme = (ROOT / "README.md").read_text("utf-8")
    assert "pipeline/data/issue_codes.csv" in readme
    assert "cchc schema --issue-codes" in readme
    table = markdown()
    for code in catalog():
        assert f"`{code}`" in table
