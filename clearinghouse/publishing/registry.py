"""The record types that use the publishing workflow, and what each contributes to the features
every record type shares (after NetBox's registry).

Each registry app declares its types once, in a ``records.py`` beside its models, loaded from its
``AppConfig.ready()``: ``registry.register(RecordType(model=..., search=..., matching=...))``.
Search, matching, matchmaking, feeds, the record pages and monitoring read the declarations here;
no app lists the record classes by hand. The declarations are plain data (fields, ORM paths,
callables over one record); ``publishing`` knows nothing of the apps that read them.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from django.db.models import Count, Expression, F, Prefetch, Q, QuerySet
from django.db.models.functions import Coalesce
from django.urls import reverse

from clearinghouse.exchange.fields import FieldDefinition
from clearinghouse.publishing.models import Record

Side = Literal["need", "support"]
Related = tuple[str | Prefetch[Any], ...]


def _everything() -> Q:
    return Q()


@dataclass(frozen=True)
class Searched:
    """What the type's search document is made of.

    ``title`` and ``texts`` are multilingual fields ({language: text}). A confidential field among
    them is indexed only for a record that discloses it (``Record.discloses_confidential``): the
    index and its snippets are public. ``terms`` are the type's facets made of vocabulary terms:
    facet -> the many-to-many fields to terms whose codes it holds, in that order. They are read
    as codes, one query per field for a chunk of records, never as term objects. ``facets`` gives
    the type's other facets (the owner's Party, region, groups and the languages are added for
    every type); ``select_related`` and ``prefetch_related`` are what ``facets`` reads, so a batch
    of documents costs a fixed number of queries. ``more_texts`` gives texts the type computes
    from a record's content fields ({language: [text, ...]}: a course's module and lesson
    titles, from its outline).
    """

    title: str = "title"
    texts: tuple[str, ...] = ()
    more_texts: Callable[[Any], Mapping[str, list[str]]] | None = None
    terms: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    facets: Callable[[Any], Mapping[str, list[str]]] | None = None
    select_related: tuple[str, ...] = ()
    prefetch_related: Related = ()


@dataclass(frozen=True)
class MatchFacts:
    """What a record says about what it asks for or offers, as plain data: the matcher's profile
    is made of these (``matching.sources``).

    ``texts`` are multilingual fields, the title first, then the parts of the description; codes
    are vocabulary term codes (targets already as GBF targets: Aichi targets count as the GBF
    targets they map to).
    """

    texts: tuple[Mapping[str, str], ...]
    country: str = ""
    countries_eligible: tuple[str, ...] = ()
    support_types: tuple[str, ...] = ()
    targets: tuple[str, ...] = ()
    subjects: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    provider: str = ""


@dataclass(frozen=True)
class Matched:
    """The type's part in matching: which side it is on, which of its records are current (one
    rule, as a database condition: the per-record check is derived from it), and its facts.

    ``dependents`` names the records whose facts read these records (a request reads its needs'
    terms), so that they follow a change too.
    """

    side: Side
    facts: Callable[[Any], MatchFacts]
    current: Callable[[], Q] = _everything
    select_related: tuple[str, ...] = ()
    prefetch_related: Related = ()
    dependents: Callable[[Collection[str]], Iterable[str]] | None = None


@dataclass(frozen=True)
class Syndicated:
    """An Atom or RSS feed of the type, served at ``/feeds/<name>/``: ``view`` is a Django
    syndication ``Feed`` instance (or any view taking the request)."""

    name: str
    view: Callable[..., Any]


def _no_values(_record: Any) -> Mapping[str, str]:
    return {}


@dataclass(frozen=True)
class Exchanged:
    """The type's import and export (``publishing.exchange``): a workbook with instructions and
    drop-downs, CSV and JSON, all read by the engine of ``clearinghouse.exchange``.

    ``fields`` returns the columns' fields (called when needed, so their labels follow the
    catalogues); each is a content field of the model, or one that ``check`` and ``created``
    handle. ``by`` is the duplicate rule: rows whose title is at least 90 % like that of an
    existing record, or an earlier row, with the same value of this field are likely duplicates
    (empty: no check). ``check`` returns the type's own problems with a row's values ({field:
    message}); ``created`` is called with each draft made and its row's values (in the same
    transaction). ``platform`` names columns the platform writes in exports and never imports
    (code, heading); ``values`` gives a record's cells that are not model fields (the platform's
    columns, and the fields the type handles itself). ``name`` is the import kind
    (``records-<type>`` when empty); ``back`` the URL name and arguments of the page the person
    goes back to; ``max_bytes`` the setting that limits an upload.
    """

    fields: Callable[[], tuple[FieldDefinition, ...]]
    back: tuple[str, tuple[str, ...]]
    by: str = ""
    check: Callable[[Mapping[str, Any]], Mapping[str, str]] | None = None
    created: Callable[[Any, Any, Mapping[str, Any]], None] | None = None
    platform: tuple[tuple[str, Callable[[], str]], ...] = ()
    values: Callable[[Any], Mapping[str, str]] = _no_values
    name: str = ""
    max_bytes: str = "SUPPORT_IMPORT_MAX_BYTES"


Aggregate = Literal["count", "distinct", "sum", "median_days"]


@dataclass(frozen=True)
class Measure:
    """A fact monitoring counts over a period (DHIS2's data element): the rows of ``rows()``
    whose ``date`` falls in the period, aggregated.

    ``aggregate`` is ``count`` (rows), ``distinct`` (distinct values of ``of``: Parties that...),
    ``sum`` (of the amount at ``of``, per currency at ``currency``) or ``median_days`` (median of
    ``date`` minus ``of`` in days). ``dimensions`` are what the values are disaggregated by (ORM
    paths or expressions: region, Party, gender...); ``activities`` is the path to the numbers of
    the plan activities a row serves, for counts of one activity. ``people`` says the rows are
    people: small cells are hidden from the public. ``window_days`` makes the measure a state at
    the period's end: the rows dated in that many days before it (alumni active in the 90
    days before the period ends), whatever the period's length. ``until`` (the path to the day a
    row stopped holding, empty while it holds) also makes it a state at the period's end: the
    rows dated up to the period's end and not yet ended then (Parties with a functional national
    clearing-house mechanism at the end of 2024). ``at_least`` (a path and a
    number) keeps, for ``distinct``, only the values of ``of`` whose rows in the period have at
    least that many distinct values of the path (communities with posts by two members or
    more). Record types get ``<name>.published`` for
    free (``measures()``); other facts are declared with ``register_measure`` by the app that
    owns them, in its ``measures.py`` (loaded from its ``AppConfig.ready()``).
    """

    code: str
    label: Any
    area: str
    rows: Callable[[], QuerySet[Any]]
    date: str
    aggregate: Aggregate = "count"
    of: str = ""
    currency: str = ""
    dimensions: Mapping[str, str | Expression | F] = field(default_factory=dict)
    activities: str = ""
    people: bool = False
    window_days: int = 0
    until: str = ""
    at_least: tuple[str, int] | None = None
    # Rows serving activity n, for facts no single path leads from (a day's views of records
    # of every type): a condition given the activity's number.
    serving: Callable[[int], Q] | None = None

    @property
    def knows_activities(self) -> bool:
        return bool(self.activities) or self.serving is not None

    def for_activity(self, number: int) -> Q:
        if self.activities:
            return Q(**{self.activities: number})
        if self.serving is not None:
            return self.serving(number)
        raise LookupError(f"{self.code} does not know the activities its rows serve")


# Compared and hashed by identity: each type is registered once, and grouping by type is common.
@dataclass(frozen=True, eq=False)
class RecordType:
    """One record type and what it contributes to the shared features. Every part but the model
    is optional: a type without ``matching`` is not matched, one without ``feed`` has none.

    Confidentiality is declared once, on the model: ``CONFIDENTIAL_FIELDS`` (read here only, as
    ``confidential``), ``discloses_confidential()`` and ``SUBJECT_FIELD``. Every output asks
    ``publishing.access.hidden_fields`` which of them a reader may not see. ``dimensions`` are what
    monitoring counts records by: ORM paths or expressions, see ``counts``. ``exchange`` gives
    it import and export as files.
    """

    model: type[Record]
    search: Searched | None = field(default_factory=Searched)
    matching: Matched | None = None
    feed: Syndicated | None = None
    dimensions: Mapping[str, str | Expression | F] = field(default_factory=dict)
    exchange: Exchanged | None = None
    # schema.org: the type a record is described as (JSON-LD on its page, /r/<id>.jsonld), and
    # what the type adds to the description every type gets (publishing.linked_data), given the
    # record and the reader's language.
    schema_type: str = "CreativeWork"
    linked_data: Callable[[Any, str], Mapping[str, Any]] | None = None

    @property
    def code(self) -> str:
        """The type's code in identifiers (CB-NEED-KE-000123)."""
        return self.model.RECORD_TYPE

    @property
    def name(self) -> str:
        """The type's name in search documents and filters (``need``, ``offer``...)."""
        return str(self.model._meta.model_name)

    @property
    def label(self) -> Any:
        return self.model._meta.verbose_name

    @property
    def confidential(self) -> tuple[str, ...]:
        """The fields only the owners, the reviewers, the help desk and the person the record is
        about may see, unless a record discloses them (``publishing.access``)."""
        return self.model.CONFIDENTIAL_FIELDS

    @property
    def side(self) -> Side | None:
        return self.matching.side if self.matching else None

    def url(self, record: Record) -> str:
        """The record's page: the model's ``get_absolute_url``, else the page every type shares."""
        get_url = getattr(record, "get_absolute_url", None)
        return str(get_url()) if get_url else reverse("publishing:detail", args=[record.identifier])

    def live(self) -> QuerySet[Any]:
        return self.model._default_manager.filter(live=True)

    def matchable(self, *, with_facts: bool = True) -> QuerySet[Any]:
        """The type's public, current records, with what their facts read (unless
        ``with_facts`` is false: a page that shows them reads only their own row); none when the
        type is not matched."""
        if self.matching is None:
            return self.model._default_manager.none()
        current = self.live().filter(self.matching.current())
        if not with_facts:
            return current
        return current.select_related(*self.matching.select_related).prefetch_related(
            *self.matching.prefetch_related
        )

    def matchable_identifiers(self, identifiers: Collection[str]) -> set[str]:
        """Which of these identifiers are public and current: the batch form of the same rule."""
        if self.matching is None or not identifiers:
            return set()
        rows = (
            self.live()
            .filter(self.matching.current(), identifier__in=list(identifiers))
            .values_list("identifier", flat=True)
        )
        return set(rows)


