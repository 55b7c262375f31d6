"""The world's objects that take a chain of services (tests/urlwalk.py `build_world`).

An insurance policy to claim on and a payment line the bank refused, so that the claim and the
account correction pages are walked in reach; and the twins in 浏阳市 of a program, a payment
batch with its payee and a password reset, so that their pages are walked in another county.
"""

from __future__ import annotations

from typing import Any

from fpa.accounts import services as account_services
from fpa.core.exports import export_path
from fpa.programs import payments, setup
from fpa.programs.models import InsurancePolicy, PaymentBatch
from tests.conftest import actor_of
from tests.factories import UserFactory
from tests.families.conftest import make_family
from tests.programs.conftest import (
    approve_all,
    file,
    make_insurance,
    make_insurer,
    person_payee,
    program_data,
)

POLICY = {"policy_no": "PICC-WALK", "starts_on": "2026-01-01", "ends_on": "2026-12-31"}


def insured(users: dict[str, Any], staff: dict[str, Any], person: Any) -> InsurancePolicy:
    """The policy an approved insurance application of `person` enrols them in."""
    program = make_insurance(users)
    approve_all(file(program, person, make_insurer(program), users, POLICY), staff)
    return InsurancePolicy.objects.get(person=person, entitlement__program=program)


def refused_by_the_bank(batch: PaymentBatch, actor: Any) -> Any:
    """Export the batch and apply a return that fails its first line; the line's payee."""
    payments.export_batch(
        batch,
        export_path(f"{batch.number}.xlsx"),
        actor=actor,
        control_total=batch.total,
        control_count=batch.line_count,
    )
    line = batch.lines.order_by("pk").first()
    payments.apply_return(
        batch,
        [{"line": line.pk, "result": "failed", "amount": line.amount, "reason": "账户已销户"}],
        actor=actor,
        sha256="0" * 64,
        filename="回盘.xlsx",
    )
    return line.payee_id


def failed_line(
    program: Any, users: dict[str, Any], staff: dict[str, Any], tree: dict[str, Any]
) -> tuple[int, int]:
    """A second batch of the county, of one more approved stay, whose line the bank refused:
    (batch id, payee id)."""
    person = make_family(users, tree, seq=430).parents.get().person
    approve_all(file(program, person, person_payee(person, "6230901234567890777"), users), staff)
    clerk = actor_of(users["clerk"])
    batch = payments.build_batch(program, tree["430121000000"], "2026-07", "hnrcu", actor=clerk)
    return batch.pk, refused_by_the_bank(batch, clerk)


def program_twins(
    users: dict[str, Any], tree: dict[str, Any], program: Any, application: Any
) -> dict[str, Any]:
    """浏阳市's own program, its batch of the twin application (approved by its township and
    county) with the line's payee, and a reset of its reviewer's password that waits for the
    security administrator."""
    county = tree["430181000000"]
    clerk = actor_of(users["other_county"])
    own = setup.create_program(
        program_data(code="LY2026", name="浏阳市住院护理补贴", funding_source="local"),
        {"per_day": "50", "annual_cap": "3000"},
        [("county", "审批")],
        actor=clerk,
    )
    reviewer = UserFactory(username="fuzz_other_tr", org=tree["430181001000"], roles=["reviewer"])
    approver = UserFactory(username="fuzz_other_ap", org=county, roles=["approver"])
    approve_all(application, {"reviewer": reviewer, "approver": approver})
    batch = payments.build_batch(program, county, "2026-06", "hnrcu", actor=clerk)
    admin = UserFactory(username="fuzz_other_admin", org=county, roles=["org_admin"])
    reset = account_services.reset_password(reviewer, "Fuzz@2026pass", actor=actor_of(admin))
    return {
        "program_id": own.pk,
        "batch_id": batch.pk,
        "payee_id": batch.lines.get().payee_id,
        "reset_id": reset.pk,
    }
