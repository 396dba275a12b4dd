"""Unit ids against the expected ids of the layout corpus specs (tests/fixtures/layouts/specs/*.json).

Usage: .venv/bin/python scripts/measure_units.py [SPEC_DIR]
Each spec row with `expect.lead_units` / `support_units` / `responsible_units` is read with the
spec's agency; a cell counts as right when its ids are the expected ones and, where ids are
expected, nothing is left unmatched. Prints the share per plan and every miss.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

from normalizers.units import match_units

ROOT = Path(__file__).resolve().parents[1]
CELLS = (("lead", "lead_units"), ("support", "support_units"), ("responsible", "responsible_units"))


def expected_rows(o, found: list) -> list:
    if isinstance(o, dict):
        if "expect" in o:
            found.append(o)
        for v in o.values():
            expected_rows(v, found)
    elif isinstance(o, list):
        for v in o:
            expected_rows(v, found)
    return found


def main(spec_dir: Path) -> int:
    total = right = 0
    misses = []
    specs = sorted(spec_dir.glob("*.json"))
    if not specs:
        print(f"no specs in {spec_dir}")
        return 1
    for path in specs:
        spec = json.loads(path.read_text("utf-8"))
        n = ok = 0
        for row in expected_rows(spec, []):
            for cell, key in CELLS:
                if key in row["expect"]:
                    got = match_units(row.get(cell), agency=spec["agency"])
                    n += 1
                    if got.ids == row["expect"][key] and not (got.unmatched and row["expect"][key]):
                        ok += 1
                    else:
                        misses.append((path.stem, row.get(cell), row["expect"][key], got.ids, got.unmatched))
        print(f"{path.stem}: {ok}/{n}")
        total, right = total + n, right + ok
    print(f"all: {right}/{total} = {right / max(total, 1):.3f}")
    for m in misses:
        print("  miss:", m)
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "tests" / "fixtures" / "layouts" / "specs"))
