"""Every benchmark of the project: `make bench` (SCALE=full, or quick for a hundredth).

    python -m bench.run --scale full|quick

Each benchmark module has ``run(scale)``; add yours to BENCHMARKS.
"""

from __future__ import annotations

import argparse
import importlib

BENCHMARKS = [
    "bench.search",
    "bench.search_rebuild",
    "bench.needs_listing",
    "bench.needs_import",
    "bench.matching",
    "bench.semantic",
    "bench.scheduling",
    "bench.learning_certificates",
    "bench.learning_offline",
    "bench.learning",
    "bench.helpdesk",
    "bench.monitoring",
    "bench.footprint",
    "bench.load",
    # Last: it exits non-zero when a page is over its weight target.
    "bench.page_weight",
]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Run the project's benchmarks.")
    parser.add_argument("--scale", choices=("quick", "full"), default="full")
    arguments = parser.parse_args(argv)
    for name in BENCHMARKS:
        importlib.import_module(name).run(arguments.scale)


if __name__ == "__main__":
    main()
