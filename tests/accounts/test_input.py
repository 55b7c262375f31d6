"""A role id too large for the database is a field error, never a 500."""

from __future__ import annotations

from fpa.accounts.models import User
from tests.factories import UserFactory


def test_a_thirty_digit_role_id_is_a_field_error(users, tree, client):
    client.force_login(
        UserFactory(username="cs_admin", org=tree["430121000000"], roles=["org_admin"])
    )
    data = {
        "username": "hh_clerk",
        "display_name": "黄花村专干",
        "org_code": "430121002001",
        "password": "Huang#hua21",
        "roles": ["9" * 30],
    }
    assert client.post("/accounts/users/add/", data).status_code == 200
    assert (
        client.post(f"/accounts/users/{users['village'].pk}/", {"roles": ["9" * 30]}).status_code
        == 200
    )
    assert not User.objects.filter(username="hh_clerk").exists()
