"""Demo mentoring: a francophone West African trainer mentored in French on access and
benefit-sharing by the demo's ABS expert (under way, with goals and notes); a Peruvian IPLC
representative's request in Spanish waiting for the same expert's answer; a Kenyan officer's
mentoring in English on protected-area management by the Russian expert, completed and rated.

Made through the services people use (the period is then moved back in time for the relations
that started months ago). The mentors qualify as experts: the trainer's own profile (support
demo) and the ABS expert's published profile, which gets the demo account it is about.
Idempotent: a relation is found again by its mentee, mentor and topic."""

from __future__ import annotations

from datetime import timedelta

from django.core.management.base import CommandError
from django.utils import timezone

from clearinghouse.accounts.demo import DEMO_DOMAIN, DEMO_PASSWORD, _demo_account, demo_person
from clearinghouse.accounts.models import User
from clearinghouse.community import mentoring
from clearinghouse.community.models import MentoringNote, MentoringStatus, Mentorship
from clearinghouse.support.models import Expert
from clearinghouse.vocabularies.models import Term

ABS_EXPERT = f"expert.abs{DEMO_DOMAIN}"


def _abs_expert() -> User:
    """The account of the published ABS expert profile (Claire Martin, OFB), made once."""
    profile = Expert.objects.filter(live=True, name="Claire Martin").first()
    if profile is None:
        raise CommandError("The ABS expert is missing: the support demo data must load first.")
    if profile.expert_user is not None:
        return profile.expert_user
    person = _demo_account(ABS_EXPERT, "Claire", "Martin", "fr")
    Expert.objects.filter(pk=profile.pk).update(expert_user=person)
    return person


def _subject(code: str) -> Term | None:
    return Term.objects.filter(vocabulary__name=mentoring.SUBJECTS, code=code).first()


def _relation(mentee: User, mentor: User, topic: str, subject: str, request: str, days: int) -> Mentorship:
    found = Mentorship.objects.filter(mentee=mentee, mentor=mentor, topic=topic).first()
    if found is not None:
        return found
    today = timezone.localdate()
    return mentoring.ask(
        mentee,
        mentor,
        topic=topic,
        request=request,
        starts_on=today,
        ends_on=today + timedelta(days=days),
        subject=_subject(subject),
    )