# --- registration --------------------------------------------------------------------------------

_TYPES: dict[str, RecordType] = {}


def register(record_type: RecordType) -> RecordType:
    code = record_type.code
    taken = _TYPES.get(code)
    if taken is not None and taken.model is not record_type.model:
        raise ValueError(f"record type code {code} is taken by {taken.model.__name__}")
    if record_type.search is not None:
        unknown = [
            name
            for name in (record_type.search.title, *record_type.search.texts)
            if name not in record_type.model.CONTENT_FIELDS
        ]
        if unknown:
            raise ValueError(f"{record_type.model.__name__} has no content fields {unknown}")
    _TYPES[code] = record_type
    if record_type.exchange is not None:
        from clearinghouse.publishing.exchange import register_import

        register_import(record_type)
    return record_type


def record_types() -> list[RecordType]:
    return list(_TYPES.values())


def on_side(side: Side) -> list[RecordType]:
    """The types matched on this side (``need``: what asks for support; ``support``: what offers it)."""
    return [record_type for record_type in _TYPES.values() if record_type.side == side]


def of(model_or_record: type[Record] | Record) -> RecordType:
    """The registration of a model (or of a record's model)."""
    model = model_or_record if isinstance(model_or_record, type) else type(model_or_record)
    found = _TYPES.get(getattr(model, "RECORD_TYPE", ""))
    if found is None or not issubclass(model, found.model):
        raise LookupError(f"{model.__name__} is not a registered record type")
    return found


