"""The sign-up form (allauth's, rendered through the platform's form templates) marks its
required fields and sums up its problems at the top, in the reader's language."""

from __future__ import annotations

import re

import pytest
from django.test import Client


@pytest.mark.django_db
def test_sign_up_marks_required_fields_and_sums_up_errors(client: Client) -> None:
    html = client.get("/ru/accounts/signup/").content.decode()
    email = re.search(r'<label for="id_email"[^>]*>.*?</label>', html, re.S)
    assert email and "(обязательно)" in email.group(0)
    assert re.search(r'<input[^>]*required[^>]*id="id_email"|<input[^>]*id="id_email"[^>]*required', html)

    response = client.post("/ru/accounts/signup/", {"email": "", "password1": "", "password2": ""})
    html = response.content.decode()
    summary = re.search(r'<div class="error-summary"[^>]*>.*?</div>', html, re.S)
    assert summary, "the failed sign-up sums up its problems"
    assert "Есть ошибка" in summary.group(0)
    assert 'href="#id_email"' in summary.group(0)
