"""Quality standards and checklist templates: loaded from ``data/standards.yaml`` and kept in
versions by the Secretariat.

A version in force is never edited. The file's content for a code becomes a new version when
no version of that code holds it yet (the one in force retires), so loading the same file twice
changes nothing and a version the Secretariat made on the site is not undone by a reload. On
the site, the Secretariat drafts the next version from the one in force, edits its texts in the
six languages and its criteria or steps, and puts it in force; the previous one retires.

Both kinds of document behave alike: a standard with its criteria, a checklist template with
its steps. The functions below take either.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeAlias

import yaml
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max, ProtectedError, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clearinghouse.accounts import roles
from clearinghouse.core.languages import CONTENT_LANGUAGES
from clearinghouse.quality.models import (
    AppliesTo,
    ChecklistTemplate,
    Criterion,
    Scale,
    Standard,
    TemplateStep,
    VersionStatus,
)

STANDARDS_FILE = Path(__file__).parent / "data" / "standards.yaml"

Document: TypeAlias = Standard | ChecklistTemplate
Part: TypeAlias = Criterion | TemplateStep

CODE = re.compile(r"^[a-z0-9][a-z0-9-]{0,39}$")
# What a standard carries besides its texts; a checklist template has none of these.
SETTINGS = ("anonymous_reviews", "max_rounds", "min_reviews")
STANDARD_KEYS = {
    "code",
    "applies_to",
    "original_language",
    "title",
    "summary",
    "groups",
    "criteria",
    *SETTINGS,
}
CRITERION_KEYS = {"group", "scale", "text", "guidance"}
TEMPLATE_KEYS = {"code", "applies_to", "original_language", "title", "summary", "steps"}
STEP_KEYS = {"text", "guidance", "evidence_required"}
# What is said when a text is missing in the version's original language.
MISSING_ORIGINAL = {
    "title": _("Give the title in the original language at least."),
    "text": _("Give the text in the original language at least."),
    "group": _("Give the group in the original language at least."),
}
# Texts longer than this are a mistake in the file (a criterion is a sentence, guidance a few).
LONGEST_TEXT = 2000


class StandardsFileError(Exception):
    """The file cannot be loaded; ``problems`` says what is wrong, where."""

    def __init__(self, problems: Iterable[str]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(self.problems))


@dataclass(frozen=True)
class Entry:
    """A standard or a checklist template of the file, checked: what a version would hold."""

    code: str
    applies_to: str
    content: Mapping[str, Any]


@dataclass
class LoadReport:
    created: list[str] = field(default_factory=list)
    # A new version of these codes is in force; the one before retired.
    new_versions: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    # The file holds an older version than the one in force (the Secretariat made a newer one).
    superseded: list[str] = field(default_factory=list)


# Reading the file


def _texts(
    value: Any, where: str, original: str, problems: list[str], *, required: bool = True
) -> dict[str, str]:
    """{language: text}, stripped, without empty languages; a problem when it is malformed or,
    if ``required``, has no text in the original language."""
    if not isinstance(value, dict):
        problems.append(f"{where}: expected texts by language ({', '.join(CONTENT_LANGUAGES)})")
        return {}
    texts: dict[str, str] = {}
    for language, text in value.items():
        if language not in CONTENT_LANGUAGES:
            problems.append(f"{where}: unknown language {language!r}")
        elif not isinstance(text, str):
            problems.append(f"{where}.{language}: expected a text")
        elif len(text) > LONGEST_TEXT:
            problems.append(f"{where}.{language}: longer than {LONGEST_TEXT} characters")
        elif text.strip():
            texts[language] = text.strip()
    if required and original not in texts:
        problems.append(f"{where}: no text in the original language ({original})")
    return texts


def _unknown_keys(row: Mapping[str, Any], allowed: set[str], where: str, problems: list[str]) -> None:
    unknown = sorted(set(row) - allowed)
    if unknown:
        problems.append(f"{where}: unknown keys {', '.join(unknown)}")


def _bounded(row: Mapping[str, Any], key: str, default: int, where: str, problems: list[str]) -> int:
    value = row.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 5:
        problems.append(f"{where}.{key}: expected a whole number from 1 to 5")
        return default
    return int(value)


def _flag(row: Mapping[str, Any], key: str, default: bool, where: str, problems: list[str]) -> bool:
    value = row.get(key, default)
    if not isinstance(value, bool):
        problems.append(f"{where}.{key}: expected true or false")
        return default
    return value


def _head(row: Any, keys: set[str], where: str, problems: list[str]) -> tuple[str, str, str] | None:
    """The code, kind and original language of a document of the file."""
    if not isinstance(row, dict):
        problems.append(f"{where}: expected a mapping")
        return None
    code = str(row.get("code", ""))
    where = f"{where} ({code or 'no code'})"
    _unknown_keys(row, keys, where, problems)
    if not CODE.match(code):
        problems.append(f"{where}: the code must be lower-case letters, digits and hyphens")
    applies_to = row.get("applies_to")
    if applies_to not in AppliesTo.values:
        problems.append(f"{where}: applies_to must be one of {', '.join(AppliesTo.values)}")
    original = row.get("original_language", "en")
    if original not in CONTENT_LANGUAGES:
        problems.append(f"{where}: original_language must be one of {', '.join(CONTENT_LANGUAGES)}")
        original = "en"
    return code, str(applies_to), str(original)


def _standard(row: Any, where: str, problems: list[str]) -> Entry | None:
    head = _head(row, STANDARD_KEYS, where, problems)
    if head is None:
        return None
    code, applies_to, original = head
    where = f"{where} ({code})"
    groups_row = row.get("groups")
    groups: dict[str, dict[str, str]] = {}
    if not isinstance(groups_row, dict) or not groups_row:
        problems.append(f"{where}.groups: expected the criteria's headings by key")
    else:
        groups = {
            str(key): _texts(texts, f"{where}.groups.{key}", original, problems)
            for key, texts in groups_row.items()
        }
    criteria_rows = row.get("criteria")
    if not isinstance(criteria_rows, list) or not criteria_rows:
        problems.append(f"{where}.criteria: expected a list of criteria")
        criteria_rows = []
    criteria = []
    for index, criterion in enumerate(criteria_rows, start=1):
        at = f"{where}.criteria[{index}]"
        if not isinstance(criterion, dict):
            problems.append(f"{at}: expected a mapping")
            continue
        _unknown_keys(criterion, CRITERION_KEYS, at, problems)
        group = str(criterion.get("group", ""))
        if group not in groups:
            problems.append(f"{at}: unknown group {group!r}")
        scale = criterion.get("scale", Scale.RATING)
        if scale not in Scale.values:
            problems.append(f"{at}: scale must be one of {', '.join(Scale.values)}")
        criteria.append(
            {
                "group": groups.get(group, {}),
                "text": _texts(criterion.get("text"), f"{at}.text", original, problems),
                "guidance": _texts(
                    criterion.get("guidance", {}), f"{at}.guidance", original, problems, required=False
                ),
                "scale": str(scale),
            }
        )
    content = {
        "applies_to": applies_to,
        "original_language": original,
        "title": _texts(row.get("title"), f"{where}.title", original, problems),
        "summary": _texts(row.get("summary", {}), f"{where}.summary", original, problems, required=False),
        "anonymous_reviews": _flag(row, "anonymous_reviews", True, where, problems),
        "max_rounds": _bounded(row, "max_rounds", 2, where, problems),
        "min_reviews": _bounded(row, "min_reviews", 1, where, problems),
        "parts": criteria,
    }
    return Entry(code, applies_to, content)


def _template(row: Any, where: str, problems: list[str]) -> Entry | None:
    head = _head(row, TEMPLATE_KEYS, where, problems)
    if head is None:
        return None
    code, applies_to, original = head
    where = f"{where} ({code})"
    step_rows = row.get("steps")
    if not isinstance(step_rows, list) or not step_rows:
        problems.append(f"{where}.steps: expected a list of steps")
        step_rows = []
    steps = []
    for index, step in enumerate(step_rows, start=1):
        at = f"{where}.steps[{index}]"
        if not isinstance(step, dict):
            problems.append(f"{at}: expected a mapping")
            continue
        _unknown_keys(step, STEP_KEYS, at, problems)
        steps.append(
            {
                "text": _texts(step.get("text"), f"{at}.text", original, problems),
                "guidance": _texts(
                    step.get("guidance", {}), f"{at}.guidance", original, problems, required=False
                ),
                "evidence_required": _flag(step, "evidence_required", False, at, problems),
            }
        )
    content = {
        "applies_to": applies_to,
        "original_language": original,
        "title": _texts(row.get("title"), f"{where}.title", original, problems),
        "summary": _texts(row.get("summary", {}), f"{where}.summary", original, problems, required=False),
        "parts": steps,
    }
    return Entry(code, applies_to, content)


def read(path: Path = STANDARDS_FILE) -> tuple[list[Entry], list[Entry]]:
    """The file's standards and checklist templates, checked. Raises ``StandardsFileError``
    naming every problem found."""
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise StandardsFileError([f"{path}: {error}"]) from error
    if not isinstance(document, dict):
        raise StandardsFileError([f"{path}: expected 'standards:' and 'checklists:'"])
    problems: list[str] = []
    _unknown_keys(document, {"standards", "checklists"}, str(path.name), problems)
    found: list[list[Entry]] = []
    for key, reader in (("standards", _standard), ("checklists", _template)):
        rows = document.get(key) or []
        if not isinstance(rows, list):
            problems.append(f"{key}: expected a list")
            rows = []
        entries = [
            entry
            for index, row in enumerate(rows, start=1)
            if (entry := reader(row, f"{key}[{index}]", problems))
        ]
        seen: set[str] = set()
        for entry in entries:
            if entry.code in seen:
                problems.append(f"{key}: the code {entry.code} is used twice")
            seen.add(entry.code)
        found.append(entries)
    if problems:
        raise StandardsFileError(problems)
    return found[0], found[1]


# What a version holds, to compare it with the file


def _parts(document: Document) -> QuerySet[Any]:
    if isinstance(document, Standard):
        return document.criteria.order_by("position", "pk")
    return document.steps.order_by("position", "pk")


def _clean(texts: Mapping[str, str]) -> dict[str, str]:
    return {language: text.strip() for language, text in texts.items() if text and text.strip()}


def content_of(document: Document) -> dict[str, Any]:
    """What a version holds, in the shape ``read`` gives the file's entries."""
    content: dict[str, Any] = {
        "applies_to": document.applies_to,
        "original_language": document.original_language,
        "title": _clean(document.title),
        "summary": _clean(document.summary),
    }
    if isinstance(document, Standard):
        content.update({name: getattr(document, name) for name in SETTINGS})
        content["parts"] = [
            {
                "group": _clean(part.group),
                "text": _clean(part.text),
                "guidance": _clean(part.guidance),
                "scale": part.scale,
            }
            for part in _parts(document)
        ]
    else:
        content["parts"] = [
            {
                "text": _clean(part.text),
                "guidance": _clean(part.guidance),
                "evidence_required": part.evidence_required,
            }
            for part in _parts(document)
        ]
    return content


