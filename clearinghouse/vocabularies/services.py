"""Loading vocabularies from their files, and keeping a revision of every change.

A vocabulary file (``vocabularies/data/*.json``, see its README) names the vocabulary, its
release, its titles and its terms in display order; a term's ``parent`` is a code of the same
file and its ``maps_to`` lists codes of other vocabularies (Aichi targets map to GBF targets).

``load_vocabularies`` checks every file first and then makes the database match: terms are
created or changed, and terms no longer in the file are marked inactive, never deleted (records
point at them). ``record_revision`` is the one place a vocabulary's version moves: the loader and
the admin both call it after a change, and it writes a revision only when the content differs
from the last one.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.core.validators import validate_slug
from django.db import transaction
from django.db.models import Prefetch

from clearinghouse.vocabularies.models import Term, Vocabulary, VocabularyRevision, validate_labels

DATA_DIR = Path(__file__).resolve().parent / "data"
_TERM_FIELDS = ["labels", "parent", "position", "is_active"]


class VocabularyDataError(ValueError):
    """A vocabulary file cannot be loaded as it is; the message says where and why."""


@dataclass(frozen=True)
class TermData:
    code: str
    labels: dict[str, str]
    parent: str | None
    maps_to: tuple[str, ...]


@dataclass(frozen=True)
class VocabularyData:
    path: Path
    name: str
    release: str
    source: str
    titles: dict[str, str]
    terms: tuple[TermData, ...]


@dataclass(frozen=True)
class VocabularyLoadResult:
    vocabulary: Vocabulary
    terms: int
    revision: VocabularyRevision | None

    @property
    def changed(self) -> bool:
        return self.revision is not None


def data_files(directory: Path = DATA_DIR) -> list[Path]:
    """The vocabulary files of a directory, by name."""
    return sorted(directory.glob("*.json"))


def _labels(where: str, value: Any) -> dict[str, str]:
    try:
        validate_labels(value)
    except ValidationError as error:
        raise VocabularyDataError(f"{where}: {' '.join(error.messages)}") from error
    if not all(isinstance(text, str) for text in value.values()):
        raise VocabularyDataError(f"{where}: every label must be a text")
    return {language: text.strip() for language, text in value.items()}


def _text(where: str, value: Any, *, max_length: int | None = None) -> str:
    if not isinstance(value, str) or not value.strip():
        raise VocabularyDataError(f"{where}: expected a non-empty text, found {value!r}")
    if max_length is not None and len(value) > max_length:
        raise VocabularyDataError(f"{where}: {value!r} is longer than {max_length} characters")
    return value.strip()


def _term(path: Path, entry: Any) -> TermData:
    if not isinstance(entry, dict):
        raise VocabularyDataError(f"{path}: each term must be an object, found {entry!r}")
    code = _text(f"{path}: term code", entry.get("code"), max_length=60)
    where = f"{path}: term {code}"
    parent = entry.get("parent")
    if parent is not None:
        parent = _text(f"{where}: parent", parent)
    maps_to = entry.get("maps_to", [])
    if not isinstance(maps_to, list):
        raise VocabularyDataError(f"{where}: 'maps_to' must be a list of codes")
    return TermData(
        code=code,
        labels=_labels(f"{where}: labels", entry.get("labels")),
        parent=parent,
        maps_to=tuple(_text(f"{where}: maps_to", target) for target in maps_to),
    )


def _check_tree(path: Path, terms: Sequence[TermData]) -> None:
    counts = Counter(term.code for term in terms)
    duplicates = sorted(code for code, times in counts.items() if times > 1)
    if duplicates:
        raise VocabularyDataError(f"{path}: codes listed twice: {', '.join(duplicates)}")
    parents = {term.code: term.parent for term in terms}
    for term in terms:
        if term.parent is not None and term.parent not in parents:
            raise VocabularyDataError(f"{path}: term {term.code} has an unknown parent {term.parent!r}")
        seen = {term.code}
        ancestor = term.parent
        while ancestor is not None:
            if ancestor in seen:
                raise VocabularyDataError(f"{path}: term {term.code} is its own ancestor")
            seen.add(ancestor)
            ancestor = parents[ancestor]


def read_vocabulary_file(path: Path) -> VocabularyData:
    """The checked content of a vocabulary file, or a VocabularyDataError saying what is wrong."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise VocabularyDataError(f"{path}: cannot be read ({error.strerror})") from error
    except json.JSONDecodeError as error:
        raise VocabularyDataError(f"{path}: not valid JSON (line {error.lineno}: {error.msg})") from error
    if not isinstance(data, dict):
        raise VocabularyDataError(f"{path}: expected an object with 'name', 'titles' and 'terms'")
    name = _text(f"{path}: name", data.get("name"), max_length=50)
    try:
        validate_slug(name)
    except ValidationError as error:
        raise VocabularyDataError(f"{path}: name {name!r} is not a slug") from error
    if not isinstance(data.get("terms"), list):
        raise VocabularyDataError(f"{path}: 'terms' must be a list")
    terms = tuple(_term(path, entry) for entry in data["terms"])
    _check_tree(path, terms)
    return VocabularyData(
        path=path,
        name=name,
        release=_text(f"{path}: version", data.get("version"), max_length=30),
        source=str(data.get("source") or "").strip(),
        titles=_labels(f"{path}: titles", data.get("titles")),
        terms=terms,
    )


