"""Importing donations and distributions through the one import engine: every row previewed and
checked by the services' own rules, each rejected row reported with its column and reason, and
the accepted rows committed in one transaction with one audit entry (all or none)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import F, Q, Sum

from fpa.audit.services import record
from fpa.core import crypto
from fpa.core.errors import DomainError
from fpa.core.imports import Column, RowSchema
from fpa.core.imports.errors import CellError
from fpa.core.imports.flow import Commit, ImportFlow
from fpa.core.imports.schema import Status
from fpa.core.money import to_fen
from fpa.kernel.scope import Actor
from fpa.orgs import picker
from fpa.orgs.models import Org
from fpa.people.models import Person

from . import donations
from .donation_selectors import campaigns_for
from .models import Campaign, Channel, Donation, DonationKind, Donor, DonorKind, Valuation

DONOR_KINDS = ((DonorKind.PERSON, "个人"), (DonorKind.ORGANISATION, "单位"), ("anonymous", "匿名"))


@dataclass
class Context:
    actor: Actor
    orgs: dict[str, Org] = field(default_factory=dict)
    persons: dict[str, Person] = field(default_factory=dict)
    campaigns: dict[str, Campaign] = field(default_factory=dict)
    #: what is left to give by (org, kind, campaign) as the file's rows above used it
    left: dict[tuple[int, str, int | None], Decimal] = field(default_factory=dict)
    missing: dict[str, str] = field(default_factory=dict)


def _prepare(context: Context, rows: list[dict[str, Any]], number_keys: tuple[str, ...]) -> None:
    """The file's orgs, persons (by their numbers' blind index) and campaigns, once per file."""
    actor = context.actor
    for text in {v["org"] for v in rows if v.get("org")}:
        try:
            context.orgs[text] = picker.resolve(actor, text)
        except picker.NotFound as exc:
            context.missing[text] = str(exc.args[0]) if exc.args else "找不到该单位"
    numbers = {v[k] for v in rows for k in number_keys if v.get(k)}
    index = {crypto.blind_index(n, "id_number"): n for n in numbers}
    reach = Person.objects.for_actor(actor).filter(id_number_index__in=list(index))
    context.persons = {index[p.id_number_index]: p for p in reach}
    context.campaigns = {c.name: c for c in campaigns_for(actor)}


def _org(values: dict[str, Any], context: Context) -> Org:
    if not values.get("org"):
        return context.actor.org
    found = context.orgs.get(values["org"])
    if found is None:
        raise CellError("org", context.missing.get(values["org"], "找不到该单位"))
    return found


def _campaign(values: dict[str, Any], context: Context) -> Campaign | None:
    name = values.get("campaign")
    if not name:
        return None
    if name not in context.campaigns:
        raise CellError("campaign", f"找不到募捐活动“{name}”")
    return context.campaigns[name]


def _cell(exc: DomainError, mapping: dict[str, str]) -> CellError:
    """A service's refusal as the cell it names (the form's field names → the file's columns)."""
    return CellError(mapping.get(exc.field or "", exc.field or ""), exc.message)


# ---------------------------------------------------------------- donations

GOODS_COLUMNS = (
    Column("item", "物资名称", max_length=100, help="物资捐赠必填"),
    Column("quantity", "数量", kind="decimal", help="物资捐赠必填"),
    Column("unit", "计量单位", max_length=10),
)


class DonationSchema(RowSchema):
    kind = "donations"
    title = "捐赠"
    columns = (
        Column("org", "接收单位", help="单位名称或区划代码；空则为本单位"),
        Column("received_on", "接收日期", kind="date", required=True),
        Column("donor_kind", "捐赠人类别", kind="choice", required=True, choices=DONOR_KINDS),
        Column(
            "donor_name", "捐赠人", max_length=100, help="单位捐赠人必填", synonyms=("捐赠单位",)
        ),
        Column("donor_id_number", "捐赠人身份证号码", kind="id_number", help="个人捐赠人必填"),
        Column("kind", "捐赠类别", kind="choice", required=True, choices=DonationKind.choices),
        Column("amount", "金额（元）", kind="decimal", required=True, synonyms=("金额", "估值")),
        *GOODS_COLUMNS,
        Column("valuation", "估值方式", kind="choice", choices=Valuation.choices),
        Column("channel", "接收方式", kind="choice", required=True, choices=Channel.choices),
        Column("campaign", "定向募捐活动", max_length=100, help="空则为非定向捐赠"),
        Column("note", "备注", max_length=200),
    )

    def prepare(self, rows: list[dict[str, Any]], context: Context) -> None:
        _prepare(context, rows, ("donor_id_number",))

    def classify(self, values: dict[str, Any], context: Context) -> Status:
        org = _org(values, context)
        person = None
        if values.get("donor_kind") == DonorKind.PERSON:
            person = context.persons.get(values.get("donor_id_number") or "")
            if person is None:
                raise CellError("donor_id_number", "本辖区人员库中没有该身份证号码，请先登记人员")
        data = donations.DonationData(
            kind=values["kind"],
            amount=values["amount"],
            received_on=values["received_on"],
            channel=values["channel"],
            donor_kind=values["donor_kind"],
            person=person,
            donor_name=values.get("donor_name") or "",
            item=values.get("item") or "",
            quantity=values.get("quantity"),
            unit=values.get("unit") or "",
            valuation=values.get("valuation") or "",
            campaign=_campaign(values, context),
            note=values.get("note") or "",
        )
        try:
            checked = donations.check_donation(org, data, actor=context.actor)
        except DomainError as exc:
            raise _cell(exc, {"person": "donor_id_number"}) from exc
        # The commit saves the gift as checked here (the rows it gets were checked just before).
        values["_org"], values["_data"], values["_donation"] = org, data, checked
        return "new"

    def will_write(self, rows: list[Any], mode: str) -> str:
        return f"新增捐赠 {len(rows)} 笔"


