"""OAI-PMH at /oai: harvested by a real harvester (oaipmh-scythe) over HTTP from the live
server, across resumption pages, with sets, selective harvesting and deleted records; every
error condition answered with its code."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from lxml import etree
from oaipmh_scythe import Scythe
from oaipmh_scythe.exceptions import IdDoesNotExist, NoRecordsMatch

from clearinghouse.publishing import registry
from clearinghouse.syndication import oai
from clearinghouse.syndication.tests.conftest import Needs

NS = {"o": oai.OAI, "dc": oai.DC, "oai_dc": oai.OAI_DC}


def identifier(record: Any) -> str:
    return f"oai:{oai.host()}:{record.identifier}"


@pytest.fixture
def scythe(live_server: Any) -> Any:
    with Scythe(f"{live_server.url}/oai") as harvester:
        yield harvester


@pytest.fixture
def small_pages(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Two records a page; the answers given, counted."""
    monkeypatch.setattr(oai, "PAGE_SIZE", 2)
    answers: list[int] = []
    respond = oai.respond

    def counted(arguments: Any, base_url: str) -> bytes:
        answers.append(1)
        return respond(arguments, base_url)

    monkeypatch.setattr(oai, "respond", counted)
    return answers


@pytest.mark.django_db(transaction=True)
def test_a_harvester_lists_every_record_ever_published_across_resumption_pages(
    needs: Needs, scythe: Any, small_pages: list[int]
) -> None:
    records = list(scythe.list_records(metadata_prefix="oai_dc"))

    assert len(small_pages) == 2  # four items, two a page
    by_id = {record.header.identifier: record for record in records}
    assert set(by_id) == {
        identifier(needs.reefs),
        identifier(needs.mangroves),
        identifier(needs.wetlands),
        identifier(needs.archived),
    }
    assert by_id[identifier(needs.archived)].deleted
    reefs = by_id[identifier(needs.reefs)].metadata
    assert set(reefs["title"]) == {
        "Training in coral reef monitoring",
        "Formation au suivi des récifs coralliens",
    }
    assert any(text.startswith("Rangers of the marine parks") for text in reefs["description"])
    assert f"http://127.0.0.1:8000/r/{needs.reefs.identifier}" in reefs["identifier"]
    assert identifier(needs.reefs) in reefs["identifier"]
    assert reefs["coverage"] == ["Kenya", "KE"]
    assert reefs["publisher"] == ["Kenya"]
    assert reefs["language"] == ["en"]
    assert reefs["type"] == ["need"]
    assert "Marine and coastal biodiversity" in reefs["subject"]
    assert reefs["date"] == [timezone.now().date().isoformat()]
    # The contact person, confidential, is in no field.
    assert not any("Salma" in str(value) or "salma@" in str(value) for value in reefs.values())
    wetlands = by_id[identifier(needs.wetlands)].metadata
    assert wetlands["title"] == ["رصد الأراضي الرطبة"]
    assert wetlands["publisher"] == ["United Republic of Tanzania"] or wetlands["publisher"][0].endswith(
        "Tanzania"
    )

    live_only = list(scythe.list_records(metadata_prefix="oai_dc", ignore_deleted=True))
    assert identifier(needs.archived) not in {record.header.identifier for record in live_only}


