"""Pages of the communities of practice: the list, a community's page, proposing and editing a
community (through the publishing workflow), members, topics and replies, attachments and the
moderators' page. Views parse and render; discussions.py and moderation.py decide.

A members-only community shows nothing of its topics, posts, members or files to anyone but its
members (and the Secretariat): those pages answer 404, as for something that does not exist.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Prefetch, Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from clearinghouse.accounts.auth import signed_in
from clearinghouse.accounts.models import User
from clearinghouse.community import discussions, moderation
from clearinghouse.community.discussion_forms import (
    CommunityFilterForm,
    CommunityForm,
    CommunityTranslationForm,
    JoinForm,
    ReasonForm,
    ReplyForm,
    ReportForm,
    TopicForm,
)
from clearinghouse.community.models import (
    Community,
    Membership,
    MemberStatus,
    Post,
    PostAttachment,
    Topic,
    TopicKind,
)
from clearinghouse.community.permissions import may_create_communities, may_read, membership_of, moderates
from clearinghouse.core.languages import LANGUAGE_CHOICES, content_language
from clearinghouse.core.multilingual import show
from clearinghouse.core.params import whole_number
from clearinghouse.publishing import access, documents, owners, registry, workflow
from clearinghouse.publishing.models import State
from clearinghouse.publishing.views import translation_page

POSTS_PER_PAGE = 50


def _community(identifier: str) -> Community:
    return get_object_or_404(
        Community.objects.select_related("owner_country", "owner_organisation"), identifier=identifier.upper()
    )


def _readable(request: HttpRequest, identifier: str) -> tuple[Community, Membership | None]:
    """The community and the reader's membership; 404 when the reader may not read inside it."""
    community = _community(identifier)
    membership = membership_of(request.user, community)
    if not may_read(request.user, community, membership):
        raise Http404
    return community, membership


def _texts(community: Community) -> dict[str, Any]:
    language = content_language()
    return {
        name: show(getattr(community, name) or {}, community.original_language, language)
        for name in ("name", "description", "code_of_conduct")
    }


def _refused(request: HttpRequest, error: ValidationError) -> None:
    messages.error(request, " ".join(error.messages))


# --- the list and the record ----------------------------------------------------------------------


@require_safe
def communities(request: HttpRequest) -> HttpResponse:
    """Live communities, filtered by subject, GBF target, region and working language."""
    form = CommunityFilterForm(request.GET or None)
    found = Community.objects.filter(live=True).annotate(
        members=Count("memberships", filter=Q(memberships__status=MemberStatus.ACTIVE), distinct=True)
    )
    if form.is_valid():
        data = form.cleaned_data
        if data.get("subject"):
            found = found.filter(subjects=data["subject"])
        if data.get("target"):
            found = found.filter(gbf_targets=data["target"])
        if data.get("region"):
            found = found.filter(regions=data["region"])
        if data.get("language"):
            # Portable across SQLite and PostgreSQL: the JSON list's text holds the quoted code.
            found = found.filter(languages__icontains=f'"{data["language"]}"')
    found = found.order_by("-last_published_at", "-pk")
    language = content_language()
    rows = [
        (
            community,
            show(community.name or {}, community.original_language, language),
            show(community.description or {}, community.original_language, language),
        )
        for community in found
    ]
    context = {
        "form": form,
        "rows": rows,
        "may_create": may_create_communities(request.user),
        "search_query": "?record_type=community",
    }
    return render(request, "community/communities/list.html", context)


@require_safe
def community_page(request: HttpRequest, identifier: str) -> HttpResponse:
    community = _community(identifier)
    user = request.user
    if not access.can_see(user, community):
        raise Http404
    membership = membership_of(user, community)
    context = documents.page_context(request, community)
    readable = may_read(user, community, membership)
    is_moderator = moderates(user, community, membership)
    topics: list[Topic] = []
    if readable:
        listed = Topic.objects.filter(community=community).select_related("author")
        if not is_moderator:
            listed = listed.filter(hidden_at__isnull=True)
        topics = list(listed.annotate(replies=Count("posts") - 1)[:50])
    context |= {
        "community": community,
        "texts": _texts(community),
        "membership": membership,
        "readable": readable,
        "is_moderator": is_moderator,
        "members_count": discussions.members_count(community),
        "topics": topics,
        "join_form": JoinForm(),
        "may_edit": user.has_perm("records.draft", community)
        and community.state not in {State.SUBMITTED, State.ARCHIVED},
        "translations": [
            (code, name) for code, name in LANGUAGE_CHOICES if code != community.original_language
        ],
        "pending_count": (
            Membership.objects.filter(community=community, status=MemberStatus.PENDING).count()
            if is_moderator
            else 0
        ),
        "reports_count": moderation.open_reports(community).count() if is_moderator else 0,
        "working_languages": [name for code, name in LANGUAGE_CHOICES if code in (community.languages or [])],
    }
    return render(request, "community/communities/community.html", context)


