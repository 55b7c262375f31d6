"""The donations' rules: recording a gift and its donor, its receipts (record, void, reissue),
campaigns, and distributions drawing on the gifts they spend.

A donation's `distributed` column moves only here, under a row lock taken in id order (two
distributions never deadlock), and the database's `donation_not_overdrawn` check is the last
word. A restricted (定向) gift is spent only on its campaign or project; an unrestricted one on
anything. Each public function is one transaction and one audit entry; the importers call the
`new_*` steps inside their own transaction and write one entry for the file.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F, Q

from fpa.audit.services import record
from fpa.core import uploads
from fpa.core.dates import check_span
from fpa.core.errors import DomainError
from fpa.core.money import to_fen
from fpa.kernel.scope import Actor, in_reach
from fpa.orgs.models import Org

from .models import (
    Campaign,
    Channel,
    Distribution,
    Donation,
    DonationKind,
    DonationReceipt,
    Donor,
    DonorKind,
    Draw,
    Project,
    ReceiptStatus,
    RecipientKind,
    Source,
    Valuation,
)

#: no gift is a trillion yuan; a bigger number is a typing slip
CEILING = Decimal("1e12")
ANONYMOUS = "anonymous"
# The choices' values, read once (an enum's `.values` builds a new list on every call, and the
# importer checks each of 100,000 rows against them).
KINDS = frozenset(DonationKind.values)
CHANNELS = frozenset(Channel.values)
SOURCES = frozenset(Source.values)
VALUATIONS = frozenset(Valuation.values)
DONOR_KINDS = frozenset([*DonorKind.values, ANONYMOUS])


def _amount(value: Any, field: str = "amount", label: str = "金额") -> Decimal:
    try:
        amount = to_fen(value)
    except (InvalidOperation, TypeError, ValueError) as exc:
        raise DomainError(f"{label}不是有效的数字", field=field) from exc
    if not amount.is_finite():
        raise DomainError(f"{label}不是有效的数字", field=field)
    if not Decimal("0.01") <= amount < CEILING:
        raise DomainError(f"{label}应在 0.01 元至 1 万亿元之间", field=field)
    return amount


def _user_id(actor: Actor) -> int | None:
    return actor.user.pk if actor.user is not None and actor.user.pk else None


def _within(org: Org, holder: Org) -> bool:
    """Whether `org` is `holder` or below it."""
    return org.path.startswith(holder.path)


# ---------------------------------------------------------------- donations


@dataclass
class DonationData:
    """What a clerk enters for one gift (the form and the importer fill it)."""

    kind: str
    amount: Decimal
    received_on: datetime.date
    channel: str
    donor_kind: str = ANONYMOUS  # person, organisation or anonymous
    person: Any = None  # a people.Person for a person donor
    donor_name: str = ""
    contact: str = ""
    item: str = ""
    quantity: Decimal | None = None
    unit: str = ""
    valuation: str = ""
    campaign: Campaign | None = None
    project: Project | None = None
    source: str = Source.DONATION
    note: str = ""


def donor_for(org: Org, data: DonationData, actor: Actor) -> Donor | None:
    """The org's row for the named donor (made on their first gift); None for an anonymous one."""
    if data.donor_kind == ANONYMOUS:
        return None
    if data.donor_kind == DonorKind.PERSON:
        person = data.person
        if person is None:
            raise DomainError("请选择捐赠人（人员库中的人员）", field="person")
        if not in_reach(person, actor):
            raise DomainError("找不到该捐赠人", field="person")
        found = Donor.unscoped_objects.filter(org=org, kind=DonorKind.PERSON, person=person)
        donor = found.first() or Donor(kind=DonorKind.PERSON, person=person, name=person.name)
    elif data.donor_kind == DonorKind.ORGANISATION:
        name = " ".join((data.donor_name or "").split())[:100]
        if not name:
            raise DomainError("请填写捐赠单位名称", field="donor_name")
        donor = Donor.unscoped_objects.filter(
            org=org, kind=DonorKind.ORGANISATION, name=name
        ).first() or Donor(kind=DonorKind.ORGANISATION, name=name)
    else:
        raise DomainError("请选择捐赠人类别", field="donor_kind")
    if donor.pk is None:
        donor.contact = data.contact[:100]
        donor.place_in(org)
        donor.save()
    return donor


