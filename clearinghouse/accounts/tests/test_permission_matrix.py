"""Every cell of docs/permissions.md, checked against the rules for a person of each role."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import rules
from django.contrib.auth.models import AnonymousUser

from clearinghouse.core.testing import World

MATRIX = Path(__file__).resolve().parents[3] / "docs" / "permissions.md"
ROLE_COLUMNS = {
    "Secretariat": "secretariat",
    "Focal point": "focal_point",
    "Authorised user": "authorised_user",
    "IPLC representative": "iplc_representative",
    "Partner editor": "partner_editor",
    "Help-desk agent": "helpdesk_agent",
    "Trainer": "trainer",
    "Registered user": "learner",
    "Public": None,
}


def read_matrix() -> list[tuple[str, str, str, str]]:
    """(permission, object kind, role column, cell) for every cell of the table."""
    lines = [line for line in MATRIX.read_text().splitlines() if line.startswith("|")]
    header = [cell.strip() for cell in lines[0].strip("|").split("|")]
    cells = []
    for line in lines[2:]:
        row = [cell.strip() for cell in line.strip("|").split("|")]
        permission, kind = row[0], row[1]
        for column, value in zip(header[2:], row[2:], strict=True):
            cells.append((permission, kind, column, value))
    return cells


CELLS = read_matrix()


def test_the_matrix_covers_every_registered_permission() -> None:
    documented = {permission for permission, _kind, _column, _value in CELLS}
    assert documented == set(rules.permissions.permissions), "docs/permissions.md and the rules differ"
    assert {column for _p, _k, column, _v in CELLS} == set(ROLE_COLUMNS)
    assert {value for _p, _k, _c, value in CELLS} <= {"all", "own", "—"}


def _scopes(world: World, column: str, kind: str) -> tuple[Any, Any]:
    """The person's own object of this kind, and another Party's or organisation's."""
    if kind == "Party":
        return world.kenya, world.tanzania
    if kind == "Organisation":
        if column == "IPLC representative":
            return world.kenyan_iplc, world.tanzanian_iplc
        return world.kenyan_ngo, world.tanzanian_ngo
    return None, None


def _wrong(world: World, permission: str, kind: str, column: str, expected: str) -> str | None:
    """What a person of the column is allowed that the cell does not say, or None."""
    attribute = ROLE_COLUMNS[column]
    person = getattr(world, attribute) if attribute else AnonymousUser()
    own, other = _scopes(world, column, kind)
    if kind == "—":
        return None if person.has_perm(permission) is (expected == "all") else "no scope"
    if person.has_perm(permission, own) is not (expected in {"all", "own"}):
        return "own scope"
    # The heart of the matrix: nobody reaches into another Party's or organisation's records
    # unless the cell says "all".
    if person.has_perm(permission, other) is not (expected == "all"):
        return "another's scope"
    return None


# A row of the table per test (its cells only read the rules, so one world serves them all);
# every wrong cell of the row is named.
ROWS: dict[tuple[str, str], list[tuple[str, str]]] = {}
for _permission, _kind, _column, _value in CELLS:
    ROWS.setdefault((_permission, _kind), []).append((_column, _value))


@pytest.mark.parametrize(
    ("permission", "kind"), list(ROWS), ids=[f"{permission}-{kind}" for permission, kind in ROWS]
)
def test_permission_row(world: World, permission: str, kind: str) -> None:
    wrong = [
        f"{column} ({expected}): {problem}"
        for column, expected in ROWS[(permission, kind)]
        if (problem := _wrong(world, permission, kind, column, expected))
    ]
    assert not wrong, wrong


@pytest.mark.django_db
def test_the_secretariat_may_be_told_to_review_national_organisations(world: World, settings: Any) -> None:
    settings.ORGANISATION_RECORDS_REVIEWER = "secretariat"
    assert not world.focal_point.has_perm("records.review", world.kenyan_ngo)
    assert world.secretariat.has_perm("records.review", world.kenyan_ngo)
    # The Party's own records stay with its focal point.
    assert world.focal_point.has_perm("records.review", world.kenya)


@pytest.mark.django_db
def test_international_organisations_are_reviewed_by_the_secretariat_only(world: World) -> None:
    assert world.secretariat.has_perm("records.review", world.international)
    assert not world.focal_point.has_perm("records.review", world.international)
    assert not world.other_focal_point.has_perm("records.review", world.international)


@pytest.mark.django_db
def test_a_removed_appointment_takes_the_permissions_with_it(world: World) -> None:
    from clearinghouse.accounts import services
    from clearinghouse.accounts.models import Appointment

    appointment = Appointment.objects.get(user=world.authorised_user)
    services.remove(actor=world.focal_point, appointment=appointment)
    world.authorised_user.refresh_from_db()
    assert not world.authorised_user.has_perm("records.draft", world.kenya)
