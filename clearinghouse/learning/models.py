"""E-learning (activities 3, 19, 22, 46 and 96 of the plan): courses, who learns them, and
what comes of it.

A course is a published record: its catalogue entry and its whole content (modules, lessons,
quizzes, SCORM modules) go through the publishing workflow together, because the content is
held in one content field, the ``outline`` (see outline.py). Learners never see an unreviewed
lesson, a revision restores lessons with the rest, and every language version of a course is
the same outline with texts in that language: a learner's progress, answers and certificate
do not depend on the language they study in.

What learners do is operational and never reviewed: enrolments, progress per item of the
outline (by its stable key), quiz attempts, certificates, and the log of learning activity the
xAPI statements are made from.
"""

from __future__ import annotations

import secrets
import uuid
from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clearinghouse.events.models import Gender, Sector
from clearinghouse.learning import outline as outlines
from clearinghouse.publishing.models import terms_field, text_field
from clearinghouse.support.models.common import SupportRecord, languages_field


def _token() -> str:
    return secrets.token_urlsafe(16)


# Verification codes are read aloud and typed from paper: no 0/O, 1/I/L.
_CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


def verification_code() -> str:
    """Twelve characters in groups of four (``7KQ2-XM4P-9RTA``): 60 bits, not guessable."""
    raw = "".join(secrets.choice(_CODE_ALPHABET) for _ in range(12))
    return "-".join(raw[i : i + 4] for i in range(0, 12, 4))


class Level(models.TextChoices):
    INTRODUCTORY = "introductory", _("Introductory")
    INTERMEDIATE = "intermediate", _("Intermediate")
    ADVANCED = "advanced", _("Advanced")


class CompletionRule(models.TextChoices):
    """When a course is complete: the cmi5 moveOn choices a trainer picks per course."""

    COMPLETED = "completed", _("Every lesson viewed")
    PASSED = "passed", _("Every quiz passed")
    COMPLETED_AND_PASSED = "completed_and_passed", _("Every lesson viewed and every quiz passed")


class Course(SupportRecord):
    """A course of the e-learning platform, in one or more of the six languages."""

    RECORD_TYPE = "COURSE"
    SLUG = "courses"
    SUBMISSION_REQUIRED = (
        ("title", _("title")),
        ("summary", _("summary")),
        ("level", _("level")),
    )
    CONTENT_FIELDS = (
        "original_language",
        "title",
        "summary",
        "description",
        "level",
        "duration_hours",
        "target_groups",
        "plan_activities",
        "gbf_targets",
        "subjects",
        "completion_rule",
        "outline",
        "contact_email",
    )
    CONFIDENTIAL_FIELDS = ("contact_email",)
    RICH_FIELDS = ("description",)
    VOCABULARIES = {
        "subjects": "subjects",
        "gbf_targets": "gbf-targets",
        "target_groups": "target-groups",
    }

    summary = text_field(_("summary"))
    description = text_field(_("description"))
    level = models.CharField(_("level"), max_length=20, choices=Level.choices, blank=True)
    duration_hours = models.DecimalField(
        _("duration in hours"),
        max_digits=5,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(1000)],
    )
    target_groups = terms_field(_("target groups"))
    gbf_targets = terms_field(_("GBF targets"))
    subjects = terms_field(_("thematic subjects"))
    completion_rule = models.CharField(
        _("the course is complete when"),
        max_length=24,
        choices=CompletionRule.choices,
        default=CompletionRule.COMPLETED_AND_PASSED,
    )
    outline = models.JSONField(
        _("modules, lessons and quizzes"),
        default=outlines.empty,
        blank=True,
        validators=[outlines.validate],
    )
    contact_email = models.EmailField(_("contact e-mail"), blank=True)

    # Derived from the outline on save: the languages in which the whole course can be studied
    # (every title, lesson and question has a text in it). Facets and packages read it.
    languages = languages_field(_("languages"))

    # Enrolment settings are not content: a trainer opens or closes a course without review.
    self_enrolment = models.BooleanField(
        _("anyone signed in may enrol"),
        default=True,
        help_text=_("Otherwise people enrol by invitation, in a cohort or through an event."),
    )

    class Meta(SupportRecord.Meta):
        verbose_name = _("course")
        verbose_name_plural = _("courses")

    def __str__(self) -> str:
        return str(self.identifier)

    def submission_problems(self, content: dict[str, Any]) -> list[str]:
        problems = super().submission_problems(content)
        if not any(True for _located in outlines.items(content.get("outline"))):
            problems.append(
                str(_("Add at least one module with a lesson or a quiz before you submit the course."))
            )
        return problems

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.languages = outlines.complete_languages(self.outline, self.title)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "outline" in update_fields:
            kwargs["update_fields"] = {*update_fields, "languages"}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("learning:course", args=[self.identifier])


