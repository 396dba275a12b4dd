"""The project stands on its own: README and docs link only to files inside the repository, and
docs/SCHEMA.md carries the data contract's 1.1 additions that this project writes."""
from __future__ import annotations

import re

from conftest import ROOT

from pipeline.schema import DATASETS

DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]


def test_readme_and_docs_never_point_outside_the_repository():
    for doc in DOCS:
        text = doc.read_text("utf-8")
        assert "../shared" not in text and "/work/" not in text, doc.name
        for target in re.findall(r"\]\(([^)#]+)(?:#[^)]*)?\)", text):
            if re.match(r"[a-z]+://", target):
                continue
            path = (doc.parent / target).resolve()
            assert path.is_relative_to(ROOT) and path.exists(), f"{doc.name}: broken link {target}"


def test_the_contract_in_docs_names_every_11_column_and_dataset_we_write():
    contract = (ROOT / "docs" / "SCHEMA.md").read_text("utf-8")
    assert "## Schema 1.1 additions" in contract
    for name in ("units", "indicators", "areas", "criteria", "task_units"):
        assert f"`{name}`" in contract
        for col in DATASETS[name].schema.names:
            assert col in contract, (name, col)
    assert "documents.plan_id" in contract and "documents.is_primary" in contract


def test_readme_follows_a_newcomer(tmp_path):
    headings = re.findall(r"^## (.+)$", (ROOT / "README.md").read_text("utf-8"), flags=re.M)
    order = [next(i for i, h in enumerate(headings) if h.startswith(p)) for p in
             ("Set-up", "What to open", "Running it", "How it works")]
    assert order == sorted(order)  # what it does, the two commands, what to open, then how it works
    for kept in ("Provinces across the 2025 arrangement", "Corrections and your own catalogs", "Issue codes",
                 "Benchmark"):
        assert any(h.startswith(kept) for h in headings), kept
