"""Demo follow-up: the organisers of two past demo events (the coral-bleaching workshop in Cairo,
the DNA-barcoding training in Kunming) and of a completed demo course ask their alumni some
months after; the daily job sends what is due, and several alumni answer, each in their
language — what they applied, what changed, what help they still need — one of them asking the
help desk. Others were asked and have not answered yet. Everything goes through the follow-up
services, on the participations and consents the alumni demo recorded (it loads first).
Idempotent: an activity whose follow-up is set is left as it is, and answers are given only
where none was.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError

from clearinghouse.accounts.demo import demo_person
from clearinghouse.community import follow_up
from clearinghouse.community.models import Activity, Applied, FollowUp, Participation
from clearinghouse.core.languages import content_language
from clearinghouse.events.models import Event
from clearinghouse.learning.models import Course

# (English title of the demo event, who organised it, months after)
EVENTS = [
    (
        "Regional workshop on monitoring coral bleaching in the Red Sea and the Gulf of Aden",
        "focalpoint.eg",
        2,
    ),
    ("DNA barcoding training course for young taxonomists from Asia and Africa", "focalpoint.cn", 1),
]
COURSE_MONTHS = 3

# What alumni answer, in each language: (applied, what they applied, what changed, help needed).
ANSWERS: dict[str, list[tuple[str, str, str, str]]] = {
    "ar": [
        (
            Applied.MUCH,
            "طبّقنا بروتوكول المقاطع الخطية في ثلاث محميات على ساحل البحر الأحمر، وندخل البيانات شهريًا "
            "في قاعدة البيانات الإقليمية.",
            "أصبح لدى إدارة المحميات تقرير فصلي عن ابيضاض الشعاب يُعرض على اللجنة الوطنية للتنوع البيولوجي.",
            "نحتاج إلى مسجلات حرارة إضافية وتدريب فريق ثانٍ من الغواصين.",
        ),
        (
            Applied.SOME,
            "درّبت زملائي في الهيئة على تسجيل درجات حرارة المياه واستخدام الاستمارة الموحدة.",
            "بدأنا تبادل البيانات مع المحميات المجاورة في الأردن والسعودية.",
            "نحتاج إلى دعم في تحليل البيانات وإعداد خرائط لمواقع الابيضاض.",
        ),
        (
            Applied.NOT_YET,
            "لم نبدأ بعد بسبب تأخر الموافقة على خطة العمل الميداني.",
            "أُدرج الرصد في خطة عمل المحمية للعام القادم.",
            "نحتاج إلى تمويل صغير لرحلات الغوص الأولى.",
        ),
    ],
    "en": [
        (
            Applied.SOME,
            "We adapted the survey protocol for two marine protected areas and trained four rangers.",
            "Our monitoring data are now comparable with the neighbouring countries'.",
            "Help to write a proposal for long-term funding of the monitoring programme.",
        ),
        (
            Applied.MUCH,
            "Our herbarium now barcodes every new amphibian specimen before it is catalogued.",
            "Two national park authorities send us samples for identification.",
            "Advice on sharing sequences with indigenous communities' consent.",
        ),
    ],
    "fr": [
        (
            Applied.SOME,
            "J'ai organisé une formation de deux jours pour les agents de notre réseau d'aires protégées.",
            "Nos relevés sont désormais saisis dans une base commune avec les partenaires régionaux.",
            "Un appui pour traduire les fiches de terrain en lingala et en swahili.",
        )
    ],
    "zh": [
        (
            Applied.MUCH,
            "回国后我们建立了本省两栖动物的DNA条形码参考库，已提交120条序列。",
            "我们的实验室现在可以为保护区提供物种鉴定服务。",
            "希望获得关于数据管理和长期保存标本的进一步培训。",
        )
    ],
    "ru": [
        (
            Applied.NOT_YET,
            "Пока не удалось: в нашей лаборатории нет оборудования для амплификации ДНК.",
            "Мы подготовили заявку на оборудование вместе с университетом.",
            "Нужна помощь в поиске партнёра, который мог бы выполнять секвенирование для нас.",
        )
    ],
    "es": [
        (
            Applied.SOME,
            "Compartimos el protocolo con las comunidades del ayllu y hacemos muestreos cada trimestre.",
            "Las comunidades participan ahora en el monitoreo y conocen las especies indicadoras.",
            "Necesitamos materiales de capacitación en quechua y aimara.",
        )
    ],
}


def _set(activity: Event | Course, actor_key: str | None, months: int) -> FollowUp | None:
    existing = follow_up.follow_up_of(activity)
    if existing is not None:
        return None
    field = "event" if isinstance(activity, Event) else "course"
    if not Participation.objects.filter(**{field: activity}).exists():
        return None
    actor = demo_person(actor_key) if actor_key else demo_person("secretariat")
    return follow_up.set_follow_up(activity, actor=actor, months=months)


def _answer(made: FollowUp, answered: int, ticket: bool) -> None:
    """Answer the first ``answered`` requests sent, each in its alumnus's language; the first
    asks the help desk when ``ticket``."""
    sent = made.requests.filter(sent_at__isnull=False, answered_at__isnull=True).select_related(
        "participation__alumnus__person"
    )
    for index, request in enumerate(list(sent.order_by("pk"))[:answered]):
        language = content_language(follow_up.language_of(request))
        written = ANSWERS.get(language, ANSWERS["en"])
        applied, how, changed, needed = written[index % len(written)]
        then = follow_up.OPEN_TICKET if ticket and index == 0 else follow_up.OPEN_NOTHING
        try:
            follow_up.answer(
                follow_up.token_for(request),
                follow_up.Answer(applied, how, changed, needed, then),
                language=language,
            )
        except ValidationError:
            # Without a help desk (a partial demo), the answer is given alone.
            follow_up.answer(
                follow_up.token_for(request),
                follow_up.Answer(applied, how, changed, needed),
                language=language,
            )


def load() -> list[str]:
    """Set the demo follow-ups, send what is due and give some answers; nothing to print."""
    made: list[FollowUp] = []
    for title, organiser, months in EVENTS:
        event = Event.objects.filter(live=True, title__en=title).first()
        if event is not None and (found := _set(event, organiser, months)) is not None:
            made.append(found)
    completed = (
        Participation.objects.filter(activity=Activity.COURSE, course__live=True)
        .order_by("course__identifier")
        .values_list("course", flat=True)
        .first()
    )
    if completed is not None:
        _set(Course.objects.get(pk=completed), None, COURSE_MONTHS)
    follow_up.run()
    for index, item in enumerate(made):
        # Some answer, one of them asking the help desk; the others are still to answer.
        _answer(item, answered=3 if index == 0 else 2, ticket=index == 0)
    return []