def _make_version(
    model: type[Document], code: str, version: int, content: Mapping[str, Any], **extra: Any
) -> Document:
    document = model.objects.create(
        code=code,
        version=version,
        applies_to=content["applies_to"],
        original_language=content["original_language"],
        title=dict(content["title"]),
        summary=dict(content["summary"]),
        **{name: content[name] for name in SETTINGS if name in content and model is Standard},
        **extra,
    )
    _make_parts(document, content["parts"])
    return document


def _make_parts(document: Document, parts: Sequence[Mapping[str, Any]]) -> None:
    if isinstance(document, Standard):
        Criterion.objects.bulk_create(
            Criterion(standard=document, position=position, **part)
            for position, part in enumerate(parts, start=1)
        )
    else:
        TemplateStep.objects.bulk_create(
            TemplateStep(template=document, position=position, **part)
            for position, part in enumerate(parts, start=1)
        )


def _load_one(model: type[Document], entry: Entry, report: LoadReport) -> None:
    versions: list[Document] = list(
        model.objects.select_for_update().filter(code=entry.code).order_by("version")
    )
    if not versions:
        _make_version(
            model, entry.code, 1, entry.content, status=VersionStatus.IN_FORCE, put_in_force_at=timezone.now()
        )
        report.created.append(entry.code)
        return
    if versions[-1].applies_to != entry.applies_to:
        raise StandardsFileError(
            [f"{entry.code}: applies to {versions[-1].applies_to} on the site; a code keeps its kind"]
        )
    in_force = next((version for version in versions if version.status == VersionStatus.IN_FORCE), None)
    holding = [
        version
        for version in versions
        if version.status != VersionStatus.DRAFT and content_of(version) == entry.content
    ]
    if holding:
        newest = holding[-1]
        if in_force is not None and newest.version < in_force.version:
            report.superseded.append(entry.code)
        else:
            report.unchanged.append(entry.code)
        return
    now = timezone.now()
    if in_force is not None:
        model.objects.filter(pk=in_force.pk).update(status=VersionStatus.RETIRED)
    _make_version(
        model,
        entry.code,
        versions[-1].version + 1,
        entry.content,
        status=VersionStatus.IN_FORCE,
        put_in_force_at=now,
    )
    report.new_versions.append(entry.code)


