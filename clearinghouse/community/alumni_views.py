"""Pages of the alumni part: my alumni profile (what others see, consent, offering my
expertise), the consent page (also from the e-mail's link, without signing in), claiming a
record, the directory and one alumnus's page, and messages."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from clearinghouse.accounts.auth import signed_in
from clearinghouse.accounts.models import User
from clearinghouse.community import alumni, alumni_directory, alumni_messages
from clearinghouse.community.alumni_filtersets import AlumnusFilter
from clearinghouse.community.alumni_forms import MessageForm, ProfileForm
from clearinghouse.community.models import Alumnus, Consent

PAGE_SIZE = 20
INBOX_SIZE = 50


def _refused(request: HttpRequest, error: ValidationError | PermissionDenied) -> None:
    for text in error.messages if isinstance(error, ValidationError) else [str(error)]:
        messages.error(request, text)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def profile(request: HttpRequest) -> HttpResponse:
    """My alumni profile: what others see, my consent, and my activities."""
    user = signed_in(request)
    alumnus = alumni.alumnus_of(user)
    if alumnus is None:
        return render(request, "community/alumni/not_alumnus.html")
    form = ProfileForm(request.POST or None, instance=alumnus)
    if request.method == "POST" and form.is_valid():
        try:
            alumni.update_profile(alumnus, form.cleaned_data)
        except ValidationError as error:
            _refused(request, error)
        else:
            messages.success(request, _("Your alumni profile has been saved."))
            return redirect("community:profile")
    participations = alumnus.participations.select_related("event", "course")
    context = {
        "alumnus": alumnus,
        "form": form,
        "activities": [(item, alumni.activity_title(item)) for item in participations],
        "card": alumni_directory.card(alumnus) if alumnus.in_directory else None,
    }
    return render(request, "community/alumni/profile.html", context, status=400 if form.errors else 200)


def _consent_page(request: HttpRequest, alumnus: Alumnus, action: str) -> HttpResponse:
    if request.method == "POST":
        decision = request.POST.get("decision", "")
        try:
            if decision == "give":
                alumni.give_consent(alumnus)
                messages.success(request, _("Thank you: you are now part of the alumni network."))
            elif decision == "refuse":
                alumni.refuse_consent(alumnus)
                messages.success(request, _("Noted: you are only counted, anonymously, in the statistics."))
            elif decision == "withdraw":
                alumni.withdraw_consent(alumnus)
                messages.success(
                    request,
                    _(
                        "Your consent is withdrawn: you are no longer listed "
                        "and the network no longer writes to you."
                    ),
                )
            else:
                raise ValidationError(_("Choose whether you give your consent."))
        except ValidationError as error:
            _refused(request, error)
        else:
            if alumnus.person_id is not None and alumnus.person_id == getattr(request.user, "pk", None):
                return redirect("community:profile")
            return redirect(action)
        alumnus.refresh_from_db()
    context = {"alumnus": alumnus, "action": action, "Consent": Consent}
    return render(request, "community/alumni/consent.html", context)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def consent(request: HttpRequest) -> HttpResponse:
    """Give, refuse or withdraw my consent, signed in."""
    alumnus = alumni.alumnus_of(signed_in(request))
    if alumnus is None:
        raise Http404
    return _consent_page(request, alumnus, request.path)


@require_http_methods(["GET", "HEAD", "POST"])
def consent_link(request: HttpRequest, token: str) -> HttpResponse:
    """The consent e-mail's link: it proves the address, so no sign-in is needed."""
    try:
        alumnus = alumni.from_token(token, alumni.CONSENT_SALT)
    except ValidationError as error:
        return render(request, "community/alumni/bad_link.html", {"error": error.messages[0]}, status=404)
    return _consent_page(request, alumnus, request.path)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def claim(request: HttpRequest, token: str) -> HttpResponse:
    """Take over the record a participants' list made, with the link sent to its address."""
    try:
        alumnus = alumni.from_token(token, alumni.CLAIM_SALT)
    except ValidationError as error:
        return render(request, "community/alumni/bad_link.html", {"error": error.messages[0]}, status=404)
    if request.method == "POST":
        try:
            alumni.claim_with_token(token, signed_in(request))
        except (ValidationError, PermissionDenied) as error:
            _refused(request, error)
        else:
            messages.success(request, _("The alumni record is now linked to your account."))
            return redirect("community:profile")
    return render(request, "community/alumni/claim.html", {"alumnus": alumnus})


