from __future__ import annotations

from decimal import Decimal
from io import BytesIO

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from fpa.audit.models import LogEntry
from fpa.core.models import Job
from fpa.programs import banks
from fpa.programs.models import Application, PaymentBatch, Program
from tests.conftest import actor_of
from tests.factories import UserFactory

from .conftest import approve_all, file

ACCOUNT = "6230901234567890123"


def xlsx_upload(name: str, header: list, rows: list[list]) -> SimpleUploadedFile:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    out = BytesIO()
    book.save(out)
    return SimpleUploadedFile(name, out.getvalue())


def test_province_clerk_sets_up_a_program_from_the_pages(staff, client_for):
    client = client_for(staff["province"])
    assert "住院护理补贴" in client.get("/programs/add/").content.decode()
    response = client.post(
        "/programs/add/?kind=hospital_care",
        {
            "code": "ZYHL-P",
            "name": "住院护理补贴",
            "year": 2026,
            "funding_source": "local",
            "budget": "18160000",
            "eligibility": "family_member",
            "opens_on": "2026-01-01",
            "closes_on": "2099-12-31",
            "status": "open",
            "levels": ["township", "county"],
            "rate_per_day": "50",
            "rate_annual_cap": "3000",
        },
    )
    program = Program.unscoped_objects.get(code="ZYHL-P")
    assert response.status_code == 302 and response["Location"] == f"/programs/{program.pk}/"
    assert list(program.steps.values_list("level", "name")) == [
        ("township", "审核"),
        ("county", "审批"),
    ]
    assert program.rates.get().values == {"per_day": "50", "annual_cap": "3000"}
    response = client.post(
        f"/programs/{program.pk}/split/",
        {"split-org": program.funding_org_id, "split-basis": "equal"},
    )
    page = client.get(f"/programs/{program.pk}/").content.decode()
    assert "9,080,000.00" in page  # each of the two cities, as a finance office writes it
    # the summary card in 万元, the exact yuan on hover
    assert '<span title="18,160,000.00 元" data-yuan="18,160,000.00">1,816.00 万元</span>' in page
    assert "18160000" not in page
    # closing the program asks first, saying what stays open
    question = "截止受理“住院护理补贴”后，各单位不能再提交新的申请；办理中的 0 份申请"
    assert f'data-confirm="{question}' in page


