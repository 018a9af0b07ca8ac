"""A learner plays a SCORM 1.2 module in Chromium: the package, in its sandboxed frame, finds the
runtime in the player page, initialises it, commits, then sets a pass and a score and finishes
(the runtime sends that last commit as a beacon); the learner's progress is recorded, and no
Content-Security-Policy is violated on the way. Played again, the package is told to resume
where the learner left it."""

from __future__ import annotations

import time
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from clearinghouse.core.testing import World
from clearinghouse.learning.models import EnrolmentStatus, ItemProgress
from clearinghouse.learning.tests.scorm_factories import enrol, scorm_root, with_package
from tests.browser.pages import sign_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("scorm_root"),
]
__all__ = ["scorm_root"]

RECORD_VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__violations.push(`${event.violatedDirective} ${event.blockedURI}`);
});
"""


def test_a_learner_passes_a_scorm_module_in_the_browser(
    chromium: Any, live_server: Any, world: World, scorm_root: Path
) -> None:
    course, _package, key = with_package(world)
    enrolment = enrol(course, world.learner)
    context = chromium.new_context()
    context.add_init_script(RECORD_VIOLATIONS)
    page = context.new_page()
    sign_in(page, live_server, world.learner.email, "mei-passphrase-2026")

    page.goto(f"{live_server.url}/en/learning/courses/{course.identifier}/scorm/{key}/")
    frame = page.frame_locator("#scorm-frame")
    expect(frame.locator("#state")).to_have_text("done true true ab-initio|", timeout=15000)
    expect(page.locator("#scorm-status")).to_have_text("Your progress is saved.")

    # The finish is sent as a beacon, after the page went on: wait for it to arrive.
    for _attempt in range(50):
        row = ItemProgress.objects.get(enrolment=enrolment, item_key=key)
        if row.completed_at is not None:
            break
        time.sleep(0.1)
    assert row.completed_at is not None and row.passed is True and row.score == Decimal("0.8")
    assert row.data["core"]["lesson_location"] == "page-3"
    enrolment.refresh_from_db()
    assert enrolment.status == EnrolmentStatus.COMPLETED

    page.reload()
    expect(frame.locator("#state")).to_have_text("done true true resume|answers=b,c,a", timeout=15000)
    assert page.evaluate("window.__violations") == []
    context.close()
