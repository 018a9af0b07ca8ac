"""What participants bring: their own records only, of their side; a short need or offer
written at the round table is a draft submitted for review, brought by identifier."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from clearinghouse.events import roundtables
from clearinghouse.events.models import BroughtItem, RegistrationStatus, Side
from clearinghouse.events.tests.roundtable.conftest import Scene, register
from clearinghouse.matchmaking.tests.conftest import publish_need, publish_support
from clearinghouse.needs.models import Need
from clearinghouse.publishing.models import State
from clearinghouse.support.models import Offer
from clearinghouse.support.tests.factories import terms


def test_a_seeker_is_offered_their_partys_published_needs_and_a_provider_its_support(scene: Scene) -> None:
    world = scene.world
    assert [r.identifier for r in roundtables.bringable(world.authorised_user, Side.SEEKER)] == [
        scene.need.identifier
    ]
    assert scene.offer in roundtables.bringable(world.partner_editor, Side.PROVIDER)
    # Tanzania's focal point registers records for Tanzania only.
    assert roundtables.bringable(world.other_focal_point, Side.SEEKER) == []


def test_a_participant_brings_their_own_record(scene: Scene) -> None:
    world = scene.world
    second = publish_need(world, scene.commit, title="Herbarium staff trained in plant identification")
    roundtables.bring(scene.seeker, second.identifier.lower(), actor=world.authorised_user)
    assert list(scene.seeker.items.values_list("identifier", flat=True)) == [
        scene.need.identifier,
        second.identifier,
    ]


def test_a_strangers_record_is_refused_and_nothing_is_brought(scene: Scene) -> None:
    world = scene.world
    with pytest.raises(roundtables.RoundTableError, match="not one of your records"):
        roundtables.bring(scene.other_seeker, scene.need.identifier, actor=world.other_focal_point)
    assert not scene.other_seeker.items.exists()


@pytest.mark.parametrize(
    ("identifier", "message"),
    [
        ("CB-NEED-KE-999999", "No record has the identifier"),
        ("nonsense", "No record has the identifier"),
    ],
)
def test_an_unknown_identifier_is_refused(scene: Scene, identifier: str, message: str) -> None:
    with pytest.raises(roundtables.RoundTableError, match=message):
        roundtables.bring(scene.seeker, identifier, actor=scene.world.authorised_user)


def test_a_seeker_cannot_bring_support_nor_a_provider_a_need(scene: Scene) -> None:
    world = scene.world
    own_offer = publish_support(world, scene.commit, title="Nature Kenya's field guides")
    with pytest.raises(roundtables.RoundTableError, match="brings offers"):
        roundtables.bring(scene.provider, scene.need.identifier, actor=world.partner_editor)
    scene.provider.side = Side.SEEKER
    scene.provider.save()
    with pytest.raises(roundtables.RoundTableError, match="brings needs and requests"):
        roundtables.bring(scene.provider, own_offer.identifier, actor=world.partner_editor)


def test_bringing_twice_is_refused(scene: Scene) -> None:
    with pytest.raises(roundtables.RoundTableError, match="already bring"):
        roundtables.bring(scene.seeker, scene.need.identifier, actor=scene.world.authorised_user)
    assert scene.seeker.items.count() == 1


def test_someone_else_cannot_change_what_a_participant_brings(scene: Scene) -> None:
    with pytest.raises(PermissionDenied):
        roundtables.bring(scene.seeker, scene.need.identifier, actor=scene.world.partner_editor)


def test_a_registration_not_confirmed_brings_nothing(scene: Scene) -> None:
    waiting = register(
        scene.event, scene.world.focal_point, side=Side.SEEKER, status=RegistrationStatus.PENDING
    )
    with pytest.raises(roundtables.RoundTableError, match="Only confirmed participants"):
        roundtables.bring(waiting, scene.need.identifier, actor=scene.world.focal_point)


def test_changing_side_drops_the_items_of_the_other_side(scene: Scene) -> None:
    roundtables.set_side(scene.seeker, Side.PROVIDER, actor=scene.world.authorised_user)
    assert not scene.seeker.items.exists()
    with pytest.raises(roundtables.RoundTableError, match="seek support or offer"):
        roundtables.set_side(scene.seeker, "both", actor=scene.world.authorised_user)


def test_a_short_need_is_a_draft_submitted_for_review_and_brought(scene: Scene) -> None:
    world = scene.world
    written = roundtables.write_short(
        scene.seeker,
        roundtables.ShortRecord(
            kind="need",
            owner=world.kenya,
            language="en",
            title="Mangrove restoration monitoring",
            description="Our coastal county needs a monitoring protocol for restored mangroves.",
            support_types=terms("training"),
            subjects=terms("SUBJ-INVASIVE-ALIEN-SPECIES"),
            priority="high",
            instruments=terms("CBD"),
            capacity_levels=terms("individual"),
        ),
        actor=world.authorised_user,
    )
    need = Need.objects.get(pk=written.record.pk)
    assert written.problems == []
    # Submitted through the normal workflow: a reviewer publishes it, nobody else.
    assert need.state == State.SUBMITTED and not need.live
    assert need.contact_email == world.authorised_user.email
    assert scene.seeker.items.filter(identifier=need.identifier).exists()
    # Others do not see it until it is published.
    assert roundtables.items_of([scene.seeker])[scene.seeker.pk] == [scene.need]
    assert need in roundtables.items_of([scene.seeker], published_only=False)[scene.seeker.pk]


def test_a_short_need_missing_what_review_asks_stays_a_draft_and_says_what_to_add(scene: Scene) -> None:
    world = scene.world
    written = roundtables.write_short(
        scene.seeker,
        roundtables.ShortRecord(
            kind="need",
            owner=world.kenya,
            language="en",
            title="Mangrove restoration monitoring",
            description="A monitoring protocol for restored mangroves.",
            support_types=terms("training"),
        ),
        actor=world.authorised_user,
    )
    assert Need.objects.get(pk=written.record.pk).state == State.DRAFT
    assert "Fill in before submitting" in written.problems[0]


def test_a_short_offer_is_submitted_for_review(scene: Scene) -> None:
    world = scene.world
    written = roundtables.write_short(
        scene.provider,
        roundtables.ShortRecord(
            kind="offer",
            owner=world.kenyan_ngo,
            language="fr",
            title="Formation à l'identification des espèces",
            description="Trois jours de formation pour les inspecteurs.",
            support_types=terms("training"),
        ),
        actor=world.partner_editor,
    )
    offer = Offer.objects.get(pk=written.record.pk)
    assert offer.state == State.SUBMITTED and offer.title == {
        "fr": "Formation à l'identification des espèces"
    }
    assert written.problems == []


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"title": " "}, "title"),
        ({"description": ""}, "description"),
        ({"support_types": []}, "support_types"),
    ],
)
def test_a_short_record_without_its_essentials_is_refused_and_nothing_saved(
    scene: Scene, changes: dict[str, object], field: str
) -> None:
    world = scene.world
    values: dict[str, object] = {
        "kind": "offer",
        "owner": world.kenyan_ngo,
        "language": "en",
        "title": "Field guides",
        "description": "Printed guides.",
        "support_types": terms("training"),
    } | changes
    with pytest.raises(roundtables.RoundTableError) as raised:
        roundtables.write_short(scene.provider, roundtables.ShortRecord(**values), actor=world.partner_editor)  # type: ignore[arg-type]
    assert field in raised.value.message_dict
    assert Offer.objects.count() == 1 and BroughtItem.objects.count() == 2


def test_a_short_record_for_someone_else_is_refused(scene: Scene) -> None:
    world = scene.world
    short = roundtables.ShortRecord(
        kind="offer",
        owner=world.tanzanian_ngo,
        language="en",
        title="Field guides",
        description="Printed guides.",
        support_types=terms("training"),
    )
    with pytest.raises(PermissionDenied):
        roundtables.write_short(scene.provider, short, actor=world.partner_editor)
    assert Offer.objects.count() == 1
