"""The register's rules: who keeps a Party's national CHM, its status history as one line of
days, and nothing half-saved."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from clearinghouse.core.testing import World
from clearinghouse.nodes import services
from clearinghouse.nodes.models import NationalCHM, Status, StatusChange, Technology


def _statuses(chm: NationalCHM) -> list[tuple[str, date, date | None]]:
    return list(chm.history.order_by("since").values_list("status", "since", "until"))


def test_the_history_keeps_each_status_with_the_days_it_held(world: World, kenyan_chm: NationalCHM) -> None:
    services.change_status(
        kenyan_chm, actor=world.secretariat, status=Status.INACTIVE, since=date(2025, 7, 1)
    )
    kenyan_chm.refresh_from_db()
    assert _statuses(kenyan_chm) == [
        ("planned", date(2023, 5, 2), date(2024, 3, 1)),
        ("functional", date(2024, 3, 1), date(2025, 7, 1)),
        ("inactive", date(2025, 7, 1), None),
    ]
    # The entry repeats the current status for the lists.
    assert (kenyan_chm.status, kenyan_chm.status_since) == ("inactive", date(2025, 7, 1))


def test_a_change_dated_the_same_day_corrects_the_current_status(
    world: World, kenyan_chm: NationalCHM
) -> None:
    services.change_status(
        kenyan_chm, actor=world.focal_point, status=Status.INACTIVE, since=date(2024, 3, 1)
    )
    assert _statuses(kenyan_chm)[-1] == ("inactive", date(2024, 3, 1), None)
    assert kenyan_chm.history.count() == 2


@pytest.mark.parametrize(
    ("status", "since", "field"),
    [
        # Before the current status: the past would be rewritten.
        (Status.INACTIVE, date(2024, 1, 1), "since"),
        # The same status again is no change.
        (Status.FUNCTIONAL, date(2025, 1, 1), "status"),
    ],
)
def test_a_change_that_would_break_the_line_of_days_is_refused_and_nothing_is_saved(
    world: World, kenyan_chm: NationalCHM, status: Status, since: date, field: str
) -> None:
    before = _statuses(kenyan_chm)
    with pytest.raises(ValidationError) as refused:
        services.change_status(kenyan_chm, actor=world.focal_point, status=status, since=since)
    assert field in refused.value.message_dict
    assert _statuses(kenyan_chm) == before


def test_a_status_cannot_take_effect_in_the_future(world: World, kenyan_chm: NationalCHM) -> None:
    tomorrow = timezone.localdate() + timedelta(days=1)
    with pytest.raises(ValidationError):
        services.change_status(kenyan_chm, actor=world.focal_point, status=Status.INACTIVE, since=tomorrow)


def test_a_functional_chm_needs_a_website_and_the_whole_change_is_undone(world: World) -> None:
    chm = services.register(
        world.tanzania,
        actor=world.other_focal_point,
        status=Status.PLANNED,
        since=date(2024, 1, 1),
        values={},
    )
    with pytest.raises(ValidationError) as refused:
        services.change_status(
            chm, actor=world.other_focal_point, status=Status.FUNCTIONAL, since=date(2025, 1, 1)
        )
    assert "website" in refused.value.message_dict
    # The current status was not ended by the refused change.
    assert _statuses(chm) == [("planned", date(2024, 1, 1), None)]
    with pytest.raises(ValidationError):
        services.register(
            world.kenya, actor=world.secretariat, status=Status.FUNCTIONAL, since=date(2024, 1, 1), values={}
        )
    assert not NationalCHM.objects.filter(party=world.kenya).exists()


def test_the_database_holds_the_invariants_too(world: World, kenyan_chm: NationalCHM) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        NationalCHM.objects.filter(pk=kenyan_chm.pk).update(website="")
    with pytest.raises(IntegrityError), transaction.atomic():
        StatusChange.objects.filter(chm=kenyan_chm).update(until=None)


def test_entries_are_checked_in_the_readers_words(world: World, kenyan_chm: NationalCHM) -> None:
    with pytest.raises(ValidationError) as refused:
        services.update(
            kenyan_chm,
            actor=world.focal_point,
            values={"technology": Technology.OTHER, "technology_detail": "", "languages": ["en", "klingon"]},
        )
    assert set(refused.value.message_dict) == {"technology_detail", "languages"}
    kenyan_chm.refresh_from_db()
    assert kenyan_chm.technology == Technology.BIOLAND
    with pytest.raises(ValidationError):
        services.register(
            world.kenya, actor=world.secretariat, status=Status.PLANNED, since=date(2024, 1, 1), values={}
        )


def test_only_the_partys_focal_point_and_the_secretariat_keep_its_chm(
    world: World, kenyan_chm: NationalCHM
) -> None:
    # Tanzania's focal point, Kenya's authorised user, an organisation's editor, a learner.
    for person in (world.other_focal_point, world.authorised_user, world.partner_editor, world.learner):
        with pytest.raises(PermissionDenied):
            services.update(kenyan_chm, actor=person, values={"website": "https://elsewhere.example"})
        with pytest.raises(PermissionDenied):
            services.change_status(kenyan_chm, actor=person, status=Status.INACTIVE, since=date(2025, 1, 1))
    kenyan_chm.refresh_from_db()
    assert kenyan_chm.website == "https://ke.chm-cbd.net"
    services.update(kenyan_chm, actor=world.secretariat, values={"last_checked": date(2025, 6, 30)})
    kenyan_chm.refresh_from_db()
    assert kenyan_chm.last_checked == date(2025, 6, 30)
