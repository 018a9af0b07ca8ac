"""Offline course packages: building the package of a generated 10-module course with realistic
text, and its size (the issue asks for at most 2 MB without video).

    python -m bench.learning_offline --scale quick|full

One line per language (printed, and returned by ``run``, which ``bench.run`` calls):

    learning-offline language=<code> modules=<m> lessons=<l> questions=<q> words=<w>
                     size_kb=<s> unzipped_kb=<u> build_ms_p50=<b> build_ms_max=<x> cached_ms_p50=<c>

The course is generated in memory (seeded): each module has four lessons of about 700 words in
paragraphs, headings and lists, a video link with its transcript, and a quiz of twelve questions
of every kind; the outline carries all six languages, as a real course may. ``build_ms`` is the
whole call that builds a package (``offline.build``: every page rendered, the quiz data, the
assets, zipped, then the learner's personal.js added), measured ``RUNS`` times in one process
after a first warm-up call; ``cached_ms`` is what a later learner's download costs (the kept
package read from storage and personalised). ``size_kb`` is the downloaded zip, ``unzipped_kb``
what it holds unpacked (generated text repeats a small vocabulary and compresses better than
prose: the unpacked size bounds what real text could weigh). No database is
touched: the course object is not saved (what is measured is the packaging, not the queries).
"""

from __future__ import annotations

import os
import random
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from bench import child
from bench.child import in_child, write_results

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results" / "learning-offline.json"
SEED = 2026
SCALES = {"quick": 3, "full": 15}
LANGUAGES = ("en", "ar")

# Words the generated lessons are written with (joined at random into sentences).
VOCABULARY = {
    "en": (
        "biodiversity ecosystem species habitat restoration conservation finance national strategy plan "
        "target indicator monitoring community indigenous knowledge benefit sharing access genetic resources "
        "protected area wetland forest coral reef mangrove invasive alien pollination soil water climate "
        "adaptation resilience governance policy budget ministry stakeholder participation consent capacity "
        "training data reporting review framework Kunming Montreal global convention parties implementation "
        "the of and to in for with on by as is are be that this which from their its at an or can should "
        "must will may also more than each every all between within through across local regional"
    ),
    "ar": (
        "التنوع البيولوجي النظام البيئي الأنواع الموائل الاستعادة الحفظ التمويل الاستراتيجية الوطنية خطة "
        "الهدف المؤشر الرصد المجتمع الشعوب الأصلية المعارف تقاسم المنافع الحصول الموارد الجينية المناطق "
        "المحمية الأراضي الرطبة الغابات الشعاب المرجانية المانغروف الأنواع الغازية التلقيح التربة المياه "
        "المناخ التكيف القدرة الحوكمة السياسات الميزانية الوزارة أصحاب المصلحة المشاركة الموافقة التدريب "
        "البيانات الإبلاغ الاستعراض الإطار العالمي الاتفاقية الأطراف التنفيذ في من إلى على مع عن هذا التي "
        "الذي كل بين خلال يجب يمكن أيضا أكثر المحلية الإقليمية"
    ),
}
WORDS = {code: text.split(" ") for code, text in VOCABULARY.items()}


def _sentence(rng: random.Random, language: str) -> str:
    words = rng.choices(WORDS[language], k=rng.randint(12, 24))
    text = " ".join(words)
    return text[0].upper() + text[1:] + "."


def _paragraph(rng: random.Random, language: str) -> str:
    return " ".join(_sentence(rng, language) for _ in range(rng.randint(4, 7)))


def _texts(rng: random.Random, make: Any) -> dict[str, str]:
    # Every language of the outline holds text: the English generator stands in for the four
    # languages not measured, so the package carries realistic other-language data (accepted answers).
    return {code: make(rng, code if code in WORDS else "en") for code in ("ar", "zh", "en", "fr", "ru", "es")}


def _body(rng: random.Random, language: str) -> str:
    parts = []
    for section in range(3):
        parts.append(f"<h3>{_sentence(rng, language)[:60]}</h3>")
        parts.extend(f"<p>{_paragraph(rng, language)}</p>" for _ in range(2))
        if section == 1:
            parts.append("<ul>" + "".join(f"<li>{_sentence(rng, language)}</li>" for _ in range(4)) + "</ul>")
    return "".join(parts)


