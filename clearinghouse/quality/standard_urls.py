"""Routes of the quality app's standard pages: the list, each standard's and checklist
template's page and versions, and the Secretariat's drafts."""

from __future__ import annotations

from django.urls import URLPattern, path

from clearinghouse.quality import standard_views as views


def _routes(prefix: str, kind: str) -> list[URLPattern]:
    """The pages of one kind of document (standards or checklist templates)."""
    version = f"{prefix}<slug:code>/v<int:version>/"
    given = {"kind": kind}
    return [
        path(f"{prefix}<slug:code>/", views.document_page, given, name=kind),
        path(f"{prefix}<slug:code>/draft/", views.start_draft, given, name=f"{kind}_draft"),
        path(version, views.document_page, given, name=f"{kind}_version"),
        path(f"{version}edit/", views.edit_draft, given, name=f"{kind}_edit"),
        path(f"{version}parts/add/", views.edit_part, given, name=f"{kind}_part_add"),
        path(f"{version}parts/<int:pk>/", views.edit_part, given, name=f"{kind}_part"),
        path(f"{version}parts/<int:pk>/remove/", views.remove_part, given, name=f"{kind}_part_remove"),
        path(f"{version}parts/<int:pk>/move/", views.move_part, given, name=f"{kind}_part_move"),
        path(f"{version}in-force/", views.put_in_force, given, name=f"{kind}_in_force"),
        path(f"{version}discard/", views.discard_draft, given, name=f"{kind}_discard"),
    ]


urlpatterns: list[URLPattern] = [
    path("standards/", views.standard_list, name="standards"),
    # Checklist templates first: "standards/checklists/..." is never read as a standard's code.
    *_routes("standards/checklists/", "template"),
    *_routes("standards/", "standard"),
]