def _donor_key(org: Org, data: donations.DonationData) -> tuple[Any, ...] | None:
    if data.donor_kind == DonorKind.PERSON and data.person is not None:
        return (org.pk, DonorKind.PERSON, data.person.pk)
    if data.donor_kind == DonorKind.ORGANISATION:
        return (org.pk, DonorKind.ORGANISATION, " ".join(data.donor_name.split())[:100])
    return None


def _donors(wanted: dict[tuple[Any, ...], Donor]) -> dict[tuple[Any, ...], Donor]:
    """The file's donors: those the orgs know already, in one query, and the rest bulk-made."""
    orgs = {k[0] for k in wanted}
    names = {k[2] for k in wanted if k[1] == DonorKind.ORGANISATION}
    persons = {k[2] for k in wanted if k[1] == DonorKind.PERSON}
    found: dict[tuple[Any, ...], Donor] = {}
    for d in Donor.unscoped_objects.filter(org_id__in=orgs).filter(
        Q(kind=DonorKind.ORGANISATION, name__in=names)
        | Q(kind=DonorKind.PERSON, person_id__in=persons)
    ):
        found[(d.org_id, d.kind, d.person_id if d.kind == DonorKind.PERSON else d.name)] = d
    missing = [d for k, d in wanted.items() if k not in found]
    Donor.unscoped_objects.bulk_create(missing, batch_size=1000)
    return found | {k: d for k, d in wanted.items() if k not in found}


@transaction.atomic
def commit_donations(rows: list[Any], *, actor: Actor, filename: str) -> int:
    """All accepted rows become gifts in one transaction (donors made once each), one entry."""
    made: list[Donation] = []
    keys: list[tuple[Any, ...] | None] = []
    wanted: dict[tuple[Any, ...], Donor] = {}
    for r in rows:
        org, data = r.values["_org"], r.values["_data"]
        made.append(r.values["_donation"])
        key = _donor_key(org, data)
        keys.append(key)
        if key is not None and key not in wanted:
            donor = Donor(
                kind=key[1], person=data.person, name=data.person.name if data.person else key[2]
            )
            donor.place_in(org)
            wanted[key] = donor
    donors = _donors(wanted)
    for donation, key in zip(made, keys, strict=True):
        donation.donor = donors[key] if key is not None else None
    Donation.unscoped_objects.bulk_create(made, batch_size=1000)
    record(
        actor,
        "fpa.funds.donations_imported",
        None,
        {"file": filename, "created": len(made)},
        rows=[{"row": r.row, "donation": d.pk} for r, d in zip(rows, made, strict=True)],
    )
    return len(made)


DONATIONS = ImportFlow(
    job="funds.donations_import",
    url_name="funds:donation_import",
    route="donations/import/",
    perm="funds.add",
    title="捐赠",
    schema=lambda owner: DonationSchema(),
    context=lambda actor, owner: Context(actor),
    commit=lambda to: {"created": commit_donations(to.rows, actor=to.actor, filename=to.name)},
    done="导入完成：新增捐赠 {created} 笔",
    after="funds:donations",
    after_label="查看捐赠登记",
    hints=(
        "一行一笔捐赠；个人捐赠人须先在人员库登记，按身份证号码找到；单位捐赠人按名称归并。",
        "定向捐赠填写募捐活动名称；物资捐赠须填物资名称、数量和估值方式，金额填估值。",
    ),
)


