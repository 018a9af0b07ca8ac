"""Demo needs name their Party's national targets and the Kenyan assessment cites Kenya's 7th
national report (after the needs' demo and the national targets' demo). Each change goes through
review like any change of a published record; loading twice adds nothing."""

from __future__ import annotations

from typing import Any

from clearinghouse.accounts.demo import demo_person
from clearinghouse.national.models import NationalReport, NationalTarget, ReportKind
from clearinghouse.needs.demo import NEEDS
from clearinghouse.needs.models import FormatRecord, Need, NeedsAssessment
from clearinghouse.publishing import workflow

# Need (demo import key): the codes of its Party's national targets it serves.
NEED_TARGETS = {
    "demo-need-ke-1": ["T6"],
    "demo-need-ke-2": ["T19"],
    "demo-need-eg-1": ["T3", "T21"],
    "demo-need-cn-1": ["T21"],
}


def _change(record: FormatRecord, values: dict[str, Any], author: str, publisher: str) -> None:
    workflow.save_draft(record, actor=demo_person(author), values=values, base_revision=None)
    workflow.submit(record, actor=demo_person(author))
    workflow.publish(record, actor=demo_person(publisher))


def load() -> list[str]:
    linked = 0
    # Each need is changed by its demo author and published by its demo reviewer.
    people = {key: (author, publisher) for key, author, publisher, *_rest in NEEDS}
    for key, codes in NEED_TARGETS.items():
        need = Need.objects.filter(import_key=key, live=True).select_related("owner_country").first()
        if need is None or need.national_targets.exists() or need.owner_country is None:
            continue
        targets = list(NationalTarget.objects.filter(party=need.owner_country, code__in=codes))
        _change(need, {"national_targets": targets}, *people[key])
        linked += 1
    assessment = NeedsAssessment.objects.filter(owner_country__code="KE", live=True).first()
    report = NationalReport.objects.filter(party__code="KE", kind=ReportKind.SEVENTH).first()
    if assessment is not None and report is not None and assessment.national_report_id is None:
        _change(assessment, {"national_report": report}, "officer.ke", "focalpoint.ke")
        linked += 1
    return ["Needs naming national targets: /en/needs/ (Kenya, Egypt, China)."] if linked else []
