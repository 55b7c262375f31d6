"""The rules of assistance programs: setup, the budget, applications.

States and transitions are explicit (`approval_chain.TRANSITIONS`); an illegal one is refused with a
message that names the state. Money never passes the budget: every approval charges the budget
line (`fpa.funds`) of the beneficiary's org or its nearest ancestor under a row lock, and the
database refuses a line used past what it holds. Deciding lives in
`approval.py`, payments in `payments.py`.
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import F, Q

from fpa.audit.services import record
from fpa.core import uploads
from fpa.core.errors import DomainError
from fpa.core.money import to_fen
from fpa.kernel.scope import Actor
from fpa.orgs.models import Level
from fpa.people.models import Household, Person

from . import approval, eligibility
from .approval_chain import chain, check_transition
from .models import (
    Application,
    ApplicationAttachment,
    ApplicationStatus,
    Decision,
    DecisionAction,
    Entitlement,
    InsuranceClaim,
    InsurancePolicy,
    Payee,
    Program,
    ProgramKind,
    ProgramStatus,
)
from .rules import Portion, rule_for
from .setup import estimate

LIVE = [ApplicationStatus.PENDING, ApplicationStatus.RETURNED]


# -- applications -------------------------------------------------------------------------


def beneficiary_key(person: Person | None, household: Household | None) -> str:
    if person is not None:
        return f"p{person.pk}"
    if household is not None:
        return f"h{household.pk}"
    raise ValueError("an application is for a person or a household")


def check_open(program: Program, actor: Actor) -> None:
    """The program applies to the actor's org and is taking applications today."""
    if not Program.objects.for_actor(actor).filter(pk=program.pk).exists():
        raise DomainError("本单位不能申请该项目")
    today = datetime.date.today()
    if program.status != ProgramStatus.OPEN or not program.opens_on <= today <= program.closes_on:
        raise DomainError(
            f"{program.name}不在受理期（{program.opens_on:%Y-%m-%d} 至 "
            f"{program.closes_on:%Y-%m-%d}，状态：{program.get_status_display()}）"
        )


def check_filing(
    program: Program,
    person: Person | None,
    household: Household | None,
    details: dict[str, Any],
    actor: Actor,
    exclude: int | None = None,
) -> list[Portion]:
    check_open(program, actor)
    subject = person or household
    manager = Person.objects if person is not None else Household.objects
    if subject is None or not manager.for_actor(actor).filter(pk=subject.pk).exists():
        raise DomainError("申请对象不在您的管辖范围内", field="person")
    why = eligibility.problem(program, person, household)
    if why:
        raise DomainError(why, field="person")
    portions = estimate(program, details)
    key = beneficiary_key(person, household)
    itself = [exclude] if exclude is not None else []  # a re-check leaves the application out
    periods = [p.period for p in portions]
    taken = Entitlement.unscoped_objects.filter(
        program=program, beneficiary=key, period__in=periods
    ).values_list("period", flat=True)
    if taken:
        raise DomainError(f"{subject}已享受过本项目{'、'.join(taken)}的待遇")
    if program.kind == ProgramKind.INSURANCE:
        number = details["policy_no"]
        used = InsurancePolicy.objects.filter(policy_no=number).exists() or (
            Application.unscoped_objects.filter(
                program__kind=ProgramKind.INSURANCE,
                status__in=LIVE,
                details__policy_no=number,
            )
            .exclude(pk__in=itself)
            .exists()
        )
        if used:
            raise DomainError(f"保单号 {number} 已被使用", field="policy_no")
    live = Application.unscoped_objects.filter(
        program=program, status__in=LIVE, **{"person" if person else "household": subject}
    ).exclude(pk__in=itself)
    for other in live:
        if set(periods) & {p.period for p in estimate(program, other.details)}:
            raise DomainError(f"{subject}已有一份同期申请（{other.number}）在办理中")
    return portions


@transaction.atomic
def file_application(
    program: Program,
    *,
    actor: Actor,
    payee: Payee,
    details: dict[str, Any],
    person: Person | None = None,
    household: Household | None = None,
    attachments: Sequence[tuple[Any, str]] = (),
) -> Application:
    """File an application for one beneficiary; it waits at the first step of the chain.

    Refused outside the program's window, for a beneficiary outside the actor's reach or not
    eligible, and for a period already granted or applied for.
    """
    actor.require("programs.add")
    # Checked (and images re-encoded) before anything is written: a refused file files nothing.
    stored = [(uploads.accept_attachment(upload), label) for upload, label in attachments]
    details = rule_for(program.kind).clean(details)
    portions = check_filing(program, person, household, details, actor)
    if not Payee.objects.for_actor(actor).filter(pk=payee.pk).exists():
        raise DomainError("收款方不在您的管辖范围内", field="payee")
    application = Application(
        program=program,
        person=person,
        household=household,
        payee=payee,
        details=details,
        amount=sum((p.amount for p in portions), Decimal("0.00")),
        filed_by=actor.user if actor.user is not None and actor.user.pk else None,
        number=f"tmp-{uuid.uuid4().hex[:24]}",  # the real number needs the id
    )
    subject = person or household
    assert subject is not None, "check_filing refuses an application for no one"
    application.place_in(subject.org)
    steps = chain(application)
    if not steps:
        raise DomainError("本项目未设置适用于该单位的审批环节")
    application.step = steps[0][0].order
    application.save()
    application.number = f"{program.code}-{application.pk:06d}"
    application.save(update_fields=["number"])
    for file, label in stored:
        ApplicationAttachment.objects.create(application=application, file=file, label=label)
    _decide_log(application, actor, DecisionAction.SUBMIT, "", None)
    record(
        actor,
        "fpa.application.filed",
        application,
        {"details": [None, details], "amount": [None, str(application.amount)]},
    )
    return application


