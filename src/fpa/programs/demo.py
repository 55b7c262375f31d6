"""Demo data for the assistance programs: the 2021 work report's five programs for the demo year,
with applications in every state on the special families the core demo creates in 长沙县.

Everything goes through the services with the demo users as actors, so the history, the audit
log, the budget and the batches are what the pages would have produced. Idempotent: nothing is
done when the demo year's programs exist. Called from `fpa.demo.loader.load`.
"""

from __future__ import annotations

import datetime
import hashlib
from decimal import Decimal
from typing import Any

from fpa.accounts.models import User
from fpa.core.exports import export_path
from fpa.core.fields import protect
from fpa.families.models import FamilyParent
from fpa.kernel.scope import Actor
from fpa.orgs.models import Org
from fpa.people.models import Household, HouseholdMember, Person

from . import eligibility, payees, payments, services, setup
from .models import Application, Entitlement, Payee, PaymentBatch, Program

CHAIN = [("township", "审核"), ("county", "审批")]
#: code prefix, name, kind, budget (yuan), eligibility, first rate; budgets from the 2021 work
#: report (金秋助学 has no figure there: a demo value)
PROGRAMS = [
    (
        "ZYHL",
        "住院护理补贴",
        "hospital_care",
        "18160000",
        "family_member",
        {"per_day": "50", "annual_cap": "3000"},
    ),
    ("JKBX", "计生特殊家庭健康保险", "insurance", "14370000", "family_member", {"premium": "150"}),
    (
        "CYDK",
        "创业贷款贴息",
        "loan_interest",
        "7500000",
        "household",
        {"share": "0.5", "max_principal": "100000"},
    ),
    (
        "SJH",
        "计生“三结合”生产扶持项目",
        "production",
        "5180000",
        "household",
        {"max_grant": "50000"},
    ),
    ("JQZX", "金秋助学", "fixed_grant", "1000000", "family_member", {"amount": "2000"}),
]
PROVINCE, CITY, COUNTY = "430000000000", "430100000000", "430121000000"
ROLES = ("sheng", "changshaxian", "xingsha", "cun", "xingsha_shenhe", "changshaxian_shenpi")


def demo_year(today: datetime.date) -> int:
    """This year, unless it is January: then last year, so a whole month of stays has ended."""
    return today.year if today >= datetime.date(today.year, 2, 1) else today.year - 1


def load(today: datetime.date | None = None) -> bool:
    """Create the programs, their budgets and the applications; False when they are there."""
    today = today or datetime.date.today()
    year = demo_year(today)
    if Program.unscoped_objects.filter(code=f"ZYHL{year}").exists():
        return False
    users = {u.username: u for u in User.objects.filter(username__in=ROLES)}
    if set(ROLES) - set(users):
        return False  # not a demo database
    actors = {name: Actor.for_user(user, "127.0.0.1") for name, user in users.items()}
    programs = _programs(actors["sheng"], year, today)
    township = users["xingsha"].org
    parents = _parents(programs["ZYHL"], township)
    if not parents:
        return True
    demo = Demo(actors, programs, year, today)
    demo.hospital_care(parents)
    demo.insurance(parents)
    demo.student_aid(parents)
    households = _households(parents)
    demo.production(households)
    demo.loans(households)
    return True


def _programs(actor: Actor, year: int, today: datetime.date) -> dict[str, Program]:
    """The five programs, funded by the province, open all year, budgets split down to 长沙县's
    townships."""
    province = Org.unscoped_objects.get(code=PROVINCE)
    city = Org.unscoped_objects.get(code=CITY)
    county = Org.unscoped_objects.get(code=COUNTY)
    closes = max(datetime.date(year, 12, 31), today + datetime.timedelta(days=30))
    programs = {}
    for prefix, name, kind, budget, who, rate in PROGRAMS:
        data = {
            "code": f"{prefix}{year}",
            "name": name,
            "kind": kind,
            "year": year,
            "funding_source": "local",
            "budget": Decimal(budget),
            "eligibility": who,
            "opens_on": datetime.date(year, 1, 1),
            "closes_on": closes,
            "status": "open",
            "description": "省计生协争取省财政转移支付专项资金（演示数据）",
        }
        program = setup.create_program(data, rate, CHAIN, actor=actor)
        # The budget goes down by special-family parents: to the cities, 长沙市 to its counties,
        # 长沙县 to its townships (the county page then shows each township's budget).
        for parent in (province, city, county):
            setup.split_budget(program, parent, "families", actor=actor)
        programs[prefix] = program
    return programs


