"""The catalogues of the registries' embedded records, kept in step with what is public.

- ``support``: offers, opportunities, providers, experts and resources (support for a need);
- ``needs``: needs and requests (the needs an offer could serve: reverse matching);
- ``records``: the records of the types that are searched but not matched (initiatives,
  partnerships, needs assessments...): never matched, only found by meaning (semantic.py).

The database is the one source of truth: ``StoredEmbedding`` holds each record's vector and
profile, ``CatalogueState`` each catalogue's version, language means and writer's lease. A writer
(``refresh`` after a record is published or withdrawn, ``rebuild`` every night and from the
command) takes the lease of the catalogues it changes (leases.py), embeds what changed, then
writes the rows and the catalogue's new version in one transaction.

Vector indexes are caches, one per host under ``conf.index_dir()``, stamped with the version
they were built from. ``sync`` (the worker after each write, a job every minute, the command)
brings this host's cache up to date: it applies only the rows changed since its stamp, unless
the language means were estimated again since (then it builds the catalogue again).
``matcher_for`` (what a request uses) compares the cache's stamp with the database's version,
one query; when the cache is missing or out of date it searches the stored vectors streamed
from the database (streamed.py). A request never builds or saves an index.
"""

from __future__ import annotations

import fcntl
import logging
import shutil
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone
from numpy.typing import NDArray

from clearinghouse.geo.models import Country
from clearinghouse.geo.services import FLAGS
from clearinghouse.matching import conf, leases
from clearinghouse.matching.centering import LanguageCentering, LanguageSums
from clearinghouse.matching.countries import CountryDirectory
from clearinghouse.matching.embedders import Embedder, Vectors, default_embedder, embedding_text
from clearinghouse.matching.engine import (
    Matcher,
    MatchingError,
    cached_language_offsets,
    clause_texts,
    clauses_digest,
    read_stamp,
)
from clearinghouse.matching.models import Catalogue, CatalogueState, StoredEmbedding
from clearinghouse.matching.profiles import NeedProfile
from clearinghouse.matching.signals import catalogues_changed
from clearinghouse.matching.sources import (
    Profile,
    Side,
    as_catalogue_entry,
    embeddable,
    embeddable_identifiers,
    embedded_types,
    profile_of,
    profile_to_json,
    side_of,
    text_digest,
    with_related,
)
from clearinghouse.matching.streamed import (
    CHUNK_ROWS,
    StreamedMatcher,
    as_matrix,
    catalogue_entry,
    chunks,
    filed_under,
)
from clearinghouse.matching.vocabulary import default_vocabularies
from clearinghouse.publishing import registry
from clearinghouse.publishing.models import Record

logger = logging.getLogger(__name__)

__all__ = ["Catalogue", "matcher_for", "rebuild", "refresh", "sync"]

CATALOGUE_OF: dict[Side, Catalogue] = {
    "support": Catalogue.SUPPORT,
    "need": Catalogue.NEEDS,
    "record": Catalogue.RECORDS,
}
SIDE_OF: dict[Catalogue, Side] = {catalogue: side for side, catalogue in CATALOGUE_OF.items()}


# Below this many records a change estimates the language means again (see refresh).
REBUILD_BELOW = 2000
# Records embedded at a time; the writer renews its lease between batches.
EMBED_BATCH = 500
# The sides whose records are explained, and so have their clauses embedded too.
EXPLAINED: frozenset[Side] = frozenset({"need", "support"})


def catalogue_dir(catalogue: Catalogue) -> Path:
    return conf.index_dir() / catalogue.value


# --- countries -----------------------------------------------------------------------------------

_countries: tuple[tuple[tuple[Any, ...], ...], CountryDirectory] | None = None


def countries() -> CountryDirectory:
    """The reference file's countries overlaid with the Country table (its rows win: groups
    edited in the admin count), made again when the table changes. The table alone may hold
    only some countries (a fresh database, the test world). One small query per call."""
    global _countries
    rows = _country_rows()
    if _countries is None or _countries[0] != rows:
        in_table = {
            code: Country(code=code, regional_group=group, **dict(zip(FLAGS, flags, strict=True)))
            for code, group, *flags in rows
        }
        from_file = CountryDirectory.from_file()
        others = [from_file.country(code) for code in sorted(from_file.labels) if code in from_file]
        _countries = (rows, CountryDirectory([*others, *in_table.values()]))
    return _countries[1]


