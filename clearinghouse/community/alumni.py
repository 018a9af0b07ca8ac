"""Alumni: the beneficiaries of the platform's events and courses, kept with their consent.

Someone becomes an alumnus by taking part: checked in at an event, or a course completed
(``record_registration``, ``record_enrolment``, called by the receivers after the commit that
made it so, and by the demo). The first time, their consent is asked by e-mail, in their
language; they give, refuse or later withdraw it. Without consent the record keeps only what
anonymous statistics need: it is never listed, never written to by the network.

People known only from a participants' list have no account: they are kept by their e-mail
address and invited to claim the record, with a signed link, once signed in; an account whose
verified address is the record's takes it over by itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from allauth.account.models import EmailAddress
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from clearinghouse.accounts.models import User
from clearinghouse.community.models import Activity, Alumnus, Consent, Participation
from clearinghouse.core.languages import CONTENT_LANGUAGES, content_language
from clearinghouse.core.mail import send_templated, site_url
from clearinghouse.core.multilingual import show
from clearinghouse.events.models import Registration, RegistrationStatus
from clearinghouse.geo.models import Country
from clearinghouse.learning.models import Enrolment, EnrolmentStatus
from clearinghouse.organisations.models import Organisation
from clearinghouse.support import services as support
from clearinghouse.support.models import Expert

CONSENT_SALT = "community.alumnus-consent"
CLAIM_SALT = "community.alumnus-claim"
# The links of the consent e-mail: long enough for someone back from the field to answer.
LINK_DAYS = 60
INTERFACE_LANGUAGES = ("ar", "zh-hans", "en", "fr", "ru", "es")


def mark_active(person: Any, when: datetime | None = None) -> None:
    """Note that an alumnus did something in the network (posted, replied, mentored, answered a
    follow-up): "active in the last 90 days" counts from this. Nothing for someone who is not an
    alumnus; one UPDATE, never a read first."""
    if person is None or not getattr(person, "pk", None):
        return
    Alumnus.objects.filter(person=person).update(last_active_at=when or timezone.now())


def alumnus_of(person: Any) -> Alumnus | None:
    """The person's alumni record, if they have one."""
    if not getattr(person, "is_authenticated", False):
        return None
    return Alumnus.objects.filter(person=person).first()


def consents(person: Any) -> bool:
    """Whether the network may write to this person as an alumnus (digests, follow-ups): they
    are an alumnus who gave their consent. Asked by the other parts of the community app."""
    return bool(
        getattr(person, "pk", None) and Alumnus.objects.filter(person=person, consent=Consent.GIVEN).exists()
    )


# --- becoming an alumnus --------------------------------------------------------------------------


@dataclass(frozen=True)
class Facts:
    """What statistics are disaggregated by, as the activity recorded them."""

    country_id: int | None = None
    organisation_name: str = ""
    gender: str = ""
    represents_iplc: bool = False
    sector: str = ""


def _interface_language(code: str | None) -> str:
    code = (code or "").lower()
    if code == "zh":
        return "zh-hans"
    return code if code in INTERFACE_LANGUAGES else "en"


def record_registration(registration: Registration, *, notify: bool = True) -> Participation | None:
    """The participant checked in at an event: their participation, recorded once (None when
    the registration is not an attendance)."""
    if registration.checked_in_at is None or registration.status != RegistrationStatus.CONFIRMED:
        return None
    if Participation.objects.filter(registration=registration).exists():
        return None
    person = registration.person
    language = (person.preferred_language if person is not None else "") or registration.language
    return _record(
        person=person,
        email=registration.email,
        name=registration.name,
        language=_interface_language(language),
        facts=Facts(
            registration.country_id,
            registration.organisation_name,
            registration.gender,
            registration.represents_iplc,
            registration.sector,
        ),
        participation=Participation(
            activity=Activity.EVENT,
            event_id=registration.event_id,
            registration=registration,
            role=registration.role,
            took_part_on=timezone.localdate(registration.checked_in_at),
        ),
        notify=notify,
    )


