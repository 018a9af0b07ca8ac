"""A confidential field stays private in every output, for every registered record type.

For each type the registry says has confidential fields (so a new one is covered by itself), a
record is published without consent to disclose them, a word of its own in each confidential
field. Search and matching are brought up to date, then every output the public or an unrelated
signed-in person reaches is read: the record pages in the six languages, the printable view and
the PDF's text, the API's detail and list, the search page and API (hits and snippets), the lists,
the exports in each format, the feeds, the e-mail alerts of a saved search for the word, the
matchmaking pages the other side of a match sees, and the history. None may hold the word. The
record's owners do see it (so that each check can fail), and so does everyone once the record
discloses it, for the types that can.
"""

from __future__ import annotations

import io
import re
import secrets
import string
import zipfile
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.core import mail
from django.db import models
from django.http import QueryDict
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone, translation
from pypdf import PdfReader

import clearinghouse
from clearinghouse.accounts.models import User
from clearinghouse.core.languages import CONTENT_LANGUAGES
from clearinghouse.core.testing import World, invasive_species_need_values
from clearinghouse.matching import index
from clearinghouse.matchmaking import services as matchmaking
from clearinghouse.needs.models import Need
from clearinghouse.publishing import documents, exchange, registry, workflow
from clearinghouse.publishing.models import Record
from clearinghouse.publishing.registry import RecordType
from clearinghouse.search import alerts, saved
from clearinghouse.search.models import Frequency, SavedSearch
from clearinghouse.support import services as support
from clearinghouse.support.models import Offer, SupportRecord
from clearinghouse.support.tests.factories import terms
from clearinghouse.support.tests.samples import sample
from clearinghouse.syndication import oai
from clearinghouse.vocabularies.services import data_files, load_vocabularies

Commit = Callable[..., AbstractContextManager[Any]]
CONFIDENTIAL_TYPES = [record_type for record_type in registry.record_types() if record_type.confidential]
# What records of a type disclose with: the consent field each type asks for, if any.
CONSENT = {"PROV": "contact_public", "EXP": "consent_to_publish"}


@pytest.fixture(autouse=True)
def _setting(tmp_path: Any, db: None) -> Iterator[None]:
    load_vocabularies(data_files())
    with override_settings(
        MATCHING_INDEX_DIR=str(tmp_path / "matching"),
        MATCHING_EMBEDDER="clearinghouse.matching.embedders.HashingEmbedder",
        MEDIA_ROOT=tmp_path / "media",
    ):
        index.forget()
        yield
        index.forget()


def _word() -> str:
    """A word found nowhere else: letters only, so that search reads it as one word."""
    return "zq" + "".join(secrets.choice(string.ascii_lowercase) for _ in range(12))


def _secret(model: type[Record], name: str, word: str, *, as_form: bool) -> Any:
    """``word`` as the value of a confidential field, the way its form or format holds it."""
    field = model._meta.get_field(name)
    rich = name in getattr(model, "RICH_FIELDS", ())
    if isinstance(field, models.EmailField):
        return f"{word}@example.org"
    if isinstance(field, models.JSONField):
        text = f"<p>Worked with <strong>{word}</strong> for years.</p>" if rich else f"Known as {word}."
        return text if as_form else {"en": text}
    if isinstance(field, models.CharField):
        return word
    pytest.fail(f"Teach this test how to fill {model.__name__}.{name}")


def _need_values(world: World, **values: Any) -> dict[str, Any]:
    need = invasive_species_need_values(
        "en",
        "Customs officers able to identify invasive alien species",
        "Border inspectors need identification guides and training.",
        contact_name="Salma Odhiambo",
        contact_email="salma@example.org",
    )
    return need | values


# Publishable content of the types that are not support records (those come from the samples).
SAMPLES: dict[str, Callable[[World], dict[str, Any]]] = {
    "NEED": _need_values,
    "CASE": lambda world: {
        "original_language": "en",
        "title": {"en": "Seagrass restoration in Lamu"},
        "summary": {"en": "Replanting seagrass with fishers."},
        "subjects": terms("SUBJ-MARINE-COASTAL"),
    },
}