def _back_in_time(relation: Mentorship, days: int) -> None:
    """Moves a relation made today to have begun ``days`` ago, with its notes spread since."""
    shift = timedelta(days=days)
    now = timezone.now()
    Mentorship.objects.filter(pk=relation.pk).update(
        starts_on=relation.starts_on - shift + timedelta(days=7),
        ends_on=relation.ends_on - shift + timedelta(days=7),
        created_at=now - shift,
        answered_at=now - shift + timedelta(days=2),
        started_at=now - shift + timedelta(days=7) if relation.started_at else None,
    )
    notes = list(relation.notes.order_by("pk"))
    for index, note in enumerate(notes, start=1):
        MentoringNote.objects.filter(pk=note.pk).update(
            created_at=now - shift + timedelta(days=7 + index * (days - 10) // (len(notes) + 1))
        )


def _active_in_french() -> Mentorship:
    mentee, mentor = demo_person("newcomer.ifdd"), _abs_expert()
    relation = _relation(
        mentee,
        mentor,
        "Premier permis d'accès aux ressources génétiques au titre du Protocole de Nagoya",
        "SUBJ-ABS",
        "Bonjour Madame Martin,\n\nJe coordonne les formations de l'IFDD en Afrique de l'Ouest. "
        "Plusieurs autorités nationales compétentes de la sous-région préparent leur premier permis "
        "d'accès et leur premier certificat de conformité reconnu à l'échelle internationale. Votre "
        "expérience au Bénin et au Togo m'aiderait à concevoir un accompagnement réaliste : quelles "
        "étapes, quels modèles de conditions convenues d'un commun accord, quels pièges éviter.",
        days=180,
    )
    if relation.status == MentoringStatus.PENDING:
        mentoring.accept(relation, mentor)
        relation = mentoring.start(
            relation,
            mentor,
            "1. Cartographier la procédure d'accès de deux pays pilotes (Bénin, Sénégal).\n"
            "2. Rédiger un modèle de conditions convenues d'un commun accord en français.\n"
            "3. Préparer un module de formation d'une journée pour les autorités nationales "
            "compétentes.\nRythme : un entretien en visioconférence toutes les deux semaines.",
        )
        for author, body in (
            (
                mentor,
                "Premier entretien : nous avons passé en revue la loi béninoise et repéré ce qui "
                "manque pour le consentement préalable donné en connaissance de cause des "
                "communautés. Je vous envoie le guide de l'UA sur l'APA.",
            ),
            (
                mentee,
                "Merci ! J'ai commencé le tableau de la procédure pour le Sénégal. La question du "
                "partage des avantages non monétaires reste floue : pouvons-nous en parler la "
                "prochaine fois ?",
            ),
            (
                mentor,
                "Oui. Apportez un exemple de projet de recherche réel : nous rédigerons ensemble les "
                "clauses de transfert de technologie et de formation.",
            ),
        ):
            mentoring.note(relation, author, body)
        _back_in_time(relation, 45)
    return relation


def _pending_in_spanish() -> Mentorship:
    return _relation(
        demo_person("iplc.pe"),
        _abs_expert(),
        "Protocolos comunitarios bioculturales y consentimiento previo",
        "SUBJ-TRADITIONAL-KNOWLEDGE",
        "Estimada Sra. Martin:\n\nSoy representante de AIDESEP. Las comunidades del Ucayali quieren "
        "redactar su propio protocolo biocultural antes de que lleguen nuevas solicitudes de "
        "bioprospección. Le pido orientación durante unos meses para ordenar el proceso interno de "
        "consulta y para que el protocolo sea reconocido por la autoridad nacional.",
        days=120,
    )


def _completed_in_english() -> Mentorship:
    mentee, mentor = demo_person("officer.ke"), demo_person("trainer")
    relation = _relation(
        mentee,
        mentor,
        "Management effectiveness assessment for Kenya's marine protected areas",
        "SUBJ-PROTECTED-AREAS",
        "Dear Dr Sokolov,\n\nKenya Wildlife Service is preparing its first round of management "
        "effectiveness assessments (METT and IMET) for four marine protected areas. I would value "
        "your guidance on designing the assessment workshops and on turning the scores into a "
        "plan the parks can act on.",
        days=150,
    )
    if relation.status == MentoringStatus.PENDING:
        mentoring.accept(relation, mentor)
        relation = mentoring.start(
            relation,
            mentee,
            "Agree on the assessment tool and adapt its questions to marine parks; run a pilot "
            "workshop in Watamu; draft the action plan template. Monthly calls.",
        )
        mentoring.note(
            relation,
            mentee,
            "Pilot workshop in Watamu done: 14 rangers and two community wardens. Scores attached "
            "to our shared folder; threats scored lower than we expected.",
        )
        mentoring.note(
            relation,
            mentor,
            "Good work. Low threat scores usually mean the threat list was too generic: add "
            "illegal fishing gear and coastal development as separate items before the next parks.",
        )
        relation = mentoring.complete(relation, mentee)
        _back_in_time(relation, 170)
        Mentorship.objects.filter(pk=relation.pk).update(finished_at=timezone.now() - timedelta(days=20))
        relation.refresh_from_db()
    if relation.mentee_rating is None:
        mentoring.rate(
            relation,
            mentee,
            5,
            "Practical advice at every step; the pilot workshop would not have worked without it.",
        )
    if relation.mentor_rating is None:
        mentoring.rate(
            relation, mentor, 4, "A well-prepared mentee; the action plan template is now used by KWS."
        )
    return relation


def load() -> list[str]:
    relations = [_active_in_french(), _pending_in_spanish(), _completed_in_english()]
    by_status = ", ".join(f"{relation.status}" for relation in relations)
    return [
        f"{'Mentoring':32} {len(relations)} relations ({by_status})",
        f"{'  sign in as expert.abs':32} {DEMO_PASSWORD}  (the ABS expert, a mentor)",
    ]
