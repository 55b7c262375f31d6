"""Real county rosters: bracketed village headers, hukou columns, join dates to the month, and
`--org` by the code clerks know (issue 12 point 6)."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from fpa.core.models import Job
from fpa.orgs.models import Org
from fpa.people.models import Membership, Person
from tests.people.conftest import id_for

WANG = id_for("430121", seq=30)
LI = id_for("430121", datetime.date(1975, 6, 1), seq=40, gender="male")
ZHAO = id_for("430121", datetime.date(1950, 1, 20), seq=50)
QIAN = id_for("430121", datetime.date(1960, 2, 2), seq=60)

HEADER = ["序号", "姓名", "性别", "公民身份证号码", "所在村（社区）", "户籍所在村", "入会时间"]


def roster(path, rows, header=HEADER):
    """A county roster as clerks keep it: a title row, then the header, then the members."""
    wb = Workbook()
    ws = wb.active
    ws.append(["长沙县计划生育协会会员花名册"])
    ws.append(header)
    for i, row in enumerate(rows, start=1):
        ws.append([i, *row])
    wb.save(path)
    return path


@pytest.fixture
def county_roster(tmp_path):
    return roster(
        tmp_path / "花名册.xlsx",
        [
            ["王桂英", "女", WANG, "湖湾村", "黄花村", "2017年7月"],
            ["李建国", "男", LI, "开元社区", "430121002001", 2015.7],  # a number cell
            ["赵秀兰", "女", ZHAO, "星沙街道湖湾村", None, "2017-07"],
            ["钱多多", "女", QIAN, "湖湾村", None, "2017-13"],
        ],
    )


def _upload(client, path):
    with open(path, "rb") as fh:
        client.post("/people/import/", {"file": fh})
    return Job.unscoped_objects.filter(kind="people.import.preview").latest("created_at")


def test_a_roster_headed_with_the_bracketed_village_column_imports(
    users, client_for, county_roster
):
    client = client_for(users["county"])
    job = _upload(client, county_roster)
    assert "unreadable" not in job.result, job.result  # was: 缺少必填列：居住地
    assert job.result["counts"]["new"] == 3 and job.result["counts"]["rejected"] == 1
    (error,) = job.result["errors"]
    assert (error["row"], error["value"]) == (6, "2017-13")
    page = client.get(f"/people/import/{job.pk}/").content.decode()
    assert "将新增人员 3 人，新增会员 3 人；有误 1 行（不导入）。" in page
    assert "第 3 行入会时间“2017年7月”只写到月份，按 2017-07-01 导入" in page
    assert "第 4 行入会时间“2015.7”只写到月份，按 2015-07-01 导入" in page
    assert "第 5 行入会时间“2017-07”只写到月份，按 2017-07-01 导入" in page

    client.post(f"/people/import/{job.pk}/commit/", {"mode": "skip"})
    wang = Person.unscoped_objects.get(name="王桂英")
    li = Person.unscoped_objects.get(name="李建国")
    # The residence comes from 所在村（社区）; 户籍所在村 is the hukou place, a code its code.
    assert wang.org.code == "430121001001" and wang.hukou_address == "黄花村"
    assert li.org.code == "430121001002" and li.hukou_code == "430121002001"
    joined = dict(Membership.unscoped_objects.values_list("person__name", "joined_on"))
    assert joined == {
        "王桂英": datetime.date(2017, 7, 1),
        "李建国": datetime.date(2015, 7, 1),
        "赵秀兰": datetime.date(2017, 7, 1),
    }


def test_village_headers_clerks_write_all_find_the_residence(users, client_for, tmp_path):
    client = client_for(users["county"])
    for header in ("居住地（村/社区）", "现居住村", "所在村(居)", "村（居）名称"):
        path = roster(
            tmp_path / "a.xlsx",
            [["王桂英", "女", WANG, "湖湾村", None, None]],
            header=["序号", "姓名", "性别", "身份证号码", header, "户籍所在村", "入会时间"],
        )
        job = _upload(client, path)
        assert job.result.get("counts", {}).get("new") == 1, (header, job.result)


def test_two_village_columns_are_a_file_error_naming_both(users, client_for, tmp_path):
    header = ["序号", "姓名", "身份证号码", "所在村（社区）", "现居住村"]
    path = roster(tmp_path / "a.xlsx", [["王桂英", WANG, "湖湾村", "黄花村"]], header=header)
    job = _upload(client_for(users["county"]), path)
    assert job.result["unreadable"].startswith(
        "第D列“所在村（社区）”和第E列“现居住村”都是“居住地”，无法确定导入哪一列"
    )


def test_the_page_says_what_skip_and_update_would_write(users, client_for, county_roster, tmp_path):
    client = client_for(users["county"])
    first = _upload(client, county_roster)
    client.post(f"/people/import/{first.pk}/commit/", {"mode": "skip"})
    again = roster(
        tmp_path / "again.xlsx",
        [
            ["王桂英", "女", WANG, "黄花村", "黄花村", "2017年7月"],  # moved to 黄花村
            ["钱多多", "女", QIAN, "湖湾村", None, None],
        ],
    )
    job = _upload(client, again)
    page = client.get(f"/people/import/{job.pk}/").content.decode()
    assert "已登记的人员跳过时：将新增人员 1 人；已有的 1 条记录保持不变。" in page
    assert "已登记的人员更新时：将新增人员 1 人、更新 1 人。" in page


@pytest.mark.parametrize(("code", "township"), [("430121", None), ("430121001", "430121001000")])
def test_org_may_be_given_by_its_6_or_9_digit_code(tree, county_roster, code, township):
    out = io.StringIO()
    with pytest.raises(SystemExit) as done:
        call_command("import_people", str(county_roster), "--org", code, stdout=out)
    assert done.value.code == 1  # the 2017-13 row
    assert "将新增人员 3 人，新增会员 3 人；有误 1 行（不导入）。" in out.getvalue()
    assert Person.unscoped_objects.count() == 3


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("430122", "找不到区划代码为 430122000000 的单位"),
        ("4301", "区划代码“4301”应为 6 位（县）、9 位（乡镇）或 12 位数字"),
        ("43012100100", "应为 6 位（县）、9 位（乡镇）或 12 位数字"),
    ],
)
def test_an_unknown_or_malformed_org_code_is_a_clear_error(tree, county_roster, code, message):
    with pytest.raises(CommandError, match=message):
        call_command("import_people", str(county_roster), "--org", code)


def test_an_abolished_org_is_refused_by_name(tree, county_roster):
    Org.unscoped_objects.filter(code="430121002000").update(status="abolished")
    with pytest.raises(CommandError, match="区划代码 430121002000 的单位（黄花镇）已撤销"):
        call_command("import_people", str(county_roster), "--org", "430121002")
