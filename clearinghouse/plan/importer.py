"""Importing the annex of decision XIII/23 into the database (``clearinghouse importplan``).

``import_plan`` parses the Arabic text with ``parser.py`` and makes the database match it:
activities are created or updated by number, their outputs and indicators by position, so that a
second run changes nothing. The annex's list of abbreviations becomes Organisation records (never
a second one for an acronym already registered), and each activity is linked to the organisations
its partners cell names. Aichi targets come from the theme headings; the GBF targets follow from
the Aichi vocabulary's mapping and are not stored.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction

from clearinghouse.core.languages import content_language
from clearinghouse.organisations.models import Organisation, OrganisationType
from clearinghouse.plan import search
from clearinghouse.plan.models import (
    AICHI_VOCABULARY,
    Activity,
    ActivityIndicator,
    ActivityItem,
    ActivityOutput,
    text_language,
)
from clearinghouse.plan.parser import Activity as ParsedActivity
from clearinghouse.plan.parser import ParseProblem, PartnerAbbreviation, parse_plan
from clearinghouse.plan.translations import (
    TranslationFileError,
    TranslationReport,
    apply_translations,
    read_folder,
)
from clearinghouse.vocabularies.models import Term

# Entries of the list of abbreviations that are not organisations: a plan and three bodies of the
# Convention itself. They are left out of the organisations registry.
NOT_ORGANISATIONS = {
    "NBSAP": "a national plan, not an organisation",
    "SBI": "a subsidiary body of the Convention",
    "SBSTTA": "a subsidiary body of the Convention",
    "WG8J": "a working group of the Convention",
}

# The names of the organisations of the list of abbreviations in the other five languages, as
# {acronym: {language: name}}: the official name where the body has one in that language.
ORGANISATION_NAMES_FILE = Path(__file__).resolve().parent / "data" / "organisation-names.json"
TRANSLATION_LANGUAGES = ("en", "fr", "es", "ru", "zh-hans")

# Other wordings the partners cells use for organisations of the list, checked by hand against
# the list's names (the Arabic sections C and D write names, not acronyms).
ALIASES: dict[str, tuple[str, ...]] = {
    "World Bank": ("WB",),
    "CSP": ("CSPB",),  # the Consortium of Scientific Partners on Biodiversity
    "UNDP-BIOFIN": ("UNDP", "BIOFIN"),
    "الفاو": ("FAO",),
    "منظمة الأغذية والزراعة": ("FAO",),
    "اليونيب": ("UNEP",),
    "الأونكتاد": ("UNCTAD",),
    "مبادرة الحصول وتقاسم المنافع": ("ABS",),
    "مركز رابطة أمم جنوب شرق آسيا للتنوع البيولوجي": ("ACB",),
    "برنامج البيئة الإقليمي للمحيط الهادئ": ("SPREP",),
}

# Organisation types, best effort from the acronym and the (Arabic) name:
# - un_body: an acronym part starting with "UN" (UNDP, IOC-UNESCO, UN-Stat, UNU-IAS), a name
#   naming the United Nations (الأمم المتحدة), or a body of the UN system whose name does not say so;
# - intergovernmental: a name naming a convention, treaty or intergovernmental body, or an
#   organisation of states whose name does not say so;
# - ngo: everything else (networks, partnerships, research centres, foundations).
# Without the article, so that "للأمم المتحدة" (of the United Nations) matches too.
UN_NAME_WORDS = ("لأمم المتحدة", "United Nations")
UN_SYSTEM = {"IMO", "WHO", "WB", "SCBD"}
INTERGOVERNMENTAL_NAME_WORDS = (
    "اتفاقية",
    "المعاهدة",
    "الحكومي الدولي",
    "الحكومية الدولية",
    "لاتحاد الأوروبي",
)
INTERGOVERNMENTAL = {
    "ACB",
    "AIIB",
    "EEA",
    "GBIF",
    "GEF",
    "IDLO",
    "ITTO",
    "OECD",
    "OIE",
    "SPC",
    "SPREP",
    "WTO",
}

# Between the organisations named in a partners item, only connectives and punctuation may remain
# for the item to count as fully matched.
CONNECTIVES = re.compile(r"\b(?:and|the)\b|[\s()/,،;؛\-&.]|(?<!\S)و(?=\s|$)")
# Arabic lists join names with و ("and") written on the next word.
WAW_JOIN = re.compile(r"\s+و(?=\S)")
# "Full Name (ACRONYM)": the bracket gives the acronym of the name before it.
NAME_WITH_ACRONYM = re.compile(r"^(?P<name>[^()]+?)\s*\((?P<acronym>[^(),;]+)\)$")
TRAILING_BRACKET = re.compile(r"\s*\([^()]*\)$")
validate_url = URLValidator()


@dataclass(frozen=True)
class PlanTotals:
    """What the database holds of the plan."""

    activities: int
    sections: dict[str, int]
    priority: int
    secretariat: int

    @classmethod
    def from_database(cls) -> PlanTotals:
        activities = Activity.objects.all()
        sections = Counter(activities.values_list("section", flat=True))
        return cls(
            activities=activities.count(),
            sections={letter: sections.get(letter, 0) for letter in "ABCD"},
            priority=activities.filter(priority=True).count(),
            secretariat=activities.filter(secretariat=True).count(),
        )


@dataclass
class ImportReport:
    """What an import did; ``summary`` is the last line `importplan` prints."""

    path: Path
    problems: list[ParseProblem] = field(default_factory=list)
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    organisations_created: list[str] = field(default_factory=list)
    organisations_found: list[str] = field(default_factory=list)
    abbreviations_skipped: list[str] = field(default_factory=list)
    bad_websites: list[str] = field(default_factory=list)
    organisation_names_translated: list[str] = field(default_factory=list)
    partner_links: int = 0
    other_partners: int = 0
    aichi_vocabulary_loaded: bool = True
    aichi_terms_missing: list[str] = field(default_factory=list)
    totals: PlanTotals | None = None
    translations: TranslationReport | None = None

    @property
    def summary(self) -> str:
        totals = self.totals or PlanTotals.from_database()
        sections = ",".join(f"{letter}:{count}" for letter, count in totals.sections.items())
        return (
            f"plan activities={totals.activities} sections={sections} priority={totals.priority} "
            f"secretariat={totals.secretariat} unparsed={len(self.problems)}"
        )

    def notes(self) -> list[str]:
        """What else a person running the import should know, one line each."""
        lines = [
            f"activities: {self.created} created, {self.updated} updated, {self.unchanged} unchanged",
            f"organisations from the list of abbreviations: {len(self.organisations_created)} created, "
            f"{len(self.organisations_found)} already registered, "
            f"{len(self.organisation_names_translated)} given names in other languages",
            f"partners: {self.partner_links} links to organisations, "
            f"{self.other_partners} names kept as text",
        ]
        lines += [
            f"abbreviation {entry} left out: {NOT_ORGANISATIONS[entry]}"
            for entry in self.abbreviations_skipped
        ]
        lines += [
            f"abbreviation {entry}: its web address is not valid and was left out"
            for entry in self.bad_websites
        ]
        if not self.aichi_vocabulary_loaded:
            lines.append(
                f"the {AICHI_VOCABULARY} vocabulary is not loaded: Aichi targets were left as they were "
                "(run `clearinghouse loadreference`, then import again)"
            )
        elif self.aichi_terms_missing:
            lines.append(f"Aichi target terms not found: {', '.join(self.aichi_terms_missing)}")
        if self.translations is not None:
            lines += self.translations.notes()
        return lines


def organisation_type(acronym: str, name: str) -> OrganisationType:
    """The type of an organisation of the list of abbreviations (see the rules above)."""
    parts = re.split(r"[-/ ]", acronym)
    if any(part.startswith("UN") for part in parts) or acronym in UN_SYSTEM:
        return OrganisationType.UN_BODY
    if any(word in name for word in UN_NAME_WORDS):
        return OrganisationType.UN_BODY
    if acronym in INTERGOVERNMENTAL or any(word in name for word in INTERGOVERNMENTAL_NAME_WORDS):
        return OrganisationType.INTERGOVERNMENTAL
    return OrganisationType.NGO


def website(address: str) -> str:
    """A full web address: the list writes some without a scheme ("www.fao.org")."""
    if not address:
        return ""
    url = address if re.match(r"^https?://", address) else f"https://{address}"
    validate_url(url)
    return url


def _organisations(abbreviations: list[PartnerAbbreviation], report: ImportReport) -> dict[str, Organisation]:
    """The organisation of each entry of the list of abbreviations, created when missing."""
    organisations: dict[str, Organisation] = {}
    for entry in abbreviations:
        if entry.acronym in NOT_ORGANISATIONS:
            report.abbreviations_skipped.append(entry.acronym)
            continue
        existing = Organisation.objects.filter(acronym__iexact=entry.acronym).order_by("pk").first()
        if existing is not None:
            organisations[entry.acronym] = existing
            report.organisations_found.append(entry.acronym)
            continue
        try:
            address = website(entry.url)
        except ValidationError:
            address = ""
            report.bad_websites.append(entry.acronym)
        organisations[entry.acronym] = Organisation.objects.create(
            name=entry.name,
            name_language=text_language(entry.name),
            acronym=entry.acronym,
            type=organisation_type(entry.acronym, entry.name),
            website=address,
        )
        report.organisations_created.append(entry.acronym)
    return organisations


def organisation_names(path: Path) -> dict[str, dict[str, str]]:
    """The names of ``path`` (see ORGANISATION_NAMES_FILE), checked: a name in each language."""
    names: dict[str, dict[str, str]] = json.loads(path.read_text(encoding="utf-8"))
    for acronym, by_language in names.items():
        if sorted(by_language) != sorted(TRANSLATION_LANGUAGES) or not all(
            isinstance(name, str) and name.strip() for name in by_language.values()
        ):
            languages = ", ".join(TRANSLATION_LANGUAGES)
            raise TranslationFileError(
                f"{path}: {acronym} needs a name in each of {languages} and nothing else"
            )
    return names


def _translate_organisation_names(
    abbreviations: list[PartnerAbbreviation], organisations: dict[str, Organisation], report: ImportReport
) -> None:
    """Give each organisation of the list its name in the languages it lacks.

    A name the organisation already has in a language is kept (an editor may have corrected it),
    so a second import changes nothing. An organisation registered before the import under another
    language also gets the list's own name.
    """
    names = organisation_names(ORGANISATION_NAMES_FILE)
    unknown = sorted(set(names) - set(organisations))
    if unknown:
        raise TranslationFileError(
            f"{ORGANISATION_NAMES_FILE}: not an organisation of the list of abbreviations: "
            + ", ".join(unknown)
        )
    listed = {entry.acronym: entry.name for entry in abbreviations}
    for acronym, organisation in organisations.items():
        wanted = {text_language(listed[acronym]): listed[acronym]}
        wanted |= {content_language(code): name for code, name in names.get(acronym, {}).items()}
        wanted.pop(organisation.name_language, None)
        merged = wanted | organisation.name_translations
        if merged != organisation.name_translations:
            organisation.name_translations = merged
            organisation.save(update_fields=["name_translations", "updated_at"])
            report.organisation_names_translated.append(acronym)


class PartnerMatcher:
    """Finds the registered organisations that an item of a partners cell names.

    An item names an organisation by its acronym ("IUCN", also inside "BBI partners" or
    "UNDP/ BES-Net"), by the full name the list of abbreviations gives it, or by one of ALIASES.
    Longer acronyms are matched first so that "UNEP-WCMC" is not read as UNEP.
    """

    def __init__(self, organisations: dict[str, Organisation], abbreviations: Iterable[PartnerAbbreviation]):
        # Every registered organisation with a Latin acronym counts, not only those of the list.
        registry = Organisation.objects.exclude(acronym="").order_by("-pk")
        self.by_acronym: dict[str, Organisation] = {org.acronym: org for org in registry}
        self.by_acronym.update(organisations)
        self.names: dict[str, tuple[str, ...]] = {}
        for entry in abbreviations:
            if entry.acronym in self.by_acronym:
                self.names.setdefault(entry.name, (entry.acronym,))
                self.names.setdefault(TRAILING_BRACKET.sub("", entry.name), (entry.acronym,))
        self.tokens: list[tuple[re.Pattern[str], tuple[str, ...]]] = []
        latin: dict[str, tuple[str, ...]] = {
            acronym: (acronym,) for acronym in self.by_acronym if re.match(r"^[A-Za-z]", acronym)
        }
        for alias, acronyms in ALIASES.items():
            if text_language(alias) == "ar":
                self.names.setdefault(alias, acronyms)
            else:
                latin[alias] = acronyms
        for text in sorted(latin, key=len, reverse=True):
            pattern = re.compile(rf"(?<![A-Za-z0-9\-]){re.escape(text)}(?![A-Za-z0-9\-])")
            self.tokens.append((pattern, latin[text]))

    def match(self, item: str) -> tuple[list[Organisation], bool]:
        """The organisations an item names, and whether it names nothing else."""
        acronyms: dict[str, None] = {}  # in order of mention, once each
        rest = item
        for part in dict.fromkeys([item, *WAW_JOIN.split(item)]):
            if part in self.names and part in rest:
                acronyms.update(dict.fromkeys(self.names[part]))
                rest = rest.replace(part, " ")
        for pattern, named in self.tokens:
            if pattern.search(rest):
                acronyms.update(dict.fromkeys(named))
                rest = pattern.sub(" ", rest)
        organisations = [self.by_acronym[acronym] for acronym in acronyms if acronym in self.by_acronym]
        bracketed = NAME_WITH_ACRONYM.match(item)
        if bracketed and len(organisations) == 1 and bracketed["acronym"].strip() in acronyms:
            return organisations, True
        return organisations, bool(organisations) and not CONNECTIVES.sub("", rest)


def _aichi_terms() -> dict[int, Term] | None:
    """Aichi targets by number, or None when the vocabulary is not loaded."""
    terms = Term.objects.filter(vocabulary__name=AICHI_VOCABULARY, code__startswith="AICHI-T")
    found = {int(term.code.removeprefix("AICHI-T")): term for term in terms if term.code[7:].isdigit()}
    return found or None


def _sync_items(
    model: type[ActivityOutput] | type[ActivityIndicator], activity: Activity, texts: list[str]
) -> bool:
    """Make the activity's outputs or indicators these texts, in order; True if anything changed.

    A row keeps its translations while its text is unchanged; a changed text loses them, since they
    translated the old one.
    """
    existing: dict[int, ActivityItem] = {
        item.position: item for item in model.objects.filter(activity=activity)
    }
    changed = False
    for position, text in enumerate(texts, start=1):
        item = existing.pop(position, None)
        if item is None:
            model.objects.create(activity=activity, position=position, text=text)
            changed = True
        elif item.text != text:
            item.text, item.translations = text, {}
            item.save(update_fields=["text", "translations"])
            changed = True
    if existing:
        model.objects.filter(pk__in=[item.pk for item in existing.values()]).delete()
        changed = True
    return changed


# The texts of an activity that carry their own translations.
OWN_TRANSLATIONS = {
    "text_original": "text_translations",
    "theme": "theme_translations",
    "partners_text": "partners_translations",
}


def _sync_activity(
    parsed: ParsedActivity,
    matcher: PartnerMatcher,
    aichi: dict[int, Term] | None,
    report: ImportReport,
) -> None:
    values = {
        "section": parsed.section,
        "theme": parsed.theme,
        "text_original": parsed.text,
        "priority": parsed.priority,
        "secretariat": parsed.secretariat,
        "decisions": [decision.text for decision in parsed.decisions],
        "decisions_text": parsed.decisions_text,
        "timeframe_text": parsed.timeframe_text,
        "start_year": parsed.start_year,
        "end_year": parsed.end_year,
    }
    partners: dict[int, Organisation] = {}
    other_partners: list[str] = []
    for item in parsed.partners:
        organisations, complete = matcher.match(item)
        partners.update((organisation.pk, organisation) for organisation in organisations)
        if not complete:
            other_partners.append(item)
    values["other_partners"] = other_partners
    values["partners_text"] = parsed.partners_text
    report.partner_links += len(partners)
    report.other_partners += len(other_partners)

    activity = Activity.objects.filter(number=parsed.number).first()
    created = activity is None
    if activity is None:
        activity = Activity.objects.create(number=parsed.number, **values)
        changed = True
    else:
        changed = any(getattr(activity, name) != value for name, value in values.items())
        if changed:
            # Translations of a text that changed translated the old text.
            for name, translations in OWN_TRANSLATIONS.items():
                if getattr(activity, name) != values[name]:
                    setattr(activity, translations, {})
            for name, value in values.items():
                setattr(activity, name, value)
            activity.save()
    changed |= _sync_items(ActivityOutput, activity, parsed.outputs)
    changed |= _sync_items(ActivityIndicator, activity, parsed.indicators)
    if set(activity.partners.values_list("pk", flat=True)) != set(partners):
        activity.partners.set(list(partners.values()))
        changed = True
    if aichi is not None:
        targets = [aichi[number] for number in parsed.aichi_targets if number in aichi]
        report.aichi_terms_missing += [f"AICHI-T{n}" for n in parsed.aichi_targets if n not in aichi]
        if set(activity.aichi_targets.values_list("pk", flat=True)) != {term.pk for term in targets}:
            activity.aichi_targets.set(targets)
            changed = True
    if created:
        report.created += 1
    elif changed:
        report.updated += 1
    else:
        report.unchanged += 1


@transaction.atomic
def import_plan(path: Path | str, translations: Path | None = None) -> ImportReport:
    """Create or update the action plan from the Arabic text of decision XIII/23 (idempotent).

    Activities no longer in the text are left alone (their progress records matter more than
    the tidiness of the table); the parser reports any row it could not place. With
    ``translations``, a folder of translation files (``translations.py``), those are applied
    after the Arabic; a file that does not fit the plan raises TranslationFileError before
    anything is saved.
    """
    path = Path(path)
    plan = parse_plan(path.read_text(encoding="utf-8"))
    files = read_folder(translations, plan) if translations is not None else None
    report = ImportReport(path=path, problems=plan.problems)
    organisations = _organisations(plan.abbreviations, report)
    _translate_organisation_names(plan.abbreviations, organisations, report)
    matcher = PartnerMatcher(organisations, plan.abbreviations)
    aichi = _aichi_terms()
    report.aichi_vocabulary_loaded = aichi is not None
    for parsed in plan.activities:
        _sync_activity(parsed, matcher, aichi, report)
    report.aichi_terms_missing = sorted(set(report.aichi_terms_missing))
    if files is not None:
        report.translations = apply_translations(plan, *files)
    report.totals = PlanTotals.from_database()
    search.reindex(Activity.objects.values_list("number", flat=True))
    return report
