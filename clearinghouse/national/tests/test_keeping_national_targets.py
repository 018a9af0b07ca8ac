"""A Party's focal point and authorised users keep its national targets; no one else does, and
the model keeps a code unique per Party and GBF alignments in the GBF vocabulary."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from clearinghouse.core.testing import World
from clearinghouse.national import services
from clearinghouse.national.models import NationalTarget
from clearinghouse.national.tests.conftest import gbf
from clearinghouse.vocabularies.models import Term

pytestmark = pytest.mark.usefixtures("vocabularies")


def test_the_focal_point_adds_a_target_and_an_authorised_user_translates_it(world: World) -> None:
    target = services.save_target(
        world.kenya,
        actor=world.focal_point,
        code=" T3 ",
        language="en",
        title="Conserve 30% of land and sea",
        gbf_targets=gbf("GBF-T3"),
        adopted_year=2025,
        nbsap={"name": "Kenya NBSAP 2025-2030", "year": 2025, "url": "https://example.org/nbsap"},
    )
    services.save_target(
        world.kenya,
        actor=world.authorised_user,
        code="T3",
        language="sw",
        title="Kuhifadhi asilimia 30 ya nchi kavu na bahari",
        gbf_targets=gbf("GBF-T3"),
        adopted_year=2025,
        target=target,
    )
    target.refresh_from_db()
    # The code is trimmed, and the English text stays beside the Kiswahili one.
    assert target.code == "T3" and target.original_language == "en"
    assert set(target.title) == {"en", "sw"}
    assert [term.code for term in target.gbf_targets.all()] == ["GBF-T3"]
    assert target.nbsap_name == "Kenya NBSAP 2025-2030"


def test_another_partys_focal_point_and_an_outsider_are_refused(world: World) -> None:
    for person in (world.other_focal_point, world.outsider, world.partner_editor):
        with pytest.raises(PermissionDenied):
            services.save_target(world.kenya, actor=person, code="T1", language="en", title="Plan all areas")
    assert not NationalTarget.objects.exists()
    # The Secretariat keeps every Party's.
    services.save_target(world.tanzania, actor=world.secretariat, code="T1", language="en", title="Plan")


def test_a_code_is_unique_per_party_only(world: World, kenyan_target: NationalTarget) -> None:
    with pytest.raises(ValidationError) as refused:
        services.save_target(world.kenya, actor=world.focal_point, code="T6", language="en", title="Again")
    assert "party" in str(refused.value).lower() or "code" in str(refused.value).lower()
    services.save_target(
        world.tanzania, actor=world.other_focal_point, code="T6", language="en", title="Ours"
    )
    assert NationalTarget.objects.filter(code="T6").count() == 2


def test_gbf_alignments_come_from_the_gbf_vocabulary(world: World) -> None:
    subject = Term.objects.exclude(vocabulary__name="gbf-targets").first()
    assert subject is not None
    with pytest.raises(ValidationError, match="not targets of the Global Biodiversity Framework"):
        services.save_target(
            world.kenya,
            actor=world.focal_point,
            code="T2",
            language="en",
            title="Restore",
            gbf_targets=[subject],
        )
    assert not NationalTarget.objects.exists()


def test_a_target_needs_a_title_and_a_real_language(world: World) -> None:
    with pytest.raises(ValidationError, match="title"):
        services.save_target(world.kenya, actor=world.focal_point, code="T2", language="en", title="   ")
    with pytest.raises(ValidationError, match="not a language code"):
        services.save_target(world.kenya, actor=world.focal_point, code="T2", language="xx", title="Restore")


def test_the_pages_let_the_focal_point_add_and_retire_and_refuse_another_party(
    world: World, client: Client
) -> None:
    add = reverse("national:add_target", args=["ke"])
    client.force_login(world.other_focal_point)
    assert client.get(add).status_code == 403
    assert client.post(add, {"code": "T9", "language": "en", "title": "X"}).status_code == 403
    client.force_login(world.focal_point)
    response = client.post(
        add,
        {
            "code": "T9",
            "language": "en",
            "title": "Sustainable use of wild species",
            "gbf_targets": [term.pk for term in gbf("GBF-T9")],
            "adopted_year": "2025",
        },
    )
    assert response.status_code == 302
    target = NationalTarget.objects.get(party=world.kenya, code="T9")
    # A second target with the same code is refused on the form, in the reader's language.
    again = client.post(add.replace("/en/", "/fr/", 1), {"code": "T9", "language": "en", "title": "Y"})
    assert again.status_code == 200 and NationalTarget.objects.filter(code="T9").count() == 1
    assert client.post(reverse("national:retire_target", args=["KE", target.pk])).status_code == 302
    target.refresh_from_db()
    assert target.retired_at is not None
    client.logout()
    page = client.get(reverse("national:targets", args=["KE"])).content.decode()
    # The public no longer sees a retired target.
    assert "Sustainable use of wild species" not in page


def test_the_public_reads_a_partys_targets(
    world: World, kenyan_target: NationalTarget, client: Client
) -> None:
    page = client.get(reverse("national:targets", args=["KE"])).content.decode()
    assert "Halve the spread of invasive alien species" in page
    assert reverse("national:add_target", args=["KE"]) not in page
