"""Demo knowledge products, in six languages: a case study an Egyptian focal point wrote in one
step from the completed coral-reef cooperation's outcome (matchmaking's demo), and five others
written by the Parties and organisations of the demo, linked to the demo events, courses and
action-plan activities. All are published through the workflow (the platform reviews them, as
in the other demos). Idempotent: a product is found again by its owner and original title, the
case study by its cooperation."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.core.management.base import CommandError

from clearinghouse.accounts.demo import demo_owner, demo_person
from clearinghouse.events.models import Event
from clearinghouse.geo.models import Country
from clearinghouse.knowledge import services
from clearinghouse.knowledge.models import Knowledge
from clearinghouse.learning.models import Course
from clearinghouse.matchmaking.models import Cooperation, MatchState
from clearinghouse.organisations.models import Organisation
from clearinghouse.plan.models import Activity
from clearinghouse.publishing import workflow
from clearinghouse.publishing.models import Record
from clearinghouse.vocabularies.models import Term


@dataclass(frozen=True)
class DemoProduct:
    owner: str
    author: str  # a demo person's address prefix; "" for the platform
    kind: str
    texts: dict[str, dict[str, str]]
    events: tuple[tuple[str, str, str], ...] = ()  # (owner, language, title)
    courses: tuple[tuple[str, str, str], ...] = ()
    countries: tuple[str, ...] = ()
    subjects: tuple[str, ...] = ()
    targets: tuple[str, ...] = ()
    activities: tuple[int, ...] = ()
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def language(self) -> str:
        return next(iter(self.texts["title"]))


PRODUCTS = (
    DemoProduct(
        owner="AIDESEP",
        author="iplc.pe",
        kind="success_story",
        texts={
            "title": {
                "es": "Comunidades asháninka que vigilan su bosque con sus propios conocimientos",
                "en": "Asháninka communities watching over their forest with their own knowledge",
            },
            "summary": {
                "es": "Doce comunidades del río Ene combinan su conocimiento tradicional con teléfonos y "
                "mapas para vigilar 180 000 hectáreas de bosque y alertar de la tala ilegal."
            },
            "problem": {
                "es": "La tala ilegal avanzaba en territorios titulados sin que las autoridades lo "
                "supieran a tiempo, y el saber de los mayores sobre el bosque no llegaba a los jóvenes."
            },
            "actions": {
                "es": "Los mayores y los jóvenes recorrieron juntos el territorio; se acordaron 40 señales "
                "del bosque en asháninka y castellano y se registraron en una aplicación sin conexión. "
                "Las alertas se envían a la federación y a la autoridad forestal."
            },
            "results": {
                "es": "En dos años, 63 alertas verificadas y 11 intervenciones de la autoridad forestal; "
                "la pérdida de bosque en las comunidades bajó un 40 %."
            },
            "advice": {
                "es": "El consentimiento de cada asamblea comunal va primero; los datos son de las "
                "comunidades y solo se comparten las alertas."
            },
        },
        courses=(
            ("AIDESEP", "es", "Conocimientos tradicionales y consentimiento libre, previo e informado"),
        ),
        countries=("PE",),
        subjects=("SUBJ-TRADITIONAL-KNOWLEDGE", "SUBJ-IPLC", "SUBJ-FORESTS"),
        targets=("GBF-T22", "GBF-T1"),
        activities=(20,),
    ),
    DemoProduct(
        owner="IFDD",
        author="partner.ifdd",
        kind="good_practice",
        texts={
            "title": {"fr": "Relier chaque objectif de la SPANB à une ligne du budget national"},
            "summary": {
                "fr": "Trois pays francophones ont rattaché chaque objectif de leur stratégie nationale "
                "révisée à une ligne budgétaire et à un ministère responsable."
            },
            "problem": {
                "fr": "Les stratégies précédentes restaient des documents du ministère de l'environnement, "
                "sans financement ni responsable dans les autres secteurs."
            },
            "actions": {
                "fr": "Des ateliers conjoints avec les ministères des finances et du plan ; une grille "
                "commune reliant cibles, actions, coûts et lignes budgétaires."
            },
            "results": {
                "fr": "Dans les trois pays, plus de la moitié des actions de la SPANB révisée ont un "
                "financement identifié et un ministère responsable."
            },
            "advice": {
                "fr": "Associer le ministère des finances dès la première réunion ; ne pas attendre la "
                "version finale de la stratégie."
            },
        },
        events=(
            (
                "IFDD",
                "en",
                "Webinar: bringing the Global Framework's targets into updated NBSAPs, lessons from "
                "French-speaking countries",
            ),
        ),
        countries=("SN", "BJ", "MG"),
        subjects=("SUBJ-NBSAP-REPORTING", "SUBJ-MAINSTREAMING", "SUBJ-FINANCE"),
        targets=("GBF-T14", "GBF-T19"),
        activities=(66,),
    ),
    DemoProduct(
        owner="CN",
        author="focalpoint.cn",
        kind="good_practice",
        texts={
            "title": {
                "zh": "社区参与制定湿地恢复规划",
                "en": "Communities taking part in planning wetland restoration",
            },
            "summary": {
                "zh": "在两个省份，恢复规划由村民、地方政府和科学家共同制定，优先恢复对生计和鸟类都重要的湿地。"
            },
            "problem": {"zh": "以往的恢复规划只由专家制定，村民不了解也不支持，部分恢复地块很快又被开垦。"},
            "actions": {"zh": "组织村民绘制湿地利用图，共同确定恢复优先区，并把生态补偿写入村规民约。"},
            "results": {"zh": "三年内恢复湿地 2 300 公顷，越冬水鸟数量增加三成，恢复地块未再被开垦。"},
            "advice": {"zh": "规划要从村民的用地需求出发；补偿标准要在规划阶段就谈定。"},
        },
        countries=("CN",),
        subjects=("SUBJ-RESTORATION", "SUBJ-INLAND-WATERS", "SUBJ-PARTICIPATION"),
        targets=("GBF-T2",),
        activities=(33,),
    ),
    DemoProduct(
        owner="ЦОДП",
        author="",
        kind="lesson_learnt",
        texts={
            "title": {"ru": "Единый протокол мониторинга для сети заповедников: чему нас научил первый год"},
            "summary": {
                "ru": "Двенадцать заповедников перешли на общий протокол учёта; первый год показал, что "
                "обучение наблюдателей важнее, чем выбор приборов."
            },
            "problem": {"ru": "Заповедники вели учёты по своим методикам, и данные нельзя было сравнить."},
            "actions": {
                "ru": "Общий протокол, обсуждённый на ярмарке знаний, двухдневное обучение в каждом "
                "заповеднике и единая база данных."
            },
            "results": {
                "ru": "Сопоставимые данные по 12 заповедникам за сезон; в трёх из них учёты пришлось "
                "повторить из-за ошибок в определении видов."
            },
            "advice": {
                "ru": "Закладывайте повторное обучение через полгода и проверку первых данных экспертом."
            },
        },
        events=(
            (
                "ЦОДП",
                "ru",
                "Ярмарка знаний «Охраняемые территории Северной Евразии: практики, которыми стоит поделиться»",
            ),
        ),
        courses=(
            ("ЦОДП", "ru", "Системы мониторинга для целей Глобальной рамочной программы по биоразнообразию"),
        ),
        subjects=("SUBJ-PROTECTED-AREAS", "SUBJ-DATA-INFORMATION"),
        targets=("GBF-T3",),
        activities=(34,),
    ),
    DemoProduct(
        owner="KE",
        author="focalpoint.ke",
        kind="case_study",
        texts={
            "title": {
                "en": "Training border inspectors to recognise invasive plants: Kenya's trainers' network",
                "fr": "Former les inspecteurs aux frontières à reconnaître les plantes envahissantes",
            },
            "summary": {
                "en": "Twenty-five inspectors trained at Naivasha now train their colleagues at eleven "
                "border posts, with a field guide in English and Kiswahili."
            },
            "problem": {
                "en": "Seeds and cuttings of invasive plants crossed the borders in traded goods; inspectors "
                "had no way to recognise them."
            },
            "actions": {
                "en": "A training of trainers at Naivasha, the regional invasive species course online, "
                "and a field guide of the thirty species most often intercepted."
            },
            "results": {
                "en": "Interceptions of invasive plant material rose from 14 to 61 a year; every border post "
                "has a trained inspector."
            },
            "advice": {"en": "Pair each new inspector with a trained one for the first month at the post."},
        },
        events=(("KE", "en", "Training of trainers: identifying invasive alien species at border posts"),),
        courses=(("EEAA", "en", "Invasive alien species management"),),
        countries=("KE", "UG", "TZ"),
        subjects=("SUBJ-INVASIVE-ALIEN-SPECIES",),
        targets=("GBF-T6",),
        activities=(47,),
    ),
)

# What the Egyptian focal point adds to the case study written from the cooperation's outcome.
CASE_STUDY_TEXTS = {
    "title": {
        "ar": "حراس الشعاب في البحر الأحمر يدربون زملاءهم: دراسة حالة من التعاون مع المكسيك",
        "en": "Red Sea reef rangers training their colleagues: a case study of a cooperation with Mexico",
    },
    "summary": {
        "ar": "تدرب عشرة حراس مصريين في كوزوميل على رصد الشعاب المرجانية، ثم دربوا عشرين زميلاً "
        "وبدأوا الرصد الفصلي في ثلاث محميات."
    },
    "problem": {
        "ar": "لم يكن لدى المحميات المصرية بروتوكول موحد لرصد الشعاب، ولم يتلق معظم الحراس تدريباً ميدانياً."
    },
}


def _owner_filter(owner: Country | Organisation) -> dict[str, Any]:
    return {"owner_country": owner} if isinstance(owner, Country) else {"owner_organisation": owner}


def _find(model: type[Record], owner_code: str, language: str, title: str) -> Record:
    owner = demo_owner(owner_code)
    found = model._default_manager.filter(
        live=True, **_owner_filter(owner), **{f"title__{language}": title}
    ).first()
    if found is None:
        raise CommandError(f"Demo {model.__name__} {title!r} is missing: its demo data must load first.")
    return found


def _terms(codes: tuple[str, ...]) -> list[Term]:
    return list(Term.objects.filter(code__in=codes))


def _links(spec: DemoProduct) -> dict[str, Any]:
    return {
        "events": [_find(Event, *event) for event in spec.events],
        "courses": [_find(Course, *course) for course in spec.courses],
        "countries": list(Country.objects.filter(code__in=spec.countries)),
        "subjects": _terms(spec.subjects),
        "gbf_targets": _terms(spec.targets),
        "plan_activities": list(Activity.objects.filter(number__in=spec.activities)),
    }


def _publish(product: Knowledge, author: Any) -> None:
    workflow.submit(product, actor=author)
    workflow.publish(product, actor=None)


def _product(spec: DemoProduct) -> None:
    owner = demo_owner(spec.owner)
    title = spec.texts["title"][spec.language]
    if Knowledge.objects.filter(**_owner_filter(owner), **{f"title__{spec.language}": title}).exists():
        return
    author = demo_person(spec.author) if spec.author else None
    values = {"original_language": spec.language, "kind": spec.kind, **spec.texts, **_links(spec)}
    _publish(services.create(actor=author, owner=owner, values=values), author)


def _case_study() -> None:
    cooperation = Cooperation.objects.filter(
        match__case__need__import_key="demo-need-eg-1", match__state=MatchState.COMPLETED
    ).first()
    if cooperation is None:
        raise CommandError("The completed demo cooperation is missing: the matchmaking demo must load first.")
    if Knowledge.objects.filter(cooperation=cooperation).exists():
        return
    author = demo_person("focalpoint.eg")
    product, _made = services.write_from_outcome(cooperation, actor=author)
    working, _many = workflow.working_copy(product)
    links = _links(
        DemoProduct(
            owner="EG",
            author="",
            kind="case_study",
            texts={},
            events=(
                (
                    "EG",
                    "en",
                    "Regional workshop on monitoring coral bleaching in the Red Sea and the Gulf of Aden",
                ),
            ),
            countries=("EG", "MX"),
            subjects=("SUBJ-MARINE-COASTAL",),
            targets=("GBF-T3", "GBF-T11"),
            activities=(34,),
        )
    )
    values = {name: dict(getattr(working, name) or {}) | texts for name, texts in CASE_STUDY_TEXTS.items()}
    workflow.save_draft(product, actor=author, values=values | links, base_revision=product.revision_number)
    _publish(product, author)


def load() -> list[str]:
    _case_study()
    for spec in PRODUCTS:
        _product(spec)
    return []
