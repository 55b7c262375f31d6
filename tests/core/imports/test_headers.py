"""Headers as real rosters write them: brackets, qualifiers and suffixes, never a wrong column."""

from __future__ import annotations

import importlib
import importlib.util

import pytest
from django.apps import apps

from fpa.core.imports import AmbiguousHeader, Column, FileUnreadable, RowSchema, preview
from fpa.core.imports.headers import header_forms

from .helpers import ID_A, xlsx


class ResidentSchema(RowSchema):
    """A residence and a hukou place side by side, as the people schema has them."""

    kind = "resident"
    title = "居民"
    columns = (
        Column("name", "姓名", required=True),
        Column("id_number", "身份证号码", kind="id_number", synonyms=("身份证号",)),
        Column("village", "居住地", required=True, synonyms=("所在村", "居住村", "村")),
        Column("hukou", "户籍地址", synonyms=("户籍所在村",)),
        Column("address", "居住地址", synonyms=("住址",)),
        Column("phone", "联系电话"),
        Column("phone2", "联系电话（备用）"),
    )


SCHEMA = ResidentSchema()


def test_header_forms_drop_brackets_then_qualifiers_and_suffixes():
    assert header_forms("所在村（社区）") == ("所在村(社区)", "所在村", "所在村")
    assert header_forms(" 现居住村名称 ") == ("现居住村名称", "现居住村名称", "居住村")
    assert header_forms("【村】（居）") == ("【村】(居)", "", "")


@pytest.mark.parametrize(
    ("header", "key"),
    [
        ("所在村（社区）", "village"),
        ("所在村(居)", "village"),
        ("居住地（村/社区）", "village"),
        ("现居住村", "village"),
        ("村（居）名称", "village"),
        ("所在村代码", "village"),
        ("户籍所在村", "hukou"),
        ("户籍所在村（社区）", "hukou"),
        ("居住地址", "address"),
        ("现住址", "address"),
        ("公民身份证号码", "id_number"),
        ("身份证号码（18位）", "id_number"),
        ("联系电话（备用）", "phone2"),
        ("联系电话", "phone"),
    ],
)
def test_the_most_specific_spelling_names_the_column(header, key):
    assert SCHEMA.match_header(header) is SCHEMA.column(key)


def test_a_hukou_header_is_never_taken_for_the_residence():
    # Nothing is matched by containment: 户籍所在村 holds 所在村 but is another column.
    assert SCHEMA.match_header("户籍所在村") is not SCHEMA.column("village")
    assert SCHEMA.match_header("户籍所在乡镇") is None


def test_a_header_that_fits_two_columns_is_refused_naming_both():
    with pytest.raises(AmbiguousHeader) as caught:
        SCHEMA.match_header("联系电话（家庭）")
    assert "可以是“联系电话”，也可以是“联系电话（备用）”" in caught.value.message


def test_a_file_with_an_ambiguous_header_is_a_file_error_naming_both(tmp_path):
    path = xlsx(tmp_path / "a.xlsx", [["姓名", "村", "联系电话（家庭）"], ["张三", "湖湾村", "1"]])
    with pytest.raises(FileUnreadable) as caught:
        preview(path, SCHEMA, {})
    assert caught.value.message == (
        "第1行第C列的列名“联系电话（家庭）”可以是“联系电话”，也可以是“联系电话（备用）”，"
        "无法确定是哪一列：请把这一列的列名改为其中一个（可下载导入模板对照）"
    )


def test_two_headers_that_become_one_column_are_a_file_error_naming_both(tmp_path):
    path = xlsx(
        tmp_path / "a.xlsx",
        [["姓名", "所在村（社区）", "现居住村"], ["张三", "湖湾村", "黄花村"]],
    )
    with pytest.raises(FileUnreadable, match="第B列“所在村（社区）”和第C列“现居住村”都是“居住地”"):
        preview(path, SCHEMA, {})


def test_a_bracketed_village_header_reads_the_file(tmp_path):
    path = xlsx(
        tmp_path / "a.xlsx",
        [
            ["姓名", "公民身份证号码", "所在村（社区）", "户籍所在村"],
            ["张三", ID_A, "湖湾村", "黄花村"],
        ],
    )
    (row,) = preview(path, SCHEMA, {}).rows
    assert row.values["village"] == "湖湾村" and row.values["hukou"] == "黄花村"
    assert row.values["id_number"] == ID_A


def _app_schemas() -> list[RowSchema]:
    """Every schema of every app's `imports` module (a new app's is checked without a list)."""
    schemas: list[RowSchema] = []
    for config in apps.get_app_configs():
        name = f"{config.name}.imports"
        if not config.name.startswith("fpa.") or importlib.util.find_spec(name) is None:
            continue
        module = importlib.import_module(name)
        for value in vars(module).values():
            if isinstance(value, type) and issubclass(value, RowSchema) and value is not RowSchema:
                if value.__module__ != name:
                    continue
                if value.columns:
                    schemas.append(value())
                else:  # built per program kind
                    from fpa.programs.rules import RULES

                    schemas += [value(kind) for kind in RULES]  # type: ignore[call-arg]
    return schemas


def test_every_apps_schemas_are_found():
    kinds = {schema.kind for schema in _app_schemas()}
    assert {"people", "families", "applications", "bank_return"} <= kinds


@pytest.mark.parametrize("schema", _app_schemas(), ids=lambda s: f"{s.kind}")
def test_every_spelling_of_every_schema_names_its_own_column_alone(schema):
    """Stripping must never make two columns equal: each label and synonym, as written in the
    schema, names exactly its own column."""
    for column in schema.columns:
        for spelling in (column.label, *column.synonyms):
            assert schema.header_matches(spelling) == (column,), (column.key, spelling)