def _check_purpose(org: Org, campaign: Campaign | None, project: Project | None) -> None:
    if campaign is not None and project is not None:
        raise DomainError("定向捐赠只能指定一个募捐活动或一个项目", field="campaign")
    if campaign is not None and not _within(org, campaign.org):
        raise DomainError(f"“{campaign.name}”由{campaign.org.name}发起，{org.name}不在其范围内")
    if project is not None and not _within(org, project.org):
        raise DomainError(f"项目“{project.name}”属于{project.org.name}，{org.name}不在其范围内")


def _goods(data: DonationData) -> tuple[str, Decimal | None, str, str]:
    """The goods' description of an in-kind gift (item, quantity, unit, valuation)."""
    if data.kind == DonationKind.CASH:
        return "", None, "", ""
    item = (data.item or "").strip()[:100]
    if not item:
        raise DomainError("物资捐赠请填写物资名称", field="item")
    try:
        quantity = Decimal(data.quantity) if data.quantity is not None else None
    except (InvalidOperation, TypeError, ValueError):
        quantity = None
    if quantity is None or not Decimal("0") < quantity < Decimal("1e10"):
        raise DomainError("物资捐赠请填写大于 0 的数量", field="quantity")
    if data.valuation not in VALUATIONS:
        raise DomainError("请选择物资的估值方式（市场价、发票价或评估价）", field="valuation")
    return item, quantity.quantize(Decimal("0.01")), (data.unit or "").strip()[:10], data.valuation


def check_donation(org: Org, data: DonationData, *, actor: Actor) -> Donation:
    """The gift as it would be saved, checked, unsaved and without its donor (the importer's
    preview checks every row this way and writes nothing)."""
    actor.require("funds.add")
    if not in_reach(org, actor):
        raise DomainError("只能为本单位及下级登记捐赠", field="org")
    if data.kind not in KINDS:
        raise DomainError("请选择捐赠类别（资金或物资）", field="kind")
    if data.channel not in CHANNELS:
        raise DomainError("请选择接收方式", field="channel")
    if data.source not in SOURCES:
        raise DomainError("请选择资金来源", field="source")
    if data.received_on is None:
        raise DomainError("请填写接收日期", field="received_on")
    check_span(data.received_on, "接收日期", "received_on")
    amount = _amount(data.amount, label="金额" if data.kind == DonationKind.CASH else "估值")
    item, quantity, unit, valuation = _goods(data)
    _check_purpose(org, data.campaign, data.project)
    if data.donor_kind == DonorKind.PERSON and data.person is None:
        raise DomainError("请选择捐赠人（人员库中的人员）", field="person")
    if data.donor_kind == DonorKind.ORGANISATION and not (data.donor_name or "").strip():
        raise DomainError("请填写捐赠单位名称", field="donor_name")
    if data.donor_kind not in DONOR_KINDS:
        raise DomainError("请选择捐赠人类别", field="donor_kind")
    donation = Donation(
        kind=data.kind,
        source=data.source,
        year=data.received_on.year,
        received_on=data.received_on,
        channel=data.channel,
        amount=amount,
        item=item,
        quantity=quantity,
        unit=unit,
        valuation=valuation,
        restricted=data.campaign is not None or data.project is not None,
        campaign=data.campaign,
        project=data.project,
        note=(data.note or "")[:200],
        recorded_by_id=_user_id(actor),
    )
    donation.place_in(org)
    return donation


def new_donation(org: Org, data: DonationData, *, actor: Actor) -> Donation:
    """One gift saved with its donor, inside the caller's transaction (the caller audits it)."""
    donation = check_donation(org, data, actor=actor)
    donation.donor = donor_for(org, data, actor)
    donation.save()
    return donation


@transaction.atomic
def record_donation(org: Org, data: DonationData, *, actor: Actor) -> Donation:
    """Record a gift `org` received, with its donor (or anonymous) and its restriction.

    A restricted gift names one campaign or one project, of the receiving org or above it."""
    donation = new_donation(org, data, actor=actor)
    record(
        actor,
        "fpa.funds.donation_recorded",
        donation,
        {
            "amount": str(donation.amount),
            "kind": donation.kind,
            "donor": donation.donor.name if donation.donor else "匿名",
            "purpose": donation.purpose_name,
        },
    )
    return donation


# ---------------------------------------------------------------- receipts


def _number(number: str) -> str:
    number = "".join((number or "").split())
    if not number:
        raise DomainError("请填写票据号码", field="number")
    if len(number) > 40:
        raise DomainError("票据号码不能超过 40 个字符", field="number")
    return number


