"""Certificates of completion: issued once, when a learner completes a course without failing
it; a PDF in the language they studied in; a public page that says genuine, revoked or unknown;
revoked by the course's owners only."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client, override_settings

from clearinghouse.core.testing import World
from clearinghouse.learning import certificates
from clearinghouse.learning.models import CompletionRule, CourseCertificate
from clearinghouse.learning.tests.cert_factories import complete, enrol, make_course


def test_completing_a_course_issues_one_certificate(world: World) -> None:
    enrolment = enrol(make_course(world), world.learner)
    complete(enrolment)
    assert enrolment.status == "completed" and enrolment.passed is True
    certificate = CourseCertificate.objects.get(enrolment=enrolment)
    # Asking again, or completing items again, never makes a second certificate.
    assert certificates.issue(enrolment) == certificate
    complete(enrolment)
    assert CourseCertificate.objects.filter(enrolment=enrolment).count() == 1


def test_a_course_without_quizzes_earns_a_certificate_on_completion(world: World) -> None:
    enrolment = complete(enrol(make_course(world, quiz=False), world.learner))
    assert enrolment.passed is None
    assert CourseCertificate.objects.filter(enrolment=enrolment).exists()


def test_a_completion_with_a_failed_quiz_earns_no_certificate(world: World) -> None:
    # "Every lesson viewed" completes the course even though the quiz was failed.
    course = make_course(world, completion_rule=CompletionRule.COMPLETED)
    enrolment = complete(enrol(course, world.learner), passed=False)
    assert enrolment.status == "completed" and enrolment.passed is False
    assert not CourseCertificate.objects.exists()
    with pytest.raises(ValidationError, match="passed the course"):
        certificates.issue(enrolment)


def test_no_certificate_before_completion(world: World, client: Client) -> None:
    course = make_course(world)
    enrol(course, world.learner)
    client.force_login(world.learner)
    response = client.get(f"/en/learning/courses/{course.identifier}/certificate/")
    assert response.status_code == 403
    assert "once you have completed the course" in response.content.decode()
    assert not CourseCertificate.objects.exists()


def test_codes_are_read_whatever_the_case_and_dashes(world: World) -> None:
    certificate = CourseCertificate.objects.get(enrolment=complete(enrol(make_course(world), world.learner)))
    plain = certificate.code.replace("-", "")
    for typed in (certificate.code, plain.lower(), f"  {plain[:4]} {plain[4:8]} {plain[8:]} "):
        assert certificates.find(typed) == certificate
    assert certificates.find("AAAA-BBBB-CCCC") is None
    assert certificates.find("not a code") is None
    assert certificates.normalise_code("x" * 5000) == ""


def _pdf_or_skip(response: Any) -> bytes:
    if response.status_code == 503:
        pytest.skip("WeasyPrint's system libraries (Pango) are missing")
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == "application/pdf"
    content: bytes = response.content
    assert content.startswith(b"%PDF")
    return content


def _text(content: bytes) -> str:
    from pypdf import PdfReader

    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


@pytest.mark.parametrize(
    ("language", "heading", "title"),
    [
        ("en", "Certificate of completion", "Introduction to invasive alien species"),
        ("ar", "شهادة إتمام", "الغريبة"),
        ("zh", "结业证书", "外来入侵物种导论"),
    ],
)
def test_the_learner_downloads_the_certificate_in_the_language_of_study(
    world: World, client: Client, language: str, heading: str, title: str
) -> None:
    pytest.importorskip("weasyprint", exc_type=ImportError)
    world.learner.first_name, world.learner.last_name = "Mei", "Wang"
    world.learner.save()
    course = make_course(world)
    certificate = CourseCertificate.objects.get(
        enrolment=complete(enrol(course, world.learner, language=language))
    )
    client.force_login(world.learner)
    # Whatever language the page is asked in, the certificate is in the language of study.
    text = _text(_pdf_or_skip(client.get(f"/fr/learning/courses/{course.identifier}/certificate/")))
    assert "Mei" in text and "Wang" in text
    assert title in text
    assert certificate.code in text
    prefix = {"zh": "zh"}.get(language, language)
    assert f"/{prefix}/learning/verify/{certificate.code}/" in text.replace("\n", "").replace(" ", "")
    assert heading in text


def test_the_arabic_certificate_is_laid_out_right_to_left_and_the_chinese_in_a_cjk_font(world: World) -> None:
    course = make_course(world)
    arabic = CourseCertificate.objects.get(enrolment=complete(enrol(course, world.learner, language="ar")))
    html = certificates.printable_html(arabic)
    assert 'lang="ar" dir="rtl"' in html
    assert 'font-family: "Noto Naskh Arabic"' in html
    chinese = CourseCertificate.objects.get(enrolment=complete(enrol(course, world.trainer, language="zh")))
    html = certificates.printable_html(chinese)
    assert 'lang="zh-hans" dir="ltr"' in html
    assert 'font-family: "Noto Sans CJK SC"' in html


def test_without_weasyprint_the_certificate_says_it_is_unavailable(
    world: World, client: Client, monkeypatch: Any
) -> None:
    from clearinghouse.publishing.documents import PdfUnavailableError

    def unavailable(*args: object) -> bytes:
        raise PdfUnavailableError

    monkeypatch.setattr(certificates, "pdf", unavailable)
    course = make_course(world)
    complete(enrol(course, world.learner))
    client.force_login(world.learner)
    response = client.get(f"/en/learning/courses/{course.identifier}/certificate/")
    assert response.status_code == 503
    assert "cannot make PDF files" in response.content.decode()


def test_the_verification_page_says_genuine_revoked_or_unknown(world: World, client: Client) -> None:
    world.learner.first_name, world.learner.last_name = "Wanjiku", "Mwangi"
    world.learner.save()
    course = make_course(world)
    certificate = CourseCertificate.objects.get(enrolment=complete(enrol(course, world.learner)))
    page = client.get(f"/en/learning/verify/{certificate.code}/")
    text = page.content.decode()
    assert page.status_code == 200
    assert "This certificate is genuine." in text
    assert "Wanjiku Mwangi" in text and "Introduction to invasive alien species" in text and "Kenya" in text
    # The reader's language for the course title, whatever the learner studied in.
    assert (
        "Introduction aux espèces exotiques"
        in client.get(f"/fr/learning/verify/{certificate.code}/").content.decode()
    )

    certificates.revoke(certificate, actor=world.authorised_user, reason="Completed by someone else")
    text = client.get(f"/en/learning/verify/{certificate.code}/").content.decode()
    assert "This certificate was revoked on" in text and "(Completed by someone else)" in text
    assert "This certificate is genuine." not in text

    forged = client.get("/en/learning/verify/AAAA-BBBB-CCCC/")
    assert forged.status_code == 404
    assert "No certificate has this code" in forged.content.decode()


def test_a_code_typed_in_the_form_leads_to_its_page(world: World, client: Client) -> None:
    certificate = CourseCertificate.objects.get(enrolment=complete(enrol(make_course(world), world.learner)))
    form = client.get("/en/learning/verify/")
    assert form.status_code == 200 and 'name="code"' in form.content.decode()
    typed = certificate.code.replace("-", "").lower()
    response = client.get("/en/learning/verify/", {"code": typed})
    assert response.status_code == 302
    assert response["Location"] == f"/en/learning/verify/{certificate.code}/"
    unknown = client.get("/en/learning/verify/", {"code": "2345-6789-ABCD"})
    assert unknown.status_code == 404
    assert "No certificate has this code" in unknown.content.decode()
    # A page asked with the code as typed is sent to the code's own address.
    assert (
        client.get(f"/en/learning/verify/{typed}/")["Location"] == f"/en/learning/verify/{certificate.code}/"
    )


@override_settings(LEARNING_VERIFY_RATE="3/minute")
def test_look_ups_by_code_are_limited_per_address(world: World, client: Client) -> None:
    for _ in range(3):
        assert client.get("/en/learning/verify/", {"code": "2345-6789-ABCD"}).status_code == 404
    limited = client.get("/en/learning/verify/", {"code": "2345-6789-ABCD"})
    assert limited.status_code == 429
    assert "Too many look-ups" in limited.content.decode()


def test_only_the_course_owners_and_the_secretariat_revoke(world: World, client: Client) -> None:
    course = make_course(world)
    certificate = CourseCertificate.objects.get(enrolment=complete(enrol(course, world.learner)))
    for person in (world.learner, world.outsider, world.other_focal_point):
        with pytest.raises(PermissionDenied):
            certificates.revoke(certificate, actor=person, reason="No")
        client.force_login(person)
        response = client.post(f"/en/learning/verify/{certificate.code}/revoke/", {"reason": "No"})
        assert response.status_code == 403
    certificate.refresh_from_db()
    assert certificate.revoked_at is None

    client.force_login(world.authorised_user)
    # A reason is required, and nothing is saved without one.
    response = client.post(f"/en/learning/verify/{certificate.code}/revoke/", {"reason": "  "})
    assert response.status_code == 400
    certificate.refresh_from_db()
    assert certificate.revoked_at is None
    response = client.post(
        f"/en/learning/verify/{certificate.code}/revoke/", {"reason": "Plagiarised answers"}, follow=True
    )
    assert "is revoked" in response.content.decode()
    certificate.refresh_from_db()
    assert certificate.revoked_at is not None and certificate.revocation_reason == "Plagiarised answers"
    with pytest.raises(ValidationError, match="revoked on"):
        certificates.revoke(certificate, actor=world.secretariat, reason="Again")


def test_a_revoked_certificate_is_not_downloaded(world: World, client: Client) -> None:
    course = make_course(world)
    certificate = CourseCertificate.objects.get(enrolment=complete(enrol(course, world.learner)))
    certificates.revoke(certificate, actor=world.secretariat, reason="Identity not confirmed")
    client.force_login(world.learner)
    response = client.get(f"/en/learning/courses/{course.identifier}/certificate/")
    assert response.status_code == 403
    assert "Identity not confirmed" in response.content.decode()
    # Completing again does not bring a new certificate.
    assert CourseCertificate.objects.count() == 1


def test_the_owners_list_the_certificates_of_their_course(world: World, client: Client) -> None:
    course = make_course(world)
    certificate = CourseCertificate.objects.get(enrolment=complete(enrol(course, world.learner)))
    client.force_login(world.outsider)
    assert client.get(f"/en/learning/courses/{course.identifier}/certificates/").status_code == 403
    client.force_login(world.authorised_user)
    text = client.get(f"/en/learning/courses/{course.identifier}/certificates/").content.decode()
    assert certificate.code in text


def test_bad_revocations_change_nothing(world: World, client: Client) -> None:
    certificate = CourseCertificate.objects.get(enrolment=complete(enrol(make_course(world), world.learner)))
    client.force_login(world.secretariat)
    assert client.post("/en/learning/verify/AAAA-BBBB-CCCC/revoke/", {"reason": "x"}).status_code == 404
    assert client.get(f"/en/learning/verify/{certificate.code}/revoke/").status_code == 405
    response = client.post(f"/en/learning/verify/{certificate.code}/revoke/", {"reason": "x" * 301})
    assert response.status_code == 400
    assert "at most 300 characters" in response.content.decode()
    certificate.refresh_from_db()
    assert certificate.revoked_at is None and certificate.revocation_reason == ""


def test_hostile_codes_are_unknown_codes(client: Client, db: None) -> None:
    for code in ("<script>alert(1)</script>", "%00", "A" * 500, "../../etc/passwd"):
        response = client.get("/en/learning/verify/", {"code": code})
        assert response.status_code in {400, 404}
        assert "<script>alert(1)</script>" not in response.content.decode()
