"""Alumni, communities of practice, mentoring and follow-up (activities 9, 71, 91 and 109).

An alumnus is a beneficiary of capacity-building: someone who attended an event (checked in) or
completed a course, kept with their consent, asked at that moment and revocable. People known
only from a participants' list have no account: they are kept by their e-mail address and
invited to claim the record. A community of practice is a published record (its description
goes through the workflow like any other); what happens inside it — members, topics, posts,
moderation, digests — is operational and changes without review.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from clearinghouse.events.models import Gender, ParticipantRole, Sector
from clearinghouse.publishing.models import Record, terms_field, text_field

# --- alumni ---------------------------------------------------------------------------------------


class Consent(models.TextChoices):
    ASKED = "asked", _("Asked, not yet answered")
    GIVEN = "given", _("Given")
    REFUSED = "refused", _("Refused")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Alumnus(models.Model):
    """A beneficiary of the platform's events and courses. With an account (``person``), or by
    the e-mail address a participants' list gave until they claim the record. Only an alumnus
    who consented is counted by name, listed in the directory or written to by the network;
    without consent the record keeps only what anonymous statistics need."""

    person = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="alumnus",
        verbose_name=_("account"),
    )
    name = models.CharField(_("name"), max_length=200)
    # Stored lower-case: how a participants' list and an account find the same person.
    email = models.EmailField(_("e-mail address"))
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES, default="en")

    consent = models.CharField(_("consent"), max_length=10, choices=Consent.choices, default=Consent.ASKED)
    consent_asked_at = models.DateTimeField(_("consent asked"), null=True, blank=True)
    consent_changed_at = models.DateTimeField(_("consent given or withdrawn"), null=True, blank=True)
    claimed_at = models.DateTimeField(_("claimed"), null=True, blank=True)

    # The facts statistics are disaggregated by, from the latest activity taken part in.
    country = models.ForeignKey(
        "geo.Country", models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("country")
    )
    organisation_name = models.CharField(_("organisation"), max_length=300, blank=True)
    gender = models.CharField(_("gender"), max_length=12, choices=Gender.choices, blank=True)
    represents_iplc = models.BooleanField(
        _("represents an indigenous people or local community"), default=False
    )
    sector = models.CharField(_("sector"), max_length=20, choices=Sector.choices, blank=True)

    # What other signed-in people see in the directory (the profile; nothing is shown by default).
    in_directory = models.BooleanField(_("list me in the alumni directory"), default=False)
    shows_name = models.BooleanField(_("my name"), default=True)
    shows_country = models.BooleanField(_("my country"), default=True)
    shows_organisation = models.BooleanField(_("my organisation"), default=False)
    shows_expertise = models.BooleanField(_("my areas of expertise"), default=False)
    shows_languages = models.BooleanField(_("the languages I speak"), default=False)
    shows_activities = models.BooleanField(_("the events and courses I took part in"), default=False)
    accepts_messages = models.BooleanField(
        _("other members may write to me through the platform (my address stays hidden)"), default=False
    )
    about = models.TextField(_("about me"), max_length=1000, blank=True)

    # Posting, replying, mentoring, answering a follow-up or taking part again.
    last_active_at = models.DateTimeField(_("last active in the network"), null=True, blank=True)
    created_at = models.DateTimeField(_("alumnus since"), auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("alumnus")
        verbose_name_plural = _("alumni")
        constraints = [
            models.UniqueConstraint(Lower("email"), name="community_alumnus_one_per_email"),
            models.CheckConstraint(
                condition=~Q(consent=Consent.GIVEN) | Q(consent_changed_at__isnull=False),
                name="community_alumnus_consent_has_date",
            ),
            # Only someone with an account, who consented, can be listed.
            models.CheckConstraint(
                condition=Q(in_directory=False) | Q(consent=Consent.GIVEN, person__isnull=False),
                name="community_alumnus_listed_with_consent",
            ),
        ]
        indexes = [models.Index(fields=["consent", "last_active_at"], name="community_alumnus_active")]

    def __str__(self) -> str:
        return self.name or self.email

    @property
    def consented(self) -> bool:
        return self.consent == Consent.GIVEN


class Activity(models.TextChoices):
    EVENT = "event", _("Event")
    COURSE = "course", _("Course")


class Participation(models.Model):
    """One activity an alumnus took part in: an event they checked in at, or a course they
    completed. Kept with the registration or enrolment it came from."""

    alumnus = models.ForeignKey(Alumnus, models.CASCADE, related_name="participations")
    activity = models.CharField(_("activity"), max_length=8, choices=Activity.choices)
    event = models.ForeignKey(
        "events.Event", models.CASCADE, null=True, blank=True, related_name="+", verbose_name=_("event")
    )
    registration = models.OneToOneField(
        "events.Registration", models.SET_NULL, null=True, blank=True, related_name="participation"
    )
    course = models.ForeignKey(
        "learning.Course", models.CASCADE, null=True, blank=True, related_name="+", verbose_name=_("course")
    )
    enrolment = models.OneToOneField(
        "learning.Enrolment", models.SET_NULL, null=True, blank=True, related_name="participation"
    )
    role = models.CharField(
        _("role"), max_length=12, choices=ParticipantRole.choices, default=ParticipantRole.PARTICIPANT
    )
    took_part_on = models.DateField(_("took part on"))
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        ordering = ["-took_part_on", "pk"]
        verbose_name = _("participation")
        verbose_name_plural = _("participations")
        constraints = [
            models.CheckConstraint(
                condition=Q(activity=Activity.EVENT, event__isnull=False, course__isnull=True)
                | Q(activity=Activity.COURSE, course__isnull=False, event__isnull=True),
                name="community_participation_one_activity",
            ),
            models.UniqueConstraint(
                fields=["alumnus", "event"],
                condition=Q(event__isnull=False),
                name="community_participation_event",
            ),
            models.UniqueConstraint(
                fields=["alumnus", "course"],
                condition=Q(course__isnull=False),
                name="community_participation_course",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.alumnus_id} · {self.event_id or self.course_id}"


class DirectMessage(models.Model):
    """A message from one person to another who allows it: sent by e-mail from the platform's
    address, so neither address is shown; the recipient answers through the platform."""

    sender = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="+")
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="+")
    body = models.TextField(_("message"), max_length=5000)
    created_at = models.DateTimeField(_("sent"), auto_now_add=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        constraints = [
            models.CheckConstraint(
                condition=~Q(sender=models.F("recipient")), name="community_message_to_another"
            )
        ]
        indexes = [models.Index(fields=["recipient", "-created_at"], name="community_message_inbox")]

    def __str__(self) -> str:
        return f"{self.sender_id} → {self.recipient_id} {self.created_at:%Y-%m-%d}"


# --- communities of practice ----------------------------------------------------------------------


class Access(models.TextChoices):
    PUBLIC = "public", _("Public: anyone reads, members write")
    MEMBERS = "members", _("Members only: members read and write; joining needs a moderator's approval")


class Community(Record):
    """A community of practice on a subject, a GBF target, a region or plan activities."""

    RECORD_TYPE = "COP"
    CONTENT_FIELDS = (
        "original_language",
        "name",
        "description",
        "code_of_conduct",
        "access",
        "languages",
        "subjects",
        "gbf_targets",
        "regions",
        "plan_activities",
    )
    VOCABULARIES = {"subjects": "subjects", "gbf_targets": "gbf-targets"}

    name = text_field(_("name"))
    description = text_field(_("description"))
    code_of_conduct = text_field(_("code of conduct"))
    access = models.CharField(_("access"), max_length=8, choices=Access.choices, default=Access.PUBLIC)
    # The languages members write in (content codes: ar, zh, en, fr, ru, es).
    languages = models.JSONField(_("working languages"), default=list, blank=True)
    subjects = terms_field(_("subjects"))
    gbf_targets = terms_field(_("GBF targets"))
    regions = models.ManyToManyField("geo.Region", blank=True, related_name="+", verbose_name=_("regions"))

    class Meta(Record.Meta):
        verbose_name = _("community of practice")
        verbose_name_plural = _("communities of practice")

    def __str__(self) -> str:
        return self.identifier

    def get_absolute_url(self) -> str:
        return reverse("community:community", args=[self.identifier])

    @property
    def is_public(self) -> bool:
        return self.access == Access.PUBLIC


class MemberRole(models.TextChoices):
    MEMBER = "member", _("Member")
    MODERATOR = "moderator", _("Moderator")


class MemberStatus(models.TextChoices):
    PENDING = "pending", _("Asked to join")
    ACTIVE = "active", _("Member")
    LEFT = "left", _("Left")
    BANNED = "banned", _("Banned")


class DigestFrequency(models.TextChoices):
    DAILY = "daily", _("Daily")
    WEEKLY = "weekly", _("Weekly")
    NEVER = "never", _("Never")


class Membership(models.Model):
    """A person in a community: their role, whether they are in (or asked, left, were banned)
    and how often the digest reaches them. One row per person and community; leaving and coming
    back reuse it, so a ban cannot be undone by leaving."""

    community = models.ForeignKey(Community, models.CASCADE, related_name="memberships")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="community_memberships")
    role = models.CharField(_("role"), max_length=10, choices=MemberRole.choices, default=MemberRole.MEMBER)
    status = models.CharField(
        _("status"), max_length=8, choices=MemberStatus.choices, default=MemberStatus.ACTIVE
    )
    digest = models.CharField(
        _("e-mail digest"), max_length=8, choices=DigestFrequency.choices, default=DigestFrequency.WEEKLY
    )
    # Posts up to this moment were in a digest already: the next one starts after it.
    digested_until = models.DateTimeField(_("digest sent up to"), null=True, blank=True)
    accepted_conduct_at = models.DateTimeField(_("accepted the code of conduct"), null=True, blank=True)
    joined_at = models.DateTimeField(_("joined"), auto_now_add=True)
    banned_at = models.DateTimeField(_("banned"), null=True, blank=True)
    banned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    ban_reason = models.CharField(_("reason for the ban"), max_length=300, blank=True)

    class Meta:
        ordering = ["community", "-role", "joined_at"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["community", "person"], name="community_membership_once"),
            models.CheckConstraint(
                condition=~Q(status=MemberStatus.BANNED) | Q(banned_at__isnull=False),
                name="community_membership_ban_has_date",
            ),
        ]
        indexes = [models.Index(fields=["person", "status"], name="community_membership_person")]

    def __str__(self) -> str:
        return f"{self.person_id} in {self.community_id}"

    @property
    def is_active(self) -> bool:
        return self.status == MemberStatus.ACTIVE

    @property
    def is_moderator(self) -> bool:
        return self.is_active and self.role == MemberRole.MODERATOR


class TopicKind(models.TextChoices):
    DISCUSSION = "discussion", _("Discussion")
    ANNOUNCEMENT = "announcement", _("Announcement")


class Topic(models.Model):
    """A discussion or an announcement (moderators only) in a community: its first post opens it."""

    community = models.ForeignKey(Community, models.CASCADE, related_name="topics")
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=12, choices=TopicKind.choices, default=TopicKind.DISCUSSION)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+")
    language = models.CharField(_("language"), max_length=2, blank=True)
    pinned = models.BooleanField(_("pinned"), default=False)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    hidden_at = models.DateTimeField(_("hidden"), null=True, blank=True)
    created_at = models.DateTimeField(_("opened"), auto_now_add=True)
    last_posted_at = models.DateTimeField(_("last post"), null=True, blank=True)

    class Meta:
        ordering = ["-pinned", "-last_posted_at", "-pk"]
        verbose_name = _("topic")
        verbose_name_plural = _("topics")
        indexes = [models.Index(fields=["community", "-last_posted_at"], name="community_topic_latest")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("community:topic", args=[self.community.identifier, self.pk])

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None


class Post(models.Model):
    """A message in a topic, written on the site or by e-mail (a reply to a digest)."""

    topic = models.ForeignKey(Topic, models.CASCADE, related_name="posts")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+")
    # Plain text (Markdown-like line breaks); never HTML: it is escaped where it is shown.
    body = models.TextField(_("message"), max_length=10000)
    language = models.CharField(_("language"), max_length=2, blank=True)
    # Identifiers of records the post links to (NEED-…, EVT-…), checked when posted.
    records = models.JSONField(_("linked records"), default=list, blank=True)
    by_email = models.BooleanField(_("sent by e-mail"), default=False)
    created_at = models.DateTimeField(_("posted"), auto_now_add=True)
    edited_at = models.DateTimeField(_("edited"), null=True, blank=True)
    hidden_at = models.DateTimeField(_("hidden"), null=True, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    hidden_reason = models.CharField(_("reason for hiding"), max_length=300, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("post")
        verbose_name_plural = _("posts")
        indexes = [
            models.Index(fields=["topic", "created_at"], name="community_post_topic"),
            models.Index(fields=["author", "created_at"], name="community_post_author"),
        ]

    def __str__(self) -> str:
        return f"{self.topic_id} · {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None


def attachment_path(attachment: PostAttachment, filename: str) -> str:
    return f"community/{attachment.post.topic.community_id}/{attachment.post_id}/{filename}"


class PostAttachment(models.Model):
    """A file on a post, checked by the same rules as a resource's files (support/uploads.py)."""

    post = models.ForeignKey(Post, models.CASCADE, related_name="attachments")
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=300)
    name = models.CharField(_("name"), max_length=200)
    media_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveIntegerField(_("size"))

    class Meta:
        ordering = ["pk"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.name


class ReportReason(models.TextChoices):
    SPAM = "spam", _("Spam or advertising")
    ABUSE = "abuse", _("Abusive or disrespectful")
    CONDUCT = "conduct", _("Against the code of conduct")
    PRIVATE = "private", _("Shares someone's personal information")
    OTHER = "other", _("Something else")


class PostReport(models.Model):
    """A member telling the moderators that a post breaks the rules."""

    post = models.ForeignKey(Post, models.CASCADE, related_name="reports")
    reporter = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="+")
    reason = models.CharField(_("reason"), max_length=10, choices=ReportReason.choices)
    comment = models.CharField(_("comment"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("reported"), auto_now_add=True)
    resolved_at = models.DateTimeField(_("dealt with"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        constraints = [models.UniqueConstraint(fields=["post", "reporter"], name="community_report_once")]

    def __str__(self) -> str:
        return f"{self.post_id} · {self.reason}"


class DigestDelivery(models.Model):
    """One digest sent to one member for one period ("daily:2026-12-06", "weekly:2026-W49"):
    the unique key is what makes a digest never go out twice, whatever retries the queue makes."""

    membership = models.ForeignKey(Membership, models.CASCADE, related_name="digests")
    period = models.CharField(_("period"), max_length=20)
    posts = models.PositiveIntegerField(_("posts"))
    sent_at = models.DateTimeField(_("sent"), auto_now_add=True)

    class Meta:
        ordering = ["-sent_at"]
        verbose_name = _("digest sent")
        verbose_name_plural = _("digests sent")
        constraints = [
            models.UniqueConstraint(fields=["membership", "period"], name="community_digest_once_per_period")
        ]

    def __str__(self) -> str:
        return f"{self.membership_id} · {self.period}"


# --- mentoring ------------------------------------------------------------------------------------


class MentoringStatus(models.TextChoices):
    PENDING = "pending", _("Asked, waiting for an answer")
    ACCEPTED = "accepted", _("Accepted, goals to agree")
    DECLINED = "declined", _("Declined")
    ACTIVE = "active", _("Under way")
    COMPLETED = "completed", _("Completed")
    ENDED = "ended", _("Ended early")


OPEN_MENTORING = (MentoringStatus.PENDING, MentoringStatus.ACCEPTED, MentoringStatus.ACTIVE)
CLOSED_MENTORING = (MentoringStatus.DECLINED, MentoringStatus.COMPLETED, MentoringStatus.ENDED)


def _rating() -> models.PositiveSmallIntegerField[int | None, int | None]:
    return models.PositiveSmallIntegerField(
        _("rating"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )


class Mentorship(models.Model):
    """A mentee asking an alumnus or an expert to mentor them on a subject for a period:
    pending → accepted or declined → active (with goals and notes) → completed or ended early
    (with a reason); both sides rate it once it is over."""

    mentee = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="mentorships_asked")
    mentor = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="mentorships_given")
    subject = models.ForeignKey(
        "vocabularies.Term",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("subject"),
    )
    topic = models.CharField(_("what it is about"), max_length=200)
    request = models.TextField(_("why this mentor, and what you hope for"), max_length=3000)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"))
    status = models.CharField(
        _("status"), max_length=10, choices=MentoringStatus.choices, default=MentoringStatus.PENDING
    )
    goals = models.TextField(_("goals"), max_length=3000, blank=True)
    decline_reason = models.CharField(_("why declined"), max_length=500, blank=True)
    end_reason = models.CharField(_("why it ended early"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("asked"), auto_now_add=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    mentee_rating = _rating()
    mentor_rating = _rating()
    mentee_comment = models.CharField(_("mentee's comment"), max_length=1000, blank=True)
    mentor_comment = models.CharField(_("mentor's comment"), max_length=1000, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("mentoring relation")
        verbose_name_plural = _("mentoring relations")
        constraints = [
            models.CheckConstraint(
                condition=~Q(mentee=models.F("mentor")), name="community_mentoring_two_people"
            ),
            models.CheckConstraint(
                condition=Q(ends_on__gt=models.F("starts_on")), name="community_mentoring_period"
            ),
            models.CheckConstraint(
                condition=~Q(status=MentoringStatus.ENDED) | ~Q(end_reason=""),
                name="community_mentoring_ended_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(mentee_rating__isnull=True, mentor_rating__isnull=True)
                | Q(status__in=[MentoringStatus.COMPLETED, MentoringStatus.ENDED]),
                name="community_mentoring_rated_when_over",
            ),
            # One open relation per pair: a second request waits until the first is over.
            models.UniqueConstraint(
                fields=["mentee", "mentor"],
                condition=Q(status__in=[str(status) for status in OPEN_MENTORING]),
                name="community_mentoring_one_open",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.mentee_id} ← {self.mentor_id}: {self.topic}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_MENTORING


class MentoringNote(models.Model):
    """A note on an active relation, seen by both sides only."""

    mentorship = models.ForeignKey(Mentorship, models.CASCADE, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+")
    body = models.TextField(_("note"), max_length=5000)
    created_at = models.DateTimeField(_("written"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("mentoring note")
        verbose_name_plural = _("mentoring notes")

    def __str__(self) -> str:
        return f"{self.mentorship_id} · {self.created_at:%Y-%m-%d}"


# --- follow-up ------------------------------------------------------------------------------------


class FollowUp(models.Model):
    """An organiser's request that the alumni of an event or course be asked, some months after,
    what they applied, what changed and what help they still need."""

    event = models.OneToOneField(
        "events.Event",
        models.CASCADE,
        null=True,
        blank=True,
        related_name="follow_up",
        verbose_name=_("event"),
    )
    course = models.OneToOneField(
        "learning.Course",
        models.CASCADE,
        null=True,
        blank=True,
        related_name="follow_up",
        verbose_name=_("course"),
    )
    months_after = models.PositiveSmallIntegerField(
        _("months after taking part"), default=6, validators=[MinValueValidator(1), MaxValueValidator(24)]
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(_("set"), auto_now_add=True)

    class Meta:
        verbose_name = _("follow-up survey")
        verbose_name_plural = _("follow-up surveys")
        constraints = [
            models.CheckConstraint(
                condition=Q(event__isnull=False, course__isnull=True)
                | Q(event__isnull=True, course__isnull=False),
                name="community_follow_up_one_activity",
            ),
            models.CheckConstraint(
                condition=Q(months_after__gte=1, months_after__lte=24), name="community_follow_up_months"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.event_id or self.course_id} +{self.months_after}"


class Applied(models.TextChoices):
    NOT_YET = "not_yet", _("Not yet")
    SOME = "some", _("Some of it")
    MUCH = "much", _("Much of it")


class FollowUpRequest(models.Model):
    """One alumnus asked one follow-up survey, and their answer. Due when the months have passed;
    the answer can open a need or a help-desk ticket for the help they still need."""

    follow_up = models.ForeignKey(FollowUp, models.CASCADE, related_name="requests")
    participation = models.OneToOneField(Participation, models.CASCADE, related_name="follow_up_request")
    due_on = models.DateField(_("due"))
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    applied = models.CharField(
        _("how much of it have you applied?"), max_length=8, choices=Applied.choices, blank=True
    )
    applied_how = models.TextField(_("what did you apply, and how?"), max_length=3000, blank=True)
    changed = models.TextField(_("what changed in your work or organisation?"), max_length=3000, blank=True)
    help_needed = models.TextField(_("what help do you still need?"), max_length=3000, blank=True)
    need = models.ForeignKey("needs.Need", models.SET_NULL, null=True, blank=True, related_name="+")
    ticket = models.ForeignKey("helpdesk.Ticket", models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["due_on", "pk"]
        verbose_name = _("follow-up request")
        verbose_name_plural = _("follow-up requests")
        constraints = [
            models.CheckConstraint(
                condition=Q(answered_at__isnull=True) | ~Q(applied=""),
                name="community_follow_up_answer_complete",
            )
        ]
        indexes = [models.Index(fields=["sent_at", "due_on"], name="community_follow_up_due")]

    def __str__(self) -> str:
        return f"{self.follow_up_id} · {self.participation_id}"
