from __future__ import annotations

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext

from fpa.audit.models import LogEntry
from fpa.orgs.models import Org, Status
from fpa.orgs.tree import mark_parents


def test_tree_children_load_lazily_with_a_toggle_only_where_there_are_children(
    users, tree, client_for
):
    client = client_for(users["county"])
    body = client.get(f"/orgs/{tree['430121001000'].pk}/children/").content.decode()
    assert "湖湾村村民委员会" in body and "开元社区居委会" in body
    assert "hx-get" not in body  # villages have no children: nothing to open
    county_body = client.get(f"/orgs/{tree['430121000000'].pk}/children/").content.decode()
    assert county_body.count("hx-get") == 2


def test_marking_parents_reads_one_row_per_parent_not_per_grandchild(tree):
    townships = [tree["430121001000"], tree["430121002000"]]
    with CaptureQueriesContext(connection) as queries:
        mark_parents(townships)
    assert [t.has_children for t in townships] == [True, True]
    (sql,) = [q["sql"] for q in queries.captured_queries]
    assert "ORDER BY" not in sql and '"path"' not in sql.split("FROM")[0]


def test_search_by_name_initials_and_code(users, tree, client_for):
    client = client_for(users["county"])
    for q in ["湖湾", "hwc", "430121001001"]:
        assert "湖湾村村民委员会" in client.get("/orgs/search/", {"q": q}).content.decode(), q
    # 北正社区 belongs to another county
    assert "北正社区" not in client.get("/orgs/search/", {"q": "bzsq"}).content.decode()
    empty = client.get("/orgs/search/", {"q": "不存在的村"}).content.decode()
    assert "没有找到" in empty


def test_county_page_lists_townships_with_counts(users, tree, client_for):
    county = tree["430121000000"]
    body = client_for(users["county"]).get(f"/orgs/{county.pk}/").content.decode()
    assert "星沙街道" in body and "黄花镇" in body
    assert '<td class="text-end">2</td>' in body  # 星沙街道's two villages


def test_profile_form_saves_and_shows_errors_in_chinese(users, tree, client_for):
    client = client_for(users["village"])
    village = tree["430121001001"]
    bad = client.post(f"/orgs/{village.pk}/edit/", {"status": "established"})
    assert "必须填写成立日期" in bad.content.decode()
    assert not LogEntry.unscoped_objects.filter(action="fpa.org.profile.changed").exists()
    ok = client.post(
        f"/orgs/{village.pk}/edit/",
        {
            "status": "established",
            "established_on": "2021-05-29",
            "address": "湖湾村村部",
        },
        follow=True,
    )
    assert "概况已保存" in ok.content.decode() and "湖湾村村部" in ok.content.decode()
    village.refresh_from_db()
    assert village.established_on == datetime.date(2021, 5, 29)


def test_bad_date_in_a_form_is_a_message_not_a_500(users, tree, client_for):
    village = tree["430121001001"]
    response = client_for(users["village"]).post(
        f"/orgs/{village.pk}/edit/",
        {"status": "established", "established_on": "2021-13-45"},
    )
    assert response.status_code == 200 and "有效的日期" in response.content.decode()


def test_overdue_election_is_flagged_on_the_org_page(users, tree, client_for):
    township = tree["430121001000"]
    Org.unscoped_objects.filter(pk=township.pk).update(
        status=Status.ESTABLISHED, next_election_due=datetime.date(2020, 1, 1)
    )
    body = client_for(users["county"]).get(f"/orgs/{township.pk}/").content.decode()
    assert "换届已逾期" in body
    dash = client_for(users["county"]).get("/").content.decode()
    assert 'data-testid="overdue">1<' in dash


def test_merge_page_asks_for_confirmation_before_moving(users, tree, client_for):
    old = tree["430121002000"]
    Org.unscoped_objects.filter(pk=old.pk).update(status=Status.ABOLISHED)
    client = client_for(users["county"])
    first = client.post(f"/orgs/{old.pk}/merge/", {"successor_code": "430121001000"})
    assert "确认迁移" in first.content.decode()
    assert "<strong>星沙街道 · 长沙县 · 长沙市</strong>" in first.content.decode()  # by name
    assert Org.unscoped_objects.get(pk=old.pk).successor_id is None
    outside = client.post(f"/orgs/{old.pk}/merge/", {"successor_code": "430181001000"})
    assert "在您的管辖范围内" in outside.content.decode()
    done = client.post(
        f"/orgs/{old.pk}/merge/", {"successor_code": "430121001000", "confirm": "yes"}, follow=True
    )
    assert "已并入" in done.content.decode()
    assert Org.unscoped_objects.get(pk=old.pk).successor_id == tree["430121001000"].pk


def test_breadcrumb_links_only_the_orgs_the_user_may_open(users, tree, client_for):
    village = tree["430121001001"]
    body = client_for(users["village"]).get(f"/orgs/{village.pk}/").content.decode()
    assert f'href="/orgs/{tree["430121001000"].pk}/"' not in body
    assert "星沙街道" in body
    county_view = client_for(users["county"]).get(f"/orgs/{village.pk}/").content.decode()
    assert f'href="/orgs/{tree["430121001000"].pk}/"' in county_view


def test_territorial_profile_form_does_not_offer_the_name(users, tree, client_for):
    village = tree["430121001001"]
    body = client_for(users["village"]).get(f"/orgs/{village.pk}/edit/").content.decode()
    assert 'name="name"' not in body and 'name="address"' in body
