"""Quality assurance of capacity-building (activity 7): standards, checklists, peer review and
participants' ratings.

What is assessed is a published record, named by its identifier (``CB-EVENT-KE-000003``) and
its record type's code, as monitoring's usage rows name it: training events, courses, guidance
materials (resources) and providers' offers, and, for ratings, completed cooperations too.
Standards and checklist templates are data in six languages, versioned: a published version
never changes; what is copied onto an item (a checklist's steps) or answered (a review's
criteria) keeps the version it was made from.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clearinghouse.core.languages import LANGUAGE_CHOICES
from clearinghouse.publishing.models import text_field

_USER = settings.AUTH_USER_MODEL


class AppliesTo(models.TextChoices):
    """What a standard or checklist is for. Each kind is assessed on records of one type."""

    EVENT = "event", _("Training events")
    COURSE = "course", _("Courses")
    MODULE = "module", _("E-learning modules")
    MATERIAL = "material", _("Guidance materials")
    OFFER = "offer", _("Providers' offers")


# The record type (its code) whose records each kind applies to. E-learning modules are the
# courses given online: a course can be reviewed against both standards.
RECORD_TYPES: dict[str, str] = {
    AppliesTo.EVENT: "EVENT",
    AppliesTo.COURSE: "COURSE",
    AppliesTo.MODULE: "COURSE",
    AppliesTo.MATERIAL: "RES",
    AppliesTo.OFFER: "OFFER",
}


class VersionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    IN_FORCE = "in_force", _("In force")
    RETIRED = "retired", _("Retired")


class VersionedDocument(models.Model):
    """What a standard and a checklist template share: a code, numbered versions of which at
    most one is in force, what they apply to, and a title and summary in six languages."""

    code = models.SlugField(_("code"), max_length=40)
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    applies_to = models.CharField(_("applies to"), max_length=10, choices=AppliesTo.choices)
    title = text_field(_("title"))
    summary = text_field(_("summary"))
    original_language = models.CharField(
        _("original language"), max_length=2, choices=LANGUAGE_CHOICES, default="en"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=VersionStatus.choices, default=VersionStatus.DRAFT
    )
    put_in_force_at = models.DateTimeField(_("in force since"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    created_by = models.ForeignKey(_USER, models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        abstract = True
        ordering = ["applies_to", "code", "-version"]

    def __str__(self) -> str:
        return f"{self.code} v{self.version}"


class Standard(VersionedDocument):
    """One version of a quality standard: criteria, each with guidance and a scale."""

    # Authors see reviews without their reviewers' names when the standard says so.
    anonymous_reviews = models.BooleanField(_("reviewers' names are hidden from authors"), default=True)
    # Rounds of review an item may go through against this standard ("needs changes" opens the next).
    max_rounds = models.PositiveSmallIntegerField(
        _("rounds of review at most"), default=2, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    # Reviews needed before a judgment may be made.
    min_reviews = models.PositiveSmallIntegerField(
        _("reviews needed before a judgment"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )

    class Meta(VersionedDocument.Meta):
        verbose_name = _("quality standard")
        verbose_name_plural = _("quality standards")
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="quality_standard_version_unique"),
            models.UniqueConstraint(
                fields=["code"],
                condition=Q(status="in_force"),
                name="quality_standard_one_version_in_force",
            ),
            models.CheckConstraint(
                condition=Q(max_rounds__gte=1, max_rounds__lte=5), name="quality_standard_rounds_1_to_5"
            ),
        ]


class Scale(models.TextChoices):
    RATING = "rating", _("Rating from 1 (poor) to 5 (excellent)")
    MET = "met", _("Met, partly met or not met")
    YES_NO = "yes_no", _("Yes or no")


class Criterion(models.Model):
    standard = models.ForeignKey(Standard, models.CASCADE, related_name="criteria")
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    # The heading the criterion is listed under (design, delivery, materials, evaluation...).
    group = text_field(_("group"))
    text = text_field(_("criterion"))
    guidance = text_field(_("guidance"))
    scale = models.CharField(_("scale"), max_length=10, choices=Scale.choices, default=Scale.RATING)

    class Meta:
        ordering = ["standard", "position", "pk"]
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")

    def __str__(self) -> str:
        return f"{self.standard} #{self.position}"


class ChecklistTemplate(VersionedDocument):
    """One version of a standard operating procedure: the steps of organising an event or
    producing a course or material, copied onto each item that follows it."""

    class Meta(VersionedDocument.Meta):
        verbose_name = _("checklist template")
        verbose_name_plural = _("checklist templates")
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="quality_checklist_version_unique"),
            models.UniqueConstraint(
                fields=["code"],
                condition=Q(status="in_force"),
                name="quality_checklist_one_version_in_force",
            ),
        ]


class TemplateStep(models.Model):
    template = models.ForeignKey(ChecklistTemplate, models.CASCADE, related_name="steps")
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    text = text_field(_("step"))
    guidance = text_field(_("guidance"))
    # A step ticked as done must say what shows it (a link, a file's name, a sentence).
    evidence_required = models.BooleanField(_("evidence is required"), default=False)

    class Meta:
        ordering = ["template", "position", "pk"]
        verbose_name = _("checklist template step")
        verbose_name_plural = _("checklist template steps")

    def __str__(self) -> str:
        return f"{self.template} #{self.position}"


class Checklist(models.Model):
    """A template's steps copied onto one item (an event, a course, a material)."""

    identifier = models.CharField(_("record"), max_length=40, db_index=True)
    record_type = models.CharField(_("record type"), max_length=12)
    template = models.ForeignKey(ChecklistTemplate, models.PROTECT, related_name="checklists")
    created_at = models.DateTimeField(_("started"), default=timezone.now)
    created_by = models.ForeignKey(_USER, models.SET_NULL, null=True, blank=True, related_name="+")
    # Set when the last open step is ticked or set aside; cleared if one is opened again.
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "pk"]
        verbose_name = _("checklist")
        verbose_name_plural = _("checklists")
        constraints = [
            models.UniqueConstraint(
                fields=["identifier", "template"], name="quality_one_checklist_per_template"
            )
        ]

    def __str__(self) -> str:
        return f"{self.identifier} · {self.template}"


