"""The rename to relocations and positions keeps every row: a relocation request, a relocated
membership and a queued position export survive the migration both ways."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from fpa.core.models import Job
from fpa.people import relocation_services, services
from fpa.people.models import Membership, Relocation
from tests.conftest import actor_of

pytestmark = pytest.mark.django_db(transaction=True)


def _targets(people: str | None = None) -> list[tuple[str, str]]:
    """Every app at its latest migration, or people held back at `people` and every other app
    at its latest migration that does not need a later one of people (funds' donations name a
    person)."""
    graph = MigrationExecutor(connection).loader.graph
    leaves = graph.leaf_nodes()
    if people is None:
        return leaves
    later = {
        node
        for child in graph.node_map[("people", people)].children
        if child.key[0] == "people"
        for node in graph.backwards_plan(child.key)
    }
    targets = []
    for node in leaves:
        while node in later:
            node = next(p.key for p in graph.node_map[node].parents if p.key[0] == node[0])
        targets.append(node if node[0] != "people" else ("people", people))
    return targets


def _migrate(targets: list[tuple[str, str]]):  # type: ignore[no-untyped-def]
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def test_renaming_transfers_to_relocations_keeps_requests_statuses_and_queued_jobs(
    person, users, tree
):
    county = actor_of(users["county"])
    services.join(person, tree["430121001001"], datetime.date(2020, 1, 2), actor=county)
    first = relocation_services.request_relocation(
        person.pk, tree["430181001001"], "投亲", actor=actor_of(users["outsider"])
    )
    relocation_services.decide_relocation(first, True, actor=county)
    job = Job.unscoped_objects.create(
        kind="people.export.positions",
        title="导出志愿者名单",
        params={"kind": "volunteer"},
        user=users["county"],
        org=tree["430121000000"],
    )

    try:
        old = _migrate(_targets("0005_ancestor_columns_unconstrained"))
        assert old.get_model("people", "TransferRequest").objects.get().reason == "投亲"
        memberships = old.get_model("people", "Membership")._base_manager
        assert set(memberships.values_list("status", flat=True)) == {"transferred", "active"}
        jobs = old.get_model("core", "Job")._base_manager
        assert jobs.get(pk=job.pk).kind == "people.export.roles"
    finally:
        _migrate(_targets())
    assert Relocation.objects.get().pk == first.pk
    assert Relocation.objects.get().status == "accepted"
    assert set(Membership.unscoped_objects.values_list("status", flat=True)) == {
        "relocated",
        "active",
    }
    assert Job.unscoped_objects.get(pk=job.pk).kind == "people.export.positions"
