"""Demo communities of practice for `clearinghouse loaddemo`: three live communities in three
working languages (ecosystem restoration in Latin America in Spanish, access and benefit-sharing
in francophone Africa in French, marine spatial planning in the Arab region in Arabic), with
members and moderators among the demo people and the demo alumni, discussions and replies in the community's
language, an announcement, a link to a demo record, a request to join and a report waiting for a
moderator. Everything goes through the services people use. Idempotent: a community found by its
English name is left as it is.
"""

from __future__ import annotations

from dataclasses import dataclass

from clearinghouse.accounts.demo import demo_owner, demo_person
from clearinghouse.accounts.models import User
from clearinghouse.community import discussions, moderation
from clearinghouse.community.models import (
    Access,
    Alumnus,
    Community,
    Consent,
    MemberRole,
    ReportReason,
    TopicKind,
)
from clearinghouse.geo.models import Region
from clearinghouse.publishing import registry, workflow
from clearinghouse.vocabularies.models import Term


@dataclass(frozen=True)
class DemoTopic:
    author: str
    title: str
    body: str
    replies: tuple[tuple[str, str], ...] = ()
    kind: str = TopicKind.DISCUSSION
    link_record: bool = False


@dataclass(frozen=True)
class DemoCommunity:
    creator: str
    owner: str
    language: str
    access: str
    name: dict[str, str]
    description: dict[str, str]
    code_of_conduct: dict[str, str]
    languages: tuple[str, ...]
    subjects: tuple[str, ...]
    gbf_targets: tuple[str, ...]
    regions: tuple[str, ...]
    members: tuple[str, ...]
    moderators: tuple[str, ...]
    topics: tuple[DemoTopic, ...]
    pending: tuple[str, ...] = ()
    # (reporter, topic index, post index, reason)
    report: tuple[str, int, int, str] | None = None
    # What an alumnus of the demo events who joins writes in the second topic.
    alumnus_reply: str = ""


