"""An OAI-PMH 2.0 repository of the public records of every registered type, in Dublin Core
(``oai_dc``), for libraries and information systems that harvest
(https://www.openarchives.org/OAI/openarchivesprotocol.html).

- **Items**: every record ever published. A public record's datestamp is its last publication;
  a record archived since is reported with ``status="deleted"``, dated when it was archived.
  Records are never removed from the database by the workflow, but the repository makes no
  promise about rows removed by other means: ``deletedRecord`` is ``transient``.
- **Identifiers**: ``oai:<host of SITE_URL>:<record identifier>``; the metadata also gives the
  record's stable public address (``/r/<identifier>``).
- **Sets**: one per record type, from the registry (``need``, ``event``...), and one per UN
  regional group of the owner's Party (``region:africa``...), across types.
- **Paging**: ``PAGE_SIZE`` records per answer, ordered by type then row; the resumption token
  is stateless, signed, and holds the query, the position reached (type and last row) and the
  list's size.

Every answer is built with lxml; what records say is cleaned of characters XML cannot carry.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core import signing
from django.db.models import Case, F, Min, Q, QuerySet, When
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import slugify
from lxml import etree  # type: ignore[import-untyped]  # lxml ships no annotations

from clearinghouse.core.mail import site_name, site_url
from clearinghouse.geo.models import RegionalGroup
from clearinghouse.publishing import public, registry
from clearinghouse.publishing.models import Record

PAGE_SIZE = 100
OAI = "http://www.openarchives.org/OAI/2.0/"
OAI_DC = "http://www.openarchives.org/OAI/2.0/oai_dc/"
DC = "http://purl.org/dc/elements/1.1/"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
METADATA_FORMATS = {
    "oai_dc": ("http://www.openarchives.org/OAI/2.0/oai_dc.xsd", OAI_DC),
}
GRANULARITY = "YYYY-MM-DDThh:mm:ssZ"
TOKEN_SALT = "clearinghouse.syndication.oai"  # noqa: S105  # nosec B105  # a signing namespace, not a secret
# Characters XML 1.0 cannot hold (a control character pasted into a text).
NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")

ARGUMENTS: Mapping[str, tuple[set[str], set[str]]] = {
    # verb: (required, optional); resumptionToken is exclusive where it is allowed.
    "Identify": (set(), set()),
    "ListMetadataFormats": (set(), {"identifier"}),
    "ListSets": (set(), {"resumptionToken"}),
    "GetRecord": ({"identifier", "metadataPrefix"}, set()),
    "ListIdentifiers": ({"metadataPrefix"}, {"from", "until", "set", "resumptionToken"}),
    "ListRecords": ({"metadataPrefix"}, {"from", "until", "set", "resumptionToken"}),
}


class OaiError(Exception):
    """An OAI-PMH error condition: its code and a message for the harvester's log."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class Harvest:
    """A list request: the format, the selective-harvest arguments, and where the list stands."""

    prefix: str
    set_spec: str = ""
    start: datetime | None = None  # inclusive
    end: datetime | None = None  # exclusive
    type_code: str = ""  # the type the next page starts in ("" = the first)
    after: int = 0  # the last row given of that type
    cursor: int = 0
    size: int | None = None  # completeListSize, counted on the first page


# --- what a record is in the repository ----------------------------------------------------------


def host() -> str:
    return urlsplit(settings.SITE_URL).hostname or "localhost"


def oai_identifier(record: Record) -> str:
    return f"oai:{host()}:{record.identifier}"


# The owner's UN regional group: the Party's, or that of the owning organisation's country.
REGIONAL_GROUP = Coalesce("owner_country__regional_group", "owner_organisation__country__regional_group")
REGION_SETS = {f"region:{slugify(value)}": value for value in RegionalGroup.values}


def _published_ever() -> Q:
    return Q(live=True) | Q(live=False, first_published_at__isnull=False)


def _datestamp() -> Case:
    return Case(
        When(live=True, then=F("last_published_at")),
        default=Coalesce(F("archived_at"), F("updated_at")),
    )


