"""The org picker: an org is chosen by name, pinyin initials or any start of its code, within the
clerk's reach, and shown by name with the levels above it (issue 13 point 1)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from fpa.orgs import picker
from fpa.orgs.models import Org
from tests.conftest import actor_of

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