def for_identifier(identifier: str) -> RecordType | None:
    """CB-NEED-KE-000123 -> the type registered as NEED."""
    parts = identifier.split("-")
    if len(parts) < 4 or parts[0] != "CB":
        return None
    return _TYPES.get(parts[1])


def model_for_identifier(identifier: str) -> type[Record] | None:
    record_type = for_identifier(identifier)
    return record_type.model if record_type else None


def find(identifier: str) -> Record | None:
    model = model_for_identifier(identifier.upper())
    if model is None:
        return None
    found: Record | None = model._default_manager.filter(identifier=identifier.upper()).first()
    return found


def find_many(identifiers: Iterable[str], *, live: bool = False) -> dict[str, Record]:
    """The records with these identifiers, one query per record type: identifier -> record.
    Unknown identifiers and records that are gone are left out; with ``live``, records not public
    too."""
    found: dict[str, Record] = {}
    wanted = (identifier.upper() for identifier in identifiers if identifier)
    for record_type, codes in by_type(wanted).items():
        rows = record_type.live() if live else record_type.model._default_manager.all()
        found |= {record.identifier: record for record in rows.filter(identifier__in=codes)}
    return found


def by_type(identifiers: Iterable[str]) -> dict[RecordType, list[str]]:
    """Identifiers grouped by their record type (unknown ones left out), in first-seen order."""
    grouped: dict[RecordType, list[str]] = {}
    for identifier in dict.fromkeys(identifiers):
        record_type = for_identifier(identifier)
        if record_type is not None:
            grouped.setdefault(record_type, []).append(identifier)
    return grouped


