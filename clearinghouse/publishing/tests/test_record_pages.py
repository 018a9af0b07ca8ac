"""The pages every record type shares, tried by the people who use them."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.test import Client
from django.utils import timezone

from clearinghouse.core.testing import World
from clearinghouse.publishing import workflow
from clearinghouse.publishing.models import DraftComment, RecordReport, ShareLink, State
from clearinghouse.publishing.tests.testapp.models import Note

TITLES = {"ar": "تدريب على إدارة المحميات", "en": "Training on protected area management"}


def _note(world: World, publish: bool = False) -> Note:
    note = workflow.create(
        Note,
        actor=world.authorised_user,
        owner=world.kenya,
        values={"original_language": "ar", "title": TITLES, "year": 2026},
    )
    if publish:
        workflow.submit(note, actor=world.authorised_user)
        workflow.publish(note, actor=world.focal_point)
        note.refresh_from_db()
    return note


def test_identifiers_resolve_to_the_record_page_in_the_readers_language(world: World, client: Client) -> None:
    note = _note(world, publish=True)
    response = client.get(f"/r/{note.identifier}", headers={"accept-language": "fr"})
    assert response.status_code == 302
    assert response["Location"] == f"/fr/records/{note.identifier}/"
    assert client.get(f"/r/{note.identifier.lower()}").status_code == 302
    assert client.get("/r/CB-NOTE-KE-999999").status_code == 404
    assert client.get("/r/not-an-identifier").status_code == 404


def test_the_public_sees_published_records_with_fallback_marks(world: World, client: Client) -> None:
    note = _note(world, publish=True)
    page = client.get(f"/fr/records/{note.identifier}/").content.decode()
    # No French title: the original Arabic is shown, marked as such, right-to-left.
    assert '<span lang="ar" dir="rtl">تدريب على إدارة المحميات</span>' in page
    assert "langue originale" in page
    english = client.get(f"/en/records/{note.identifier}/").content.decode()
    assert "Training on protected area management" in english


def test_drafts_are_invisible_to_the_public_and_to_other_parties(world: World, client: Client) -> None:
    note = _note(world)
    assert client.get(f"/en/records/{note.identifier}/").status_code == 404
    client.force_login(world.other_focal_point)
    assert client.get(f"/en/records/{note.identifier}/").status_code == 404
    assert client.get(f"/en/records/{note.identifier}/history/").status_code == 403
    client.force_login(world.focal_point)
    assert client.get(f"/en/records/{note.identifier}/").status_code == 200


def test_pending_changes_stay_private_while_the_published_version_is_shown(
    world: World, client: Client
) -> None:
    note = _note(world, publish=True)
    workflow.save_draft(note, actor=world.authorised_user, values={"year": 2031}, base_revision=1)
    public = client.get(f"/en/records/{note.identifier}/").content.decode()
    assert "2026" in public and "2031" not in public


def test_the_workflow_buttons_take_a_record_from_draft_to_published(world: World, client: Client) -> None:
    note = _note(world)
    client.force_login(world.authorised_user)
    page = client.get(f"/en/records/{note.identifier}/").content.decode()
    assert "Submit for review" in page and "/publish/" not in page
    client.post(f"/en/records/{note.identifier}/submit/")

    client.force_login(world.focal_point)
    page = client.get(f"/en/records/{note.identifier}/").content.decode()
    assert "Return for changes" in page
    client.post(f"/en/records/{note.identifier}/publish/")
    note.refresh_from_db()
    assert note.state == State.PUBLISHED


def test_an_outsider_pressing_publish_changes_nothing(world: World, client: Client) -> None:
    note = _note(world)
    workflow.submit(note, actor=world.authorised_user)
    client.force_login(world.other_focal_point)
    assert client.post(f"/en/records/{note.identifier}/publish/").status_code == 403
    note.refresh_from_db()
    assert note.state == State.SUBMITTED


def test_the_history_shows_a_readable_diff_and_restores(world: World, client: Client) -> None:
    note = _note(world)
    workflow.save_draft(
        note,
        actor=world.authorised_user,
        values={"title": {"ar": TITLES["ar"], "en": "Training for rangers"}},
        base_revision=1,
    )
    client.force_login(world.focal_point)
    page = client.get(f"/en/records/{note.identifier}/history/?from=1&to=2").content.decode()
    assert "Changes from revision 1 to revision 2" in page
    removed = '<li class="removed"><span class="visually-hidden">removed: </span>'
    added = '<li class="added"><span class="visually-hidden">added: </span>'
    assert f"{removed}[en] Training on protected area management" in page
    assert f"{added}[en] Training for rangers" in page
    client.post(f"/en/records/{note.identifier}/restore/", {"revision": "1"})
    note.refresh_from_db()
    assert note.title == TITLES and note.revision_number == 3


def test_a_signed_in_reader_reports_a_record_and_a_reviewer_closes_it(world: World, client: Client) -> None:
    note = _note(world, publish=True)
    assert client.get(f"/en/records/{note.identifier}/report/").status_code == 302  # sign in first
    client.force_login(world.learner)
    response = client.post(
        f"/en/records/{note.identifier}/report/", {"reason": "broken_link", "comment": "404"}
    )
    assert response.status_code == 302
    entry = RecordReport.objects.get()
    client.force_login(world.other_focal_point)
    assert note.identifier not in client.get("/en/review/").content.decode()
    client.force_login(world.focal_point)
    assert "404" in client.get("/en/review/").content.decode()
    client.post(f"/en/review/reports/{entry.pk}/resolve/", {"resolution": "Link fixed."})
    entry.refresh_from_db()
    assert entry.resolved_by == world.focal_point


def test_a_report_needs_a_reason(world: World, client: Client) -> None:
    note = _note(world, publish=True)
    client.force_login(world.learner)
    response = client.post(f"/es/records/{note.identifier}/report/", {"reason": "", "comment": "x"})
    assert "Este campo es requerido." in response.content.decode()
    assert not RecordReport.objects.exists()


def test_a_draft_shared_by_link_can_be_read_and_commented_until_withdrawn(
    world: World, client: Client
) -> None:
    note = _note(world)
    client.force_login(world.authorised_user)
    client.post(f"/en/records/{note.identifier}/share/", {"days": "7"})
    link = ShareLink.objects.get()
    client.logout()
    page = client.get(f"/en/shared/{link.token}/").content.decode()
    assert "Training on protected area management" in page
    client.post(
        f"/en/shared/{link.token}/", {"name": "Chief Ole Sankale", "comment": "Add community rangers."}
    )
    assert DraftComment.objects.get().comment == "Add community rangers."

    client.force_login(world.authorised_user)
    assert "Add community rangers." in client.get(f"/en/records/{note.identifier}/history/").content.decode()
    client.post(f"/en/records/{note.identifier}/share/", {"revoke": link.pk})
    client.logout()
    assert client.get(f"/en/shared/{link.token}/").status_code == 410


def test_an_expired_share_link_is_closed(world: World, client: Client) -> None:
    note = _note(world)
    link = ShareLink.objects.create(
        identifier=note.identifier, expires_at=timezone.now() - timedelta(seconds=1)
    )
    assert client.get(f"/en/shared/{link.token}/").status_code == 410


def test_only_authors_share_drafts(world: World, client: Client) -> None:
    note = _note(world)
    client.force_login(world.other_focal_point)
    assert client.post(f"/en/records/{note.identifier}/share/", {"days": "7"}).status_code == 403
    assert not ShareLink.objects.exists()


def test_the_review_queue_lists_oldest_first_with_counts_and_bulk_actions(
    world: World, client: Client
) -> None:
    older, newer = _note(world), _note(world)
    workflow.submit(older, actor=world.authorised_user)
    workflow.submit(newer, actor=world.authorised_user)
    Note.objects.filter(pk=older.pk).update(submitted_at=timezone.now() - timedelta(days=3))
    client.force_login(world.focal_point)
    page = client.get("/en/review/").content.decode()
    assert "2 records waiting" in page
    assert page.index(older.identifier) < page.index(newer.identifier)
    client.post(
        "/en/review/",
        {"records": [older.identifier, newer.identifier], "action": "return", "comment": "Budget?"},
    )
    older.refresh_from_db()
    newer.refresh_from_db()
    assert (older.state, newer.state) == (State.RETURNED, State.RETURNED)


def test_the_printable_view_and_the_pdf(world: World, client: Client) -> None:
    note = _note(world, publish=True)
    printable = client.get(f"/ar/records/{note.identifier}/print/").content.decode()
    assert '<html lang="ar" dir="rtl">' in printable
    response = client.get(f"/ar/records/{note.identifier}/pdf/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_without_weasyprint_the_pdf_says_it_is_unavailable(
    world: World, client: Client, monkeypatch: Any
) -> None:
    from clearinghouse.publishing import documents

    def unavailable(*args: object) -> bytes:
        raise documents.PdfUnavailableError

    monkeypatch.setattr(documents, "pdf", unavailable)
    note = _note(world, publish=True)
    response = client.get(f"/en/records/{note.identifier}/pdf/")
    assert response.status_code == 503
    assert "printable view" in response.content.decode()


def test_the_api_resolves_identifiers_of_public_records_only(world: World, client: Client) -> None:
    draft = _note(world)
    assert client.get(f"/api/v1/records/{draft.identifier}/").status_code == 404
    published = _note(world, publish=True)
    body = client.get(f"/api/v1/records/{published.identifier}/").json()
    assert (body["identifier"], body["record_type"], body["owner"], body["published_revision"]) == (
        published.identifier,
        "NOTE",
        "KE",
        1,
    )
    assert body["url"].endswith(f"/records/{published.identifier}/")


def test_a_workflow_action_goes_back_to_pages_of_this_site_only(world: World, client: Client) -> None:
    note = _note(world)
    client.force_login(world.authorised_user)
    page = f"/en/records/{note.identifier}/"
    # A crafted form cannot send the person to another site after the action.
    for elsewhere in ("https://evil.example/login", "//evil.example/", "https:/\\evil.example"):
        response = client.post(f"/en/records/{note.identifier}/submit/", {"next": elsewhere})
        assert response.status_code == 302 and response["Location"] == page, elsewhere
    response = client.post(f"/en/records/{note.identifier}/submit/", {"next": "/en/review/"})
    assert response["Location"] == "/en/review/"