def _country_rows() -> tuple[tuple[Any, ...], ...]:
    """What the directory is made from, read on every ``matcher_for``: a plain cursor, because
    the ORM's compiling and row handling cost three times the query itself (0.4 against 1.2 ms)."""
    table, columns = Country._meta.db_table, ["code", "regional_group", *FLAGS]
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {', '.join(map(quote, columns))} FROM {quote(table)} ORDER BY {quote('code')}"  # noqa: S608  # nosec B608  # names quoted by the backend
        )
        # SQLite gives the flags as 0 and 1.
        return tuple((code, group, *map(bool, flags)) for code, group, *flags in cursor.fetchall())


# --- storing embeddings (the writer) ------------------------------------------------------------


def embed_texts(model: Embedder, texts: Sequence[str]) -> Vectors:
    """Raw embeddings of record texts, prepared as ``Matcher.embed`` prepares them."""
    return model.embed_queries([embedding_text(text) for text in texts])


@dataclass
class Stored:
    """The rows of some records, embedded where their text or model changed; not yet written."""

    rows: list[StoredEmbedding] = field(default_factory=list)
    embedded: list[StoredEmbedding] = field(default_factory=list)
    profile_only: list[StoredEmbedding] = field(default_factory=list)


def _batches(items: Sequence[Any], size: int = 500) -> Iterable[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _prepare(records: Sequence[Record], *, reembed: bool = False, renew: Callable[[], None]) -> Stored:
    """Each record's row with its profile; embed only records whose text or model changed (all
    of them with ``reembed``). Records with no text at all are left out. ``renew`` is called
    between batches of embeddings (the writer's lease)."""
    model = default_embedder()
    entries: list[tuple[Record, Side, Profile]] = []
    for record in records:
        side = side_of(type(record))
        profile = profile_of(record)
        if side is not None and profile.text.strip():
            entries.append((record, side, profile))
    existing: dict[tuple[str, str], StoredEmbedding] = {}
    for batch in _batches([profile.id for _, _, profile in entries]):
        for row in StoredEmbedding.objects.filter(identifier__in=batch):
            existing[(row.identifier, row.side)] = row
    now = timezone.now()
    result = Stored()
    texts: list[tuple[StoredEmbedding, str]] = []
    clauses: list[tuple[StoredEmbedding, list[str]]] = []
    for record, side, profile in entries:
        digest = text_digest(profile, model.name)
        row = existing.get((profile.id, side)) or StoredEmbedding(identifier=profile.id, side=side)
        unchanged = row.pk is not None and row.text_digest == digest and row.embedder == model.name
        row.record_type, row.profile = record.RECORD_TYPE, profile_to_json(profile)
        entry = as_catalogue_entry(profile) if isinstance(profile, NeedProfile) else profile
        row.language, row.filed_under = entry.language, filed_under(entry)
        # Only needs and support are explained; an empty list of clauses keeps no digest.
        found = clause_texts(profile) if side in EXPLAINED else []
        wanted = clauses_digest(found, model.name) if found else ""
        clauses_unchanged = row.clauses_digest == wanted and not reembed
        if unchanged and clauses_unchanged:
            result.profile_only.append(row)
            result.rows.append(row)
            continue
        if not unchanged or reembed:
            row.embedder, row.text_digest, row.embedded_at = model.name, digest, now
            texts.append((row, profile.text))
        if not clauses_unchanged:
            row.clauses_digest, row.clause_vectors = wanted, b""
            if found:
                clauses.append((row, found))
        result.embedded.append(row)
        result.rows.append(row)
    for start in range(0, len(texts), EMBED_BATCH):
        batch = texts[start : start + EMBED_BATCH]
        vectors = embed_texts(model, [text for _, text in batch])
        for (row, _), vector in zip(batch, vectors, strict=True):
            row.vector = StoredEmbedding.to_bytes(vector)
        renew()
    for start in range(0, len(clauses), EMBED_BATCH):
        _embed_clauses(model, clauses[start : start + EMBED_BATCH])
        renew()
    return result


def _embed_clauses(model: Embedder, rows: Sequence[tuple[StoredEmbedding, list[str]]]) -> None:
    """Set each row's clause vectors, the clauses of the batch embedded in one call (a clause
    several records share, once)."""
    distinct = list(dict.fromkeys(text for _, found in rows for text in found))
    vectors = dict(zip(distinct, embed_texts(model, distinct), strict=True))
    for row, found in rows:
        row.clause_vectors = b"".join(StoredEmbedding.to_bytes(vectors[text]) for text in found)


def clause_vectors(
    wanted: Iterable[tuple[str, Side, Profile]], model: Embedder
) -> dict[str, NDArray[np.float32]]:
    """The stored clause vectors of these records (identifier, side, the profile being
    explained), by clause text, in one query: those made from the profile's clauses as they
    are now, by this model (a record the writer has not seen since it changed has none)."""
    profiles: dict[tuple[str, str], Profile] = {
        (identifier, side): profile for identifier, side, profile in wanted
    }
    if not profiles:
        return {}
    by_side: dict[str, set[str]] = {}
    for identifier, side in profiles:
        by_side.setdefault(side, set()).add(identifier)
    # Each side's identifiers apart and no ordering, so that the query looks the rows up by
    # their unique key instead of reading a whole side.
    wanted_rows = Q()
    for side, identifiers in by_side.items():
        wanted_rows |= Q(side=side, identifier__in=identifiers)
    rows = (
        StoredEmbedding.objects.filter(wanted_rows, embedder=model.name)
        .order_by()
        .values_list("identifier", "side", "clauses_digest", "clause_vectors")
    )
    found: dict[str, NDArray[np.float32]] = {}
    for identifier, row_side, digest, blob in rows:
        profile = profiles.get((identifier, row_side))
        texts = clause_texts(profile) if profile is not None else []
        if texts and digest == clauses_digest(texts, model.name):
            found |= zip(texts, StoredEmbedding.clause_matrix(blob, model.dimension), strict=True)
    return found


def estimate_means(model: Embedder) -> LanguageCentering:
    """The language means over every stored vector of the model, both sides (needs and offers
    alike tell what writing in a language adds), read in chunks."""
    sums = LanguageSums(model.dimension)
    rows = StoredEmbedding.objects.filter(embedder=model.name, active=True).values_list("vector", "language")
    for chunk in chunks(rows.iterator(chunk_size=CHUNK_ROWS)):
        blobs, languages = zip(*chunk, strict=True)
        sums.add(as_matrix(blobs), languages)
    return sums.centering(cached_language_offsets(model, default_vocabularies()))


def _write(
    stored: Stored, gone: Sequence[tuple[str, Side]], lease: leases.Lease, *, rebuilding: bool = False
) -> int:
    """Write the rows, take the ``gone`` records out and raise the version of each catalogue
    touched, in one transaction; estimate the language means again when rebuilding or while a
    catalogue is small. A rebuild also deletes the rows of records it did not see (returned:
    how many were in a catalogue) and those taken out before. Raises CatalogueBusyError, writing
    nothing, when the lease was lost."""
    model = default_embedder()
    sides = {row.side for row in stored.rows} | {side for _, side in gone}
    touched = set(Catalogue) if rebuilding else {_catalogue_of(side) for side in sides}
    with transaction.atomic():
        states = {catalogue: lease.check(catalogue) for catalogue in sorted(touched)}
        for state in states.values():
            state.version += 1
        now = timezone.now()
        for row in stored.rows:
            row.version = states[_catalogue_of(row.side)].version
            row.active, row.updated_at = True, now
        if stored.embedded:
            StoredEmbedding.objects.bulk_create(
                stored.embedded,
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
                    "language",
                    "filed_under",
                    "clause_vectors",
                    "clauses_digest",
                    "active",
                    "version",
                ],
            )
        if stored.profile_only:
            StoredEmbedding.objects.bulk_update(
                stored.profile_only,
                ["record_type", "profile", "language", "filed_under", "updated_at", "active", "version"],
                batch_size=500,
            )
        for side, catalogue in CATALOGUE_OF.items():
            identifiers = [identifier for identifier, gone_side in gone if gone_side == side]
            for batch in _batches(identifiers):
                # The clauses go at once: only the vector is needed to take the record out of
                # every host's cache, and they quote its text more closely.
                StoredEmbedding.objects.filter(side=side, identifier__in=batch, active=True).update(
                    active=False,
                    version=states[catalogue].version,
                    updated_at=now,
                    clause_vectors=b"",
                    clauses_digest="",
                )
        dropped = _purge({(row.identifier, row.side) for row in stored.rows}) if rebuilding else 0
        means: LanguageCentering | None = None
        for catalogue, state in states.items():
            state.size = StoredEmbedding.objects.filter(
                side=SIDE_OF[catalogue], embedder=model.name, active=True
            ).count()
            if rebuilding or state.size < REBUILD_BELOW:
                # While a registry is small each record moves the language means markedly.
                means = means or estimate_means(model)
                state.centering, state.means_version, state.embedder = (
                    means.to_bytes(),
                    state.version,
                    model.name,
                )
            state.save(update_fields=["version", "size", "centering", "means_version", "embedder"])
    return dropped


