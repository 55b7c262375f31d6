"""The rules of the association tree: profiles, yearly facts, service sites, merges."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.db.models import Model
from django.forms.models import model_to_dict

from fpa.audit.services import diff, record
from fpa.core.errors import DomainError
from fpa.kernel import merging, upkeep
from fpa.kernel.scope import Actor, in_reach

from . import tree
from .models import Kind, Org, OrgYear, ServiceSite, Status

PROFILE_FIELDS = [
    "name",
    "status",
    "established_on",
    "address",
    "term_start",
    "next_election_due",
]
YEAR_FIELDS = [
    "establishment_admin",
    "establishment_public_service",
    "rank",
    "party_group",
    "party_group_on",
    "first_level_budget_unit",
    "budget",
    "resident_population",
]
SITE_FIELDS = ["kind", "name", "address", "opened_on", "status"]


def _apply(obj: Model, fields: list[str], data: dict[str, Any]) -> dict[str, list[Any]]:
    before = model_to_dict(obj, fields=fields)
    for name in fields:
        if name in data:
            setattr(obj, name, data[name])
    return diff(before, model_to_dict(obj, fields=fields))


def _check_reach(org: Org, actor: Actor) -> None:
    if not in_reach(org, actor):
        raise DomainError("该单位不在您的管辖范围内")


@transaction.atomic
def update_profile(org: Org, data: dict[str, Any], *, actor: Actor) -> Org:
    """Change an org's profile; an established org needs its founding date."""
    _check_reach(org, actor)
    if org.is_territorial and data.get("name", org.name) != org.name:
        raise DomainError("区划计生协的名称随区划代码表更新，不能手工修改", field="name")
    changes = _apply(org, PROFILE_FIELDS, data)
    if org.status == Status.ESTABLISHED and not org.established_on:
        raise DomainError("状态为“已成立”时必须填写成立日期")
    if org.term_start and org.next_election_due and org.next_election_due <= org.term_start:
        raise DomainError("下次换届日期必须晚于本届开始日期")
    if "name" in changes:
        org.initials = tree.initials(org.name)
    if changes:
        org.save()
        record(actor, "fpa.org.profile.changed", org, changes)
    return org


@transaction.atomic
def save_year(org: Org, year: int, data: dict[str, Any], *, actor: Actor) -> OrgYear:
    """Record an org's facts for one year (编制, 规格, 党组, 预算, 常住人口)."""
    _check_reach(org, actor)
    if not 2000 <= year <= datetime.date.today().year + 1:
        raise DomainError(f"年度 {year} 超出范围")
    facts, created = OrgYear.unscoped_objects.select_for_update().get_or_create(org=org, year=year)
    changes = _apply(facts, YEAR_FIELDS, data)
    if not facts.party_group:
        facts.party_group_on = None
    facts.save()
    if changes or created:
        record(actor, "fpa.org.year.changed", org, {"year": year, **changes})
    return facts


@transaction.atomic
def save_site(
    org: Org, data: dict[str, Any], *, actor: Actor, site: ServiceSite | None = None
) -> ServiceSite:
    """Add a service site to an org, or change one it has."""
    _check_reach(org, actor)
    created = site is None
    if site is None:
        site = ServiceSite(org=org)
    elif site.org_id != org.pk:
        raise DomainError("该阵地不属于此单位")
    site.city_id, site.county_id, site.township_id = org.city_id, org.county_id, org.township_id
    changes = _apply(site, SITE_FIELDS, data)
    site.save()
    action = "fpa.org.site.created" if created else "fpa.org.site.changed"
    if changes or created:
        record(actor, action, site, changes)
    return site


@transaction.atomic
def add_child(parent: Org, data: dict[str, Any], *, actor: Actor) -> Org:
    """Add a non-territorial association (school, hospital, enterprise, migrant …) under an org.

    Territorial orgs come only from the division code table.
    """
    _check_reach(parent, actor)
    if data.get("kind", Kind.TERRITORIAL) == Kind.TERRITORIAL:
        raise DomainError("区划计生协由区划代码表导入，这里只能添加非区划计生协")
    if parent.status == Status.ABOLISHED:
        raise DomainError("上级单位已撤销，不能添加下级")
    if data.get("status", Status.ESTABLISHED) == Status.ESTABLISHED and not data.get(
        "established_on"
    ):
        raise DomainError("状态为“已成立”时必须填写成立日期", field="established_on")
    parent = Org.unscoped_objects.select_for_update().get(pk=parent.pk)
    org = Org(
        parent=parent,
        path=tree.next_child_path(parent),
        depth=parent.depth + 1,
        level=parent.level,
        kind=data["kind"],
        name=data["name"],
        initials=tree.initials(data["name"]),
        status=data.get("status", Status.ESTABLISHED),
        established_on=data.get("established_on"),
        address=data.get("address", ""),
    )
    upkeep.fill_ancestors(org, parent)
    org.save()
    record(actor, "fpa.org.created", org, {"parent": [None, parent.pk], "kind": [None, org.kind]})
    return org


@transaction.atomic
def merge_org(org: Org, successor: Org, *, actor: Actor) -> dict[str, int]:
    """Fold an abolished org into its successor.

    Live child orgs (with their subtrees and counters) and the open registry records every model
    declares in `on_merge` (sites, accounts, residents, members, special families …; found through
    the app registry by `fpa.kernel.merging`) move to the successor; past events stay with the org
    they happened in, and the abolished org itself is kept, pointing at its successor.
    """
    _check_reach(org, actor)
    _check_reach(successor, actor)
    if org.status != Status.ABOLISHED:
        raise DomainError("只有已撤销的单位才能指定承继单位")
    if org.successor_id:
        raise DomainError("该单位已指定承继单位")
    if org.pk == successor.pk:
        raise DomainError("承继单位不能是被撤销单位本身")
    if successor.path.startswith(org.path):
        raise DomainError("承继单位不能是被撤销单位的下级")
    if successor.status == Status.ABOLISHED:
        raise DomainError("承继单位已撤销，请选择现存单位")
    if successor.level != org.level or not successor.is_territorial:
        raise DomainError("承继单位必须是同级的区划计生协")
    moved = {"children": 0}
    successor = Org.unscoped_objects.select_for_update().get(pk=successor.pk)
    for child in Org.unscoped_objects.filter(parent=org).live().order_by("path"):
        new_prefix = tree.next_child_path(successor)
        upkeep.move_subtree(child, successor, new_prefix)
        moved["children"] += 1
    moved.update(merging.move_rows(org, successor))
    before = {"successor": org.successor_id}
    org.abolished_on = org.abolished_on or datetime.date.today()
    org.successor = successor
    org.save()
    record(
        actor,
        "fpa.org.merged",
        org,
        {
            **diff(before, {"successor": successor.pk}),
            "moved": moved,
        },
    )
    return moved