def _resolve_mappings(batch: Sequence[VocabularyData]) -> dict[tuple[str, str], list[tuple[str, str]]]:
    """(vocabulary, code) of each term -> the (vocabulary, code) of the terms it maps to.

    Files give bare codes; a code is looked up among the files being loaded and the vocabularies
    already in the database, and must name exactly one term.
    """
    holders: dict[str, set[str]] = defaultdict(set)
    for data in batch:
        for term in data.terms:
            holders[term.code].add(data.name)
    loading = [data.name for data in batch]
    stored = Term.objects.exclude(vocabulary__name__in=loading).values_list("code", "vocabulary__name")
    for code, name in stored:
        holders[code].add(name)
    mappings: dict[tuple[str, str], list[tuple[str, str]]] = {}
    for data in batch:
        for term in data.terms:
            targets = []
            for code in term.maps_to:
                found = sorted(holders.get(code, ()))
                if not found:
                    raise VocabularyDataError(
                        f"{data.path}: term {term.code} maps to an unknown code {code!r}"
                    )
                if len(found) > 1:
                    raise VocabularyDataError(
                        f"{data.path}: term {term.code} maps to {code!r}, "
                        f"which is a code in several vocabularies: {', '.join(found)}"
                    )
                targets.append((found[0], code))
            mappings[(data.name, term.code)] = targets
    return mappings


def _set_fields(instance: Any, values: Mapping[str, Any]) -> bool:
    """Set the values on the instance; whether any of them differed."""
    changed = False
    for field, value in values.items():
        if getattr(instance, field) != value:
            setattr(instance, field, value)
            changed = True
    return changed


def _load_terms(vocabulary: Vocabulary, data: VocabularyData) -> None:
    terms = {term.code: term for term in vocabulary.terms.all()}
    # New terms are written whole, a level of the hierarchy at a time (a parent's key first), so
    # that a first load needs no update afterwards.
    positions = {entry.code: position for position, entry in enumerate(data.terms)}
    waiting = [entry for entry in data.terms if entry.code not in terms]
    while waiting:
        ready = [entry for entry in waiting if not entry.parent or entry.parent in terms]
        if not ready:  # cannot happen: reading refuses unknown parents and cycles
            break
        created = Term.objects.bulk_create(
            Term(
                vocabulary=vocabulary,
                code=entry.code,
                labels=entry.labels,
                parent=terms[entry.parent] if entry.parent else None,
                position=positions[entry.code],
                is_active=True,
            )
            for entry in ready
        )
        terms.update((term.code, term) for term in created)
        waiting = [entry for entry in waiting if entry.code not in terms]
    changed = []
    for position, entry in enumerate(data.terms):
        values = {
            "labels": entry.labels,
            "parent_id": terms[entry.parent].pk if entry.parent else None,
            "position": position,
            "is_active": True,
        }
        if _set_fields(terms[entry.code], values):
            changed.append(terms[entry.code])
    listed = {entry.code for entry in data.terms}
    for code, term in terms.items():
        if code not in listed and term.is_active:
            term.is_active = False
            changed.append(term)
    Term.objects.bulk_update(changed, _TERM_FIELDS)


