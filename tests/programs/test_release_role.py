"""Payment release (batch, bank file, return) is the clerk's `programs.pay`, never the reviewer's
or the approver's (finding M1); every bank file download is audited with its totals."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from fpa.accounts import roles, services
from fpa.accounts.models import Role
from fpa.audit.models import LogEntry
from fpa.core.errors import DomainError
from fpa.programs import payments
from fpa.programs.models import Entitlement
from tests.conftest import actor_of
from tests.factories import UserFactory
from tests.families.conftest import make_family

from .conftest import approve_all, file, person_payee

EXPORT = {"export-control_count": 2, "export-control_total": "1000.00"}


@pytest.fixture
def batch(program, mother, payee, staff, tree):
    other = make_family(staff, tree, seq=421).parents.get().person
    approve_all(file(program, mother, payee, staff), staff)
    approve_all(file(program, other, person_payee(other, "6230901234567890999"), staff), staff)
    program = Entitlement.unscoped_objects.first().program
    actor = actor_of(staff["county"])
    return payments.build_batch(program, tree["430121000000"], "2026-06", "hnrcu", actor=actor)


def test_reviewer_and_approver_hold_no_release_permission():
    for code in ("reviewer", "approver"):
        perms = set(roles.BUILTIN_ROLES[code][2])
        assert "programs.approve" in perms and "programs.pay" not in perms
    assert "programs.pay" in roles.BUILTIN_ROLES["clerk"][2]
    assert roles.conflict({"programs.pay", "programs.approve"}) is not None


@pytest.mark.parametrize("code", ["reviewer", "approver"])
def test_reviewer_and_approver_cannot_export_or_download_the_bank_file(
    batch, staff, tree, client, code
):
    # At the county, so the batch is in reach: the refusal is the permission's, not the scope's.
    user = UserFactory(username=f"cs_{code}", org=tree["430121000000"], roles=[code])
    client.force_login(user)
    assert client.get(f"/programs/batches/{batch.pk}/").status_code == 200
    assert client.post(f"/programs/batches/{batch.pk}/export/", EXPORT).status_code == 403
    batch.refresh_from_db()
    assert batch.status == "draft"
    client.force_login(staff["county"])
    assert client.post(f"/programs/batches/{batch.pk}/export/", EXPORT).status_code == 200
    client.force_login(user)
    assert client.get(f"/programs/batches/{batch.pk}/file/").status_code == 403
    assert client.get(f"/programs/batches/{batch.pk}/return/").status_code == 403
    page = client.get(f"/programs/batches/{batch.pk}/").content.decode()
    assert 'data-testid="bank-file"' not in page and 'data-testid="return-upload"' not in page


def test_approver_cannot_build_a_batch(program, staff, tree):
    with pytest.raises(PermissionDenied) as refused:
        payments.build_batch(
            program, tree["430121000000"], "2026-06", "hnrcu", actor=actor_of(staff["approver"])
        )
    assert "programs.pay" in str(refused.value)


def test_bank_file_download_is_audited_with_its_line_count_and_total(batch, staff, client):
    client.force_login(staff["county"])
    client.post(f"/programs/batches/{batch.pk}/export/", EXPORT)
    response = client.get(f"/programs/batches/{batch.pk}/file/")
    assert response.status_code == 200
    entry = LogEntry.unscoped_objects.get(action="fpa.payment.bank_file_downloaded")
    assert entry.changes["lines"] == 2 and Decimal(entry.changes["total"]) == Decimal("1000.00")
    exported = LogEntry.unscoped_objects.get(action="fpa.payment.bank_file")
    assert exported.changes["lines"] == 2 and exported.changes["total"] == "1000.00"


def test_a_clerk_given_an_approving_role_is_refused(staff, tree):
    admin = UserFactory(username="cs_admin2", org=tree["430121000000"], roles=["org_admin"])
    with pytest.raises(DomainError, match="发放资金与审核审批"):
        services.set_roles(
            staff["village"],
            [Role.objects.get(code="clerk"), Role.objects.get(code="approver")],
            False,
            actor=actor_of(admin),
        )
