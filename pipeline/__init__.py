"""cchc pipeline: discover inputs -> extract -> assemble rows -> normalise -> write Parquet."""
import os

__version__ = "0.1.0"

# Arrow's C++ default allocator is chosen once, when pyarrow loads. mimalloc (its default) keeps the
# pages a run's compaction freed, so the parent's peak grew with the corpus (151 -> 207 MB from 1x to
# 16x the bench corpus); malloc returns them (140 MB). An analyst's own setting wins.
os.environ.setdefault("ARROW_DEFAULT_MEMORY_POOL", "system")
