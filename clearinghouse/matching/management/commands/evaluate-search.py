# ruff: noqa: N999 - Django names the command after its module: evaluate-search
"""``clearinghouse evaluate-search FILE.jsonl [--output RANKS.jsonl]``: publish a dataset's
records in a throw-away database, run its queries through search and score the answers.

The dataset is checked first (a malformed line stops the command with a message naming it).
The command then runs again in a child process on a new SQLite database in a temporary
directory (``DATABASE_URL`` and ``VAR_DIR`` point there; jobs run at once), which migrates it,
loads the reference data (``loadreference``: countries and vocabularies), publishes the records
through the workflow (so the search index and the embeddings are made by the site's own jobs,
with the configured model) and runs each query as the search page does; the directory is
deleted after. The last line printed is ``recall@10=<r> mrr=<m> ndcg@10=<n> queries=<q>
records=<k>``, the line before it the cross-lingual recall@10 (judgements whose record is in
another language than the query). ``--output`` writes ``{"query": "Q1", "ranked": ["R7", ...]}``
per query, with the dataset's ids.
"""

from __future__ import annotations

import json
import os
import subprocess  # nosec B404  # runs this same command on a throw-away database
import sys
import tempfile
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from clearinghouse.geo.models import Country
from clearinghouse.matching.search_evaluation import (
    SearchDatasetError,
    SearchReport,
    evaluate_search,
    read_search_dataset,
)

# The Party the dataset's records are published for: any will do, none is searched by.
OWNER = "KE"


class Command(BaseCommand):
    help = "Evaluate search on a JSON Lines dataset of records, queries and relevance judgements."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("file", type=Path, help="the dataset (JSON Lines)")
        parser.add_argument(
            "--output", type=Path, help="write each query's ranked record ids here (JSON Lines)"
        )
        parser.add_argument(
            "--in-this-database",
            action="store_true",
            help="publish the records in the database in use instead of a throw-away one "
            "(what the child process does; only on a database made for it)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            dataset = read_search_dataset(options["file"])
        except SearchDatasetError as error:
            raise CommandError(str(error)) from error
        if not options["in_this_database"]:
            self._in_child(options)
            return
        owner = Country.objects.filter(code=OWNER).first()
        if owner is None:
            raise CommandError(
                f"the country {OWNER} is missing: load the reference data first (loadreference)"
            )
        report = evaluate_search(dataset, owner)
        if options["output"]:
            with options["output"].open("w", encoding="utf-8") as stream:
                for query, ranked in report.rankings.items():
                    stream.write(json.dumps({"query": query, "ranked": ranked}, ensure_ascii=False) + "\n")
        self._write(report)

    def _write(self, report: SearchReport) -> None:
        write = self.stdout.write
        write(" ".join(f"{name}_s={seconds:.2f}" for name, seconds in report.seconds.items()))
        write(
            f"cross-lingual recall@10={report.cross_lingual_recall:.3f} "
            f"queries={report.cross_lingual_queries}"
        )
        write(report.last_line())

    def _in_child(self, options: dict[str, Any]) -> None:
        with tempfile.TemporaryDirectory(prefix="clearinghouse-evaluate-search-") as directory:
            environment = os.environ | {
                "DATABASE_URL": f"sqlite:///{directory}/db.sqlite3",
                "VAR_DIR": directory,
                "JOBS_IMMEDIATE": "1",
                "DJANGO_SETTINGS_MODULE": os.environ.get("DJANGO_SETTINGS_MODULE", "clearinghouse.settings"),
            }
            environment.pop("REDIS_URL", None)
            prepare = [sys.executable, "-m", "clearinghouse"]
            steps = [
                [*prepare, "migrate", "--no-input", "--verbosity", "0"],
                [*prepare, "loadreference"],
                [
                    *prepare,
                    "evaluate-search",
                    str(options["file"].resolve()),
                    "--in-this-database",
                    *(["--output", str(options["output"].resolve())] if options["output"] else []),
                ],
            ]
            for step in steps:
                done = subprocess.run(  # noqa: S603  # nosec B603  # our own command, no shell
                    step, env=environment, cwd=settings.BASE_DIR, capture_output=True, text=True, check=False
                )
                if done.returncode != 0:
                    raise CommandError(f"{' '.join(step[3:5])} failed:\n{done.stderr.strip()}")
            self.stdout.write(done.stdout.rstrip("\n"))
