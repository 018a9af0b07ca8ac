"""The embeddings of published records and the state of the catalogues: the database is the
one source of truth every host's cache is built from (docs/matching.md, "Records, storage and
lifecycle")."""

from __future__ import annotations

import numpy as np
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from numpy.typing import NDArray


class Side(models.TextChoices):
    NEED = "need", _("Need or request")
    SUPPORT = "support", _("Support")
    RECORD = "record", _("Other record")


class Catalogue(models.TextChoices):
    """The catalogues records are matched through: support for a need, needs for an offer; and
    the records of the types that are searched but never matched, found by meaning only."""

    SUPPORT = "support", _("Support")
    NEEDS = "needs", _("Needs and requests")
    RECORDS = "records", _("Other records")


class StoredEmbedding(models.Model):
    """One record's raw (uncentred) embedding, the model that made it and the profile it was
    made from. ``text_digest`` covers the model, the text preparation and the text: a record is
    embedded again only when one of them changed.

    A record taken out of its catalogue keeps its row, inactive, until the nightly rebuild, so
    that a host's cache learns of the removal; ``version`` is its catalogue's version when the
    row last changed (see CatalogueState)."""

    identifier = models.CharField(_("record"), max_length=40)
    side = models.CharField(_("side"), max_length=8, choices=Side.choices)
    record_type = models.CharField(_("record type"), max_length=10)
    embedder = models.CharField(_("embedding model"), max_length=200)
    text_digest = models.CharField(_("digest of the embedded text"), max_length=64)
    # float32, little-endian, dimension × 4 bytes. A deployment with pgvector could hold it in a
    # vector column instead; nothing here needs the extension.
    vector = models.BinaryField(_("vector"))
    profile = models.JSONField(_("profile"))
    # The raw embeddings of the clauses an explanation compares by meaning (engine.clause_texts),
    # float32, one after another, made with the vector so that explaining a suggestion embeds
    # only what is new; ``clauses_digest`` says what from (engine.clauses_digest). Empty on the
    # catalogue of other records, which is never explained, and until the writer has made them.
    clause_vectors = models.BinaryField(_("clause vectors"), blank=True, default=b"")
    clauses_digest = models.CharField(_("digest of the embedded clauses"), max_length=64, blank=True)
    embedded_at = models.DateTimeField(_("embedded"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    # Read for every row by the streamed search (streamed.py), so kept apart from the profile:
    # its language, and the labels it is filed under in its catalogue, one a line (an offer's
    # eligibility list, a need's country; none: open to all).
    language = models.CharField(_("language"), max_length=16, blank=True)
    filed_under = models.TextField(_("Eligibility"), blank=True)
    active = models.BooleanField(_("in the catalogue"), default=True)
    version = models.PositiveBigIntegerField(_("version"), default=0)

    class Meta:
        ordering = ["side", "identifier"]
        constraints = [models.UniqueConstraint(fields=["identifier", "side"], name="matching_one_embedding")]
        indexes = [models.Index(fields=["side", "version"], name="matching_changes_since")]
        verbose_name = _("stored embedding")
        verbose_name_plural = _("stored embeddings")

    def __str__(self) -> str:
        return f"{self.identifier} ({self.side})"

    @property
    def array(self) -> NDArray[np.float32]:
        return np.frombuffer(bytes(self.vector), dtype="<f4").astype(np.float32)

    @staticmethod
    def to_bytes(vector: NDArray[np.float32]) -> bytes:
        return np.asarray(vector, dtype="<f4").tobytes()

    @staticmethod
    def clause_matrix(blob: bytes | memoryview, dimension: int) -> NDArray[np.float32]:
        """``clause_vectors`` as one row per clause."""
        return np.frombuffer(bytes(blob), dtype="<f4").astype(np.float32).reshape(-1, dimension)


class CatalogueState(models.Model):
    """What every host's cache of a catalogue is compared with, and who may change it.

    ``version`` rises with every change of the catalogue's stored embeddings (the rows changed
    carry it); a cache stamped with an older version is out of date and takes the rows changed
    since. ``means_version`` is the version at which the language means (``centering``, saved
    with numpy) were last estimated: a cache older than that is built again. ``holder`` and
    ``lease_expires`` are the writer's lease: one writer at a time, and a writer that died
    lets go when its lease expires."""

    catalogue = models.CharField(_("catalogue"), max_length=8, choices=Catalogue.choices, primary_key=True)
    version = models.PositiveBigIntegerField(_("version"), default=0)
    means_version = models.PositiveBigIntegerField(_("language means estimated at version"), default=0)
    embedder = models.CharField(_("embedding model"), max_length=200, blank=True)
    centering = models.BinaryField(_("language means"), blank=True, default=b"")
    size = models.PositiveIntegerField(_("records"), default=0)
    holder = models.CharField(_("lease holder"), max_length=200, blank=True)
    lease_expires = models.DateTimeField(_("lease expires"), null=True, blank=True)

    class Meta:
        verbose_name = _("catalogue state")
        verbose_name_plural = _("catalogue states")

    def __str__(self) -> str:
        return f"{self.catalogue} v{self.version}"
