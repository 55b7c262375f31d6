"""The donation pages: the register, a gift (its receipts and draws), a donor, the receipt log,
campaigns, distributions (entry, list, one, its evidence), and their exports."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from fpa.core import uploads
from fpa.core.errors import DomainError
from fpa.core.forms import add_domain_error
from fpa.core.jobs import start_job
from fpa.core.paging import page_of
from fpa.core.permissions import permission
from fpa.kernel.scope import Actor, actor_for, in_reach_or_404

from . import donation_selectors as selectors
from . import donations
from .donation_forms import (
    CampaignForm,
    DistributionFilter,
    DistributionForm,
    DonationFilter,
    DonationForm,
    ReceiptFilter,
    ReceiptForm,
    VoidForm,
)
from .models import Campaign, Distribution, Donation, DonationReceipt, Donor

PAGE_SIZE = 50


def _extra(request: HttpRequest) -> str:
    query = {k: v for k, v in request.GET.items() if k != "page" and v}
    return "&" + urlencode(query) if query else ""


def _list(request: HttpRequest, form: Any, qs: Any, template: str, **context: Any) -> HttpResponse:
    page = page_of(qs, request.GET, PAGE_SIZE)
    return render(
        request, template, {"form": form, "page": page, "extra": _extra(request), **context}
    )


def _export(request: HttpRequest, key: str, title: str) -> HttpResponse:
    actor = actor_for(request, "funds.export")
    params = {k: v for k, v in request.POST.items() if k != "csrfmiddlewaretoken" and v}
    job = start_job(key, actor=actor, title=title, params=params)
    return redirect("core:job", job_id=job.pk)


# ---------------------------------------------------------------- the register and one gift


@permission("funds.view")
def donation_list(request: HttpRequest) -> HttpResponse:
    """捐赠登记: the gifts received in the clerk's subtree, filtered and paged."""
    actor = actor_for(request, "funds.view")
    form = DonationFilter(request.GET or None, actor=actor)
    filters = form.cleaned_data if form.is_valid() else {}
    return _list(request, form, selectors.donations_of(actor, filters), "funds/donations/list.html")


@permission("funds.export", writes=True, methods=("POST",))
def donation_export(request: HttpRequest) -> HttpResponse:
    return _export(request, "funds.export.donations", "导出捐赠登记")


@permission("funds.add", methods=("GET", "POST"), writes=True)
def donation_add(request: HttpRequest) -> HttpResponse:
    actor = actor_for(request, "funds.add")
    form = DonationForm(request.POST or None, actor=actor, initial={"org": actor.org})
    if request.method == "POST" and form.is_valid():
        try:
            donation = donations.record_donation(
                form.cleaned_data["org"], form.data_for_service(), actor=actor
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, f"已登记捐赠：{donation}")
            return redirect("funds:donation", donation_id=donation.pk)
    return render(request, "funds/donations/form.html", {"form": form, "title": "登记捐赠"})


def _donation(request: HttpRequest, donation_id: int, perm: str) -> tuple[Actor, Donation]:
    return in_reach_or_404(request, Donation.objects, perm, pk=donation_id)


def _donation_page(
    request: HttpRequest,
    actor: Actor,
    donation: Donation,
    receipt_form: ReceiptForm | None = None,
    void_form: VoidForm | None = None,
) -> HttpResponse:
    return render(
        request,
        "funds/donations/detail.html",
        {
            "donation": donation,
            "receipts": donation.receipts.select_related("replaces").order_by("recorded_at", "pk"),
            "draws": donation.draws.select_related(
                "distribution__person", "distribution__recipient_org"
            ).order_by("-distribution__on", "-pk")[:200],
            "receipt_form": receipt_form or ReceiptForm(),
            "void_form": void_form or VoidForm(),
            "can_change": actor.can("funds.change"),
        },
    )


@permission("funds.view")
def donation_page(request: HttpRequest, donation_id: int) -> HttpResponse:
    actor, donation = _donation(request, donation_id, "funds.view")
    return _donation_page(request, actor, donation)