def test_program_form_errors_are_shown_and_nothing_is_created(staff, client_for):
    client = client_for(staff["province"])
    response = client.post(
        "/programs/add/?kind=fixed_grant",
        {
            "code": "X",
            "name": "金秋助学",
            "year": 2026,
            "funding_source": "local",
            "budget": "100",
            "eligibility": "member",
            "opens_on": "2026-05-01",
            "closes_on": "2026-04-01",
            "status": "open",
            "levels": ["county"],
            "rate_amount": "-5",
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "受理截止日期不能早于开始日期" in page and "不能为负数" in page
    assert not Program.unscoped_objects.filter(code="X").exists()


def test_village_clerk_files_from_the_person_page_with_an_attachment(
    program, mother, staff, client_for
):
    client = client_for(staff["village"])
    assert "申请帮扶项目" in client.get(f"/people/{mother.pk}/").content.decode()
    form = client.get(f"/programs/{program.pk}/apply/?person={mother.pk}").content.decode()
    assert "母亲300" in form and "入院日期" in form
    response = client.post(
        f"/programs/{program.pk}/apply/?person={mother.pk}",
        {
            "bank_name": "长沙农商银行",
            "account": ACCOUNT,
            "hospital": "长沙县人民医院",
            "admitted_on": "2026-03-01",
            "discharged_on": "2026-03-11",
            "attachment": SimpleUploadedFile("出院小结.pdf", b"%PDF-1.4 test", "application/pdf"),
            "attachment_label": "出院小结",
        },
    )
    application = Application.unscoped_objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/programs/applications/{application.pk}/"
    assert application.amount == Decimal("500.00") and application.payee.account_last4 == "0123"
    page = client.get(response["Location"]).content.decode()
    assert "出院小结" in page and "星沙街道 审核" in page
    item = application.attachments.get()
    got = client.get(f"/programs/applications/{application.pk}/attachments/{item.pk}/")
    assert got.status_code == 200


def test_bad_input_on_the_application_form_is_a_message_not_a_500(
    program, mother, staff, client_for
):
    from fpa.core.fields import reveal

    client = client_for(staff["village"])
    stay = {"hospital": "医院", "admitted_on": "2026-03-01", "discharged_on": "2026-03-11"}
    unknown = client.post(
        f"/programs/{program.pk}/apply/",
        {"id_number": "430121195501010000", "bank_name": "x", "account": ACCOUNT, **stay},
    )
    assert "本辖区人员库中没有该身份证号码" in unknown.content.decode()
    response = client.post(
        f"/programs/{program.pk}/apply/",
        {
            "id_number": reveal(mother.id_number_enc),
            "bank_name": "x",
            "account": "12",
            "hospital": "医院",
            "admitted_on": "2026-03-11",
            "discharged_on": "2026-03-01",
        },
    )
    assert response.status_code == 200
    assert "出院日期须晚于入院日期" in response.content.decode()
    assert not Application.unscoped_objects.exists()


def test_reviewer_and_approver_decide_from_the_pages(program, mother, payee, staff, client_for):
    application = file(program, mother, payee, staff)
    reviewer = client_for(staff["reviewer"])
    assert application.number in reviewer.get("/programs/worklist/").content.decode()
    reviewer.post("/programs/worklist/decide/", {"ids": [application.pk], "action": "approve"})
    approver = client_for(staff["approver"])
    page = approver.get(f"/programs/applications/{application.pk}/").content.decode()
    assert 'data-testid="decide"' in page
    response = approver.post(
        f"/programs/applications/{application.pk}/decide/",
        {"action": "return", "reason": "", "version": 2},
    )
    assert "须写明理由" in str(list(response.wsgi_request._messages))
    approver.post(
        f"/programs/applications/{application.pk}/decide/",
        {"action": "approve", "reason": "", "version": 2},
    )
    application.refresh_from_db()
    assert application.status == "approved"


def test_county_builds_exports_and_settles_a_batch_and_the_family_page_shows_the_money(
    program, mother, payee, staff, client_for, tree
):
    approve_all(file(program, mother, payee, staff), staff)
    county = client_for(staff["county"])
    response = county.post(
        "/programs/batches/",
        {
            "program": program.pk,
            "county": tree["430121000000"].pk,
            "period": "2026-06",
            "bank": "icbc",
        },
    )
    batch = PaymentBatch.unscoped_objects.get()
    assert response["Location"] == f"/programs/batches/{batch.pk}/"
    wrong = county.post(
        f"/programs/batches/{batch.pk}/export/",
        {"export-control_count": 1, "export-control_total": "400"},
    )
    assert wrong.status_code == 302
    response = county.post(
        f"/programs/batches/{batch.pk}/export/",
        {"export-control_count": 1, "export-control_total": "500.00"},
    )
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(BytesIO(b"".join(response.streaming_content))).active
    header, first = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert header == banks.FORMATS["icbc"].header()
    line = batch.lines.get()
    assert first[0] == f"L{line.pk}" and first[1] == ACCOUNT

    upload = xlsx_upload(
        "回盘.xlsx",
        [banks.REF, "收款人账号", "金额(元)", "交易状态"],
        [[f"L{line.pk}", ACCOUNT, 500, "成功"]],
    )
    response = county.post(f"/programs/batches/{batch.pk}/return/", {"file": upload})
    job = Job.unscoped_objects.latest("created_at")
    assert job.result["counts"]["update"] == 1
    result = county.get(f"/programs/batches/{batch.pk}/return/{job.pk}/").content.decode()
    assert "将入账 1 笔。" in result
    county.post(f"/programs/batches/{batch.pk}/return/{job.pk}/commit/")
    batch.refresh_from_db()
    assert batch.status == "closed"

    from fpa.families.models import FamilyParent

    family = FamilyParent.objects.get(person=mother).family
    page = county.get(f"/families/{family.pk}/").content.decode()
    assert 'data-testid="paid-total">500.00<' in page
    assert batch.number in page
    assert LogEntry.unscoped_objects.filter(action="fpa.payment.bank_return").count() == 1


def test_application_import_previews_and_files(program, mother, staff, client_for):
    from fpa.core.fields import reveal

    client = client_for(staff["village"])
    number = reveal(mother.id_number_enc)

    def upload():
        return xlsx_upload(
            "申请.xlsx",
            ["身份证号码", "姓名", "开户行", "银行账号", "住院医院", "入院日期", "出院日期"],
            [
                [number, "母亲300", "农商行", ACCOUNT, "县医院", "2026-03-01", "2026-03-06"],
                [number, "母亲300", "农商行", ACCOUNT, "县医院", "2026-03-01", "2026-03-06"],
                [number, "别人", "农商行", ACCOUNT, "县医院", "2026-04-01", "2026-04-06"],
            ],
        )

    client.post(f"/programs/{program.pk}/import/", {"file": upload()})
    job = Job.unscoped_objects.latest("created_at")
    assert job.result["counts"]["new"] == 1 and job.result["counts"]["rejected"] == 2
    reasons = {e["reason"] for e in job.result["errors"]}
    assert (
        "文件中已有此人同一期间的申请" in reasons
        and "姓名与人员库不符（人员库为 母亲300）" in reasons
    )
    client.post(f"/programs/{program.pk}/import/{job.pk}/commit/")
    application = Application.unscoped_objects.get()
    assert application.amount == Decimal("250.00")
    # The same file again: the application is already there.
    client.post(f"/programs/{program.pk}/import/", {"file": upload()})
    again = Job.unscoped_objects.latest("created_at")
    assert again.result["counts"]["new"] == 0 and again.result["counts"]["unchanged"] == 2


URLS = [
    "/programs/applications/{application}/",
    "/programs/batches/{batch}/",
    "/programs/batches/{batch}/return/",
]


@pytest.mark.parametrize("url", URLS)
def test_another_county_gets_404_for_a_forged_application_or_batch_url(
    url, program, mother, payee, staff, tree, client_for
):
    from fpa.programs import payments

    application = approve_all(file(program, mother, payee, staff), staff)
    batch = payments.build_batch(
        program, tree["430121000000"], "2026-06", "hnrcu", actor=actor_of(staff["county"])
    )
    target = url.format(application=application.pk, batch=batch.pk)
    assert client_for(staff["outsider"]).get(target).status_code == 404
    assert client_for(staff["county"]).get(target).status_code == 200


def test_viewer_cannot_decide_or_build(program, mother, payee, staff, tree, client_for):
    viewer = UserFactory(username="kan", org=tree["430121000000"], roles=["viewer"])
    application = file(program, mother, payee, staff)
    client = client_for(viewer)
    assert client.get(f"/programs/applications/{application.pk}/").status_code == 200
    assert (
        client.post(
            f"/programs/applications/{application.pk}/decide/", {"action": "approve"}
        ).status_code
        == 403
    )
    assert client.get("/programs/worklist/").status_code == 403
    response = client.post(
        "/programs/batches/",
        {
            "program": program.pk,
            "county": tree["430121000000"].pk,
            "period": "2026-06",
            "bank": "icbc",
        },
    )
    assert response.status_code == 403


def test_every_list_page_renders_with_its_empty_state(staff, client_for):
    client = client_for(staff["county"])
    assert "还没有帮扶项目" in client.get("/programs/").content.decode()
    assert "没有符合条件的申请" in client.get("/programs/applications/").content.decode()
    assert "还没有发放批次" in client.get("/programs/batches/").content.decode()
    reviewer = client_for(staff["reviewer"])
    assert "目前没有等待本单位" in reviewer.get("/programs/worklist/").content.decode()


def test_exports_run_as_jobs_with_masked_accounts(program, mother, payee, staff, tree, client_for):
    from fpa.programs import payments

    approve_all(file(program, mother, payee, staff), staff)
    batch = payments.build_batch(
        program, tree["430121000000"], "2026-06", "hnrcu", actor=actor_of(staff["county"])
    )
    client = client_for(staff["county"])
    for query in (
        "",
        "?what=batches",
        f"?what=lines&batch={batch.pk}",
        "?format=csv",
        "?what=programs",
        f"?what=dashboard&program={program.pk}&org={staff['county'].org_id}",
    ):
        response = client.post(f"/programs/export/{query}")
        assert response.status_code == 302
        job = Job.unscoped_objects.latest("created_at")
        assert job.status == "done" and job.result_file, job.message
    from fpa.core.exports import export_path

    lines_job = Job.unscoped_objects.filter(title="导出").order_by("created_at")[2]
    sheet = openpyxl.load_workbook(export_path(lines_job.result_file.rsplit("/", 1)[-1])).active
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert rows[1][2] == "****0123" and ACCOUNT not in str(rows)
    assert (
        client_for(staff["outsider"])
        .post("/programs/export/", {"what": "lines", "batch": batch.pk})
        .status_code
        == 404
    )