@dataclass
class Published:
    record_type: RecordType
    record: Record
    words: dict[str, str]  # confidential field -> its word


def _publish(record_type: RecordType, world: World, commit: Commit, *, disclose: bool = False) -> Published:
    """A record of the type published through its services by Kenya's authorised user, each
    confidential field holding a word of its own; the jobs that follow publication are run."""
    model = record_type.model
    words = {name: _word() for name in record_type.confidential}
    consent = {CONSENT[record_type.code]: True} if disclose else {}
    with commit(execute=True):
        if issubclass(model, SupportRecord):
            cleaned = sample(model, world) | consent
            cleaned |= {name: _secret(model, name, word, as_form=True) for name, word in words.items()}
            made = support.create(
                model, actor=world.authorised_user, owner=world.kenya, language="en", cleaned=cleaned
            )
            support.submit(made, actor=world.authorised_user)
            record: Record = made
        elif record_type.code in SAMPLES:
            values = SAMPLES[record_type.code](world) | consent
            values |= {name: _secret(model, name, word, as_form=False) for name, word in words.items()}
            record = workflow.create(model, actor=world.authorised_user, owner=world.kenya, values=values)
            workflow.submit(record, actor=world.authorised_user)
        else:
            pytest.fail(f"{model.__name__} has confidential fields: give it content in SAMPLES")
        record = workflow.publish(record, actor=world.focal_point)
    return Published(record_type, record, words)


# --- reading the outputs -------------------------------------------------------------------------


def _client(user: User | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _text(content: bytes, content_type: str) -> str:
    """What a person reads in a response: the text of a PDF, the sheets of a workbook."""
    if content_type.startswith("application/pdf"):
        return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(content)).pages)
    if content.startswith(b"PK"):
        with zipfile.ZipFile(io.BytesIO(content)) as workbook:
            return "\n".join(workbook.read(name).decode("utf-8", "replace") for name in workbook.namelist())
    return content.decode("utf-8", "replace")


