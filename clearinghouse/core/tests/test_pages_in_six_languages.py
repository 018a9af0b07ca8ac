import pytest
from django.test import Client

LANGUAGE_PREFIXES = ["ar", "zh", "en", "fr", "ru", "es"]


@pytest.mark.django_db
@pytest.mark.parametrize("prefix", LANGUAGE_PREFIXES)
def test_home_page_is_served_under_each_language_prefix(client: Client, prefix: str) -> None:
    response = client.get(f"/{prefix}/")
    assert response.status_code == 200
    html = response.content.decode()
    expected_lang = "zh-Hans" if prefix == "zh" else prefix
    assert f'<html lang="{expected_lang}"' in html


@pytest.mark.django_db
def test_arabic_pages_are_right_to_left_and_others_left_to_right(client: Client) -> None:
    assert '<html lang="ar" dir="rtl">' in client.get("/ar/").content.decode()
    for prefix in ["en", "fr", "zh"]:
        assert 'dir="ltr"' in client.get(f"/{prefix}/").content.decode()


@pytest.mark.django_db
def test_home_page_text_is_translated(client: Client) -> None:
    # The lead heading differs in every language: a missing catalogue would show English.
    headings = {
        prefix: client.get(f"/{prefix}/").content.decode().split("<h1>")[1].split("</h1>")[0]
        for prefix in LANGUAGE_PREFIXES
    }
    assert len(set(headings.values())) == len(LANGUAGE_PREFIXES)
    assert "Clearing-house" in headings["en"]


@pytest.mark.django_db
def test_language_switcher_links_to_the_same_page_in_every_language(client: Client) -> None:
    html = client.get("/fr/accounts/login/").content.decode()
    for prefix in LANGUAGE_PREFIXES:
        assert f'href="/{prefix}/accounts/login/"' in html
    # The current language is marked for assistive technology.
    assert 'hreflang="fr" aria-current="true"' in html


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("accept_language", "expected"),
    [("ar-EG,ar;q=0.9", "/ar/"), ("zh-CN,zh;q=0.9", "/zh/"), ("ru", "/ru/"), ("de-DE", "/en/")],
)
def test_root_sends_visitors_to_their_browser_language(
    client: Client, accept_language: str, expected: str
) -> None:
    response = client.get("/", headers={"accept-language": accept_language})
    assert response.status_code == 302
    assert response["Location"] == expected


@pytest.mark.django_db
def test_the_long_chinese_code_is_accepted_too(client: Client) -> None:
    # Django's own redirects for unprefixed addresses use the full code.
    assert client.get("/zh-hans/").status_code == 200


@pytest.mark.django_db
def test_unknown_page_is_a_404_not_an_error(client: Client) -> None:
    assert client.get("/en/no-such-page/").status_code == 404