class Cohort(models.Model):
    """People who study a course together between two dates; tied to an event, its confirmed
    participants are enrolled."""

    course = models.ForeignKey(Course, models.CASCADE, related_name="cohorts")
    name = models.CharField(_("name"), max_length=120)
    starts_on = models.DateField(_("starts"))
    ends_on = models.DateField(_("ends"))
    event = models.ForeignKey(
        "events.Event",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="cohorts",
        verbose_name=_("event"),
        help_text=_("Participants confirmed for this event are enrolled in the cohort."),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        ordering = ["course", "-starts_on", "name"]
        verbose_name = _("cohort")
        verbose_name_plural = _("cohorts")
        constraints = [
            models.UniqueConstraint(fields=["course", "name"], name="learning_cohort_name_once"),
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="learning_cohort_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class EnrolmentMethod(models.TextChoices):
    SELF = "self", _("Enrolled themselves")
    INVITATION = "invitation", _("By invitation")
    COHORT = "cohort", _("In a cohort")
    EVENT = "event", _("Through an event")
    LTI = "lti", _("From another learning platform")


class EnrolmentStatus(models.TextChoices):
    ACTIVE = "active", _("Studying")
    COMPLETED = "completed", _("Completed")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Enrolment(models.Model):
    """One person studying one course, with the facts the plan's indicators are disaggregated
    by (given with consent, as at events)."""

    course = models.ForeignKey(Course, models.CASCADE, related_name="enrolments")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="enrolments", verbose_name=_("learner")
    )
    cohort = models.ForeignKey(
        Cohort, models.SET_NULL, null=True, blank=True, related_name="enrolments", verbose_name=_("cohort")
    )
    method = models.CharField(
        _("enrolled"), max_length=12, choices=EnrolmentMethod.choices, default=EnrolmentMethod.SELF
    )
    status = models.CharField(
        _("status"), max_length=10, choices=EnrolmentStatus.choices, default=EnrolmentStatus.ACTIVE
    )
    # The language the learner studies in (a content code: any ISO 639 language, core.languages).
    language = models.CharField(_("language of study"), max_length=3, default="en")
    enrolled_at = models.DateTimeField(_("enrolled"), default=timezone.now)
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)
    # True once the course's quizzes are all passed (cmi5 "passed"); None while undecided.
    passed = models.BooleanField(_("passed"), null=True, blank=True)
    last_active_at = models.DateTimeField(_("last active"), null=True, blank=True)

    # What statistics count, from the learner's profile, only with their consent.
    consents_to_statistics = models.BooleanField(
        _("my country, gender, sector and role may be counted in anonymous statistics"), default=False
    )
    country = models.ForeignKey(
        "geo.Country", models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("country")
    )
    gender = models.CharField(_("gender"), max_length=12, choices=Gender.choices, blank=True)
    represents_iplc = models.BooleanField(
        _("represents an indigenous people or local community"), default=False
    )
    sector = models.CharField(_("sector"), max_length=20, choices=Sector.choices, blank=True)
    job_role = models.CharField(_("role or position"), max_length=120, blank=True)

    # Signs the offline progress files of this enrolment (see offline.py): a file edited by
    # hand or made for someone else is refused.
    offline_secret = models.CharField(max_length=64, default=_token, editable=False)

    class Meta:
        ordering = ["-enrolled_at"]
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        constraints = [
            models.UniqueConstraint(fields=["course", "person"], name="learning_enrolment_once"),
            models.CheckConstraint(
                condition=~Q(status="completed") | Q(completed_at__isnull=False),
                name="learning_enrolment_completed_has_date",
            ),
        ]
        indexes = [models.Index(fields=["person", "status"], name="learning_enrolment_person")]

    def __str__(self) -> str:
        return f"{self.person_id} · {self.course_id}"


