"""API tokens expire (FPA_API_TOKEN_DAYS) and the security administrator lists and revokes the
tokens of the accounts in reach."""

from __future__ import annotations

import datetime

from rest_framework.authtoken.models import Token

from fpa.audit.models import LogEntry
from tests.factories import UserFactory


def make_token(client, user) -> str:
    client.force_login(user)
    client.post("/accounts/token/", {"action": "create"})
    client.logout()
    return Token.objects.get(user=user).key


def age(key: str, days: int) -> None:
    Token.objects.filter(key=key).update(
        created=Token.objects.get(key=key).created - datetime.timedelta(days=days)
    )


def test_a_token_older_than_the_set_days_is_refused_with_a_clear_message(users, client, settings):
    key = make_token(client, users["county"])
    auth = {"Authorization": f"Token {key}"}
    age(key, 89)
    assert client.get("/api/orgs/", headers=auth).status_code == 200
    age(key, 2)
    response = client.get("/api/orgs/", headers=auth)
    assert response.status_code == 401
    assert "已于" in response.json()["detail"] and "90 天" in response.json()["detail"]
    settings.FPA_API_TOKEN_DAYS = 120
    assert client.get("/api/orgs/", headers=auth).status_code == 200


def test_the_token_page_says_when_it_expires(users, client):
    client.force_login(users["county"])
    page = client.post("/accounts/token/", {"action": "create"}).content.decode()
    assert "有效期至" in page
    assert "有效期至" in client.get("/accounts/token/").content.decode()


def test_security_admin_lists_and_revokes_tokens_in_reach(users, tree, client):
    village = make_token(client, users["village"])
    make_token(client, users["outsider"])
    security = UserFactory(username="cs_sec", org=tree["430121000000"], roles=["security_admin"])
    client.force_login(security)
    page = client.get("/accounts/tokens/").content.decode()
    assert "village" in page and "outsider" not in page
    assert client.post(f"/accounts/tokens/{users['outsider'].pk}/revoke/").status_code == 404
    client.post(f"/accounts/tokens/{users['village'].pk}/revoke/")
    assert not Token.objects.filter(key=village).exists()
    assert Token.objects.filter(user=users["outsider"]).exists()
    entry = LogEntry.unscoped_objects.get(action="fpa.account.token.revoked")
    assert entry.actor == security and entry.object_id == str(users["village"].pk)
    client.force_login(users["county"])
    assert client.get("/accounts/tokens/").status_code == 403
    assert client.post(f"/accounts/tokens/{users['village'].pk}/revoke/").status_code == 403
    client.logout()
    response = client.get("/api/orgs/", headers={"Authorization": f"Token {village}"})
    assert response.status_code == 401