def record_enrolment(enrolment: Enrolment, *, notify: bool = True) -> Participation | None:
    """The learner completed a course: their participation, recorded once. The facts count only
    when the learner agreed to statistics."""
    if enrolment.status != EnrolmentStatus.COMPLETED:
        return None
    if Participation.objects.filter(enrolment=enrolment).exists():
        return None
    person = enrolment.person
    facts = (
        Facts(enrolment.country_id, "", enrolment.gender, enrolment.represents_iplc, enrolment.sector)
        if enrolment.consents_to_statistics
        else Facts()
    )
    completed = enrolment.completed_at or timezone.now()
    return _record(
        person=person,
        email=person.email,
        name=person.get_full_name() or person.username,
        language=_interface_language(person.preferred_language or enrolment.language),
        facts=facts,
        participation=Participation(
            activity=Activity.COURSE,
            course_id=enrolment.course_id,
            enrolment=enrolment,
            took_part_on=timezone.localdate(completed),
        ),
        notify=notify,
    )


@transaction.atomic
def _record(
    *,
    person: User | None,
    email: str,
    name: str,
    language: str,
    facts: Facts,
    participation: Participation,
    notify: bool,
) -> Participation | None:
    alumnus, created = _find_or_create(person, email.strip().lower(), name, language)
    if alumnus is None:
        return None
    same = (
        {"event_id": participation.event_id}
        if participation.activity == Activity.EVENT
        else {"course_id": participation.course_id}
    )
    existing = alumnus.participations.filter(**same).first()
    if existing is not None:
        # Taking part again in the same activity (registered twice, enrolled again): one row,
        # now tied to the latest registration or enrolment.
        link = "registration" if participation.activity == Activity.EVENT else "enrolment"
        setattr(existing, link, getattr(participation, link))
        existing.save(update_fields=[link])
        return existing
    participation.alumnus = alumnus
    participation.save()
    _copy_facts(alumnus, facts)
    if not created:
        # Taking part again is being active in the network.
        alumnus.last_active_at = timezone.now()
        alumnus.save(update_fields=["last_active_at"])
    elif notify:
        transaction.on_commit(lambda: ask_consent(alumnus))
    return participation


def _find_or_create(person: User | None, email: str, name: str, language: str) -> tuple[Alumnus | None, bool]:
    """The alumnus of this account, else of this address (lower-cased), else a new one."""
    if person is not None:
        found = Alumnus.objects.select_for_update().filter(person=person).first()
        if found is not None:
            return found, False
        # The account's own address: the one it was verified with.
        email = person.email.lower()
    found = Alumnus.objects.select_for_update().filter(email=email).first()
    if found is not None:
        if person is not None:
            if found.person_id is not None and found.person_id != person.pk:
                # The address belongs to someone else's record: nothing is mixed up.
                return None, False
            if found.person_id is None:
                found.person = person
                found.claimed_at = timezone.now()
                found.save(update_fields=["person", "claimed_at"])
        return found, False
    now = timezone.now()
    try:
        with transaction.atomic():
            created = Alumnus.objects.create(
                person=person,
                name=(name or email)[:200],
                email=email,
                language=language,
                consent=Consent.ASKED,
                consent_asked_at=now,
                claimed_at=now if person is not None else None,
            )
    except IntegrityError:
        # Recorded meanwhile by another request for the same address.
        return Alumnus.objects.filter(email=email).first(), False
    return created, True


def _copy_facts(alumnus: Alumnus, facts: Facts) -> None:
    """The latest activity's facts, where it recorded them."""
    changed = []
    for name in ("country_id", "organisation_name", "gender", "sector"):
        value = getattr(facts, name)
        if value and getattr(alumnus, name) != value:
            setattr(alumnus, name, value)
            changed.append(name.removesuffix("_id"))
    if facts.country_id and alumnus.represents_iplc != facts.represents_iplc:
        alumnus.represents_iplc = facts.represents_iplc
        changed.append("represents_iplc")
    if changed:
        alumnus.save(update_fields=changed)


def activity_title(participation: Participation, language: str | None = None) -> str:
    """The event's or course's title in the reader's language (else its original)."""
    record: Any = participation.event if participation.activity == Activity.EVENT else participation.course
    if record is None:
        return ""
    return show(record.title or {}, record.original_language, language).text or record.identifier


# --- consent --------------------------------------------------------------------------------------