def generate(modules: int = 10) -> dict[str, Any]:
    rng = random.Random(SEED)
    short = lambda r, code: _sentence(r, code)[:70]  # noqa: E731
    built = []
    for m in range(1, modules + 1):
        items: list[dict[str, Any]] = []
        for n in range(1, 5):
            items.append(
                {
                    "key": f"m{m}l{n}",
                    "type": "lesson",
                    "title": _texts(rng, short),
                    "body": _texts(rng, _body),
                    "video_url": f"https://video.example.org/course/m{m}l{n}.mp4",
                    "transcript": _texts(rng, _paragraph),
                    "files": [{"name": "Guide (PDF)", "url": f"https://files.example.org/m{m}l{n}.pdf"}],
                }
            )
        questions: list[dict[str, Any]] = []
        for q in range(12):
            key = f"m{m}q{q}"
            kind = ("single", "multiple", "true_false", "short", "matching")[q % 5]
            question: dict[str, Any] = {"key": key, "kind": kind, "text": _texts(rng, _sentence)}
            question["feedback"] = _texts(rng, _sentence)
            if kind in ("single", "multiple"):
                question["choices"] = [
                    {
                        "key": f"{key}c{c}",
                        "text": _texts(rng, short),
                        "correct": c == 0 or (kind == "multiple" and c == 1),
                    }
                    for c in range(4)
                ]
            elif kind == "true_false":
                question["answer"] = q % 2 == 0
            elif kind == "short":
                question["accepted"] = {code: [text[:20]] for code, text in _texts(rng, short).items()}
            else:
                question["pairs"] = [
                    {"key": f"{key}p{p}", "left": _texts(rng, short), "right": _texts(rng, short)}
                    for p in range(4)
                ]
            questions.append(question)
        items.append(
            {
                "key": f"m{m}q",
                "type": "quiz",
                "title": _texts(rng, short),
                "pass_mark": 70,
                "max_attempts": 3,
                "draw": 10,
                "closes_at": None,
                "questions": questions,
            }
        )
        built.append({"key": f"m{m}", "title": _texts(rng, short), "items": items})
    return {"modules": built}


def _unzipped(content: bytes) -> int:
    import io
    import zipfile

    with zipfile.ZipFile(io.BytesIO(content)) as package:
        return sum(info.file_size for info in package.infolist())


def _child(runs: int) -> list[dict[str, Any]]:
    import django

    django.setup()
    from django.test import override_settings

    from clearinghouse.learning import offline
    from clearinghouse.learning import outline as outlines
    from clearinghouse.learning.models import Course

    course_outline = generate()
    assert not outlines.problems(course_outline), outlines.problems(course_outline)[:3]
    course = Course(
        identifier="CB-COURSE-BENCH-1",
        title=dict.fromkeys(("en", "ar"), "Developing a national biodiversity finance plan"),
        summary=dict.fromkeys(("en", "ar"), "How to plan the money a national strategy needs."),
        outline=course_outline,
        live=True,
        live_revision_number=1,
        languages=["ar", "en"],
    )
    lessons = sum(1 for loc in outlines.items(course_outline) if loc.item["type"] == "lesson")
    questions = sum(len(q.get("questions", [])) for q in outlines.of_type(course_outline, "quiz"))
    measured = []
    with tempfile.TemporaryDirectory() as kept, override_settings(LEARNING_PACKAGE_ROOT=kept):
        for language in LANGUAGES:
            words = sum(
                len(str(loc.item.get("body", {}).get(language, "")).split())
                + len(str(loc.item.get("transcript", {}).get(language, "")).split())
                for loc in outlines.items(course_outline)
            )
            length = offline._personal_length(course, "")
            script = offline.personal_script(None, length, {})
            offline.personalise(offline.build(course, language), script)  # warm-up: templates, catalogues
            builds = []
            for _ in range(runs):
                started = time.perf_counter()
                content = offline.personalise(offline.build(course, language), script)
                builds.append((time.perf_counter() - started) * 1000)
            offline.base(course, language)  # kept in storage, as the first learner's download does
            cached = []
            for _ in range(runs):
                started = time.perf_counter()
                offline.personalise(offline.base(course, language), script)
                cached.append((time.perf_counter() - started) * 1000)
            measured.append(
                {
                    "language": language,
                    "modules": len(outlines.modules(course_outline)),
                    "lessons": lessons,
                    "questions": questions,
                    "words": words,
                    "size_bytes": len(content),
                    "size_kb": round(len(content) / 1024, 1),
                    # What the zip holds unpacked: the size a text that compresses worse could approach.
                    "unzipped_kb": round(_unzipped(content) / 1024, 1),
                    "build_ms_p50": round(statistics.median(builds), 1),
                    "build_ms_max": round(max(builds), 1),
                    "cached_ms_p50": round(statistics.median(cached), 2),
                    "runs": runs,
                    "load_average": round(os.getloadavg()[0], 1),
                    "cores": os.cpu_count(),
                }
            )
    return measured


def line(figures: dict[str, Any]) -> str:
    return (
        f"learning-offline language={figures['language']} modules={figures['modules']} "
        f"lessons={figures['lessons']} questions={figures['questions']} words={figures['words']} "
        f"size_kb={figures['size_kb']} unzipped_kb={figures['unzipped_kb']} "
        f"build_ms_p50={figures['build_ms_p50']} "
        f"build_ms_max={figures['build_ms_max']} cached_ms_p50={figures['cached_ms_p50']} "
        f"load={figures['load_average']}"
    )


def _results_file(scale: str) -> Path:
    # A quick run must not overwrite the full figures the documentation quotes.
    return RESULTS if scale == "full" else RESULTS.with_name(f"learning-offline-{scale}.json")


def run(scale: str) -> list[str]:
    """Run the benchmark at ``scale`` in a child process; print and return the result lines, and
    write the figures to the scale's results file."""
    environment = {"DJANGO_SETTINGS_MODULE": "clearinghouse.test_settings", "DEBUG": "0"}
    measured = in_child("bench.learning_offline", SCALES[scale], environment, "offline package")
    lines = [line(figures) for figures in measured]
    for text in lines:
        print(text, flush=True)
    write_results(_results_file(scale), scale, measured)
    return lines


def main() -> None:
    child.main("Benchmark offline course packages.", SCALES, "full", _child, run)


if __name__ == "__main__":
    main()
