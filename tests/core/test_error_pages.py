"""Error pages in Chinese with a way back (issue 13 point 9), in production and in the
development settings `make run` serves the demo with."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

WAY_BACK = 'href="/"'


def _page(response) -> str:
    text = response.content.decode()
    assert 'data-testid="error-page"' in text
    assert WAY_BACK in text
    return text


@pytest.mark.parametrize("debug", [False, True])
def test_a_missing_page_is_explained_in_chinese_without_the_url_list(
    users, client_for, settings, debug
):
    settings.DEBUG = debug
    response = client_for(users["county"]).get("/no-such-page/")
    assert response.status_code == 404
    text = _page(response)
    assert "页面不存在" in text
    # Django's technical 404 names the URLconf and lists every pattern; ours names neither.
    assert "URLconf" not in text and "Django" not in text


@pytest.mark.parametrize("debug", [False, True])
def test_another_countys_record_is_the_same_404_page(users, tree, client_for, settings, debug):
    settings.DEBUG = debug
    outside = tree["430181001000"]
    response = client_for(users["county"]).get(reverse("orgs:detail", args=[outside.pk]))
    assert response.status_code == 404
    assert "不在您单位的管辖范围内" in _page(response)


def test_a_refused_action_names_the_permission_and_who_to_ask(users, client_for):
    response = client_for(users["county"]).get(reverse("audit:log"))
    assert response.status_code == 403
    text = _page(response)
    assert "没有权限" in text and "账号管理员" in text and "audit.view" in text


@pytest.mark.urls("tests.core.error_urls")
def test_a_failure_is_a_chinese_500_page(users, client):
    client.force_login(users["county"])
    client.raise_request_exception = False
    response = client.get("/fails/")
    assert response.status_code == 500
    assert "系统出错了" in _page(response)


def test_an_expired_form_says_refresh_and_submit_again(users):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(users["county"])
    response = browser.post(reverse("accounts:logout"))
    assert response.status_code == 403
    assert "页面已过期" in _page(response)
