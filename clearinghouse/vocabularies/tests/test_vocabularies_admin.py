"""The Secretariat edits vocabularies in the admin; each change is a new version and revision."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from django.test import Client
from django.urls import reverse

from clearinghouse.accounts import services as appointments
from clearinghouse.accounts.models import Role, User
from clearinghouse.core.testing import give_second_factor
from clearinghouse.vocabularies.models import Term, Vocabulary
from clearinghouse.vocabularies.services import data_files, load_vocabularies

pytestmark = pytest.mark.django_db


class FormReader(HTMLParser):
    """What a browser would send for the admin's change form, as it stands on the page."""

    def __init__(self) -> None:
        super().__init__()
        self.data: dict[str, list[str]] = {}
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        name = attributes.get("name")
        if tag == "input" and name and attributes.get("type") not in {"submit", "button", "file"}:
            if attributes.get("type") == "checkbox":
                if "checked" in attributes:
                    self.data.setdefault(name, []).append(attributes.get("value") or "on")
                return
            self.data.setdefault(name, []).append(attributes.get("value") or "")
        elif tag == "select" and name:
            self._select = name
            self.data.setdefault(name, [])
        elif tag == "option" and self._select and "selected" in attributes:
            self.data[self._select].append(attributes.get("value") or "")
        elif tag == "textarea" and name:
            self._textarea = name
            self.data[name] = [""]

    def handle_data(self, data: str) -> None:
        if self._textarea:
            self.data[self._textarea][0] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None
        elif tag == "textarea" and self._textarea:
            # Browsers drop the newline that follows <textarea>.
            self.data[self._textarea][0] = self.data[self._textarea][0].removeprefix("\n")
            self._textarea = None


def change_form(client: Client, url: str) -> dict[str, list[str]]:
    response = client.get(url)
    assert response.status_code == 200
    reader = FormReader()
    reader.feed(response.content.decode())
    reader.data.pop("csrfmiddlewaretoken", None)
    return reader.data


def term_prefix(data: dict[str, list[str]], term: Term) -> str:
    """The form prefix (terms-N) of a term's row."""
    return next(
        name.removesuffix("-id")
        for name, values in data.items()
        if name.endswith("-id") and values == [str(term.pk)] and name.startswith("terms-")
    )


@pytest.fixture
def gbf() -> Vocabulary:
    load_vocabularies(data_files())
    return Vocabulary.objects.get(name="gbf-targets")


@pytest.fixture
def secretariat() -> User:
    amina = User.objects.create_superuser("amina", email="amina@example.org", password="a-long-passphrase-7")
    # Admin access requires a second factor before acting (accounts.mfa_policy).
    give_second_factor(amina)
    return amina


def change_url(vocabulary: Vocabulary) -> str:
    return reverse("admin:vocabularies_vocabulary_change", args=[vocabulary.pk])


def test_labels_are_six_inputs_each_marked_with_its_language(
    client: Client, secretariat: User, gbf: Vocabulary
) -> None:
    client.force_login(secretariat)
    html = client.get(change_url(gbf)).content.decode()
    assert 'name="titles_ar"' in html
    for language in ("ar", "zh", "en", "fr", "ru", "es"):
        assert f'name="terms-0-labels_{language}"' in html
    assert 'lang="ar" dir="rtl"' in html
    assert 'lang="zh-Hans"' in html
    # No label is edited as raw JSON.
    assert '"ar":' not in html.split('id="terms-group"')[1].split("</fieldset>")[0]