def items(record_type: registry.RecordType) -> QuerySet[Any]:
    """The type's items: every record ever published, with its datestamp and regional group."""
    return (
        record_type.model._default_manager.filter(_published_ever())
        .annotate(datestamp=_datestamp(), regional_group=REGIONAL_GROUP)
        .order_by("pk")
    )


def _stamp(moment: datetime | None) -> str:
    moment = moment or timezone.now()
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _clean(text: str) -> str:
    return NOT_XML.sub("", text).strip()


# --- arguments -----------------------------------------------------------------------------------


def _moment(value: str, *, end: bool) -> tuple[datetime, str]:
    """A from/until argument as a moment in UTC (the bound's start, or for ``until`` the moment
    after it), and its granularity."""
    for pattern, granularity, step in (
        ("%Y-%m-%dT%H:%M:%SZ", "seconds", timedelta(seconds=1)),
        ("%Y-%m-%d", "day", timedelta(days=1)),
    ):
        try:
            parsed = datetime.strptime(value, pattern).replace(tzinfo=UTC)
        except ValueError:
            continue
        if end:
            # Until the last day of year 9999: no bound at all.
            parsed = parsed + step if parsed < datetime.max.replace(tzinfo=UTC) - step else parsed
        return parsed, granularity
    raise OaiError(
        "badArgument", f"{value!r} is not a UTC datestamp of the form YYYY-MM-DD or {GRANULARITY}."
    )


def check_arguments(arguments: Mapping[str, list[str]]) -> tuple[str, dict[str, str]]:
    """The verb and its arguments, each given once; an OaiError otherwise."""
    verbs = arguments.get("verb", [])
    if len(verbs) != 1 or verbs[0] not in ARGUMENTS:
        raise OaiError("badVerb", "The verb is missing, repeated or not one of OAI-PMH's six.")
    verb = verbs[0]
    given = {name: values for name, values in arguments.items() if name != "verb"}
    repeated = sorted(name for name, values in given.items() if len(values) != 1)
    if repeated:
        raise OaiError("badArgument", f"Arguments given more than once: {', '.join(repeated)}.")
    values = {name: found[0] for name, found in given.items()}
    required, optional = ARGUMENTS[verb]
    unknown = sorted(set(values) - required - optional)
    if unknown:
        raise OaiError("badArgument", f"{verb} takes no argument {', '.join(unknown)}.")
    if "resumptionToken" in values:
        if len(values) > 1:
            raise OaiError("badArgument", "resumptionToken is an exclusive argument.")
        return verb, values
    missing = sorted(required - set(values))
    if missing:
        raise OaiError("badArgument", f"{verb} needs {', '.join(missing)}.")
    return verb, values


def _harvest(values: Mapping[str, str]) -> Harvest:
    if "resumptionToken" in values:
        return read_token(values["resumptionToken"])
    prefix = values["metadataPrefix"]
    if prefix not in METADATA_FORMATS:
        raise OaiError("cannotDisseminateFormat", f"The repository gives no {prefix!r}; it gives oai_dc.")
    start = end = None
    granularities = set()
    if "from" in values:
        start, granularity = _moment(values["from"], end=False)
        granularities.add(granularity)
    if "until" in values:
        end, granularity = _moment(values["until"], end=True)
        granularities.add(granularity)
    if len(granularities) > 1:
        raise OaiError("badArgument", "from and until must have the same granularity.")
    if start is not None and end is not None and start >= end:
        raise OaiError("badArgument", "from is later than until.")
    set_spec = values.get("set", "")
    if set_spec and not registry.record_types():
        raise OaiError("noSetHierarchy", "The repository has no sets.")
    return Harvest(prefix=prefix, set_spec=set_spec, start=start, end=end)


def make_token(harvest: Harvest) -> str:
    data = {
        "m": harvest.prefix,
        "s": harvest.set_spec,
        "f": harvest.start.isoformat() if harvest.start else "",
        "u": harvest.end.isoformat() if harvest.end else "",
        "t": harvest.type_code,
        "a": harvest.after,
        "c": harvest.cursor,
        "n": harvest.size,
    }
    return signing.dumps(data, salt=TOKEN_SALT, compress=True)


