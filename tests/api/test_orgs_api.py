from __future__ import annotations


def test_api_lists_only_the_users_subtree(users, tree, client_for):
    data = client_for(users["outsider"]).get("/api/orgs/").json()
    assert data["count"] == 2
    assert {o["code"] for o in data["results"]} == {"430181001000", "430181001001"}


def test_api_children_filter_and_bad_parent(users, tree, client_for):
    client = client_for(users["county"])
    county = tree["430121000000"]
    data = client.get(f"/api/orgs/?parent={county.pk}").json()
    assert [o["name"] for o in data["results"]] == ["星沙街道", "黄花镇"]
    assert client.get("/api/orgs/?parent=abc").json()["count"] == 0


def test_openapi_schema_is_served(users, client_for):
    response = client_for(users["county"]).get("/api/schema/")
    assert response.status_code == 200 and b"/api/orgs/" in response.content
