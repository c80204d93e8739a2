"""Time every dashboard query against the serving copy: each public query function of
`dashboards/data.py`, called `RUNS` times with Streamlit's cache cleared before every call
(the cost a page pays on its first load after a publish).

Run as `python -m productops.bench.page_queries` in a process whose settings point at
the data folder; it prints one JSON object: milliseconds per call for each function.
"""

from __future__ import annotations

import inspect
import json
import logging
import sys
import time
from collections.abc import Callable
from types import ModuleType
from typing import Any

RUNS = 20
# Public names of dashboards/data.py that are not queries of the serving copy.
NOT_QUERIES = frozenset({"serving_path", "row_counts_from_refresh"})


def query_functions(module: ModuleType) -> dict[str, Callable[..., Any]]:
    """The public functions defined in `module`, but for the helpers in NOT_QUERIES."""
    return {
        name: value
        for name, value in vars(module).items()
        if inspect.isfunction(value)
        and value.__module__ == module.__name__
        and not name.startswith("_")
        and name not in NOT_QUERIES
    }


def arguments_for(function: Callable[..., Any], known: dict[str, Any]) -> dict[str, Any] | None:
    """Keyword arguments for `function` from `known` (by parameter name), or None when a
    required parameter has no known value."""
    chosen = {}
    for name, parameter in inspect.signature(function).parameters.items():
        if name in known:
            chosen[name] = known[name]
        elif parameter.default is inspect.Parameter.empty:
            return None
    return chosen


def p95(values: list[float]) -> float:
    """The 95th percentile by the nearest-rank method (no interpolation)."""
    ordered = sorted(values)
    if not ordered:
        raise ValueError("p95 of no values")
    rank = max(1, -(-95 * len(ordered) // 100))
    return ordered[rank - 1]


def time_queries(runs: int = RUNS) -> dict[str, Any]:
    """Milliseconds of `runs` cold calls of each dashboard query; functions skipped and why."""
    import streamlit as st

    from dashboards import data

    bounds = data.month_bounds()
    if bounds is None:
        raise RuntimeError("the serving copy has no cost/revenue months to select")
    first, last = bounds
    known: dict[str, Any] = {
        "selection": data.Selection(first, last),
        "start": first,
        "end": last,
        "first": first,
        "last": last,
        "now": None,
        "name": "marts.fct_product_cost_revenue",
    }
    periods = tuple(data.okr_periods()) if hasattr(data, "okr_periods") else ()
    if periods:
        # The newest OKR period is the one the goals page opens on.
        known["period"], known["periods"] = periods[-1], periods
    timings: dict[str, list[float]] = {}
    skipped: dict[str, str] = {}
    for name, function in sorted(query_functions(data).items()):
        arguments = arguments_for(function, known)
        if arguments is None:
            skipped[name] = (
                f"no benchmark value for a parameter of {name}{inspect.signature(function)}"
            )
            continue
        samples = []
        for _ in range(runs):
            st.cache_data.clear()
            started = time.perf_counter()
            function(**arguments)
            samples.append((time.perf_counter() - started) * 1000)
        timings[name] = samples
    return {"timings_ms": timings, "skipped": skipped}


def main() -> int:
    """Print the timings as JSON on stdout."""
    # Outside `streamlit run` every cached call warns that there is no script context.
    logging.disable(logging.WARNING)
    json.dump(time_queries(), sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
