"""The two catalogues the registries are matched through, kept in step with what is public.

- ``support``: offers, opportunities, providers, experts and resources (support for a need);
- ``needs``: needs and requests (the needs an offer could serve: reverse matching).

One process writes (the worker: ``refresh`` after a record is published or withdrawn, ``rebuild``
every night and from the command): it embeds what changed, stores the vectors with the records
(``StoredEmbedding``), updates the catalogue and saves it under ``conf.index_dir()``. Web
processes read: ``matcher_for`` loads the saved catalogue on first use and again whenever it was
saved since (one ``stat`` of its meta file per call); when none is saved, or it was made by
another model, it is built from the stored vectors, so no text is embedded at request time.
"""

from __future__ import annotations

import logging
import shutil
import threading
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

import numpy as np
from django.db import transaction
from django.utils import timezone

from clearinghouse.geo.models import Country
from clearinghouse.geo.services import FLAGS
from clearinghouse.matching import conf
from clearinghouse.matching.countries import CountryDirectory
from clearinghouse.matching.embedders import Embedder, Vectors, default_embedder, embedding_text
from clearinghouse.matching.engine import Matcher, MatchingError
from clearinghouse.matching.models import StoredEmbedding
from clearinghouse.matching.profiles import NeedProfile, OfferProfile
from clearinghouse.matching.sources import (
    Profile,
    Side,
    as_catalogue_entry,
    matched_types,
    profile_from_json,
    profile_of,
    profile_to_json,
    side_of,
    text_digest,
)
from clearinghouse.publishing import registry
from clearinghouse.publishing.models import Record

logger = logging.getLogger(__name__)


class Catalogue(StrEnum):
    SUPPORT = "support"
    NEEDS = "needs"


CATALOGUE_OF: dict[Side, Catalogue] = {"support": Catalogue.SUPPORT, "need": Catalogue.NEEDS}
SIDE_OF: dict[Catalogue, Side] = {catalogue: side for side, catalogue in CATALOGUE_OF.items()}


# Below this many records a change rebuilds the catalogue instead of adding to it (see refresh).
REBUILD_BELOW = 2000


def catalogue_dir(catalogue: Catalogue) -> Path:
    return conf.index_dir() / catalogue.value


# --- countries -----------------------------------------------------------------------------------

_countries: tuple[tuple[tuple[Any, ...], ...], CountryDirectory] | None = None


def countries() -> CountryDirectory:
    """The reference file's countries overlaid with the Country table (its rows win: groups
    edited in the admin count), made again when the table changes. The table alone may hold
    only some countries (a fresh database, the test world). One small query per call."""
    global _countries
    rows = tuple(Country.objects.order_by("code").values_list("code", "regional_group", *FLAGS))
    if _countries is None or _countries[0] != rows:
        in_table = {
            code: Country(code=code, regional_group=group, **dict(zip(FLAGS, flags, strict=True)))
            for code, group, *flags in rows
        }
        from_file = CountryDirectory.from_file()
        others = [from_file.country(code) for code in sorted(from_file.labels) if code in from_file]
        _countries = (rows, CountryDirectory([*others, *in_table.values()]))
    return _countries[1]


# --- storing embeddings --------------------------------------------------------------------------


def embed_texts(model: Embedder, texts: Sequence[str]) -> Vectors:
    """Raw embeddings of record texts, prepared as ``Matcher.embed`` prepares them."""
    return model.embed_queries([embedding_text(text) for text in texts])


@dataclass
class Stored:
    """What storing the embeddings of some records did."""

    rows: list[StoredEmbedding] = field(default_factory=list)
    embedded: int = 0


