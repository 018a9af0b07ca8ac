import pytest
from django.test import Client


@pytest.mark.django_db
def test_languages_lists_the_six_un_languages_with_their_direction(client: Client) -> None:
    response = client.get("/api/v1/languages/")
    assert response.status_code == 200
    languages = {item["code"]: item for item in response.json()}
    assert list(languages) == ["ar", "zh", "en", "fr", "ru", "es"]
    assert languages["ar"]["rtl"] is True
    assert not any(item["rtl"] for code, item in languages.items() if code != "ar")


@pytest.mark.django_db
def test_error_messages_follow_the_request_language(client: Client) -> None:
    response = client.get("/api/v1/organisations/?page_size=x", headers={"accept-language": "fr"})
    assert response.json()["errors"][0]["message"] == "Indiquez un nombre entier égal ou supérieur à 1."


@pytest.mark.django_db
def test_an_invalid_token_is_refused_with_a_json_error(client: Client) -> None:
    response = client.get("/api/v1/languages/", headers={"authorization": "Token not-a-token"})
    assert response.status_code == 401
    body = response.json()
    assert body["errors"][0]["field"] is None
    assert body["errors"][0]["code"] == "authentication_failed"


@pytest.mark.django_db
def test_api_docs_are_served_without_a_content_network(client: Client) -> None:
    html = client.get("/api/v1/docs/").content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/" in html
    assert "cdn." not in html


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("page=0", "page"),
        ("page=abc", "page"),
        ("page_size=0", "page_size"),
        ("page_size=101", "page_size"),
        ("page_size=x", "page_size"),
    ],
)
def test_malformed_paging_is_a_400_naming_the_parameter(client: Client, query: str, field: str) -> None:
    response = client.get(f"/api/v1/organisations/?{query}")
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == field


@pytest.mark.django_db
def test_a_page_past_the_end_is_a_404(client: Client) -> None:
    assert client.get("/api/v1/organisations/?page=99").status_code == 404


@pytest.mark.django_db
def test_unknown_api_addresses_answer_json_not_html(client: Client) -> None:
    response = client.get("/api/v1/no-such-thing/\n")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert "docs" in response.json()["errors"][0]["message"]