def _decide_log(
    application: Application, actor: Actor, action: str, reason: str, step: int | None
) -> None:
    Decision.objects.create(
        application=application,
        step=step,
        org=actor.org,
        user=actor.user if actor.user is not None and actor.user.pk else None,
        action=action,
        reason=reason,
    )


def _locked(application_id: int, actor: Actor) -> Application:
    try:
        return (
            Application.objects.for_actor(actor)
            .select_for_update(of=("self",))
            .select_related("program", "org", "person", "household")
            .get(pk=application_id)
        )
    except Application.DoesNotExist as exc:
        raise DomainError("申请不存在或不在您的管辖范围内") from exc


def decide(
    application_id: int,
    action: str,
    *,
    actor: Actor,
    reason: str = "",
    version: int | None = None,
) -> Application:
    """Approve, return or reject an application at its current step, as the org of that step.

    The row is locked and its version checked, so two approvers clicking at once produce one
    approval and the second is told the application has moved on. The last approval grants it.
    """
    with transaction.atomic():
        versions = {application_id: version} if version is not None else None
        outcome = approval.decide_many(
            [application_id], action, actor=actor, reason=reason, versions=versions
        )
        if outcome.refused:
            raise DomainError(outcome.refused[0]["reason"])
        (application,) = outcome.done
        record(
            actor,
            f"fpa.application.{action}",
            application,
            {"status": [ApplicationStatus.PENDING, application.status], "reason": reason},
        )
    return application


@transaction.atomic
def bulk_decide(ids: list[int], action: str, *, actor: Actor, reason: str = "") -> dict[str, Any]:
    """Decide many applications; one refusal stops only itself (its reason is listed).

    One audit entry for the call, with a row per application and the reason of each refusal.
    """
    outcome = approval.decide_many(ids, action, actor=actor, reason=reason)
    record(
        actor,
        f"fpa.application.bulk_{action}",
        None,
        {"done": len(outcome.done), "refused": len(outcome.refused), "reason": reason},
        rows=[{"id": a.pk, "status": a.status} for a in outcome.done] + outcome.refused,
    )
    return {"done": len(outcome.done), "refused": outcome.refused}


@transaction.atomic
def resubmit(
    application_id: int, details: dict[str, Any], *, actor: Actor, reason: str = ""
) -> Application:
    """A returned application, corrected, starts the chain again."""
    actor.require("programs.change")
    application = _locked(application_id, actor)
    target = check_transition(application, DecisionAction.RESUBMIT)
    program = application.program
    details = rule_for(program.kind).clean(details)
    portions = check_filing(
        program, application.person, application.household, details, actor, application.pk
    )
    before = application.details
    application.details = details
    application.amount = sum((p.amount for p in portions), Decimal("0.00"))
    application.status = target
    application.step = chain(application)[0][0].order
    application.version += 1
    application.save()
    _decide_log(application, actor, DecisionAction.RESUBMIT, reason, None)
    record(actor, "fpa.application.resubmitted", application, {"details": [before, details]})
    return application


@transaction.atomic
def withdraw(application_id: int, *, actor: Actor, reason: str = "") -> Application:
    actor.require("programs.change")
    application = _locked(application_id, actor)
    target = check_transition(application, DecisionAction.WITHDRAW)
    application.status = target
    application.version += 1
    application.save(update_fields=["status", "version", "updated_at"])
    _decide_log(application, actor, DecisionAction.WITHDRAW, reason, None)
    record(actor, "fpa.application.withdrawn", application, {"status": ["live", target]})
    return application


def worklist(actor: Actor) -> Any:
    """Applications waiting at a step the actor's org acts on."""
    level = actor.org.level
    if level not in (Level.TOWNSHIP, Level.COUNTY, Level.CITY, Level.PROVINCE):
        return Application.objects.for_actor(actor).none()
    qs = Application.objects.for_actor(actor).filter(
        status=ApplicationStatus.PENDING,
        program__steps__order=F("step"),
        program__steps__level=level,
    )
    if level != Level.PROVINCE:
        qs = qs.filter(Q(**{f"{level}_id": actor.org.pk}))
    return qs


@transaction.atomic
def record_claim(
    policy: InsurancePolicy,
    claimed_on: datetime.date,
    amount: Decimal,
    *,
    actor: Actor,
    note: str = "",
) -> InsuranceClaim:
    """A claim the insurer paid under a policy (the insurer's money, recorded for the family)."""
    actor.require("programs.change")
    if not Entitlement.objects.for_actor(actor).filter(pk=policy.entitlement_id).exists():
        raise DomainError("该保单不在您的管辖范围内")
    if amount <= 0:
        raise DomainError("赔付金额须大于 0", field="amount")
    if claimed_on > datetime.date.today():
        raise DomainError("理赔日期不能晚于今天", field="claimed_on")
    if not policy.starts_on <= claimed_on:
        raise DomainError("理赔日期早于保险起期", field="claimed_on")
    claim = InsuranceClaim.objects.create(
        policy=policy, claimed_on=claimed_on, amount=to_fen(amount), note=note.strip()
    )
    record(
        actor,
        "fpa.insurance.claim_recorded",
        policy,
        {"claimed_on": str(claimed_on), "amount": str(claim.amount)},
    )
    return claim