def _chunks(items: Sequence[Any], size: int = 500) -> Iterable[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def store_embeddings(records: Sequence[Record], *, reembed: bool = False) -> Stored:
    """Store each record's profile and embedding; embed only records whose text or model changed
    (all of them with ``reembed``). Records with no text at all are left out."""
    model = default_embedder()
    entries: list[tuple[Record, Side, Profile]] = []
    for record in records:
        side = side_of(type(record))
        profile = profile_of(record)
        if side is not None and profile.text.strip():
            entries.append((record, side, profile))
    existing: dict[tuple[str, str], StoredEmbedding] = {}
    for chunk in _chunks([profile.id for _, _, profile in entries]):
        for row in StoredEmbedding.objects.filter(identifier__in=chunk):
            existing[(row.identifier, row.side)] = row
    now = timezone.now()
    to_embed: list[StoredEmbedding] = []
    texts: list[str] = []
    profile_only: list[StoredEmbedding] = []
    result = Stored()
    for record, side, profile in entries:
        digest = text_digest(profile, model.name)
        data = profile_to_json(profile)
        row = existing.get((profile.id, side)) or StoredEmbedding(identifier=profile.id, side=side)
        unchanged = row.pk is not None and row.text_digest == digest and row.embedder == model.name
        row.record_type, row.profile = record.RECORD_TYPE, data
        if unchanged and not reembed:
            profile_only.append(row)
        else:
            row.embedder, row.text_digest, row.embedded_at = model.name, digest, now
            to_embed.append(row)
            texts.append(profile.text)
        result.rows.append(row)
    if to_embed:
        vectors = embed_texts(model, texts)
        for row, vector in zip(to_embed, vectors, strict=True):
            row.vector = StoredEmbedding.to_bytes(vector)
            row.updated_at = now
        with transaction.atomic():
            StoredEmbedding.objects.bulk_create(
                to_embed,
                update_conflicts=True,
                unique_fields=["identifier", "side"],
                update_fields=[
                    "record_type",
                    "embedder",
                    "text_digest",
                    "vector",
                    "profile",
                    "embedded_at",
                    "updated_at",
                ],
            )
    for row in profile_only:
        row.updated_at = now
    if profile_only:
        StoredEmbedding.objects.bulk_update(
            profile_only, ["record_type", "profile", "updated_at"], batch_size=500
        )
    result.embedded = len(to_embed)
    return result


# --- the catalogues in memory --------------------------------------------------------------------


@dataclass
class _Held:
    directory: Path
    embedder: str
    stamp: tuple[int, int] | None
    matcher: Matcher


_held: dict[Catalogue, _Held] = {}
# Loads and the worker's changes are serialised within a process; matches read concurrently.
_lock = threading.RLock()


def _stamp(directory: Path) -> tuple[int, int] | None:
    """Changes whenever the catalogue is saved again (a new directory is renamed into place)."""
    try:
        status = (directory / "meta.json").stat()
    except OSError:
        return None
    return (status.st_ino, status.st_mtime_ns)


def _catalogue_profile(side: Side, data: dict[str, Any]) -> OfferProfile:
    profile = profile_from_json(side, data)
    return as_catalogue_entry(profile) if isinstance(profile, NeedProfile) else profile


def from_stored(catalogue: Catalogue, model: Embedder | None = None) -> Matcher:
    """The catalogue built from the stored vectors of the current model; the other side's vectors
    join the estimate of the language means."""
    model = model or default_embedder()
    side = SIDE_OF[catalogue]
    matcher = Matcher(model, countries=countries())
    profiles: list[OfferProfile] = []
    own: list[np.ndarray[Any, Any]] = []
    other: list[np.ndarray[Any, Any]] = []
    other_languages: list[str] = []
    for row in StoredEmbedding.objects.filter(embedder=model.name).order_by("side", "identifier"):
        if row.side == side:
            profiles.append(_catalogue_profile(side, row.profile))
            own.append(row.array)
        else:
            other.append(row.array)
            other_languages.append(str(row.profile.get("language", "")))
    if profiles:
        context = (np.vstack(other), other_languages) if other else None
        matcher.build(profiles, np.vstack(own), context=context)
    return matcher


def matcher_for(catalogue: Catalogue) -> Matcher:
    """The catalogue as last saved by the worker, loaded again only when it was saved since."""
    model = default_embedder()
    directory = catalogue_dir(catalogue)
    stamp = _stamp(directory)
    with _lock:
        held = _held.get(catalogue)
        if held and (held.directory, held.embedder, held.stamp) == (directory, model.name, stamp):
            held.matcher.countries = countries()
            return held.matcher
        matcher: Matcher | None = None
        if stamp is not None:
            try:
                matcher = Matcher.load(directory, model, countries=countries())
            except MatchingError:
                logger.info(
                    "matching: the %s catalogue was made by another model; using stored vectors", catalogue
                )
            except (OSError, ValueError, KeyError):
                # Read while the worker was replacing it: keep what is held and look again next time.
                if held is not None and held.directory == directory and held.embedder == model.name:
                    return held.matcher
                logger.warning("matching: the saved %s catalogue cannot be read", catalogue, exc_info=True)
        if matcher is None:
            matcher = from_stored(catalogue, model)
        _held[catalogue] = _Held(directory, model.name, stamp, matcher)
        return matcher


def _save(catalogue: Catalogue, matcher: Matcher) -> None:
    """Save the catalogue (the worker's copy) and hold it as the current one. An empty catalogue
    leaves no saved index behind."""
    directory = catalogue_dir(catalogue)
    if matcher.index is None or not len(matcher):
        shutil.rmtree(directory, ignore_errors=True)
    else:
        matcher.save(directory)
    _held[catalogue] = _Held(directory, matcher.embedder.name, _stamp(directory), matcher)


# --- the worker's side ---------------------------------------------------------------------------


@dataclass
class Refreshed:
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    embedded: int = 0


def refresh(identifiers: Iterable[str]) -> Refreshed:
    """Bring the stored embeddings and the catalogues in step with these records: a matchable
    record is (re-)embedded when its text changed and indexed; any other leaves both."""
    result = Refreshed()
    current: list[Record] = []
    gone: list[tuple[str, Side]] = []
    for record_type, wanted in registry.by_type(identifiers).items():
        side = record_type.side
        if side is None:
            continue
        found = {
            record.identifier: record
            for record in record_type.matchable().filter(identifier__in=wanted)
            if profile_of(record).text.strip()
        }
        current += found.values()
        gone += [(identifier, side) for identifier in wanted if identifier not in found]
    stored = store_embeddings(current)
    result.embedded = stored.embedded
    for identifier, side in gone:
        StoredEmbedding.objects.filter(identifier=identifier, side=side).delete()
    with _lock:
        for catalogue, side in SIDE_OF.items():
            rows = [row for row in stored.rows if row.side == side]
            removed = [identifier for identifier, gone_side in gone if gone_side == side]
            if not rows and not removed:
                continue
            matcher = matcher_for(catalogue)
            if len(matcher) < REBUILD_BELOW:
                # While a registry is small each record moves the language means markedly:
                # build again from the stored vectors (milliseconds) rather than add.
                matcher = from_stored(catalogue)
            else:
                matcher.remove(removed)
                if rows:
                    profiles = [_catalogue_profile(side, row.profile) for row in rows]
                    matcher.add(profiles, np.vstack([row.array for row in rows]))
            _save(catalogue, matcher)
            result.added += [row.identifier for row in rows]
            result.removed += removed
    return result


@dataclass(frozen=True)
class RebuildSummary:
    support: int
    needs: int
    embedded: int
    dropped: int
    seconds: float

    def __str__(self) -> str:
        return (
            f"matching: support={self.support} needs={self.needs} embedded={self.embedded} "
            f"dropped={self.dropped} seconds={self.seconds:.2f}"
        )


def rebuild(*, reembed: bool = False) -> RebuildSummary:
    """Embed what is missing or stale (everything with ``reembed``), drop what is no longer
    public or current, rebuild both catalogues (refreshing the language means) and save them."""
    started = time.perf_counter()
    records: list[Record] = [record for record_type in matched_types() for record in record_type.matchable()]
    stored = store_embeddings(records, reembed=reembed)
    keep = {(row.identifier, row.side) for row in stored.rows}
    stale = [
        row.pk
        for row in StoredEmbedding.objects.only("identifier", "side")
        if (row.identifier, row.side) not in keep
    ]
    for chunk in _chunks(stale):
        StoredEmbedding.objects.filter(pk__in=chunk).delete()
    sizes: dict[Catalogue, int] = {}
    with _lock:
        for catalogue in Catalogue:
            matcher = from_stored(catalogue)
            _save(catalogue, matcher)
            sizes[catalogue] = len(matcher)
    return RebuildSummary(
        support=sizes[Catalogue.SUPPORT],
        needs=sizes[Catalogue.NEEDS],
        embedded=stored.embedded,
        dropped=len(stale),
        seconds=time.perf_counter() - started,
    )


def forget() -> None:
    """Drop the catalogues held in memory (the next call loads them again)."""
    with _lock:
        _held.clear()