def syndicated(record_type: RecordType) -> Syndicated:
    """The type's feed: the one it declares, else the feed every type gets from its registration
    (``publishing.feeds.RecordFeed``), named after the type's plural (``needs``)."""
    if record_type.feed is not None:
        return record_type.feed
    from clearinghouse.publishing.feeds import RecordFeed, feed_name

    return Syndicated(feed_name(record_type), RecordFeed(record_type))


def feeds() -> dict[str, tuple[RecordType, Syndicated]]:
    """Every type's feed by name."""
    found = {}
    for record_type in _TYPES.values():
        declared = syndicated(record_type)
        found[declared.name] = (record_type, declared)
    return found


def feed(name: str) -> Syndicated | None:
    found = feeds().get(name)
    return found[1] if found else None


_MEASURES: dict[str, Measure] = {}


def register_measure(measure: Measure) -> Measure:
    taken = _MEASURES.get(measure.code)
    if taken is not None and taken is not measure:
        raise ValueError(f"measure {measure.code} is registered twice")
    _MEASURES[measure.code] = measure
    return measure


def published_measure(record_type: RecordType) -> Measure:
    """Records of the type first published in the period (public ones only), by the type's
    dimensions."""
    return Measure(
        code=f"{record_type.name}.published",
        label=record_type.model._meta.verbose_name_plural,
        area=record_type.model._meta.app_label,
        rows=record_type.live,
        date="first_published_at",
        dimensions=dimensions(record_type),
        activities="plan_activities__number",
    )


def measures() -> dict[str, Measure]:
    """Every measure: each record type's ``<name>.published`` and those apps declared."""
    found = {measure.code: measure for measure in map(published_measure, _TYPES.values())}
    return {**found, **_MEASURES}


# --- facets given by apps above the record types -------------------------------------------------

# identifiers -> {identifier: {facet: [codes]}}; identifiers without facets may be left out.
FacetContributor = Callable[[Sequence[str]], Mapping[str, Mapping[str, list[str]]]]

_FACET_CONTRIBUTORS: dict[str, FacetContributor] = {}


