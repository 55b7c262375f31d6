"""Walking every URL the resolver knows, with real objects in reach, for the attack tests.

`build_world` makes one object of each kind in 长沙县 through the app services (an org's site, a
person with a membership, a household and a member group, a special family with a care record
and an attachment, a program with an application, an approved entitlement in a payment batch, a
batch whose line the bank refused, an insurance policy, a relocation request, a password reset,
finished jobs) and one user per built-in role at the county, and an out-of-scope twin of the
org-owned ones in 浏阳市 (430181, `World.outside`; tests/urlwalk_parts.py). `routes()` lists
every URL pattern; `fill()` turns one into a concrete URL with the world's objects (or, with
`outside=True`, their twins); `forms_of()` reads the forms a rendered page offers. `RowCounter`
counts the rows of every table at once.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

from django.apps import apps
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from fpa.accounts import services as account_services
from fpa.core.models import Job
from fpa.families import services as families
from fpa.funds import projects as funds_projects
from fpa.funds.models import BudgetLine
from fpa.orgs import services as orgs
from fpa.people import household_services, relocation_services
from fpa.people import services as people
from fpa.programs import payments, setup
from fpa.programs import services as programs
from tests.conftest import actor_of
from tests.core.uploads_helpers import png
from tests.factories import UserFactory
from tests.families.conftest import make_family
from tests.people.conftest import id_for
from tests.programs.conftest import approve_all, file, make_program, person_payee, stay
from tests.urlwalk_donations import SCOPED as DONATION_SCOPED
from tests.urlwalk_donations import donation_objects
from tests.urlwalk_parts import failed_line, insured, program_twins

COUNTY = "430121000000"
ROLES = [
    "clerk",
    "reviewer",
    "approver",
    "viewer",
    "org_admin",
    "security_admin",
    "auditor",
    "roster_officer",
]


@dataclass
class Route:
    name: str  # namespaced, for reverse()
    route: str  # the pattern as written, for messages
    kwargs: list[str]


@dataclass
class World:
    users: dict[str, Any]
    ids: dict[str, Any]
    jobs: dict[Any, Any] = field(default_factory=dict)
    #: the twins in another county of the objects in `ids` that belong to an org
    outside: dict[str, Any] = field(default_factory=dict)


def routes() -> list[Route]:
    """Every URL pattern of the project (the API's format-suffix twins left out)."""
    found: list[Route] = []

    def walk(resolver: URLResolver, prefix: str, namespace: str) -> None:
        for p in resolver.url_patterns:
            if isinstance(p, URLResolver):
                ns = f"{namespace}{p.namespace}:" if p.namespace else namespace
                walk(p, prefix + str(p.pattern), ns)
            elif isinstance(p, URLPattern) and p.name:
                regex = p.pattern.regex
                names = list(regex.groupindex)
                if "format" in names:
                    continue
                found.append(Route(namespace + p.name, prefix + str(p.pattern), names))

    walk(get_resolver(), "", "")
    return found


def build_world(tree: dict[str, Any]) -> World:
    county = tree[COUNTY]
    village = tree["430121001001"]
    users = {role: UserFactory(username=f"fuzz_{role}", org=county, roles=[role]) for role in ROLES}
    # the chain's actors below the county and a province clerk to set up programs
    users["township_reviewer"] = UserFactory(
        username="fuzz_tr", org=tree["430121001000"], roles=["reviewer"]
    )
    users["province"] = UserFactory(
        username="fuzz_province", org=tree["430000000000"], roles=["clerk"]
    )
    users["county"] = users["clerk"]
    users["village"] = UserFactory(username="fuzz_village", org=village, roles=["clerk"])
    clerk = actor_of(users["clerk"])
    site = orgs.save_site(county, {"kind": "member_home", "name": "会员之家"}, actor=clerk)
    person = people.register_person(
        {"name": "张桂兰", "id_number": id_for("430121"), "phone": "13812345678", "org": village},
        actor=clerk,
    )
    membership = people.join(person, village, datetime.date(2020, 1, 1), actor=clerk)
    household_services.found_household(person, actor=clerk)
    household_services.create_group(village, "第一小组", actor=clerk)
    family = make_family(users, tree)
    care = families.record_care(
        family,
        {"kind": "visit", "on": datetime.date(2021, 5, 1), "what": "走访慰问"},
        actor=clerk,
    )
    attachment = families.attach(
        family, care.pk, SimpleUploadedFile("receipt.png", png()), "收据", actor=clerk
    )
    program = make_program(users)
    province = actor_of(users["province"])
    city = program.funding_org.children.get(code="430100000000")
    setup.split_budget(program, program.funding_org, "equal", actor=province)
    setup.split_budget(program, city, "equal", actor=province)
    # a second kind of program, for its own detail fields (a loan's annual rate in %)
    loan = make_program(
        users,
        kind="loan_interest",
        code="DKTX2026",
        rate={"share": "0.5", "max_principal": "100000"},
        name="创业贷款贴息",
    )
    mother = family.parents.get().person
    staff = {**users, "reviewer": users["township_reviewer"], "approver": users["approver"]}
    approve_all(file(program, mother, person_payee(mother), users), staff)
    other = make_family(users, tree, seq=420).parents.get().person
    pending = programs.file_application(
        program,
        actor=actor_of(users["village"]),
        person=other,
        payee=person_payee(other, "6230901234567890999"),
        details=stay(),
        attachments=[(SimpleUploadedFile("invoice.png", png()), "住院发票")],
    )
    batch = payments.build_batch(program, county, "2026-06", "hnrcu", actor=clerk)
    failed_batch, failed_payee = failed_line(program, users, staff, tree)
    policy = insured(users, staff, mother)
    outsider = UserFactory(username="fuzz_out", org=tree["430181001000"], roles=["clerk"])
    moving = people.register_person(
        {"name": "李四", "id_number": id_for("430181", seq=44), "org": tree["430181001001"]},
        actor=actor_of(outsider),
    )
    relocation = relocation_services.request_relocation(moving.pk, village, "搬家", actor=clerk)
    # a reviewer's password reset waiting for the security administrator's confirmation
    reset = account_services.reset_password(
        users["township_reviewer"], "Fuzz@2026pass", actor=actor_of(users["org_admin"])
    )
    ids = {
        "org_id": [county.pk, village.pk],  # a village for its member groups
        "user_id": users["clerk"].pk,
        "year": 2021,
        "site_id": site.pk,
        "person_id": person.pk,
        "field": "phone",
        "relocation_id": relocation.pk,
        "membership_id": membership.pk,
        "family_id": family.pk,
        "record_id": care.pk,
        "attachment_id": attachment.pk,
        "program_id": [program.pk, loan.pk],
        "application_id": pending.pk,
        "policy_id": policy.pk,
        "batch_id": batch.pk,
        "payee_id": batch.lines.first().payee_id,
        "code": "hnrcu",
        "pk": county.pk,
        "reset_id": reset.pk,
        # the county's line of the program, passed down to it by the city
        "line_id": BudgetLine.unscoped_objects.get(program=program, org=county).pk,
        **library_project(clerk, county, "XM2026"),
    }
    outside = build_twins(tree, users, program)
    ids |= donation_objects(county, users["clerk"], person, "长沙县")
    outside |= donation_objects(
        tree["430181000000"], users["other_county"], outside_person(outside), "浏阳市"
    )
    leaving = people.register_person(
        {"name": "赵迁出", "id_number": id_for("430121", seq=63), "org": village}, actor=clerk
    )
    outgoing = relocation_services.request_relocation(
        leaving.pk, tree["430181001001"], "投亲", actor=actor_of(users["other_county"])
    )
    # the incoming relocation is decided by the county it leaves: out of our reach to decide
    outside["relocation_id"] = relocation.pk
    return World(
        users=users,
        ids={
            **ids,
            "matrix_relocation_id": outgoing.pk,
            "other_person_id": other.pk,
            "program_attachment_id": pending.attachments.get().pk,
            "insured_application_id": policy.entitlement.application_id,
            "failed_batch_id": failed_batch,
            "failed_payee_id": failed_payee,
        },
        outside=outside,
    )


#: the URL arguments naming an object that belongs to an org (or to a user), so out of reach in
#: another county; the others (a year, a field, a bank code, a policy found through its
#: application) are not
SCOPED = {
    "org_id",
    "user_id",
    "site_id",
    "person_id",
    "membership_id",
    "family_id",
    "record_id",
    "attachment_id",
    "application_id",
    "job_id",
    "relocation_id",
    "program_id",
    "batch_id",
    "payee_id",
    "reset_id",
    "line_id",
    "project_id",
    *DONATION_SCOPED,
}


def library_project(clerk: Any, county: Any, code: str) -> dict[str, int]:
    """A project of the library in `county`, with a target, a milestone and its evidence."""
    project = funds_projects.apply(
        county,
        {"code": code, "name": "暖心家园建设", "kind": "warm_home", "year": 2026, "budget": 1000},
        actor=clerk,
    )
    funds_projects.add_target(
        project,
        {"kind": "output", "name": "建成家园", "target": 2, "unit": "个", "weight": 50},
        actor=clerk,
    )
    milestone = funds_projects.add_milestone(
        project, "完工", datetime.date(2026, 10, 1), actor=clerk
    )
    evidence = funds_projects.attach(
        project, SimpleUploadedFile("accept.png", png()), "验收照片", actor=clerk
    )
    return {"project_id": project.pk, "milestone_id": milestone.pk, "evidence_id": evidence.pk}


def outside_person(outside: dict[str, Any]) -> Any:
    from fpa.people.models import Person

    return Person.unscoped_objects.get(pk=outside["person_id"])


def build_twins(tree: dict[str, Any], users: dict[str, Any], program: Any) -> dict[str, Any]:
    """The same kinds of objects as the world's, in 浏阳市, entered by that county's clerk."""
    county = tree["430181000000"]
    village = tree["430181001001"]
    clerk_user = UserFactory(username="fuzz_other", org=county, roles=["clerk"])
    users["other_county"] = clerk_user
    clerk = actor_of(clerk_user)
    site = orgs.save_site(county, {"kind": "member_home", "name": "外县会员之家"}, actor=clerk)
    person = people.register_person(
        {"name": "王外县", "id_number": id_for("430181", seq=61), "org": village}, actor=clerk
    )
    membership = people.join(person, village, datetime.date(2020, 1, 1), actor=clerk)
    family = make_family({"county": clerk_user}, tree, village="430181001001", seq=62)
    care = families.record_care(
        family, {"kind": "visit", "on": datetime.date(2021, 5, 1), "what": "走访"}, actor=clerk
    )
    attachment = families.attach(
        family, care.pk, SimpleUploadedFile("r.png", png()), "收据", actor=clerk
    )
    mother = family.parents.get().person
    application = file(
        program, mother, person_payee(mother, "6230901234567890888"), {"village": clerk_user}
    )
    job = Job.unscoped_objects.create(
        kind="export", title="导出", user=clerk_user, org=county, status="done"
    )
    return {
        "org_id": county.pk,
        "user_id": clerk_user.pk,
        "site_id": site.pk,
        "person_id": person.pk,
        "membership_id": membership.pk,
        "family_id": family.pk,
        "record_id": care.pk,
        "attachment_id": attachment.pk,
        "application_id": application.pk,
        "job_id": job.pk,
        "line_id": BudgetLine.unscoped_objects.get(program=program, org=county).pk,
        "project_id": library_project(clerk, county, "WX2026")["project_id"],
        **program_twins(users, tree, program, application),
    }


def job_for(world: World, user: Any) -> Any:
    """A finished job of the user's own (job pages open only their starter's jobs)."""
    if user.pk not in world.jobs:
        world.jobs[user.pk] = Job.unscoped_objects.create(
            kind="export", title="导出", user=user, org=user.org, status="done"
        )
    return world.jobs[user.pk]


#: the objects a route's page needs in place of the world's usual ones (with `fitting`): a claim
#: needs an insured application, an account correction a payee whose line failed
FITTING_IDS = {
    "programs:claim": {"application_id": "insured_application_id"},
    "programs:payee_account": {"batch_id": "failed_batch_id", "payee_id": "failed_payee_id"},
}

KIND_BY_ROUTE = {
    "export": "persons",
    "positions": "staff",
    "position_add": "staff",
    "old_positions": "staff",
    "old_position_add": "staff",
}

#: the finished job a route opens, as (kind, the URL argument it was started for, result)
JOB_BY_ROUTE: dict[str, tuple[str, str | None, dict[str, Any]]] = {
    "people:import_result": ("people.import.preview", None, {"counts": {"new": 1}}),
    "people:import_commit": ("people.import.preview", None, {"counts": {"new": 1}}),
    "families:import_result": ("families.import.preview", None, {"counts": {"new": 1}}),
    "families:import_commit": ("families.import.preview", None, {"counts": {"new": 1}}),
    "programs:import_result": ("programs.applications.preview", "program", {}),
    "programs:import_commit": ("programs.applications.preview", "program", {"counts": {"new": 1}}),
    "programs:return_result": ("programs.return.preview", "batch", {}),
    "programs:return_commit": ("programs.return.preview", "batch", {"counts": {"update": 1}}),
    "funds:import_result": ("funds.import.lines.preview", None, {"counts": {"new": 1}}),
    "funds:import_commit": ("funds.import.lines.preview", None, {"counts": {"new": 1}}),
    "funds:transfer_import_result": ("funds.import.transfers.preview", "line", {}),
    "funds:transfer_import_commit": (
        "funds.import.transfers.preview",
        "line",
        {"counts": {"new": 1}},
    ),
    "core:job_download": ("people.export.persons", None, {}),
    "funds:donation_import_result": ("funds.donations_import.preview", None, {}),
    "funds:donation_import_commit": (
        "funds.donations_import.preview",
        None,
        {"counts": {"new": 1}},
    ),
    "funds:distribution_import_result": ("funds.distributions_import.preview", None, {}),
    "funds:distribution_import_commit": (
        "funds.distributions_import.preview",
        None,
        {"counts": {"new": 1}},
    ),
}


def fitting_job(world: World, user: Any, route: str, owner: int | None) -> Any:
    """A finished job of the user's that the route opens: of its kind, for its program or
    batch, with a file to download (`job_for` for the routes that take any job)."""
    if route not in JOB_BY_ROUTE:
        return job_for(world, user)
    kind, param, result = JOB_BY_ROUTE[route]
    key = (user.pk, route)
    if key not in world.jobs:
        media = Path(settings.MEDIA_ROOT) / "jobs"
        media.mkdir(parents=True, exist_ok=True)
        (media / "matrix.xlsx").write_bytes(b"PK")
        world.jobs[key] = Job.unscoped_objects.create(
            kind=kind,
            title="任务",
            user=user,
            org=user.org,
            status="done",
            params={"name": "名单.xlsx", **({param: owner} if param else {})},
            result=result,
            result_file="jobs/matrix.xlsx",
            result_name="名单.xlsx",
        )
    return world.jobs[key]


def fill(
    route: Route, world: World, user: Any, outside: bool = False, fitting: bool = False
) -> list[str]:
    """The route's concrete URLs: one, or one per object where the world has several kinds.

    With `outside`, every object the URL names is its twin in another county; a route that
    names none, or one without a twin, has no such URL (an empty list). With `fitting`, the
    objects also fit each other and the page (the job of the route's kind, for the program or
    batch of the URL; a site with its own org; a relocation this county decides), as the access
    matrix needs to tell a refusal from a misfit."""
    if outside:
        scoped = [n for n in route.kwargs if n in SCOPED]
        if not scoped or any(n not in world.outside for n in scoped):
            return []
    urls: list[dict[str, Any]] = [{}]
    for name in route.kwargs:
        if outside and name in SCOPED:
            choices = [world.outside[name]]
        elif name == "job_id":
            choices = [None] if fitting else [job_for(world, user).pk]
        elif name == "kind":
            choices = [KIND_BY_ROUTE.get(route.name.split(":")[-1], "persons")]
        elif fitting and name in FITTING_IDS.get(route.name, {}):
            choices = [world.ids[FITTING_IDS[route.name][name]]]
        elif fitting and name == "relocation_id":
            choices = [world.ids["matrix_relocation_id"]]
        elif fitting and name == "attachment_id" and route.name.startswith("programs:"):
            choices = [world.ids["program_attachment_id"]]
        else:
            value = world.ids[name]
            choices = value if isinstance(value, list) else [value]
            if fitting and ("job_id" in route.kwargs or "site_id" in route.kwargs):
                choices = choices[:1]  # the program the job is for; the county the site is of
        urls = [{**u, name: c} for u in urls for c in choices]
    for u in urls:
        if u.get("job_id", 0) is None:
            owner = u.get("program_id") or u.get("batch_id") or u.get("line_id")
            u["job_id"] = fitting_job(world, user, route.name, owner).pk
    return [reverse(route.name, kwargs=u) for u in urls]


@dataclass
class Form:
    method: str
    action: str
    fields: dict[str, str]  # name -> value as rendered
    kinds: dict[str, str]  # name -> input type, "select" or "textarea"
    options: dict[str, list[str]] = field(default_factory=dict)


class _FormParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._select: str | None = None
        self._textarea: str | None = None
        self._alternatives: list[tuple[Form, dict[str, str]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
        if tag == "form":
            self._form = Form(a.get("method", "get").lower(), a.get("action", ""), {}, {})
            self.forms.append(self._form)
            return
        form = self._form
        if form is not None and tag == "button" and ("formaction" in a or "formmethod" in a):
            # a second submit of the same fields elsewhere (a list's export of its filter)
            self._alternatives.append((form, a))
        if form is None or not a.get("name"):
            return
        name = a["name"]
        if tag == "input":
            kind = a.get("type", "text").lower()
            if kind in ("submit", "button", "image", "reset"):
                return
            if kind in ("checkbox", "radio") and "checked" not in a:
                form.kinds.setdefault(name, kind)
                return
            form.fields[name] = a.get("value", "on" if kind == "checkbox" else "")
            form.kinds[name] = kind
        elif tag == "select":
            self._select = name
            form.fields.setdefault(name, "")
            form.kinds[name] = "select"
            form.options[name] = []
        elif tag == "option" and self._select:
            form.options[self._select].append(a.get("value", ""))
            if "selected" in a:
                form.fields[self._select] = a.get("value", "")
        elif tag == "textarea":
            self._textarea = name
            form.fields[name] = ""
            form.kinds[name] = "textarea"

    def handle_data(self, data: str) -> None:
        if self._form is not None and self._textarea:
            self._form.fields[self._textarea] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
            for form, a in self._alternatives:
                extra = {a["name"]: a.get("value", "")} if a.get("name") else {}
                self.forms.append(
                    Form(
                        a.get("formmethod", form.method).lower(),
                        a.get("formaction", form.action),
                        {**form.fields, **extra},
                        dict(form.kinds),
                        dict(form.options),
                    )
                )
            self._alternatives = []
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


#: links worth following from a page: its own variants and its downloads and exports
FOLLOW = re.compile(r"\?|download|export|/file/|template|sample")


def links_of(html: str, page: str) -> list[str]:
    """The site-local links of a page that lead to a variant of it or to a file."""
    parser = _FormParser()
    parser.feed(html)
    found = []
    for href in parser.links:
        url = urljoin(page, href)
        if url.startswith("/") and not url.startswith("//") and FOLLOW.search(href):
            found.append(url.split("#")[0])
    return list(dict.fromkeys(found))


def forms_of(html: str) -> list[Form]:
    parser = _FormParser()
    parser.feed(html)
    return [f for f in parser.forms if f.kinds]


class RowCounter:
    """The row count of every table of the project, in one query."""

    SKIP = {"django_session"}

    def __init__(self) -> None:
        self.tables = sorted(
            {m._meta.db_table for m in apps.get_models()}
            & set(connection.introspection.table_names()) - self.SKIP
        )
        quote = connection.ops.quote_name
        self.sql = "SELECT " + ", ".join(f"(SELECT COUNT(*) FROM {quote(t)})" for t in self.tables)

    def snapshot(self) -> dict[str, int]:
        with connection.cursor() as cursor:
            cursor.execute(self.sql)
            return dict(zip(self.tables, cursor.fetchone(), strict=True))

    def diff(self, before: dict[str, int]) -> dict[str, int]:
        after = self.snapshot()
        return {t: after[t] - before[t] for t in self.tables if after[t] != before[t]}


def rows_holding(chars: list[str]) -> list[str]:
    """The models with a text column holding one of `chars` (a control character kept)."""
    from django.db import models as m
    from django.db.models import Q

    found = []
    for model in apps.get_models():
        texts = [
            f.name for f in model._meta.concrete_fields if isinstance(f, m.CharField | m.TextField)
        ]
        if not texts:
            continue
        query = Q()
        for name in texts:
            for ch in chars:
                query |= Q(**{f"{name}__contains": ch})
        if model._base_manager.filter(query).exists():
            found.append(model._meta.label)
    return found


WRITE = re.compile(r"^\s*(INSERT INTO|UPDATE|DELETE FROM)\s+\"?(\w+)\"?", re.IGNORECASE)


def written_tables(queries: list[dict[str, str]]) -> list[tuple[str, str]]:
    """(verb, table) of every write statement among captured queries."""
    found = []
    for q in queries:
        m = WRITE.match(q["sql"])
        if m:
            found.append((m.group(1).split()[0].upper(), m.group(2)))
    return found
