"""The approval chain and deciding applications, one or ten thousand at a time.

One engine serves the approve button and the worklist's bulk approve: the applications are
locked in one query, each is checked (its version, its state, that the actor's org acts at its
current step), and the last approvals are granted together — eligibility checked again, the
hospital-care cap applied per person and year through the locked ledger, the budget charged to
the line of the beneficiary's org or its nearest ancestor under the lines' locks, entitlements
written in bulk. An application refused for a reason of its own is listed with that reason; the
others go
on. Two approvers clicking at once: the second waits for the first's lock and is told the
application has moved on.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from decimal import Decimal

from django.db.models import F, OuterRef, Subquery, Sum
from django.utils import timezone

from fpa.core.errors import DomainError
from fpa.kernel.scope import Actor

from .approval_chain import TRANSITIONS, Terms, chain, check_transition, root_id
from .granting import Outcome, grant_all
from .models import (
    Application,
    ApplicationStatus,
    ApprovalStep,
    Decision,
    DecisionAction,
    Entitlement,
)

CHUNK = 2000
ZERO = Decimal("0.00")


def decide_many(
    ids: list[int],
    action: str,
    *,
    actor: Actor,
    reason: str = "",
    versions: dict[int, int] | None = None,
) -> Outcome:
    """Decide applications at their current step (inside the caller's transaction).

    Returns the decided applications and, for each refused one, why. Writes decisions,
    states, entitlements, ledgers and budgets; the caller writes the audit entry.
    """
    actor.require("programs.approve")
    if action not in (DecisionAction.APPROVE, DecisionAction.RETURN, DecisionAction.REJECT):
        raise DomainError("无效的审批操作")
    reason = reason.strip()
    if action != DecisionAction.APPROVE and not reason:
        raise DomainError("退回或不予批准须写明理由", field="reason")
    outcome = Outcome()
    for start in range(0, len(ids), CHUNK):
        _decide_chunk(ids[start : start + CHUNK], action, actor, reason, versions or {}, outcome)
    return outcome


def _decide_chunk(
    ids: list[int],
    action: str,
    actor: Actor,
    reason: str,
    versions: dict[int, int],
    outcome: Outcome,
) -> None:
    locked = {
        a.pk: a
        for a in Application.objects.for_actor(actor)
        .select_for_update(of=("self",))
        .select_related("program", "org", "person", "household__head")
        .filter(pk__in=ids)
        .order_by("pk")
    }
    terms: dict[int, Terms] = {}
    root = root_id(actor.org.path)
    moving: list[tuple[Application, ApprovalStep]] = []
    for pk in ids:
        application = locked.get(pk)
        if application is None:
            outcome.refuse(pk, "申请不存在或不在您的管辖范围内")
            continue
        if pk in versions and versions[pk] != application.version:
            outcome.refuse(pk, f"申请 {application.number} 已被他人处理，请刷新后再试")
            continue
        try:
            check_transition(application, action)
        except DomainError as exc:
            outcome.refuse(pk, exc.message)
            continue
        t = terms.get(application.program_id)
        if t is None:
            t = terms[application.program_id] = Terms.load(application.program)
        steps = chain(application, t.steps, root)
        current = next(((s, o) for s, o in steps if s.order == application.step), None)
        if current is None:
            outcome.refuse(pk, "本申请的审批环节已变更，请联系项目出资单位")
            continue
        step, org_id = current
        if org_id != actor.org.pk:
            outcome.refuse(
                pk,
                f"申请 {application.number} 正在等待{step.get_level_display()}{step.name}，"
                "不是本单位的环节",
            )
            continue
        following = next((s.order for s, _ in steps if s.order > step.order), None)
        if action == DecisionAction.APPROVE and following is not None:
            application.step = following
        elif action == DecisionAction.APPROVE:
            application.status = ApplicationStatus.APPROVED
        else:
            application.status = TRANSITIONS[action][1]
        moving.append((application, step))
    finals = [a for a, _ in moving if action == DecisionAction.APPROVE and a.status == "approved"]
    granted = grant_all(finals, terms, outcome) if finals else set()
    decided = [(a, s) for a, s in moving if a.status != "approved" or a.pk in granted]
    now = timezone.now()
    user = actor.user if actor.user is not None and actor.user.pk else None
    _save_states([a for a, _ in decided], granted, now)
    Decision.objects.bulk_create(
        Decision(
            application=a, step=s.order, org=actor.org, user=user, action=action, reason=reason
        )
        for a, s in decided
    )
    outcome.done.extend(a for a, _ in decided)


def _save_states(apps: list[Application], granted: set[int], now: datetime.datetime) -> None:
    """Write the new states with one UPDATE per (state, step) and one for the granted amounts.

    Django's bulk_update builds a CASE per row and is quadratic in practice; the decided rows
    share a handful of states, and a granted amount is the sum of its entitlements.
    """
    groups: dict[tuple[str, int], list[int]] = defaultdict(list)
    for a in apps:
        groups[(a.status, a.step)].append(a.pk)
        a.version += 1
        a.updated_at = now
    for (status, step), pks in groups.items():
        Application.unscoped_objects.filter(pk__in=pks).update(
            status=status, step=step, version=F("version") + 1, updated_at=now
        )
    if granted:
        total = (
            Entitlement.unscoped_objects.filter(application=OuterRef("pk"))
            .values("application")
            .annotate(s=Sum("amount"))
            .values("s")
        )
        Application.unscoped_objects.filter(pk__in=granted).update(amount=Subquery(total))