def read_token(token: str) -> Harvest:
    try:
        data = signing.loads(token, salt=TOKEN_SALT)
        return Harvest(
            prefix=str(data["m"]),
            set_spec=str(data["s"]),
            start=datetime.fromisoformat(data["f"]) if data["f"] else None,
            end=datetime.fromisoformat(data["u"]) if data["u"] else None,
            type_code=str(data["t"]),
            after=int(data["a"]),
            cursor=int(data["c"]),
            size=None if data["n"] is None else int(data["n"]),
        )
    except (signing.BadSignature, KeyError, TypeError, ValueError) as error:
        raise OaiError("badResumptionToken", "The resumption token is invalid or was altered.") from error


# --- the list ------------------------------------------------------------------------------------


def _types(harvest: Harvest) -> list[registry.RecordType]:
    found = registry.record_types()
    if harvest.set_spec and harvest.set_spec not in REGION_SETS:
        found = [record_type for record_type in found if record_type.name == harvest.set_spec]
    return found


def _selected(record_type: registry.RecordType, harvest: Harvest) -> QuerySet[Any]:
    rows = items(record_type)
    if harvest.set_spec in REGION_SETS:
        rows = rows.filter(regional_group=REGION_SETS[harvest.set_spec])
    if harvest.start is not None:
        rows = rows.filter(datestamp__gte=harvest.start)
    if harvest.end is not None:
        rows = rows.filter(datestamp__lt=harvest.end)
    return rows


def page(harvest: Harvest, *, with_metadata: bool) -> tuple[list[Record], Harvest | None, int]:
    """The next page of the list: its records, the harvest that continues it (None at the end),
    and the list's size. A fixed number of queries per record type the page reaches."""
    types = _types(harvest)
    size = harvest.size
    if size is None:
        size = sum(_selected(record_type, harvest).count() for record_type in types)
    codes = [record_type.code for record_type in types]
    first = codes.index(harvest.type_code) if harvest.type_code in codes else 0
    found: list[Record] = []
    position: tuple[str, int] | None = None
    for record_type in types[first:]:
        rows = _selected(record_type, harvest)
        if record_type.code == harvest.type_code:
            rows = rows.filter(pk__gt=harvest.after)
        if with_metadata:
            rows = public.rows(record_type, rows)
        wanted = PAGE_SIZE - len(found)
        batch = list(rows[: wanted + 1])
        found += batch[:wanted]
        if len(batch) > wanted:
            position = (record_type.code, found[-1].pk)
            break
        if len(found) == PAGE_SIZE:
            position = (record_type.code, found[-1].pk)
            # The next type may hold nothing that matches: then this page ends the list.
            later = types[types.index(record_type) + 1 :]
            if not any(_selected(other, harvest).exists() for other in later):
                position = None
            break
    if position is None:
        return found, None, size
    following = replace(
        harvest, type_code=position[0], after=position[1], cursor=harvest.cursor + len(found), size=size
    )
    return found, following, size


# --- the answer ----------------------------------------------------------------------------------


def _element(parent: etree._Element, tag: str, text: str = "", **attributes: str) -> etree._Element:
    child = etree.SubElement(parent, tag, {name: value for name, value in attributes.items() if value})
    if text:
        child.text = _clean(text)
    return child


def _header(parent: etree._Element, record: Record) -> None:
    record_type = registry.of(record)
    header = _element(parent, f"{{{OAI}}}header", status="" if record.live else "deleted")
    _element(header, f"{{{OAI}}}identifier", oai_identifier(record))
    _element(header, f"{{{OAI}}}datestamp", _stamp(record.datestamp))  # type: ignore[attr-defined]
    _element(header, f"{{{OAI}}}setSpec", record_type.name)
    group = getattr(record, "regional_group", "")
    if group:
        _element(header, f"{{{OAI}}}setSpec", f"region:{slugify(group)}")