# ---------------------------------------------------------------- distributions


class DistributionSchema(RowSchema):
    kind = "distributions"
    title = "捐赠款物发放"
    columns = (
        Column("org", "发放单位", help="单位名称或区划代码；空则为本单位"),
        Column("on", "发放日期", kind="date", required=True),
        Column("id_number", "受助人身份证号码", kind="id_number", required=True),
        Column("name", "受助人姓名", max_length=50),
        Column("kind", "发放类别", kind="choice", required=True, choices=DonationKind.choices),
        Column("amount", "金额（元）", kind="decimal", required=True, synonyms=("金额",)),
        *GOODS_COLUMNS,
        Column("campaign", "募捐活动", max_length=100, help="动用该活动的定向捐赠"),
        Column("purpose", "用途", required=True, max_length=200),
        Column("signed_by", "签收人", max_length=50),
    )
    key_columns = ()

    def prepare(self, rows: list[dict[str, Any]], context: Context) -> None:
        _prepare(context, rows, ("id_number",))

    def _left(self, org: Org, data: donations.DistributionData, context: Context) -> Decimal:
        key = (org.pk, data.kind, data.campaign.pk if data.campaign else None)
        if key not in context.left:
            usable = donations.eligible(
                org, context.actor, kind=data.kind, campaign=data.campaign
            ).aggregate(left=Sum(F("amount") - F("distributed")))
            context.left[key] = usable["left"] or Decimal("0")
        return context.left[key]

    def classify(self, values: dict[str, Any], context: Context) -> Status:
        org = _org(values, context)
        person = context.persons.get(values.get("id_number") or "")
        if person is None:
            raise CellError("id_number", "本辖区人员库中没有该身份证号码，请先登记人员")
        if values.get("name") and values["name"] != person.name:
            raise CellError("name", f"姓名与人员库不符（人员库为“{person.name}”）")
        data = donations.DistributionData(
            kind=values["kind"],
            amount=values["amount"],
            on=values["on"],
            purpose=values.get("purpose") or "",
            person=person,
            campaign=_campaign(values, context),
            item=values.get("item") or "",
            quantity=values.get("quantity"),
            unit=values.get("unit") or "",
            signed_by=values.get("signed_by") or "",
        )
        amount = to_fen(values["amount"])
        if not amount.is_finite() or not Decimal("0") < amount < Decimal("1e12"):
            raise CellError("amount", "金额应在 0.01 元至 1 万亿元之间")
        left = self._left(org, data, context)
        if amount > left:
            raise CellError("amount", f"可动用的捐赠结余仅余 {left} 元（含本文件前面各行）")
        key = (org.pk, data.kind, data.campaign.pk if data.campaign else None)
        context.left[key] = left - amount
        values["_org"], values["_data"] = org, data
        return "new"

    def will_write(self, rows: list[Any], mode: str) -> str:
        return f"新增发放 {len(rows)} 笔"


@transaction.atomic
def commit_distributions(rows: list[Any], *, actor: Actor, filename: str) -> int:
    """All accepted rows become distributions in one transaction, each drawing on the oldest
    gifts it may use; a row the gifts no longer cover refuses the whole file."""
    made = []
    for r in rows:
        try:
            made.append(
                donations.new_distribution(r.values["_org"], r.values["_data"], None, actor=actor)
            )
        except DomainError as exc:
            raise DomainError(f"第 {r.row} 行：{exc.message}，未导入任何一行") from exc
    totals: dict[str, Decimal] = defaultdict(Decimal)
    for m in made:
        totals[m.kind] += m.amount
    record(
        actor,
        "fpa.funds.distributions_imported",
        None,
        {"file": filename, "created": len(made), "amount": str(sum(totals.values()))},
        rows=[{"row": r.row, "distribution": m.pk} for r, m in zip(rows, made, strict=True)],
    )
    return len(made)


def _write_distributions(to: Commit) -> dict[str, int]:
    return {"created": commit_distributions(to.rows, actor=to.actor, filename=to.name)}


DISTRIBUTIONS = ImportFlow(
    job="funds.distributions_import",
    url_name="funds:distribution_import",
    route="distributions/import/",
    perm="funds.add",
    title="捐赠款物发放",
    schema=lambda owner: DistributionSchema(),
    context=lambda actor, owner: Context(actor),
    commit=_write_distributions,
    done="导入完成：新增发放 {created} 笔",
    after="funds:distributions",
    after_label="查看捐赠款物发放",
    hints=(
        "一行发放给一人；受助人须先在人员库登记。每行按接收先后动用本单位（及上级）可用的捐赠，"
        "填写募捐活动时可动用该活动的定向捐赠。",
    ),
)
