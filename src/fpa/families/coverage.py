"""Who has been missed: coverage of the four systems and the three arrangements for a period.

A family counts for a period if it is active on the period's last day, and for the org that holds
it then (the org of its last event on or before that day). How often each kind of care is due is
data (`CoverageRule`); festivals are a dated table with a visiting window each.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Substr

from fpa.kernel.scope import Actor
from fpa.orgs.models import Org

from .models import (
    CareRecord,
    ContactRole,
    CoverageRule,
    CoverageSnapshot,
    DoctorContract,
    FamilyEvent,
    Festival,
    PairedContact,
    Period,
    SpecialFamily,
)

GAP_LABELS = {
    "visit": "本季度未走访",
    "emotional": "本期未精神慰藉",
    "volunteer": "本期无志愿服务",
    "insurance": "本年度无保险保障",
    "festival": "节日未慰问",
    "contact": "双岗联系人不全",
    "doctor": "无家庭医生签约",
}


def quarter(day: datetime.date) -> tuple[datetime.date, datetime.date]:
    first_month = (day.month - 1) // 3 * 3 + 1
    start = datetime.date(day.year, first_month, 1)
    end_month = first_month + 2
    next_start = datetime.date(day.year + (end_month == 12), end_month % 12 + 1, 1)
    return start, next_start - datetime.timedelta(days=1)


def period_window(period: str, end: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The rule's period that contains `end` (month, quarter or year)."""
    if period == Period.MONTH:
        start = end.replace(day=1)
        nxt = datetime.date(start.year + (start.month == 12), start.month % 12 + 1, 1)
        return start, nxt - datetime.timedelta(days=1)
    if period == Period.QUARTER:
        return quarter(end)
    return datetime.date(end.year, 1, 1), datetime.date(end.year, 12, 31)


@dataclass
class Coverage:
    end: datetime.date
    festival: Festival | None
    families: QuerySet
    gaps: dict[str, Any] = field(default_factory=dict)


def families_at(actor: Actor, end: datetime.date, within: Org | None = None) -> QuerySet:
    """The actor's families active on `end`, each annotated with the org that held it then."""
    holder = FamilyEvent.objects.filter(family=OuterRef("pk"), on__lte=end).order_by("-on", "-id")
    qs = (
        SpecialFamily.objects.for_actor(actor)
        .filter(recognized_on__lte=end)
        .exclude(Q(status__in=["moved", "ended"]) & Q(status_on__lte=end))
        .annotate(holder_id=Subquery(holder.values("org_id")[:1]))
    )
    if within is not None:
        holders = Org.objects.for_actor(actor).filter(path__startswith=within.path)
        qs = qs.filter(holder_id__in=holders.values("pk"))
    return qs


def annotate_gaps(qs: QuerySet, end: datetime.date, festival: Festival | None) -> QuerySet:
    """Add one boolean per gap (True = missed) for the period ending on `end`."""
    annotations: dict[str, Any] = {}
    for rule in CoverageRule.objects.filter(enabled=True):
        start, stop = period_window(rule.period, end)
        done = CareRecord.unscoped_objects.filter(
            family=OuterRef("pk"), kind=rule.kind, on__gte=start, on__lte=stop
        )
        annotations[f"gap_{rule.kind}"] = ~Exists(done)
    if festival is not None:
        annotations["gap_festival"] = ~Exists(
            CareRecord.unscoped_objects.filter(family=OuterRef("pk"), festival=festival)
        )
    for role in ContactRole.values:
        annotations[f"has_{role}"] = Exists(
            PairedContact.objects.filter(family=OuterRef("pk"), role=role, since__lte=end).filter(
                Q(until__isnull=True) | Q(until__gt=end)
            )
        )
    annotations["gap_doctor"] = ~Exists(
        DoctorContract.objects.filter(
            family=OuterRef("pk"), signed_on__lte=end, renewal_due__gte=end
        )
    )
    return qs.annotate(**annotations)


def gap_keys(festival: Festival | None) -> list[str]:
    keys = [f"gap_{r.kind}" for r in CoverageRule.objects.filter(enabled=True)]
    if festival is not None:
        keys.append("gap_festival")
    return [*keys, "gap_contact", "gap_doctor"]


def with_gaps(
    actor: Actor, end: datetime.date, festival: Festival | None, within: Org | None = None
) -> list[Any]:
    """The families and their gaps (a list: at county scale thousands, at province 150k)."""
    rows = list(
        annotate_gaps(families_at(actor, end, within), end, festival)
        .select_related("org", *SpecialFamily.NAME_RELATED)
        .order_by("org__path", "id")
    )
    for f in rows:
        f.gap_contact = not (f.has_cadre and f.has_health_worker)
        f.gaps = [k for k in gap_keys(festival) if getattr(f, k, False)]
    return rows