@login_required
@require_safe
def directory(request: HttpRequest) -> HttpResponse:
    """The alumni who chose to be listed, showing what each chose, with filters."""
    filters = AlumnusFilter(request.GET or None, queryset=alumni_directory.listed())
    found = filters.qs.distinct().order_by("name", "pk")
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    own = alumni.alumnus_of(request.user)
    context = {
        "filters": filters.form,
        "page": page,
        "cards": alumni_directory.cards(page.object_list),
        "own": own,
    }
    return render(request, "community/alumni/directory.html", context)


@login_required
@require_safe
def alumnus(request: HttpRequest, pk: int) -> HttpResponse:
    """One listed alumnus; anyone not listed is not found (nothing about them is told)."""
    found = get_object_or_404(alumni_directory.listed(), pk=pk)
    card = alumni_directory.card(found)
    user = signed_in(request)
    writes = card.accepts_messages and found.person_id != user.pk
    context = {"card": card, "form": MessageForm() if writes else None, "is_self": found.person_id == user.pk}
    return render(request, "community/alumni/alumnus.html", context)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def write(request: HttpRequest, user_pk: int) -> HttpResponse:
    """Write to a member who accepts messages, or answer one who wrote to me. Refused with the
    same words whoever the number names, so the page tells nothing about who exists."""
    sender = signed_in(request)
    recipient = User.objects.filter(pk=user_pk, is_active=True).first()
    form = MessageForm(request.POST or None)
    if recipient is None:
        refusal = _("This member does not receive messages.")
    elif recipient.pk == sender.pk:
        refusal = _("You cannot write to yourself.")
    elif not alumni_messages.may_write(sender, recipient):
        refusal = _("This member does not receive messages.")
    else:
        refusal = ""
    if recipient is not None and not refusal and request.method == "POST" and form.is_valid():
        try:
            alumni_messages.send(sender, recipient, form.cleaned_data["body"])
        except (ValidationError, PermissionDenied) as error:
            _refused(request, error)
        else:
            messages.success(request, _("Your message has been sent."))
            return redirect("community:messages")
    listed = alumni_directory.listed().filter(person=recipient).first() if recipient and not refusal else None
    card = alumni_directory.card(listed) if listed is not None else None
    if card is not None and card.shows_name:
        name = card.name
    elif recipient is not None and not refusal and alumni_messages.wrote_to(recipient, sender):
        # They wrote to me: the name their message came with.
        name = recipient.get_full_name() or recipient.username
    else:
        name = ""
    context = {"form": form, "refusal": refusal, "name": name, "card": card, "recipient_pk": user_pk}
    status = 403 if refusal else (400 if request.method == "POST" else 200)
    return render(request, "community/alumni/write.html", context, status=status)


@login_required
@require_safe
def inbox(request: HttpRequest) -> HttpResponse:
    """The messages I received and sent, latest first; opening it marks them read."""
    user = signed_in(request)
    received = list(alumni_messages.received(user)[:INBOX_SIZE])
    sent = list(alumni_messages.sent(user)[:INBOX_SIZE])
    alumni_messages.mark_read(user)
    return render(request, "community/alumni/messages.html", {"received": received, "sent": sent})


@login_required
@require_POST
def offer_expertise(request: HttpRequest) -> HttpResponse:
    """Offer my expertise: a draft expert profile to complete and submit."""
    try:
        expert = alumni.offer_expertise(signed_in(request))
    except (ValidationError, PermissionDenied) as error:
        _refused(request, error)
        return redirect("community:profile")
    messages.success(request, _("Your expert profile is a draft: complete it, then submit it for review."))
    return redirect("support:edit", expert.identifier)