@transaction.atomic
def load(path: Path = STANDARDS_FILE) -> LoadReport:
    """Make the standards and checklist templates in force match the file, in one transaction:
    a code met for the first time becomes version 1; content no version holds yet becomes a
    new version in force (the one before retires); content a version already holds changes
    nothing. Raises ``StandardsFileError`` (and changes nothing) when the file is wrong."""
    standards, templates = read(path)
    report = LoadReport()
    for entry in standards:
        _load_one(Standard, entry, report)
    for entry in templates:
        _load_one(ChecklistTemplate, entry, report)
    return report


# What the pages read


def in_force(model: type[Document]) -> QuerySet[Any]:
    """The versions in force of standards (or checklist templates), by kind."""
    return model.objects.filter(status=VersionStatus.IN_FORCE).order_by("applies_to", "code")


def standards_in_force(applies_to: str | None = None) -> QuerySet[Standard]:
    """The standards in force, of one kind if given: what reviews are opened against."""
    found = in_force(Standard)
    return found.filter(applies_to=applies_to) if applies_to else found


def templates_in_force(applies_to: str | None = None) -> QuerySet[ChecklistTemplate]:
    """The checklist templates in force, of one kind if given: what checklists are copied from."""
    found = in_force(ChecklistTemplate)
    return found.filter(applies_to=applies_to) if applies_to else found


