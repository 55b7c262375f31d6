from __future__ import annotations

import gzip
from collections import Counter

import pytest
from django.core.management import CommandError, call_command

from fpa.audit.models import LogEntry
from fpa.orgs import divisions
from fpa.orgs.models import DivisionCode, Level, Org, Status
from tests.factories import MINI_TABLE, org, write_table


@pytest.mark.django_db
def test_hunan_table_loads_exactly_the_official_counts():
    divisions.load("43")
    counts = Counter(Org.unscoped_objects.values_list("level", flat=True))
    assert counts == {
        Level.PROVINCE: 1,
        Level.CITY: 14,
        Level.COUNTY: 134,
        Level.TOWNSHIP: 2008,
        Level.VILLAGE: 29534,
    }
    village = Org.unscoped_objects.filter(level=Level.VILLAGE).select_related("township").first()
    assert village.township.code[:9] == village.code[:9]
    assert village.county.code[:6] == village.code[:6]
    assert village.city.code[:4] == village.code[:4]
    assert village.path.startswith(village.township.path)


def test_loading_the_same_table_twice_changes_nothing(tree, tmp_path):
    before = list(Org.unscoped_objects.values_list("id", "path", "name", "code"))
    report = divisions.load("43", write_table(tmp_path / "again.csv.gz", MINI_TABLE))
    assert report.created == 0 and not report.renamed and not report.vanished
    assert report.unchanged == len(MINI_TABLE)
    assert list(Org.unscoped_objects.values_list("id", "path", "name", "code")) == before


def test_ancestor_columns_name_the_org_itself_at_its_own_level(tree):
    county = tree["430121000000"]
    township = tree["430121001000"]
    assert county.county_id == county.pk and county.township_id is None
    assert township.county_id == county.pk and township.township_id == township.pk
    assert tree["430121001001"].township_id == township.pk


def test_newer_table_renames_adds_recodes_and_abolishes_with_a_report(tree, tmp_path):
    rows = [r for r in MINI_TABLE if r[0] not in ("430121002001", "430202001001")]
    rows = [
        ("430121001000", "星沙街道（新）", "township", "430121000000")
        if r[0] == "430121001000"
        else r
        for r in rows
    ]
    rows += [
        ("430121001003", "新设社区居委会", "village", "430121001000"),
        # 新塘村 keeps its name and parent under a new code: re-coded, not abolished
        ("430202001009", "新塘村村民委员会", "village", "430202001000"),
    ]
    report = divisions.load("43", write_table(tmp_path / "2024.csv.gz", rows), table="2024")
    assert report.renamed == [("430121001000", "星沙街道", "星沙街道（新）")]
    assert report.created == 1
    assert report.recoded == [("430202001009", "430202001001", "新塘村村民委员会")]
    assert report.vanished == [("430121002001", "黄花村村民委员会")]
    gone = Org.unscoped_objects.get(pk=tree["430121002001"].pk)
    assert gone.status == Status.ABOLISHED
    recoded = Org.unscoped_objects.get(pk=tree["430202001001"].pk)
    assert recoded.code == "430202001009"
    history = DivisionCode.objects.filter(org=recoded).order_by("valid_from")
    assert [(h.code, h.valid_to is None) for h in history] == [
        ("430202001001", False),
        ("430202001009", True),
    ]
    new = org("430121001003")
    assert new.parent_id == tree["430121001000"].pk and new.township_id == new.parent_id
    text = report.report_file.read_text(encoding="utf-8-sig")
    assert "更名" in text and "改码" in text and "黄花村村民委员会" in text
    assert LogEntry.unscoped_objects.filter(action="fpa.org.divisions.loaded").count() == 2


def test_truncated_file_gives_a_clear_error_and_loads_nothing(db, tmp_path):
    good = write_table(tmp_path / "full.csv.gz", MINI_TABLE).read_bytes()
    bad = tmp_path / "cut.csv.gz"
    bad.write_bytes(good[: len(good) // 2])
    with pytest.raises(divisions.DivisionFileError, match="不完整或已损坏"):
        divisions.load("43", bad)
    assert not Org.unscoped_objects.exists()


def test_orphan_row_is_reported_with_its_line_number_and_nothing_is_loaded(db, tmp_path):
    rows = [*MINI_TABLE, ("430121009001", "孤村", "village", "430121009000")]
    with pytest.raises(divisions.DivisionFileError, match=r"第 17 行.*上级代码"):
        divisions.load("43", write_table(tmp_path / "orphan.csv.gz", rows))
    assert not Org.unscoped_objects.exists()


def test_row_of_another_province_is_refused(db, tmp_path):
    rows = [*MINI_TABLE, ("440100000000", "广州市", "city", "430000000000")]
    with pytest.raises(divisions.DivisionFileError, match="不属于省份 43"):
        divisions.load("43", write_table(tmp_path / "mixed.csv.gz", rows))


def test_any_province_loads_the_same_way(db):
    divisions.load("46")  # 海南 ships beside Hunan
    with gzip.open(divisions.default_file("46"), "rt", encoding="utf-8") as fh:
        expected = sum(1 for _ in fh) - 1
    assert Org.unscoped_objects.filter(code__startswith="46").count() == expected


def test_command_reports_bad_file_and_skips_when_loaded(tree, tmp_path, capsys):
    bad = tmp_path / "bad.csv"
    bad.write_text("编码,名称\n1,2\n", encoding="utf-8")
    with pytest.raises(CommandError, match="表头"):
        call_command("load_divisions", "--province", "43", "--file", str(bad))
    call_command("load_divisions", "--province", "43", "--if-empty")
    assert "已加载，跳过" in capsys.readouterr().out
