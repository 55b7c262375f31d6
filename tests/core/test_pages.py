from __future__ import annotations

import datetime
import re

import pytest

from fpa.core import views

DAY = datetime.date(2015, 5, 29)
ASSET = re.compile(r'<(?:script|link|img)[^>]+(?:src|href)="([^"]+)"')


def test_healthz_answers_without_login(db, client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json()["database"] == "ok"


def test_healthz_reports_an_unreachable_database(db, client, monkeypatch):
    class Down:
        def cursor(self):
            raise RuntimeError("down")

    monkeypatch.setattr(views, "connection", Down())
    assert client.get("/healthz").status_code == 503


def test_anonymous_user_is_sent_to_login(db, client):
    response = client.get("/orgs/")
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")


def test_login_page_takes_the_password_and_opens_the_dashboard(users, client):
    response = client.post(
        "/accounts/login/", {"username": "county", "password": "Test@2021pass"}, follow=True
    )
    assert "长沙县 · 工作概览" in response.content.decode()
    wrong = client.post("/accounts/login/", {"username": "county", "password": "nope"})
    assert "用户名或密码错误" in wrong.content.decode()


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/orgs/",
        "/orgs/{county}/",
        "/orgs/{county}/edit/",
        "/orgs/search/?q=cs",
        "/accounts/login/",
    ],
)
def test_pages_reference_no_external_host(users, tree, client_for, url):
    client = client_for(users["county"])
    body = client.get(url.format(county=tree["430121000000"].pk)).content.decode()
    assets = ASSET.findall(body)
    assert assets, "the page should load its own assets"
    external = [a for a in assets if re.match(r"(https?:)?//", a)]
    assert external == []


def test_dashboard_counts_the_subtree(users, tree, client_for):
    body = client_for(users["county"]).get("/").content.decode()
    assert 'data-testid="level-township">2<' in body
    assert 'data-testid="level-village">3<' in body


def test_dashboard_counts_non_territorial_orgs_apart_from_their_level(users, tree, client_for):
    from fpa.kernel.scope import Actor
    from fpa.orgs import services

    services.add_child(
        tree["430121000000"],
        {"kind": "school", "name": "一中计生协", "established_on": DAY},
        actor=Actor.system(tree["430000000000"]),
    )
    body = client_for(users["county"]).get("/").content.decode()
    assert 'data-testid="level-county">1<' in body
    assert 'data-testid="non-territorial">1<' in body
