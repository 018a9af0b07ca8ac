"""FAQ pages: the public list by topic and an entry's page, in the reader's language; the edit and
translation pages of an entry; and "keep this answer as an FAQ entry" from a ticket."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from clearinghouse.accounts.auth import signed_in
from clearinghouse.core.languages import LANGUAGE_CHOICES, content_language
from clearinghouse.core.params import whole_number
from clearinghouse.core.redirects import back_to
from clearinghouse.helpdesk import faq, services
from clearinghouse.helpdesk.faq_forms import FaqEntryForm, FaqTranslationForm
from clearinghouse.helpdesk.models import Article, FaqEntry, HelpTopic, Ticket
from clearinghouse.helpdesk.records import FAQ
from clearinghouse.publishing import access, documents, usage, workflow
from clearinghouse.publishing.models import State, Usage
from clearinghouse.publishing.views import translation_page


def _entry(identifier: str) -> FaqEntry:
    return get_object_or_404(
        FaqEntry.objects.select_related("topic", "owner_organisation"), identifier=identifier
    )


def _editable(request: HttpRequest, identifier: str) -> FaqEntry:
    entry = _entry(identifier)
    if not request.user.has_perm("records.draft", entry):
        raise PermissionDenied
    if entry.state in {State.SUBMITTED, State.ARCHIVED}:
        raise PermissionDenied(_("This entry is waiting for review or archived; it cannot be changed now."))
    return entry


@require_safe
def faq_list(request: HttpRequest) -> HttpResponse:
    """Published entries by topic, in the reader's language (the original, marked, where no
    translation exists); ``?topic=<code>`` keeps one topic."""
    entries = faq.published()
    chosen = request.GET.get("topic", "")
    topic = HelpTopic.objects.filter(code=chosen).first() if chosen else None
    if chosen and topic is None:
        raise Http404
    if topic is not None:
        entries = entries.filter(topic=topic)
    language = content_language()
    context = {
        "groups": faq.by_topic(entries, language),
        "topics": HelpTopic.objects.filter(faq_entries__live=True).distinct(),
        "topic": topic,
        "search_query": f"?record_type={FAQ.name}",
        "helpdesk_email": settings.HELPDESK_EMAIL,
    }
    return render(request, "helpdesk/faq_list.html", context)


@require_safe
def faq_entry(request: HttpRequest, identifier: str) -> HttpResponse:
    entry = _entry(identifier)
    user = request.user
    if not access.can_see(user, entry):
        raise Http404
    usage.record_used(request, entry, Usage.VIEW)
    context = documents.page_context(request, entry)
    working = entry
    if not entry.live:
        # Never published: its authors and reviewers read the latest revision.
        working, _many = workflow.working_copy(entry)
    shown = faq.shown(working, content_language())
    may_edit = user.has_perm("records.draft", entry) and entry.state not in {State.SUBMITTED, State.ARCHIVED}
    context |= {
        "entry": entry,
        "shown": shown,
        "topic": working.topic,
        "may_edit": may_edit,
        "translations": [(code, name) for code, name in LANGUAGE_CHOICES if code != entry.original_language],
        # The ticket it was kept from: for the agents of its desk only.
        "source_ticket": entry.source_ticket
        if entry.source_ticket is not None and services.may_work_on(user, entry.source_ticket)
        else None,
    }
    return render(request, "helpdesk/faq_entry.html", context)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def faq_edit(request: HttpRequest, identifier: str) -> HttpResponse:
    """The question and answer in the entry's original language, and its topic; saved as a draft
    revision, and submitted for review when asked."""
    entry = _editable(request, identifier)
    form = FaqEntryForm(request.POST or None, initial=faq.texts_of(entry), language=entry.original_language)
    if request.method == "POST" and form.is_valid():
        user = signed_in(request)
        try:
            faq.save(
                entry,
                actor=user,
                question=form.cleaned_data["question"],
                answer=form.cleaned_data["answer"],
                topic=form.cleaned_data["topic"],
                plan_activities=form.cleaned_data["plan_activities"],
                base_revision=whole_number(request.POST, "base_revision") or None,
            )
            if request.POST.get("action") == "submit":
                workflow.submit(entry, actor=user)
                messages.success(request, _("Submitted for review. The reviewers have been told."))
            else:
                messages.success(request, _("Draft saved."))
        except workflow.ConflictError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("helpdesk:faq_edit", identifier=entry.identifier)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect(entry.get_absolute_url())
    context = {
        "entry": entry,
        "form": form,
        "language_name": dict(LANGUAGE_CHOICES).get(entry.original_language, entry.original_language),
    }
    return render(request, "helpdesk/faq_form.html", context)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def faq_translate(request: HttpRequest, identifier: str, language: str) -> HttpResponse:
    entry = _editable(request, identifier)
    return translation_page(request, entry, language, form=FaqTranslationForm(request.POST or None))


@login_required
@require_POST
def faq_from_ticket(request: HttpRequest, reference: str) -> HttpResponse:
    """ "Keep this answer as an FAQ entry": a draft from the ticket and its chosen reply (``article``,
    the latest reply by default), opened for editing."""
    ticket = get_object_or_404(Ticket.objects.select_related("desk", "topic"), reference=reference.upper())
    user = signed_in(request)
    if not services.may_work_on(user, ticket):
        raise PermissionDenied
    chosen = whole_number(request.POST, "article")
    article = get_object_or_404(Article, pk=chosen, ticket=ticket) if chosen else None
    try:
        entry = faq.draft_from_ticket(ticket, actor=user, article=article)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        # Back to the ticket's page the button was on (its ``next``).
        return redirect(back_to(request, reverse("helpdesk:faq")))
    messages.success(
        request,
        _("Draft FAQ entry %(identifier)s: edit it, translate it and submit it for review.")
        % {"identifier": entry.identifier},
    )
    return redirect("helpdesk:faq_edit", identifier=entry.identifier)
