"""Certificates of completion: the learner's download of a certificate PDF, in Arabic and in
Chinese (the issue's limit: 1 s).

    python -m bench.learning_certificates --scale quick|full

Runs in a child process on a throw-away SQLite file under var/bench: a course, two learners who
complete it through ``progress.record`` (their certificates issued on completion), one studying in
Arabic and one in Chinese. Each download is timed whole: the request through Django's test client
(middleware, session, the certificate's look-up, the template, the QR code and WeasyPrint's PDF
with the Arabic or CJK fonts). ``first_s`` is the first download of the process (fonts loaded
then), p50/p95/max over the repetitions that follow. One line per language:

    learning-certificate language=<ar|zh> downloads=<n> first_s=<f> p50_s=<x> p95_s=<y> max_s=<m> bytes=<b>

Figures go to bench/results/learning-certificates.json (quick: learning-certificates-quick.json).
"""

from __future__ import annotations

import os
import statistics
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

from bench import child
from bench.child import fresh_sqlite, in_child, percentile, write_results

ROOT = Path(__file__).resolve().parent.parent
WORK_DIR = ROOT / "var" / "bench"
RESULTS = ROOT / "bench" / "results" / "learning-certificates.json"
REPETITIONS = {"quick": 5, "full": 30}
LIMIT_S = 1.0


def _child(repetitions: int) -> list[dict[str, Any]]:
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client

    from clearinghouse.core.testing import make_country, make_user
    from clearinghouse.geo.models import RegionalGroup
    from clearinghouse.learning import outline as outlines
    from clearinghouse.learning import progress
    from clearinghouse.learning.models import Course, Enrolment

    call_command("migrate", verbosity=0)
    kenya = make_country(
        "KE",
        "KEN",
        {"ar": "كينيا", "zh": "肯尼亚", "en": "Kenya", "fr": "Kenya", "ru": "Кения", "es": "Kenia"},
        regional_group=RegionalGroup.AFRICA,
    )
    texts = {"en": "Lesson", "ar": "درس", "zh": "课节"}
    course = Course.objects.create(
        identifier="CB-COURSE-KE-000001",
        owner_country=kenya,
        original_language="en",
        title={
            "en": "Introduction to invasive alien species",
            "ar": "مقدمة في الأنواع الغريبة الغازية",
            "zh": "外来入侵物种导论",
        },
        duration_hours=Decimal("6"),
        outline={
            "modules": [
                {
                    "key": "m1",
                    "title": texts,
                    "items": [{"key": "l1", "type": "lesson", "title": texts, "body": texts}],
                }
            ]
        },
        state="published",
        live=True,
    )
    figures = []
    for number, (language, name) in enumerate((("ar", ("ليلى", "حداد")), ("zh", ("美", "王")))):
        person = make_user(f"learner{number}", *name)
        enrolment = Enrolment.objects.create(course=course, person=person, language=language)
        for located in outlines.items(course.outline):
            progress.record(enrolment, located.item["key"], completed=True)
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(person)
        timings = []
        size = 0
        for _ in range(repetitions + 1):
            began = time.perf_counter()
            response = client.get(f"/en/learning/courses/{course.identifier}/certificate/")
            timings.append(time.perf_counter() - began)
            assert response.status_code == 200, response.status_code
            assert response.content.startswith(b"%PDF")
            size = len(response.content)
        warm = timings[1:]
        figures.append(
            {
                "language": language,
                "downloads": len(timings),
                "first_s": round(timings[0], 3),
                "p50_s": round(statistics.median(warm), 3),
                "p95_s": round(percentile(warm, 0.95), 3),
                "max_s": round(max(warm), 3),
                "bytes": size,
            }
        )
    return figures


def run(scale: str) -> list[str]:
    """Run at ``scale``; print and return one line per language, and write the figures."""
    database, environment = fresh_sqlite(WORK_DIR, "learning-certificates")
    measured = in_child("bench.learning_certificates", REPETITIONS[scale], environment, "certificate")
    lines = []
    for figures in measured:
        figures |= {"limit_s": LIMIT_S, "load_average": round(os.getloadavg()[0], 1), "cores": os.cpu_count()}
        lines.append(
            f"learning-certificate language={figures['language']} downloads={figures['downloads']} "
            f"first_s={figures['first_s']} p50_s={figures['p50_s']} p95_s={figures['p95_s']} "
            f"max_s={figures['max_s']} bytes={figures['bytes']} load={figures['load_average']}"
        )
        print(lines[-1], flush=True)
    # A quick run must not overwrite the full figures the documentation quotes.
    write_results(
        RESULTS if scale == "full" else RESULTS.with_name("learning-certificates-quick.json"), scale, measured
    )
    database.unlink(missing_ok=True)
    return lines


def main() -> None:
    child.main("Benchmark the certificate PDF.", REPETITIONS, "full", _child, run)


if __name__ == "__main__":
    main()