def _load_mappings(mappings: Mapping[tuple[str, str], list[tuple[str, str]]]) -> None:
    """Make the maps_to links of the listed terms exactly those of the files (one pass for all)."""
    names = {name for name, _code in mappings} | {
        name for targets in mappings.values() for name, _c in targets
    }
    ids = {
        (name, code): pk
        for name, code, pk in Term.objects.filter(vocabulary__name__in=names).values_list(
            "vocabulary__name", "code", "pk"
        )
    }
    wanted = {(ids[source], ids[target]) for source, targets in mappings.items() for target in targets}
    through = Term.maps_to.through
    sources = [ids[source] for source in mappings]
    stored = {
        (link.from_term_id, link.to_term_id): link.pk
        for link in through.objects.filter(from_term_id__in=sources)
    }
    through.objects.filter(pk__in=[pk for pair, pk in stored.items() if pair not in wanted]).delete()
    through.objects.bulk_create(
        through(from_term_id=source, to_term_id=target) for source, target in wanted - set(stored)
    )


def load_vocabulary(path: Path, *, user: AbstractUser | None = None) -> VocabularyLoadResult:
    """Load one vocabulary file; its maps_to codes must name terms already stored."""
    return load_vocabularies([path], user=user)[0]


@transaction.atomic
def load_vocabularies(
    paths: Iterable[Path], *, user: AbstractUser | None = None
) -> list[VocabularyLoadResult]:
    """Create or update the vocabularies of these files (idempotent), resolving maps_to across them.

    Every file is checked before anything is written: a VocabularyDataError leaves the database
    as it was. A vocabulary whose content changed gets a new version and revision. A file
    unchanged since it was last loaded is skipped, so edits made in the admin are kept.
    """
    read = [read_vocabulary_file(path) for path in paths]
    names = Counter(data.name for data in read)
    twice = sorted(name for name, times in names.items() if times > 1)
    if twice:
        raise VocabularyDataError(f"vocabularies given by more than one file: {', '.join(twice)}")
    digests = {data.name: hashlib.sha256(data.path.read_bytes()).hexdigest() for data in read}
    loaded = dict(Vocabulary.objects.filter(name__in=digests).values_list("name", "source_digest"))
    batch = [data for data in read if loaded.get(data.name) != digests[data.name]]
    mappings = _resolve_mappings(batch)

    vocabularies = []
    for data in batch:
        values = {
            "titles": data.titles,
            "source": data.source,
            "release": data.release,
            "source_digest": digests[data.name],
        }
        vocabulary = Vocabulary.objects.filter(name=data.name).first()
        if vocabulary is None:
            vocabulary = Vocabulary.objects.create(name=data.name, **values)
        elif _set_fields(vocabulary, values):
            vocabulary.save()
        _load_terms(vocabulary, data)
        vocabularies.append(vocabulary)
    _load_mappings(mappings)
    return [
        VocabularyLoadResult(
            vocabulary=vocabulary,
            terms=len(data.terms),
            revision=record_revision(vocabulary, user=user, note=f"{data.path.name}, release {data.release}"),
        )
        for vocabulary, data in zip(vocabularies, batch, strict=True)
    ]


def snapshot(vocabulary: Vocabulary) -> dict[str, Any]:
    """Everything a vocabulary holds, as JSON: what a revision stores and compares."""
    terms = vocabulary.terms.select_related("parent").prefetch_related(
        Prefetch("maps_to", queryset=Term.objects.only("id", "code"))
    )
    return {
        "name": vocabulary.name,
        "titles": vocabulary.titles,
        "source": vocabulary.source,
        "release": vocabulary.release,
        "terms": [
            {
                "code": term.code,
                "labels": term.labels,
                "parent": term.parent.code if term.parent else None,
                "maps_to": sorted(target.code for target in term.maps_to.all()),
                "position": term.position,
                "is_active": term.is_active,
            }
            for term in terms.order_by("position", "code")
        ],
    }


@transaction.atomic
def record_revision(
    vocabulary: Vocabulary, *, user: AbstractUser | None = None, note: str = ""
) -> VocabularyRevision | None:
    """After a change to a vocabulary or its terms: if its content differs from the last revision,
    raise its version and store a revision (who, when, snapshot). Returns the new revision, or
    None when nothing changed."""
    # The row lock keeps two editors saving at once from both taking the next version number.
    locked = Vocabulary.objects.select_for_update().get(pk=vocabulary.pk)
    content = snapshot(locked)
    latest = locked.revisions.order_by("-version").first()
    if latest is not None and latest.snapshot == content:
        return None
    if latest is not None:
        locked.version = max(locked.version, latest.version) + 1
        locked.save(update_fields=["version", "updated_at"])
    vocabulary.version = locked.version
    return VocabularyRevision.objects.create(
        vocabulary=locked,
        version=locked.version,
        created_by_id=user.pk if user else None,
        note=note[:200],
        snapshot=content,
    )