def _get(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code in {200, 302, 403, 404}, (url, response.status_code)
    return _text(response.content, response.get("Content-Type", ""))


def _api_urls(model: type[Record]) -> list[str]:
    """The API's list of the type's records: the viewsets routed under /api/v1/ whose queryset
    is of this model (found by walking the URLs, so a new type's API is read by itself)."""

    def walk(patterns: list[Any], namespace: str) -> Iterator[tuple[str, Any]]:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = f"{namespace}:{pattern.namespace}" if pattern.namespace else namespace
                yield from walk(pattern.url_patterns, inner)
            elif isinstance(pattern, URLPattern) and pattern.name:
                yield f"{namespace}:{pattern.name}".strip(":"), pattern.callback

    found = []
    for name, callback in walk(get_resolver().url_patterns, ""):
        view = getattr(callback, "cls", None)
        serializer = getattr(view, "serializer_class", None)
        meta = getattr(serializer, "Meta", None)
        if name.startswith("api:") and name.endswith("-list") and getattr(meta, "model", None) is model:
            found.append(reverse(name))
    return found


def _exports(record_type: RecordType, user: User | None) -> list[str]:
    """The type's exports in each format, as ``user`` gets them (the engine every export page
    uses, and the export page itself where the type has one)."""
    if record_type.exchange is None:
        return []
    viewer = user if user is not None else _anonymous()
    texts = [
        _text(
            exchange.export(record_type, record_type.live(), name, viewer, "en"), exchange.CONTENT_TYPES[name]
        )
        for name in exchange.FORMATS
    ]
    slug = getattr(record_type.model, "SLUG", "")
    if slug:
        client = _client(user)
        texts += [
            _get(client, f"{reverse('support:export', args=[slug])}?format={name}")
            for name in exchange.FORMATS
        ]
    return texts


def _anonymous() -> Any:
    from django.contrib.auth.models import AnonymousUser

    return AnonymousUser()


def _pages(published: Published, user: User | None) -> dict[str, str]:
    """Every output of the record a person reaches by a link or a query, by name."""
    record = published.record
    client = _client(user)
    outputs: dict[str, str] = {}
    for language in CONTENT_LANGUAGES:
        with translation.override(language):
            outputs[f"record page ({language})"] = _get(client, documents.page_url(record))
            outputs[f"shared record page ({language})"] = _get(
                client, reverse("publishing:detail", args=[record.identifier])
            )
    with translation.override("en"):
        outputs["printable view"] = _get(client, reverse("publishing:print", args=[record.identifier]))
        outputs["PDF"] = _get(client, reverse("publishing:pdf", args=[record.identifier]))
        outputs["history"] = _get(client, reverse("publishing:history", args=[record.identifier]))
        for url in _api_urls(type(record)):
            outputs[f"API list {url}"] = _get(client, url)
            outputs[f"API detail {url}"] = _get(client, f"{url}{record.identifier}/")
        outputs["API record"] = _get(client, reverse("api:record", args=[record.identifier]))
        # Asked in capitals, which search does not tell apart: the page repeats the question,
        # and only what it found can hold the word as written.
        for word in published.words.values():
            outputs[f"search page for {word}"] = _get(client, f"{reverse('search:index')}?q={word.upper()}")
            outputs[f"search API for {word}"] = _get(client, f"{reverse('api:search')}?q={word.upper()}")
        outputs["search page for the type"] = _get(
            client, f"{reverse('search:index')}?record_type={published.record_type.name}"
        )
        outputs["search API for the type"] = _get(
            client, f"{reverse('api:search')}?record_type={published.record_type.name}"
        )
        slug = getattr(type(record), "SLUG", "")
        if slug:
            outputs["list"] = _get(client, reverse("support:list", args=[slug]))
        outputs["needs list"] = _get(client, reverse("needs:index"))
        # Every type's feed, the search's, its JSON-LD and its Dublin Core (OAI-PMH).
        for name in registry.feeds():
            outputs[f"feed {name}"] = _get(client, reverse("feed", args=[name]))
        outputs["search feed"] = _get(
            client, f"{reverse('search-feed')}?record_type={published.record_type.name}"
        )
        outputs["JSON-LD"] = _get(client, reverse("resolve", args=[f"{record.identifier}.jsonld"]))
        outputs["OAI-PMH record"] = _get(
            client,
            f"{reverse('oai')}?verb=GetRecord&metadataPrefix=oai_dc&identifier=oai:{oai.host()}:{record.identifier}",
        )
        outputs["OAI-PMH list"] = _get(client, f"{reverse('oai')}?verb=ListRecords&metadataPrefix=oai_dc")
        # What national websites embed: every widget, as a frame and as JSON, the search box
        # asked for each word.
        for kind in ("records", "events", "courses"):
            for view in ("widgets:frame", "widgets:data"):
                query = f"count=20&type={published.record_type.name}"
                outputs[f"widget {view} {kind}"] = _get(client, f"{reverse(view, args=[kind])}?{query}")
        for word in published.words.values():
            for view in ("widgets:frame", "widgets:data"):
                outputs[f"search widget {view} for {word}"] = _get(
                    client, f"{reverse(view, args=['search'])}?q={word.upper()}"
                )
    for number, text in enumerate(_exports(published.record_type, user)):
        outputs[f"export {number}"] = text
    return outputs


def _leaks(published: Published, outputs: dict[str, str]) -> list[str]:
    return [
        f"{published.words[name]} ({name}) in the {output}"
        for output, text in outputs.items()
        for name in published.words
        if published.words[name] in text
    ]


def _ids(record_type: RecordType) -> str:
    return record_type.code


def test_every_type_with_confidential_fields_is_checked_here() -> None:
    # The registry is read, not a list: a type with confidential fields is checked by itself.
    assert {"NEED", "OFFER", "PROV", "EXP"} <= {record_type.code for record_type in CONFIDENTIAL_TYPES}


def test_only_the_registry_reads_the_models_declaration() -> None:
    """Outputs ask publishing.access, which reads RecordType.confidential: one that read the
    model's CONFIDENTIAL_FIELDS itself would be one more rule, and miss a record's consent."""
    root = Path(clearinghouse.__file__).parent
    readers = sorted(
        str(path.relative_to(root))
        for path in root.rglob("*.py")
        if "tests" not in path.parts and re.search(r"\.CONFIDENTIAL_FIELDS\b", path.read_text())
    )
    assert readers == ["publishing/registry.py"]


@pytest.mark.parametrize("record_type", CONFIDENTIAL_TYPES, ids=_ids)
def test_no_output_shows_the_public_or_an_unrelated_person_a_confidential_field(
    record_type: RecordType, world: World, django_capture_on_commit_callbacks: Commit
) -> None:
    published = _publish(record_type, world, django_capture_on_commit_callbacks)
    for person in (None, world.outsider):
        assert _leaks(published, _pages(published, person)) == [], person


@pytest.mark.parametrize("record_type", CONFIDENTIAL_TYPES, ids=_ids)
def test_the_owners_do_see_their_confidential_fields(
    record_type: RecordType, world: World, django_capture_on_commit_callbacks: Commit
) -> None:
    """The control: the same reading finds the words where the owners may see them."""
    published = _publish(record_type, world, django_capture_on_commit_callbacks)
    outputs = _pages(published, world.authorised_user)
    for name, word in published.words.items():
        assert word in outputs["record page (en)"], name
        assert word in outputs["record page (ar)"], name
        assert word in outputs["printable view"], name
        assert word in outputs["PDF"].replace("\n", " "), name
        if _api_urls(record_type.model):
            assert any(word in text for output, text in outputs.items() if output.startswith("API detail"))
        if record_type.exchange is not None:
            assert all(word in text for output, text in outputs.items() if output.startswith("export"))


@pytest.mark.parametrize(
    "record_type",
    [record_type for record_type in CONFIDENTIAL_TYPES if record_type.code in CONSENT],
    ids=_ids,
)
def test_a_record_that_discloses_shows_them_to_everyone(
    record_type: RecordType, world: World, django_capture_on_commit_callbacks: Commit
) -> None:
    published = _publish(record_type, world, django_capture_on_commit_callbacks, disclose=True)
    outputs = _pages(published, None)
    for name, word in published.words.items():
        assert word in outputs["record page (fr)"], name
        assert word in outputs["PDF"].replace("\n", " "), name
        assert any(word in text for output, text in outputs.items() if output.startswith("API detail")), name
        # A disclosed field that search reads is found by its word: the search checks can fail.
        if record_type.search is not None and name in record_type.search.texts:
            assert published.record.identifier in outputs[f"search API for {word}"], name
        # A disclosed title (an expert's name) names the record in its JSON-LD and Dublin Core.
        if record_type.search is not None and name == record_type.search.title:
            assert word in outputs["JSON-LD"] and word in outputs["OAI-PMH record"], name


@pytest.mark.parametrize("record_type", CONFIDENTIAL_TYPES, ids=_ids)
def test_a_saved_search_for_the_word_alerts_no_one_to_the_record(
    record_type: RecordType, world: World, django_capture_on_commit_callbacks: Commit
) -> None:
    commit = django_capture_on_commit_callbacks
    searches = []
    words = [_word() for _ in record_type.confidential]
    for word in words:
        search, _created = saved.save_search(
            world.outsider,
            saved.normalise(QueryDict(f"q={word.upper()}")),
            name="Watch",
            frequency=Frequency.DAILY,
        )
        searches.append(search.pk)
    SavedSearch.objects.filter(pk__in=searches).update(
        created_at=timezone.now() - timedelta(days=30), checked_through=timezone.now() - timedelta(days=1)
    )
    mail.outbox.clear()
    published = _publish(record_type, world, commit)
    # The words the saved searches watch are those the record holds.
    published.words = dict(zip(published.words, words, strict=True))
    record = published.record
    with commit(execute=True):
        for name, word in published.words.items():
            value = _secret(type(record), name, word, as_form=False)
            workflow.save_draft(record, actor=world.authorised_user, values={name: value}, base_revision=None)
        workflow.submit(record, actor=world.authorised_user)
        workflow.publish(record, actor=world.focal_point)
    alerts.send_digests(Frequency.DAILY, timezone.now())
    unrelated = [message for message in mail.outbox if world.outsider.email in message.to]
    assert not [message for message in unrelated if record.identifier in message.body]
    bodies = {
        f"e-mail {number}": message.body
        + "".join(str(part[0]) for part in getattr(message, "alternatives", []))
        for number, message in enumerate(unrelated)
    }
    assert _leaks(published, bodies) == []


@pytest.mark.parametrize(
    "record_type", [record_type for record_type in CONFIDENTIAL_TYPES if record_type.side], ids=_ids
)
def test_the_other_side_of_a_match_does_not_see_them(
    record_type: RecordType, world: World, django_capture_on_commit_callbacks: Commit
) -> None:
    """Suggestions, their explanations, the match page and its e-mails: what the other side
    of a match reads about this record, before any consent to share."""
    commit = django_capture_on_commit_callbacks
    published = _publish(record_type, world, commit)
    # The other side's record asks or offers in the words (in capitals, as the other side's own
    # text shows them): what the two have in common is where the explanations look.
    words = " ".join(published.words.values()).upper()
    mail.outbox.clear()
    need: Any
    with commit(execute=True):
        if record_type.side == "need":
            # Nature Kenya offers support in the need's words; its partner editor acts for it.
            other_side = world.partner_editor
            cleaned = sample(Offer, world) | {"description": f"Training on {words}."}
            offer = support.create(
                Offer, actor=other_side, owner=world.kenyan_ngo, language="en", cleaned=cleaned
            )
            support.submit(offer, actor=other_side)
            counterpart: Record = workflow.publish(offer, actor=world.focal_point)
            need, support_record = published.record, counterpart
        else:
            # Tanzania asks for support in the record's words; its focal point acts for it.
            other_side = world.other_focal_point
            values = _need_values(world, description={"en": f"Support on {words}."})
            counterpart = workflow.create(Need, actor=other_side, owner=world.tanzania, values=values)
            workflow.submit(counterpart, actor=None)
            counterpart = workflow.publish(counterpart, actor=other_side)
            need, support_record = counterpart, published.record
    with commit(execute=True):
        case = matchmaking.send_to_matchmaking(
            matchmaking.open_case(need, actor=world.helpdesk_agent), actor=world.helpdesk_agent
        )
        match = matchmaking.shortlist(case, support_record, actor=world.helpdesk_agent)
        match = matchmaking.propose(match, actor=world.helpdesk_agent, message="A good fit.")
    client = _client(other_side)
    outputs = {
        "suggestions": _get(client, reverse("matchmaking:record", args=[counterpart.identifier])),
        "record's matches": _get(client, reverse("matchmaking:record", args=[published.record.identifier])),
        "match page": _get(client, reverse("matchmaking:match", args=[match.pk])),
        "my matches": _get(client, reverse("matchmaking:mine")),
        "matches API": _get(client, "/api/v1/matches/"),
    }
    # The record is among the other side's suggestions, explained: they were read, not skipped.
    assert published.record.identifier in outputs["suggestions"]
    outputs |= {
        f"e-mail {number}": str(message.body)
        for number, message in enumerate(mail.outbox)
        if other_side.email in message.to
    }
    assert _leaks(published, outputs) == []