def token(alumnus: Alumnus, salt: str) -> str:
    """A signed link's token naming the record and the address it was sent to."""
    return signing.dumps({"alumnus": alumnus.pk, "email": alumnus.email}, salt=salt)


def from_token(value: str, salt: str) -> Alumnus:
    """The record a signed link names; a forged, altered or expired link (or one whose record
    changed address) is refused."""
    try:
        claim = signing.loads(value, salt=salt, max_age=timedelta(days=LINK_DAYS))
        alumnus = Alumnus.objects.select_related("person").get(pk=int(claim["alumnus"]))
        if alumnus.email != str(claim["email"]):
            raise ValueError("address changed")
    except (signing.BadSignature, Alumnus.DoesNotExist, KeyError, TypeError, ValueError) as error:
        raise ValidationError(
            _("This link is not valid or has expired. Sign in to see your alumni record."),
            code="invalid_link",
        ) from error
    return alumnus


def ask_consent(alumnus: Alumnus) -> None:
    """Write to the new alumnus, in their language, to ask for their consent; someone without
    an account is also invited to claim the record."""
    alumnus = Alumnus.objects.select_related("person").get(pk=alumnus.pk)
    participation = alumnus.participations.select_related("event", "course").first()
    person = alumnus.person
    language = (person.preferred_language if person is not None else "") or alumnus.language

    def built() -> dict[str, Any]:
        return {
            "name": alumnus.name,
            "activity": activity_title(participation) if participation else "",
            "consent_url": site_url(reverse("community:consent_link", args=[token(alumnus, CONSENT_SALT)])),
            "claim_url": ""
            if person is not None
            else site_url(reverse("community:claim", args=[token(alumnus, CLAIM_SALT)])),
            "days": LINK_DAYS,
        }

    send_templated(
        "community/mail/alumni_consent",
        built,
        to=person.email if person is not None else alumnus.email,
        language=_interface_language(language),
    )


def _set_consent(alumnus: Alumnus, consent: Consent, at: datetime | None) -> Alumnus:
    locked = Alumnus.objects.select_for_update().get(pk=alumnus.pk)
    if locked.consent == consent:
        return locked
    locked.consent = consent
    locked.consent_changed_at = at or timezone.now()
    fields = ["consent", "consent_changed_at"]
    if consent != Consent.GIVEN:
        # Out of the directory and out of reach: the record stays for anonymous counting.
        locked.in_directory = False
        locked.accepts_messages = False
        fields += ["in_directory", "accepts_messages"]
    locked.save(update_fields=fields)
    return locked


@transaction.atomic
def give_consent(alumnus: Alumnus, *, at: datetime | None = None) -> Alumnus:
    """The alumnus agrees to be kept by name in the network: they may then be listed in the
    directory (their choice, on their profile) and receive the network's e-mails."""
    return _set_consent(alumnus, Consent.GIVEN, at)


@transaction.atomic
def refuse_consent(alumnus: Alumnus) -> Alumnus:
    """The alumnus says no when asked (they may still say yes later)."""
    if alumnus.consent == Consent.GIVEN:
        raise ValidationError(_("You gave your consent: withdraw it from your profile."), code="given")
    return _set_consent(alumnus, Consent.REFUSED, None)


@transaction.atomic
def withdraw_consent(alumnus: Alumnus) -> Alumnus:
    """The alumnus takes their consent back: out of the directory, no more e-mails from the
    network; the record stays, anonymous, for the statistics."""
    return _set_consent(alumnus, Consent.WITHDRAWN, None)


# --- claiming -------------------------------------------------------------------------------------


def _verified(user: User, email: str) -> bool:
    return bool(EmailAddress.objects.filter(user=user, email__iexact=email, verified=True).exists())


@transaction.atomic
def claim(alumnus: Alumnus, user: User, *, with_link: bool = False) -> Alumnus:
    """Link the record to ``user``'s account: for the account whose verified address is the
    record's, or for whoever follows the signed link sent to that address (``with_link``).
    An account that has a record already gets this one's activities."""
    alumnus = Alumnus.objects.select_for_update().get(pk=alumnus.pk)
    if alumnus.person_id == user.pk:
        return alumnus
    if alumnus.person_id is not None:
        raise ValidationError(_("This alumni record already belongs to another account."), code="claimed")
    if not with_link and not _verified(user, alumnus.email):
        raise PermissionDenied(
            _("Sign in with the e-mail address this record was kept under, or follow the link sent to it.")
        )
    own = Alumnus.objects.select_for_update().filter(person=user).first()
    if own is not None:
        return _merge(alumnus, into=own)
    alumnus.person = user
    alumnus.claimed_at = timezone.now()
    alumnus.save(update_fields=["person", "claimed_at"])
    return alumnus


