"""The shared cleaning step of every form, and paging that never fails on its number."""

from __future__ import annotations

import datetime

from django import forms

from fpa.core.forms import CONTROL_MESSAGE, DATE_MESSAGE, StyledForm, ascii_int
from fpa.core.paging import MAX_PAGE, page_of
from fpa.orgs.models import Org


class Sample(StyledForm, forms.Form):
    name = forms.CharField(max_length=50)
    notes = forms.CharField(widget=forms.Textarea, required=False)
    count = forms.IntegerField(required=False)
    on = forms.DateField(required=False)
    org = forms.ModelChoiceField(queryset=Org.unscoped_objects.all(), required=False)
    orgs = forms.ModelMultipleChoiceField(queryset=Org.unscoped_objects.all(), required=False)


def errors(**data):
    form = Sample({"name": "张三", **data})
    form.is_valid()
    return form.errors


def test_control_characters_are_a_chinese_field_error(db):
    assert errors(name="张\x00三")["name"] == [CONTROL_MESSAGE]
    assert errors(name="张\x1b三")["name"] == [CONTROL_MESSAGE]
    assert errors(name="张\n三")["name"] == [CONTROL_MESSAGE]
    assert "name" not in errors(name="张\t三")
    assert "notes" not in errors(notes="第一行\r\n第二行\t")
    assert errors(notes="a\x00b")["notes"] == [CONTROL_MESSAGE]


def test_superscript_digits_are_no_number_and_full_width_ones_are(db):
    assert ascii_int("²") is None and ascii_int("٣") is None
    assert ascii_int("１２３") == 123 and ascii_int("9" * 19) is None
    form = Sample({"name": "张三", "count": "１２", "on": "２０２１-０５-０１"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["count"] == 12
    assert form.cleaned_data["on"] == datetime.date(2021, 5, 1)
    assert "count" in errors(count="²")


def test_dates_outside_1900_to_2100_are_a_field_error(db):
    assert errors(on="0001-01-01")["on"] == [DATE_MESSAGE]
    assert errors(on="9999-12-31")["on"] == [DATE_MESSAGE]
    assert "on" not in errors(on="2100-12-31")


def test_huge_or_odd_ids_and_integers_are_a_field_error_not_a_database_overflow(db):
    assert "org" in errors(org="9" * 30)
    assert "org" in errors(org="²")
    assert "orgs" in errors(orgs=["9" * 30])
    assert "count" in errors(count="9" * 30)


def test_a_percent_in_a_label_cannot_break_its_message(db):
    class Rate(StyledForm, forms.Form):
        rate = forms.DecimalField(
            min_value=0, error_messages={"min_value": "年利率（%）不能为负数"}
        )

    form = Rate({"rate": "-1"})
    assert not form.is_valid()
    assert form.errors["rate"] == ["年利率（%）不能为负数"]


def test_page_numbers_that_are_not_ascii_digits_show_page_one(tree):
    qs = Org.unscoped_objects.order_by("path")
    assert page_of(qs, "²", 5).number == 1
    assert page_of(qs, "9" * 5000, 5).number == 1
    assert page_of(qs, "２", 5).number == 2


def test_a_page_past_the_end_shows_the_last_page_with_rows(tree):
    qs = Org.unscoped_objects.order_by("path")  # 15 orgs, 5 a page: three pages
    last = page_of(qs, str(MAX_PAGE), 5)
    assert (last.number, len(last.object_list), last.has_next) == (3, 5, False)
    assert page_of(qs, "9" * 12, 5).number == 3
    assert page_of(qs, "9" * 30, 5).number == 1  # no number at all, as "²" is none
    assert page_of(Org.unscoped_objects.none(), "7", 5).number == 1


def test_a_nul_byte_in_any_parameter_is_refused_before_the_view(users, client_for):
    client = client_for(users["county"])
    for response in (
        client.get("/people/members/", {"q": "a\x00b"}),
        client.post("/people/export/members/", {"q": "a\x00b"}),
        client.get("/api/orgs/", {"parent": "\x00"}),
    ):
        assert response.status_code == 400
        assert "控制字符" in response.content.decode()
