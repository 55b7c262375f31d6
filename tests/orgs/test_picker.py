"""The org picker: an org is chosen by name, pinyin initials or any start of its code, within the
clerk's reach, and shown by name with the levels above it (issue 13 point 1)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from fpa.orgs import divisions, picker
from fpa.orgs.models import Org
from tests.conftest import actor_of
from tests.factories import MINI_TABLE, write_table

HUWAN, HUANGHUA = "430121001001", "430121002001"


def test_a_village_is_labelled_with_its_township_and_county(users, tree):
    village = tree[HUWAN]
    assert picker.label_of(village) == f"{village.name} · 星沙街道 · 长沙县"
    assert picker.label_of(tree["430121000000"]) == "长沙县 · 长沙市"
    assert picker.label_of(tree["430000000000"]) == "湖南省"


@pytest.mark.parametrize("typed", ["星沙", "xsjd", "430121001", "４３０１２１００１"])
def test_suggestions_follow_a_name_initials_or_a_code_start(users, tree, typed):
    labels = [c.label for c in picker.suggest(actor_of(users["county"]), typed)]
    assert labels[0] == "星沙街道 · 长沙县 · 长沙市"


def test_suggestions_never_leave_the_reach(users, tree):
    county = actor_of(users["county"])
    assert picker.suggest(county, "淮川") == []  # 浏阳市's township
    assert picker.suggest(county, "4301") and all(
        c.org.path.startswith(users["county"].org.path) for c in picker.suggest(county, "4301")
    )


def test_an_empty_box_offers_the_own_org_and_the_level_below(users, tree):
    labels = [c.label for c in picker.suggest(actor_of(users["county"]), "")]
    assert labels == ["长沙县 · 长沙市", "星沙街道 · 长沙县 · 长沙市", "黄花镇 · 长沙县 · 长沙市"]


@pytest.mark.parametrize(
    "typed, code",
    [
        ("430121", "430121000000"),
        ("430121001", "430121001000"),
        ("黄花镇", "430121002000"),
        ("hhz", "430121002000"),
        ("星沙街道 · 长沙县 · 长沙市", "430121001000"),
    ],
)
def test_what_the_clerk_types_resolves_to_one_org(users, tree, typed, code):
    assert picker.resolve(actor_of(users["county"]), typed).code == code


def test_two_villages_of_one_name_are_told_apart_by_the_label(users, tree):
    Org.unscoped_objects.filter(code=HUANGHUA).update(name=tree[HUWAN].name)
    county = actor_of(users["county"])
    with pytest.raises(picker.NotFound, match="有 2 个单位叫"):
        picker.resolve(county, tree[HUWAN].name)
    labels = [c.label for c in picker.suggest(county, tree[HUWAN].name)]
    assert len(set(labels)) == 2
    chosen = picker.resolve(county, f"{tree[HUWAN].name} · 黄花镇 · 长沙县")
    assert chosen.code == HUANGHUA


@pytest.mark.parametrize("typed", ["430181", "淮川街道", "43012", "²", "no such"])
def test_an_org_outside_the_reach_or_unknown_is_a_clear_refusal(users, tree, typed):
    with pytest.raises(picker.NotFound, match="在您的管辖范围内|区划代码应为"):
        picker.resolve(actor_of(users["county"]), typed)


def test_the_suggestion_endpoint_answers_options_in_reach(users, tree, client_for):
    client = client_for(users["county"])
    page = client.get(reverse("orgs:pick"), {"field": "org", "org": "星沙"}).content.decode()
    assert '<option value="星沙街道 · 长沙县 · 长沙市">' in page
    outsider = client_for(users["outsider"])
    assert (
        "星沙"
        not in outsider.get(reverse("orgs:pick"), {"field": "org", "org": "星沙"}).content.decode()
    )


def test_the_person_form_shows_the_org_by_name_never_its_code(users, tree, client_for):
    page = client_for(users["county"]).get(reverse("people:person_add")).content.decode()
    assert "12 位区划代码" not in page and "data-org-picker" in page


def test_a_list_filters_by_an_org_typed_by_name_over_its_subtree(users, tree, client_for):
    client = client_for(users["county"])
    page = client.get(reverse("people:persons"), {"org": "星沙街道"})
    assert page.status_code == 200
    text = page.content.decode()
    assert "在您的管辖范围内" not in text
    assert 'value="星沙街道 · 长沙县 · 长沙市"' in text  # the box shows the name it filtered by


# ---- browsing the tree from the field (issue 13 point 1: "or browse the tree") ----


def test_browsing_starts_at_the_own_org_and_lists_its_children(users, tree):
    level = picker.browse(actor_of(users["county"]))
    assert level.here.org.code == "430121000000" and level.trail == []
    assert [c.label for c in level.children] == [
        "星沙街道 · 长沙县 · 长沙市",
        "黄花镇 · 长沙县 · 长沙市",
    ]
    assert all(c.org.has_children for c in level.children)


def test_browsing_one_level_down_names_the_way_back_up(users, tree):
    level = picker.browse(actor_of(users["county"]), tree["430121001000"].pk)
    assert [o.name for o in level.trail] == ["长沙县"]  # not the city above the clerk's reach
    assert [c.org.code for c in level.children] == [HUWAN, "430121001002"]
    assert not any(c.org.has_children for c in level.children)
    assert level.children[0].label == "湖湾村村民委员会 · 星沙街道 · 长沙县"


def test_browsing_leaves_out_abolished_orgs(users, tree):
    Org.unscoped_objects.filter(code="430121001002").update(status="abolished")
    level = picker.browse(actor_of(users["county"]), tree["430121001000"].pk)
    assert [c.org.code for c in level.children] == [HUWAN]


@pytest.mark.parametrize("code", ["430181000000", "430181001000", "430100000000"])
def test_browsing_never_opens_an_org_outside_the_reach(users, tree, code):
    with pytest.raises(Org.DoesNotExist):
        picker.browse(actor_of(users["county"]), tree[code].pk)


def test_the_browse_panel_lists_children_to_open_and_to_choose(users, tree, client_for):
    client = client_for(users["county"])
    page = client.get(reverse("orgs:browse")).content.decode()
    assert 'data-org-choose="长沙县 · 长沙市"' in page  # the own org itself
    assert 'data-org-choose="星沙街道 · 长沙县 · 长沙市"' in page
    assert f'?under={tree["430121001000"].pk}"' in page  # opens one level down
    down = client.get(reverse("orgs:browse"), {"under": tree["430121001000"].pk})
    text = down.content.decode()
    assert down.status_code == 200
    assert 'data-org-choose="湖湾村村民委员会 · 星沙街道 · 长沙县"' in text
    assert f'?under={tree["430121000000"].pk}"' in text  # the way back up
    assert f'?under={tree[HUWAN].pk}"' not in text  # a village has nothing below


def test_a_forged_id_shows_nothing_of_another_county(users, tree, client_for):
    client = client_for(users["county"])
    for code in ("430181000000", "430181001000", "430000000000"):
        response = client.get(reverse("orgs:browse"), {"under": tree[code].pk})
        assert response.status_code == 404
        assert "淮川" not in response.content.decode()
    assert client.get(reverse("orgs:browse"), {"under": 10**17}).status_code == 404


@pytest.mark.parametrize("under", ["abc", "1e3", "-1", "²", "1 OR 1=1", "9" * 40, "\x00"])
def test_a_non_numeric_id_is_a_404_not_a_500(users, tree, client_for, under):
    response = client_for(users["county"]).get(reverse("orgs:browse"), {"under": under})
    assert response.status_code in (400, 404)


def test_a_village_clerk_browses_only_its_own_village(users, tree, client_for):
    client = client_for(users["village"])
    page = client.get(reverse("orgs:browse")).content.decode()
    assert 'data-org-choose="湖湾村村民委员会 · 星沙街道 · 长沙县"' in page
    assert "没有下级单位" in page
    assert client.get(reverse("orgs:browse"), {"under": tree["430121001000"].pk}).status_code == 404


def test_a_township_of_two_hundred_villages_lists_them_all_in_one_scrolling_panel(
    users, tree, client_for, tmp_path, django_assert_max_num_queries
):
    villages = [(f"430121002{i:03d}", f"第{i}村", "village", "430121002000") for i in range(2, 202)]
    divisions.load("43", write_table(tmp_path / "more.csv.gz", [*MINI_TABLE, *villages]))
    township, county = tree["430121002000"], actor_of(users["county"])
    with django_assert_max_num_queries(5):  # none per village
        level = picker.browse(county, township.pk)
    assert len(level.children) == 201 and not level.cut
    page = client_for(users["county"]).get(reverse("orgs:browse"), {"under": township.pk})
    assert page.content.decode().count('data-testid="org-browse-row"') == 201
    assert "org-browse-list" in page.content.decode()  # the list scrolls (app.css)