COMMUNITIES = [
    DemoCommunity(
        creator="iplc.pe",
        owner="AIDESEP",
        language="es",
        access=Access.PUBLIC,
        name={
            "es": "Restauración de ecosistemas en América Latina",
            "en": "Ecosystem restoration in Latin America",
            "fr": "Restauration des écosystèmes en Amérique latine",
            "ar": "استعادة النظم الإيكولوجية في أمريكا اللاتينية",
            "zh": "拉丁美洲生态系统恢复",
            "ru": "Восстановление экосистем в Латинской Америке",
        },
        description={
            "es": "Un espacio para quienes restauran bosques, manglares, páramos y humedales en América "
            "Latina: comunidades indígenas y locales, técnicos de gobierno, ONG e investigadores "
            "comparten lo que funciona, los viveros comunitarios, el monitoreo y el financiamiento "
            "para cumplir la Meta 2 del Marco Mundial de Biodiversidad.",
            "en": "A space for people restoring forests, mangroves, páramos and wetlands in Latin America: "
            "indigenous peoples and local communities, government technicians, NGOs and researchers "
            "share what works, community nurseries, monitoring and finance towards Target 2 of the "
            "Global Biodiversity Framework.",
            "fr": "Un espace pour celles et ceux qui restaurent forêts, mangroves, páramos et zones humides "
            "en Amérique latine, en vue de la cible 2 du Cadre mondial de la biodiversité.",
        },
        code_of_conduct={
            "es": "Respetamos a todas las personas y sus saberes, en particular los conocimientos "
            "tradicionales de los pueblos indígenas. No publicamos datos personales ni ubicaciones "
            "sensibles de especies. Sin publicidad. Citamos nuestras fuentes.",
            "en": "We respect every person and their knowledge, in particular the traditional knowledge of "
            "indigenous peoples. We do not post personal data or sensitive species locations. No "
            "advertising. We cite our sources.",
        },
        languages=("es", "pt", "en"),
        subjects=("SUBJ-RESTORATION", "SUBJ-FORESTS", "SUBJ-IPLC"),
        gbf_targets=("GBF-T2", "GBF-T22"),
        regions=("419",),
        members=("helpdesk", "focalpoint.ke", "learner", "secretariat"),
        moderators=("helpdesk",),
        topics=(
            DemoTopic(
                author="iplc.pe",
                kind=TopicKind.ANNOUNCEMENT,
                title="Bienvenidos: cómo participar en esta comunidad",
                body="Bienvenidas y bienvenidos. Presentémonos en el tema de presentaciones: quiénes somos, "
                "dónde restauramos y qué queremos aprender. Las consultas técnicas van en un tema "
                "propio, con un título claro.",
            ),
            DemoTopic(
                author="helpdesk",
                title="Viveros comunitarios: ¿cómo asegurar semillas nativas de calidad?",
                body="En nuestra zona los viveros comunitarios tienen dificultades para conseguir semillas "
                "nativas con buena procedencia genética. ¿Qué experiencias tienen con bancos de semillas "
                "locales o con acuerdos con las comunidades que recolectan?",
                replies=(
                    (
                        "iplc.pe",
                        "En la Amazonía peruana las comunidades recolectan semillas con un calendario propio "
                        "y las registran por árbol madre. Un acuerdo escrito con la comunidad fija el precio "
                        "y el reparto de beneficios.",
                    ),
                    (
                        "learner",
                        "Gracias, muy útil. ¿Alguien tiene una ficha para registrar los árboles madre?",
                    ),
                ),
                link_record=True,
            ),
            DemoTopic(
                author="focalpoint.ke",
                title="Monitoreo de la restauración con drones: ¿vale la pena?",
                body="Estamos evaluando drones para medir la cobertura en parcelas restauradas. ¿Qué costos "
                "y qué resultados han tenido en comparación con las parcelas permanentes?",
                replies=(
                    (
                        "helpdesk",
                        "Los drones sirven para la cobertura, pero no reemplazan las parcelas para medir "
                        "la supervivencia y la diversidad de especies. Combinamos ambos cada seis meses.",
                    ),
                ),
            ),
        ),
        report=("learner", 2, 1, ReportReason.OTHER),
        alumnus_reply=(
            "Después del taller regional registramos 40 árboles madre con la comunidad; "
            "compartimos la ficha que usamos con gusto."
        ),
    ),
    DemoCommunity(
        creator="partner.ifdd",
        owner="IFDD",
        language="fr",
        access=Access.MEMBERS,
        name={
            "fr": "APA et Protocole de Nagoya en Afrique francophone",
            "en": "ABS and the Nagoya Protocol in francophone Africa",
            "es": "APB y Protocolo de Nagoya en el África francófona",
            "ar": "الحصول وتقاسم المنافع وبروتوكول ناغويا في أفريقيا الناطقة بالفرنسية",
            "zh": "法语非洲的获取和惠益分享与《名古屋议定书》",
            "ru": "ДРВВ и Нагойский протокол во франкоязычной Африке",
        },
        description={
            "fr": "Les correspondants nationaux et autorités nationales compétentes en matière d'accès et de "
            "partage des avantages (APA) d'Afrique francophone échangent sur les cadres "
            "réglementaires, les permis, les conditions convenues d'un commun accord et le Centre "
            "d'échange sur l'APA. Réservé aux membres : les demandes d'adhésion sont examinées par "
            "les modérateurs.",
            "en": "National focal points and competent national authorities for access and benefit-sharing "
            "(ABS) in francophone Africa exchange on regulatory frameworks, permits, mutually agreed "
            "terms and the ABS Clearing-House. Members only: moderators review requests to join.",
        },
        code_of_conduct={
            "fr": "Les échanges restent confidentiels entre membres. Aucun document de négociation en "
            "cours n'est partagé sans l'accord de son auteur. Respect mutuel et courtoisie.",
            "en": "Exchanges stay confidential among members. No document under negotiation is shared "
            "without its author's consent. Mutual respect and courtesy.",
        },
        languages=("fr", "en"),
        subjects=("SUBJ-ABS", "SUBJ-TRADITIONAL-KNOWLEDGE"),
        gbf_targets=("GBF-T13",),
        regions=("002",),
        members=("trainer", "focalpoint.ke", "officer.ke"),
        moderators=("trainer",),
        pending=("newcomer.ke",),
        alumnus_reply=(
            "Dans notre pays, le délai est de 60 jours, mais il est rarement tenu faute de "
            "personnel. L'atelier nous a convaincus de créer un guichet unique."
        ),
        topics=(
            DemoTopic(
                author="partner.ifdd",
                kind=TopicKind.ANNOUNCEMENT,
                title="Atelier régional sur les conditions convenues d'un commun accord",
                body="Un atelier régional en ligne sur la négociation des conditions convenues d'un commun "
                "accord aura lieu le mois prochain. Le programme sera partagé ici.",
            ),
            DemoTopic(
                author="officer.ke",
                title="Permis d'accès : quels délais de traitement dans vos pays ?",
                body="Nous révisons notre procédure de délivrance des permis d'accès. Quels délais de "
                "traitement avez-vous fixés et comment les respectez-vous ?",
                replies=(
                    (
                        "trainer",
                        "Chez nous, la loi fixe 90 jours. Un guichet unique et un formulaire en ligne nous "
                        "ont permis de tenir ce délai dans la plupart des cas.",
                    ),
                    (
                        "partner.ifdd",
                        "Pensez aussi à publier chaque permis sur le Centre d'échange sur l'APA : il devient "
                        "alors un certificat de conformité reconnu internationalement.",
                    ),
                ),
            ),
        ),
    ),
    DemoCommunity(
        creator="focalpoint.eg",
        owner="EG",
        language="ar",
        access=Access.PUBLIC,
        name={
            "ar": "التخطيط المكاني البحري في المنطقة العربية",
            "en": "Marine spatial planning in the Arab region",
            "fr": "Planification spatiale marine dans la région arabe",
            "es": "Planificación espacial marina en la región árabe",
            "zh": "阿拉伯区域海洋空间规划",
            "ru": "Морское пространственное планирование в арабском регионе",
        },
        description={
            "ar": "مجتمع ممارسة للعاملين في التخطيط المكاني البحري وإدارة المناطق الساحلية في البحر الأحمر "
            "والخليج والبحر الأبيض المتوسط: تبادل الخبرات في رسم الخرائط، وإشراك أصحاب المصلحة، "
            "والمناطق البحرية المحمية، تحقيقا للهدف 1 والهدف 3 من الإطار العالمي للتنوع البيولوجي.",
            "en": "A community of practice for people working on marine spatial planning and coastal "
            "management in the Red Sea, the Gulf and the Mediterranean: mapping, stakeholder "
            "engagement and marine protected areas, towards Targets 1 and 3 of the Global "
            "Biodiversity Framework.",
        },
        code_of_conduct={
            "ar": "نحترم جميع الأعضاء وآراءهم. لا نشارك البيانات الشخصية. لا إعلانات تجارية. نذكر مصادر "
            "البيانات والخرائط.",
            "en": "We respect every member and their views. We share no personal data. No commercial "
            "advertising. We cite the sources of data and maps.",
        },
        languages=("ar", "en", "fr"),
        subjects=("SUBJ-MARINE-COASTAL", "SUBJ-SPATIAL-PLANNING", "SUBJ-PROTECTED-AREAS"),
        gbf_targets=("GBF-T1", "GBF-T3"),
        regions=("145", "015"),
        members=("secretariat", "newcomer.eg", "trainer"),
        moderators=("secretariat",),
        alumnus_reply="شاركت في ورشة العمل الإقليمية في القاهرة، ونستخدم الآن صور الأقمار الصناعية مع بيانات "
        "المسح الميداني لتحديث خريطة الأعشاب البحرية كل عام.",
        topics=(
            DemoTopic(
                author="focalpoint.eg",
                kind=TopicKind.ANNOUNCEMENT,
                title="مرحبا بكم في مجتمع التخطيط المكاني البحري",
                body="أهلا بكم جميعا. نرجو أن يعرّف كل عضو بنفسه وبالمنطقة الساحلية التي يعمل فيها، "
                "وأن يقرأ مدونة السلوك قبل النشر.",
            ),
            DemoTopic(
                author="newcomer.eg",
                title="ما هي مصادر البيانات المفتوحة لرسم خرائط الشعاب المرجانية في البحر الأحمر؟",
                body="نعمل على خريطة للموائل البحرية في خليج العقبة. ما هي مصادر البيانات المفتوحة التي "
                "تستخدمونها لرسم خرائط الشعاب المرجانية والأعشاب البحرية؟",
                replies=(
                    (
                        "focalpoint.eg",
                        "نستخدم بيانات أطلس الشعاب المرجانية المفتوح مع صور الأقمار الصناعية، ثم نتحقق منها "
                        "ميدانيا مع الصيادين المحليين.",
                    ),
                    (
                        "secretariat",
                        "يمكنكم أيضا الاطلاع على الاحتياج المنشور في غرفة تبادل المعلومات حول بناء القدرات "
                        "في رسم الخرائط البحرية.",
                    ),
                ),
                link_record=True,
            ),
        ),
    ),
]

