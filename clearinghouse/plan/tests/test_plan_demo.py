"""The action plan's demo data: progress and evidence recorded by the Secretariat's demo person."""

from __future__ import annotations

import pytest
from django.core.management import CommandError

from clearinghouse.accounts import services as appointments
from clearinghouse.accounts.models import Role
from clearinghouse.core.testing import World, make_user
from clearinghouse.organisations.models import Organisation, OrganisationType
from clearinghouse.plan import demo
from clearinghouse.plan.importer import ImportReport
from clearinghouse.plan.models import Activity, ActivityProgress, Contribution, ContributionState, Evidence
from clearinghouse.support.models import Resource
from clearinghouse.support.tests.factories import published
from clearinghouse.support.tests.samples import sample


@pytest.fixture
def demo_secretariat(db: None) -> None:
    user = make_user("secretariat", "Amina", "Haddad", "ar")
    user.email = demo.SECRETARIAT_EMAIL
    user.save(update_fields=["email"])
    appointments.appoint(actor=None, user=user, role=Role.SECRETARIAT)


def test_the_demo_records_progress_in_the_six_languages_once(
    plan: ImportReport, demo_secretariat: None
) -> None:
    lines = demo.load()
    assert lines
    reports, links = ActivityProgress.objects.count(), Evidence.objects.count()
    assert ActivityProgress.objects.values("activity").distinct().count() >= 8
    assert set(ActivityProgress.objects.values_list("note_language", flat=True)) == {
        "ar",
        "zh",
        "en",
        "fr",
        "ru",
        "es",
    }
    assert set(ActivityProgress.objects.values_list("status", flat=True)) == {
        "not_started",
        "under_way",
        "completed",
        "discontinued",
    }
    assert Evidence.objects.filter(url="https://www.cbd.int/biobridge").exists()
    demo.load()
    assert (ActivityProgress.objects.count(), Evidence.objects.count()) == (reports, links)


def test_the_demo_needs_the_imported_plan(world: World, demo_secretariat: None) -> None:
    with pytest.raises(CommandError, match="clearinghouse importplan"):
        demo.load()


def test_the_demo_needs_the_demo_secretariat(plan: ImportReport) -> None:
    with pytest.raises(CommandError, match=demo.SECRETARIAT_EMAIL):
        demo.load()
    assert not ActivityProgress.objects.exists()
    assert Activity.objects.count() == 110


def test_the_demo_partners_contribute_in_the_six_languages_once(
    plan: ImportReport, demo_secretariat: None, world: World
) -> None:
    resource = published(Resource, world, sample(Resource, world))
    for email, acronym, kind, role in [
        (demo.IFDD_EMAIL, "IFDD", OrganisationType.INTERGOVERNMENTAL, Role.PARTNER_EDITOR),
        (demo.AIDESEP_EMAIL, "AIDESEP", OrganisationType.IPLC, Role.IPLC_REPRESENTATIVE),
    ]:
        organisation = Organisation.objects.create(
            name=acronym, name_language="fr", type=kind, acronym=acronym
        )
        person = make_user(email.split("@")[0], "Demo", "Partner")
        person.email = email
        person.save(update_fields=["email"])
        appointments.appoint(actor=None, user=person, role=role, organisation=organisation)

    demo.load()

    made = Contribution.objects.count()
    states = list(Contribution.objects.values_list("state", flat=True))
    assert states.count(ContributionState.WAITING) == 1
    assert Contribution.objects.get(state=ContributionState.DECLINED).reason
    assert set(Contribution.objects.values_list("language", flat=True)) == {
        "ar",
        "zh",
        "en",
        "fr",
        "ru",
        "es",
    }
    # Accepted reports brought the demo's published records as evidence.
    assert Evidence.objects.filter(identifier=resource.identifier).exists()
    evidence = Evidence.objects.count()
    demo.load()
    assert (Contribution.objects.count(), Evidence.objects.count()) == (made, evidence)
