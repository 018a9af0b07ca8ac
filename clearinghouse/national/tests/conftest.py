from __future__ import annotations

import pytest

from clearinghouse.core.testing import World
from clearinghouse.national import services
from clearinghouse.national.models import NationalReport, NationalTarget, ReportKind
from clearinghouse.vocabularies.models import Term
from clearinghouse.vocabularies.services import data_files, load_vocabularies


@pytest.fixture
def vocabularies(db: None) -> None:
    """The controlled vocabularies: GBF targets come from one of them."""
    load_vocabularies(data_files())


def gbf(*codes: str) -> list[Term]:
    return list(Term.objects.filter(vocabulary__name="gbf-targets", code__in=codes))


@pytest.fixture
def kenyan_target(world: World, vocabularies: None) -> NationalTarget:
    return services.save_target(
        world.kenya,
        actor=world.focal_point,
        code="T6",
        language="en",
        title="Halve the spread of invasive alien species",
        gbf_targets=gbf("GBF-T6"),
        adopted_year=2025,
    )


@pytest.fixture
def kenyan_report(world: World) -> NationalReport:
    return services.save_report(
        world.kenya,
        actor=world.focal_point,
        values={
            "kind": ReportKind.SEVENTH,
            "year": 2026,
            "title": "Kenya's seventh national report",
            "language": "en",
            "url": "https://example.org/ke-nr7.pdf",
        },
    )