ENGLISH_NAMES = [community.name["en"] for community in COMMUNITIES]


def _demo_record() -> str | None:
    """A live demo record to link to (a need, else any live record with a search title)."""
    for record_type in registry.record_types():
        if record_type.model is Community:
            continue
        found = record_type.live().order_by("pk").first()
        if found is not None and record_type.model._meta.model_name == "need":
            return str(found.identifier)
    for record_type in registry.record_types():
        if record_type.model is not Community:
            found = record_type.live().order_by("pk").first()
            if found is not None:
                return str(found.identifier)
    return None


def _alumni(language: str) -> list[User]:
    """Two alumni of the demo events and courses who consented and have an account, those who
    speak the community's language first (none before the alumni demo has loaded)."""
    consenting = Alumnus.objects.filter(consent=Consent.GIVEN, person__isnull=False).select_related("person")
    chosen = list(consenting.filter(language=language).order_by("pk")[:2])
    if len(chosen) < 2:
        chosen += list(consenting.exclude(language=language).order_by("pk")[: 2 - len(chosen)])
    return [alumnus.person for alumnus in chosen if alumnus.person is not None]


def _create(spec: DemoCommunity) -> Community:
    creator = demo_person(spec.creator)
    community = discussions.create_community(
        actor=creator,
        owner=demo_owner(spec.owner),
        values={
            "original_language": spec.language,
            "name": spec.name,
            "description": spec.description,
            "code_of_conduct": spec.code_of_conduct,
            "access": spec.access,
            "languages": [code for code in spec.languages if code in {"ar", "zh", "en", "fr", "ru", "es"}],
            "subjects": list(Term.objects.filter(code__in=spec.subjects, vocabulary__name="subjects")),
            "gbf_targets": list(
                Term.objects.filter(code__in=spec.gbf_targets, vocabulary__name="gbf-targets")
            ),
            "regions": list(Region.objects.filter(code__in=spec.regions)),
        },
    )
    workflow.submit(community, actor=None)
    return workflow.publish(community, actor=None)


