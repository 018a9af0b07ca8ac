"""Partners in the plan: a partner organisation's people state interest in an activity or report a
contribution; the Secretariat accepts or declines; accepted reports become evidence."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from clearinghouse.core.testing import World
from clearinghouse.monitoring.compute import Period, measure_values
from clearinghouse.plan import contributions
from clearinghouse.plan.importer import ImportReport
from clearinghouse.plan.models import (
    Activity,
    Contribution,
    ContributionKind,
    ContributionState,
    Evidence,
    EvidenceKind,
)
from clearinghouse.publishing.registry import measures
from clearinghouse.support.models import Resource
from clearinghouse.support.tests.factories import draft, published
from clearinghouse.support.tests.samples import sample


@pytest.fixture
def resource(world: World) -> Resource:
    return published(Resource, world, sample(Resource, world))


def _report(world: World, activity: Activity, **overrides: Any) -> Contribution:
    values: dict[str, Any] = {
        "organisation": world.kenyan_ngo,
        "description": "Formation des formateurs sur les espèces envahissantes au Kenya.",
        "language": "fr",
        "period": "2019-2020",
        "countries": [world.kenya],
        "identifiers": [],
        "url": "https://naturekenya.example/training",
        **overrides,
    }
    return contributions.report_contribution(world.partner_editor, activity, **values)


def _message(error: ValidationError, field: str) -> str:
    return " ".join(error.message_dict[field])


def test_only_the_organisations_people_contribute_in_its_name(plan: ImportReport, world: World) -> None:
    activity = Activity.objects.get(number=46)
    assert contributions.organisations_for(world.partner_editor) == [world.kenyan_ngo]
    assert contributions.organisations_for(world.iplc_representative) == [world.kenyan_iplc]
    assert contributions.organisations_for(world.secretariat) == []
    for person, organisation in [
        (world.partner_editor, world.kenyan_iplc),
        (world.iplc_representative, world.kenyan_ngo),
        (world.secretariat, world.kenyan_ngo),
        (world.focal_point, world.kenyan_ngo),
    ]:
        with pytest.raises(PermissionDenied):
            contributions.state_interest(
                person, activity, organisation=organisation, description="Nous contribuons.", language="fr"
            )
    interest = contributions.state_interest(
        world.iplc_representative,
        activity,
        organisation=world.kenyan_iplc,
        description="Тренинги для общин.",
        language="ru",
    )
    assert (interest.kind, interest.state) == (ContributionKind.INTEREST, ContributionState.WAITING)
    # Only the Secretariat reviews; a partner cannot accept its own statement.
    with pytest.raises(PermissionDenied):
        contributions.accept(world.iplc_representative, interest)
    with pytest.raises(PermissionDenied):
        contributions.withdraw(world.partner_editor, interest)


def test_one_statement_of_interest_per_organisation_even_at_the_same_moment(
    plan: ImportReport, world: World
) -> None:
    from unittest import mock

    activity = Activity.objects.get(number=46)

    def state() -> Contribution:
        return contributions.state_interest(
            world.partner_editor,
            activity,
            organisation=world.kenyan_ngo,
            description="Training.",
            language="en",
        )

    first = state()
    with pytest.raises(ValidationError) as refused:
        state()
    assert "already stated its interest" in str(refused.value.message_dict["organisation"])
    # Two people of the organisation at once: both pass the check, the database keeps one.
    with mock.patch.object(Contribution.objects, "filter") as checked:
        checked.return_value.exists.return_value = False
        with pytest.raises(ValidationError) as raced:
            state()
    assert "already stated its interest" in str(raced.value.message_dict["organisation"])
    assert Contribution.objects.filter(kind=ContributionKind.INTEREST).count() == 1
    # Once withdrawn, the organisation may state it again.
    contributions.withdraw(world.partner_editor, first)
    assert state().state == ContributionState.WAITING


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"description": "  "}, "description", "Describe the contribution."),
        ({"description": "x" * 2001}, "description", "Keep the description to 2000 characters."),
        ({"language": "sw"}, "language", "Choose the language of the description among the six languages."),
        ({"period": "2019-2021"}, "period", "Give the reporting period as a year (2019)"),
        ({"url": "naturekenya"}, "url", "Give a web address that starts with https:// or http://."),
        ({"url": ""}, "identifiers", "Give at least one piece of evidence"),
        ({"identifiers": ["CB-RES-KE-999999"]}, "identifiers", "CB-RES-KE-999999 is not a published record"),
    ],
)
def test_a_bad_report_is_refused_naming_the_field_and_nothing_is_saved(
    plan: ImportReport, world: World, overrides: dict[str, Any], field: str, message: str
) -> None:
    with pytest.raises(ValidationError) as caught:
        _report(world, Activity.objects.get(number=46), **overrides)
    assert message in _message(caught.value, field)
    assert not Contribution.objects.exists()


def test_an_unpublished_record_is_refused_and_messages_follow_the_persons_language(
    plan: ImportReport, world: World
) -> None:
    unpublished = draft(Resource, world, sample(Resource, world))
    with translation.override("fr"), pytest.raises(ValidationError) as caught:
        _report(world, Activity.objects.get(number=46), identifiers=[unpublished.identifier.lower()])
    assert unpublished.identifier in _message(caught.value, "identifiers")
    assert "n'est pas" in _message(caught.value, "identifiers")


def test_an_accepted_report_becomes_evidence_and_makes_the_organisation_a_partner(
    plan: ImportReport, world: World, resource: Resource
) -> None:
    activity = Activity.objects.get(number=46)
    activity.partners.remove(world.kenyan_ngo)
    report = _report(world, activity, identifiers=[resource.identifier.lower()])
    assert report.identifiers == [resource.identifier]
    assert list(report.countries.all()) == [world.kenya]
    with pytest.raises(PermissionDenied):
        contributions.accept(world.partner_editor, report)

    accepted = contributions.accept(world.secretariat, report)

    assert (accepted.state, accepted.reviewed_by) == (ContributionState.ACCEPTED, world.secretariat)
    evidence = {row.kind: row for row in Evidence.objects.filter(activity=activity)}
    assert set(evidence) == {EvidenceKind.RESOURCE, EvidenceKind.OTHER}
    assert evidence[EvidenceKind.RESOURCE].identifier == resource.identifier
    assert evidence[EvidenceKind.RESOURCE].added_by == world.secretariat
    assert evidence[EvidenceKind.OTHER].url == "https://naturekenya.example/training"
    assert world.kenyan_ngo in activity.partners.all()
    # Accepting twice would add the evidence twice: the second time is refused.
    with pytest.raises(ValidationError) as caught:
        contributions.accept(world.secretariat, report)
    assert "state" in caught.value.message_dict
    assert Evidence.objects.filter(activity=activity).count() == 2


def test_declining_needs_a_reason_and_only_waiting_items_are_withdrawn(
    plan: ImportReport, world: World
) -> None:
    activity = Activity.objects.get(number=46)
    report = _report(world, activity)
    with pytest.raises(ValidationError) as caught:
        contributions.decline(world.secretariat, report, reason="  ")
    assert "Say why" in _message(caught.value, "reason")
    report.refresh_from_db()
    assert report.state == ContributionState.WAITING

    declined = contributions.decline(world.secretariat, report, reason="The link shows no training.")
    assert (declined.state, declined.reason) == (ContributionState.DECLINED, "The link shows no training.")
    with pytest.raises(ValidationError):
        contributions.withdraw(world.partner_editor, declined)

    interest = contributions.state_interest(
        world.partner_editor, activity, organisation=world.kenyan_ngo, description="We train.", language="en"
    )
    with pytest.raises(ValidationError) as caught:
        contributions.state_interest(
            world.partner_editor, activity, organisation=world.kenyan_ngo, description="Again.", language="en"
        )
    assert "organisation" in caught.value.message_dict
    assert contributions.withdraw(world.partner_editor, interest).state == ContributionState.WITHDRAWN
    with pytest.raises(ValidationError):
        contributions.accept(world.secretariat, interest)
    assert not Evidence.objects.filter(activity=activity).exists()


def test_monitoring_counts_accepted_reports_and_the_organisations_that_contributed(
    plan: ImportReport, world: World
) -> None:
    activity = Activity.objects.get(number=46)
    accepted = contributions.accept(world.secretariat, _report(world, activity))
    contributions.accept(
        world.secretariat,
        contributions.state_interest(
            world.iplc_representative,
            Activity.objects.get(number=1),
            organisation=world.kenyan_iplc,
            description="Nous formons.",
            language="fr",
        ),
    )
    _report(world, activity)  # waiting: not counted
    contributions.decline(world.secretariat, _report(world, activity), reason="No evidence of it.")
    today = timezone.localdate()
    now, last_year = Period(today, today), Period.years(today.year - 1)
    reports, organisations = (
        measures()[code] for code in ("plan.contributions_accepted", "plan.contributing_organisations")
    )
    assert measure_values(reports, now) == {"": 1}
    assert measure_values(reports, last_year) == {"": 0}
    assert measure_values(reports, now, dimension="organisation_type") == {world.kenyan_ngo.type: 1}
    assert measure_values(reports, now, activity=46) == {"": 1}
    assert measure_values(organisations, now) == {"": 2}
    assert measure_values(organisations, now, dimension="kind") == {"report": 1, "interest": 1}
    assert accepted.reviewed_at is not None
