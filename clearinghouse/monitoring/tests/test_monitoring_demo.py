"""The monitoring demo: the catalogue, targets for 2025-2026, values entered by hand and the
computations of the years and bienniums the statistics pages show, loaded once."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from clearinghouse.accounts import services as appointments
from clearinghouse.accounts.models import Role
from clearinghouse.core.testing import World, make_user
from clearinghouse.monitoring import compute, demo
from clearinghouse.monitoring.models import Computation, Indicator, ManualValue, Target, Value
from clearinghouse.monitoring.tests.reporting import without_pdf
from clearinghouse.plan.importer import import_plan

PLAN_FILE = Path(__file__).resolve().parents[2] / "plan" / "data" / "decision-XIII-23-ar.txt"


@pytest.fixture
def demo_people(world: World) -> None:
    for username, email, role in (
        ("secretariat", demo.SECRETARIAT_EMAIL, Role.SECRETARIAT),
        ("focalpoint", demo.FOCAL_POINT_EMAIL, Role.FOCAL_POINT),
    ):
        user = make_user(username, "Demo", username.title())
        user.email = email
        user.save(update_fields=["email"])
        if role == Role.SECRETARIAT:
            appointments.appoint(actor=None, user=user, role=role)


def test_the_demo_sets_targets_enters_values_and_computes_the_periods_once(
    demo_people: None, monkeypatch: Any, settings: Any, tmp_path: Path
) -> None:
    settings.VAR_DIR = tmp_path
    settings.REPORTS_ROOT = tmp_path / "reports"

    # The demo report's files are tested in test_report_demo; the DOCX is enough here.
    without_pdf(monkeypatch)
    import_plan(PLAN_FILE)

    assert demo.load()
    assert Indicator.objects.count() > 193
    assert Target.objects.filter(period_start=2025, period_end=2026).count() == len(demo.TARGETS)
    states = dict(ManualValue.objects.values_list("indicator__code", "state"))
    assert states == {"89.1": "approved", "73.3": "approved", "16.1": "submitted"}
    assert set(ManualValue.objects.values_list("language", flat=True)) == {"en", "fr"}
    done = Computation.objects.filter(state=Computation.State.DONE)
    assert sorted((c.start.year, c.end.year) for c in done) == [
        (2023, 2024),
        (2024, 2024),
        (2025, 2025),
        (2025, 2026),
        (2026, 2026),
    ]
    # An approved value counts in its own period; one waiting for review does not.
    biennium = compute.current(compute.Period.years(2023, 2024))
    assert Value.objects.get(computation=biennium, indicator__code="89.1").value == 4
    assert not Value.objects.filter(indicator__code="16.1").exists()

    demo.load()
    assert Computation.objects.count() == 5
    assert ManualValue.objects.count() == 3