def _fill(community: Community, spec: DemoCommunity, record: str | None) -> None:
    for name in spec.members:
        discussions.join(person=demo_person(name), community=community, accepts_conduct=True)
        membership = discussions.membership_of(demo_person(name), community)
        if membership is not None and not membership.is_active:
            discussions.approve(actor=demo_person(spec.creator), membership=membership)
    for name in spec.moderators:
        membership = discussions.membership_of(demo_person(name), community)
        if membership is not None:
            discussions.set_role(
                actor=demo_person(spec.creator), membership=membership, role=MemberRole.MODERATOR
            )
    topics = []
    for demo_topic in spec.topics:
        author = demo_person(demo_topic.author)
        discussions.reset_flood(author)
        topic = discussions.start_topic(
            author=author,
            community=community,
            title=demo_topic.title,
            body=demo_topic.body,
            kind=demo_topic.kind,
        )
        for index, (name, body) in enumerate(demo_topic.replies):
            replier = demo_person(name)
            discussions.reset_flood(replier)
            links = (
                [record] if record and demo_topic.link_record and index == len(demo_topic.replies) - 1 else []
            )
            discussions.post_reply(author=replier, topic=topic, body=body, records=links)
        topics.append(topic)
    alumni = _alumni(spec.language)
    for person in alumni:
        discussions.join(person=person, community=community, accepts_conduct=True)
        membership = discussions.membership_of(person, community)
        if membership is not None and not membership.is_active:
            discussions.approve(actor=demo_person(spec.creator), membership=membership)
    if alumni and spec.alumnus_reply and len(topics) > 1:
        discussions.reset_flood(alumni[0])
        discussions.post_reply(author=alumni[0], topic=topics[1], body=spec.alumnus_reply)
    if topics and spec.topics[0].kind == TopicKind.ANNOUNCEMENT:
        moderation.pin_topic(actor=demo_person(spec.creator), topic=topics[0])
    for name in spec.pending:
        discussions.join(person=demo_person(name), community=community, accepts_conduct=True)
    if spec.report is not None:
        reporter, topic_index, post_index, reason = spec.report
        post = list(topics[topic_index].posts.order_by("created_at", "pk"))[post_index]
        moderation.report(
            reporter=demo_person(reporter),
            post=post,
            reason=reason,
            comment="Parece publicidad de un proveedor de drones.",
        )


def load() -> list[str]:
    """Create the demo communities that are missing; return one line per community."""
    record = _demo_record()
    lines = []
    for spec in COMMUNITIES:
        community = Community.objects.filter(name__en=spec.name["en"]).first()
        if community is None:
            community = _create(spec)
            _fill(community, spec, record)
        lines.append(f"{community.identifier}  {spec.name['en']}")
    return lines