def _new_receipt(
    donation: Donation, number: str, issued_on: datetime.date, actor: Actor, *, replaces: Any
) -> DonationReceipt:
    check_span(issued_on, "开票日期", "issued_on")
    if issued_on < donation.received_on:
        raise DomainError("开票日期不能早于捐赠接收日期", field="issued_on")
    if donation.receipt_id is not None:
        current = DonationReceipt.unscoped_objects.get(pk=donation.receipt_id)
        raise DomainError(f"该捐赠已有有效票据 {current.number}，如需重开请先作废", field="number")
    receipt = DonationReceipt(
        donation=donation,
        number=number,
        issued_on=issued_on,
        replaces=replaces,
        recorded_by_id=_user_id(actor),
    )
    receipt.place_in(donation.org)
    try:
        with transaction.atomic():
            receipt.save()
    except IntegrityError as exc:
        raise DomainError(f"票据号码 {number} 已登记过", field="number") from exc
    donation.receipt = receipt
    donation.save(update_fields=["receipt"])
    return receipt


def _locked_donation(donation: Donation) -> Donation:
    return Donation.unscoped_objects.select_for_update(of=("self",)).get(pk=donation.pk)


@transaction.atomic
def issue_receipt(
    donation: Donation, number: str, issued_on: datetime.date, *, actor: Actor
) -> DonationReceipt:
    """Record the receipt the finance bureau's system issued for a gift (its number and date;
    the platform never makes a number up). A gift holds one valid receipt at a time."""
    actor.require("funds.change")
    if not in_reach(donation, actor):
        raise DomainError("找不到该捐赠")
    number = _number(number)
    receipt = _new_receipt(_locked_donation(donation), number, issued_on, actor, replaces=None)
    record(actor, "fpa.funds.receipt_issued", receipt, {"number": number, "issued_on": issued_on})
    return receipt


@transaction.atomic
def void_receipt(
    receipt: DonationReceipt, reason: str, on: datetime.date, *, actor: Actor
) -> DonationReceipt:
    """作废: the receipt stays in the log, marked void with its reason and date; the gift then
    lacks a receipt until one is reissued."""
    actor.require("funds.change")
    if not in_reach(receipt, actor):
        raise DomainError("找不到该票据")
    reason = " ".join((reason or "").split())[:200]
    if not reason:
        raise DomainError("请填写作废原因", field="reason")
    check_span(on, "作废日期", "on")
    donation = _locked_donation(receipt.donation)
    receipt = DonationReceipt.unscoped_objects.select_for_update(of=("self",)).get(pk=receipt.pk)
    if receipt.status == ReceiptStatus.VOIDED:
        raise DomainError(f"票据 {receipt.number} 已于 {receipt.voided_on} 作废")
    if on < receipt.issued_on:
        raise DomainError("作废日期不能早于开票日期", field="on")
    receipt.status = ReceiptStatus.VOIDED
    receipt.voided_on = on
    receipt.void_reason = reason
    receipt.save(update_fields=["status", "voided_on", "void_reason"])
    donation.receipt = None
    donation.save(update_fields=["receipt"])
    record(
        actor,
        "fpa.funds.receipt_voided",
        receipt,
        {"number": receipt.number, "status": ["issued", "voided"], "reason": reason},
    )
    return receipt


@transaction.atomic
def reissue_receipt(
    voided: DonationReceipt, number: str, issued_on: datetime.date, *, actor: Actor
) -> DonationReceipt:
    """补开: a new receipt for the gift of a voided one, linked to it; once per voided receipt."""
    actor.require("funds.change")
    if not in_reach(voided, actor):
        raise DomainError("找不到该票据")
    number = _number(number)
    donation = _locked_donation(voided.donation)
    voided.refresh_from_db()
    if voided.status != ReceiptStatus.VOIDED:
        raise DomainError(f"票据 {voided.number} 尚未作废，不能补开")
    if DonationReceipt.unscoped_objects.filter(replaces=voided).exists():
        raise DomainError(f"票据 {voided.number} 已补开过")
    receipt = _new_receipt(donation, number, issued_on, actor, replaces=voided)
    record(
        actor,
        "fpa.funds.receipt_reissued",
        receipt,
        {"number": number, "replaces": voided.number, "issued_on": issued_on},
    )
    return receipt


# ---------------------------------------------------------------- campaigns