def versions_of(document: Document) -> QuerySet[Any]:
    """Every version of the document's code, newest first."""
    return type(document).objects.filter(code=document.code).order_by("-version")


def draft_of(document: Document) -> Document | None:
    """The draft being prepared of this document's code, if any."""
    return type(document).objects.filter(code=document.code, status=VersionStatus.DRAFT).first()


@dataclass(frozen=True)
class Group:
    """A heading of a standard's page and the criteria listed under it."""

    texts: Mapping[str, str]
    criteria: list[Criterion]


def grouped(standard: Standard) -> list[Group]:
    """The criteria under their headings, in the order the headings first appear."""
    groups: list[Group] = []
    for criterion in _parts(standard):
        key = _clean(criterion.group)
        for group in groups:
            if _clean(group.texts) == key:
                group.criteria.append(criterion)
                break
        else:
            groups.append(Group(criterion.group, [criterion]))
    return groups


def may_edit(person: Any) -> bool:
    """The Secretariat keeps the standards and checklist templates."""
    return bool(getattr(person, "is_authenticated", False)) and roles.is_secretariat(person)


# The Secretariat's versions


def _check(person: Any) -> None:
    if not may_edit(person):
        raise PermissionDenied(_("Only the Secretariat edits quality standards and checklist templates."))


def _locked_draft(document: Document) -> Document:
    """The document, locked for the change, refused unless it is a draft."""
    locked = type(document).objects.select_for_update().get(pk=document.pk)
    if locked.status != VersionStatus.DRAFT:
        raise ValidationError(
            _("Version %(version)s is not a draft: only a draft is edited. Draft a new version instead.")
            % {"version": locked.version}
        )
    return locked


def _require_original(texts: Mapping[str, str], original: str, field_name: str) -> None:
    if not (texts.get(original) or "").strip():
        raise ValidationError({field_name: MISSING_ORIGINAL[field_name]})


@transaction.atomic
def start_draft(person: Any, document: Document) -> Document:
    """A new draft version copied from the version in force, for the Secretariat to edit."""
    _check(person)
    model = type(document)
    versions: list[Document] = list(
        model.objects.select_for_update().filter(code=document.code).order_by("version")
    )
    if any(version.status == VersionStatus.DRAFT for version in versions):
        raise ValidationError(_("A new version of this is already being drafted: continue that draft."))
    current = next((version for version in versions if version.status == VersionStatus.IN_FORCE), None)
    if current is None:
        raise ValidationError(_("No version of this is in force to draft from."))
    content = content_of(current)
    return _make_version(model, current.code, versions[-1].version + 1, content, created_by=person)


def _texts_of(value: Mapping[str, str]) -> dict[str, str]:
    return {
        language: value.get(language, "").strip()
        for language in CONTENT_LANGUAGES
        if value.get(language, "").strip()
    }


@transaction.atomic
def edit_draft(
    person: Any, document: Document, *, title: Mapping[str, str], summary: Mapping[str, str], **settings: Any
) -> Document:
    """Change a draft's title and summary (and a standard's settings)."""
    _check(person)
    draft = _locked_draft(document)
    title, summary = _texts_of(title), _texts_of(summary)
    _require_original(title, draft.original_language, "title")
    draft.title, draft.summary = title, summary
    if isinstance(draft, Standard):
        for name in SETTINGS:
            if name in settings:
                setattr(draft, name, settings[name])
        if not 1 <= draft.max_rounds <= 5 or not 1 <= draft.min_reviews <= 5:
            raise ValidationError(_("Rounds and reviews needed are from 1 to 5."))
    draft.save()
    return draft