@pytest.mark.django_db(transaction=True)
def test_get_record_list_sets_and_identifiers_by_date_and_set(needs: Needs, scythe: Any) -> None:
    record = scythe.get_record(identifier=identifier(needs.wetlands))
    assert record.metadata["title"] == ["رصد الأراضي الرطبة"]
    deleted = scythe.get_record(identifier=identifier(needs.archived))
    assert deleted.deleted
    with pytest.raises(IdDoesNotExist):
        scythe.get_record(identifier=identifier(needs.draft))

    sets = {found.setSpec: found.setName for found in scythe.list_sets()}
    types = {
        record_type.name: str(record_type.model._meta.verbose_name_plural)
        for record_type in registry.record_types()
    }
    assert types.items() <= sets.items()
    assert sets["need"] == "needs" and sets["region:africa"] == "Africa"
    assert len(sets) == len(types) + 5
    africa = {header.identifier for header in scythe.list_identifiers(set_="region:africa")}
    assert identifier(needs.reefs) in africa and identifier(needs.wetlands) in africa
    with pytest.raises(NoRecordsMatch):
        list(scythe.list_identifiers(set_="region:western-europe-and-others"))
    assert "region:africa" in scythe.get_record(identifier=identifier(needs.reefs)).header.setSpecs

    today = timezone.now().date().isoformat()
    headers = list(scythe.list_identifiers(metadata_prefix="oai_dc", from_=today, until=today, set_="need"))
    assert len(headers) == 4
    with pytest.raises(NoRecordsMatch):
        list(scythe.list_identifiers(metadata_prefix="oai_dc", until="2001-01-01"))
    with pytest.raises(NoRecordsMatch):
        list(scythe.list_identifiers(metadata_prefix="oai_dc", set_="event"))
    identify = scythe.identify()
    first = min(record.last_published_at for record in (needs.reefs, needs.mangroves, needs.wetlands))
    assert identify.earliestDatestamp == oai._stamp(min(first, needs.archived.archived_at))
    assert identify.granularity == "YYYY-MM-DDThh:mm:ssZ"
    assert identify.deletedRecord == "transient"


def error_code(client: Client, **arguments: Any) -> str:
    answer = client.get("/oai", arguments)
    assert answer.status_code == 200
    assert answer["Content-Type"] == "text/xml; charset=utf-8"
    root = etree.fromstring(answer.content)
    errors = root.findall("o:error", NS)
    return errors[0].get("code") if errors else ""


@pytest.mark.django_db
def test_every_error_condition_has_its_code(needs: Needs, client: Client) -> None:
    assert error_code(client) == "badVerb"
    assert error_code(client, verb="Harvest") == "badVerb"
    assert error_code(client, verb=["Identify", "Identify"]) == "badVerb"
    assert error_code(client, verb="Identify", metadataPrefix="oai_dc") == "badArgument"
    assert error_code(client, verb="ListRecords") == "badArgument"
    assert (
        error_code(client, verb="ListRecords", metadataPrefix="oai_dc", set=["need", "event"])
        == "badArgument"
    )
    assert (
        error_code(client, verb="ListRecords", metadataPrefix="oai_dc", **{"from": "yesterday"})
        == "badArgument"
    )
    assert (
        error_code(
            client,
            verb="ListRecords",
            metadataPrefix="oai_dc",
            **{"from": "2026-01-01", "until": "2026-02-01T00:00:00Z"},
        )
        == "badArgument"
    )
    assert (
        error_code(
            client,
            verb="ListRecords",
            metadataPrefix="oai_dc",
            **{"from": "2026-02-01", "until": "2026-01-01"},
        )
        == "badArgument"
    )
    assert error_code(client, verb="ListRecords", resumptionToken="forged") == "badResumptionToken"
    assert (
        error_code(client, verb="ListRecords", resumptionToken="x", metadataPrefix="oai_dc") == "badArgument"
    )
    assert error_code(client, verb="ListSets", resumptionToken="x") == "badResumptionToken"
    assert error_code(client, verb="ListRecords", metadataPrefix="marc21") == "cannotDisseminateFormat"
    assert (
        error_code(client, verb="GetRecord", metadataPrefix="marc21", identifier=identifier(needs.reefs))
        == "cannotDisseminateFormat"
    )
    assert (
        error_code(
            client, verb="GetRecord", metadataPrefix="oai_dc", identifier="oai:elsewhere:CB-NEED-KE-000001"
        )
        == "idDoesNotExist"
    )
    assert error_code(client, verb="ListMetadataFormats", identifier="oai:nowhere:1") == "idDoesNotExist"
    assert (
        error_code(client, verb="ListRecords", metadataPrefix="oai_dc", until="2001-01-01")
        == "noRecordsMatch"
    )
    assert (
        error_code(client, verb="ListRecords", metadataPrefix="oai_dc", set="no-such-set") == "noRecordsMatch"
    )
    assert error_code(client, verb="ListMetadataFormats", identifier=identifier(needs.reefs)) == ""
    assert error_code(client, verb="Identify") == ""


