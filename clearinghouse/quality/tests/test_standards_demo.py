"""The standards' demo: the file's standards and checklists in force, the training-events
standard in its second version (an accessibility criterion added by the Secretariat), a draft of
the courses standard; loaded once however often it runs."""

from __future__ import annotations

from typing import Any

import pytest

from clearinghouse.accounts.demo import DEMO_DOMAIN
from clearinghouse.quality import demo_standards
from clearinghouse.quality.models import ChecklistTemplate, Criterion, Standard, TemplateStep, VersionStatus

pytestmark = pytest.mark.django_db


def test_the_demo_loads_the_standards_and_the_secretariats_versions_once(world: Any) -> None:
    # The demo's Secretariat (the accounts' demo gives the address; the world the role).
    world.secretariat.email = f"secretariat{DEMO_DOMAIN}"
    world.secretariat.save(update_fields=["email"])
    demo_standards.load()
    counts = (Standard.objects.count(), Criterion.objects.count(), TemplateStep.objects.count())
    demo_standards.load()
    assert (Standard.objects.count(), Criterion.objects.count(), TemplateStep.objects.count()) == counts

    assert Standard.objects.filter(status=VersionStatus.IN_FORCE).count() == 5
    assert ChecklistTemplate.objects.filter(status=VersionStatus.IN_FORCE).count() == 3
    events = Standard.objects.get(code="training-events", status=VersionStatus.IN_FORCE)
    assert events.version == 2 and events.created_by == world.secretariat
    # The accessibility criterion sits with the delivery ones, before the evaluation.
    added = events.criteria.get(position=7)
    assert added.group["en"] == "Delivery" and "disabilities" in added.text["en"]
    assert set(added.text) == {"ar", "zh", "en", "fr", "ru", "es"}
    assert Standard.objects.get(code="training-events", version=1).status == VersionStatus.RETIRED
    draft = Standard.objects.get(code="courses", status=VersionStatus.DRAFT)
    assert "regional partners" in draft.summary["en"]
    assert Standard.objects.get(code="courses", status=VersionStatus.IN_FORCE).version == 1
