"""Demo cases and matches at every stage, made from the published demo needs, request and
support records through the same services people use: one request answered directly, one match
proposed, one declined, one agreed with a co-funded cooperation, one completed with its outcome.
Idempotent: a scene whose case already has what it needs is left alone. Where no demo person
acts for a provider (the Mexican offer, GEF, the Egyptian agency) the platform takes its steps
(actor None), as an import would."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.core.management.base import CommandError
from django.utils import timezone

from clearinghouse.accounts.demo import demo_owner, demo_person
from clearinghouse.accounts.models import User
from clearinghouse.geo.models import Country
from clearinghouse.matchmaking import services
from clearinghouse.matchmaking.models import Case, CaseState
from clearinghouse.needs.models import Need, Request
from clearinghouse.publishing.models import Record
from clearinghouse.support.models import Expert, Offer, Opportunity, Provider, Resource, SupportRecord


def _need(key: str) -> Need:
    need = Need.objects.filter(import_key=key, live=True).first()
    if need is None:
        raise CommandError(f"Demo need {key} is missing: the needs demo data must load first.")
    return need


def _support(model: type[SupportRecord], code: str) -> Record:
    owner = demo_owner(code)
    records = model.objects.filter(live=True)
    found = (
        records.filter(owner_country=owner)
        if isinstance(owner, Country)
        else records.filter(owner_organisation=owner)
    ).first()
    if found is None:
        raise CommandError(
            f"Demo {model.__name__} of {code} is missing: the support demo data must load first."
        )
    return found


def _case(subject: Need | Request, agent: User) -> tuple[Case, bool]:
    """The subject's case, and whether this loader has yet to work on it (no match, no answer)."""
    case = services.open_case(subject, actor=agent)
    fresh = case.state in {CaseState.OPEN, CaseState.IN_MATCHMAKING} and not case.matches.exists()
    return case, fresh


def _answered(agent: User) -> None:
    case, fresh = _case(_need("demo-need-cn-1"), agent)
    if not fresh or case.state != CaseState.OPEN or case.responses.exists():
        return
    services.answer_directly(
        case,
        actor=agent,
        text="您好！亚马孙社区森林监测指南介绍了由社区执行的简单监测方法和数据记录表格，"
        "可直接用于省级监测数据的整理。如需进一步支持，请随时联系服务台。",
        language="zh",
        resources=[_support(Resource, "AIDESEP").identifier],
    )
    # The guide was about monitoring in the field, not a data platform: the case is back in the
    # help desk's queue.
    services.reopen(
        case,
        actor=demo_person("focalpoint.cn"),
        reason="指南介绍的是社区森林监测方法，而我们需要的是建设省级监测数据平台："
        "数据录入、质量控制和共享的技术培训。希望服务台能够推荐有数据平台经验的合作伙伴。",
    )


def _proposed(agent: User) -> None:
    request = Request.objects.filter(owner_country__code="KE", live=True).first()
    if request is None:
        raise CommandError("The demo request is missing: the needs demo data must load first.")
    case, fresh = _case(request, agent)
    if not fresh:
        return
    services.send_to_matchmaking(case, actor=agent)
    match = services.shortlist(case, _support(Provider, "EEAA"), actor=agent)
    services.propose(
        match,
        actor=agent,
        message="Kenya asks for a five-day training of trainers for its border inspectors. Your agency "
        "trains protected-area staff in the region: could you adapt a module on invasive species?",
    )


def _declined(agent: User) -> None:
    case, fresh = _case(_need("demo-need-ifdd-1"), agent)
    if not fresh:
        return
    services.send_to_matchmaking(case, actor=agent)
    expert = _support(Expert, "ЦОДП")
    match = services.shortlist(case, expert, actor=agent)
    services.propose(
        match,
        actor=agent,
        message="Здравствуйте! Не могли бы вы провести обучение по оценке рисков живых измененных организмов?",
    )
    services.decline(
        match,
        actor=expert.expert_user if isinstance(expert, Expert) else None,
        reason="Я специалист по охраняемым природным территориям, а не по биобезопасности. "
        "Рекомендую обратиться к сети экспертов Картахенского протокола.",
    )


def _agreed(agent: User) -> None:
    need = _need("demo-need-pe-1")
    case, fresh = _case(need, agent)
    if not fresh:
        return
    requester = demo_person("iplc.pe")
    services.send_to_matchmaking(case, actor=agent)
    match = services.shortlist(case, _support(Opportunity, "GEF"), actor=agent)
    services.propose(
        match,
        actor=agent,
        message="La vigilancia comunitaria de los bosques que pide AIDESEP encaja en la convocatoria "
        "de actividades habilitantes.",
    )
    services.accept(match, actor=None, note="Eligible under the enabling activities window.")
    services.confirm(match, actor=requester, note="Aceptamos y compartimos nuestros datos de contacto.")
    services.agree(
        match,
        actor=agent,
        details=services.CooperationInput(
            kind="co_funded_project",
            description="Proyecto cofinanciado de vigilancia comunitaria de los bosques en tres territorios "
            "indígenas: formación de 40 monitores, equipos y una plataforma de datos comunitaria.",
            language="es",
            start_date=timezone.localdate() + timedelta(days=30),
            end_date=timezone.localdate() + timedelta(days=30 + 540),
            contributions=[
                services.ContributionInput(demo_owner("GEF"), Decimal("150000"), "USD", "financial"),
                services.ContributionInput(
                    demo_owner("AIDESEP"),
                    Decimal("85000"),
                    "PEN",
                    "in_kind",
                    "Monitores, transporte fluvial y locales",
                ),
                services.ContributionInput(demo_owner("AIDESEP"), Decimal("20000"), "PEN", "financial"),
            ],
            other_parties=["Servicio Nacional de Áreas Naturales Protegidas por el Estado (SERNANP)"],
        ),
    )


def _completed(agent: User) -> None:
    case, fresh = _case(_need("demo-need-eg-1"), agent)
    if not fresh:
        return
    requester = demo_person("focalpoint.eg")
    services.send_to_matchmaking(case, actor=agent)
    match = services.shortlist(case, _support(Offer, "MX"), actor=agent)
    services.propose(match, actor=agent, message="Un curso práctico que responde a la solicitud de Egipto.")
    services.accept(match, actor=None, note="Podemos recibir a diez guardaparques en Cozumel.")
    services.confirm(match, actor=requester)
    services.agree(
        match,
        actor=agent,
        details=services.CooperationInput(
            kind="training",
            description="Two-week field course on coral reef monitoring for ten Red Sea rangers, who then train "
            "their colleagues.",
            language="en",
            start_date=date(2026, 3, 1),
            end_date=date(2026, 3, 15),
            contributions=[
                services.ContributionInput(
                    demo_owner("MX"), Decimal("18000"), "MXN", "in_kind", "Instructores y barcos"
                ),
                services.ContributionInput(
                    demo_owner("EG"), Decimal("9000"), "USD", "financial", "Travel of the rangers"
                ),
            ],
        ),
    )
    services.start(match, actor=agent)
    services.complete(
        match,
        actor=requester,
        results="تدرب عشرة حراس على بروتوكول رصد الشعاب، ودربوا بدورهم عشرين زميلاً؛ بدأ الرصد الفصلي في ثلاث محميات.",
        lessons="يجب ترجمة استمارات الرصد إلى العربية قبل الدورة.",
        language="ar",
        satisfaction=5,
    )


def load() -> list[str]:
    agent = demo_person("helpdesk")
    for scene in (_answered, _proposed, _declined, _agreed, _completed):
        scene(agent)
    return []