def _catalogue_of(side: str) -> Catalogue:
    return CATALOGUE_OF[side]  # type: ignore[index]  # a row's side is one of the three


def _purge(keep: set[tuple[str, str]]) -> int:
    """Delete every row but these; returns how many of them were in a catalogue."""
    stale = [
        (pk, active)
        for pk, identifier, side, active in StoredEmbedding.objects.values_list(
            "pk", "identifier", "side", "active"
        )
        if (identifier, side) not in keep
    ]
    for batch in _batches([pk for pk, _ in stale]):
        StoredEmbedding.objects.filter(pk__in=batch).delete()
    return sum(1 for _, active in stale if active)


# --- the catalogues in this host's cache ----------------------------------------------------------


@dataclass(frozen=True)
class Stamp:
    """What a cache was built from: the catalogue's version, the version of its language means
    and the model."""

    version: int
    means_version: int
    embedder: str


@dataclass
class _Held:
    directory: Path
    stamp: Stamp
    matcher: Matcher


_held: dict[Catalogue, _Held] = {}
# Loads and saves are serialised within a process; matches read concurrently.
_lock = threading.RLock()


def _wanted(catalogue: Catalogue, model: Embedder) -> tuple[Stamp, int]:
    """The stamp an up-to-date cache has, and the catalogue's size: one query."""
    row = (
        CatalogueState.objects.filter(catalogue=catalogue)
        .values_list("version", "means_version", "size")
        .first()
    )
    version, means_version, size = row or (0, 0, 0)
    return Stamp(version, means_version, model.name), size


