"""Partners contribute from an activity's page; the Secretariat reviews in its queue; everyone sees
the accepted contributions on the activity's page."""

from __future__ import annotations

from django.test import Client

from clearinghouse.core.testing import World
from clearinghouse.plan.importer import ImportReport
from clearinghouse.plan.models import Contribution, ContributionState, Evidence
from clearinghouse.support.models import Resource
from clearinghouse.support.tests.factories import published
from clearinghouse.support.tests.samples import sample

DESCRIPTION = "Nature Kenya forme des agents des douanes aux espèces envahissantes."


def _report(world: World, **overrides: object) -> dict[str, object]:
    return {
        "organisation": world.kenyan_ngo.pk,
        "description": DESCRIPTION,
        "language": "fr",
        "period": "2019",
        "countries": [world.kenya.pk],
        "identifiers": "",
        "url": "",
    } | overrides


def test_a_partner_contributes_in_french_and_the_secretariat_accepts_in_arabic(
    plan: ImportReport, client: Client, world: World
) -> None:
    resource = published(Resource, world, sample(Resource, world))
    client.force_login(world.partner_editor)
    assert 'href="/fr/plan/contributions/mine/"' in client.get("/fr/plan/").content.decode()
    interest = {"organisation": world.kenyan_ngo.pk, "description": "Nous formons.", "language": "fr"}
    assert client.post("/fr/plan/46/interest/", interest).status_code == 302
    response = client.post(
        "/fr/plan/46/contribution/", _report(world, identifiers=resource.identifier.lower())
    )
    assert response.status_code == 302
    # The partner sees what waits; the public does not.
    assert DESCRIPTION in client.get("/fr/plan/contributions/mine/").content.decode()
    assert DESCRIPTION in client.get("/fr/plan/46/").content.decode()
    assert DESCRIPTION not in Client().get("/fr/plan/46/").content.decode()
    assert client.get("/fr/plan/contributions/review/").status_code == 403

    client.force_login(world.secretariat)
    assert 'href="/ar/plan/contributions/review/"' in client.get("/ar/plan/").content.decode()
    queue = client.get("/ar/plan/contributions/review/").content.decode()
    assert queue.index("Nous formons.") < queue.index(DESCRIPTION)  # oldest first
    for contribution in Contribution.objects.all():
        assert client.post(f"/ar/plan/contributions/{contribution.pk}/accept/").status_code == 302
    assert set(Contribution.objects.values_list("state", flat=True)) == {ContributionState.ACCEPTED}
    assert Evidence.objects.get(activity__number=46).identifier == resource.identifier

    page = Client().get("/ar/plan/46/").content.decode()
    assert f'<p lang="fr" dir="ltr">{DESCRIPTION}</p>'.replace("'", "&#x27;") in page
    assert f'href="/ar/records/{resource.identifier}/"' in page
    assert "2019" in page


def test_bad_input_keeps_what_was_typed_and_names_the_field_in_the_persons_language(
    plan: ImportReport, client: Client, world: World
) -> None:
    client.force_login(world.partner_editor)
    response = client.post("/es/plan/46/contribution/", _report(world, period="2019-2022"))
    page = response.content.decode()
    assert response.status_code == 200
    assert DESCRIPTION in page.replace("&#x27;", "'")
    assert "bienio" in page  # the period's message, in Spanish
    response = client.post("/es/plan/46/contribution/", _report(world, identifiers="CB-RES-KE-999999"))
    assert "CB-RES-KE-999999" in response.content.decode()
    assert not Contribution.objects.exists()


def test_a_decline_needs_a_reason_which_the_partner_then_reads(
    plan: ImportReport, client: Client, world: World
) -> None:
    client.force_login(world.partner_editor)
    client.post("/en/plan/46/contribution/", _report(world, url="https://naturekenya.example/customs"))
    contribution = Contribution.objects.get()
    assert client.post(f"/en/plan/contributions/{contribution.pk}/accept/").status_code == 403
    client.force_login(world.secretariat)
    response = client.post(f"/en/plan/contributions/{contribution.pk}/decline/", {"reason": ""})
    assert "This field is required." in response.content.decode()
    client.post(
        f"/en/plan/contributions/{contribution.pk}/decline/", {"reason": "No customs training shown."}
    )
    client.force_login(world.partner_editor)
    assert "No customs training shown." in client.get("/en/plan/46/").content.decode()
    assert "No customs training shown." not in Client().get("/en/plan/46/").content.decode()
