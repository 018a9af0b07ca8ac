"""Demo progress and evidence on the action plan for `clearinghouse loaddemo`, recorded by the
Secretariat's demo person through the same services as the activity pages; and partners'
contributions, made by the demo partner editor (IFDD) and IPLC representative (AIDESEP) and
reviewed by the Secretariat: some accepted, one waiting, one declined. Idempotent.

Needs the plan imported (`clearinghouse importplan`) and the demo people (accounts.demo).
The notes are illustrative, written in the six languages; the links point to real pages of the
Convention's Bio-Bridge Initiative and of partner organisations.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.management.base import CommandError

from clearinghouse.accounts.models import User
from clearinghouse.geo.models import Country
from clearinghouse.organisations.models import Organisation
from clearinghouse.plan import contributions, services
from clearinghouse.plan.models import (
    Activity,
    ActivityProgress,
    Contribution,
    ContributionKind,
    ContributionState,
    Evidence,
    EvidenceKind,
    Status,
)
from clearinghouse.publishing import registry

SECRETARIAT_EMAIL = "secretariat@demo.clearinghouse.example"
PLAN_FILE = "clearinghouse/plan/data/decision-XIII-23-ar.txt"
BIO_BRIDGE = "https://www.cbd.int/biobridge"


@dataclass(frozen=True)
class Report:
    number: int
    period: str
    status: Status
    language: str
    note: str
    lead: str = ""  # acronym


@dataclass(frozen=True)
class Link:
    number: int
    kind: EvidenceKind
    title: str
    url: str
    identifier: str = ""


REPORTS = [
    Report(
        1,
        "2017-2018",
        Status.UNDER_WAY,
        "en",
        "Common formats for assessing capacity-building needs drafted with Bio-Bridge Initiative "
        "partners and tested by six Parties.",
        "SCBD",
    ),
    Report(
        1,
        "2019-2020",
        Status.COMPLETED,
        "fr",
        "Les formulaires communs d'évaluation des besoins sont en ligne dans le centre d'échange ; "
        "les premières demandes des Parties y ont été enregistrées.",
        "SCBD",
    ),
    Report(
        3,
        "2017-2018",
        Status.COMPLETED,
        "en",
        "The e-learning platform is open, with courses hosted by the UN System Staff College.",
        "UNSSC",
    ),
    Report(
        4,
        "2017-2018",
        Status.COMPLETED,
        "es",
        "El servicio de asistencia de la Iniciativa Bio-Puente atendió solicitudes de 24 Partes para "
        "describir sus necesidades de cooperación técnica y científica.",
        "BBI",
    ),
    Report(
        5,
        "2019-2020",
        Status.UNDER_WAY,
        "ar",
        "عُقدت مائدة مستديرة للمواءمة على هامش الاجتماع الرابع عشر لمؤتمر الأطراف، وجرى ربط ثلاثة طلبات "
        "بمقدمي دعم.",
        "BBI",
    ),
    Report(
        12,
        "2017-2018",
        Status.UNDER_WAY,
        "es",
        "La Red Mundial de Jóvenes por la Biodiversidad organizó dos de los tres talleres regionales "
        "previstos.",
        "GYBN",
    ),
    Report(
        12,
        "2019-2020",
        Status.COMPLETED,
        "en",
        "Third regional workshop held; the toolkit for youth participation is published.",
        "GYBN",
    ),
    Report(
        63,
        "2019-2020",
        Status.UNDER_WAY,
        "ru",
        "Техническая поддержка оказывается через форум по НСПДСБ; подготовлены методические материалы "
        "для пересмотра стратегий.",
        "UNDP",
    ),
    Report(
        90,
        "2017-2018",
        Status.COMPLETED,
        "ar",
        "نُظمت حلقتا عمل إقليميتان مع المنظمة الدولية لقانون التنمية بشأن الأطر القانونية "
        "للحصول وتقاسم المنافع.",
        "IDLO",
    ),
    Report(
        100,
        "2017-2018",
        Status.NOT_STARTED,
        "en",
        "Waiting for voluntary funding.",
    ),
    Report(
        100,
        "2019-2020",
        Status.DISCONTINUED,
        "fr",
        "Les cours prévus ont été abandonnés faute de financement ; le module d'apprentissage en ligne "
        "(activité 101) les remplace.",
    ),
    Report(
        110,
        "2019-2020",
        Status.UNDER_WAY,
        "zh",
        "已在两个次区域讲习班上介绍《名古屋-吉隆坡补充议定书》，其余讲习班取决于资金情况。",
        "UNEP",
    ),
    # The current biennium, as the platform's own records show it.
    Report(
        1,
        "2025-2026",
        Status.UNDER_WAY,
        "en",
        "Parties keep registering needs in the common formats, on the web and offline from the "
        "workbook; the needs are followed from registration to support in the matchmaking console.",
        "SCBD",
    ),
    Report(
        4,
        "2025-2026",
        Status.UNDER_WAY,
        "es",
        "La mesa de ayuda central y las mesas regionales de África y de América Latina y el Caribe "
        "ayudan a las Partes a formular sus necesidades y sus solicitudes de asistencia.",
        "SCBD",
    ),
    Report(
        5,
        "2025-2026",
        Status.UNDER_WAY,
        "fr",
        "Les offres d'appui des partenaires sont publiées dans le centre d'échange et mises en "
        "relation avec les besoins des Parties ; plusieurs coopérations ont obtenu un cofinancement.",
        "SCBD",
    ),
    Report(
        8,
        "2025-2026",
        Status.UNDER_WAY,
        "ar",
        "تُحسب مؤشرات خطة العمل من بيانات المنصة نفسها، وتُدخل القيم التي لا تعرفها المنصة مع أدلتها "
        "وتراجعها الأمانة، ويُعد تقرير مرحلي لكل فترة سنتين.",
        "SCBD",
    ),
    Report(
        9,
        "2025-2026",
        Status.NOT_STARTED,
        "ru",
        "Сеть выпускников и сообщества практики появятся в центре обмена информацией после "
        "учебных мероприятий текущего двухгодичного периода.",
        "SCBD",
    ),
    Report(
        46,
        "2025-2026",
        Status.UNDER_WAY,
        "zh",
        "能力建设工具和指导材料以六种语言在信息交换所发布，并统计其浏览和下载次数。",
        "SCBD",
    ),
    Report(
        72,
        "2025",
        Status.COMPLETED,
        "en",
        "Regional training workshops on national clearing-house mechanisms held for Africa and "
        "for Latin America and the Caribbean.",
        "SCBD",
    ),
]

LINKS = [
    Link(1, EvidenceKind.INITIATIVE, "Bio-Bridge Initiative", BIO_BRIDGE),
    Link(
        1,
        EvidenceKind.RESOURCE,
        "Common format for assessing capacity-building needs",
        BIO_BRIDGE,
        "CB-RES-CA-000001",
    ),
    Link(4, EvidenceKind.INITIATIVE, "Bio-Bridge Initiative help desk", BIO_BRIDGE),
    Link(
        5,
        EvidenceKind.MATCH,
        "Need of Kenya matched with a wetland monitoring course",
        BIO_BRIDGE,
        "CB-MAT-KE-000003",
    ),
    Link(
        3,
        EvidenceKind.COURSE,
        "UN System Staff College: courses with the CBD Secretariat",
        "https://www.unssc.org",
    ),
    Link(12, EvidenceKind.EVENT, "GYBN regional capacity-building workshops", "https://gybn.org"),
    Link(63, EvidenceKind.PARTNERSHIP, "NBSAP Forum", "https://nbsapforum.net"),
    Link(
        90,
        EvidenceKind.EVENT,
        "IDLO training on legal frameworks for access and benefit-sharing",
        "https://www.idlo.int",
    ),
]


IFDD_EMAIL = "partner.ifdd@demo.clearinghouse.example"
AIDESEP_EMAIL = "iplc.pe@demo.clearinghouse.example"
IFDD_URL = "https://www.ifdd.francophonie.org"
AIDESEP_URL = "https://aidesep.org.pe"


@dataclass(frozen=True)
class Contributed:
    """A partner's contribution; ``record_type`` names the type of a published demo record given as
    evidence (the first of that type), ``state`` what the Secretariat decided."""

    email: str
    acronym: str
    number: int
    kind: ContributionKind
    language: str
    description: str
    state: ContributionState
    period: str = ""
    countries: tuple[str, ...] = ()
    record_type: str = ""
    url: str = ""
    reason: str = ""


CONTRIBUTIONS = [
    Contributed(
        IFDD_EMAIL,
        "IFDD",
        63,
        ContributionKind.INTEREST,
        "fr",
        "L'IFDD accompagne les pays francophones d'Afrique de l'Ouest et du Centre dans la mise à "
        "jour de leurs stratégies et plans d'action nationaux pour la biodiversité.",
        ContributionState.ACCEPTED,
    ),
    Contributed(
        IFDD_EMAIL,
        "IFDD",
        88,
        ContributionKind.REPORT,
        "fr",
        "Deux ateliers régionaux, à Dakar et à Lomé, ont préparé 14 pays à rédiger leur sixième "
        "rapport national avec l'outil de rapport en ligne.",
        ContributionState.ACCEPTED,
        period="2019",
        countries=("SN", "TG", "BJ", "CI"),
        record_type="EVENT",
        url=IFDD_URL,
    ),
    Contributed(
        IFDD_EMAIL,
        "IFDD",
        88,
        ContributionKind.REPORT,
        "ar",
        "نظّم المعهد ورشة عمل في تونس لفائدة بلدان المغرب العربي حول إعداد التقارير الوطنية السادسة، "
        "ووزّع دليلاً عملياً باللغة العربية.",
        ContributionState.ACCEPTED,
        period="2019-2020",
        countries=("TN", "MA", "DZ"),
        record_type="RES",
    ),
    Contributed(
        IFDD_EMAIL,
        "IFDD",
        101,
        ContributionKind.REPORT,
        "ru",
        "Учебный модуль по оценке рисков живых измененных организмов переведен и проведен для "
        "специалистов Молдовы и Армении.",
        ContributionState.ACCEPTED,
        period="2020",
        countries=("MD", "AM"),
        url=IFDD_URL,
    ),
    Contributed(
        AIDESEP_EMAIL,
        "AIDESEP",
        30,
        ContributionKind.INTEREST,
        "es",
        "AIDESEP acompaña a las federaciones amazónicas en la restauración de bosques degradados "
        "de sus territorios, con los conocimientos tradicionales de las comunidades.",
        ContributionState.ACCEPTED,
    ),
    Contributed(
        AIDESEP_EMAIL,
        "AIDESEP",
        30,
        ContributionKind.REPORT,
        "es",
        "Talleres en Ucayali y Loreto con 120 comuneros sobre la planificación de la restauración "
        "de bosques en territorios indígenas.",
        ContributionState.ACCEPTED,
        period="2019-2020",
        countries=("PE",),
        record_type="INIT",
        url=AIDESEP_URL,
    ),
    Contributed(
        IFDD_EMAIL,
        "IFDD",
        46,
        ContributionKind.REPORT,
        "en",
        "An e-learning module on biodiversity in sustainable agriculture, prepared with FAO for "
        "French-speaking extension officers.",
        ContributionState.WAITING,
        period="2020",
        record_type="RES",
        url=IFDD_URL,
    ),
    Contributed(
        IFDD_EMAIL,
        "IFDD",
        104,
        ContributionKind.REPORT,
        "zh",
        "为东南亚法语国家的实验室举办了两次在线交流会，介绍森林监测的方法。",
        ContributionState.DECLINED,
        period="2020",
        url=IFDD_URL,
        reason="Activity 104 is about the detection of living modified organisms; the sessions "
        "reported were on forest monitoring. Report them under an activity they serve.",
    ),
]


def _demo_record(code: str, organisation: Organisation) -> list[str]:
    """The identifier of a published demo record of a type: the organisation's own first, else
    the first of any owner (none if there is none)."""
    for record_type in registry.record_types():
        if record_type.code == code:
            live = record_type.live().order_by("identifier").values_list("identifier", flat=True)
            first = live.filter(owner_organisation=organisation).first() or live.first()
            return [first] if first else []
    return []


def _contribute(item: Contributed, activity: Activity, reviewer: User) -> bool:
    """Make and review one demo contribution unless it is there; False without its person."""
    person = User.objects.filter(email=item.email).first()
    organisation = next(
        (found for found in contributions.organisations_for(person) if found.acronym == item.acronym), None
    )
    if person is None or organisation is None:
        return False
    if Contribution.objects.filter(
        activity=activity, organisation=organisation, kind=item.kind, description=item.description
    ).exists():
        return True
    if item.kind == ContributionKind.INTEREST:
        made = contributions.state_interest(
            person, activity, organisation=organisation, description=item.description, language=item.language
        )
    else:
        made = contributions.report_contribution(
            person,
            activity,
            organisation=organisation,
            description=item.description,
            language=item.language,
            period=item.period,
            countries=list(Country.objects.filter(code__in=item.countries)),
            identifiers=_demo_record(item.record_type, organisation) if item.record_type else [],
            url=item.url or IFDD_URL,
        )
    if item.state == ContributionState.ACCEPTED:
        contributions.accept(reviewer, made)
    elif item.state == ContributionState.DECLINED:
        contributions.decline(reviewer, made, reason=item.reason)
    return True


def _secretariat() -> User:
    try:
        return User.objects.get(email=SECRETARIAT_EMAIL)
    except User.DoesNotExist:
        raise CommandError(
            f"The demo Secretariat person ({SECRETARIAT_EMAIL}) is missing: "
            "load clearinghouse.accounts.demo first."
        ) from None


def load() -> list[str]:
    """Record the demo progress reports and evidence that are not there yet."""
    activities = {activity.number: activity for activity in Activity.objects.all()}
    if len(activities) < 110:
        raise CommandError(
            f"The action plan is not imported: run `clearinghouse importplan {PLAN_FILE}` first."
        )
    actor = _secretariat()
    leads = {org.acronym: org for org in Organisation.objects.exclude(acronym="").order_by("-pk")}
    for report in REPORTS:
        activity = activities[report.number]
        if not ActivityProgress.objects.filter(
            activity=activity, period=report.period, status=report.status, note=report.note
        ).exists():
            services.record_progress(
                actor,
                activity,
                period=report.period,
                status=report.status,
                note=report.note,
                note_language=report.language,
                lead=leads.get(report.lead),
            )
    for link in LINKS:
        activity = activities[link.number]
        if not Evidence.objects.filter(activity=activity, url=link.url, title=link.title).exists():
            services.add_evidence(
                actor, activity, kind=link.kind, title=link.title, url=link.url, identifier=link.identifier
            )
    made = sum(_contribute(item, activities[item.number], actor) for item in CONTRIBUTIONS)
    numbers = {report.number for report in REPORTS}
    return [
        f"{'Action plan':32} progress recorded on {len(numbers)} activities (/plan/)",
        f"{'Action plan contributions':32} {made} by partners (/plan/contributions/review/)",
    ]
