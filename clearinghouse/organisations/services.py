"""Registering and changing organisations, with the permission rules of each role.

Forms and API serializers validate input and hand over an unsaved organisation; these
functions decide whether the person may save it.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from clearinghouse.organisations.models import Organisation


@transaction.atomic
def register(*, actor: AbstractUser, organisation: Organisation) -> Organisation:
    if not actor.has_perm("organisations.add_organisation"):
        raise PermissionDenied(_("You are not allowed to register organisations."))
    organisation.full_clean()
    organisation.save()
    return organisation


@transaction.atomic
def change(*, actor: AbstractUser, organisation: Organisation) -> Organisation:
    # Checked against the record as stored, so moving it to another country cannot widen access.
    stored = Organisation.objects.select_for_update().get(pk=organisation.pk)
    if not actor.has_perm("organisations.change_organisation", stored):
        raise PermissionDenied(_("You cannot change this organisation's record."))
    # The country decides whose focal point reviews its records and reads their contacts.
    if organisation.country_id != stored.country_id and not actor.has_perm(
        "organisations.move_organisation", stored
    ):
        raise PermissionDenied(_("Only the Secretariat can move an organisation to another country."))
    organisation.full_clean()
    organisation.save()
    return organisation