def _cache_stamp(directory: Path) -> Stamp | None:
    stamp = read_stamp(directory)
    try:
        return None if stamp is None else Stamp(**stamp)
    except TypeError:
        return None


def _stored_means(catalogue: Catalogue, model: Embedder) -> LanguageCentering | None:
    """The language means the writer estimated last, if they are the model's. Read when they
    are needed (a build, a streamed search), never kept: a few kilobytes."""
    row = CatalogueState.objects.filter(catalogue=catalogue).values_list("centering", "embedder").first()
    data, embedder = row or (b"", "")
    return LanguageCentering.from_bytes(bytes(data)) if data and embedder == model.name else None


def _load(directory: Path, model: Embedder, catalogue: Catalogue) -> Matcher | None:
    try:
        return Matcher.load(directory, model, countries=countries())
    except MatchingError:
        logger.info("matching: the %s cache was made by another model", catalogue)
    except (OSError, ValueError, KeyError):
        logger.warning("matching: the %s cache cannot be read", catalogue, exc_info=True)
    return None


def _cached(catalogue: Catalogue, model: Embedder, wanted: Stamp) -> Matcher | None:
    """This host's cache of the catalogue if it has the wanted stamp: the one this process
    holds, else the one on disk, loaded (never built)."""
    directory = catalogue_dir(catalogue)
    with _lock:
        held = _held.get(catalogue)
        if held is not None and (held.directory, held.stamp) == (directory, wanted):
            return held.matcher
        if _cache_stamp(directory) == wanted and (matcher := _load(directory, model, catalogue)) is not None:
            _held[catalogue] = _Held(directory, wanted, matcher)
            return matcher
    return None


def _means_or_none(catalogue: Catalogue, model: Embedder) -> LanguageCentering:
    """The stored language means; no centring at all only until the first rebuild after an
    upgrade or a change of model."""
    means = _stored_means(catalogue, model)
    if means is None:
        zero = np.zeros(model.dimension, dtype=np.float32)
        means = LanguageCentering(means={}, fallback=zero)
    return means