@transaction.atomic
def create_campaign(
    org: Org,
    name: str,
    starts_on: datetime.date,
    *,
    ends_on: datetime.date | None = None,
    note: str = "",
    actor: Actor,
) -> Campaign:
    """A campaign `org` runs; gifts restricted to it are received across its subtree."""
    actor.require("funds.add")
    if not in_reach(org, actor):
        raise DomainError("只能为本单位及下级发起募捐活动", field="org")
    name = " ".join((name or "").split())[:100]
    if not name:
        raise DomainError("请填写活动名称", field="name")
    check_span(starts_on, "开始日期", "starts_on")
    check_span(ends_on, "结束日期", "ends_on")
    if ends_on is not None and ends_on < starts_on:
        raise DomainError("结束日期不能早于开始日期", field="ends_on")
    campaign = Campaign(name=name, starts_on=starts_on, ends_on=ends_on, note=note[:200])
    campaign.place_in(org)
    try:
        with transaction.atomic():
            campaign.save()
    except IntegrityError as exc:
        raise DomainError(f"{org.name}已有名为“{name}”的募捐活动", field="name") from exc
    record(actor, "fpa.funds.campaign_created", campaign, {"name": name, "org": org.name})
    return campaign


# ---------------------------------------------------------------- distributions


@dataclass
class DistributionData:
    """What a clerk enters for one distribution."""

    kind: str
    amount: Decimal
    on: datetime.date
    purpose: str
    recipient_kind: str = RecipientKind.PERSON
    person: Any = None
    recipient_org: Org | None = None
    campaign: Campaign | None = None
    project: Project | None = None
    item: str = ""
    quantity: Decimal | None = None
    unit: str = ""
    signed_by: str = ""


def eligible(
    org: Org,
    actor: Actor,
    *,
    kind: str,
    campaign: Campaign | None = None,
    project: Project | None = None,
) -> Any:
    """The gifts a distribution by `org` may draw on, oldest first: of its kind, in the actor's
    reach, held by `org` or above it, with money left, and restricted to the distribution's
    campaign or project (or unrestricted)."""
    purpose = Q(restricted=False)
    if campaign is not None:
        purpose |= Q(campaign=campaign)
    if project is not None:
        purpose |= Q(project=project)
    above = [org.path[:end] for end in range(len(org.path), 0, -5)]
    return (
        Donation.objects.for_actor(actor)
        .filter(purpose, kind=kind, org__path__in=above, distributed__lt=F("amount"))
        .order_by("received_on", "pk")
    )


def plan(org: Org, data: DistributionData, actor: Actor) -> list[tuple[int, Decimal]]:
    """Draws for `data.amount` from the eligible gifts, oldest first (the importer's way)."""
    left = _amount(data.amount)
    draws: list[tuple[int, Decimal]] = []
    usable = eligible(org, actor, kind=data.kind, campaign=data.campaign, project=data.project)
    for pk, amount, distributed in usable.values_list("pk", "amount", "distributed")[:500]:
        take = min(left, amount - distributed)
        draws.append((pk, take))
        left -= take
        if not left:
            return draws
    raise DomainError(f"可动用的捐赠结余不足，还差 {left} 元", field="amount")


def _recipient(org: Org, data: DistributionData, actor: Actor) -> tuple[Any, Org | None]:
    if data.recipient_kind == RecipientKind.PERSON:
        if data.person is None:
            raise DomainError("请选择受助人", field="person")
        if not in_reach(data.person, actor):
            raise DomainError("找不到该受助人", field="person")
        return data.person, None
    if data.recipient_kind == RecipientKind.ORG:
        if data.recipient_org is None or not in_reach(data.recipient_org, actor):
            raise DomainError("请选择本辖区内的受助单位", field="recipient_org")
        return None, data.recipient_org
    raise DomainError("请选择受助对象类别", field="recipient_kind")


def _check_draw(org: Org, donation: Donation, data: DistributionData, amount: Decimal) -> None:
    name = f"捐赠 #{donation.pk}"
    if donation.kind != data.kind:
        raise DomainError(f"{name}是{donation.get_kind_display()}，不能用于此次发放", field="draws")
    if not _within(org, donation.org):
        raise DomainError(f"{name}由{donation.org.name}接收，{org.name}不能动用", field="draws")
    if donation.restricted and (
        donation.campaign_id != (data.campaign.pk if data.campaign else None)
        or donation.project_id != (data.project.pk if data.project else None)
    ):
        raise DomainError(f"{name}为{donation.purpose_name}，不能用于其他用途", field="draws")
    if amount > donation.remaining:
        raise DomainError(
            f"{name}结余 {donation.remaining} 元，不足以动用 {amount} 元", field="draws"
        )


