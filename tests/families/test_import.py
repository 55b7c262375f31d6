from __future__ import annotations

import datetime

from openpyxl import Workbook

from fpa.core.models import Job
from fpa.families.models import SpecialFamily
from fpa.people import services as people
from tests.conftest import actor_of
from tests.people.conftest import id_for

MOTHER = id_for("430121", datetime.date(1956, 4, 4), 700)
FATHER = id_for("430121", datetime.date(1954, 2, 2), 710, "male")
STRANGER = id_for("430121", datetime.date(1950, 1, 1), 720)


def _sheet(path, rows):
    wb = Workbook()
    ws = wb.active
    ws.append(["长沙县计生特殊家庭台账"])
    ws.append(
        [
            "家庭类别",
            "户主身份证号码",
            "配偶身份证号码",
            "认定时间",
            "子女姓名",
            "子女死亡日期",
            "残疾等级",
            "残疾证号",
        ]
    )
    for r in rows:
        ws.append(r)
    wb.save(path)
    return path


def test_family_register_import_checks_each_row_then_writes_the_good_ones(
    users, tree, client_for, tmp_path
):
    actor = actor_of(users["county"])
    for name, number in (("母", MOTHER), ("父", FATHER)):
        people.register_person(
            {"name": name, "id_number": number, "org": tree["430121001001"]}, actor=actor
        )
    path = _sheet(
        tmp_path / "台账.xlsx",
        [
            ["失独家庭", MOTHER, FATHER, "2018-05-01", "小强", "2017-09-09", None, None],
            ["伤残家庭", STRANGER, None, "2019-01-01", "小丽", None, 2, "C1"],
            ["伤残家庭", FATHER, None, "2019-01-01", "小丽", None, None, None],
        ],
    )
    client = client_for(users["county"])
    with open(path, "rb") as fh:
        client.post("/families/import/", {"file": fh})
    job = Job.unscoped_objects.get(kind="families.import.preview")
    assert job.result["counts"]["new"] == 1 and job.result["counts"]["rejected"] == 2
    reasons = " ".join(e["reason"] for e in job.result["errors"])
    assert "请先导入人员" in reasons and "残疾等级" in reasons
    page = client.get(f"/families/import/{job.pk}/").content.decode()
    assert "将新增特殊家庭 1 户；有误 2 行（不导入）" in page
    client.post(f"/families/import/{job.pk}/commit/")
    family = SpecialFamily.unscoped_objects.get()
    assert family.parents.count() == 2 and family.child_name == "小强"
    with open(path, "rb") as fh:
        client.post("/families/import/", {"file": fh})
    again = Job.unscoped_objects.filter(kind="families.import.preview").latest("created_at")
    assert again.result["counts"]["new"] == 0 and again.result["counts"]["unchanged"] == 1
    # the father is in that family now: claiming him for another one is a row error
    assert any("已属于一个在册" in e["reason"] for e in again.result["errors"])
