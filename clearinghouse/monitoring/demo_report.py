"""The demo's published progress report for 2025-2026, for `clearinghouse loaddemo`: called by
the monitoring demo once the indicators are computed. Idempotent.

The narrative is illustrative and written in the six languages; it cites no number, since the
numbers are the report's computed values. The files are built in the six languages; where
WeasyPrint cannot run, only the DOCX is built and the pages say the PDF is unavailable.
"""

from __future__ import annotations

from clearinghouse.accounts.models import User
from clearinghouse.core.languages import CONTENT_LANGUAGES
from clearinghouse.monitoring import report_documents, reports
from clearinghouse.monitoring.models import Report, ReportFile
from clearinghouse.plan.demo import SECRETARIAT_EMAIL

FIRST, LAST = 2025, 2026

NARRATIVE: dict[str, dict[str, str]] = {
    "summary": {
        "en": (
            "This report presents the progress of the short-term action plan on capacity-building "
            "during the biennium. Its numbers are computed from the clearing-house's own records: "
            "needs registered by Parties, support on offer, matches made, events held, courses "
            "completed and help-desk requests answered."
        ),
        "fr": (
            "Le présent rapport rend compte des progrès du plan d'action à court terme pour le "
            "renforcement des capacités au cours de l'exercice biennal. Ses chiffres sont calculés à "
            "partir des données du centre d'échange : besoins enregistrés par les Parties, appui "
            "proposé, mises en relation, manifestations tenues, cours achevés et demandes traitées "
            "par le service d'assistance."
        ),
        "es": (
            "Este informe presenta los progresos del plan de acción a corto plazo sobre creación de "
            "capacidad durante el bienio. Sus cifras se calculan a partir de los registros del "
            "mecanismo de facilitación: necesidades registradas por las Partes, apoyo ofrecido, "
            "vinculaciones realizadas, eventos celebrados, cursos completados y solicitudes "
            "atendidas por el servicio de asistencia."
        ),
        "ru": (
            "В настоящем докладе представлен ход осуществления краткосрочного плана действий по "
            "созданию потенциала за двухгодичный период. Его показатели рассчитаны по данным "
            "механизма посредничества: потребности, зарегистрированные Сторонами, предлагаемая "
            "поддержка, установленные связи, проведённые мероприятия, завершённые курсы и запросы, "
            "на которые ответила служба поддержки."
        ),
        "ar": (
            "يعرض هذا التقرير التقدم المحرز في تنفيذ خطة العمل القصيرة الأجل لبناء القدرات خلال فترة "
            "السنتين. وتُحسب أرقامه من سجلات آلية تبادل المعلومات نفسها: الاحتياجات التي سجلتها "
            "الأطراف، والدعم المعروض، والتوفيق بين الاحتياجات والدعم، والأحداث المنعقدة، والدورات "
            "المكتملة، والطلبات التي أجاب عنها مكتب المساعدة."
        ),
        "zh": (
            "本报告介绍两年期内能力建设短期行动计划的进展。报告中的数字根据信息交换所自身的记录计算："
            "缔约方登记的需求、提供的支持、达成的匹配、举办的活动、完成的课程以及服务台答复的请求。"
        ),
    },
    "plan": {
        "en": (
            "Most activities led by the Secretariat are under way. Activities whose indicators "
            "cannot yet be computed are listed in annex II with the reason."
        ),
        "fr": (
            "La plupart des activités menées par le Secrétariat sont en cours. Les activités dont "
            "les indicateurs ne peuvent pas encore être calculés figurent à l'annexe II, avec la "
            "raison."
        ),
        "es": (
            "La mayoría de las actividades dirigidas por la Secretaría están en marcha. Las "
            "actividades cuyos indicadores aún no pueden calcularse figuran en el anexo II, con el "
            "motivo."
        ),
        "ru": (
            "Большинство мероприятий под руководством Секретариата осуществляются. Мероприятия, "
            "показатели которых пока невозможно рассчитать, перечислены в приложении II с "
            "указанием причины."
        ),
        "ar": (
            "معظم الأنشطة التي تقودها الأمانة جارية. وترد في المرفق الثاني الأنشطة التي لا يمكن بعد "
            "حساب مؤشراتها، مع بيان السبب."
        ),
        "zh": "秘书处牵头的大多数活动正在进行。指标尚无法计算的活动列于附件二，并说明原因。",
    },
    "conclusions": {
        "en": (
            "The Conference of the Parties may wish to welcome the progress made and invite Parties "
            "to keep registering their needs, so that support can be matched to them."
        ),
        "fr": (
            "La Conférence des Parties voudra peut-être se féliciter des progrès accomplis et inviter "
            "les Parties à continuer d'enregistrer leurs besoins, afin que l'appui puisse y "
            "répondre."
        ),
        "es": (
            "La Conferencia de las Partes tal vez desee acoger con satisfacción los progresos "
            "realizados e invitar a las Partes a seguir registrando sus necesidades, para que el "
            "apoyo pueda vincularse a ellas."
        ),
        "ru": (
            "Конференция Сторон, возможно, пожелает приветствовать достигнутый прогресс и "
            "предложить Сторонам продолжать регистрировать свои потребности, чтобы им можно было "
            "подобрать поддержку."
        ),
        "ar": (
            "قد يرغب مؤتمر الأطراف في الترحيب بالتقدم المحرز ودعوة الأطراف إلى مواصلة تسجيل "
            "احتياجاتها، حتى يمكن توفيق الدعم معها."
        ),
        "zh": "缔约方大会不妨欢迎所取得的进展，并请缔约方继续登记其需求，以便为其匹配支持。",
    },
}


def load() -> list[str]:
    """Publish the 2025-2026 report with its narrative and files, unless it is published already
    (then only the files missing are built)."""
    report = Report.objects.filter(period_start=FIRST, period_end=LAST, state=Report.State.PUBLISHED).first()
    if report is None:
        secretariat = User.objects.filter(email=SECRETARIAT_EMAIL).first()
        report = reports.create(FIRST, LAST, by=secretariat)
        for language in CONTENT_LANGUAGES:
            texts = {section: by_language[language] for section, by_language in NARRATIVE.items()}
            reports.write_narrative(report, language, texts, by=secretariat)
        report_documents.build(report, CONTENT_LANGUAGES)
        report = reports.publish(report, by=secretariat)
    else:
        missing = [
            language
            for language in CONTENT_LANGUAGES
            if not report.files.filter(language=language, format=ReportFile.Format.DOCX).exists()
        ]
        if missing:
            report_documents.build(report, missing)
    return [f"Progress report {FIRST}-{LAST}: /monitoring/reports/published/{report.pk}/"]
