"""The course page (/learning/courses/<identifier>/) of a published course of 20 modules (two
lessons each) and a quiz of 30 questions of every kind, in three languages, requested whole
through Django's test client (middleware, view, templates), in English and in Arabic.

    python -m bench.learning --scale quick|full

Prints ``learning-course-page modules=20 questions=30 requests=<n> p50_ms=<x> p95_ms=<y>
queries=<q> uncached_p95_ms=<z>`` (the last: 40 requests each after the cache is emptied, as
the first reader after a course changes finds it) and writes bench/results/learning.json
(learning-quick.json for quick). Runs in a child process on a throw-away SQLite file under
var/bench (Django binds one database per process). Full: 500 requests after 20 to warm up;
quick: 100.
"""

from __future__ import annotations

import os
import statistics
import time
from pathlib import Path
from typing import Any

from bench import child
from bench.child import fresh_sqlite, in_child, percentile, write_results

ROOT = Path(__file__).resolve().parent.parent
WORK_DIR = ROOT / "var" / "bench"
RESULTS = ROOT / "bench" / "results" / "learning.json"
REQUESTS = {"quick": 100, "full": 500}
WARM_UP = 20
COLD = 40
MODULES = 20
QUESTIONS = 30
LANGUAGES = ("en", "fr", "ar")


def _texts(text: str) -> dict[str, str]:
    return {code: f"{text} ({code})" for code in LANGUAGES}


def _question(number: int) -> dict[str, Any]:
    key = f"x{number}"
    kind = ("single", "multiple", "true_false", "short", "matching")[number % 5]
    question: dict[str, Any] = {"key": key, "kind": kind, "text": _texts(f"Question {number}")}
    if kind in ("single", "multiple"):
        question["choices"] = [
            {
                "key": f"{key}c{n}",
                "text": _texts(f"Choice {n}"),
                "correct": n == 1 or (kind == "multiple" and n == 2),
            }
            for n in range(1, 5)
        ]
    elif kind == "true_false":
        question["answer"] = True
    elif kind == "short":
        question["accepted"] = {code: ["answer"] for code in LANGUAGES}
    else:
        question["pairs"] = [
            {"key": f"{key}p{n}", "left": _texts(f"Left {n}"), "right": _texts(f"Right {n}")}
            for n in range(1, 4)
        ]
    return question


def course_outline() -> dict[str, Any]:
    paragraph = "<p>" + "Biodiversity finance plans close the gap between needs and spending. " * 12 + "</p>"
    modules = []
    for number in range(1, MODULES + 1):
        items: list[dict[str, Any]] = [
            {
                "key": f"m{number}l{lesson}",
                "type": "lesson",
                "title": _texts(f"Lesson {number}.{lesson}"),
                "body": dict.fromkeys(LANGUAGES, paragraph * 3),
                "video_url": "https://video.example.org/v",
                "transcript": _texts("Transcript"),
                "files": [{"name": "Guide", "url": "https://example.org/guide.pdf"}],
            }
            for lesson in (1, 2)
        ]
        if number == MODULES:
            items.append(
                {
                    "key": "quiz",
                    "type": "quiz",
                    "title": _texts("Final quiz"),
                    "pass_mark": 70,
                    "max_attempts": 3,
                    "draw": 0,
                    "closes_at": None,
                    "questions": [_question(n) for n in range(1, QUESTIONS + 1)],
                }
            )
        modules.append({"key": f"m{number}", "title": _texts(f"Module {number}"), "items": items})
    return {"modules": modules}


def _child(requests: int) -> dict[str, Any]:
    import django

    django.setup()
    from django.core.cache import cache
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment

    from clearinghouse.learning import authoring
    from clearinghouse.organisations.models import Organisation, OrganisationType
    from clearinghouse.publishing import workflow
    from clearinghouse.vocabularies.models import Term

    call_command("migrate", verbosity=0)
    call_command("loadreference", verbosity=0)
    owner = Organisation.objects.create(
        name="Bench Training Network", name_language="en", type=OrganisationType.NGO
    )
    terms = list(Term.objects.filter(vocabulary__name="subjects")[:3])
    course = authoring.create(
        actor=None,
        owner=owner,
        language="en",
        cleaned={
            "title": "Developing a national biodiversity finance plan",
            "summary": "How a country plans the money its strategy needs.",
            "description": "<p>A long course.</p>",
            "level": "intermediate",
            "subjects": terms,
        },
    )
    outline = course_outline()

    def fill(current: dict[str, Any]) -> None:
        current["modules"] = outline["modules"]

    authoring.change_outline(course, fill, actor=None)
    authoring.submit(course, actor=None)
    workflow.publish(course, actor=None)

    # As the test runner does: the test client's host is allowed, e-mail stays in memory.
    setup_test_environment()
    client = Client()
    paths = [f"/{code}/learning/courses/{course.identifier}/" for code in ("en", "ar")]
    for number in range(WARM_UP):
        warm = client.get(paths[number % 2])
        if warm.status_code != 200:
            raise RuntimeError(f"{paths[number % 2]}: {warm.status_code} {warm.content[:300]!r}")
    # Counted as they run: Django empties its own log of queries when a request starts.
    queries: list[str] = []

    def count(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        queries.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        client.get(paths[0])
    timings = []
    for number in range(requests):
        begin = time.perf_counter()
        response = client.get(paths[number % 2])
        timings.append((time.perf_counter() - begin) * 1000)
        assert response.status_code == 200
    # The page's first request after the course changed: nothing of it in the cache yet.
    cold = []
    for number in range(COLD):
        cache.clear()
        begin = time.perf_counter()
        assert client.get(paths[number % 2]).status_code == 200
        cold.append((time.perf_counter() - begin) * 1000)
    return {
        "modules": MODULES,
        "questions": QUESTIONS,
        "requests": requests,
        "p50_ms": round(statistics.median(timings), 2),
        "p95_ms": round(percentile(timings, 0.95), 2),
        "max_ms": round(max(timings), 2),
        "uncached_p50_ms": round(statistics.median(cold), 2),
        "uncached_p95_ms": round(percentile(cold, 0.95), 2),
        "queries": len(queries),
        "bytes": len(response.content),
    }


def run(scale: str) -> list[str]:
    database, environment = fresh_sqlite(WORK_DIR, "learning")
    figures = in_child("bench.learning", REQUESTS[scale], environment | {"JOBS_IMMEDIATE": "1"}, "learning")
    figures |= {"cores": os.cpu_count(), "load_average": round(os.getloadavg()[0], 2)}
    line = (
        f"learning-course-page modules={figures['modules']} questions={figures['questions']} "
        f"requests={figures['requests']} p50_ms={figures['p50_ms']:.1f} p95_ms={figures['p95_ms']:.1f} "
        f"queries={figures['queries']} uncached_p95_ms={figures['uncached_p95_ms']:.1f}"
    )
    print(line, flush=True)
    # A quick run must not overwrite the full figures the documentation quotes.
    write_results(
        RESULTS if scale == "full" else RESULTS.with_name(f"learning-{scale}.json"), scale, [figures]
    )
    database.unlink(missing_ok=True)
    return [line]


def main() -> None:
    child.main(__doc__ or "", REQUESTS, "quick", _child, run)


if __name__ == "__main__":
    main()
