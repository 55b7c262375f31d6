"""Registry pages: lists, a person's page, registration with live checks, membership and
relocations."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from fpa import figures
from fpa.core.errors import DomainError
from fpa.core.fields import reveal
from fpa.core.forms import add_domain_error
from fpa.core.jobs import start_job
from fpa.core.masking import mask_id_number, mask_phone
from fpa.core.paging import page_of
from fpa.core.permissions import permission
from fpa.kernel.scope import Actor, actor_for, get_in_reach_or_404, in_reach_or_404

from . import exports, relocation_services, selectors, services
from .forms import JoinForm, MemberFilter, PersonFilter, PersonForm, RelocationForm
from .models import (
    HouseholdMember,
    MemberGroup,
    Membership,
    MembershipStatus,
    Person,
    Relation,
    Relocation,
    RelocationStatus,
)
from .positions_services import LABELS as POSITION_LABELS

PAGE_SIZE = 50


def _person(request: HttpRequest, person_id: int, perm: str) -> tuple[Actor, Person]:
    return in_reach_or_404(request, Person.objects, perm, pk=person_id)


def _listing(
    request: HttpRequest, form_class: type, select: Any, template: str, kind: str
) -> HttpResponse:
    actor = actor_for(request, "people.view")
    form = form_class(request.GET or None, actor=actor)
    filters = form.cleaned_data if form.is_valid() else {}
    total = None
    narrowed = {k for k, v in filters.items() if v not in (None, "", "active")} - {"org"}
    if not narrowed and not actor.self_only:
        # Unfiltered (or only by org): the registry's figure is the exact total, read today
        # from the counter the services maintain (one row).
        name = "people.persons" if kind == "persons" else "people.members"
        total = int(figures.figure(name, filters.get("org") or actor.org, None))
    page = page_of(select(actor, filters), request.GET, PAGE_SIZE, total)
    query = {k: v for k, v in request.GET.items() if k != "page" and v}
    context = {
        "form": form,
        "page": page,
        "kind": kind,
        "extra": "&" + urlencode(query) if query else "",
        "query": urlencode(query),
        "can_add": actor.can("people.add"),
        "can_export": actor.can("people.export"),
        "can_export_full": actor.can("people.export_full"),
    }
    return render(request, template, context)


@permission("people.view")
def person_list(request: HttpRequest) -> HttpResponse:
    return _listing(request, PersonFilter, selectors.persons, "people/person_list.html", "persons")


@permission("people.view")
def member_list(request: HttpRequest) -> HttpResponse:
    return _listing(request, MemberFilter, selectors.members, "people/member_list.html", "members")


def _save_person(
    request: HttpRequest, actor: Actor, form: PersonForm, person: Person | None
) -> HttpResponse | None:
    data = {
        k: v for k, v in form.cleaned_data.items() if v not in (None, "") and k not in form.kept
    }
    # A number field emptied on registration means none; on the edit page it keeps the stored.
    for name in ("id_number", "phone") if person is not None else ("id_number",):
        if name not in form.kept:
            data.setdefault(name, "")
    try:
        if person is None:
            person = services.register_person(data, actor=actor)
        else:
            person = services.update_person(person, data, actor=actor)
    except services.RegisteredElsewhere as exc:
        request.session["relocation_person"] = exc.person_id
        form.add_error("id_number", exc.message)
        form.relocation_offer = True
        return None
    except DomainError as exc:
        add_domain_error(form, exc)
        return None
    messages.success(request, f"{person.name} 已保存")
    return redirect("people:person", person_id=person.pk)


@permission("people.add", writes=True)
def person_create(request: HttpRequest) -> HttpResponse:
    actor = actor_for(request, "people.add")
    form = PersonForm(request.POST or None, actor=actor)
    if (
        request.method == "POST"
        and form.is_valid()
        and (done := _save_person(request, actor, form, None))
    ):
        return done
    return render(request, "people/person_form.html", {"form": form, "title": "登记人员"})


@permission("people.change", writes=True)
def person_edit(request: HttpRequest, person_id: int) -> HttpResponse:
    actor, person = _person(request, person_id, "people.change")
    initial = {
        "name": person.name,
        "id_type": person.id_type,
        "gender": person.gender,
        "birth_date": person.birth_date,
        "ethnicity": person.ethnicity,
        "org": person.org,
        "hukou_code": person.hukou_code,
        "address": person.address,
    }
    # Masked (M6): a full number leaves only through the audited reveal.
    masked = {
        "id_number": mask_id_number(reveal(person.id_number_enc)),
        "phone": mask_phone(reveal(person.phone_enc)),
    }
    form = PersonForm(request.POST or None, actor=actor, initial=initial, masked=masked)
    if (
        request.method == "POST"
        and form.is_valid()
        and (done := _save_person(request, actor, form, person))
    ):
        return done
    context = {"form": form, "title": f"修改 {person.name}", "person": person}
    return render(request, "people/person_form.html", context)


@permission("people.view")
def check_document(request: HttpRequest) -> HttpResponse:
    """Live check of a document number while the clerk types (HTMX)."""
    actor_for(request, "people.view")
    id_type = request.GET.get("id_type", "resident")
    number = request.GET.get("id_number", "")
    result: dict[str, Any] = {}
    if number.strip():
        try:
            result = services.clean_document(id_type, number, request.GET.get("gender", ""))
        except DomainError as exc:
            result = {"error": exc.message}
    return render(request, "people/_document_check.html", {"result": result})


@permission("people.view")
def person_detail(request: HttpRequest, person_id: int) -> HttpResponse:
    actor, person = _person(request, person_id, "people.view")
    scoped = Membership.objects.for_actor(actor).filter(person=person).select_related("org")
    household_members = (
        HouseholdMember.objects.filter(household_id=person.household_id).select_related("person")
        if person.household_id
        else []
    )
    memberships = list(scoped.prefetch_related("events__org"))
    groups = MemberGroup.objects.for_actor(actor).filter(org_id__in=[m.org_id for m in memberships])
    for m in memberships:
        m.available_groups = [g for g in groups if g.org_id == m.org_id]
    context = {
        "person": person,
        "household_members": household_members,
        "relations": Relation.choices,
        "memberships": memberships,
        "can_change": actor.can("people.change"),
        # the service refuses a second active membership: once joined, the form is not offered
        "can_join": actor.can("people.add")
        and not any(m.status == MembershipStatus.ACTIVE for m in memberships),
        "join_form": JoinForm(actor=actor, initial={"org": person.org}),
    }
    return render(request, "people/person_detail.html", context)


@permission("people.change", writes=True, methods=("POST",))
def person_reveal(request: HttpRequest, person_id: int, field: str) -> HttpResponse:
    """Show one full number; the click is a permission and is audited."""
    actor, person = _person(request, person_id, "people.change")
    if field not in ("id_number", "phone"):
        raise Http404
    value = services.reveal_number(person, field, actor=actor)
    return render(request, "people/_revealed.html", {"value": value})


@permission("people.add", writes=True, methods=("POST",))
def person_join(request: HttpRequest, person_id: int) -> HttpResponse:
    actor, person = _person(request, person_id, "people.add")
    form = JoinForm(request.POST, actor=actor)
    if form.is_valid():
        try:
            m = services.join(
                person, form.cleaned_data["org"], form.cleaned_data["joined_on"], actor=actor
            )
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, f"已入会，会员证号 {m.card_number}")
    else:
        messages.error(request, "；".join(str(e) for errs in form.errors.values() for e in errs))
    return redirect("people:person", person_id=person.pk)


@permission("people.add", writes=True)
def relocation_request(request: HttpRequest) -> HttpResponse:
    """Ask for a person registered elsewhere (known only by the number the clerk typed)."""
    actor = actor_for(request, "people.add")
    person_id = request.session.get("relocation_person")
    if person_id is None:
        messages.info(request, "请先在登记页面输入证件号码")
        return redirect("people:person_add")
    form = RelocationForm(request.POST or None, actor=actor)
    if request.method == "POST" and form.is_valid():
        try:
            relocation_services.request_relocation(
                person_id, form.cleaned_data["to_org"], form.cleaned_data["reason"], actor=actor
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            del request.session["relocation_person"]
            messages.success(request, "转入申请已发出，待原登记单位接收")
            return redirect(reverse("people:relocations") + "?dir=in")
    return render(request, "people/relocation_form.html", {"form": form})


@permission("people.view")
def relocations(request: HttpRequest) -> HttpResponse:
    actor = actor_for(request, "people.view")
    direction = "in" if request.GET.get("dir") == "in" else "out"
    qs = selectors.relocations(actor, direction)
    if request.method == "POST" and request.POST.get("format") == "xlsx":
        # a POST with its CSRF token: the export is audited, and no link may write that entry
        return exports.RelocationList().response(actor, {"dir": direction})
    context = {
        "page": page_of(qs, request.GET, PAGE_SIZE),
        "direction": direction,
        "extra": f"&dir={direction}",
        "pending": RelocationStatus.PENDING,
    }
    return render(request, "people/relocations.html", context)


@permission("people.change", writes=True, methods=("POST",))
def relocation_decide(request: HttpRequest, relocation_id: int) -> HttpResponse:
    actor = actor_for(request, "people.change")
    from fpa.orgs.models import Org

    relocation = Relocation.objects.filter(
        pk=relocation_id, from_org__in=Org.objects.for_actor(actor)
    ).first()
    if relocation is None:
        raise Http404
    try:
        relocation_services.decide_relocation(
            relocation, request.POST.get("accept") == "1", actor=actor
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "已处理转入申请")
    return redirect("people:relocations")


@permission("people.view")
def member_card(request: HttpRequest, membership_id: int) -> HttpResponse:
    actor = Actor.from_request(request)
    m = get_in_reach_or_404(Membership.objects, actor, pk=membership_id)
    actor.require("people.view")
    return render(request, "people/card.html", {"cards": [m], "layout": "single"})


@permission("people.view")
def roster(request: HttpRequest) -> HttpResponse:
    """Printable cards of a filtered member list: one a page or eight a sheet."""
    actor = actor_for(request, "people.view")
    form = MemberFilter(request.GET or None, actor=actor)
    filters = form.cleaned_data if form.is_valid() else {}
    cards = list(selectors.members(actor, filters)[:400])
    layout = "sheet" if request.GET.get("layout") == "sheet" else "single"
    return render(request, "people/card.html", {"cards": cards, "layout": layout})


@permission("people.export", writes=True, methods=("POST",))
def export(request: HttpRequest, kind: str) -> HttpResponse:
    actor = actor_for(request, "people.export")
    params = {k: v for k, v in request.POST.items() if k not in ("csrfmiddlewaretoken",) and v}
    if kind in ("persons", "members") and request.POST.get("full") == "1":
        # whole numbers: a grant of its own (名单经办员), refused before a job starts
        actor.require("people.export_full")
        params.pop("full")
        title = "导出人员名单（含完整号码）" if kind == "persons" else "导出会员名单（含完整号码）"
        task = f"{kind}_full"
    elif kind in ("persons", "members"):
        title, task = ("导出人员名单" if kind == "persons" else "导出会员名单"), kind
    elif kind in POSITION_LABELS:
        title, task = f"导出{POSITION_LABELS[kind]}名单", "positions"
        params["kind"] = kind
    else:
        raise Http404
    job = start_job(f"people.export.{task}", actor=actor, title=title, params=params)
    return redirect("core:job", job_id=job.pk)
