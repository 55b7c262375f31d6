"""Odd values on the program pages are a refusal, never a 500."""

from __future__ import annotations

from fpa.programs.models import Application

from .conftest import make_program


def test_a_negative_annual_rate_is_a_field_error_though_its_label_holds_a_percent(
    program, mother, staff, client_for
):
    loan = make_program(
        staff,
        kind="loan_interest",
        code="DKTX2026",
        rate={"share": "0.5", "max_principal": "100000"},
        name="创业贷款贴息",
    )
    client = client_for(staff["village"])
    response = client.post(
        f"/programs/{loan.pk}/apply/?person={mother.pk}",
        {
            "bank": "农商行",
            "principal": "50000",
            "annual_rate": "-1",
            "starts_on": "2026-01-01",
            "months": "12",
        },
    )
    assert response.status_code == 200
    assert "年利率（%）不能为负数" in response.content.decode()
    assert not Application.unscoped_objects.exists()


def test_a_program_page_for_an_org_number_in_odd_digits_is_not_found(program, staff, client_for):
    client = client_for(staff["county"])
    assert client.get(f"/programs/{program.pk}/", {"org": "²"}).status_code == 404
    assert client.get(f"/programs/{program.pk}/", {"org": "9" * 30}).status_code == 404


def test_a_bank_account_is_ascii_digits_full_width_ones_read_as_such(db):
    import pytest

    from fpa.core.errors import DomainError
    from fpa.programs.payees import check_account

    assert check_account("农商行", "６２３０９０１２３４５６７８９０") == "62309012345678" + "90"
    with pytest.raises(DomainError):
        check_account("农商行", "623090123456789²")