@permission("funds.change", writes=True, methods=("POST",))
def receipt_issue(request: HttpRequest, donation_id: int) -> HttpResponse:
    actor, donation = _donation(request, donation_id, "funds.change")
    form = ReceiptForm(request.POST)
    if form.is_valid():
        try:
            receipt = donations.issue_receipt(
                donation, form.cleaned_data["number"], form.cleaned_data["issued_on"], actor=actor
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, f"已登记票据 {receipt.number}")
            return redirect("funds:donation", donation_id=donation.pk)
    return _donation_page(request, actor, donation, receipt_form=form)


def _receipt(request: HttpRequest, receipt_id: int) -> tuple[Actor, DonationReceipt]:
    return in_reach_or_404(request, DonationReceipt.objects, "funds.change", pk=receipt_id)


@permission("funds.change", writes=True, methods=("POST",))
def receipt_void(request: HttpRequest, receipt_id: int) -> HttpResponse:
    actor, receipt = _receipt(request, receipt_id)
    form = VoidForm(request.POST)
    if form.is_valid():
        try:
            donations.void_receipt(
                receipt, form.cleaned_data["reason"], form.cleaned_data["on"], actor=actor
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, f"票据 {receipt.number} 已作废，可补开新票据")
            return redirect("funds:donation", donation_id=receipt.donation_id)
    return _donation_page(request, actor, receipt.donation, void_form=form)


@permission("funds.change", writes=True, methods=("POST",))
def receipt_reissue(request: HttpRequest, receipt_id: int) -> HttpResponse:
    actor, receipt = _receipt(request, receipt_id)
    form = ReceiptForm(request.POST)
    if form.is_valid():
        try:
            made = donations.reissue_receipt(
                receipt, form.cleaned_data["number"], form.cleaned_data["issued_on"], actor=actor
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, f"已补开票据 {made.number}（原票据 {receipt.number}）")
            return redirect("funds:donation", donation_id=receipt.donation_id)
    return _donation_page(request, actor, receipt.donation, receipt_form=form)


@permission("funds.view")
def receipt_list(request: HttpRequest) -> HttpResponse:
    """票据登记: every receipt recorded in the subtree, voided ones included (never deleted)."""
    actor = actor_for(request, "funds.view")
    form = ReceiptFilter(request.GET or None, actor=actor)
    filters = form.cleaned_data if form.is_valid() else {}
    return _list(
        request, form, selectors.receipts_of(actor, filters), "funds/donations/receipts.html"
    )


@permission("funds.export", writes=True, methods=("POST",))
def receipt_export(request: HttpRequest) -> HttpResponse:
    return _export(request, "funds.export.receipts", "导出捐赠票据登记")


@permission("funds.view")
def donor_page(request: HttpRequest, donor_id: int) -> HttpResponse:
    actor, donor = in_reach_or_404(request, Donor.objects, "funds.view", pk=donor_id)
    gifts = donor.donations.select_related("campaign", "project", "receipt").order_by(
        "-received_on", "-pk"
    )
    return render(
        request,
        "funds/donations/donor.html",
        {"donor": donor, "page": page_of(gifts, request.GET, PAGE_SIZE), "extra": ""},
    )


# ---------------------------------------------------------------- campaigns


@permission("funds.view")
def campaign_list(request: HttpRequest) -> HttpResponse:
    actor = actor_for(request, "funds.view")
    qs = Campaign.objects.for_actor(actor).select_related("org").order_by("-starts_on", "-pk")
    page = page_of(qs, request.GET, PAGE_SIZE)
    rows = list(page.object_list)
    totals = selectors.campaign_totals([c.pk for c in rows])
    return render(
        request,
        "funds/donations/campaigns.html",
        {"page": page, "rows": [(c, totals[c.pk]) for c in rows], "extra": _extra(request)},
    )


@permission("funds.add", methods=("GET", "POST"), writes=True)
def campaign_add(request: HttpRequest) -> HttpResponse:
    actor = actor_for(request, "funds.add")
    form = CampaignForm(request.POST or None, actor=actor, initial={"org": actor.org})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            campaign = donations.create_campaign(
                d["org"],
                d["name"],
                d["starts_on"],
                ends_on=d["ends_on"],
                note=d["note"],
                actor=actor,
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, f"已发起募捐活动：{campaign.name}")
            return redirect("funds:campaign", campaign_id=campaign.pk)
    return render(request, "funds/donations/form.html", {"form": form, "title": "发起募捐活动"})