def new_distribution(
    org: Org,
    data: DistributionData,
    draws: Sequence[tuple[int, Decimal]] | None,
    *,
    evidence: Any = None,
    actor: Actor,
) -> Distribution:
    """One distribution with its draws, inside the caller's transaction (the caller audits).

    `draws` is (donation id, amount) for each gift it spends; None plans them oldest first. The
    gifts are locked in id order, checked (kind, holder, purpose, what is left) and charged."""
    actor.require("funds.add")
    if not in_reach(org, actor):
        raise DomainError("只能为本单位及下级登记发放", field="org")
    if data.kind not in DonationKind.values:
        raise DomainError("请选择发放类别（资金或物资）", field="kind")
    if data.on is None:
        raise DomainError("请填写发放日期", field="on")
    check_span(data.on, "发放日期", "on")
    total = _amount(data.amount)
    purpose = " ".join((data.purpose or "").split())[:200]
    if not purpose:
        raise DomainError("请填写发放用途", field="purpose")
    if data.campaign is not None and data.project is not None:
        raise DomainError("一次发放只能用于一个募捐活动或一个项目", field="campaign")
    _check_purpose(org, data.campaign, data.project)
    person, recipient_org = _recipient(org, data, actor)
    item = (data.item or "").strip()[:100]
    if data.kind == DonationKind.IN_KIND and not item:
        raise DomainError("发放物资请填写物资名称", field="item")
    wanted: dict[int, Decimal] = {}
    for pk, amount in plan(org, data, actor) if draws is None else draws:
        amount = _amount(amount, "draws", "动用金额")
        wanted[int(pk)] = wanted.get(int(pk), Decimal("0")) + amount
    if not wanted:
        raise DomainError("请选择本次发放动用的捐赠", field="draws")
    if sum(wanted.values()) != total:
        raise DomainError(
            f"动用捐赠合计 {sum(wanted.values())} 元，与发放金额 {total} 元不符", field="draws"
        )
    locked = {
        d.pk: d
        for d in Donation.unscoped_objects.select_for_update(of=("self",))
        .filter(pk__in=sorted(wanted))
        .select_related("org", "campaign", "project")
        .order_by("pk")
    }
    for pk in sorted(wanted):
        donation = locked.get(pk)
        if donation is None or not in_reach(donation, actor):
            raise DomainError(f"找不到捐赠 #{pk}", field="draws")
        _check_draw(org, donation, data, wanted[pk])
    made = Distribution(
        kind=data.kind,
        year=data.on.year,
        on=data.on,
        recipient_kind=data.recipient_kind,
        person=person,
        recipient_org=recipient_org,
        household_id=person.household_id if person is not None else None,
        campaign=data.campaign,
        project=data.project,
        amount=total,
        item=item,
        quantity=data.quantity if data.kind == DonationKind.IN_KIND else None,
        unit=(data.unit or "")[:10] if data.kind == DonationKind.IN_KIND else "",
        purpose=purpose,
        signed_by=(data.signed_by or "").strip()[:50],
        recorded_by_id=_user_id(actor),
    )
    if evidence is not None:
        made.evidence = uploads.accept_attachment(evidence)
    made.place_in(org)
    made.save()
    Draw.objects.bulk_create(
        [Draw(distribution=made, donation_id=pk, amount=a) for pk, a in sorted(wanted.items())]
    )
    for pk, amount in sorted(wanted.items()):
        Donation.unscoped_objects.filter(pk=pk).update(distributed=F("distributed") + amount)
    return made


@transaction.atomic
def distribute(
    org: Org,
    data: DistributionData,
    draws: Sequence[tuple[int, Decimal]] | None = None,
    *,
    evidence: Any = None,
    actor: Actor,
) -> Distribution:
    """Give money or goods to a person or an org, drawing on the gifts it spends.

    Refused past what a gift has left, and a restricted gift for another purpose; the database
    refuses a gift overdrawn whatever the code does."""
    made = new_distribution(org, data, draws, evidence=evidence, actor=actor)
    record(
        actor,
        "fpa.funds.distributed",
        made,
        {
            "amount": str(made.amount),
            "recipient": made.recipient_name,
            "purpose": made.purpose,
            "draws": {str(d.donation_id): str(d.amount) for d in made.draws.all()},
        },
    )
    return made