def register_facets(name: str, contribute: FacetContributor) -> None:
    """Let an app above the record types add search facets to records of any type (quality
    adds participants' ratings): ``contribute`` is asked once for a chunk of identifiers, so
    that it reads them all in one query. Registering the same name again replaces it."""
    _FACET_CONTRIBUTORS[name] = contribute


def contributed_facets(identifiers: Sequence[str]) -> dict[str, dict[str, list[str]]]:
    """What every registered contributor gives these records: identifier -> facet -> codes."""
    found: dict[str, dict[str, list[str]]] = {}
    if not identifiers:
        return found
    for contribute in _FACET_CONTRIBUTORS.values():
        for identifier, facets in contribute(identifiers).items():
            found.setdefault(identifier, {}).update({facet: list(codes) for facet, codes in facets.items()})
    return found


# --- what every type shares ----------------------------------------------------------------------

# The owner's Party: the country itself, or the country of the owning organisation.
PARTY = Coalesce("owner_country__code", "owner_organisation__country__code")
REGION = Coalesce("owner_country__region__code", "owner_organisation__country__region__code")
COMMON_DIMENSIONS: Mapping[str, str | Expression | F] = {"party": PARTY, "region": REGION}


def dimensions(record_type: RecordType) -> Mapping[str, str | Expression | F]:
    return {**COMMON_DIMENSIONS, **record_type.dimensions}


def counts(record_type: RecordType, dimension: str) -> dict[str, int]:
    """How many public records of the type there are by one of its dimensions (one query).

    A record counts once under each value it has (a need with two subjects counts under both);
    records with no value count under "".
    """
    path = dimensions(record_type).get(dimension)
    if path is None:
        raise KeyError(f"{record_type.name} has no dimension {dimension!r}")
    expression = F(path) if isinstance(path, str) else path
    rows = (
        record_type.live()
        .annotate(value=expression)
        .values("value")
        .annotate(records=Count("pk", distinct=True))
        .order_by()
    )
    return {str(row["value"] or ""): int(row["records"]) for row in rows}


# --- helpers for declarations --------------------------------------------------------------------


def codes(*related: Any) -> tuple[str, ...]:
    """The codes of vocabulary terms in these many-to-many managers (prefetched rows are used),
    in first-seen order."""
    return tuple(dict.fromkeys(term.code for manager in related for term in manager.all()))


def codes_only(*names: str) -> tuple[Prefetch[Any], ...]:
    """Prefetches of term fields that read the terms' codes only (what facets and facts read):
    the terms' labels are never loaded, which makes up most of the cost of a large batch."""
    from clearinghouse.vocabularies.models import Term

    return tuple(Prefetch(name, queryset=Term.objects.only("code")) for name in names)


def aichi_as_gbf() -> Prefetch[Any]:
    """The prefetch ``gbf_targets`` needs for the GBF targets the Aichi targets map to."""
    from clearinghouse.vocabularies.models import Term

    return Prefetch(
        "aichi_targets",
        queryset=Term.objects.only("code").prefetch_related(*codes_only("maps_to")),
    )


def gbf_targets(record: Any) -> tuple[str, ...]:
    """The record's GBF targets, and the GBF targets its Aichi targets map to (prefetch
    ``gbf_targets`` and ``aichi_as_gbf()``)."""
    found = list(codes(record.gbf_targets))
    if hasattr(record, "aichi_targets"):
        found += [term.code for aichi in record.aichi_targets.all() for term in aichi.maps_to.all()]
    return tuple(dict.fromkeys(found))


def owner_country_code(record: Record) -> str:
    """The owner's country: the Party, or the country of the owning organisation; "" for an
    international organisation (select ``owner_country`` and ``owner_organisation__country``)."""
    if record.owner_country is not None:
        return record.owner_country.code
    organisation = record.owner_organisation
    return organisation.country.code if organisation is not None and organisation.country else ""


OWNER_RELATED = ("owner_country", "owner_organisation__country")
