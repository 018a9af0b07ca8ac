"""The mail the help desk received, for the Secretariat and the central desk's agents: what
became of each message, and processing again the ones that could not be processed."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from clearinghouse.helpdesk import mail_in
from clearinghouse.helpdesk.models import InboundMail, MailOutcome

PAGE_SIZE = 50


@require_safe
@login_required
def mail_list(request: HttpRequest) -> HttpResponse:
    if not mail_in.may_see_mail(request.user):
        raise PermissionDenied(_("Only the central desk's agents and the Secretariat see the mail received."))
    outcome = request.GET.get("outcome", "")
    mails = InboundMail.objects.select_related("ticket").defer("raw")
    if outcome in MailOutcome.values:
        mails = mails.filter(outcome=outcome)
    else:
        outcome = ""
    page = Paginator(mails, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "helpdesk/mail.html",
        {"page": page, "outcome": outcome, "outcomes": MailOutcome.choices, "rejected": MailOutcome.REJECTED},
    )


@require_POST
@login_required
def mail_process(request: HttpRequest, pk: int) -> HttpResponse:
    mail = get_object_or_404(InboundMail, pk=pk)
    try:
        mail = mail_in.process_again(mail, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if mail.outcome == MailOutcome.REJECTED:
            messages.error(
                request, _("It could not be processed this time either: %(detail)s") % {"detail": mail.detail}
            )
        else:
            messages.success(request, _("Processed: %(outcome)s") % {"outcome": mail.get_outcome_display()})
    return redirect("helpdesk:mail")
