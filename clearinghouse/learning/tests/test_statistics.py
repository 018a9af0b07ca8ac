"""Learning statistics: enrolments, completions, passes, certificates and package downloads;
totals count everyone, disaggregations only those who consented; small figures hidden from
the public, exact for the course's owners and the Secretariat; by period; as CSV."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta

from django.test import Client
from django.utils import timezone

from clearinghouse.core.testing import World
from clearinghouse.events.models import Gender, Sector
from clearinghouse.events.statistics import Figure, Hidden
from clearinghouse.learning import statistics
from clearinghouse.learning.models import Course, Enrolment, PackageDownload
from clearinghouse.learning.statistics import Dimension, Measure, Period
from clearinghouse.learning.tests.cert_factories import complete, enrol, learners, make_course


def _figures(table: statistics.Table, measure: Measure) -> dict[str, Figure]:
    return {row.key: row.figures[measure] for row in table.rows}


def _only(course: Course) -> object:
    return Course.objects.filter(pk=course.pk)


def test_disaggregations_count_only_those_who_consented_and_totals_count_everyone(world: World) -> None:
    course = make_course(world)
    women = learners("woman", 6)
    men = learners("man", 5)
    withheld = learners("private", 3)
    for person in women:
        complete(enrol(course, person, consents_to_statistics=True, gender=Gender.WOMAN, country=world.kenya))
    for person in men[:2]:
        complete(
            enrol(course, person, consents_to_statistics=True, gender=Gender.MAN, country=world.tanzania)
        )
    for person in men[2:]:
        enrol(course, person, consents_to_statistics=True, gender=Gender.MAN, country=world.tanzania)
    # Their gender is recorded but they did not agree to be counted by it.
    for person in withheld:
        complete(
            enrol(course, person, consents_to_statistics=False, gender=Gender.WOMAN, country=world.kenya)
        )
    PackageDownload.objects.create(course=course, language="en", person=women[0])
    PackageDownload.objects.create(course=course, language="ar", person=None)

    table = statistics.breakdown(_only(course), Dimension.GENDER, exact=True, period=Period())
    assert _figures(table, Measure.ENROLLED) == {
        "woman": Figure(6),
        "man": Figure(5),
        statistics.WITHHELD: Figure(3),
    }
    assert _figures(table, Measure.COMPLETED) == {
        "woman": Figure(6),
        "man": Figure(2),
        statistics.WITHHELD: Figure(3),
    }
    assert _figures(table, Measure.CERTIFIED)["woman"] == Figure(6)
    # The anonymous download cannot be disaggregated; the consenting learner's is.
    assert _figures(table, Measure.DOWNLOADED) == {
        "woman": Figure(1),
        "man": Figure(0),
        statistics.WITHHELD: Figure(1),
    }
    assert table.total.figures[Measure.ENROLLED] == Figure(14)
    assert table.total.figures[Measure.COMPLETED] == Figure(11)
    assert table.total.figures[Measure.DOWNLOADED] == Figure(2)
    assert table.total.pass_rate == "100%"
    labels = [row.label for row in table.rows]
    assert labels[-1] == "Not counted (no consent)"

    by_country = statistics.breakdown(_only(course), Dimension.COUNTRY, exact=True, period=Period())
    assert _figures(by_country, Measure.ENROLLED) == {
        "KE": Figure(6),
        "TZ": Figure(5),
        statistics.WITHHELD: Figure(3),
    }


def test_publicly_small_figures_are_hidden_and_so_is_their_complement(world: World) -> None:
    course = make_course(world)
    for person in learners("gov", 8):
        enrol(course, person, consents_to_statistics=True, sector=Sector.GOVERNMENT)
    for person in learners("ngo", 6):
        enrol(course, person, consents_to_statistics=True, sector=Sector.NGO)
    for person in learners("iplc", 2):
        enrol(course, person, consents_to_statistics=True, sector=Sector.IPLC, represents_iplc=True)
    table = statistics.breakdown(_only(course), Dimension.SECTOR, exact=False, period=Period())
    figures = _figures(table, Measure.ENROLLED)
    assert figures["iplc"] == Figure(None, Hidden.FEWER)
    # Total 16 minus 8 would give the 2 away: the smaller other figure is hidden too.
    assert figures["ngo"] == Figure(None, Hidden.COMPLEMENT)
    assert figures["government"] == Figure(8)
    assert table.total.figures[Measure.ENROLLED] == Figure(16)
    assert str(figures["iplc"]) == "fewer than 5"


def test_a_period_counts_each_figure_by_its_own_date(world: World) -> None:
    course = make_course(world)
    people = learners("p", 3)
    long_ago = timezone.now() - timedelta(days=400)
    old = enrol(course, people[0], enrolled_at=long_ago)
    complete(old)  # completed today, enrolled long ago
    enrol(course, people[1], enrolled_at=long_ago)
    enrol(course, people[2])
    this_year = Period(start=timezone.localdate() - timedelta(days=30))
    table = statistics.breakdown(_only(course), Dimension.GENDER, exact=True, period=this_year)
    assert table.total.figures[Measure.ENROLLED] == Figure(1)
    assert table.total.figures[Measure.COMPLETED] == Figure(1)
    months = statistics.by_month(_only(course), Period())
    assert sum(row.figures[Measure.ENROLLED].value or 0 for row in months.rows) == 3
    assert len(months.rows) == 2


def test_the_public_page_hides_small_figures_and_the_owners_see_them(world: World, client: Client) -> None:
    course = make_course(world)
    for person in learners("woman", 3):
        enrol(course, person, consents_to_statistics=True, gender=Gender.WOMAN)
    url = f"/en/learning/courses/{course.identifier}/statistics/"
    public = client.get(url).content.decode()
    assert "fewer than 5" in public
    client.force_login(world.authorised_user)
    owner = client.get(url).content.decode()
    assert "Exact figures" in owner and "fewer than 5" not in owner


def test_the_overview_lists_public_courses_and_downloads_as_csv(world: World, client: Client) -> None:
    shown = make_course(world)
    hidden = make_course(world, live=False, state="draft")
    for person in learners("a", 2):
        enrol(shown, person)
        enrol(hidden, person)
    page = client.get("/en/learning/statistics/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "1 course counted." in text
    response = client.get("/en/learning/statistics/", {"format": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["Table", "Group", "Enrolments"]
    by_course = [row for row in rows if row[0] == "By course"]
    assert [row[2] for row in by_course] == ["2", "2"]  # the public course, then the total
    # The Secretariat counts every course.
    client.force_login(world.secretariat)
    assert "2 courses counted." in client.get("/en/learning/statistics/").content.decode()


def test_a_period_that_ends_before_it_starts_is_refused(client: Client, db: None) -> None:
    response = client.get("/en/learning/statistics/", {"start": date(2026, 5, 1), "end": date(2026, 1, 1)})
    assert response.status_code == 400
    assert "ends before it starts" in response.content.decode()


def test_a_draft_course_has_no_public_statistics(world: World, client: Client) -> None:
    course = make_course(world, live=False, state="draft")
    assert client.get(f"/en/learning/courses/{course.identifier}/statistics/").status_code == 404
    assert Enrolment.objects.count() == 0
