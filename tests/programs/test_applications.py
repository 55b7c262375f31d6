from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from fpa.audit.models import LogEntry
from fpa.core.errors import DomainError
from fpa.funds.ledger import ProgramBudget
from fpa.funds.models import BudgetLine
from fpa.people import services as people
from fpa.programs import services, setup
from fpa.programs.models import (
    Application,
    CapLedger,
    Entitlement,
    InsurancePolicy,
    Program,
)
from tests.conftest import actor_of
from tests.people.conftest import id_for

from .conftest import (
    ADMITTED,
    approve_all,
    file,
    make_insurance,
    make_insurer,
    make_program,
    person_payee,
    school_under,
    stay,
)


def committed(program):
    return {
        line.org.code: line.committed
        for line in BudgetLine.unscoped_objects.filter(program=program).select_related("org")
    }


def test_village_files_township_reviews_county_approves_and_entitlement_is_created(
    program, mother, payee, staff
):
    application = file(program, mother, payee, staff)
    assert application.status == "pending" and application.amount == Decimal("500.00")
    assert application.number == f"ZYHL2026-{application.pk:06d}"
    assert application.county_id == staff["county"].org_id

    services.decide(application.pk, "approve", actor=actor_of(staff["reviewer"]))
    application.refresh_from_db()
    assert application.status == "pending" and application.step == 1  # now at the county
    assert not Entitlement.unscoped_objects.exists()

    services.decide(application.pk, "approve", actor=actor_of(staff["approver"]))
    application.refresh_from_db()
    assert application.status == "approved"
    entitlement = Entitlement.unscoped_objects.get()
    assert (entitlement.amount, entitlement.period, entitlement.year) == (
        Decimal("500.00"),
        "住院2026-03-01",
        2026,
    )
    # Charged to the county's line, passed down to it: the money names that line.
    assert (entitlement.funding_source, entitlement.funding_org_id) == (
        "transfer",
        staff["county"].org_id,
    )
    assert committed(program) == {
        "430000000000": Decimal("0.00"),
        "430100000000": Decimal("0.00"),
        "430121000000": Decimal("500.00"),
        "430200000000": Decimal("0.00"),
        "430181000000": Decimal("0.00"),
    }
    actions = list(
        LogEntry.unscoped_objects.filter(
            object_type="programs.application", object_id=str(application.pk)
        )
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == [
        "fpa.application.filed",
        "fpa.application.approve",
        "fpa.application.approve",
    ]
    assert list(application.decisions.values_list("action", "org__name")) == [
        ("submit", "湖湾村村民委员会"),
        ("approve", "星沙街道"),
        ("approve", "长沙县"),
    ]


def test_county_cannot_approve_before_the_township_has_reviewed(program, mother, payee, staff):
    application = file(program, mother, payee, staff)
    with pytest.raises(DomainError, match="正在等待乡镇（街道）审核，不是本单位的环节"):
        services.decide(application.pk, "approve", actor=actor_of(staff["approver"]))
    application.refresh_from_db()
    assert application.status == "pending" and application.step == 0


def test_another_township_cannot_decide_an_application_outside_its_reach(
    program, mother, payee, staff
):
    application = file(program, mother, payee, staff)
    with pytest.raises(DomainError, match="不在您的管辖范围内"):
        services.decide(application.pk, "approve", actor=actor_of(staff["other_reviewer"]))


def test_clerk_without_approve_permission_is_refused(program, mother, payee, staff):
    from django.core.exceptions import PermissionDenied

    application = file(program, mother, payee, staff)
    with pytest.raises(PermissionDenied):
        services.decide(application.pk, "approve", actor=actor_of(staff["county"]))


def test_return_needs_a_reason_and_a_returned_application_is_resubmitted_from_the_start(
    program, mother, payee, staff
):
    application = file(program, mother, payee, staff)
    services.decide(application.pk, "approve", actor=actor_of(staff["reviewer"]))
    with pytest.raises(DomainError, match="须写明理由"):
        services.decide(application.pk, "return", actor=actor_of(staff["approver"]))
    services.decide(
        application.pk, "return", actor=actor_of(staff["approver"]), reason="缺出院小结"
    )
    application.refresh_from_db()
    assert application.status == "returned"
    with pytest.raises(DomainError, match="状态为“退回修改”，不能审批同意"):
        services.decide(application.pk, "approve", actor=actor_of(staff["approver"]))

    services.resubmit(application.pk, stay(days=12), actor=actor_of(staff["village"]))
    application.refresh_from_db()
    assert (application.status, application.step, application.amount) == (
        "pending",
        0,
        Decimal("600.00"),
    )


def test_rejected_application_is_final(program, mother, payee, staff):
    application = file(program, mother, payee, staff)
    services.decide(
        application.pk, "reject", actor=actor_of(staff["reviewer"]), reason="非住院护理"
    )
    for action, actor in (("approve", "reviewer"), ("return", "reviewer")):
        with pytest.raises(DomainError, match="状态为“不予批准”"):
            services.decide(application.pk, action, actor=actor_of(staff[actor]), reason="x")
    with pytest.raises(DomainError, match="不能重新提交"):
        services.resubmit(application.pk, stay(), actor=actor_of(staff["village"]))
    with pytest.raises(DomainError, match="不能撤回"):
        services.withdraw(application.pk, actor=actor_of(staff["village"]))


def test_withdrawn_application_frees_the_stay_for_a_new_one(program, mother, payee, staff):
    application = file(program, mother, payee, staff)
    with pytest.raises(DomainError, match="同期申请"):
        file(program, mother, payee, staff)
    services.withdraw(application.pk, actor=actor_of(staff["village"]))
    assert file(program, mother, payee, staff).status == "pending"


def test_a_stay_already_granted_cannot_be_applied_for_again(program, mother, payee, staff):
    approve_all(file(program, mother, payee, staff), staff)
    with pytest.raises(DomainError, match="已享受过本项目住院2026-03-01的待遇"):
        file(program, mother, payee, staff)


def test_database_keeps_one_entitlement_per_program_beneficiary_and_period(
    program, mother, payee, staff
):
    application = approve_all(file(program, mother, payee, staff), staff)
    twin = Entitlement.unscoped_objects.get()
    twin.pk = None
    with pytest.raises(IntegrityError), transaction.atomic():
        twin.save()
    assert Entitlement.unscoped_objects.filter(application=application).count() == 1


def test_filing_outside_the_window_or_for_an_ineligible_person_is_refused(
    program, mother, payee, staff, tree
):
    stranger = people.register_person(
        {"name": "路人", "id_number": id_for("430121001001", seq=500), "org": tree["430121001001"]},
        actor=actor_of(staff["county"]),
    )
    with pytest.raises(DomainError, match="不符合本项目的受益条件（在册计生特殊家庭成员）"):
        file(program, stranger, person_payee(stranger), staff)
    Program.unscoped_objects.filter(pk=program.pk).update(closes_on=datetime.date(2026, 1, 31))
    program.refresh_from_db()
    with pytest.raises(DomainError, match="不在受理期"):
        file(program, mother, payee, staff)
    assert not Application.unscoped_objects.exists()


def test_outsider_cannot_file_for_a_person_of_another_county(program, mother, payee, staff):
    with pytest.raises(DomainError, match="申请对象不在您的管辖范围内"):
        file(program, mother, payee, staff, who="outsider")


def test_approval_is_refused_when_the_budget_left_is_too_small(program, mother, payee, staff):
    BudgetLine.unscoped_objects.filter(program=program, org=staff["county"].org).update(
        received=Decimal("499.99")
    )
    application = file(program, mother, payee, staff)
    services.decide(application.pk, "approve", actor=actor_of(staff["reviewer"]))
    with pytest.raises(DomainError, match="长沙县本项目剩余预算 499.99 元，不足以批准 500.00 元"):
        services.decide(application.pk, "approve", actor=actor_of(staff["approver"]))
    application.refresh_from_db()
    assert application.status == "pending"
    assert not Entitlement.unscoped_objects.exists()
    assert set(committed(program).values()) == {Decimal("0.00")}


def test_database_refuses_a_line_committed_past_what_it_holds(program):
    line = BudgetLine.unscoped_objects.filter(program=program).last()
    line.committed = line.remaining + Decimal("0.01")
    with pytest.raises(IntegrityError), transaction.atomic():
        line.save()


def test_annual_cap_cuts_the_second_stay_and_refuses_the_third(program, mother, payee, staff):
    first = approve_all(file(program, mother, payee, staff, stay(days=50)), staff)
    second = file(program, mother, payee, staff, stay(ADMITTED + datetime.timedelta(days=60), 20))
    assert second.amount == Decimal("1000.00")  # the estimate before the cap
    approve_all(second, staff)
    second.refresh_from_db()
    assert (first.amount, second.amount) == (Decimal("2500.00"), Decimal("500.00"))
    assert CapLedger.objects.get(person=mother, year=2026).used == Decimal("3000.00")
    third = file(program, mother, payee, staff, stay(ADMITTED + datetime.timedelta(days=100), 3))
    services.decide(third.pk, "approve", actor=actor_of(staff["reviewer"]))
    with pytest.raises(DomainError, match="2026 年已达封顶 3000.00 元"):
        services.decide(third.pk, "approve", actor=actor_of(staff["approver"]))


def test_the_rate_in_force_on_admission_applies(program, mother, payee, staff):
    setup.set_rate(
        program,
        datetime.date(2026, 4, 1),
        {"per_day": "80", "annual_cap": "3000"},
        actor=actor_of(staff["province"]),
    )
    before = file(program, mother, payee, staff, stay(datetime.date(2026, 3, 31), 2))
    after = file(program, mother, payee, staff, stay(datetime.date(2026, 4, 1), 2))
    assert (before.amount, after.amount) == (Decimal("100.00"), Decimal("160.00"))


def test_only_the_funding_org_changes_the_rates(program, staff):
    with pytest.raises(DomainError, match="只有出资单位"):
        setup.set_rate(
            program,
            datetime.date(2026, 6, 1),
            {"per_day": "1", "annual_cap": "1"},
            actor=actor_of(staff["county"]),
        )


def test_a_stale_version_is_refused(program, mother, payee, staff):
    application = file(program, mother, payee, staff)
    services.decide(application.pk, "approve", actor=actor_of(staff["reviewer"]), version=1)
    with pytest.raises(DomainError, match="已被他人处理"):
        services.decide(application.pk, "approve", actor=actor_of(staff["approver"]), version=1)


def test_bulk_approve_goes_on_past_a_refusal_and_writes_one_audit_entry(
    program, mother, payee, staff, tree
):
    from tests.families.conftest import make_family

    others = [make_family(staff, tree, seq=400 + 2 * i).parents.get().person for i in range(3)]
    apps = [
        file(program, p, person_payee(p, f"62309012345678901{i}"), staff)
        for i, p in enumerate([mother, *others])
    ]
    reviewer = actor_of(staff["reviewer"])
    result = services.bulk_decide([a.pk for a in apps], "approve", actor=reviewer)
    assert result == {"done": 4, "refused": []}
    BudgetLine.unscoped_objects.filter(program=program, org=staff["county"].org).update(
        received=Decimal("1200.00")
    )
    result = services.bulk_decide(
        [a.pk for a in apps], "approve", actor=actor_of(staff["approver"])
    )
    assert result["done"] == 2 and len(result["refused"]) == 2
    assert "剩余预算" in result["refused"][0]["reason"]
    assert Entitlement.unscoped_objects.count() == 2
    entry = LogEntry.unscoped_objects.filter(action="fpa.application.bulk_approve").latest("id")
    assert entry.changes["done"] == 2 and len(entry.rows) == 4


def test_worklist_shows_each_level_what_waits_for_it(program, mother, payee, staff):
    application = file(program, mother, payee, staff)
    assert list(services.worklist(actor_of(staff["reviewer"]))) == [application]
    assert list(services.worklist(actor_of(staff["approver"]))) == []
    assert list(services.worklist(actor_of(staff["other_reviewer"]))) == []
    services.decide(application.pk, "approve", actor=actor_of(staff["reviewer"]))
    assert list(services.worklist(actor_of(staff["reviewer"]))) == []
    assert list(services.worklist(actor_of(staff["approver"]))) == [application]


def test_worklist_exports_what_waits_for_the_reviewer_only(
    program, mother, payee, staff, client_for
):
    import io

    from openpyxl import load_workbook

    from fpa.core.models import Job

    application = file(program, mother, payee, staff)
    client = client_for(staff["reviewer"])
    assert 'data-testid="worklist-export"' in client.get("/programs/worklist/").content.decode()
    client.post("/programs/export/", {"what": "worklist"})
    job = Job.unscoped_objects.get(kind="programs.export")
    data = b"".join(client.get(f"/jobs/{job.pk}/download/").streaming_content)
    rows = list(load_workbook(io.BytesIO(data)).active.iter_rows(values_only=True))
    assert [r[0] for r in rows[1:]] == [application.number]
    approver = client_for(staff["approver"])
    approver.post("/programs/export/", {"what": "worklist"})
    job = Job.unscoped_objects.exclude(pk=job.pk).get()
    assert job.total == 0


def test_chain_of_a_non_territorial_org_starts_at_its_territorial_parent(program, tree):
    county = tree["430121000000"]
    school = school_under(county)
    application = Application(program=program)
    application.place_in(school)
    assert [(s.level, org_id) for s, org_id in services.chain(application)] == [
        ("county", county.pk)
    ]


def test_split_budget_by_largest_remainders_adds_up(staff):
    program = make_program(staff, code="X1", budget=Decimal("100.00"))
    parts = setup.split_budget(
        program, program.funding_org, "equal", actor=actor_of(staff["province"])
    )
    assert [a.amount for a in parts] == [Decimal("50.00"), Decimal("50.00")]
    assert {(t.sender, t.doc_number) for t in parts} == {(program.funding_org, "X1 预算分配")}
    city = program.funding_org.children.get(code="430100000000")
    BudgetLine.unscoped_objects.filter(program=program, org=city).update(received=Decimal("0.03"))
    parts = setup.split_budget(program, city, "equal", actor=actor_of(staff["province"]))
    assert sorted(a.amount for a in parts) == [Decimal("0.01"), Decimal("0.02")]
    # What was passed down is gone from the sender's line: a second split has nothing to give.
    with pytest.raises(DomainError, match="没有可分配的结余"):
        setup.split_budget(program, city, "equal", actor=actor_of(staff["province"]))


def test_insurance_approval_enrols_the_person_with_the_insurer_as_payee(staff, mother):
    program = make_insurance(staff)
    insurer = make_insurer(program)
    details = {"policy_no": "PICC2026-0001", "starts_on": "2026-01-01", "ends_on": "2026-12-31"}
    application = approve_all(file(program, mother, insurer, staff, details), staff)
    policy = InsurancePolicy.objects.get()
    assert (policy.person, policy.insurer, policy.entitlement.amount) == (
        mother,
        insurer,
        Decimal("150.00"),
    )
    assert application.status == "approved"


def test_insurance_claim_is_recorded_against_the_policy_from_the_page(staff, mother, client_for):
    from fpa.programs.models import InsuranceClaim

    program = make_insurance(staff)
    insurer = make_insurer(program)
    details = {"policy_no": "PICC-9", "starts_on": "2026-01-01", "ends_on": "2026-12-31"}
    application = approve_all(file(program, mother, insurer, staff, details), staff)
    policy = InsurancePolicy.objects.get()
    client = client_for(staff["county"])
    url = f"/programs/applications/{application.pk}/policies/{policy.pk}/claims/"
    client.post(url, {"claim-claimed_on": "2026-05-02", "claim-amount": "-1"})
    assert not InsuranceClaim.objects.exists()
    client.post(url, {"claim-claimed_on": "2026-05-02", "claim-amount": "3200.5"})
    claim = InsuranceClaim.objects.get()
    assert (claim.policy, claim.amount) == (policy, Decimal("3200.50"))
    page = client.get(f"/programs/applications/{application.pk}/").content.decode()
    assert "3,200.50" in page and "PICC-9" in page
    outsider = client_for(staff["outsider"])
    assert (
        outsider.post(url, {"claim-claimed_on": "2026-05-02", "claim-amount": "1"}).status_code
        == 404
    )


def test_budget_goes_to_territorial_children_a_school_spends_from_its_county(staff, tree):
    county = tree["430121000000"]
    school = school_under(county)
    program = make_program(staff, code="X2", budget=Decimal("90.00"))
    province = actor_of(staff["province"])
    setup.split_budget(program, program.funding_org, "equal", actor=province)
    city = program.funding_org.children.get(code="430100000000")
    setup.split_budget(program, city, "equal", actor=province)
    # The school has no line of its own: its approvals spend the county's.
    budget = ProgramBudget(program)
    budget.spend(school.path, Decimal("5.00"))
    budget.save()
    assert BudgetLine.unscoped_objects.get(program=program, org=county).committed == 5
    # The county's remainder passes to its townships only, never to the school.
    parts = setup.split_budget(program, county, "equal", actor=province)
    assert [(t.org.name, t.amount) for t in parts] == [
        ("星沙街道", Decimal("8.75")),
        ("黄花镇", Decimal("8.75")),
    ]
