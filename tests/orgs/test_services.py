from __future__ import annotations

import datetime

import pytest

from fpa.audit.models import LogEntry
from fpa.core.errors import DomainError
from fpa.orgs import services
from fpa.orgs.models import Kind, Org, OrgYear, ServiceSite, Status
from tests.conftest import actor_of

DAY = datetime.date(2015, 5, 29)


def test_profile_change_is_saved_and_audited_with_before_and_after(users, tree):
    village = tree["430121001001"]
    services.update_profile(
        village,
        {
            "status": Status.ESTABLISHED,
            "established_on": datetime.date(2020, 5, 29),
            "address": "湖湾村村部",
        },
        actor=actor_of(users["village"]),
    )
    village.refresh_from_db()
    assert village.status == Status.ESTABLISHED and village.address == "湖湾村村部"
    entry = LogEntry.unscoped_objects.get(action="fpa.org.profile.changed")
    assert entry.actor == users["village"] and entry.object_id == str(village.pk)
    assert entry.changes["address"] == ["", "湖湾村村部"]
    assert entry.changes["status"] == ["not_established", "established"]


def test_established_org_needs_its_founding_date(users, tree):
    with pytest.raises(DomainError, match="成立日期"):
        services.update_profile(
            tree["430121001001"],
            {"status": Status.ESTABLISHED},
            actor=actor_of(users["village"]),
        )


def test_user_cannot_change_an_org_outside_their_subtree(users, tree):
    with pytest.raises(DomainError, match="管辖范围"):
        services.update_profile(
            tree["430121001002"], {"address": "x"}, actor=actor_of(users["village"])
        )
    assert not LogEntry.unscoped_objects.filter(action="fpa.org.profile.changed").exists()


def test_renaming_a_school_association_refreshes_its_pinyin_initials(users, tree):
    actor = actor_of(users["county"])
    school = services.add_child(
        tree["430121000000"],
        {"kind": Kind.SCHOOL, "name": "一中", "established_on": DAY},
        actor=actor,
    )
    school = services.update_profile(school, {"name": "东塘中学计生协"}, actor=actor)
    assert school.initials == "dtzxjsx"


def test_territorial_org_keeps_the_name_of_the_division_table(users, tree):
    with pytest.raises(DomainError, match="区划代码表"):
        services.update_profile(
            tree["430121000000"], {"name": "东塘县"}, actor=actor_of(users["county"])
        )


def test_year_facts_are_kept_per_year(users, tree):
    county = tree["430121000000"]
    actor = actor_of(users["county"])
    services.save_year(
        county,
        2020,
        {
            "establishment_admin": 3,
            "party_group": True,
            "party_group_on": datetime.date(2019, 1, 1),
        },
        actor=actor,
    )
    services.save_year(county, 2021, {"establishment_admin": 5}, actor=actor)
    services.save_year(county, 2021, {"establishment_admin": 6}, actor=actor)
    assert dict(OrgYear.unscoped_objects.values_list("year", "establishment_admin")) == {
        2020: 3,
        2021: 6,
    }
    with pytest.raises(DomainError, match="超出范围"):
        services.save_year(county, 1800, {}, actor=actor)


def test_service_site_copies_its_org_ancestors(users, tree):
    village = tree["430121001001"]
    site = services.save_site(
        village,
        {"kind": "member_home", "name": "湖湾村会员之家"},
        actor=actor_of(users["county"]),
    )
    assert (site.city_id, site.county_id, site.township_id) == (
        village.city_id,
        village.county_id,
        village.township_id,
    )


def test_non_territorial_org_hangs_under_its_guiding_org(users, tree):
    county = tree["430121000000"]
    school = services.add_child(
        county,
        {"kind": Kind.SCHOOL, "name": "长沙县一中计生协", "established_on": DAY},
        actor=actor_of(users["county"]),
    )
    assert school.parent == county and school.path.startswith(county.path)
    assert school.county_id == county.pk and school.township_id is None
    assert Org.objects.for_actor(actor_of(users["county"])).filter(pk=school.pk).exists()
    assert not Org.objects.for_actor(actor_of(users["village"])).filter(pk=school.pk).exists()
    with pytest.raises(DomainError, match="区划代码表"):
        services.add_child(
            county, {"kind": Kind.TERRITORIAL, "name": "x"}, actor=actor_of(users["county"])
        )