def _parents(program: Program, township: Org) -> list[Person]:
    """Special-family parents of the township the program accepts today, oldest record first."""
    ids = FamilyParent.objects.filter(until__isnull=True, person__township=township).values_list(
        "person_id", flat=True
    )
    fine = eligibility.eligible_persons(program, ids)
    return list(Person.unscoped_objects.filter(pk__in=fine).select_related("org").order_by("pk"))


def _households(parents: list[Person]) -> list[Household]:
    heads = HouseholdMember.objects.filter(person__in=parents, relation="head")
    return [m.household for m in heads.select_related("household__org").order_by("household_id")]


def _account(prefix: str, number: int) -> str:
    return f"{prefix}{number:011d}"


class Demo:
    """The applications and payments; who does what is the demo users' own roles."""

    def __init__(
        self,
        actors: dict[str, Actor],
        programs: dict[str, Program],
        year: int,
        today: datetime.date,
    ) -> None:
        self.actors, self.programs, self.year, self.today = actors, programs, year, today
        self.county = Org.unscoped_objects.get(code=COUNTY)
        self.province = Org.unscoped_objects.get(code=PROVINCE)
        last = min(today - datetime.timedelta(days=1), datetime.date(year, 12, 31))
        self.period = f"{last:%Y-%m}"

    # -- helpers ------------------------------------------------------------------------------

    def filer(self, org: Org) -> Actor:
        """The village clerk files for the own village, the township clerk for the others."""
        village = self.actors["cun"]
        return village if village.org.pk == org.pk else self.actors["xingsha"]

    def file(
        self, code: str, subject: Person | Household, payee: Payee, details: dict[str, Any]
    ) -> Application:
        person = subject if isinstance(subject, Person) else None
        household = subject if isinstance(subject, Household) else None
        return services.file_application(
            self.programs[code],
            actor=self.filer(subject.org),
            person=person,
            household=household,
            payee=payee,
            details=details,
        )

    def review(self, application: Application, action: str = "approve", reason: str = "") -> None:
        services.decide(application.pk, action, actor=self.actors["xingsha_shenhe"], reason=reason)

    def approve(self, application: Application, action: str = "approve", reason: str = "") -> None:
        services.decide(
            application.pk, action, actor=self.actors["changshaxian_shenpi"], reason=reason
        )

    def grant(self, application: Application) -> Application:
        self.review(application)
        self.approve(application)
        return application

    def payee(self, person: Person) -> Payee:
        return payees.payee_for_person(
            person,
            "长沙农村商业银行星沙支行",
            _account("62309012", person.pk),
            actor=self.filer(person.org),
        )

    def org_payee(self, kind: str, name: str, bank: str, account: str, org: Org) -> Payee:
        return Payee.unscoped_objects.create(
            kind=kind,
            name=name,
            bank_name=bank,
            org=org,
            **protect(account, "bank_account").as_fields("account"),
        )

    def batch(self, code: str, apps: list[Application], bank: str) -> PaymentBatch:
        only = list(
            Entitlement.unscoped_objects.filter(application__in=apps).values_list("pk", flat=True)
        )
        return payments.build_batch(
            self.programs[code],
            self.county,
            self.period,
            bank,
            actor=self.actors["changshaxian"],
            only=only,
        )

    def export(self, batch: PaymentBatch) -> None:
        payments.export_batch(
            batch,
            export_path(f"{batch.number}.xlsx"),
            actor=self.actors["changshaxian"],
            control_total=batch.total,
            control_count=batch.line_count,
        )

    # -- the programs -------------------------------------------------------------------------

    def stay(self, i: int) -> dict[str, str]:
        """The i-th stay: admitted on or after 1 January of the demo year, discharged before
        today (and within the year)."""
        first = datetime.date(self.year, 1, 1)
        last = min(self.today - datetime.timedelta(days=1), datetime.date(self.year, 12, 31))
        days = 4 + i % 5
        # Spread over the year so far; nine stays get nine admission days (a parent may have
        # several stays when the township has few families).
        room = max((last - first).days - days, 9)
        admitted = first + datetime.timedelta(days=i * (room - 1) // 8)
        hospital = ["长沙县人民医院", "长沙县中医医院", "星沙街道社区卫生服务中心"][i % 3]
        return {
            "hospital": hospital,
            "admitted_on": admitted.isoformat(),
            "discharged_on": (admitted + datetime.timedelta(days=days)).isoformat(),
        }

    def hospital_care(self, parents: list[Person]) -> None:
        """Every state of an application and of a payment, on 住院护理补贴."""
        apps = []
        for i in range(9):
            person = parents[i % len(parents)]
            apps.append(self.file("ZYHL", person, self.payee(person), self.stay(i)))
        paid, also_paid, fails, unpaid, at_township, at_county, returned, rejected, gone = apps
        for application in (paid, also_paid, fails, unpaid):
            self.grant(application)
        self.review(at_county)
        self.review(returned, "return", "出院小结未加盖医院公章，请补充后重新提交")
        self.review(rejected)
        self.approve(rejected, "reject", "经核实，该次住院期间已由其他项目给予护理补贴")
        services.withdraw(gone.pk, actor=self.filer(gone.org), reason="家属要求撤回，另行申请")
        del at_township  # filed, waiting at the township
        batch = self.batch("ZYHL", [paid, also_paid, fails], "hnrcu")
        self.export(batch)
        lines = list(batch.lines.select_related("entitlement").order_by("pk"))
        rows: list[dict[str, Any]] = []
        for line in lines:
            failed = line.entitlement.application_id == fails.pk
            rows.append(
                {
                    "line": line.pk,
                    "result": "failed" if failed else "paid",
                    "amount": line.amount,
                    "reason": "户名与账号不符" if failed else "",
                }
            )
        payments.apply_return(
            batch,
            rows,
            actor=self.actors["changshaxian"],
            sha256=hashlib.sha256(f"demo-return-{batch.number}".encode()).hexdigest(),
            filename=f"{batch.number}-回盘.xlsx",
        )

    def insurance(self, parents: list[Person]) -> None:
        """Premiums paid to the insurer for three parents: a batch exported, awaiting the bank."""
        insurer = self.org_payee(
            "insurer",
            "中国人寿保险股份有限公司湖南省分公司",
            "中国工商银行长沙五一路支行",
            "1901000119200024561",
            self.province,
        )
        apps = []
        for person in parents[:3]:
            details = {
                "policy_no": f"HNJS{self.year}{person.pk:08d}",
                "starts_on": f"{self.year}-01-01",
                "ends_on": f"{self.year}-12-31",
            }
            apps.append(self.grant(self.file("JKBX", person, insurer, details)))
        self.export(self.batch("JKBX", apps, "icbc"))

    def student_aid(self, parents: list[Person]) -> None:
        """金秋助学 for two families' students: approved, in a draft batch not yet exported."""
        apps = [
            self.grant(
                self.file("JQZX", person, self.payee(person), {"reason": "子女考入大学，家庭困难"})
            )
            for person in parents[3:5]
        ]
        if apps:
            self.batch("JQZX", apps, "hnrcu")

    def production(self, households: list[Household]) -> None:
        """三结合 projects: one approved and unpaid, one waiting at the county."""
        if not households:
            return
        project = self.org_payee(
            "project",
            "长沙县星沙街道生态养殖专业合作社",
            "长沙农村商业银行星沙支行",
            "8201000012345678901",
            self.county,
        )
        plans = [
            ("生猪生态养殖", 12, "30000", "4月建栏，10月出栏"),
            ("大棚蔬菜种植", 8, "20000", "3月建棚，6月首批上市"),
        ]
        for household, (name, reached, grant, milestones) in zip(households, plans, strict=False):
            details = {
                "project": name,
                "households": reached,
                "grant": grant,
                "milestones": milestones,
            }
            application = self.file("SJH", household, project, details)
            self.review(application)
            if name == plans[0][0]:
                self.approve(application)

    def loans(self, households: list[Household]) -> None:
        """Loan interest paid to the lending bank: one approved, one waiting at the township."""
        bank = self.org_payee(
            "bank",
            "长沙农村商业银行股份有限公司星沙支行",
            "长沙农村商业银行星沙支行",
            "8201000099887766554",
            self.county,
        )
        for i, household in enumerate(reversed(households[-2:])):
            details = {
                "bank": "长沙农村商业银行星沙支行",
                "principal": "50000",
                "annual_rate": "4.35",
                "starts_on": f"{self.year}-01-15",
                "months": 24,
            }
            application = self.file("CYDK", household, bank, details)
            if i == 0:
                self.grant(application)