def matcher_for(catalogue: Catalogue) -> Matcher:
    """The catalogue to match with: this host's cache when it is as new as the database (one
    query to know; loaded again only when the worker brought it up to date), else an exact
    search over the stored vectors streamed from the database. Builds and saves nothing."""
    model = default_embedder()
    wanted, size = _wanted(catalogue, model)
    matcher = _cached(catalogue, model, wanted)
    if matcher is not None:
        matcher.countries = countries()
        return matcher
    means = _means_or_none(catalogue, model)
    return StreamedMatcher(SIDE_OF[catalogue], model, countries=countries(), centering=means, size=size)


# A search by meaning answers from a cache behind the database, with the rows changed since read
# beside it, up to this many rows; beyond, it streams the stored vectors.
CHANGED_ROWS_LIMIT = 2000


@dataclass(frozen=True)
class Changed:
    """The rows of a catalogue changed since a cache's stamp: each identifier, and for those
    still in the catalogue (``active``) their raw vector and language."""

    identifiers: list[str]
    active: list[bool]
    vectors: Vectors
    languages: list[str]


@dataclass(frozen=True)
class Searchable:
    """A catalogue as retrieval by meaning reads it: this host's cache (with the rows changed
    since its stamp when it is behind the database), else nothing (the stored vectors are
    streamed), and the language means its vectors are centred with."""

    catalogue: Catalogue
    side: Side
    size: int
    matcher: Matcher | None
    centering: LanguageCentering
    changed: Changed | None = None


def searchable(catalogues: Iterable[Catalogue], model: Embedder) -> list[Searchable]:
    """The catalogues that hold records, as ``matcher_for`` would answer from them, without the
    country data matching needs: one query for their versions, and one for the stored means
    of each catalogue that has to be streamed. Builds and saves nothing."""
    wanted = tuple(catalogues)
    states = {
        catalogue: (version, means_version, size) for catalogue, version, means_version, size in _states()
    }
    found = []
    for catalogue in wanted:
        version, means_version, size = states.get(catalogue, (0, 0, 0))
        if not size:
            continue
        stamp = Stamp(version, means_version, model.name)
        side = SIDE_OF[catalogue]
        matcher = _cached(catalogue, model, stamp)
        if matcher is not None and matcher.centering is not None:
            found.append(Searchable(catalogue, side, size, matcher, matcher.centering))
            continue
        behind = _behind(catalogue, model, stamp)
        if behind is not None:
            matcher, since = behind
            changed = _changed_since(side, model, since)
            if changed is not None and matcher.centering is not None:
                found.append(Searchable(catalogue, side, size, matcher, matcher.centering, changed))
                continue
        found.append(Searchable(catalogue, side, size, None, _means_or_none(catalogue, model)))
    return found


def _behind(catalogue: Catalogue, model: Embedder, wanted: Stamp) -> tuple[Matcher, int] | None:
    """This host's cache of the catalogue and its version when it is behind the database but
    made with the same model and means (only rows changed since: what ``sync`` would apply)."""
    directory = catalogue_dir(catalogue)

    def usable(stamp: Stamp | None) -> bool:
        return (
            stamp is not None
            and (stamp.embedder, stamp.means_version) == (wanted.embedder, wanted.means_version)
            and stamp.version < wanted.version
        )

    with _lock:
        held = _held.get(catalogue)
        if held is not None and held.directory == directory and usable(held.stamp):
            return held.matcher, held.stamp.version
        current = _cache_stamp(directory)
        if current is not None and usable(current) and (matcher := _load(directory, model, catalogue)):
            _held[catalogue] = _Held(directory, current, matcher)
            return matcher, current.version
    return None


def _changed_since(side: Side, model: Embedder, version: int) -> Changed | None:
    """The rows of a side changed since ``version`` (one query, by the side-and-version index),
    None when there are more than CHANGED_ROWS_LIMIT."""
    rows = list(
        StoredEmbedding.objects.filter(side=side, version__gt=version).values_list(
            "identifier", "active", "embedder", "vector", "language"
        )[: CHANGED_ROWS_LIMIT + 1]
    )
    if len(rows) > CHANGED_ROWS_LIMIT:
        return None
    current = [row for row in rows if row[1] and row[2] == model.name]
    return Changed(
        identifiers=[row[0] for row in rows],
        active=[bool(row[1] and row[2] == model.name) for row in rows],
        vectors=as_matrix([row[3] for row in current])
        if current
        else np.zeros((0, model.dimension), np.float32),
        languages=[row[4] for row in current],
    )


