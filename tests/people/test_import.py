from __future__ import annotations

import datetime
import io
import zipfile

import pytest
from django.core.management import call_command
from openpyxl import Workbook, load_workbook

from fpa.audit.models import LogEntry
from fpa.core.models import Job
from fpa.people.models import Membership, Person
from tests.people.conftest import id_for

GOOD_A = id_for("430121", seq=30)
GOOD_B = id_for("430121", datetime.date(1975, 6, 1), seq=40, gender="male")
GOOD_C = id_for("430121", datetime.date(1950, 1, 20), seq=50)


def workbook(rows: list[list[object]], path) -> object:
    wb = Workbook()
    ws = wb.active
    ws.append(["长沙县计生协会员花名册（2021年）"])
    ws.append([])
    ws.append(["序号", "姓 名", "公民身份号码", "手机号", "所在村", "入会时间"])
    for i, row in enumerate(rows, start=1):
        ws.append([i, *row])
    ws.append(["合计", f"{len(rows)}人"])
    wb.save(path)
    return path


@pytest.fixture
def messy(tmp_path):
    bad_check = GOOD_A[:-1] + ("1" if GOOD_A[-1] != "1" else "2")
    return workbook(
        [
            ["王桂英", GOOD_A, "138 1234 5678", "430121001001", "2021/5/29"],
            ["李建国", GOOD_B, "", "星沙街道湖湾村", "2021年6月1日"],
            ["赵秀兰", GOOD_C, "", "黄花村", ""],
            ["钱多多", bad_check, "", "湖湾村", ""],
            ["孙二娘", 430121196803090129, "", "湖湾村", ""],
            ["周八", GOOD_A, "", "湖湾村", ""],
            ["吴九", id_for("430121", seq=60), "", "不存在村", ""],
        ],
        tmp_path / "花名册.xlsx",
    )


def _upload(client, path):
    with open(path, "rb") as fh:
        response = client.post("/people/import/", {"file": fh})
    job = Job.unscoped_objects.filter(kind="people.import.preview").latest("created_at")
    assert response.url == f"/jobs/{job.pk}/"
    return job


def test_a_messy_county_sheet_is_checked_row_by_row_and_the_good_rows_imported(
    users, client_for, messy
):
    client = client_for(users["county"])
    job = _upload(client, messy)
    page = client.get(f"/people/import/{job.pk}/").content.decode()
    assert job.result["counts"] == {
        "new": 3,
        "update": 0,
        "unchanged": 0,
        "rejected": 4,
        "total": 7,
    }
    reasons = {(e["row"], e["column"]): e["reason"] for e in job.result["errors"]}
    assert "校验位" in reasons[(7, "身份证号码")]
    assert "科学计数法" in reasons[(8, "身份证号码")]
    assert "与第4行重复" in reasons[(9, "身份证号码")]
    assert "找不到" in reasons[(10, "居住地")]
    assert "错误报告" in page and Person.unscoped_objects.count() == 0
    report = b"".join(client.get(f"/jobs/{job.pk}/download/").streaming_content)
    assert load_workbook(io.BytesIO(report)).active.max_row == 5
    done = client.post(f"/people/import/{job.pk}/commit/", {"mode": "skip"})
    commit_job = Job.unscoped_objects.get(kind="people.import.commit")
    assert done.url == f"/jobs/{commit_job.pk}/" and commit_job.result["created"] == 3
    assert Person.unscoped_objects.count() == 3 and Membership.unscoped_objects.count() == 2
    wang = Person.unscoped_objects.get(name="王桂英")
    assert wang.phone_last4 == "5678" and wang.org.code == "430121001001"
    entry = LogEntry.unscoped_objects.get(action="fpa.people.imported")
    assert len(entry.rows) == 3 and GOOD_A not in str(entry.rows)


def test_importing_the_same_file_again_changes_nothing(users, client_for, messy):
    client = client_for(users["county"])
    first = _upload(client, messy)
    client.post(f"/people/import/{first.pk}/commit/", {"mode": "update"})
    again = _upload(client, messy)
    assert again.result["counts"]["new"] == 0 and again.result["counts"]["update"] == 0
    assert again.result["counts"]["unchanged"] == 3
    before = Person.unscoped_objects.count(), Membership.unscoped_objects.count()
    client.post(f"/people/import/{again.pk}/commit/", {"mode": "update"})
    assert (Person.unscoped_objects.count(), Membership.unscoped_objects.count()) == before


def test_a_person_registered_elsewhere_is_a_row_error_that_reveals_nothing(
    person, users, client_for, tmp_path
):
    path = workbook([["化名", id_for("430121"), "", "430181001001", ""]], tmp_path / "x.xlsx")
    job = _upload(client_for(users["outsider"]), path)
    assert job.result["errors"][0]["reason"] == "已在其他单位登记，请发起转入"


def test_an_unreadable_file_writes_nothing_and_says_why(users, client_for, tmp_path):
    # A workbook's parts with broken XML: its bytes pass the upload, the job cannot read it.
    path = tmp_path / "坏文件.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types")
        archive.writestr("xl/workbook.xml", "<workbook><sheets>")
    job = _upload(client_for(users["county"]), path)
    page = client_for(users["county"]).get(f"/people/import/{job.pk}/").content.decode()
    assert 'data-testid="unreadable"' in page and Person.unscoped_objects.count() == 0


def test_upload_refuses_an_old_xls(users, client_for, tmp_path):
    path = tmp_path / "old.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0")
    with open(path, "rb") as fh:
        response = client_for(users["county"]).post("/people/import/", {"file": fh})
    assert "另存为 .xlsx" in response.content.decode()


def test_template_has_the_columns_and_an_instruction_sheet(users, client_for):
    data = b"".join(client_for(users["county"]).get("/people/import/template/").streaming_content)
    wb = load_workbook(io.BytesIO(data))
    assert "说明" in wb.sheetnames
    header = [c.value for c in wb[wb.sheetnames[0]][1]]
    assert any("身份证号码" in str(h) for h in header)


def test_command_line_import_exit_codes(tree, messy, tmp_path):
    report = tmp_path / "errors.xlsx"
    with pytest.raises(SystemExit) as dry:
        call_command(
            "import_people",
            str(messy),
            "--org",
            "430121000000",
            "--dry-run",
            "--errors",
            str(report),
        )
    assert dry.value.code == 1 and report.exists() and Person.unscoped_objects.count() == 0
    with pytest.raises(SystemExit) as strict:
        call_command("import_people", str(messy), "--org", "430121000000", "--strict")
    assert strict.value.code == 1 and Person.unscoped_objects.count() == 0
    with pytest.raises(SystemExit) as real:
        call_command("import_people", str(messy), "--org", "430121000000")
    assert real.value.code == 1 and Person.unscoped_objects.count() == 3
    clean = workbook([["郑十", id_for("430121", seq=70), "", "湖湾村", ""]], tmp_path / "ok.xlsx")
    with pytest.raises(SystemExit) as ok:
        call_command("import_people", str(clean), "--org", "430121000000")
    assert ok.value.code == 0 and Person.unscoped_objects.count() == 4
    broken = tmp_path / "broken.csv"
    broken.write_bytes(b"")
    with pytest.raises(SystemExit) as unreadable:
        call_command("import_people", str(broken), "--org", "430121000000")
    assert unreadable.value.code == 2