class Invitation(models.Model):
    """An invitation to enrol, sent by e-mail; accepted by signing in with its link."""

    course = models.ForeignKey(Course, models.CASCADE, related_name="invitations")
    email = models.EmailField(_("e-mail address"))
    cohort = models.ForeignKey(Cohort, models.SET_NULL, null=True, blank=True, related_name="invitations")
    token = models.CharField(max_length=32, unique=True, default=_token, editable=False)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(_("sent"), default=timezone.now)
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("invitation to a course")
        verbose_name_plural = _("invitations to courses")

    def __str__(self) -> str:
        return self.email


class ItemKind(models.TextChoices):
    LESSON = "lesson", _("Lesson")
    QUIZ = "quiz", _("Quiz")
    SCORM = "scorm", _("SCORM module")


class ItemProgress(models.Model):
    """How far a learner is with one item of the outline (a lesson, quiz or SCORM module)."""

    enrolment = models.ForeignKey(Enrolment, models.CASCADE, related_name="progress")
    item_key = models.CharField(max_length=40)
    kind = models.CharField(max_length=10, choices=ItemKind.choices)
    first_viewed_at = models.DateTimeField(_("first opened"), null=True, blank=True)
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)
    # None while no result counts; a quiz's best attempt or the SCORM module's success status.
    passed = models.BooleanField(_("passed"), null=True, blank=True)
    # Scaled score, 0 to 1 (xAPI's result.score.scaled).
    score = models.DecimalField(
        _("score"),
        max_digits=5,
        decimal_places=4,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(1)],
    )
    # A SCORM module's run-time data (cmi.*), kept between sessions.
    data = models.JSONField(default=dict, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("progress")
        verbose_name_plural = _("progress")
        constraints = [
            models.UniqueConstraint(fields=["enrolment", "item_key"], name="learning_progress_once"),
        ]

    def __str__(self) -> str:
        return f"{self.enrolment_id}:{self.item_key}"


class AttemptSource(models.TextChoices):
    ONLINE = "online", _("Online")
    OFFLINE = "offline", _("Offline, uploaded later")


class QuizAttempt(models.Model):
    """One attempt at a quiz: the questions drawn for it, the answers, the score."""

    enrolment = models.ForeignKey(Enrolment, models.CASCADE, related_name="attempts")
    quiz_key = models.CharField(max_length=40)
    number = models.PositiveSmallIntegerField(_("attempt"))
    # The keys of the questions drawn for this attempt, in the order shown.
    questions = models.JSONField(default=list)
    answers = models.JSONField(default=dict, blank=True)
    started_at = models.DateTimeField(_("started"), default=timezone.now)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    score = models.DecimalField(
        _("score"),
        max_digits=5,
        decimal_places=4,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(1)],
    )
    passed = models.BooleanField(_("passed"), null=True, blank=True)
    source = models.CharField(max_length=8, choices=AttemptSource.choices, default=AttemptSource.ONLINE)
    # An attempt made offline carries the package's own identifier for it: uploading the same
    # progress file twice counts it once.
    offline_id = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["enrolment", "quiz_key", "number"]
        verbose_name = _("quiz attempt")
        verbose_name_plural = _("quiz attempts")
        constraints = [
            models.UniqueConstraint(
                fields=["enrolment", "quiz_key", "number"], name="learning_attempt_number_once"
            ),
            models.UniqueConstraint(
                fields=["enrolment", "offline_id"],
                condition=~Q(offline_id=""),
                name="learning_attempt_offline_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.quiz_key} #{self.number}"


class ScormVersion(models.TextChoices):
    SCORM_12 = "1.2", "SCORM 1.2"
    SCORM_2004 = "2004", "SCORM 2004"


class ScormPackage(models.Model):
    """An uploaded SCORM package, unpacked into its own directory and served from a sandboxed
    path. An outline item of kind ``scorm`` names it by its token."""

    course = models.ForeignKey(Course, models.CASCADE, related_name="scorm_packages")
    token = models.CharField(max_length=32, unique=True, default=_token, editable=False)
    title = models.CharField(_("title"), max_length=300)
    version = models.CharField(_("SCORM version"), max_length=4, choices=ScormVersion.choices)
    # The launch file, relative to the package's directory (from the manifest).
    launch = models.CharField(_("launch file"), max_length=500)
    size = models.PositiveBigIntegerField(_("size unpacked, in bytes"), default=0)
    files = models.PositiveIntegerField(_("files"), default=0)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+")
    uploaded_at = models.DateTimeField(_("uploaded"), default=timezone.now)

    class Meta:
        ordering = ["-uploaded_at"]
        verbose_name = _("SCORM package")
        verbose_name_plural = _("SCORM packages")

    def __str__(self) -> str:
        return self.title


class CourseCertificate(models.Model):
    """A certificate of completion. Anyone with its code or address can check that it is
    genuine and not revoked."""

    enrolment = models.OneToOneField(Enrolment, models.CASCADE, related_name="certificate")
    code = models.CharField(_("verification code"), max_length=14, unique=True, default=verification_code)
    issued_at = models.DateTimeField(_("issued"), default=timezone.now)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revocation_reason = models.CharField(_("reason for revocation"), max_length=300, blank=True)

    class Meta:
        ordering = ["-issued_at"]
        verbose_name = _("certificate of completion")
        verbose_name_plural = _("certificates of completion")

    def __str__(self) -> str:
        return self.code

    def get_absolute_url(self) -> str:
        return reverse("learning:verify", args=[self.code])


class PackageDownload(models.Model):
    """An offline package downloaded: counted by the plan's indicators (downloads and use)."""

    course = models.ForeignKey(Course, models.CASCADE, related_name="downloads")
    language = models.CharField(max_length=3)
    # Empty for the whole course, else the key of the module.
    module_key = models.CharField(max_length=40, blank=True)
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    size = models.PositiveBigIntegerField(default=0)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at"]
        verbose_name = _("package download")
        verbose_name_plural = _("package downloads")
        indexes = [models.Index(fields=["course", "at"], name="learning_download_course")]

    def __str__(self) -> str:
        return f"{self.course_id} {self.language}"


class Verb(models.TextChoices):
    """What a learner did; each becomes an xAPI statement with the ADL verb of the same name."""

    LAUNCHED = "launched", _("launched")
    EXPERIENCED = "experienced", _("experienced")
    ANSWERED = "answered", _("answered")
    PASSED = "passed", _("passed")
    FAILED = "failed", _("failed")
    COMPLETED = "completed", _("completed")


class Activity(models.Model):
    """One thing a learner did, as it happened. Its id is the xAPI statement's id, so a
    statement sent twice to a learning record store is stored there once; ``sent_at`` stays
    empty until the store has accepted it."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    enrolment = models.ForeignKey(Enrolment, models.CASCADE, related_name="activities")
    verb = models.CharField(max_length=12, choices=Verb.choices)
    # Empty for the course itself, else the key of an item (or a question, for "answered").
    object_key = models.CharField(max_length=40, blank=True)
    # xAPI result: {"score": {"scaled": 0.8}, "success": true, "completion": true, "response": ...}
    result = models.JSONField(default=dict, blank=True)
    language = models.CharField(max_length=3, default="en")
    timestamp = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    send_attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=300, blank=True)
    # After a failed send, not before this time (exponential back-off, see xapi_tasks.py).
    next_send_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["timestamp"]
        verbose_name = _("learning activity")
        verbose_name_plural = _("learning activities")
        indexes = [
            models.Index(
                fields=["timestamp"], condition=Q(sent_at__isnull=True), name="learning_activity_unsent"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.verb} {self.object_key}"


# LTI 1.3 registrations and the learners' pseudonyms live in their own module; Django finds
# models through this one.
from clearinghouse.learning.lti_models import LtiKey as LtiKey  # noqa: E402
from clearinghouse.learning.lti_models import LtiLink as LtiLink  # noqa: E402
from clearinghouse.learning.lti_models import LtiPlacement as LtiPlacement  # noqa: E402
from clearinghouse.learning.lti_models import LtiPlatform as LtiPlatform  # noqa: E402
from clearinghouse.learning.lti_models import LtiTool as LtiTool  # noqa: E402
from clearinghouse.learning.lti_models import Pseudonym as Pseudonym  # noqa: E402
