from __future__ import annotations

from datetime import date

import pytest

from clearinghouse.core.testing import World
from clearinghouse.nodes import services
from clearinghouse.nodes.models import NationalCHM, Status, Technology
from clearinghouse.plan.models import Activity, Section
from clearinghouse.vocabularies.services import data_files, load_vocabularies


@pytest.fixture
def vocabularies(db: None) -> None:
    """The controlled vocabularies: a request for support is classified with their terms."""
    load_vocabularies(data_files())


@pytest.fixture
def activity_72(db: None) -> Activity:
    return Activity.objects.create(
        number=72, section=Section.CROSS_CUTTING, text_original="آلية غرفة تبادل المعلومات"
    )


@pytest.fixture
def kenyan_chm(world: World) -> NationalCHM:
    """Kenya's national CHM, planned in 2023 and functional since March 2024."""
    chm = services.register(
        world.kenya,
        actor=world.focal_point,
        status=Status.PLANNED,
        since=date(2023, 5, 2),
        values={"languages": ["en", "sw"], "contact_office": "National Biodiversity Information Office"},
    )
    services.update(
        chm,
        actor=world.focal_point,
        values={
            "website": "https://ke.chm-cbd.net",
            "technology": Technology.BIOLAND,
            "contact_email": "chm@biodiversity.go.ke",
        },
    )
    services.change_status(chm, actor=world.focal_point, status=Status.FUNCTIONAL, since=date(2024, 3, 1))
    chm.refresh_from_db()
    return chm
