"""The monitoring console's pages: who reaches which, the forms to compute, review, enter values,
set targets and baselines, their errors in the reader's language, and the link from "My work"."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from clearinghouse.core.testing import World
from clearinghouse.monitoring import services
from clearinghouse.monitoring.compute import Period
from clearinghouse.monitoring.models import Computation, ManualValue, Method, Target, Unit
from clearinghouse.monitoring.tests.test_console_services import make_indicator, submit

pytestmark = pytest.mark.django_db

CONSOLE = "/en/monitoring/console/"
SECRETARIAT_PAGES = [
    CONSOLE,
    f"{CONSOLE}review/",
    f"{CONSOLE}indicators/",
    f"{CONSOLE}indicators/3.1/",
]
VALUE_PAGES = [f"{CONSOLE}values/", f"{CONSOLE}values/3.2/"]
FORMS = [
    f"{CONSOLE}compute/",
    f"{CONSOLE}review/1/approve/",
    f"{CONSOLE}review/1/return/",
    f"{CONSOLE}values/3.2/",
    f"{CONSOLE}indicators/3.1/target/",
    f"{CONSOLE}indicators/3.1/baseline/",
]


@pytest.fixture
def indicators(world: World) -> None:
    make_indicator("3.1", Method.COMPUTED)
    make_indicator("3.2", unit=Unit.SHARE)


def test_the_public_is_sent_to_sign_in(client: Client, indicators: None) -> None:
    for address in SECRETARIAT_PAGES + VALUE_PAGES:
        response = client.get(address)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], address
    for address in FORMS:
        response = client.post(address, {})
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], address
    assert not Computation.objects.exists() and not ManualValue.objects.exists()


@pytest.mark.parametrize("person", ["learner", "authorised_user", "helpdesk_agent"])
def test_people_without_a_part_in_monitoring_are_refused(
    client: Client, world: World, indicators: None, person: str
) -> None:
    client.force_login(getattr(world, person))
    for address in SECRETARIAT_PAGES + VALUE_PAGES:
        assert client.get(address).status_code == 403, address
    for address in FORMS:
        assert client.post(address, {"years": "2025", "value": "1"}).status_code == 403, address
    assert not Computation.objects.exists() and not ManualValue.objects.exists()


@pytest.mark.parametrize("person", ["focal_point", "partner_editor"])
def test_focal_points_and_partners_editors_reach_only_the_forms_to_enter_values(
    client: Client, world: World, indicators: None, person: str
) -> None:
    client.force_login(getattr(world, person))
    for address in VALUE_PAGES:
        assert client.get(address).status_code == 200, address
        assert client.head(address).status_code == 200, address
    for address in SECRETARIAT_PAGES:
        assert client.get(address).status_code == 403, address


def test_the_secretariat_reaches_every_page_in_english_and_arabic(
    client: Client, world: World, indicators: None
) -> None:
    client.force_login(world.secretariat)
    for address in SECRETARIAT_PAGES + VALUE_PAGES:
        assert client.get(address).status_code == 200, address
        assert client.head(address).status_code == 200, address
        arabic = client.get(address.replace("/en/", "/ar/"))
        assert arabic.status_code == 200
        assert 'dir="rtl"' in arabic.content.decode()
    # Only indicators entered by hand take a value.
    assert client.get(f"{CONSOLE}values/3.1/").status_code == 404
    assert client.get(f"{CONSOLE}indicators/9.9/").status_code == 404


def test_the_secretariat_computes_a_biennium_from_the_page(
    client: Client, world: World, indicators: None, django_capture_on_commit_callbacks: Any
) -> None:
    client.force_login(world.secretariat)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"{CONSOLE}compute/", {"years": "2025-2026"})
    assert response.status_code == 302 and response["Location"] == CONSOLE
    computation = Computation.objects.get()
    assert computation.state == Computation.State.DONE
    page = client.get(CONSOLE).content.decode()
    assert "The indicators of 2025-2026 will be computed in a moment." in page
    assert '<th scope="row"><span dir="ltr">2025-2026</span></th>' in page
    assert "<td>Done</td>" in page and "Amina Haddad" in page


def test_a_custom_period_is_computed_and_the_state_refreshes_by_itself(
    client: Client, world: World, indicators: None
) -> None:
    client.force_login(world.secretariat)
    response = client.post(f"{CONSOLE}compute/", {"start": "2025-03-01", "end": "2025-06-30"})
    assert response.status_code == 302
    page = client.get(CONSOLE).content.decode()
    # Queued (the job runs after the request's transaction): the table asks again by itself.
    assert "<td>Queued</td>" in page and 'hx-trigger="every 5s"' in page
    fragment = client.get(CONSOLE, headers={"HX-Request": "true"}).content.decode()
    assert fragment.startswith('<div id="computations"') and "<h1>" not in fragment
    assert "2025-03-01/2025-06-30" in fragment


def test_the_compute_form_explains_its_errors_in_arabic(
    client: Client, world: World, indicators: None
) -> None:
    client.force_login(world.secretariat)
    response = client.post("/ar/monitoring/console/compute/", {})
    assert response.status_code == 400
    assert "اذكر سنة أو فترة سنتين، أو اليوم الأول والأخير من الفترة." in response.content.decode()
    response = client.post("/ar/monitoring/console/compute/", {"start": "2025-06-01", "end": "2025-03-01"})
    assert "تنتهي الفترة قبل أن تبدأ." in response.content.decode()
    services.request_computation(Period.years(2025), world.secretariat)
    response = client.post("/ar/monitoring/console/compute/", {"years": "2025"})
    assert response.status_code == 400
    assert "يجري حساب مؤشرات 2025 بالفعل" in response.content.decode()
    assert Computation.objects.count() == 1


def test_a_focal_point_enters_a_value_and_sees_its_review(
    client: Client, world: World, indicators: None
) -> None:
    client.force_login(world.focal_point)
    address = f"{CONSOLE}values/3.2/"
    response = client.post(
        address,
        {"years": "2025-2026", "value": "42.5", "evidence": "National reports", "language": "en"},
    )
    assert response.status_code == 302 and response["Location"] == f"{CONSOLE}values/"
    entered = ManualValue.objects.get()
    assert (entered.value, entered.submitted_by, entered.state) == (42.5, world.focal_point, "submitted")
    services.return_value(entered, world.secretariat, "Which reports?")
    page = client.get(f"{CONSOLE}values/").content.decode()
    assert "Returned for changes" in page and "Which reports?" in page


def test_a_value_refused_comes_back_beside_its_field_in_arabic(
    client: Client, world: World, indicators: None
) -> None:
    client.force_login(world.focal_point)
    response = client.post(
        "/ar/monitoring/console/values/3.2/",
        {"years": "2025", "value": "150", "evidence": "تقارير", "language": "ar"},
    )
    assert response.status_code == 400
    assert "النسبة المئوية بين 0 و100." in response.content.decode()
    response = client.post(
        "/ar/monitoring/console/values/3.2/", {"years": "2025-2027", "value": "-1", "language": "ar"}
    )
    page = response.content.decode()
    assert "هذا الحقل مطلوب." in page  # the evidence
    assert "فترة سنتين" in page  # the period
    assert not ManualValue.objects.exists()


def test_the_secretariat_approves_and_returns_values_from_the_review_page(
    client: Client, world: World, indicators: None, django_capture_on_commit_callbacks: Any
) -> None:
    indicator = make_indicator("3.3")
    first = submit(world, indicator)
    second = submit(world, indicator, value=3, by=world.partner_editor)
    client.force_login(world.secretariat)
    page = client.get(f"{CONSOLE}review/").content.decode()
    assert "Twelve NBSAPs submitted" in page and f'id="return-{second.pk}-note"' in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"{CONSOLE}review/{first.pk}/approve/", {"note": ""})
    assert response.status_code == 302 and response["Location"] == f"{CONSOLE}review/"
    first.refresh_from_db()
    assert first.state == ManualValue.State.APPROVED
    assert Computation.objects.get().state == Computation.State.DONE
    # Returning needs a note, in the reader's language; nothing changes without one.
    response = client.post(f"/ar/monitoring/console/review/{second.pk}/return/", {"note": ""})
    assert response.status_code == 400 and "هذا الحقل مطلوب." in response.content.decode()
    second.refresh_from_db()
    assert second.state == ManualValue.State.SUBMITTED
    response = client.post(f"{CONSOLE}review/{second.pk}/return/", {"note": "Give the source."})
    assert response.status_code == 302
    second.refresh_from_db()
    assert (second.state, second.review_note) == (ManualValue.State.RETURNED, "Give the source.")
    assert "No value is waiting for review." in client.get(f"{CONSOLE}review/").content.decode()
    # Reviewed already: a second decision (a double click, a second reviewer) is refused.
    response = client.post(f"{CONSOLE}review/{second.pk}/approve/", {"note": ""})
    assert response.status_code == 400
    second.refresh_from_db()
    assert second.state == ManualValue.State.RETURNED


def test_the_secretariat_sets_targets_and_the_baseline(
    client: Client, world: World, indicators: None
) -> None:
    client.force_login(world.secretariat)
    address = f"{CONSOLE}indicators/3.1/"
    response = client.post(f"{address}target/", {"years": "2025-2026", "value": "30"})
    assert response.status_code == 302 and response["Location"] == address
    response = client.post(f"{address}baseline/", {"year": "2020", "value": "12"})
    assert response.status_code == 302
    assert Target.objects.get().value == 30
    page = client.get(f"{CONSOLE}indicators/").content.decode()
    assert "12 in 2020" in page and "2025–2026</span>: 30" in page
    response = client.post("/ar/monitoring/console/indicators/3.1/target/", {"years": "2025", "value": "x"})
    assert response.status_code == 400 and "أدخل رقماً." in response.content.decode()
    response = client.post("/ar/monitoring/console/indicators/3.2/target/", {"years": "2025", "value": "101"})
    assert response.status_code == 400 and "النسبة المئوية بين 0 و100." in response.content.decode()
    assert Target.objects.count() == 1


def test_my_work_leads_the_secretariat_to_the_console(client: Client, world: World, indicators: None) -> None:
    submit(world, make_indicator("3.3"))
    client.force_login(world.secretariat)
    page = client.get("/en/work/").content.decode()
    assert f'href="{CONSOLE}"' in page and f'href="{CONSOLE}review/"' in page
    # The console itself counts what waits (the dashboard spends no query on it).
    assert "1 value entered by hand is waiting for review" in client.get(CONSOLE).content.decode()
    client.force_login(world.focal_point)
    page = client.get("/en/work/").content.decode()
    assert f'href="{CONSOLE}"' not in page and f'href="{CONSOLE}values/"' in page
    client.force_login(world.learner)
    assert "/monitoring/console/" not in client.get("/en/work/").content.decode()