@pytest.mark.django_db
def test_a_bad_request_echoes_no_arguments_and_a_good_one_echoes_them(needs: Needs, client: Client) -> None:
    bad = etree.fromstring(client.get("/oai", {"verb": "Nonsense", "x": "<y>"}).content)
    assert bad.find("o:request", NS).attrib == {}
    good = etree.fromstring(
        client.get(
            "/oai", {"verb": "GetRecord", "metadataPrefix": "oai_dc", "identifier": identifier(needs.reefs)}
        ).content
    )
    assert good.find("o:request", NS).attrib == {
        "verb": "GetRecord",
        "metadataPrefix": "oai_dc",
        "identifier": identifier(needs.reefs),
    }


@pytest.mark.django_db
def test_a_harvester_may_post_its_arguments(needs: Needs, client: Client) -> None:
    answer = client.post("/oai", {"verb": "ListIdentifiers", "metadataPrefix": "oai_dc"})
    root = etree.fromstring(answer.content)
    assert len(root.findall("o:ListIdentifiers/o:header", NS)) == 4


@pytest.mark.django_db
def test_the_resumption_token_carries_the_query_and_the_list_size(
    needs: Needs, client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(oai, "PAGE_SIZE", 3)
    first = etree.fromstring(
        client.get("/oai", {"verb": "ListIdentifiers", "metadataPrefix": "oai_dc"}).content
    )
    token = first.find("o:ListIdentifiers/o:resumptionToken", NS)
    assert token.get("completeListSize") == "4" and token.get("cursor") == "0" and token.text
    second = etree.fromstring(
        client.get("/oai", {"verb": "ListIdentifiers", "resumptionToken": token.text}).content
    )
    last = second.find("o:ListIdentifiers/o:resumptionToken", NS)
    assert last.get("cursor") == "3" and not last.text
    listed = [
        element.text
        for answer in (first, second)
        for element in answer.findall("o:ListIdentifiers/o:header/o:identifier", NS)
    ]
    assert len(listed) == len(set(listed)) == 4


@pytest.mark.django_db
def test_a_list_page_costs_a_fixed_number_of_queries(
    needs: Needs, client: Client, django_assert_max_num_queries: Any
) -> None:
    # Counts of every type, then for each type a page query and its terms' prefetches.
    with django_assert_max_num_queries(4 * len(registry.record_types()) + 10):
        client.get("/oai", {"verb": "ListRecords", "metadataPrefix": "oai_dc"})


@pytest.mark.django_db
def test_an_unchanged_answer_is_not_sent_again(needs: Needs, client: Client) -> None:
    arguments = {"verb": "ListRecords", "metadataPrefix": "oai_dc"}
    first = client.get("/oai", arguments)
    assert first.status_code == 200 and first["ETag"]
    again = client.get("/oai", arguments, headers={"if-none-match": first["ETag"]})
    assert again.status_code == 304


@pytest.mark.django_db
def test_hostile_arguments_get_an_error_code_not_a_server_error(client: Client) -> None:
    # The end of time is no bound: nothing is published in this test, so nothing matches.
    for until in ("9999-12-31T23:59:59Z", "9999-12-31"):
        assert (
            error_code(client, verb="ListRecords", metadataPrefix="oai_dc", until=until) == "noRecordsMatch"
        )
    assert (
        error_code(client, verb="ListRecords", metadataPrefix="oai_dc", until="0000-01-01") == "badArgument"
    )
    assert error_code(client, verb="GetRecord", metadataPrefix="oai_dc", identifier="oai:x:\x01\x02<&>") == (
        "idDoesNotExist"
    )
    assert error_code(client, verb="ListRecords", resumptionToken="A" * 100_000) == "badResumptionToken"
    assert error_code(client, verb="ListRecords", metadataPrefix="\x00") == "cannotDisseminateFormat"
