"""A file with problems imports nothing; the job's page lists every problem by sheet, row and
column, in the language of the person who uploaded it."""

from __future__ import annotations

from django.test import Client
from django.utils import translation
from django.utils.translation import gettext as _

from clearinghouse.core.testing import World
from clearinghouse.exchange import layout
from clearinghouse.exchange.models import ImportJob, JobState
from clearinghouse.exchange.tests.conftest import workbook_upload
from clearinghouse.needs.models import Need
from clearinghouse.needs.offline.filling import FRENCH_NEED, fill_workbook
from clearinghouse.needs.offline.template import build_workbook


def test_problems_are_listed_by_sheet_row_and_column_in_arabic(world: World, client: Client) -> None:
    rows = [FRENCH_NEED, FRENCH_NEED | {"title": "", "priority": "urgent"}]
    content = fill_workbook(build_workbook("ar"), rows)
    client.force_login(world.authorised_user)
    response = client.post(
        "/ar/needs/offline/upload/",
        {"owner": f"country:{world.kenya.pk}", "file": workbook_upload(content)},
        follow=True,
    )
    job = ImportJob.objects.get()
    assert (job.state, job.language) == (JobState.FAILED, "ar")
    with translation.override("ar"):
        sheet = layout.sheet_title(_("Needs"))
        nothing = _("Nothing was imported")
    places = {(problem["sheet"], problem["row"], problem["column"][:1]) for problem in job.problems}
    assert places == {(sheet, 4, "A"), (sheet, 4, "E")}
    page = response.content.decode()
    assert nothing in page and nothing != "Nothing was imported"
    assert f"<td>{sheet}</td><td>4</td>" in page
    assert all(problem["message"] in page for problem in job.problems)
    assert not Need.objects.exists(), "all or nothing: the good row is not saved either"
