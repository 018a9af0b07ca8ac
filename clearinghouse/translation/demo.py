"""Demo translation requests (loaded by ``loaddemo`` after the records they are about).

Mei Wang, a reader whose language is Chinese, asked for the Chinese version of AIDESEP's Spanish
guide to community monitoring; the translator Lina Zhou (into Chinese and Arabic) translated it
from the Spanish, the Secretariat reviewed it and it is published, marked as an unofficial
translation. Other requests wait in the queue in Arabic, Russian and French (one for the guide's
file itself), and one Arabic translation is being drafted. Loading twice adds nothing.
"""

from __future__ import annotations

from clearinghouse.accounts.demo import demo_person
from clearinghouse.publishing import notifications, registry
from clearinghouse.publishing.models import Record
from clearinghouse.support.models import ResourceVersion
from clearinghouse.translation import items, services
from clearinghouse.translation.models import Kind, RequestState, TranslationRequest

GUIDE_TITLE = "Guía de monitoreo comunitario de los bosques amazónicos"
GUIDE_ZH = {
    "title": "亚马孙森林社区监测指南",
    "description": "<p>如何组织原住民巡护队、用GPS记录警报并提出举报。</p>",
}
# (person, language, record type): each asks for the first public record of the type without it.
WAITING = [
    ("focalpoint.eg", "ar", "NEED", "نحتاج هذه الوثيقة باللغة العربية لورشة عمل وطنية."),
    ("trainer", "ru", "COURSE", "Для слушателей из Центральной Азии."),
    ("partner.ifdd", "fr", "EVENT", "Pour nos partenaires d'Afrique de l'Ouest."),
    ("focalpoint.eg", "ar", "RES", ""),
]


def _type(code: str) -> registry.RecordType | None:
    return next((kind for kind in registry.record_types() if kind.code == code), None)


def _first_without(code: str, language: str) -> Record | None:
    record_type = _type(code)
    if record_type is None:
        return None
    record: Record
    for record in record_type.live().order_by("identifier")[:50]:
        if language not in items.languages_present(record) and items.translatable_fields(record):
            return record
    return None


def _guide() -> Record | None:
    resources = _type("RES")
    if resources is None:
        return None
    found: Record | None = resources.live().filter(title__es=GUIDE_TITLE).first()
    return found


def load() -> list[str]:
    reader = demo_person("learner")
    translator = demo_person("translator")
    secretariat = demo_person("secretariat")
    services.set_languages(actor=None, translator=translator, languages=["zh", "ar"])
    lines = []
    with notifications.quiet():
        guide = _guide()
        if guide is not None:
            done = TranslationRequest.objects.filter(identifier=guide.identifier, language="zh").first()
            if done is None:
                request, _created = services.ask(
                    actor=reader,
                    identifier=guide.identifier,
                    language="zh",
                    note="我们的社区森林监测小组需要中文版本。",
                )
                services.claim(actor=translator, request=request)
                services.save_draft(actor=translator, request=request, source_language="es", texts=GUIDE_ZH)
                services.submit(actor=translator, request=request)
                services.approve(actor=secretariat, request=request)
            lines.append(f"{'Translation (/translation/queue/)':32} {guide.identifier} published in Chinese")
            # IFDD would like the guide's file itself in French, for its francophone partners.
            published_files = set(
                ResourceVersion.objects.published()
                .filter(resource_id=guide.pk)
                .values_list("language", flat=True)
            )
            if published_files and "fr" not in published_files:
                services.ask(
                    actor=demo_person("partner.ifdd"),
                    identifier=guide.identifier,
                    language="fr",
                    note="Le guide lui-même, pour nos partenaires d'Afrique de l'Ouest.",
                    kind=Kind.FILE,
                )
        for person, language, code, note in WAITING:
            record = _first_without(code, language)
            if record is not None:
                services.ask(
                    actor=demo_person(person), identifier=record.identifier, language=language, note=note
                )
        # The translator is drafting the first Arabic request.
        arabic = (
            TranslationRequest.objects.filter(language="ar", state=RequestState.REQUESTED)
            .order_by("pk")
            .first()
        )
        if (
            arabic is not None
            and not TranslationRequest.objects.filter(
                translator=translator, state=RequestState.CLAIMED
            ).exists()
        ):
            services.claim(actor=translator, request=arabic)
    return lines
