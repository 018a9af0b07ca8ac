"""How the alumni part hears about what happens below it (loaded from CommunityConfig.ready()):
events and learning never import community, so their saves and allauth's confirmations come here
as signals.

A registration saved checked in, or an enrolment saved completed, records a participation after
the commit that made it so (``alumni.record_*`` do nothing the second time). An address that an
account confirms takes over the record kept under it, if nobody has it yet.
"""

from __future__ import annotations

from typing import Any

from allauth.account.models import EmailAddress
from allauth.account.signals import email_confirmed
from django.db import transaction
from django.db.models.signals import post_save

from clearinghouse.community import alumni
from clearinghouse.events.models import Registration, RegistrationStatus
from clearinghouse.learning.models import Enrolment, EnrolmentStatus


def registration_saved(sender: Any, instance: Registration, **kwargs: Any) -> None:
    if instance.checked_in_at is None or instance.status != RegistrationStatus.CONFIRMED:
        return
    pk = instance.pk

    def record() -> None:
        registration = Registration.objects.select_related("person").filter(pk=pk).first()
        if registration is not None:
            alumni.record_registration(registration)

    transaction.on_commit(record)


def enrolment_saved(sender: Any, instance: Enrolment, **kwargs: Any) -> None:
    if instance.status != EnrolmentStatus.COMPLETED:
        return
    pk = instance.pk

    def record() -> None:
        enrolment = Enrolment.objects.select_related("person").filter(pk=pk).first()
        if enrolment is not None:
            alumni.record_enrolment(enrolment)

    transaction.on_commit(record)


def address_confirmed(sender: Any, email_address: EmailAddress, **kwargs: Any) -> None:
    alumni.claim_by_address(email_address.user, email_address.email)


def connect() -> None:
    post_save.connect(registration_saved, sender=Registration, dispatch_uid="community.alumni.registration")
    post_save.connect(enrolment_saved, sender=Enrolment, dispatch_uid="community.alumni.enrolment")
    email_confirmed.connect(address_confirmed, dispatch_uid="community.alumni.address_confirmed")
