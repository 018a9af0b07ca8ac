"""A template downloaded in French, filled in offline, uploaded: drafts with the right values,
and the same file uploaded again creates nothing."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from clearinghouse.core.testing import World
from clearinghouse.needs.models import Need, NeedsAssessment
from clearinghouse.needs.offline.filling import FRENCH_ASSESSMENT, FRENCH_NEED, fill_workbook, generated_needs
from clearinghouse.needs.offline.importer import import_workbook
from clearinghouse.needs.offline.template import build_workbook
from clearinghouse.publishing.models import State
from clearinghouse.vocabularies.services import data_files, load_vocabularies


@pytest.fixture(autouse=True)
def _vocabularies(db: None) -> None:
    load_vocabularies(data_files())


def _codes(need: Need, name: str) -> list[str]:
    return sorted(term.code for term in getattr(need, name).all())


def test_five_needs_filled_in_a_french_template_become_five_drafts_with_their_values(world: World) -> None:
    rows = [
        FRENCH_NEED | {"title": f"Formation à la taxonomie des plantes, groupe {number}"}
        for number in range(1, 6)
    ]
    result = import_workbook(
        world.authorised_user, world.kenya, fill_workbook(build_workbook("fr"), rows), "fr"
    )

    assert result.problems == []
    assert (len(result.created), result.unchanged) == (5, 0)
    needs = list(Need.objects.filter(owner_country=world.kenya).order_by("identifier"))
    assert [need.title for need in needs] == [{"fr": row["title"]} for row in rows]
    need = needs[0]
    assert (need.state, need.live, need.format_version, need.original_language) == (
        State.DRAFT,
        False,
        "1.0",
        "fr",
    )
    assert need.created_by == world.authorised_user
    assert need.priority == "high"  # read from "high — Haute", as the drop-down writes it
    assert _codes(need, "subjects") == ["SUBJ-PROTECTED-AREAS", "SUBJ-RESTORATION"]
    assert _codes(need, "capacity_levels") == ["individual", "organisational"]
    assert _codes(need, "gbf_targets") == ["GBF-T6"]
    assert (need.start_year, need.end_year, need.estimated_cost, need.currency) == (
        2027,
        2028,
        Decimal("25000.00"),
        "EUR",
    )
    assert need.support_languages == ["fr", "en"]
    assert (need.contact_name, need.contact_email) == ("Awa Diallo", "awa.diallo@example.org")
    assert need.import_key and need.assessment is None


def test_uploading_the_same_file_again_creates_nothing(world: World) -> None:
    workbook = fill_workbook(build_workbook("fr"), generated_needs(5), FRENCH_ASSESSMENT)
    first = import_workbook(world.authorised_user, world.kenya, workbook, "fr")
    again = import_workbook(world.focal_point, world.kenya, workbook, "fr")

    assert (len(first.created), first.unchanged) == (6, 0)
    assert (len(again.created), again.unchanged, again.problems) == (0, 6, [])
    assert Need.objects.count() == 5
    assert NeedsAssessment.objects.count() == 1


def test_the_same_rows_for_another_owner_are_new_needs(world: World) -> None:
    workbook = fill_workbook(build_workbook("fr"), generated_needs(2))
    import_workbook(world.authorised_user, world.kenya, workbook, "fr")
    # The owner is part of the import key: Tanzania's copy is Tanzania's own.
    result = import_workbook(world.other_focal_point, world.tanzania, workbook, "fr")
    assert (len(result.created), result.unchanged) == (2, 0)


def test_the_assessment_sheet_becomes_a_draft_assessment_linked_to_the_needs(world: World) -> None:
    workbook = fill_workbook(build_workbook("fr"), generated_needs(3), FRENCH_ASSESSMENT)
    result = import_workbook(world.partner_editor, world.kenyan_ngo, workbook, "fr")

    assessment = NeedsAssessment.objects.get()
    assert result.created[0] == assessment
    assert assessment.owner == world.kenyan_ngo
    assert assessment.title == {"fr": FRENCH_ASSESSMENT["title"]}
    assert (assessment.scope, assessment.period_start, assessment.period_end) == ("national", 2026, 2030)
    assert assessment.participants_total == 120
    assert set(Need.objects.values_list("assessment", flat=True)) == {assessment.pk}


def test_only_people_who_may_draft_for_the_owner_can_import(world: World) -> None:
    workbook = fill_workbook(build_workbook("fr"), generated_needs(1))
    with pytest.raises(PermissionDenied):
        import_workbook(world.authorised_user, world.tanzania, workbook, "fr")
    with pytest.raises(PermissionDenied):
        import_workbook(world.outsider, world.kenya, workbook, "fr")
    assert not Need.objects.exists()
