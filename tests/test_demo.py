"""The demo as `make run` serves it, loaded once: a living clearing-house of Parties and
organisations of every region, in the six languages, at every step of review and matchmaking;
events with a round table whose schedule keeps every rule; most needs with a good suggestion and
Singapore's, in Chinese, circulated without one; the indicators computed and the progress report
published. Loading any area again changes nothing.

One test, because loading the whole demo is the slowest step of the suite: each area's own demo
tests load only what they need."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
import yaml
from django.core.management import call_command
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext

from clearinghouse.accounts.models import User
from clearinghouse.community import demo_mentoring, mentoring
from clearinghouse.community.models import MentoringNote, MentoringStatus, Mentorship
from clearinghouse.core.demo import demo_data
from clearinghouse.core.languages import CONTENT_LANGUAGES
from clearinghouse.events import demo as events_demo
from clearinghouse.events import schedules, scheduling, surveys
from clearinghouse.events.models import (
    BroughtItem,
    Certificate,
    Event,
    Meeting,
    MeetingRequest,
    Registration,
    RegistrationStatus,
    RequestStatus,
    Slot,
    SurveyAnswer,
    SurveyResponse,
    Table,
)
from clearinghouse.geo.models import Country, RegionalGroup
from clearinghouse.knowledge import demo as knowledge_demo
from clearinghouse.knowledge.models import Knowledge
from clearinghouse.matching import conf, index
from clearinghouse.matchmaking import demo_stages, ranking, services
from clearinghouse.matchmaking.models import CaseState, Match, MatchState
from clearinghouse.monitoring import compute
from clearinghouse.monitoring import demo as monitoring_demo
from clearinghouse.monitoring.models import Indicator, Method, Report
from clearinghouse.monitoring.tests.reporting import without_pdf
from clearinghouse.needs import demo_records as needs_demo
from clearinghouse.needs.models import Need, Request
from clearinghouse.nodes import countries
from clearinghouse.nodes import demo as nodes_demo
from clearinghouse.nodes.models import NationalCHM, Status
from clearinghouse.publishing.models import Record, State
from clearinghouse.support import demo_languages as support_demo_languages
from clearinghouse.support import demo_records as support_demo
from clearinghouse.support.models import RECORD_MODELS
from tests.list_queries import asked_again, every_list_page_asks_no_query_per_item, shapes

PLAN_FILE = "clearinghouse/plan/data/decision-XIII-23-ar.txt"
OPENAPI = Path(__file__).resolve().parent.parent / "docs" / "openapi.yaml"
LANGUAGES = set(CONTENT_LANGUAGES)


def _live(models: Iterable[type[Record]]) -> list[Record]:
    return [record for model in models for record in model._default_manager.filter(live=True)]


@pytest.fixture
def demo(db: None, monkeypatch: Any, settings: Any, tmp_path: Any) -> str:
    settings.VAR_DIR = tmp_path
    settings.REPORTS_ROOT = tmp_path / "reports"

    # The report's PDF is built and checked by the monitoring tests; here the DOCX is enough.
    without_pdf(monkeypatch)
    out = StringIO()
    # `make run`'s embedder, so that the scores are those a newcomer sees.
    with override_settings(MATCHING_EMBEDDER=conf.DEFAULT_EMBEDDER):
        index.forget()
        call_command("loadreference", stdout=out)
        call_command("importplan", PLAN_FILE, stdout=out)
        # Test settings name the test server as a host; the demo people are harmless here.
        call_command("loaddemo", "--allow-production", stdout=out)
        call_command("rebuildmatching", stdout=out)
        yield out.getvalue()
        index.forget()


def test_the_demo_as_make_run_serves_it(demo: str) -> None:
    _a_living_clearing_house()
    _events_with_a_valid_schedule_and_answers(demo)
    _needs_with_good_matches_and_one_circulated_without()
    _indicators_computed_and_the_report_published()
    _alumni_of_the_demo_events_and_courses(demo)
    _follow_up_answers_in_several_languages()
    _communities_of_practice_in_three_languages()
    _mentoring_under_way_asked_and_completed()
    _egypt_finds_its_peers_and_proposes_exchanges()
    _knowledge_products_in_six_languages()
    _initiatives_harvested_from_the_chm()
    _every_api_list_asks_no_query_per_item()
    _every_list_page_asks_no_query_per_item()
    _kenyas_country_page_tells_its_story()


def _initiatives_harvested_from_the_chm() -> None:
    from clearinghouse.harvest import demo as harvest_demo
    from clearinghouse.harvest.models import HarvestedRecord, Run
    from clearinghouse.support.models import Initiative

    rows = HarvestedRecord.objects.filter(source__name=harvest_demo.NAME)
    initiatives = Initiative.objects.filter(identifier__in=rows.values("identifier"), live=True)
    assert initiatives.count() == 3
    assert all(set(initiative.title) == LANGUAGES for initiative in initiatives)
    page = Client().get(f"/fr{initiatives[0].get_absolute_url()[3:]}").content.decode()
    assert "CBD Clearing-House Mechanism" in page and "chm.cbd.int/database/record/" in page
    # Loading again finds them unchanged.
    assert harvest_demo.load() and Run.objects.order_by("-pk")[0].unchanged == 3


def _a_living_clearing_house() -> None:
    needs, support = _live([Need, Request]), _live(RECORD_MODELS)
    records = needs + support
    assert len(needs) >= 60
    assert len(support) >= 150
    assert {type(record) for record in support} == set(RECORD_MODELS)
    assert len({record.owner_country_id for record in records if record.owner_country_id}) >= 40
    # Parties of every UN regional group.
    regions = Country.objects.filter(pk__in={record.owner_country_id for record in records})
    assert set(regions.values_list("regional_group", flat=True)) == set(RegionalGroup.values)
    assert len({record.owner_organisation_id for record in records if record.owner_organisation_id}) >= 30

    originals = Counter(record.original_language for record in records)
    # Each of the six well represented; besides them, materials in Quechua and Kiswahili.
    assert set(originals) == LANGUAGES | {"qu", "sw"}
    assert min(originals[language] for language in LANGUAGES) >= len(records) / 10
    untranslated = [record.identifier for record in records if len(record.title) < 3]  # type: ignore[attr-defined]
    assert untranslated == []

    # Reviewers have work: records wait in every state of review.
    states = {
        record.state for model in [Need, Request, *RECORD_MODELS] for record in model._default_manager.all()
    }
    assert {State.DRAFT, State.SUBMITTED, State.RETURNED, State.PUBLISHED} <= states
    assert set(Match.objects.values_list("state", flat=True)) == set(MatchState.values)
    assert set(Match.objects.values_list("case__state", flat=True)) >= {
        CaseState.IN_MATCHMAKING,
        CaseState.CLOSED,
    }

    counts = (Need.objects.count(), Request.objects.count(), len(_live(RECORD_MODELS)), Match.objects.count())
    needs_demo.load(), support_demo.load(), support_demo_languages.load(), demo_stages.load()
    assert (
        Need.objects.count(),
        Request.objects.count(),
        len(_live(RECORD_MODELS)),
        Match.objects.count(),
    ) == counts


def _event_counts() -> dict[str, int]:
    return {
        model.__name__: model._default_manager.count()
        for model in (
            Event,
            Registration,
            Slot,
            Table,
            BroughtItem,
            MeetingRequest,
            Meeting,
            SurveyResponse,
            SurveyAnswer,
            Certificate,
        )
    }


def _events_with_a_valid_schedule_and_answers(printed: str) -> None:
    before = _event_counts()
    again = events_demo.load()
    # Loading again adds nothing: each event, registration, meeting and answer exists once.
    assert _event_counts() == before
    assert "9 (0 new)" in again[0]
    assert "Events (/events/)" in printed

    events = list(Event.objects.filter(live=True))
    assert len(events) == len(demo_data("clearinghouse.events", "demo-events.yaml")["events"])
    assert {event.original_language for event in events} == LANGUAGES
    for event in events:
        assert event.title.get(event.original_language) and event.description.get(event.original_language)
        assert len(set(event.title) - {event.original_language}) >= 2, event.title
        # Shown in the venue's own zone.
        assert event.time_zone and event.zone.key == event.time_zone
    assert any(event.is_past() for event in events) and any(not event.is_past() for event in events)

    upcoming = next(event for event in events if event.is_round_table and not event.is_past())
    assert upcoming.schedule_published_at is not None
    instance = scheduling.parse_instance(schedules.instance_for(upcoming))
    meetings = list(Meeting.objects.filter(request__event=upcoming).select_related("request"))
    placed = scheduling.Schedule(
        tuple(
            scheduling.Meeting(meeting.request_id, meeting.slot_id, meeting.table_id) for meeting in meetings
        ),
        objective=sum(meeting.request.priority for meeting in meetings),
        seconds=0.0,
    )
    assert placed.meetings and scheduling.check(instance, placed) == []
    # Requests still to answer wait for Kenya's officer, who brings Kenya's published need.
    officer = Registration.objects.get(event=upcoming, email="officer.ke@demo.clearinghouse.example")
    assert officer.person is not None and officer.side == "seeker"
    assert officer.items.filter(identifier__startswith="CB-NEED-KE-").exists()
    assert MeetingRequest.objects.filter(invitee=officer, status=RequestStatus.PENDING).count() >= 2
    assert Meeting.objects.filter(request__requester=officer).exists()

    past = next(event for event in events if event.is_round_table and event.is_past())
    held = Meeting.objects.filter(request__event=past, held=True)
    assert held.count() >= 5
    followed = [meeting.match for meeting in held if meeting.match is not None]
    assert len(followed) == 2
    assert all(match.state == MatchState.PROPOSED for match in followed)

    full = next(event for event in events if event.capacity and event.accepts_nominations)
    statuses = Counter(full.registrations.values_list("status", flat=True))
    assert statuses[RegistrationStatus.CONFIRMED] == full.capacity
    assert statuses[RegistrationStatus.WAITLISTED] >= 2
    assert statuses[RegistrationStatus.NOMINATED] == 1
    assert full.registrations.filter(nominated_by__isnull=False, funded=True).count() == 2

    responses = SurveyResponse.objects.filter(survey__event__in=events)
    # Enough answers for the public figures to show (below the privacy threshold they hide).
    assert responses.count() >= surveys.PUBLIC_MINIMUM
    (survey,) = {response.survey for response in responses}
    assert (
        survey.results_public
        and survey.invitations.filter(answered_at__isnull=False).count() == responses.count()
    )
    # Anonymous: no answer points to the person who gave it.
    assert not responses.filter(registration__isnull=False).exists()
    assert len(set(responses.values_list("language", flat=True))) >= 4
    assert Certificate.objects.filter(registration__checked_in_at__isnull=True).count() == 0
    assert (
        not Registration.objects.filter(person__isnull=True)
        .exclude(email__endswith=events_demo.PARTICIPANTS_DOMAIN)
        .exists()
    )


def _needs_with_good_matches_and_one_circulated_without() -> None:
    records: list[Need | Request] = [*Need.objects.filter(live=True), *Request.objects.filter(live=True)]
    ranked = ranking.support_for_each(records)
    (circulated,) = services.seeking_support()
    subject = circulated.subject
    assert subject.original_language == "zh"
    assert ranked[subject.identifier].no_good_match
    with_good = [record for record in records if not ranked[record.identifier].no_good_match]
    assert len(with_good) >= 0.8 * len(records)


def _indicators_computed_and_the_report_published() -> None:
    assert all(compute.current(period) is not None for period in monitoring_demo.PERIODS)
    report = Report.objects.get(state=Report.State.PUBLISHED)
    assert (report.period_start, report.period_end) == (2025, 2026)
    assert sorted(report.files.values_list("language", "format")) == sorted(
        (language, "docx") for language in CONTENT_LANGUAGES
    )
    # Every computed indicator has a value for the biennium, from the demo's own records.
    biennium = compute.current(monitoring_demo.PERIODS[-1])
    assert biennium is not None
    whole = biennium.values.filter(dimension="", indicator__method=Method.COMPUTED)
    assert (
        whole.values("indicator").distinct().count()
        == Indicator.objects.filter(method=Method.COMPUTED).count()
    )
    # Every area-wide one shows the demo's activity (those of one plan activity count only the
    # records tagged with it, which the demo does for a few).
    area_wide = whole.filter(indicator__activity_only=False)
    assert area_wide.count() >= 20 and not area_wide.exclude(value__gt=0).exists()
    # The alumni network's indicators count the demo's alumni active lately (9.1), its
    # communities where several members wrote (9.2) and the people who wrote in them (109.1).
    for code in ("9.1", "9.2", "109.1"):
        assert whole.get(indicator__code=code).value > 0, code


def _alumni_of_the_demo_events_and_courses(demo: str) -> None:
    from clearinghouse.community import demo_alumni
    from clearinghouse.community.models import Activity, Alumnus, Consent, Participation
    from clearinghouse.learning.models import Enrolment, EnrolmentStatus

    # Everyone checked in and every completion is an alumnus's participation, once.
    attended = Registration.objects.filter(status=RegistrationStatus.CONFIRMED, checked_in_at__isnull=False)
    assert Participation.objects.filter(activity=Activity.EVENT).count() == attended.count() > 20
    completed = Enrolment.objects.filter(status=EnrolmentStatus.COMPLETED)
    assert Participation.objects.filter(activity=Activity.COURSE).count() == completed.count() > 3
    consenting = Alumnus.objects.filter(consent=Consent.GIVEN)
    assert consenting.count() > Alumnus.objects.count() / 2
    assert Alumnus.objects.filter(consent=Consent.REFUSED).exists()
    assert Alumnus.objects.filter(consent=Consent.WITHDRAWN).exists()
    listed = consenting.filter(in_directory=True)
    assert listed.count() >= 5
    assert len(set(listed.values_list("country", flat=True))) >= 4
    assert len(set(listed.values_list("language", flat=True))) >= 4
    assert listed.filter(shows_name=False).exists() and listed.filter(accepts_messages=True).exists()
    # A newcomer with an account, checked in at the Cairo workshop, still to consent.
    newcomer = Alumnus.objects.get(person__email=demo_alumni.NEWCOMER)
    assert newcomer.consent == Consent.ASKED
    assert newcomer.participations.get().event.venue_country.code == "EG"
    assert "participant.eg" in demo
    # A participant without an account, invited to claim the record.
    assert Alumnus.objects.filter(person__isnull=True, consent=Consent.ASKED).exists()
    assert "/community/alumni/claim/" in demo
    # Loading again changes nothing.
    before = list(Alumnus.objects.order_by("pk").values())
    demo_alumni.load()
    assert list(Alumnus.objects.order_by("pk").values()) == before


def _follow_up_answers_in_several_languages() -> None:
    from clearinghouse.community import demo_follow_up, follow_up
    from clearinghouse.community.models import FollowUp, FollowUpRequest

    assert FollowUp.objects.filter(event__isnull=False).exists()
    assert FollowUp.objects.filter(course__isnull=False).exists()
    answered = list(FollowUpRequest.objects.filter(answered_at__isnull=False))
    assert len(answered) >= 4
    assert len({follow_up.language_of(request) for request in answered}) >= 2
    assert any(request.ticket_id for request in answered)
    assert all(request.applied and request.help_needed for request in answered)
    assert FollowUpRequest.objects.filter(sent_at__isnull=False, answered_at__isnull=True).exists()
    counts = (FollowUp.objects.count(), FollowUpRequest.objects.count(), len(answered))
    demo_follow_up.load()
    assert counts == (
        FollowUp.objects.count(),
        FollowUpRequest.objects.count(),
        FollowUpRequest.objects.filter(answered_at__isnull=False).count(),
    )


def _communities_of_practice_in_three_languages() -> None:
    from clearinghouse.community import demo_communities
    from clearinghouse.community.models import Community, MemberStatus, Post, PostReport, Topic, TopicKind

    communities = list(Community.objects.filter(live=True))
    assert len({community.original_language for community in communities}) >= 3
    for community in communities:
        assert community.name.get("en") and community.name.get(community.original_language)
        assert community.memberships.filter(role="moderator", status=MemberStatus.ACTIVE).exists()
        topics = Topic.objects.filter(community=community)
        assert topics.filter(kind=TopicKind.DISCUSSION, posts__isnull=False).distinct().count() >= 1
        # Replies written in the community's working language.
        assert (
            Post.objects.filter(topic__community=community, language=community.original_language).count() >= 3
        )
    assert Topic.objects.filter(kind=TopicKind.ANNOUNCEMENT).exists()
    assert Post.objects.exclude(records=[]).exists()
    assert PostReport.objects.filter(resolved_at__isnull=True).exists()
    assert Community.objects.filter(memberships__status=MemberStatus.PENDING).exists()
    counts = (Community.objects.count(), Topic.objects.count(), Post.objects.count())
    demo_communities.load()
    assert (Community.objects.count(), Topic.objects.count(), Post.objects.count()) == counts


def _mentoring_under_way_asked_and_completed() -> None:
    # A francophone trainer mentored in French on ABS by an expert, with goals and notes.
    active = Mentorship.objects.get(status=MentoringStatus.ACTIVE, subject__code="SUBJ-ABS")
    assert active.mentee.preferred_language == "fr" and mentoring.can_mentor(active.mentor)
    assert active.goals and active.notes.count() >= 3
    assert {note.author_id for note in active.notes.all()} == {active.mentee_id, active.mentor_id}
    assert Mentorship.objects.filter(status=MentoringStatus.PENDING).exists()
    completed = Mentorship.objects.get(status=MentoringStatus.COMPLETED)
    assert completed.mentee_rating and completed.mentor_rating and completed.finished_at
    counts = (Mentorship.objects.count(), MentoringNote.objects.count())
    demo_mentoring.load()
    assert (Mentorship.objects.count(), MentoringNote.objects.count()) == counts


def _egypt_finds_its_peers_and_proposes_exchanges() -> None:
    from clearinghouse.peers import demo as peers_demo
    from clearinghouse.peers import finder

    need = Need.objects.get(import_key=peers_demo.EGYPT)
    found = {peer.country.code: peer for peer in finder.peers_of(need)}
    # Benin addressed a similar need through a training completed with an outcome in French.
    benin = found["BJ"]
    assert benin.addressed and benin.needs[0].completed_cooperation
    assert benin.needs[0].need.import_key == peers_demo.BENIN
    assert "fr" in benin.shared_languages
    assert "SN" in found
    # Needs in other languages than Arabic are found by their meaning and terms.
    assert {item.need.original_language for peer in found.values() for item in peer.needs} >= {
        "fr",
        "zh",
        "ru",
    }
    exchanges = Match.objects.filter(case__need=need).exclude(exchange="")
    assert sorted(exchanges.values_list("exchange", "state")) == [
        ("south_south", MatchState.PROPOSED),
        ("triangular", MatchState.ACCEPTED),
    ]


def _knowledge_products_in_six_languages() -> None:
    products = list(Knowledge.objects.filter(live=True))
    assert len(products) >= 5
    assert {product.original_language for product in products} == LANGUAGES
    # One written in one step from the completed demo cooperation's outcome, in its language.
    written = Knowledge.objects.get(cooperation__match__state=MatchState.COMPLETED)
    outcome = written.cooperation.match.outcome  # type: ignore[union-attr]
    assert written.live and written.original_language == outcome.language
    assert written.results == {outcome.language: outcome.results}
    # Each serves plan activities; most tell of demo events or courses.
    assert all(product.plan_activities.exists() for product in products)
    assert sum(product.events.exists() or product.courses.exists() for product in products) >= 4
    count = Knowledge.objects.count()
    knowledge_demo.load()
    assert Knowledge.objects.count() == count


def _signed_in(email: str) -> Client:
    client = Client()
    client.force_login(User.objects.get(email=email))
    return client


def _every_list_page_asks_no_query_per_item() -> None:
    """The same for the site's pages: for the public and for those who see more (the
    Secretariat, a Party's focal point, a help-desk agent), a page of 40 items asks no query
    more often than a page of one."""
    every_list_page_asks_no_query_per_item(
        {
            "public": Client(),
            "secretariat": _signed_in("secretariat@demo.clearinghouse.example"),
            "focal point": _signed_in("focalpoint.ke@demo.clearinghouse.example"),
            "help desk": _signed_in("helpdesk@demo.clearinghouse.example"),
        }
    )


def _paginated_lists() -> list[str]:
    """Every list of the API that pages its results, from the published contract."""
    schema = yaml.safe_load(OPENAPI.read_text())
    return [
        path
        for path, operations in schema["paths"].items()
        if "{" not in path
        and "Paginated"
        in operations.get("get", {})
        .get("responses", {})
        .get("200", {})
        .get("content", {})
        .get("application/json", {})
        .get("schema", {})
        .get("$ref", "")
    ]


def _query_shapes(client: Client, address: str) -> tuple[Counter[str], int]:
    """The database queries a request made, by shape (values and lists of ids left out), and
    the items it answered with (none for a list the reader may not read)."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(address)
    asked = shapes(queries.captured_queries)
    if response.status_code in (401, 403):
        return asked, 0
    assert response.status_code == 200, (address, response.status_code)
    return asked, len(response.json()["results"])