@permission("funds.view")
def campaign_page(request: HttpRequest, campaign_id: int) -> HttpResponse:
    """A campaign: raised (cash and goods), distributed and remaining, by child org."""
    actor, campaign = in_reach_or_404(request, Campaign.objects, "funds.view", pk=campaign_id)
    summary = selectors.campaign_summary(campaign)
    return render(
        request,
        "funds/donations/campaign.html",
        {"campaign": campaign, "summary": summary, "can_add": actor.can("funds.add")},
    )


@permission("funds.export", writes=True, methods=("POST",))
def campaign_export(request: HttpRequest) -> HttpResponse:
    return _export(request, "funds.export.campaigns", "导出募捐活动")


# ---------------------------------------------------------------- distributions


def _draws(request: HttpRequest) -> list[tuple[int, Decimal]] | None:
    """The amounts typed beside the gifts (`draw_<id>`); None when none was (planned oldest
    first). A value that is not a number is refused as the service refuses one."""
    found: list[tuple[int, Decimal]] = []
    for key in request.POST:
        value = str(request.POST.get(key, "")).strip().replace(",", "")
        if key.startswith("draw_") and key[5:].isdigit() and value:
            try:
                found.append((int(key[5:]), Decimal(value)))
            except InvalidOperation as exc:
                raise DomainError("动用金额应为数字", field="amount") from exc
    return found or None


@permission("funds.add", methods=("GET", "POST"), writes=True)
def distribution_add(request: HttpRequest) -> HttpResponse:
    """发放: the recipient, the amount, and the gifts it draws on (each with what it has left;
    left blank, the oldest gifts the distribution may use are drawn first)."""
    actor = actor_for(request, "funds.add")
    initial: dict[str, Any] = {"org": actor.org}
    if request.GET.get("campaign", "").isdigit():
        initial["campaign"] = int(request.GET["campaign"])
    form = DistributionForm(
        request.POST or None, request.FILES or None, actor=actor, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        try:
            made = donations.distribute(
                form.cleaned_data["org"],
                form.data_for_service(),
                _draws(request),
                evidence=form.cleaned_data.get("evidence"),
                actor=actor,
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, f"已登记发放：{made}")
            return redirect("funds:distribution", distribution_id=made.pk)
    campaign = form.cleaned_data.get("campaign") if form.is_bound and form.is_valid() else None
    if campaign is None and "campaign" in initial:
        campaign = selectors.campaigns_for(actor).filter(pk=initial["campaign"]).first()
    usable = donations.eligible(
        actor.org,
        actor,
        kind="in_kind" if request.POST.get("kind") == "in_kind" else "cash",
        campaign=campaign,
    ).select_related("donor", "campaign", "project", "org")[:100]
    return render(
        request, "funds/donations/distribution_form.html", {"form": form, "usable": usable}
    )


@permission("funds.view")
def distribution_list(request: HttpRequest) -> HttpResponse:
    actor = actor_for(request, "funds.view")
    form = DistributionFilter(request.GET or None, actor=actor)
    filters = form.cleaned_data if form.is_valid() else {}
    return _list(
        request,
        form,
        selectors.distributions_of(actor, filters),
        "funds/donations/distributions.html",
    )


@permission("funds.export", writes=True, methods=("POST",))
def distribution_export(request: HttpRequest) -> HttpResponse:
    return _export(request, "funds.export.distributions", "导出捐赠款物发放")


def _distribution(request: HttpRequest, distribution_id: int) -> tuple[Actor, Distribution]:
    return in_reach_or_404(request, Distribution.objects, "funds.view", pk=distribution_id)


@permission("funds.view")
def distribution_page(request: HttpRequest, distribution_id: int) -> HttpResponse:
    _, made = _distribution(request, distribution_id)
    draws = made.draws.select_related("donation__donor", "donation__campaign").order_by("pk")
    return render(request, "funds/donations/distribution.html", {"made": made, "draws": draws})


@permission("funds.view")
def distribution_evidence(request: HttpRequest, distribution_id: int) -> FileResponse:
    _, made = _distribution(request, distribution_id)
    if not made.evidence:
        raise Http404
    return uploads.attachment_response(made.evidence)