def _renumber(document: Document) -> None:
    for position, part in enumerate(_parts(document), start=1):
        if part.position != position:
            type(part).objects.filter(pk=part.pk).update(position=position)


@transaction.atomic
def save_part(person: Any, document: Document, part: Part | None = None, **values: Any) -> Part:
    """Add a criterion (of a standard) or a step (of a checklist template) to a draft, at the
    end, or change one of its own: texts by language and the scale or the evidence rule."""
    _check(person)
    draft = _locked_draft(document)
    text, guidance = _texts_of(values.get("text", {})), _texts_of(values.get("guidance", {}))
    _require_original(text, draft.original_language, "text")
    if part is not None and _owner_id(part) != draft.pk:
        raise ValidationError(_("This is not part of that version."))
    if isinstance(draft, Standard):
        scale = values.get("scale", Scale.RATING)
        if scale not in Scale.values:
            raise ValidationError({"scale": _("Choose a scale.")})
        fields: dict[str, Any] = {
            "text": text,
            "guidance": guidance,
            "scale": scale,
            "group": _texts_of(values.get("group", {})),
        }
        _require_original(fields["group"], draft.original_language, "group")
    else:
        fields = {
            "text": text,
            "guidance": guidance,
            "evidence_required": bool(values.get("evidence_required")),
        }
    if part is None:
        last = _parts(draft).aggregate(last=Max("position"))["last"] or 0
        if isinstance(draft, Standard):
            return Criterion.objects.create(standard=draft, position=last + 1, **fields)
        return TemplateStep.objects.create(template=draft, position=last + 1, **fields)
    for name, value in fields.items():
        setattr(part, name, value)
    part.save(update_fields=list(fields))
    return part


def _owner_id(part: Part) -> int:
    return part.standard_id if isinstance(part, Criterion) else part.template_id


def _owner(part: Part) -> Document:
    return part.standard if isinstance(part, Criterion) else part.template


@transaction.atomic
def remove_part(person: Any, part: Part) -> None:
    """Remove a criterion or a step from a draft; a draft keeps one at least."""
    _check(person)
    draft = _locked_draft(_owner(part))
    if _parts(draft).count() <= 1:
        raise ValidationError(_("A version keeps one criterion or step at least."))
    part.delete()
    _renumber(draft)


@transaction.atomic
def move_part(person: Any, part: Part, offset: int) -> None:
    """Move a criterion or a step of a draft one place up (-1) or down (+1)."""
    _check(person)
    draft = _locked_draft(_owner(part))
    parts = list(_parts(draft))
    index = next(index for index, candidate in enumerate(parts) if candidate.pk == part.pk)
    target = index + (1 if offset > 0 else -1)
    if not 0 <= target < len(parts):
        raise ValidationError(_("It is already in the first or last place."))
    parts[index], parts[target] = parts[target], parts[index]
    for position, candidate in enumerate(parts, start=1):
        type(candidate).objects.filter(pk=candidate.pk).update(position=position)


@transaction.atomic
def put_in_force(person: Any, document: Document) -> Document:
    """Put a draft in force; the version in force until now retires. What was copied or
    answered from it keeps the version it was made from."""
    _check(person)
    model = type(document)
    versions = {
        version.pk: version for version in model.objects.select_for_update().filter(code=document.code)
    }
    draft = _locked_draft(document)
    _require_original(draft.title, draft.original_language, "title")
    if not _parts(draft).exists():
        raise ValidationError(_("A version needs one criterion or step at least."))
    for version in versions.values():
        if version.status == VersionStatus.IN_FORCE:
            model.objects.filter(pk=version.pk).update(status=VersionStatus.RETIRED)
    draft.status = VersionStatus.IN_FORCE
    draft.put_in_force_at = timezone.now()
    draft.save(update_fields=["status", "put_in_force_at"])
    return draft


@transaction.atomic
def discard_draft(person: Any, document: Document) -> None:
    """Throw a draft away; the version in force stays."""
    _check(person)
    draft = _locked_draft(document)
    try:
        with transaction.atomic():
            draft.delete()
    except ProtectedError as error:
        # Reviews and checklists are made from versions in force; should one name a draft, keep it.
        raise ValidationError(_("Something was already made from this draft: it is kept.")) from error
