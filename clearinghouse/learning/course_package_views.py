"""The trainer's pages for course packages: export a course, import a package as a new draft."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_safe

from clearinghouse.accounts.auth import signed_in
from clearinghouse.accounts.models import User
from clearinghouse.learning import course_package
from clearinghouse.learning.models import Course
from clearinghouse.learning.permissions import authors_courses
from clearinghouse.publishing.owners import owner_choices, owner_from_choice


class ImportForm(forms.Form):
    owner = forms.ChoiceField(
        label=gettext_lazy("For"),
        help_text=gettext_lazy("The organisation or Party the new course belongs to."),
    )
    file = forms.FileField(
        label=gettext_lazy("Course package (.zip)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".zip,application/zip"}),
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = owner_choices(user)
        field = self.fields["owner"]
        assert isinstance(field, forms.ChoiceField)  # noqa: S101  # nosec B101  # narrows the type for mypy
        field.choices = choices
        if len(choices) == 1:
            field.initial = choices[0][0]


@login_required
@require_safe
def course_export(request: HttpRequest, identifier: str) -> HttpResponse:
    course = Course.objects.filter(identifier=identifier).first()
    if course is None:
        raise Http404(_("There is no such course."))
    made = course_package.export(course, actor=signed_in(request))
    response = HttpResponse(made.content, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{made.filename}"'
    return response


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def course_import(request: HttpRequest) -> HttpResponse:
    user = signed_in(request)
    if not authors_courses(user):
        raise PermissionDenied(_("Only the people who write courses can import them."))
    form = ImportForm(request.POST or None, request.FILES or None, user=user)
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                imported = course_package.import_package(
                    upload, upload.size, actor=user, owner=owner_from_choice(form.cleaned_data["owner"])
                )
            except ValidationError as refused:
                for problem in refused.messages:
                    form.add_error("file", problem)
            else:
                messages.success(
                    request,
                    _("The course was imported as a new draft, %(identifier)s.")
                    % {"identifier": imported.course.identifier},
                )
                if imported.left_out:
                    messages.warning(
                        request,
                        _("SCORM modules are not in course packages and were left out: %(titles)s")
                        % {"titles": ", ".join(imported.left_out)},
                    )
                return redirect("learning:course_import")
    return render(request, "learning/offline/course_import.html", {"form": form}, status=status)