def _states() -> list[tuple[str, int, int, int]]:
    """Every catalogue's version, means' version and size, read on every search by meaning: a
    plain cursor, as for the countries (the ORM's compiling costs more than the query)."""
    quote = connection.ops.quote_name
    columns = ", ".join(map(quote, ["catalogue", "version", "means_version", "size"]))
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {columns} FROM {quote(CatalogueState._meta.db_table)}")  # noqa: S608  # nosec B608  # names quoted by the backend
        return [
            (str(catalogue), int(version), int(means), int(size))
            for catalogue, version, means, size in cursor.fetchall()
        ]


def from_stored(
    catalogue: Catalogue, model: Embedder | None = None, centering: LanguageCentering | None = None
) -> Matcher:
    """The catalogue built from the stored vectors of the model, read in chunks, with the given
    language means (else estimated from both sides' vectors)."""
    model = model or default_embedder()
    side = SIDE_OF[catalogue]
    matcher = Matcher(model, countries=countries())
    profiles: list[Any] = []
    blocks: list[Vectors] = []
    rows = StoredEmbedding.objects.filter(side=side, embedder=model.name, active=True).order_by("identifier")
    for chunk in chunks(rows.values_list("vector", "profile").iterator(chunk_size=CHUNK_ROWS)):
        blobs, data = zip(*chunk, strict=True)
        blocks.append(as_matrix(blobs))
        profiles += [catalogue_entry(side, item) for item in data]
    if profiles:
        matcher.build(profiles, np.vstack(blocks), centering=centering or estimate_means(model))
    return matcher


def _apply_changes(catalogue: Catalogue, matcher: Matcher, since: int) -> int:
    """Add, replace or take out the rows changed since version ``since``; returns how many."""
    side = SIDE_OF[catalogue]
    model = matcher.embedder
    rows = StoredEmbedding.objects.filter(side=side, version__gt=since).order_by("version", "pk")
    changed = 0
    for chunk in chunks(
        rows.values_list("identifier", "active", "embedder", "vector", "profile").iterator(
            chunk_size=CHUNK_ROWS
        )
    ):
        current = [row for row in chunk if row[1] and row[2] == model.name]
        matcher.remove([row[0] for row in chunk if not (row[1] and row[2] == model.name)])
        if current:
            matcher.add(
                [catalogue_entry(side, row[4]) for row in current], as_matrix([row[3] for row in current])
            )
        changed += len(chunk)
    return changed


@contextmanager
def _host_lock(catalogue: Catalogue) -> Iterator[None]:
    """One process of this host updates a catalogue's cache at a time."""
    directory = conf.index_dir()
    directory.mkdir(parents=True, exist_ok=True)
    with (directory / f".{catalogue.value}.lock").open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def sync(catalogues: Iterable[Catalogue] = tuple(Catalogue)) -> dict[Catalogue, str]:
    """Bring this host's caches up to date with the database: ``fresh`` (nothing to do),
    ``updated:<rows>`` (the rows changed since the cache's stamp applied), ``built`` (built
    from the stored vectors: no cache yet, or the language means changed) or ``empty`` (no
    record: no cache)."""
    done: dict[Catalogue, str] = {}
    for catalogue in catalogues:
        with _lock, _host_lock(catalogue):
            done[catalogue] = _sync(catalogue)
    return done


def _sync(catalogue: Catalogue) -> str:
    model = default_embedder()
    wanted, _ = _wanted(catalogue, model)
    directory = catalogue_dir(catalogue)
    current = _cache_stamp(directory)
    if current == wanted:
        return "fresh"
    matcher: Matcher | None = None
    if (
        current is not None
        and (current.embedder, current.means_version) == (model.name, wanted.means_version)
        and current.version < wanted.version
    ):
        held = _held.get(catalogue)
        if held is not None and (held.directory, held.stamp) == (directory, current):
            matcher = held.matcher
        else:
            matcher = _load(directory, model, catalogue)
    if matcher is not None:
        outcome = f"updated:{_apply_changes(catalogue, matcher, current.version if current else 0)}"
    else:
        matcher = from_stored(catalogue, model, _stored_means(catalogue, model))
        outcome = "built"
    if matcher.index is None or not len(matcher):
        # An empty catalogue leaves no cache behind: there is nothing to search.
        shutil.rmtree(directory, ignore_errors=True)
        _held.pop(catalogue, None)
        outcome = "empty"
    else:
        matcher.save(directory, stamp=asdict(wanted))
        _held[catalogue] = _Held(directory, wanted, matcher)
    return outcome


