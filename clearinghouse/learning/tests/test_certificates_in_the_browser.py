"""Certificates and statistics in a real browser: the verification form works without
JavaScript, the pages mirror in Arabic, and axe finds no serious accessibility problem."""

from __future__ import annotations

from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe

from clearinghouse.core.testing import build_world
from clearinghouse.events.models import Gender
from clearinghouse.learning.models import CourseCertificate
from clearinghouse.learning.tests.cert_factories import complete, enrol, learners, make_course

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _serious(page: Any) -> list[str]:
    results = Axe().run(page)
    return [
        f"{violation['id']}: {violation['help']}"
        for violation in results.response["violations"]
        if violation["impact"] in {"serious", "critical"}
    ]


def test_a_code_typed_without_javascript_leads_to_the_certificate(chromium: Any, live_server: Any) -> None:
    world = build_world()
    course = make_course(world)
    certificate = CourseCertificate.objects.get(enrolment=complete(enrol(course, world.learner)))
    for person in learners("woman", 6):
        enrol(course, person, consents_to_statistics=True, gender=Gender.WOMAN)
    context = chromium.new_context(java_script_enabled=False, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(f"{live_server.url}/ar/learning/verify/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    page.fill("#id_code", certificate.code.replace("-", " ").lower())
    page.locator("main button[type=submit]").click()
    page.wait_for_load_state()
    assert page.url.endswith(f"/ar/learning/verify/{certificate.code}/")
    assert "Mei Wang" in page.content()
    context.close()

    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    for path in (
        "/ar/learning/verify/",
        f"/ar/learning/verify/{certificate.code}/",
        f"/en/learning/verify/{certificate.code}/",
        "/ar/learning/statistics/",
        f"/en/learning/courses/{course.identifier}/statistics/",
    ):
        page.goto(f"{live_server.url}{path}")
        assert not _serious(page), (path, _serious(page))
    context.close()
