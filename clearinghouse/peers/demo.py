"""Demo of peers and South–South cooperation: Egypt's focal point finds the Parties with needs
like its own, among them Benin, which addressed a similar need through a completed cooperation
reported in French, and Senegal, whose need is still open; Egypt proposes a South–South exchange
to Benin, and the help desk a triangular one with Senegal, funded by the Francophonie's institute
(IFDD), which Senegal accepted. Through the same workflow and services people use; idempotent
(a need is found again by its import key, an exchange by its case and peer)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.management.base import CommandError

from clearinghouse.accounts.demo import demo_owner, demo_person
from clearinghouse.core.demo import days_from_today
from clearinghouse.geo.models import Country
from clearinghouse.matchmaking import services
from clearinghouse.matchmaking.models import Match, MatchState
from clearinghouse.needs.demo_records import NEED_PREFIX
from clearinghouse.needs.formats import CURRENT_VERSION
from clearinghouse.needs.models import Need
from clearinghouse.publishing import notifications, workflow
from clearinghouse.support.demo_records import demo_support
from clearinghouse.vocabularies.models import Term

EGYPT = "demo-need-eg-peers"
BENIN = "demo-need-bj-peers"
SENEGAL = NEED_PREFIX + "sn-pame"

# (key, owner, language, title in its languages, description, support languages)
NEEDS: list[tuple[str, str, str, dict[str, str], str, list[str]]] = [
    (
        EGYPT,
        "EG",
        "ar",
        {
            "ar": "تقييم فعالية إدارة المحميات البحرية في البحر الأحمر",
            "en": "Assessing the management effectiveness of Egypt's Red Sea marine protected areas",
            "fr": "Évaluer l'efficacité de gestion des aires marines protégées égyptiennes de la mer Rouge",
        },
        "يحتاج مديرو محميات البحر الأحمر إلى تدريب على أداة موحدة لتقييم فعالية الإدارة، مثل أداة IMET، "
        "وإلى تبادل الخبرات مع بلدان طبقت هذا التقييم في محمياتها البحرية والساحلية.",
        ["ar", "fr", "en"],
    ),
    (
        BENIN,
        "BJ",
        "fr",
        {
            "fr": "Évaluer l'efficacité de gestion des aires protégées côtières du Bénin",
            "en": "Evaluating the management effectiveness of Benin's coastal protected areas",
            "ar": "تقييم فعالية إدارة المناطق المحمية الساحلية في بنين",
        },
        "Le Centre national de gestion des réserves de faune souhaite former ses gestionnaires à l'outil "
        "IMET et évaluer les aires protégées côtières et marines de Ouidah et de la Bouche du Roy.",
        ["fr"],
    ),
]
PAME_TERMS = {
    "subjects": ["SUBJ-PROTECTED-AREAS", "SUBJ-MARINE-COASTAL"],
    "gbf_targets": ["GBF-T3"],
    "support_types": ["training", "expertise"],
    "target_groups": ["government"],
    "instruments": ["CBD"],
    "capacity_levels": ["individual", "organisational"],
}


def _terms(codes: list[str]) -> list[Term]:
    return list(Term.objects.filter(code__in=codes))


def _need(
    key: str, owner: str, language: str, title: dict[str, str], text: str, languages: list[str]
) -> Need:
    existing = Need.objects.filter(import_key=key).first()
    if existing is not None:
        return existing
    author = demo_person("focalpoint.eg") if owner == "EG" else None
    values: dict[str, Any] = {
        "original_language": language,
        "format_version": CURRENT_VERSION,
        "title": title,
        "description": {language: text},
        "priority": "high",
        "support_languages": languages,
        "contact_name": f"{author.first_name} {author.last_name}" if author else "Cellule biodiversité",
        "contact_email": author.email if author else f"biodiversity.{owner.lower()}@demo.example",
        **{name: _terms(codes) for name, codes in PAME_TERMS.items()},
    }
    need = workflow.create(Need, actor=author, owner=demo_owner(owner), values=values)
    Need.objects.filter(pk=need.pk).update(import_key=key)
    if author is None:
        # Loaded and published by the platform, as an import would: news to nobody.
        with notifications.quiet():
            workflow.submit(need, actor=None)
            workflow.publish(need, actor=None)
    else:
        workflow.submit(need, actor=author)
        workflow.publish(need, actor=demo_person("secretariat"))
    need.refresh_from_db()
    return need


def _benin_addressed(benin: Need) -> None:
    """Benin's need met by IFDD's IMET module and a coaching mission, completed and reported in
    French: the need is addressed."""
    if Match.objects.filter(case__need=benin).exists():
        return
    agent, partner = demo_person("helpdesk"), demo_person("partner.ifdd")
    case = services.send_to_matchmaking(services.open_case(benin, actor=agent), actor=agent)
    match = services.shortlist(case, demo_support("res-imet"), actor=agent)
    services.propose(
        match,
        actor=agent,
        message="Le Bénin souhaite former ses gestionnaires à l'outil IMET : votre module en ligne, suivi "
        "d'un accompagnement sur le terrain, répondrait à sa demande.",
    )
    services.accept(match, actor=partner, note="Nous ouvrons une session pour douze gestionnaires.")
    services.confirm(match, actor=None)
    services.agree(
        match,
        actor=agent,
        details=services.CooperationInput(
            kind="training",
            description="Formation de douze gestionnaires béninois à l'outil IMET (module en ligne puis "
            "atelier à Ouidah) et évaluation accompagnée de deux aires protégées côtières.",
            language="fr",
            start_date=days_from_today(-300),
            end_date=days_from_today(-120),
            contributions=[
                services.ContributionInput(
                    demo_owner("IFDD"), Decimal("18000"), "EUR", "in_kind", "Formateurs et module"
                ),
                services.ContributionInput(
                    demo_owner("BJ"), Decimal("4500000"), "XOF", "financial", "Atelier et missions"
                ),
            ],
        ),
    )
    services.start(match, actor=agent)
    services.complete(
        match,
        actor=partner,
        results="Douze gestionnaires formés à l'outil IMET ; les aires protégées de Ouidah et de la Bouche "
        "du Roy ont été évaluées et leurs plans de gestion révisés avec les communes riveraines.",
        lessons="Associer les comités villageois dès l'évaluation : leurs observations ont complété les "
        "données de suivi. Prévoir une traduction des fiches en langues locales.",
        language="fr",
        satisfaction=5,
    )


def _exchanges(egypt: Need, benin: Need, senegal: Need) -> None:
    live = Match.objects.filter(case__need=egypt).exclude(exchange="")
    if live.exists():
        return
    focal_point, agent = demo_person("focalpoint.eg"), demo_person("helpdesk")
    services.propose_peer_exchange(
        egypt,
        _party("BJ"),
        counterpart=benin,
        actor=focal_point,
        message="مرحباً، قيّمت بنين فعالية إدارة محمياتها الساحلية بأداة IMET. نود تنظيم زيارة دراسية "
        "لمديري محميات البحر الأحمر والاطلاع على تجربتكم مع اللجان القروية.",
    )
    triangular = services.propose_peer_exchange(
        egypt,
        _party("SN"),
        counterpart=senegal,
        actor=agent,
        message="L'Égypte et le Sénégal préparent tous deux l'évaluation IMET de leurs aires marines "
        "protégées. L'IFDD propose de financer un atelier commun à Joal-Fadiouth.",
        funder=demo_owner("IFDD"),
    )
    # Senegal's focal points have no demo account: the platform records their acceptance, and
    # Egypt's focal point is asked to confirm.
    services.accept(triangular, actor=None, note="Le Sénégal accueillera l'atelier avec plaisir.")


def _party(code: str) -> Country:
    found = Country.objects.filter(code=code).first()
    if found is None:
        raise CommandError(f"Demo Party {code} is missing: run `clearinghouse loadreference` first.")
    return found


def load() -> list[str]:
    needs = {
        key: _need(key, owner, language, title, text, languages)
        for key, owner, language, title, text, languages in NEEDS
    }
    senegal = Need.objects.filter(import_key=SENEGAL, live=True).first()
    if senegal is None:
        raise CommandError("Demo need sn-pame is missing: the needs demo data must load first.")
    _benin_addressed(needs[BENIN])
    _exchanges(needs[EGYPT], needs[BENIN], senegal)
    exchanges = Match.objects.exclude(exchange="")
    waiting = exchanges.filter(state=MatchState.ACCEPTED).count()
    return [
        f"{'Peers (/peers/needs/<need>/)':32} {needs[EGYPT].identifier}: "
        f"{exchanges.count()} peer exchanges, {waiting} waiting for Egypt to confirm"
    ]
