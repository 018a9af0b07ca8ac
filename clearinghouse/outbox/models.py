"""What the server remembers of the submissions sent with a client-generated identifier."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Submission(models.Model):
    """One form submission, claimed by its identifier before the view runs.

    While ``status_code`` is empty the submission is being received; afterwards the row holds
    the first answer, which every later arrival of the same identifier gets again.
    """

    identifier = models.UUIDField(_("identifier"), unique=True)
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("person"),
    )
    path = models.CharField(_("path"), max_length=500)
    method = models.CharField(_("method"), max_length=10)
    status_code = models.PositiveSmallIntegerField(_("outcome status code"), null=True, blank=True)
    location = models.CharField(_("location"), max_length=1000, blank=True)
    received_at = models.DateTimeField(_("received"), auto_now_add=True, db_index=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("submission")
        verbose_name_plural = _("submissions")

    def __str__(self) -> str:
        return str(self.identifier)

    @property
    def in_progress(self) -> bool:
        return self.status_code is None
