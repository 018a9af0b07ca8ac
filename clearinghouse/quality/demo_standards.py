"""Demo standards: the file's five standards and three checklist templates in force (version 1),
then the Secretariat's work on the site: the training-events standard in its second version
(a criterion on accessibility for people with disabilities added, in force since; version 1
retired), and a third version of the courses standard being drafted (its summary reworded).

Made through the services the Secretariat uses. Idempotent: the file loads once, and the
Secretariat's versions are made only while the codes have none beyond version 1."""

from __future__ import annotations

from django.core.management.base import CommandError

from clearinghouse.accounts.demo import demo_person
from clearinghouse.quality import standards
from clearinghouse.quality.models import ChecklistTemplate, Scale, Standard, VersionStatus

ACCESSIBILITY_GROUP = {
    "ar": "التنفيذ",
    "zh": "实施",
    "en": "Delivery",
    "fr": "Déroulement",
    "ru": "Проведение",
    "es": "Ejecución",
}
ACCESSIBILITY = {
    "ar": (
        "يمكن للأشخاص ذوي الإعاقة الوصول إلى المكان والمواد والترجمة المصاحبة، "
        "وقد سُئل المشاركون عن احتياجاتهم."
    ),
    "zh": "残疾人可以使用会场、材料和字幕，并已询问参与者的需求。",
    "en": (
        "People with disabilities can use the venue, the materials and "
        "captions, and participants were asked about their needs."
    ),
    "fr": (
        "Les personnes handicapées ont accès au lieu, aux documents et aux "
        "sous-titres, et les participants ont été interrogés sur leurs besoins."
    ),
    "ru": (
        "Люди с инвалидностью имеют доступ к месту проведения, материалам и "
        "субтитрам, а участников спросили об их потребностях."
    ),
    "es": (
        "Las personas con discapacidad pueden acceder al lugar, a los "
        "materiales y a los subtítulos, y se preguntó a los participantes por "
        "sus necesidades."
    ),
}
ACCESSIBILITY_GUIDANCE = {
    "ar": "ابحث عن سؤال حول الاحتياجات الخاصة في استمارة التسجيل.",
    "zh": "查看报名表中是否有关于特殊需求的问题。",
    "en": "Look for a question about access needs in the registration form.",
    "fr": "Cherchez une question sur les besoins d'accessibilité dans le formulaire d'inscription.",
    "ru": "Проверьте, есть ли в регистрационной форме вопрос об особых потребностях.",
    "es": "Busque una pregunta sobre necesidades de accesibilidad en el formulario de inscripción.",
}
COURSES_SUMMARY = {
    "ar": (
        "معايير تصميم ومحتوى وتقييم الدورات الدراسية، حضورية أو عبر الإنترنت، "
        "بما في ذلك الدورات التي تُقدَّم مع الشركاء الإقليميين."
    ),
    "zh": "面授或在线课程（包括与区域伙伴合办的课程）在设计、内容和考核方面的标准。",
    "en": (
        "Criteria for the design, content and assessment of courses, face to "
        "face or online, including those given with regional partners."
    ),
    "fr": (
        "Critères de conception, de contenu et d'évaluation des cours, en "
        "présentiel ou en ligne, y compris ceux dispensés avec des partenaires "
        "régionaux."
    ),
    "ru": (
        "Критерии разработки, содержания и оценивания очных и онлайн-курсов, "
        "включая курсы, проводимые с региональными партнерами."
    ),
    "es": (
        "Criterios de diseño, contenido y evaluación de los cursos, "
        "presenciales o en línea, incluidos los impartidos con asociados "
        "regionales."
    ),
}


def _in_force(code: str) -> Standard:
    found = Standard.objects.filter(code=code, status=VersionStatus.IN_FORCE).first()
    if found is None:
        raise CommandError(f"The standard {code} is not in force: the standards file did not load.")
    return found


def _second_version_of_events() -> None:
    """The Secretariat adds an accessibility criterion after the delivery ones and puts it in force."""
    if Standard.objects.filter(code="training-events", version__gt=1).exists():
        return
    secretariat = demo_person("secretariat")
    draft = standards.start_draft(secretariat, _in_force("training-events"))
    added = standards.save_part(
        secretariat,
        draft,
        group=ACCESSIBILITY_GROUP,
        text=ACCESSIBILITY,
        guidance=ACCESSIBILITY_GUIDANCE,
        scale=Scale.MET,
    )
    # After "materials and interpretation in the participants' languages" (6th), before evaluation.
    for _step in range(2):
        standards.move_part(secretariat, added, -1)
    standards.put_in_force(secretariat, draft)


def _draft_of_courses() -> None:
    """A next version of the courses standard, being drafted (only the Secretariat sees it)."""
    if Standard.objects.filter(code="courses", version__gt=1).exists():
        return
    secretariat = demo_person("secretariat")
    current = _in_force("courses")
    draft = standards.start_draft(secretariat, current)
    standards.edit_draft(secretariat, draft, title=current.title, summary=COURSES_SUMMARY)


def load() -> list[str]:
    """Load the standards file, then the Secretariat's versions made on the site; say where to look."""
    try:
        standards.load()
    except standards.StandardsFileError as error:
        raise CommandError(f"The quality standards do not load:\n{error}") from error
    _second_version_of_events()
    _draft_of_courses()
    in_force = Standard.objects.filter(status=VersionStatus.IN_FORCE).count()
    templates = ChecklistTemplate.objects.filter(status=VersionStatus.IN_FORCE).count()
    return [
        f"{'Quality standards':32} {in_force} standards and {templates} checklists in force "
        "(/quality/standards/)",
        f"{'  sign in as secretariat':32} a draft version 2 of the courses standard; the dashboard "
        "(/quality/dashboard/)",
    ]
