"""Starting an import, running it in the worker, confirming likely duplicates, cleaning up.

The web request only checks the upload (checks.inspect), stores it and queues the job. The
worker claims the job (a job claimed once is never run again), then the kind's ``run`` reads
every row and saves everything in one transaction, or nothing.

Progress: the rows checked so far are written with ``update()`` while the file is read, before
the save's transaction opens. Inside that transaction nothing else can be written on SQLite
(one writer at a time, and the import is the writer), so the page shows the save as one step
("saving the drafts") rather than a count that would only appear once the save is over.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.db.models import Q, QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from clearinghouse.accounts import roles
from clearinghouse.accounts.models import COUNTRY_ROLES, ORGANISATION_ROLES, User
from clearinghouse.exchange import budget, checks, registry
from clearinghouse.exchange.models import ImportJob, JobState
from clearinghouse.geo.models import Country
from clearinghouse.organisations.models import Organisation

logger = logging.getLogger(__name__)
# Progress is written every this many rows: often enough to move, rarely enough to cost nothing.
PROGRESS_EVERY = 100


def start_import(
    uploader: User, owner: registry.Owner, kind_name: str, upload: UploadedFile, language: str
) -> ImportJob:
    """Check ``upload`` for ``owner`` and queue its import; RefusedFileError (nothing stored)
    if the file fails the checks. Called outside any transaction, so that the worker finds the
    job as soon as it is queued."""
    kind = registry.kind(kind_name)
    inspection = checks.inspect(upload, upload.size or 0, kind.formats, kind.max_bytes())
    job = ImportJob(
        uploader=uploader,
        kind=kind_name,
        filename=(upload.name or "")[:255],
        language=language,
        rows_total=inspection.rows,
        owner_country=owner if isinstance(owner, Country) else None,
        owner_organisation=owner if isinstance(owner, Organisation) else None,
    )
    job.upload.save(f"{kind_name}.{inspection.format}", upload, save=False)
    job.save()
    _enqueue(job)
    return job


def _enqueue(job: ImportJob) -> None:
    from clearinghouse.exchange import tasks

    tasks.run_import(job.pk)


def may_import(user: Any) -> bool:
    """Whether the person may import for a Party or an organisation: the Secretariat, and people
    appointed for one (the imports' owners are theirs)."""
    if not getattr(user, "is_authenticated", False):
        return False
    return bool(
        roles.is_secretariat(user)
        or roles.countries_for(user, *COUNTRY_ROLES)
        or roles.organisations_for(user, *ORGANISATION_ROLES)
    )


def visible_to(user: Any) -> QuerySet[ImportJob]:
    """The jobs a person may follow: their own; the Secretariat's, everyone's."""
    jobs = ImportJob.objects.select_related("owner_country", "owner_organisation")
    return jobs if roles.is_secretariat(user) else jobs.filter(uploader=user)


def run(job_id: int) -> None:
    """The worker's part: claim the job, run its kind, record the outcome, delete the upload
    unless the person still has to confirm. A job already claimed is left alone."""
    claimed = ImportJob.objects.filter(pk=job_id, state=JobState.QUEUED).update(
        state=JobState.RUNNING, started_at=timezone.now()
    )
    if not claimed:
        return
    job = ImportJob.objects.select_related("uploader", "owner_country", "owner_organisation").get(pk=job_id)
    with translation.override(job.language):
        try:
            kind = registry.kind(job.kind)
            with job.upload.open("rb") as stored:
                content = stored.read()
            request = registry.Request(
                actor=job.uploader,
                owner=job.owner,
                content=content,
                language=job.language,
                confirmed=job.confirms_id is not None,
                progress=_progress(job.pk),
            )
            with budget.cpu_budget(float(settings.IMPORT_MAX_CPU_SECONDS)):
                outcome = kind.run(request)
        except budget.CPULimitExceededError as error:
            # Raised while reading, before the save's transaction: nothing was saved.
            _fail(
                job,
                ngettext(
                    "Reading this file took more than the %(seconds)s second of computing time an import "
                    "may take; nothing was saved. Split it into smaller files and upload them one at a time.",
                    "Reading this file took more than the %(seconds)s seconds of computing time an import "
                    "may take; nothing was saved. Split it into smaller files and upload them one at a time.",
                    round(error.seconds),
                )
                % {"seconds": f"{error.seconds:g}"},
            )
        except PermissionDenied as error:
            _fail(job, str(error) or _("You cannot create records for this Party or organisation."))
        except Exception:
            # Nothing was saved: the kind saves in one transaction, rolled back by the error.
            logger.exception("import job %s failed", job.pk)
            _fail(
                job,
                _(
                    "The import stopped on an error of the site; nothing was saved. Try again later; if it "
                    "happens again, write to the help desk."
                ),
            )
        else:
            _finish(job, outcome)


def _progress(job_id: int) -> registry.Progress:
    def report(done: int, total: int) -> None:
        budget.check()
        if done == total or done % PROGRESS_EVERY == 0:
            changes = {"rows_done": done} | ({"rows_total": total} if total else {})
            ImportJob.objects.filter(pk=job_id).update(**changes)

    return report


def _fail(job: ImportJob, message: str) -> None:
    job.state = JobState.FAILED
    job.problems = _storable([{"sheet": "", "row": None, "column": "", "message": message}])
    job.finished_at = timezone.now()
    job.save(update_fields=["state", "problems", "finished_at"])
    _delete_upload(job)


def _storable(value: Any) -> Any:
    """Problems quote the file's own text, which may hold NUL characters: PostgreSQL's JSON
    cannot store them, so they are shown as the replacement character."""
    if isinstance(value, str):
        return value.replace("\x00", "\ufffd")
    if isinstance(value, dict):
        return {key: _storable(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_storable(item) for item in value]
    return value


def _finish(job: ImportJob, outcome: registry.Outcome) -> None:
    job.finished_at = timezone.now()
    job.refresh_from_db(fields=["rows_done", "rows_total"])
    if outcome.problems:
        job.state = JobState.FAILED
        job.problems = _storable([vars(problem) for problem in outcome.problems])
    elif not (outcome.duplicates or outcome.created or outcome.unchanged):
        # An empty file, headings alone, an empty list: saying "done" would hide the mistake.
        job.state = JobState.FAILED
        job.problems = [
            {
                "sheet": "",
                "row": None,
                "column": "",
                "message": _("This file holds no records to import: nothing was saved."),
            }
        ]
    elif outcome.duplicates:
        job.state = JobState.CONFIRMATION
        job.duplicates = _storable([vars(duplicate) for duplicate in outcome.duplicates])
    else:
        job.state = JobState.DONE
        job.rows_done = job.rows_total
        job.created = [
            {"identifier": record.identifier, "title": _title(record)} for record in outcome.created
        ]
        job.unchanged = outcome.unchanged
    job.save()
    if job.state != JobState.CONFIRMATION:
        _delete_upload(job)


def _title(record: Any) -> str:
    texts = getattr(record, "title", None) or {}
    if not isinstance(texts, dict):
        return str(texts)
    return str(texts.get(record.original_language) or next(iter(texts.values()), ""))


def _delete_upload(job: ImportJob) -> None:
    if job.upload:
        job.upload.delete(save=False)
        ImportJob.objects.filter(pk=job.pk).update(upload="")


def confirm(job: ImportJob, actor: User) -> ImportJob:
    """The person confirms the likely duplicates: a second job imports the same file. Refused
    (PermissionDenied) unless the job waits for this person's confirmation and still has its file."""
    if job.uploader_id != actor.pk or job.state != JobState.CONFIRMATION:
        raise PermissionDenied(_("This import is not waiting for your confirmation."))
    if not job.upload or ImportJob.objects.filter(confirms=job).exists():
        raise PermissionDenied(_("The check has expired: upload the file again."))
    second = ImportJob.objects.create(
        uploader=actor,
        owner_country=job.owner_country,
        owner_organisation=job.owner_organisation,
        kind=job.kind,
        filename=job.filename,
        upload=job.upload.name,
        language=job.language,
        rows_total=job.rows_total,
        confirms=job,
    )
    # The file is the second job's now: it deletes it when done.
    ImportJob.objects.filter(pk=job.pk).update(upload="")
    _enqueue(second)
    return second


def clean_up() -> int:
    """Delete the uploads kept past IMPORT_RETENTION_HOURS (unconfirmed duplicates, jobs a
    crashed worker left running: those are marked failed, nothing having been saved)."""
    cutoff = timezone.now() - timedelta(hours=int(settings.IMPORT_RETENTION_HOURS))
    stale = ImportJob.objects.filter(queued_at__lt=cutoff).filter(
        ~Q(upload="") | Q(state__in=[JobState.QUEUED, JobState.RUNNING])
    )
    count = 0
    for job in stale.select_related("uploader"):
        if job.state in {JobState.QUEUED, JobState.RUNNING}:
            with translation.override(job.language):
                _fail(job, _("The import did not finish in time; nothing was saved. Upload the file again."))
        else:
            _delete_upload(job)
        count += 1
    return count
