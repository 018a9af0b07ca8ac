"""The package as a learner uses it: unzipped, opened from the file system in Chromium with no
network, a lesson read, a quiz answered and marked in the page, the progress file saved, then
uploaded and counted."""

from __future__ import annotations

import io
import json
import zipfile
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from clearinghouse.core.testing import World
from clearinghouse.learning import offline, offline_progress
from clearinghouse.learning.models import ItemProgress, QuizAttempt
from clearinghouse.learning.tests.offline_factories import (
    enrol,
    outline,
    package_root,  # noqa: F401  (autouse fixture)
    published,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db]


@pytest.fixture
def page(chromium: Any) -> Any:
    context = chromium.new_context(viewport={"width": 1000, "height": 800}, accept_downloads=True)
    yield context.new_page()
    context.close()


def test_a_learner_studies_offline_and_the_progress_counts(world: World, page: Any, tmp_path: Path) -> None:
    course = published(world, outline=outline(modules=1))
    enrolment = enrol(course, world.learner, "ar")
    folder = tmp_path / "unzipped"
    with zipfile.ZipFile(io.BytesIO(offline.download(enrolment, "ar").content)) as package:
        package.extractall(folder)
    requested: list[str] = []
    page.route("**/*", lambda route: (requested.append(route.request.url), route.continue_()))
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))

    page.goto((folder / "index.html").as_uri())
    assert page.locator("html").get_attribute("dir") == "rtl"
    page.click("text=عربي Lesson 1.1")
    page.wait_for_url("**/lesson-m1l1.html")
    page.wait_for_load_state()
    assert "عربي Body 1.1" in page.content()

    page.goto((folder / "quiz-m1q.html").as_uri())
    page.check("input[name=qs1][value=qs1a]")
    page.check("input[name=qm1][value=qm1a]")
    page.check("input[name=qm1][value=qm1b]")
    page.check("input[name=qt1][value=false]")  # wrong: the Convention did enter into force in 1993
    page.fill("input[name=qa1]", "  التنوع البيولوجي ")
    page.select_option("select[data-left=qp1p1]", "qp1p1")
    page.select_option("select[data-left=qp1p2]", "qp1p2")
    page.click("form.quiz button[type=submit]")
    assert "80%" in page.locator(".quiz-result").inner_text()

    page.goto((folder / "index.html").as_uri())
    assert page.locator('[data-item="m1l1"] .status').inner_text() != ""
    page.goto((folder / "progress.html").as_uri())
    with page.expect_download() as download:
        page.click("button.save-progress")
    content = Path(download.value.path()).read_bytes()

    # Nothing but the package's own files was requested, and no script failed.
    assert requested and all(url.startswith("file://") for url in requested), requested
    assert errors == []

    data = json.loads(content)
    assert [entry["type"] for entry in data["entries"]] == ["lesson", "attempt"]
    outcome = offline_progress.upload(enrolment, content)
    assert (outcome.lessons, outcome.attempts, outcome.skipped) == (1, 1, [])
    attempt = QuizAttempt.objects.get(enrolment=enrolment)
    # Marked again by the server: four of five right, as the page said.
    assert (attempt.score, attempt.passed) == (Decimal("0.8"), True)
    assert ItemProgress.objects.filter(
        enrolment=enrolment, item_key="m1l1", completed_at__isnull=False
    ).exists()


def test_the_package_pages_have_no_serious_accessibility_violations(
    world: World, page: Any, tmp_path: Path
) -> None:
    from axe_playwright_python.sync_playwright import Axe

    course = published(world, outline=outline(modules=1))
    enrolment = enrol(course, world.learner, "fr")
    folder = tmp_path / "unzipped"
    with zipfile.ZipFile(io.BytesIO(offline.download(enrolment, "fr").content)) as package:
        package.extractall(folder)
    found = []
    for name in ("index.html", "lesson-m1l1.html", "quiz-m1q.html", "progress.html"):
        page.goto((folder / name).as_uri())
        results = Axe().run(page)
        found += [
            f"{name} {violation['id']}: {violation['help']}"
            for violation in results.response["violations"]
            if violation["impact"] in {"serious", "critical"}
        ]
    assert not found, found