def _merge(alumnus: Alumnus, *, into: Alumnus) -> Alumnus:
    """Move the activities of a record kept by address onto the account's own record."""
    for participation in alumnus.participations.all():
        same: dict[str, Any] = (
            {"event_id": participation.event_id}
            if participation.activity == Activity.EVENT
            else {"course_id": participation.course_id}
        )
        duplicate = into.participations.filter(**same).exists()
        if duplicate:
            participation.delete()
        else:
            participation.alumnus = into
            participation.save(update_fields=["alumnus"])
    alumnus.delete()
    return into


def claim_with_token(value: str, user: User) -> Alumnus:
    """The signed-in person follows the claim link of the consent e-mail."""
    return claim(from_token(value, CLAIM_SALT), user, with_link=True)


def claim_by_address(user: User, email: str) -> Alumnus | None:
    """An account verified ``email``: the record kept under it, nobody's yet, becomes theirs
    (its consent still asked as it was). Called when allauth confirms an address."""
    found = Alumnus.objects.filter(email=email.strip().lower(), person__isnull=True).first()
    if found is None or not _verified(user, email):
        return None
    return claim(found, user)


# --- the profile ----------------------------------------------------------------------------------

PROFILE_FIELDS = (
    "in_directory",
    "shows_name",
    "shows_country",
    "shows_organisation",
    "shows_expertise",
    "shows_languages",
    "shows_activities",
    "accepts_messages",
    "about",
)


@transaction.atomic
def update_profile(alumnus: Alumnus, values: dict[str, Any]) -> Alumnus:
    """Save what the alumnus lets others see. Listed, or written to, only with consent and an
    account."""
    locked = Alumnus.objects.select_for_update().get(pk=alumnus.pk)
    for name in PROFILE_FIELDS:
        if name in values:
            setattr(locked, name, values[name])
    if (locked.in_directory or locked.accepts_messages) and (
        locked.consent != Consent.GIVEN or locked.person_id is None
    ):
        raise ValidationError(
            _("Give your consent first: only then can you be listed or receive messages."), code="no_consent"
        )
    locked.about = locked.about.strip()
    locked.save(update_fields=list(PROFILE_FIELDS))
    return locked


def _owner(user: User) -> Country | Organisation | None:
    return user.country or user.organisation


@transaction.atomic
def offer_expertise(user: User) -> Expert:
    """A draft expert profile about the person, prefilled from their alumni profile and account,
    owned by their country (else their organisation): they complete and submit it for review
    like any expert profile. An expert profile already about them is returned instead."""
    existing = Expert.objects.filter(expert_user=user).order_by("pk").first()
    if existing is not None:
        return existing
    owner = _owner(user)
    if owner is None:
        raise ValidationError(
            _(
                "Set your country or your organisation in your account's profile first: "
                "an expert profile is registered for one of them."
            ),
            code="no_owner",
        )
    alumnus = Alumnus.objects.filter(person=user).first()
    language = content_language(user.preferred_language)
    name = user.get_full_name() or user.username
    cleaned: dict[str, Any] = {
        "title": name,
        "name": name,
        "email": user.email,
        "biography": alumnus.about if alumnus is not None else "",
        "subjects": list(user.expertise.all()),
        "languages": [code for code in user.languages_spoken or [] if code in CONTENT_LANGUAGES],
        "countries": [user.country] if user.country is not None else [],
    }
    # The person drafts it themselves when they may write for the owner; otherwise the platform
    # registers it for them, and from then on they edit it as its subject (SUBJECT_FIELD).
    actor = user if user.has_perm("records.draft", owner) else None
    return support.create(
        Expert, actor=actor, owner=owner, language=language, cleaned=cleaned, expert_user=user
    )
