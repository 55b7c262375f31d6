"""Small POST actions on a person page and an org panel: households, groups, group members."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect

from fpa.core.errors import DomainError
from fpa.core.forms import ascii_int, posted_date, posted_text
from fpa.core.permissions import permission
from fpa.kernel.scope import Actor, get_in_reach_or_404, in_reach
from fpa.orgs.models import Org

from . import household_services as hs
from . import services
from .models import Household, MemberGroup, Membership, Person


def _done(request: HttpRequest, action: Callable[[], object], success: str) -> None:
    try:
        action()
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, success)


@permission("people.change", writes=True, methods=("POST",))
def found(request: HttpRequest, person_id: int) -> HttpResponse:
    actor = Actor.from_request(request)
    person = get_in_reach_or_404(Person.objects, actor, pk=person_id)
    _done(request, lambda: hs.found_household(person, actor=actor), "已建立家庭户")
    return redirect("people:person", person_id=person.pk)


@permission("people.change", writes=True, methods=("POST",))
def add_member(request: HttpRequest, person_id: int) -> HttpResponse:
    """Add someone (found by their full document number, in reach) to this person's household."""
    actor = Actor.from_request(request)
    head = get_in_reach_or_404(Person.objects, actor, pk=person_id)
    household = get_in_reach_or_404(Household.objects, actor, pk=head.household_id or 0)

    def action() -> None:
        number = posted_text(request.POST, "id_number", 30).strip()
        other = services.find_by_document("resident", number.upper()) if number else None
        if other is None or not in_reach(other, actor):
            raise DomainError("本辖区没有登记该证件号码的人员，请先登记")
        hs.add_to_household(
            household, other, posted_text(request.POST, "relation", 12), actor=actor
        )

    _done(request, action, "已加入家庭户")
    return redirect("people:person", person_id=head.pk)


@permission("people.add", writes=True, methods=("POST",))
def create_group(request: HttpRequest, org_id: int) -> HttpResponse:
    actor = Actor.from_request(request)
    org = get_in_reach_or_404(Org.objects, actor, pk=org_id)
    _done(
        request,
        lambda: hs.create_group(org, posted_text(request.POST, "name", 100), actor=actor),
        "已建立会员小组",
    )
    return redirect("orgs:detail", org_id=org.pk)


@permission("people.add", writes=True, methods=("POST",))
def add_group_member(request: HttpRequest, org_id: int) -> HttpResponse:
    actor = Actor.from_request(request)
    org = get_in_reach_or_404(Org.objects, actor, pk=org_id)

    def action() -> None:
        joined = posted_date(request.POST, "joined_on", "请填写入会日期（如 2021-05-29）")
        name = posted_text(request.POST, "name", 100)
        if not name.strip():
            raise DomainError("请填写单位名称", field="name")
        hs.add_group_member(
            org,
            name,
            posted_text(request.POST, "credit_code", 18),
            posted_text(request.POST, "contact", 50),
            joined,
            actor=actor,
        )

    _done(request, action, "已登记团体会员")
    return redirect("orgs:detail", org_id=org.pk)


@permission("people.change", writes=True, methods=("POST",))
def assign_group(request: HttpRequest, membership_id: int) -> HttpResponse:
    actor = Actor.from_request(request)
    membership = get_in_reach_or_404(Membership.objects, actor, pk=membership_id)
    raw = request.POST.get("group", "")
    group = None
    if raw:
        group_id = ascii_int(raw)
        if group_id is None:
            raise Http404
        group = get_in_reach_or_404(MemberGroup.objects, actor, pk=group_id)
    _done(request, lambda: hs.assign_group(membership, group, actor=actor), "会员小组已保存")
    return redirect("people:person", person_id=membership.person_id)
