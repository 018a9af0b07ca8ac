import pytest
from django.test import Client

from clearinghouse.accounts.models import User


@pytest.fixture
def person(db: None) -> User:
    return User.objects.create_user("nadia", email="nadia@example.org", password="a-long-passphrase-1")


def test_a_person_signs_in_with_the_plain_form(client: Client, person: User) -> None:
    response = client.post(
        "/en/accounts/login/", {"username": "nadia", "password": "a-long-passphrase-1", "next": "/en/"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/en/"
    assert "Sign out" in client.get("/en/").content.decode()


def test_a_wrong_password_is_refused_in_the_readers_language(client: Client, person: User) -> None:
    response = client.post("/ar/accounts/login/", {"username": "nadia", "password": "wrong"})
    assert response.status_code == 200
    html = response.content.decode()
    # Django's own Arabic catalogue: "Please enter a correct username and password ..."
    assert "الرجاء إدخال" in html
    assert 'role="alert"' in html


def test_signing_out_takes_a_post(client: Client, person: User) -> None:
    client.force_login(person)
    assert client.get("/en/accounts/logout/").status_code == 405
    assert client.post("/en/accounts/logout/").status_code == 302