def test_a_secretariat_superuser_edits_a_label_and_a_new_version_is_kept(
    client: Client, secretariat: User, gbf: Vocabulary
) -> None:
    client.force_login(secretariat)
    target = gbf.terms.get(code="GBF-T3")
    data = change_form(client, change_url(gbf))
    data[f"{term_prefix(data, target)}-labels_fr"] = [
        "Conserver au moins 30 % des terres, des eaux et des mers"
    ]
    data["note"] = ["French label of target 3"]
    response = client.post(change_url(gbf), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    target.refresh_from_db()
    gbf.refresh_from_db()
    assert target.labels["fr"] == "Conserver au moins 30 % des terres, des eaux et des mers"
    assert gbf.version == 2
    revision = gbf.revisions.get(version=2)
    assert (revision.created_by, revision.note) == (secretariat, "French label of target 3")
    snapshot_term = next(term for term in revision.snapshot["terms"] if term["code"] == "GBF-T3")
    assert snapshot_term["labels"]["fr"] == "Conserver au moins 30 % des terres, des eaux et des mers"


def test_saving_the_form_unchanged_keeps_the_version(
    client: Client, secretariat: User, gbf: Vocabulary
) -> None:
    client.force_login(secretariat)
    response = client.post(change_url(gbf), change_form(client, change_url(gbf)))
    assert response.status_code == 302
    gbf.refresh_from_db()
    assert gbf.version == 1
    assert gbf.revisions.count() == 1


def test_a_mapping_and_a_withdrawal_are_saved_from_the_term_rows(
    client: Client, secretariat: User, gbf: Vocabulary
) -> None:
    client.force_login(secretariat)
    aichi = Vocabulary.objects.get(name="aichi-targets")
    target = aichi.terms.get(code="AICHI-T17")
    data = change_form(client, change_url(aichi))
    prefix = term_prefix(data, target)
    data[f"{prefix}-maps_to"] = [str(gbf.terms.get(code="GBF-T14").pk)]
    data.pop(f"{prefix}-is_active")
    assert client.post(change_url(aichi), data).status_code == 302
    target.refresh_from_db()
    assert [term.code for term in target.maps_to.all()] == ["GBF-T14"]
    assert target.is_active is False
    aichi.refresh_from_db()
    assert aichi.version == 2


def test_a_label_left_empty_is_refused_naming_the_language(
    client: Client, secretariat: User, gbf: Vocabulary
) -> None:
    client.force_login(secretariat)
    data = change_form(client, change_url(gbf))
    data[f"{term_prefix(data, gbf.terms.get(code='GBF-T3'))}-labels_ru"] = [""]
    response = client.post(change_url(gbf), data)
    assert response.status_code == 200
    assert "missing: ru" in response.content.decode()
    gbf.refresh_from_db()
    assert gbf.version == 1


def test_a_term_cannot_be_placed_under_itself(client: Client, secretariat: User) -> None:
    load_vocabularies(data_files())
    subjects = Vocabulary.objects.get(name="subjects")
    top = subjects.terms.filter(parent=None).first()
    assert top is not None
    child = top.children.first()
    assert child is not None
    client.force_login(secretariat)
    data = change_form(client, change_url(subjects))
    data[f"{term_prefix(data, top)}-parent"] = [str(child.pk)]
    response = client.post(change_url(subjects), data)
    assert response.status_code == 200
    top.refresh_from_db()
    assert top.parent is None


def test_a_vocabulary_made_in_the_admin_starts_at_version_one(
    client: Client, secretariat: User, gbf: Vocabulary
) -> None:
    client.force_login(secretariat)
    url = reverse("admin:vocabularies_vocabulary_add")
    data = change_form(client, url)
    names = {"ar": "طرق", "zh": "方法", "en": "Methods", "fr": "Méthodes", "ru": "Методы", "es": "Métodos"}
    data |= {"name": ["methods"], **{f"titles_{code}": [text] for code, text in names.items()}}
    data |= {"terms-0-code": ["mentoring"], "terms-0-maps_to": [str(gbf.terms.get(code="GBF-T20").pk)]}
    data |= {f"terms-0-labels_{code}": [f"{text} 1"] for code, text in names.items()}
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    methods = Vocabulary.objects.get(name="methods")
    assert (methods.version, methods.titles["ru"]) == (1, "Методы")
    assert methods.revisions.get().created_by == secretariat
    assert [term.code for term in methods.terms.get(code="mentoring").maps_to.all()] == ["GBF-T20"]


def test_a_secretariat_member_who_is_not_a_superuser_may_edit(client: Client, gbf: Vocabulary) -> None:
    member = User.objects.create_user("ines", email="ines@example.org", is_staff=True)
    appointments.appoint(actor=None, user=member, role=Role.SECRETARIAT)
    give_second_factor(member)
    client.force_login(member)
    assert client.get(reverse("admin:index")).status_code == 200
    data = change_form(client, change_url(gbf))
    data["source"] = ["Decision 15/4"]
    assert client.post(change_url(gbf), data).status_code == 302
    gbf.refresh_from_db()
    assert (gbf.source, gbf.version) == ("Decision 15/4", 2)


def test_staff_without_the_permission_are_refused(client: Client, gbf: Vocabulary) -> None:
    omar = User.objects.create_user("omar", email="omar@example.org", is_staff=True)
    give_second_factor(omar)
    client.force_login(omar)
    assert client.get(change_url(gbf)).status_code == 403
    assert client.post(change_url(gbf), {"source": "x"}).status_code == 403
    gbf.refresh_from_db()
    assert gbf.version == 1


def test_a_user_who_is_not_staff_is_sent_to_sign_in_and_changes_nothing(
    client: Client, gbf: Vocabulary
) -> None:
    outsider = User.objects.create_user("ivan", email="ivan@example.org")
    appointments.appoint(actor=None, user=outsider, role=Role.SECRETARIAT)
    give_second_factor(outsider)
    client.force_login(outsider)
    # Even the Secretariat role does not open the admin without staff status.
    response = client.post(change_url(gbf), {"source": "x"})
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
    gbf.refresh_from_db()
    assert gbf.source != "x"
    assert gbf.version == 1


def test_revisions_are_shown_read_only(client: Client, secretariat: User, gbf: Vocabulary) -> None:
    client.force_login(secretariat)
    revision = gbf.revisions.get()
    assert "gbf-targets.json, release 2026.1" in client.get(change_url(gbf)).content.decode()
    url = reverse("admin:vocabularies_vocabularyrevision_change", args=[revision.pk])
    html = client.get(url).content.decode()
    assert "GBF-T3" in html
    assert 'name="_save"' not in html
    assert client.post(url, {"note": "rewritten"}).status_code == 403
    assert (
        client.get(reverse("admin:vocabularies_vocabularyrevision_delete", args=[revision.pk])).status_code
        == 403
    )


def test_vocabularies_cannot_be_deleted_in_the_admin(
    client: Client, secretariat: User, gbf: Vocabulary
) -> None:
    client.force_login(secretariat)
    assert client.get(reverse("admin:vocabularies_vocabulary_delete", args=[gbf.pk])).status_code == 403
