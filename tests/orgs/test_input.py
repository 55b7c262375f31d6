"""Odd digits in org codes and API parameters are a refusal, never a 500."""

from __future__ import annotations

from tests.factories import UserFactory


def test_superscript_digits_in_an_org_code_field_are_a_field_error(users, tree, client):
    admin = UserFactory(username="cs_admin", org=tree["430121000000"], roles=["org_admin"])
    client.force_login(admin)
    response = client.post(
        "/accounts/users/add/",
        {"username": "x1", "display_name": "x", "org_code": "²", "password": "Huang#hua21"},
    )
    assert response.status_code == 200
    assert "在您的管辖范围内找不到“²”" in response.content.decode()


def test_full_width_digits_in_an_org_code_are_read_as_the_code(users, tree, client):
    admin = UserFactory(username="cs_admin", org=tree["430121000000"], roles=["org_admin"])
    client.force_login(admin)
    response = client.post(
        "/accounts/users/add/",
        {
            "username": "hh2",
            "display_name": "黄花村",
            "org_code": "４３０１２１００２００１",
            "password": "Huang#hua21",
            "roles": [4],
        },
    )
    assert response.status_code == 302


def test_api_parent_that_is_not_an_ascii_number_lists_nothing(users, client):
    client.force_login(users["county"])
    for parent in ("²", "9" * 30, "9" * 5000):
        response = client.get("/api/orgs/", {"parent": parent})
        assert response.status_code == 200
        assert response.json()["results"] == []


def test_api_refuses_control_characters_with_a_chinese_message(users, client):
    client.force_login(users["county"])
    response = client.get("/api/orgs/", {"parent": "1\x1b"})
    assert response.status_code == 400
    assert "控制字符" in response.json()["parent"][0]