class StepState(models.TextChoices):
    OPEN = "open", _("To do")
    DONE = "done", _("Done")
    NOT_APPLICABLE = "not_applicable", _("Not applicable")


class ChecklistStep(models.Model):
    """A step of one item's checklist: the template step's text as it was copied, and its state."""

    checklist = models.ForeignKey(Checklist, models.CASCADE, related_name="steps")
    source = models.ForeignKey(TemplateStep, models.PROTECT, related_name="+")
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    text = text_field(_("step"))
    guidance = text_field(_("guidance"))
    evidence_required = models.BooleanField(_("evidence is required"), default=False)
    state = models.CharField(_("state"), max_length=16, choices=StepState.choices, default=StepState.OPEN)
    evidence = models.TextField(_("evidence"), max_length=2000, blank=True)
    evidence_url = models.URLField(_("link to the evidence"), max_length=500, blank=True)
    reason = models.CharField(_("why it does not apply"), max_length=500, blank=True)
    changed_at = models.DateTimeField(_("changed"), null=True, blank=True)
    changed_by = models.ForeignKey(_USER, models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["checklist", "position", "pk"]
        verbose_name = _("checklist step")
        verbose_name_plural = _("checklist steps")
        constraints = [
            models.CheckConstraint(
                condition=~Q(state="not_applicable") | ~Q(reason=""),
                name="quality_step_not_applicable_has_reason",
            ),
            models.CheckConstraint(
                condition=~Q(state="done", evidence_required=True) | ~Q(evidence="") | ~Q(evidence_url=""),
                name="quality_step_done_has_required_evidence",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.checklist_id} #{self.position} {self.state}"


class ReviewStatus(models.TextChoices):
    OPEN = "open", _("Under review")
    JUDGED = "judged", _("Judged")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Judgment(models.TextChoices):
    MEETS = "meets", _("Meets the standard")
    NEEDS_CHANGES = "needs_changes", _("Needs changes")
    DOES_NOT_MEET = "does_not_meet", _("Does not meet the standard")


class Review(models.Model):
    """One round of peer review of an item's published version against one standard version.

    Reviewers are assigned to it and each answers the criteria once; then the Secretariat or
    the desk that opened it gives the judgment. "Needs changes" lets the item's owners revise
    it and a next round be opened, up to the standard's ``max_rounds``. An item carries the
    quality mark of its latest judged round that met the standard."""

    identifier = models.CharField(_("record"), max_length=40, db_index=True)
    record_type = models.CharField(_("record type"), max_length=12)
    standard = models.ForeignKey(Standard, models.PROTECT, related_name="reviews")
    round = models.PositiveSmallIntegerField(_("round"), default=1)
    # The record's version under review (its revision count when the round opened).
    record_version = models.PositiveIntegerField(_("version reviewed"), default=1)
    status = models.CharField(
        _("status"), max_length=10, choices=ReviewStatus.choices, default=ReviewStatus.OPEN
    )
    opened_at = models.DateTimeField(_("opened"), default=timezone.now)
    opened_by = models.ForeignKey(_USER, models.SET_NULL, null=True, blank=True, related_name="+")
    due_on = models.DateField(_("reviews due"), null=True, blank=True)
    judgment = models.CharField(_("judgment"), max_length=16, choices=Judgment.choices, blank=True)
    judgment_note = models.TextField(_("what the authors should know"), max_length=4000, blank=True)
    judged_at = models.DateTimeField(_("judged"), null=True, blank=True)
    judged_by = models.ForeignKey(_USER, models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["-opened_at", "pk"]
        verbose_name = _("quality review")
        verbose_name_plural = _("quality reviews")
        constraints = [
            models.UniqueConstraint(
                fields=["identifier", "standard", "round"], name="quality_review_round_unique"
            ),
            models.CheckConstraint(
                condition=(Q(status="judged") & ~Q(judgment="") & Q(judged_at__isnull=False))
                | (~Q(status="judged") & Q(judgment="")),
                name="quality_review_judged_has_judgment",
            ),
        ]
        indexes = [models.Index(fields=["status", "opened_at"], name="quality_review_by_status")]

    def __str__(self) -> str:
        return f"{self.identifier} · {self.standard} · round {self.round}"


class AssignmentStatus(models.TextChoices):
    ASSIGNED = "assigned", _("Assigned")
    SUBMITTED = "submitted", _("Submitted")
    DECLINED = "declined", _("Declined")


class Assignment(models.Model):
    """A reviewer asked to review one round; their review is the answers and the comment, given
    once (one review per reviewer and version)."""

    review = models.ForeignKey(Review, models.CASCADE, related_name="assignments")
    reviewer = models.ForeignKey(_USER, models.PROTECT, related_name="quality_assignments")
    assigned_at = models.DateTimeField(_("assigned"), default=timezone.now)
    assigned_by = models.ForeignKey(_USER, models.SET_NULL, null=True, blank=True, related_name="+")
    status = models.CharField(
        _("status"), max_length=10, choices=AssignmentStatus.choices, default=AssignmentStatus.ASSIGNED
    )
    comment = models.TextField(_("overall comment"), max_length=8000, blank=True)
    # What the reviewer recommends; the judgment stays the Secretariat's or the desk's.
    recommendation = models.CharField(
        _("recommendation"), max_length=16, choices=Judgment.choices, blank=True
    )
    language = models.CharField(_("language"), max_length=2, choices=LANGUAGE_CHOICES, blank=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    declined_reason = models.CharField(_("why declined"), max_length=500, blank=True)

    class Meta:
        ordering = ["review", "assigned_at", "pk"]
        verbose_name = _("review assignment")
        verbose_name_plural = _("review assignments")
        constraints = [
            models.UniqueConstraint(fields=["review", "reviewer"], name="quality_one_review_per_reviewer"),
            models.CheckConstraint(
                condition=~Q(status="submitted") | (Q(submitted_at__isnull=False) & ~Q(recommendation="")),
                name="quality_submitted_review_is_complete",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.review} · {self.reviewer_id} {self.status}"


class Answer(models.Model):
    """A reviewer's answer to one criterion: a value on the criterion's scale, and a comment."""

    assignment = models.ForeignKey(Assignment, models.CASCADE, related_name="answers")
    criterion = models.ForeignKey(Criterion, models.PROTECT, related_name="answers")
    # 1–5 on a rating scale; met 2 / partly 1 / not met 0; yes 1 / no 0. Empty: not answered.
    value = models.PositiveSmallIntegerField(_("value"), null=True, blank=True)
    comment = models.TextField(_("comment"), max_length=4000, blank=True)

    class Meta:
        ordering = ["assignment", "criterion__position", "pk"]
        verbose_name = _("review answer")
        verbose_name_plural = _("review answers")
        constraints = [
            models.UniqueConstraint(
                fields=["assignment", "criterion"], name="quality_one_answer_per_criterion"
            ),
            models.CheckConstraint(
                condition=Q(value__isnull=True) | Q(value__lte=5), name="quality_answer_value_in_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.assignment_id} · {self.criterion_id}: {self.value}"


class Rating(models.Model):
    """A person's rating of something they took part in: an event they attended, a course they
    followed, a resource they downloaded, or a completed cooperation they were a side of. One per
    person and item, changeable; the comment can be reported and hidden, the stars still count."""

    # A published record (event, course, resource, offer...) or, for a cooperation, empty.
    identifier = models.CharField(_("record"), max_length=40, blank=True, db_index=True)
    record_type = models.CharField(_("record type"), max_length=12, blank=True)
    cooperation = models.ForeignKey(
        "matchmaking.Cooperation", models.CASCADE, null=True, blank=True, related_name="ratings"
    )
    person = models.ForeignKey(_USER, models.CASCADE, related_name="quality_ratings")
    stars = models.PositiveSmallIntegerField(
        _("rating"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    comment = models.TextField(_("comment"), max_length=2000, blank=True)
    language = models.CharField(_("language"), max_length=2, choices=LANGUAGE_CHOICES, blank=True)
    created_at = models.DateTimeField(_("rated"), default=timezone.now)
    updated_at = models.DateTimeField(_("changed"), default=timezone.now)
    comment_hidden = models.BooleanField(_("comment hidden"), default=False)
    hidden_reason = models.CharField(_("why hidden"), max_length=500, blank=True)
    hidden_by = models.ForeignKey(_USER, models.SET_NULL, null=True, blank=True, related_name="+")
    # The rater's Party when they rated (their appointment's or their organisation's country):
    # what monitoring's averages by region read, kept so a later move does not rewrite history.
    country = models.ForeignKey("geo.Country", models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["-updated_at", "pk"]
        verbose_name = _("rating")
        verbose_name_plural = _("ratings")
        constraints = [
            models.CheckConstraint(condition=Q(stars__gte=1, stars__lte=5), name="quality_rating_1_to_5"),
            models.CheckConstraint(
                condition=(~Q(identifier="") & Q(cooperation__isnull=True))
                | (Q(identifier="") & Q(cooperation__isnull=False)),
                name="quality_rating_of_a_record_or_a_cooperation",
            ),
            models.UniqueConstraint(
                fields=["identifier", "person"],
                condition=~Q(identifier=""),
                name="quality_one_rating_per_record_and_person",
            ),
            models.UniqueConstraint(
                fields=["cooperation", "person"],
                condition=Q(cooperation__isnull=False),
                name="quality_one_rating_per_cooperation_and_person",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.identifier or self.cooperation_id} · {self.person_id}: {self.stars}"


class RatingReport(models.Model):
    """Someone says a rating's comment is abusive; the Secretariat hides it or dismisses the report."""

    rating = models.ForeignKey(Rating, models.CASCADE, related_name="reports")
    reported_by = models.ForeignKey(_USER, models.CASCADE, related_name="+")
    reason = models.CharField(_("reason"), max_length=500)
    reported_at = models.DateTimeField(_("reported"), default=timezone.now)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    resolved_by = models.ForeignKey(_USER, models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["-reported_at", "pk"]
        verbose_name = _("report of a rating")
        verbose_name_plural = _("reports of ratings")
        constraints = [
            models.UniqueConstraint(fields=["rating", "reported_by"], name="quality_one_report_per_person")
        ]

    def __str__(self) -> str:
        return f"report {self.rating_id} by {self.reported_by_id}"


class Use(models.Model):
    """A signed-in person downloaded a record's file: what lets them rate the resource. Kept
    once per person and record (the first time), erased with the person's data."""

    identifier = models.CharField(_("record"), max_length=40)
    person = models.ForeignKey(_USER, models.CASCADE, related_name="+")
    first_at = models.DateTimeField(_("first used"), default=timezone.now)

    class Meta:
        verbose_name = _("use of a record")
        verbose_name_plural = _("uses of records")
        constraints = [
            models.UniqueConstraint(fields=["identifier", "person"], name="quality_one_use_per_person")
        ]

    def __str__(self) -> str:
        return f"{self.identifier} · {self.person_id}"