def _dublin_core(parent: etree._Element, record: Record) -> None:
    """The record in unqualified Dublin Core: texts in every language it has (xml:lang), its
    addresses, date, type, terms, country, language and publisher."""
    record_type = registry.of(record)
    dc = etree.SubElement(
        parent,
        f"{{{OAI_DC}}}dc",
        {f"{{{XSI}}}schemaLocation": f"{OAI_DC} {METADATA_FORMATS['oai_dc'][0]}"},
        nsmap={"oai_dc": OAI_DC, "dc": DC, "xsi": XSI},
    )
    titles = public.titles(record) or {record.original_language: record.identifier}
    for language, text in titles.items():
        _element(dc, f"{{{DC}}}title", text, **{XML_LANG: language})
    for language, text in public.summaries(record).items():
        _element(dc, f"{{{DC}}}description", text, **{XML_LANG: language})
    _element(dc, f"{{{DC}}}identifier", site_url(reverse("resolve", args=[record.identifier])))
    _element(dc, f"{{{DC}}}identifier", oai_identifier(record))
    if record.first_published_at:
        _element(dc, f"{{{DC}}}date", record.first_published_at.astimezone(UTC).date().isoformat())
    with translation.override("en"):
        _element(dc, f"{{{DC}}}type", str(record_type.label))
        for term in public.terms(record):
            for language, label in term.labels.items():
                if isinstance(label, str) and label:
                    _element(dc, f"{{{DC}}}subject", label, **{XML_LANG: language})
        country = public.country(record)
        if country is not None:
            _element(dc, f"{{{DC}}}coverage", country.name("en"))
            _element(dc, f"{{{DC}}}coverage", country.code)
        _element(dc, f"{{{DC}}}language", record.original_language)
        publisher = public.owner_name(record, "en")
        if publisher:
            _element(dc, f"{{{DC}}}publisher", publisher)


def _record(parent: etree._Element, record: Record) -> None:
    element = _element(parent, f"{{{OAI}}}record")
    _header(element, record)
    if record.live:
        _dublin_core(_element(element, f"{{{OAI}}}metadata"), record)


def _token(parent: etree._Element, following: Harvest | None, harvest: Harvest, size: int) -> None:
    if following is None and harvest.cursor == 0:
        return  # a list given whole carries no token
    _element(
        parent,
        f"{{{OAI}}}resumptionToken",
        make_token(following) if following is not None else "",
        completeListSize=str(size),
        cursor=str(harvest.cursor),
    )


def _earliest() -> datetime | None:
    """The earliest datestamp of any item, deleted ones included (one query per type)."""
    found = [
        stamp
        for record_type in registry.record_types()
        if (stamp := items(record_type).order_by().aggregate(first=Min("datestamp"))["first"]) is not None
    ]
    return min(found) if found else None


def _find(identifier: str) -> Record:
    prefix = f"oai:{host()}:"
    if identifier.startswith(prefix):
        record_type = registry.for_identifier(identifier.removeprefix(prefix))
        if record_type is not None:
            rows = public.rows(record_type, items(record_type))
            found = rows.filter(identifier=identifier.removeprefix(prefix)).first()
            if found is not None:
                return found  # type: ignore[no-any-return]
    raise OaiError("idDoesNotExist", f"The repository holds no item {identifier!r}.")


