"""The engine from the command line: counts printed, report written, exit codes 0/1/2."""

from __future__ import annotations

import io

import pytest

from fpa.core.errors import DomainError
from fpa.core.imports import run_import_command

from .helpers import HEADER, ID_A, ID_B, KNOWN, MemberSchema, xlsx


class Commit:
    def __init__(self) -> None:
        self.calls: list[list[int]] = []

    def __call__(self, rows) -> int:
        self.calls.append([r.row for r in rows])
        return len(rows)


def run(path, **options):
    out = io.StringIO()
    commit = options.pop("commit", Commit())
    settings = {"dry_run": False, "strict": False, "existing": "skip", "errors_out": None}
    code = run_import_command(
        out, MemberSchema(), path, {}, commit=commit, **{**settings, **options}
    )
    return code, out.getvalue(), commit


@pytest.fixture
def clean_file(tmp_path):
    return xlsx(tmp_path / "会员.xlsx", [HEADER, ["张三", ID_A], ["李四", KNOWN]])


@pytest.fixture
def bad_file(tmp_path):
    return xlsx(tmp_path / "会员.xlsx", [HEADER, ["张三", ID_A], ["李四", ID_B, "外星人"]])


def test_no_rejected_row_commits_and_exits_0(clean_file):
    code, out, commit = run(clean_file)
    assert code == 0
    assert "共 2 行，新增 1，更新 1，无变化 0，有误 0" in out
    assert "已有的 1 条记录保持不变。\n要更新已有的记录，请用 --existing=update。" in out
    assert commit.calls == [[2]] and "已写入 1 行" in out
    assert not (clean_file.parent / "会员-错误报告.xlsx").exists()


def test_existing_update_hands_over_the_updates_too(clean_file):
    code, _, commit = run(clean_file, existing="update")
    assert code == 0 and commit.calls == [[2, 3]]


def test_the_summary_says_what_will_be_written_in_words(clean_file):
    _, skip, _ = run(clean_file, dry_run=True)
    assert "将新增会员 1 条；已有的 1 条记录保持不变。" in skip
    _, update, _ = run(clean_file, dry_run=True, existing="update")
    assert "将新增会员 1 条、更新 1 条。" in update


def test_the_summary_counts_the_rejected_rows_apart(bad_file):
    _, bad, _ = run(bad_file, dry_run=True)
    assert "将新增会员 1 条；有误 1 行（不导入）。" in bad


def test_rejected_rows_write_the_report_beside_the_file_commit_the_rest_and_exit_1(bad_file):
    code, out, commit = run(bad_file)
    assert code == 1
    assert "第3行 性别“外星人”：“外星人”不是可选的值，只能填写：男、女" in out
    assert (bad_file.parent / "会员-错误报告.xlsx").exists()
    assert commit.calls == [[2]]


def test_errors_out_names_the_report(bad_file, tmp_path):
    code, out, _ = run(bad_file, errors_out=tmp_path / "r" / "errors.xlsx")
    assert code == 1 and (tmp_path / "r" / "errors.xlsx").exists()
    assert f"错误报告：{tmp_path / 'r' / 'errors.xlsx'}" in out


def test_dry_run_writes_nothing(bad_file):
    code, out, commit = run(bad_file, dry_run=True)
    assert code == 1 and commit.calls == [] and "试运行（--dry-run）：未写入任何数据" in out


def test_strict_with_a_rejected_row_writes_nothing(bad_file):
    code, out, commit = run(bad_file, strict=True)
    assert code == 1 and commit.calls == [] and "--strict" in out


def test_strict_without_rejected_rows_commits(clean_file):
    code, _, commit = run(clean_file, strict=True)
    assert code == 0 and commit.calls == [[2]]


def test_an_unreadable_file_exits_2_and_writes_nothing(tmp_path):
    path = tmp_path / "会员.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0" + b"\0" * 100)
    code, out, commit = run(path)
    assert code == 2 and commit.calls == []
    assert "无法读取文件 会员.xls" in out and "未写入任何数据" in out


def test_a_missing_required_column_exits_2(tmp_path):
    code, out, commit = run(xlsx(tmp_path / "a.xlsx", [["姓名"], ["张三"]]))
    assert code == 2 and commit.calls == [] and "缺少必填列：身份证号码" in out


def test_a_refused_commit_exits_2(clean_file):
    def refuse(rows):
        raise DomainError("本年度已关账，不能再导入")

    code, out, _ = run(clean_file, commit=refuse)
    assert code == 2 and "写入失败，未写入任何数据：本年度已关账，不能再导入" in out


def test_many_errors_are_cut_short_on_screen_but_all_in_the_report(tmp_path):
    rows = [HEADER] + [[f"人{i}", f"4301021990{i:07d}1", "?"] for i in range(30)]
    code, out, _ = run(xlsx(tmp_path / "会员.xlsx", rows))
    assert code == 1
    assert out.count("只能填写：男、女") == 20 and "……共 30 处错误，其余见错误报告" in out
