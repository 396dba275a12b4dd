"""Warm the state workers share before they are forked, so each document does not build it again.

Workers are forked per document. What the parent has imported and cached they inherit; what they
load themselves (the readers of a format, the catalogs of the normalisers on first use, compiled
patterns) they load again for every document, about 30 ms each. So the parent imports the
readers the batch's formats need and runs one small generated plan through `process_file`,
whose result is thrown away.
"""
from __future__ import annotations

import sys
import tempfile
from collections.abc import Iterable
from pathlib import Path

from extractors.preload import preload_readers

# a few lines of every kind the pipeline reads: header, area heading, target, a tab-separated task table
SAMPLE = (
    "ỦY BAN NHÂN DÂN TỈNH ĐỒNG NAI\nSỞ NỘI VỤ\nKẾ HOẠCH\nCải cách hành chính năm 2024\n"
    "I. CẢI CÁCH THỂ CHẾ\n1. Tỷ lệ hồ sơ giải quyết đúng hạn đạt tối thiểu 97%.\n"
    "STT\tNhiệm vụ\tĐơn vị chủ trì\tĐơn vị phối hợp\tThời gian hoàn thành\n"
    "1\tRà soát văn bản quy phạm pháp luật\tSở Tư pháp\tCác sở, ban, ngành\tQuý II/2024\n"
)


def warm_workers(paths: Iterable[Path]) -> None:
    """Import the readers for `paths` and fill the normalisers' caches, in this (the parent) process."""
    paths = list(paths)
    if not paths:
        return
    preload_readers(paths)
    from .manifest import load_manifest
    from .run import process_file

    with tempfile.TemporaryDirectory(prefix="cchc-warm-") as tmp:
        sample = Path(tmp) / "warm.txt"
        sample.write_text(SAMPLE, "utf-8")
        try:
            process_file(sample, sample.name, load_manifest(None))
        except Exception:  # noqa: BLE001  warming is an optimisation: a failure here changes no result
            pass


class _NoPandas:
    """A finder that says pandas is not there (for one look)."""

    def find_spec(self, name, path=None, target=None):
        if name == "pandas" or name.startswith("pandas."):
            raise ImportError("pandas is not needed by cchc run")
        return None


def arrow_without_pandas() -> None:
    """Let pyarrow's first look for pandas find none, for a process that only runs (the CLI's).

    pyarrow looks for pandas the first time it builds an array from Python lists, to recognise
    pandas objects, and that imports pandas (0.15-0.3 s, a tenth of a short run) in a run that
    never hands it one. The look is a soft one: pyarrow remembers "no pandas" for such checks but
    imports pandas again wherever pandas is really asked for (`to_pandas`), so nothing breaks."""
    if "pandas" in sys.modules:
        return
    import pyarrow as pa

    finder = _NoPandas()
    sys.meta_path.insert(0, finder)
    try:
        pa.array([0])
    except Exception:  # noqa: BLE001  an optimisation only
        pass
    finally:
        sys.meta_path.remove(finder)
