"""Enrolling every eligible person of an org at once: the group health-insurance policy.

The province insures its special-family members every year (85,000+ at 150 yuan each in the
2021 report); nobody files 85,000 applications for that. An approver enrols the eligible persons
of an org's subtree in one call: each still gets an approved application with its decision, an
entitlement, a policy numbered under the group policy and a charge on the budget, so every yuan
stays traceable to a person and an approval. Written in chunks: memory does not grow with rows.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from fpa.audit.services import record
from fpa.core.bulk import insert_rows
from fpa.core.errors import DomainError
from fpa.funds.ledger import ProgramBudget
from fpa.kernel.scope import Actor, in_reach
from fpa.orgs.models import Org
from fpa.people.models import Person

from . import eligibility, services, setup
from .models import (
    Application,
    ApplicationStatus,
    Decision,
    DecisionAction,
    Entitlement,
    InsurancePolicy,
    Payee,
    PayeeKind,
    Program,
    ProgramKind,
)
from .rules import rule_for

CHUNK = 2000


def _candidates(program: Program, org: Org, period: str) -> Any:
    """Eligible persons of the subtree with no entitlement or live application for the period."""
    from fpa.kernel.scope import subtree_q

    persons = Person.unscoped_objects.filter(subtree_q(org, "org__"), eligibility.person_q(program))
    granted = Entitlement.unscoped_objects.filter(
        program=program, person=OuterRef("pk"), period=period
    )
    live = Application.unscoped_objects.filter(
        program=program, person=OuterRef("pk"), status__in=services.LIVE
    )
    return (
        persons.filter(~Exists(granted), ~Exists(live))
        .order_by("pk")
        .values_list("pk", "org_id", "org__path", "city_id", "county_id", "township_id")
    )


def _chunks(rows: Any) -> Iterator[list[tuple]]:
    chunk: list[tuple] = []
    for row in rows.iterator(chunk_size=CHUNK):
        chunk.append(row)
        if len(chunk) == CHUNK:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


@transaction.atomic
def enrol_insurance(
    program: Program,
    org: Org,
    *,
    insurer: Payee,
    group_policy: str,
    starts_on: datetime.date,
    ends_on: datetime.date,
    actor: Actor,
) -> dict[str, Any]:
    """Insure every eligible person of `org`'s subtree not yet insured for the period.

    One transaction (all or none), one audit entry with a row per county. The budget is charged
    on the line of each person's org or its nearest ancestor, under the same locks as a
    single approval; a county whose budget runs out stops the whole enrolment with its name.
    """
    actor.require("programs.approve")
    if program.kind != ProgramKind.INSURANCE:
        raise DomainError("只有健康保险项目可以批量参保")
    if not in_reach(org, actor):
        raise DomainError("只能为本辖区批量参保")
    services.check_open(program, actor)
    if insurer.kind != PayeeKind.INSURER or not (
        Payee.objects.for_actor(actor).filter(pk=insurer.pk).exists()
    ):
        raise DomainError("收款方须为本单位可用的保险公司", field="insurer")
    # One enrolment of a program at a time: a second waits, then finds everyone insured.
    Program.unscoped_objects.select_for_update().filter(pk=program.pk).first()
    group_policy = (group_policy or "").strip()
    if not group_policy:
        raise DomainError("请填写团体保单号", field="group_policy")
    details = rule_for(program.kind).clean(
        {"policy_no": group_policy, "starts_on": starts_on, "ends_on": ends_on}
    )
    (portion,) = setup.estimate(program, details)
    budget = ProgramBudget(program)
    user = actor.user if actor.user is not None and actor.user.pk else None
    step = program.steps.order_by("-order").first()
    now = timezone.now()
    by_county: dict[int | None, list] = defaultdict(lambda: [0, Decimal("0.00")])
    enrolled = 0
    # What each line gives: charged once at the end (same transaction, so a county whose
    # budget runs out still undoes the whole enrolment), not once per chunk and county.
    spend: dict[str, Decimal] = defaultdict(Decimal)
    for chunk in _chunks(_candidates(program, org, portion.period)):
        for _pk, _org_id, path, _city, county, _town in chunk:
            spend[budget.deepest(path)] += portion.amount
            by_county[county][0] += 1
            by_county[county][1] += portion.amount
        places = [
            {"org_id": org_id, "city_id": city, "county_id": county, "township_id": town}
            for _pk, org_id, _path, city, county, town in chunk
        ]
        persons = [row[0] for row in chunk]
        funders = [budget.line_for(row[2]) for row in chunk]
        app_ids = insert_rows(
            Application,
            [
                {
                    "program_id": program.pk,
                    "number": f"{program.code}-B{pk}",
                    "person_id": pk,
                    "payee_id": insurer.pk,
                    "status": ApplicationStatus.APPROVED,
                    "step": step.order if step else 0,
                    "details": {**details, "policy_no": f"{group_policy}-{pk}"},
                    "amount": portion.amount,
                    "filed_by_id": user.pk if user else None,
                    "filed_at": now,
                    **place,
                }
                for pk, place in zip(persons, places, strict=True)
            ],
        )
        insert_rows(
            Decision,
            [
                {
                    "application_id": app_id,
                    "step": step.order if step else 0,
                    "org_id": actor.org.pk,
                    "user_id": user.pk if user else None,
                    "action": DecisionAction.APPROVE,
                    "reason": f"批量参保（团体保单 {group_policy}）",
                    "at": now,
                }
                for app_id in app_ids
            ],
        )
        entitlement_ids = insert_rows(
            Entitlement,
            [
                {
                    "program_id": program.pk,
                    "application_id": app_id,
                    "person_id": pk,
                    "beneficiary": f"p{pk}",
                    "period": portion.period,
                    "year": portion.year,
                    "amount": portion.amount,
                    "funding_source": line.source,
                    "funding_org_id": line.org_id,
                    "payee_id": insurer.pk,
                    "created_at": now,
                    **place,
                }
                for app_id, pk, place, line in zip(app_ids, persons, places, funders, strict=True)
            ],
        )
        insert_rows(
            InsurancePolicy,
            [
                {
                    "entitlement_id": entitlement_id,
                    "person_id": pk,
                    "policy_no": f"{group_policy}-{pk}",
                    "insurer_id": insurer.pk,
                    "starts_on": starts_on,
                    "ends_on": ends_on,
                }
                for entitlement_id, pk in zip(entitlement_ids, persons, strict=True)
            ],
        )
        enrolled += len(chunk)
    if not enrolled:
        raise DomainError(f"{org.name}没有尚未参保的符合条件人员")
    for path, amount in sorted(spend.items()):
        budget.spend(path, amount)
    budget.save()
    names: dict[int | None, str] = dict(
        Org.unscoped_objects.filter(pk__in=list(by_county)).values_list("pk", "name")
    )
    record(
        actor,
        "fpa.program.insurance_enrolled",
        program,
        {"org": org.name, "group_policy": group_policy, "persons": enrolled},
        rows=[
            {"county": names.get(c, ""), "persons": n, "amount": str(amount)}
            for c, (n, amount) in sorted(by_county.items(), key=lambda kv: kv[0] or 0)
        ],
    )
    return {"persons": enrolled, "amount": str(portion.amount * enrolled)}