# --- the writer's entry points --------------------------------------------------------------------


@dataclass
class Refreshed:
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    embedded: int = 0


def refresh(identifiers: Iterable[str]) -> Refreshed:
    """Bring the stored embeddings in step with these records, then this host's caches: a
    record that has its place in a catalogue (public and current for a matched type, published
    for a searched one) is (re-)embedded when its text changed and stored; any other is taken out.
    Raises CatalogueBusyError when another writer holds a catalogue (the job tries again later)."""
    wanted: list[tuple[str, type[Record], Side]] = []
    for identifier in dict.fromkeys(identifiers):
        model = registry.model_for_identifier(identifier)
        side = side_of(model) if model is not None else None
        if model is not None and side is not None:
            wanted.append((identifier, model, side))
    catalogues = {CATALOGUE_OF[side] for _, _, side in wanted}
    if not catalogues:
        return Refreshed()
    with leases.hold(catalogues) as lease:
        # Read under the lease: what is written is the records' state after any earlier writer.
        # Read together, a query per record type (and its facts' prefetches), not per record.
        found: dict[str, Record] = {}
        matchable: set[str] = set()
        for model in dict.fromkeys(model for _, model, _ in wanted):
            identifiers = [identifier for identifier, of, _ in wanted if of is model]
            rows = with_related(model, model._default_manager.filter(identifier__in=identifiers))
            found |= {record.identifier: record for record in rows}
            matchable |= embeddable_identifiers(registry.of(model), identifiers)
        current: list[Record] = []
        gone: list[tuple[str, Side]] = []
        for identifier, _, side in wanted:
            record = found.get(identifier)
            if record is not None and identifier in matchable and profile_of(record).text.strip():
                current.append(record)
            else:
                gone.append((identifier, side))
        stored = _prepare(current, renew=lease.renew)
        _write(stored, gone, lease)
    sync(sorted(catalogues))
    refreshed = Refreshed(
        added=[row.identifier for row in stored.rows],
        removed=[identifier for identifier, _ in gone],
        embedded=len(stored.embedded),
    )
    catalogues_changed.send(
        Catalogue, catalogues=catalogues, identifiers=[*refreshed.added, *refreshed.removed]
    )
    return refreshed


@dataclass(frozen=True)
class RebuildSummary:
    support: int
    needs: int
    records: int
    embedded: int
    dropped: int
    seconds: float

    def __str__(self) -> str:
        return (
            f"matching: support={self.support} needs={self.needs} records={self.records} "
            f"embedded={self.embedded} dropped={self.dropped} seconds={self.seconds:.2f}"
        )


def rebuild(*, reembed: bool = False, wait: float = 0) -> RebuildSummary:
    """Embed what is missing or stale (everything with ``reembed``), drop what is no longer
    public or current, estimate the language means again and store it all; then build this
    host's caches (every other host's builds itself at its next sync). Waits up to ``wait``
    seconds for another writer, then raises CatalogueBusyError."""
    started = time.perf_counter()
    with leases.hold(tuple(Catalogue), wait=wait) as lease:
        records: list[Record] = [
            record for record_type in embedded_types() for record in embeddable(record_type)
        ]
        stored = _prepare(records, reembed=reembed, renew=lease.renew)
        dropped = _write(stored, [], lease, rebuilding=True)
    sync()
    catalogues_changed.send(Catalogue, catalogues=set(Catalogue), identifiers=[])
    sizes = dict(CatalogueState.objects.values_list("catalogue", "size"))
    return RebuildSummary(
        support=sizes.get(Catalogue.SUPPORT, 0),
        needs=sizes.get(Catalogue.NEEDS, 0),
        records=sizes.get(Catalogue.RECORDS, 0),
        embedded=len(stored.embedded),
        dropped=dropped,
        seconds=time.perf_counter() - started,
    )


def forget() -> None:
    """Drop the catalogues held in memory (the next call loads them again)."""
    with _lock:
        _held.clear()
