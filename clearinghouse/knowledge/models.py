"""Knowledge products (activities 20–22, 33, 34, 66 and 99 of the action plan): case studies,
success stories, good practices and lessons learnt, each a published record tied to what it
tells of — the cooperation it comes from, the events and courses, the Parties, the plan's
activities, subjects and GBF targets.

The model is named ``Knowledge`` because the registry names a type by its model: searches filter
``record_type=knowledge`` and monitoring counts ``knowledge.published``.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from clearinghouse.publishing.models import Record, terms_field, text_field


class Kind(models.TextChoices):
    CASE_STUDY = "case_study", _("Case study")
    SUCCESS_STORY = "success_story", _("Success story")
    GOOD_PRACTICE = "good_practice", _("Good practice")
    LESSON_LEARNT = "lesson_learnt", _("Lesson learnt")


# The texts of a knowledge product, in the order its page and its form show them.
TEXTS = ("title", "summary", "problem", "actions", "results", "advice")


class Knowledge(Record):
    """A case study, success story, good practice or lesson learnt, in several languages."""

    RECORD_TYPE = "KNOW"
    CONTENT_FIELDS = (
        "original_language",
        "kind",
        *TEXTS,
        "cooperation",
        "events",
        "courses",
        "countries",
        "subjects",
        "gbf_targets",
        "plan_activities",
    )
    VOCABULARIES = {"subjects": "subjects", "gbf_targets": "gbf-targets"}

    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.CASE_STUDY)
    title = text_field(_("title"))
    summary = text_field(_("summary"))
    problem = text_field(_("the problem"))
    actions = text_field(_("what was done"))
    results = text_field(_("results"))
    advice = text_field(_("what others should know"))
    # The cooperation the experience comes from, when it came through matchmaking.
    cooperation = models.ForeignKey(
        "matchmaking.Cooperation",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("cooperation"),
    )
    events = models.ManyToManyField("events.Event", blank=True, related_name="+", verbose_name=_("events"))
    courses = models.ManyToManyField(
        "learning.Course", blank=True, related_name="+", verbose_name=_("courses")
    )
    countries = models.ManyToManyField(
        "geo.Country", blank=True, related_name="+", verbose_name=_("Parties concerned")
    )
    subjects = terms_field(_("thematic subjects"))
    gbf_targets = terms_field(_("GBF targets"))

    class Meta(Record.Meta):
        verbose_name = _("knowledge product")
        verbose_name_plural = _("knowledge products")

    def __str__(self) -> str:
        return self.identifier

    def get_absolute_url(self) -> str:
        return reverse("knowledge:detail", args=[self.identifier])

    def submission_problems(self, content: dict[str, Any]) -> list[str]:
        """A title, a summary and results in the language it is written in."""
        language = content.get("original_language") or self.original_language
        required = (
            ("title", _("Give the knowledge product a title.")),
            ("summary", _("Write a summary.")),
            ("results", _("Say what the results were.")),
        )
        return [str(message) for name, message in required if not (content.get(name) or {}).get(language)]