def _every_api_list_asks_no_query_per_item() -> None:
    """Load held: a list's queries do not grow with its page (no query per item), for the
    public and for the Secretariat (who sees drafts and more fields), over the whole demo: a
    page of 100 items asks no query more often than a page of 5."""
    lists = _paginated_lists()
    assert len(lists) >= 20, lists
    secretariat = _signed_in("secretariat@demo.clearinghouse.example")
    checked, growing = [], []
    for reader, client in (("public", Client()), ("secretariat", secretariat)):
        for path in lists:
            few, shown = _query_shapes(client, f"{path}?page_size=5")
            many, items = _query_shapes(client, f"{path}?page_size=100")
            if items < 2 * shown:
                continue
            checked.append(path)
            again = asked_again(few, many)
            if again:
                growing.append(f"{reader} {path}: {again}")
    assert not growing, growing
    # The demo fills most lists: the check must have had something to compare.
    assert len(set(checked)) >= 12, sorted(set(lists) - set(checked))


def _kenyas_country_page_tells_its_story() -> None:
    kenya = countries.gather(Country.objects.get(code="KE"))
    assert kenya.chm is not None and kenya.chm.status == Status.FUNCTIONAL
    # Every section of Kenya's page has something to tell.
    for section in (kenya.needs, kenya.requests, kenya.offers, kenya.partnerships, kenya.events_held):
        assert section.records, section
    assert kenya.events_attended.records and kenya.courses.records
    assert kenya.focal_points and kenya.cooperation and kenya.co_funding
    assert kenya.alumni or kenya.alumni_hidden
    assert [indicator.code for indicator in kenya.indicators] == ["72.1"]
    # Egypt's request for support is a published need, matched with Kenya's offer.
    egypt = NationalCHM.objects.get(party__code="EG")
    need = egypt.support_requests.get().need
    assert need.live and Match.objects.filter(case__need=need, state=MatchState.AGREED).exists()
    page = Client().get("/ar/countries/KE/").content.decode()
    assert 'dir="rtl"' in page and "https://ke.chm-cbd.net" in page
    assert "(0 new)" in nodes_demo.load()[0]