def test_merge_moves_open_records_and_keeps_the_abolished_org(users, tree):
    actor = actor_of(users["province"])
    old, new = tree["430121002000"], tree["430121001000"]  # 黄花镇 into 星沙街道
    Org.unscoped_objects.filter(pk=old.pk).update(status=Status.ABOLISHED)
    old.refresh_from_db()
    village = tree["430121002001"]
    open_site = services.save_site(village, {"kind": "health_station", "name": "驿站"}, actor=actor)
    own_site = services.save_site(old, {"kind": "member_home", "name": "镇会员之家"}, actor=actor)
    closed = services.save_site(
        old, {"kind": "warm_home", "name": "旧家园", "status": "closed"}, actor=actor
    )
    clerk = users["province"].__class__.objects.create(username="hh", org=old)
    moved = services.merge_org(old, new, actor=actor)
    assert {k: moved[k] for k in ("children", "sites", "users")} == {
        "children": 1,
        "sites": 1,
        "users": 1,
    }
    village.refresh_from_db()
    assert village.parent_id == new.pk and village.path.startswith(new.path)
    assert village.township_id == new.pk
    open_site.refresh_from_db()
    assert open_site.township_id == new.pk
    own_site.refresh_from_db()
    closed.refresh_from_db()
    assert own_site.org_id == new.pk and closed.org_id == old.pk
    clerk.refresh_from_db()
    assert clerk.org_id == new.pk
    old.refresh_from_db()
    assert old.status == Status.ABOLISHED and old.successor_id == new.pk
    assert LogEntry.unscoped_objects.get(action="fpa.org.merged").changes["moved"] == moved


def test_merge_refuses_a_live_org_and_a_successor_below_it(users, tree):
    actor = actor_of(users["province"])
    with pytest.raises(DomainError, match="只有已撤销"):
        services.merge_org(tree["430121002000"], tree["430121001000"], actor=actor)
    county = tree["430121000000"]
    Org.unscoped_objects.filter(pk=county.pk).update(status=Status.ABOLISHED)
    county.refresh_from_db()
    with pytest.raises(DomainError, match="下级"):
        services.merge_org(county, tree["430121001000"], actor=actor)
    assert ServiceSite.unscoped_objects.count() == 0


def test_established_child_needs_its_founding_date(users, tree):
    with pytest.raises(DomainError, match="成立日期"):
        services.add_child(
            tree["430121000000"],
            {"kind": Kind.SCHOOL, "name": "二中计生协"},
            actor=actor_of(users["county"]),
        )


def test_dashboard_charts_the_open_sites_below_each_child_and_counts_overdue_elections(users, tree):
    from fpa.orgs import stats

    actor = actor_of(users["county"])
    services.save_site(tree["430121001001"], {"kind": "member_home", "name": "甲"}, actor=actor)
    services.save_site(tree["430121001001"], {"kind": "warm_home", "name": "乙"}, actor=actor)
    services.save_site(
        tree["430121001001"], {"kind": "warm_home", "name": "丙", "status": "closed"}, actor=actor
    )
    Org.unscoped_objects.filter(pk=tree["430121001001"].pk).update(
        next_election_due=datetime.date(2020, 1, 1)
    )
    Org.unscoped_objects.filter(pk=tree["430121002001"].pk).update(
        next_election_due=datetime.date(2999, 1, 1)
    )
    figures = stats.dashboard(tree["430121000000"])
    sites = dict(zip(figures["chart"]["names"], figures["chart"]["sites"], strict=True))
    assert sites[tree["430121001000"].name] == 2
    assert sum(sites.values()) == 2
    assert figures["overdue_count"] == 1
    assert [o.pk for o in figures["overdue"]] == [tree["430121001001"].pk]