def _answer(verb: str, values: Mapping[str, str], base_url: str, body: etree._Element) -> None:
    if verb == "Identify":
        identify = _element(body, f"{{{OAI}}}Identify")
        _element(identify, f"{{{OAI}}}repositoryName", site_name())
        _element(identify, f"{{{OAI}}}baseURL", base_url)
        _element(identify, f"{{{OAI}}}protocolVersion", "2.0")
        _element(identify, f"{{{OAI}}}adminEmail", settings.CONTACT_EMAIL)
        _element(
            identify, f"{{{OAI}}}earliestDatestamp", _stamp(_earliest() or datetime(2000, 1, 1, tzinfo=UTC))
        )
        _element(identify, f"{{{OAI}}}deletedRecord", "transient")
        _element(identify, f"{{{OAI}}}granularity", GRANULARITY)
        description = _element(identify, f"{{{OAI}}}description")
        ns = "http://www.openarchives.org/OAI/2.0/oai-identifier"
        oai_id = etree.SubElement(
            description,
            f"{{{ns}}}oai-identifier",
            {f"{{{XSI}}}schemaLocation": f"{ns} http://www.openarchives.org/OAI/2.0/oai-identifier.xsd"},
            nsmap={None: ns, "xsi": XSI},
        )
        _element(oai_id, f"{{{ns}}}scheme", "oai")
        _element(oai_id, f"{{{ns}}}repositoryIdentifier", host())
        _element(oai_id, f"{{{ns}}}delimiter", ":")
        _element(oai_id, f"{{{ns}}}sampleIdentifier", f"oai:{host()}:CB-NEED-KE-000001")
    elif verb == "ListMetadataFormats":
        if "identifier" in values:
            _find(values["identifier"])
        formats = _element(body, f"{{{OAI}}}ListMetadataFormats")
        for prefix, (schema, namespace) in METADATA_FORMATS.items():
            described = _element(formats, f"{{{OAI}}}metadataFormat")
            _element(described, f"{{{OAI}}}metadataPrefix", prefix)
            _element(described, f"{{{OAI}}}schema", schema)
            _element(described, f"{{{OAI}}}metadataNamespace", namespace)
    elif verb == "ListSets":
        if "resumptionToken" in values:
            raise OaiError("badResumptionToken", "The list of sets is given whole; it takes no token.")
        types = registry.record_types()
        if not types:
            raise OaiError("noSetHierarchy", "The repository has no sets.")
        sets = _element(body, f"{{{OAI}}}ListSets")
        with translation.override("en"):
            for record_type in types:
                described = _element(sets, f"{{{OAI}}}set")
                _element(described, f"{{{OAI}}}setSpec", record_type.name)
                _element(described, f"{{{OAI}}}setName", str(record_type.model._meta.verbose_name_plural))
            for spec, value in REGION_SETS.items():
                described = _element(sets, f"{{{OAI}}}set")
                _element(described, f"{{{OAI}}}setSpec", spec)
                _element(described, f"{{{OAI}}}setName", str(RegionalGroup(value).label))
    elif verb == "GetRecord":
        if values["metadataPrefix"] not in METADATA_FORMATS:
            raise OaiError(
                "cannotDisseminateFormat", f"The repository gives no {values['metadataPrefix']!r}."
            )
        _record(_element(body, f"{{{OAI}}}GetRecord"), _find(values["identifier"]))
    else:
        harvest = _harvest(values)
        with_metadata = verb == "ListRecords"
        found, following, size = page(harvest, with_metadata=with_metadata)
        if not found:
            raise OaiError("noRecordsMatch", "No record matches these arguments.")
        listed = _element(body, f"{{{OAI}}}{verb}")
        for record in found:
            if with_metadata:
                _record(listed, record)
            else:
                _header(listed, record)
        _token(listed, following, harvest, size)


def respond(arguments: Mapping[str, list[str]], base_url: str) -> bytes:
    """The OAI-PMH answer to a request's arguments, as an XML document."""
    root = etree.Element(
        f"{{{OAI}}}OAI-PMH",
        {f"{{{XSI}}}schemaLocation": f"{OAI} http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd"},
        nsmap={None: OAI, "xsi": XSI},
    )
    _element(root, f"{{{OAI}}}responseDate", _stamp(None))
    request = _element(root, f"{{{OAI}}}request")
    request.text = base_url
    try:
        verb, values = check_arguments(arguments)
        # The request's arguments are echoed only when they are valid (OAI-PMH 3.2).
        for name, value in {"verb": verb, **values}.items():
            request.set(name, _clean(value))
        body = etree.Element("answer")
        _answer(verb, values, base_url, body)
    except OaiError as error:
        if error.code in {"badVerb", "badArgument"}:
            request.attrib.clear()
        _element(root, f"{{{OAI}}}error", error.message, code=error.code)
    else:
        root.extend(list(body))
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8"))
