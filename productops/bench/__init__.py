"""The benchmark: how the refresh grows with the organisation (`productops bench`).

`run_bench(scale)` generates a company of that scale into `bench/scratch/` when needed and
measures, in one run on the same files, the read floor, a full and an incremental
refresh, peak memory, dashboard query latency and rows; `write_results` writes
`bench/results/<scale>.json` and `<scale>.md`.
"""

from productops.bench.harness import BenchFailed, run_bench
from productops.bench.report import RESULT_KEYS, BenchResult, write_results

__all__ = ["RESULT_KEYS", "BenchFailed", "BenchResult", "run_bench", "write_results"]