def _community_values(data: dict[str, Any], language: str, working: Community | None) -> dict[str, Any]:
    def texts(name: str) -> dict[str, str]:
        return dict(getattr(working, name, None) or {}) | {language: data[name]}

    return {
        "name": texts("name"),
        "description": texts("description"),
        "code_of_conduct": texts("code_of_conduct"),
        "access": data["access"],
        "languages": list(data["languages"]),
        "subjects": list(data["subjects"]),
        "gbf_targets": list(data["gbf_targets"]),
        "regions": list(data["regions"]),
        "plan_activities": list(data["plan_activities"]),
    }


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def community_new(request: HttpRequest) -> HttpResponse:
    """Propose a community: a draft, submitted for review when asked."""
    user = signed_in(request)
    if not may_create_communities(user):
        raise PermissionDenied
    choices = owners.owner_choices(user)
    form = CommunityForm(
        request.POST or None,
        owners=choices,
        initial={"original_language": content_language(), "languages": [content_language()]},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        language = data["original_language"]
        try:
            community = discussions.create_community(
                actor=user,
                owner=owners.owner_from_choice(data["owner"]),
                values={"original_language": language, **_community_values(data, language, None)},
            )
            if request.POST.get("action") == "submit":
                workflow.submit(community, actor=user)
                messages.success(request, _("Submitted for review. The reviewers have been told."))
            else:
                messages.success(request, _("Draft saved."))
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect(community.get_absolute_url())
    return render(request, "community/communities/form.html", {"form": form, "community": None})


def _editable(request: HttpRequest, identifier: str) -> Community:
    community = _community(identifier)
    if not request.user.has_perm("records.draft", community):
        raise PermissionDenied
    if community.state in {State.SUBMITTED, State.ARCHIVED}:
        raise PermissionDenied(
            _("This community is waiting for review or archived; it cannot be changed now.")
        )
    return community


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def community_edit(request: HttpRequest, identifier: str) -> HttpResponse:
    community = _editable(request, identifier)
    working, many = workflow.working_copy(community)
    language = community.original_language
    initial = {
        "original_language": language,
        "name": (working.name or {}).get(language, ""),
        "description": (working.description or {}).get(language, ""),
        "code_of_conduct": (working.code_of_conduct or {}).get(language, ""),
        "access": working.access,
        "languages": working.languages,
        **{name: many.get(name, []) for name in ("subjects", "gbf_targets", "regions", "plan_activities")},
    }
    form = CommunityForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        user = signed_in(request)
        try:
            workflow.save_draft(
                community,
                actor=user,
                values=_community_values(form.cleaned_data, language, working),
                base_revision=whole_number(request.POST, "base_revision") or None,
            )
            if request.POST.get("action") == "submit":
                workflow.submit(community, actor=user)
                messages.success(request, _("Submitted for review. The reviewers have been told."))
            else:
                messages.success(request, _("Draft saved."))
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect(community.get_absolute_url())
    return render(request, "community/communities/form.html", {"form": form, "community": community})


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def community_translate(request: HttpRequest, identifier: str, language: str) -> HttpResponse:
    community = _editable(request, identifier)
    return translation_page(request, community, language, form=CommunityTranslationForm(request.POST or None))


# --- membership -----------------------------------------------------------------------------------


@login_required
@require_POST
def join(request: HttpRequest, identifier: str) -> HttpResponse:
    community = _community(identifier)
    if not community.live:
        raise Http404
    form = JoinForm(request.POST)
    try:
        membership = discussions.join(
            person=signed_in(request), community=community, accepts_conduct=form.is_valid()
        )
    except ValidationError as error:
        _refused(request, error)
    else:
        if membership.is_active:
            messages.success(request, _("Welcome: you are a member of this community."))
        else:
            messages.success(request, _("Your request to join was sent to the moderators."))
    return redirect(community.get_absolute_url())


@login_required
@require_POST
def leave(request: HttpRequest, identifier: str) -> HttpResponse:
    community = _community(identifier)
    discussions.leave(person=signed_in(request), community=community)
    messages.success(request, _("You left the community."))
    return redirect(community.get_absolute_url())


@require_safe
def members(request: HttpRequest, identifier: str) -> HttpResponse:
    """The active members: their names and countries, nothing more."""
    community, membership = _readable(request, identifier)
    listed = (
        Membership.objects.filter(community=community, status=MemberStatus.ACTIVE)
        .select_related("person__country")
        .order_by("-role", "person__first_name", "person__last_name")
    )
    context = {
        "community": community,
        "texts": _texts(community),
        "memberships": listed,
        "is_moderator": moderates(request.user, community, membership),
    }
    return render(request, "community/communities/members.html", context)


# --- topics and posts -----------------------------------------------------------------------------


def _topic(request: HttpRequest, identifier: str, pk: int) -> tuple[Topic, Membership | None, bool]:
    community, membership = _readable(request, identifier)
    topic = get_object_or_404(Topic.objects.select_related("community", "author"), pk=pk, community=community)
    is_moderator = moderates(request.user, community, membership)
    if topic.hidden_at is not None and not is_moderator:
        raise Http404
    topic.community = community
    return topic, membership, is_moderator


def _linked_records(posts: list[Post]) -> dict[str, tuple[str, str]]:
    """Every linked live record's page and title in the reader's language, one query per type."""
    language = content_language()
    identifiers = [identifier for post in posts for identifier in post.records]
    found: dict[str, tuple[str, str]] = {}
    for record in registry.find_many(identifiers, live=True).values():
        record_type = registry.of(record)
        title_field = record_type.search.title if record_type.search else ""
        texts = getattr(record, title_field, None) if title_field else None
        title = show(texts, record.original_language, language).text if isinstance(texts, dict) else ""
        found[record.identifier] = (record_type.url(record), title or record.identifier)
    return found


@require_http_methods(["GET", "HEAD", "POST"])
def topic_page(request: HttpRequest, identifier: str, pk: int) -> HttpResponse:
    """A topic's posts and, for members, the reply form."""
    topic, membership, is_moderator = _topic(request, identifier, pk)
    community = topic.community
    user = request.user
    may_reply = discussions.may_post(user, topic, membership)
    form = ReplyForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if form.is_valid():
            try:
                post = discussions.post_reply(
                    author=signed_in(request),
                    topic=topic,
                    body=form.cleaned_data["body"],
                    files=form.cleaned_data["attachments"],
                    records=form.cleaned_data["records"],
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Your reply was posted."))
                return redirect(f"{topic.get_absolute_url()}#post-{post.pk}")
    posts = list(
        Post.objects.filter(topic=topic)
        .select_related("author__country")
        .prefetch_related(Prefetch("attachments", queryset=PostAttachment.objects.order_by("pk")))[
            : POSTS_PER_PAGE * 20
        ]
    )
    links = _linked_records(posts)
    for post in posts:
        post.links = [links[identifier] for identifier in post.records if identifier in links]  # type: ignore[attr-defined]
    context = {
        "community": community,
        "texts": _texts(community),
        "topic": topic,
        "posts": posts,
        "form": form,
        "membership": membership,
        "may_reply": may_reply,
        "is_member": membership is not None and membership.is_active,
        "is_moderator": is_moderator,
        "report_form": ReportForm(),
    }
    return render(request, "community/communities/topic.html", context, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def topic_new(request: HttpRequest, identifier: str) -> HttpResponse:
    community, membership = _readable(request, identifier)
    user = signed_in(request)
    if not discussions.may_write(user, community):
        messages.error(request, _("Only members of the community can write in it. Join it first."))
        return redirect(community.get_absolute_url())
    may_announce = moderates(user, community, membership)
    form = TopicForm(request.POST or None, request.FILES or None, may_announce=may_announce)
    if request.method == "POST" and form.is_valid():
        try:
            topic = discussions.start_topic(
                author=user,
                community=community,
                title=form.cleaned_data["title"],
                body=form.cleaned_data["body"],
                kind=form.cleaned_data.get("kind") or TopicKind.DISCUSSION,
                files=form.cleaned_data["attachments"],
                records=form.cleaned_data["records"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect(topic.get_absolute_url())
    context = {"community": community, "texts": _texts(community), "form": form}
    return render(request, "community/communities/topic_form.html", context)


@require_safe
def attachment(request: HttpRequest, identifier: str, pk: int) -> FileResponse:
    """A post's file, for those who may read the community (and the post: a hidden post's files
    for moderators only)."""
    community, membership = _readable(request, identifier)
    found = get_object_or_404(
        PostAttachment.objects.select_related("post__topic"), pk=pk, post__topic__community=community
    )
    hidden = found.post.hidden_at is not None or found.post.topic.hidden_at is not None
    if hidden and not moderates(request.user, community, membership):
        raise Http404
    response = FileResponse(found.file.open("rb"), as_attachment=True, filename=found.name)
    response["Content-Type"] = found.media_type
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- moderation -----------------------------------------------------------------------------------


def _moderated(request: HttpRequest, identifier: str) -> tuple[Community, User]:
    community = _community(identifier)
    user = signed_in(request)
    if not moderates(user, community):
        raise PermissionDenied
    return community, user


@login_required
@require_safe
def moderation_page(request: HttpRequest, identifier: str) -> HttpResponse:
    """Requests to join, open reports, members (with roles and bans)."""
    community, _user = _moderated(request, identifier)
    all_members = Membership.objects.filter(community=community).select_related("person__country")
    context = {
        "community": community,
        "texts": _texts(community),
        "pending": [m for m in all_members if m.status == MemberStatus.PENDING],
        "active": [m for m in all_members if m.status == MemberStatus.ACTIVE],
        "banned": [m for m in all_members if m.status == MemberStatus.BANNED],
        "reports": list(moderation.open_reports(community)),
        "reason_form": ReasonForm(),
    }
    return render(request, "community/communities/moderation.html", context)


@login_required
@require_POST
def member_action(request: HttpRequest, identifier: str, pk: int, action: str) -> HttpResponse:
    community, user = _moderated(request, identifier)
    membership = get_object_or_404(Membership.objects.select_related("person"), pk=pk, community=community)
    try:
        if action == "approve":
            discussions.approve(actor=user, membership=membership)
        elif action == "decline":
            discussions.decline(actor=user, membership=membership)
        elif action in {"moderator", "member"}:
            discussions.set_role(actor=user, membership=membership, role=action)
        elif action == "ban":
            moderation.ban(
                actor=user,
                community=community,
                person=membership.person,
                reason=request.POST.get("reason", ""),
            )
        elif action == "lift":
            moderation.lift_ban(actor=user, membership=membership)
        else:
            raise Http404
    except ValidationError as error:
        _refused(request, error)
    else:
        messages.success(request, _("Done."))
    return redirect("community:moderation", identifier=community.identifier)


@login_required
@require_POST
def topic_action(request: HttpRequest, identifier: str, pk: int, action: str) -> HttpResponse:
    community, user = _moderated(request, identifier)
    topic = get_object_or_404(Topic, pk=pk, community=community)
    topic.community = community
    operations = {
        "close": lambda: moderation.close_topic(actor=user, topic=topic),
        "reopen": lambda: moderation.reopen_topic(actor=user, topic=topic),
        "pin": lambda: moderation.pin_topic(actor=user, topic=topic, pinned=True),
        "unpin": lambda: moderation.pin_topic(actor=user, topic=topic, pinned=False),
        "hide": lambda: moderation.hide_topic(actor=user, topic=topic, hidden=True),
        "show": lambda: moderation.hide_topic(actor=user, topic=topic, hidden=False),
    }
    if action not in operations:
        raise Http404
    operations[action]()
    messages.success(request, _("Done."))
    return redirect(topic.get_absolute_url())


@login_required
@require_POST
def post_action(request: HttpRequest, identifier: str, pk: int, action: str) -> HttpResponse:
    """Report a post (members), hide or show it, or dismiss its reports (moderators)."""
    community, _membership = _readable(request, identifier)
    post = get_object_or_404(Post.objects.select_related("topic"), pk=pk, topic__community=community)
    post.topic.community = community
    user = signed_in(request)
    try:
        if action == "report":
            form = ReportForm(request.POST)
            if not form.is_valid():
                raise ValidationError(_("Choose a reason."))
            moderation.report(
                reporter=user,
                post=post,
                reason=form.cleaned_data["reason"],
                comment=form.cleaned_data["comment"],
            )
            messages.success(request, _("Thank you: the moderators will look at it."))
        elif action == "hide":
            moderation.hide_post(actor=user, post=post, reason=request.POST.get("reason", ""))
            messages.success(request, _("The post is hidden."))
        elif action == "show":
            moderation.show_post(actor=user, post=post)
            messages.success(request, _("The post is shown again."))
        elif action == "dismiss":
            moderation.dismiss_reports(actor=user, post=post)
            messages.success(request, _("Done."))
        else:
            raise Http404
    except ValidationError as error:
        _refused(request, error)
    if request.POST.get("next") == "moderation":
        return redirect("community:moderation", identifier=community.identifier)
    return redirect(f"{post.topic.get_absolute_url()}#post-{post.pk}")
