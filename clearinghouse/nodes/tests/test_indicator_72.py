"""Indicator 72.1, the Parties with a functional national CHM at the end of a period, counted
from the status history: any past period as it was then."""

from __future__ import annotations

from datetime import date

import pytest
import yaml

from clearinghouse.core.testing import World
from clearinghouse.monitoring import catalogue, compute
from clearinghouse.monitoring.compute import Period, measure_values
from clearinghouse.monitoring.models import Indicator, Method, Value
from clearinghouse.nodes import services
from clearinghouse.nodes.models import NationalCHM, Status
from clearinghouse.plan.models import Activity
from clearinghouse.publishing.registry import measures


@pytest.fixture
def tanzanian_chm(world: World) -> NationalCHM:
    """Functional through 2024, inactive from mid-2025."""
    chm = services.register(
        world.tanzania,
        actor=world.other_focal_point,
        status=Status.FUNCTIONAL,
        since=date(2023, 9, 1),
        values={"website": "https://tz.chm-cbd.net"},
    )
    services.change_status(
        chm, actor=world.other_focal_point, status=Status.INACTIVE, since=date(2025, 6, 15)
    )
    return chm


def test_the_measure_counts_parties_functional_at_the_end_of_each_period(
    world: World, kenyan_chm: NationalCHM, tanzanian_chm: NationalCHM
) -> None:
    functional = measures()["nodes.functional_parties"]
    assert measure_values(functional, Period.years(2023)) == {"": 1}  # Tanzania; Kenya only planned
    assert measure_values(functional, Period.years(2024), dimension="party") == {"KE": 1, "TZ": 1}
    assert measure_values(functional, Period.years(2025), dimension="party") == {"KE": 1}
    # The day a status ends belongs to the next one.
    assert measure_values(functional, Period(date(2025, 1, 1), date(2025, 6, 14))) == {"": 2}
    assert measure_values(functional, Period(date(2025, 1, 1), date(2025, 6, 15))) == {"": 1}
    assert measure_values(functional, Period.years(2022)) == {"": 0}


def test_the_catalogue_computes_72_1_with_it_by_region(
    world: World, kenyan_chm: NationalCHM, tanzanian_chm: NationalCHM, activity_72: Activity
) -> None:
    # As the catalogue file declares it (monitoring's own tests load the whole file over the plan).
    rows = yaml.safe_load(catalogue.CATALOGUE_FILE.read_text(encoding="utf-8"))["indicators"]
    entry = next(row for row in rows if row["code"] == "72.1")
    assert (entry["method"], entry["numerator"]) == (Method.COMPUTED, "nodes.functional_parties")
    assert {"region", "party"} <= set(entry["disaggregations"])
    Indicator.objects.create(
        code="72.1",
        activity=activity_72,
        area=entry["area"],
        method=entry["method"],
        numerator=entry["numerator"],
        disaggregations=entry["disaggregations"],
    )
    computation = compute.compute(Period.years(2024, 2025))
    cells = {
        (value.dimension, value.key): value.value for value in Value.objects.filter(computation=computation)
    }
    assert cells[("", "")] == 1  # at the end of the biennium, Kenya only
    assert cells[("party", "KE")] == 1 and ("party", "TZ") not in cells
