"""The embeddings of published records, stored so that the index can be rebuilt without reading
every registry or embedding any text again (docs/matching.md, "Records, storage and lifecycle")."""

from __future__ import annotations

import numpy as np
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from numpy.typing import NDArray


class Side(models.TextChoices):
    NEED = "need", _("Need or request")
    SUPPORT = "support", _("Support")


class StoredEmbedding(models.Model):
    """One record's raw (uncentred) embedding, the model that made it and the profile it was
    made from. ``text_digest`` covers the model, the text preparation and the text: a record is
    embedded again only when one of them changed."""

    identifier = models.CharField(_("record"), max_length=40)
    side = models.CharField(_("side"), max_length=8, choices=Side.choices)
    record_type = models.CharField(_("record type"), max_length=10)
    embedder = models.CharField(_("embedding model"), max_length=200)
    text_digest = models.CharField(_("digest of the embedded text"), max_length=64)
    # float32, little-endian, dimension × 4 bytes. A deployment with pgvector could hold it in a
    # vector column instead; nothing here needs the extension.
    vector = models.BinaryField(_("vector"))
    profile = models.JSONField(_("profile"))
    embedded_at = models.DateTimeField(_("embedded"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["side", "identifier"]
        constraints = [models.UniqueConstraint(fields=["identifier", "side"], name="matching_one_embedding")]
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
