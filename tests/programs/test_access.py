"""Role × URL → status for every program page: 403 for an action above the role, 404 for an
object outside the user's reach (the expectation comes from the role table, not the views)."""

from __future__ import annotations

import pytest

from fpa.accounts.roles import BUILTIN_ROLES
from fpa.programs import payments
from tests.conftest import actor_of
from tests.factories import UserFactory

from .conftest import approve_all, file

# (url, permission it needs); {p} program, {a} application, {b} batch
URLS = [
    ("/programs/", "programs.view"),
    ("/programs/{p}/", "programs.view"),
    ("/programs/{p}/apply/", "programs.add"),
    ("/programs/{p}/import/", "programs.add"),
    ("/programs/applications/", "programs.view"),
    ("/programs/applications/{a}/", "programs.view"),
    ("/programs/worklist/", "programs.approve"),
    ("/programs/batches/", "programs.view"),
    ("/programs/batches/{b}/", "programs.view"),
    ("/programs/batches/{b}/return/", "programs.change"),
    ("/programs/banks/icbc/sample/", "programs.export"),
]
ROLES = ["clerk", "viewer", "reviewer", "approver", "auditor", "org_admin", "security_admin"]
OBJECT_URLS = [u for u, _ in URLS if "{a}" in u or "{b}" in u]


@pytest.fixture
def objects(program, mother, payee, staff, tree):
    application = approve_all(file(program, mother, payee, staff), staff)
    batch = payments.build_batch(
        program, tree["430121000000"], "2026-06", "hnrcu", actor=actor_of(staff["county"])
    )
    return {"p": program.pk, "a": application.pk, "b": batch.pk}


@pytest.mark.parametrize("role", ROLES)
def test_role_matrix_at_the_county(role, objects, tree, client_for):
    client = client_for(UserFactory(org=tree["430121000000"], roles=[role]))
    got = {url: client.get(url.format(**objects)).status_code for url, _ in URLS}
    expected = {url: 200 if perm in BUILTIN_ROLES[role][2] else 403 for url, perm in URLS}
    assert got == expected


def test_a_clerk_of_another_county_gets_404(objects, staff, client_for):
    client = client_for(staff["outsider"])
    got = {url: client.get(url.format(**objects)).status_code for url in OBJECT_URLS}
    assert got == dict.fromkeys(OBJECT_URLS, 404)


def test_anonymous_is_sent_to_the_login(objects, client):
    for url, _ in URLS:
        response = client.get(url.format(**objects))
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], url