def by_child_org(
    actor: Actor, org: Org, end: datetime.date, festival: Festival | None
) -> tuple[list[dict[str, Any]], dict[str, int]]:
    """Counts of families and of each gap, by child org of `org`, with totals (one GROUP BY)."""
    from fpa.orgs.models import PATH_STEP

    width = len(org.path) + PATH_STEP
    keys = gap_keys(festival)
    holder_path = (
        FamilyEvent.objects.filter(family=OuterRef("pk"), on__lte=end)
        .order_by("-on", "-id")
        .values("org__path")[:1]
    )
    qs = annotate_gaps(families_at(actor, end, within=org), end, festival).annotate(
        bucket=Substr(Subquery(holder_path), 1, width)
    )
    gap_q = {k: Q(**{k: True}) for k in keys if k != "gap_contact"}
    gap_q["gap_contact"] = Q(has_cadre=False) | Q(has_health_worker=False)
    counts = qs.values("bucket").annotate(
        families=Count("id"), **{k: Count("id", filter=gap_q[k]) for k in keys}
    )
    children = {c.path: c for c in Org.objects.for_actor(actor).filter(parent=org)}
    rows = {p: {"org": c, "families": 0, **dict.fromkeys(keys, 0)} for p, c in children.items()}
    totals = {"families": 0, **dict.fromkeys(keys, 0)}
    for row in counts:
        for k in ("families", *keys):
            totals[k] += row[k]
        if row["bucket"] in rows:
            rows[row["bucket"]].update({k: row[k] for k in ("families", *keys)})
    return sorted(rows.values(), key=lambda r: r["org"].path), totals


def labels(keys: list[str], festival: Festival | None) -> list[tuple[str, str]]:
    out = []
    for k in keys:
        base = k.removeprefix("gap_")
        text = GAP_LABELS.get(base, base)
        if base == "festival" and festival is not None:
            text = f"{festival.name}未慰问"
        out.append((k, text))
    return out


#: levels whose coverage is computed in the background and read from a snapshot
SNAPSHOT_LEVELS = ("province", "city")


def snapshot_wanted(actor: Actor, org: Org) -> bool:
    return org.level in SNAPSHOT_LEVELS and org.is_territorial and not actor.self_only


def compute_snapshot(
    actor: Actor, org: Org, end: datetime.date, festival: Festival | None
) -> CoverageSnapshot:
    """Compute and keep the coverage of `org` (the job behind the province and city pages)."""
    rows, totals = by_child_org(actor, org, end, festival)
    stored = [{"org_id": r["org"].pk, **{k: v for k, v in r.items() if k != "org"}} for r in rows]
    CoverageSnapshot.objects.filter(org=org, end=end, festival=festival).delete()
    return CoverageSnapshot.objects.create(
        org=org, end=end, festival=festival, totals=totals, rows=stored
    )


def read_snapshot(
    actor: Actor, org: Org, end: datetime.date, festival: Festival | None
) -> tuple[CoverageSnapshot | None, list[dict[str, Any]]]:
    snap = (
        CoverageSnapshot.objects.filter(org=org, end=end, festival=festival)
        .order_by("-computed_at")
        .first()
    )
    if snap is None:
        return None, []
    orgs = {o.pk: o for o in Org.objects.for_actor(actor).filter(parent=org)}
    rows = [{**r, "org": orgs[r["org_id"]]} for r in snap.rows if r["org_id"] in orgs]
    return snap, rows


@dataclass
class Report:
    """The coverage page's table: a row per child org of `org`, the totals, the gap columns."""

    org: Org
    end: datetime.date
    festival: Festival | None
    rows: list[dict[str, Any]]
    totals: dict[str, int]
    keys: list[tuple[str, str]]
    #: a province or city reads what the background job computed (seconds of GROUP BY)
    snapshot_wanted: bool
    snapshot: CoverageSnapshot | None


def report(actor: Actor, data: dict[str, Any]) -> Report:
    """The coverage of `data["org"]` (the actor's own by default) for the period ending
    `data["end"]` (this quarter's end by default), with `data["festival"]`'s column if any."""
    end = data.get("end") or quarter(datetime.date.today())[1]
    festival = data.get("festival")
    org = data.get("org") or actor.org
    wanted = snapshot_wanted(actor, org)
    snapshot = None
    if wanted:
        snapshot, rows = read_snapshot(actor, org, end, festival)
        totals = snapshot.totals if snapshot else {}
    else:
        rows, totals = by_child_org(actor, org, end, festival)
    keys = labels(gap_keys(festival), festival)
    return Report(org, end, festival, rows, totals, keys, wanted, snapshot)


def current_festival(today: datetime.date) -> Festival | None:
    return Festival.objects.filter(window_start__lte=today, window_end__gte=today).first()


def worklist(actor: Actor, today: datetime.date) -> tuple[list[Any], Festival | None]:
    """The actor's families due something now (the first 500), each with its gaps in words
    (`gap_labels`), and the festival whose window is open."""
    festival = current_festival(today)
    rows = [f for f in with_gaps(actor, today, festival) if f.gaps][:500]
    names = dict(labels(gap_keys(festival), festival))
    for f in rows:
        f.gap_labels = [names[k] for k in f.gaps]
    return rows, festival
