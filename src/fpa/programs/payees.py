"""Payees: the bank accounts money goes to — checked as typed, found by their blind index,
corrected when the bank refused a payment (a failed line is re-issued to the new account)."""

from __future__ import annotations

from django.db import IntegrityError, transaction

from fpa.audit.services import record
from fpa.core.errors import DomainError
from fpa.core.fields import lookup, protect
from fpa.core.forms import FULL_WIDTH
from fpa.kernel.scope import Actor, in_reach
from fpa.people.models import Person

from .models import Payee, PayeeKind


def check_account(bank_name: str, account: str) -> str:
    """A bank account as typed (spaces allowed), refused unless it is 12 to 30 digits."""
    # full-width digits as an input method types them become ASCII; "²" is no digit
    account = (account or "").strip().translate(FULL_WIDTH)
    if not account or not (bank_name or "").strip():
        raise DomainError("请填写开户行和银行账号", field="account")
    digits = "".join(ch for ch in account if ch in "0123456789")
    if not 12 <= len(digits) <= 30 or len(digits) != len(account.replace(" ", "")):
        raise DomainError("银行账号应为 12 至 30 位数字", field="account")
    return account


def payee_for_person(person: Person, bank_name: str, account: str, *, actor: Actor) -> Payee:
    """The person's own payee for this account (found by the account's blind index, or made)."""
    account = check_account(bank_name, account)
    found = (
        Payee.objects.for_actor(actor)
        .filter(person=person, **lookup("account", account, "bank_account"))
        .first()
    )
    if found is not None:
        return found
    try:
        with transaction.atomic():
            return Payee.unscoped_objects.create(
                kind="person",
                name=person.name,
                person=person,
                bank_name=bank_name.strip(),
                org=person.org,
                **protect(account, "bank_account").as_fields("account"),
            )
    except IntegrityError as exc:
        raise DomainError("该户名和账号已登记为另一收款方，请核对账号", field="account") from exc


@transaction.atomic
def change_account(payee: Payee, bank_name: str, account: str, *, actor: Actor) -> Payee:
    """Correct a payee's bank account (a failed payment is re-issued to the new one)."""
    actor.require("programs.change")
    # Subtree only: payees of the org's ancestors (a province insurer) serve every county, so a
    # county may not rewrite them; and only a person's own account is corrected here.
    if payee.kind != PayeeKind.PERSON or not in_reach(payee.org, actor):
        raise DomainError("只能更正本辖区个人收款账号；机构收款方请联系其登记单位")
    account = check_account(bank_name, account)
    clash = Payee.unscoped_objects.filter(
        name=payee.name, **lookup("account", account, "bank_account")
    ).exclude(pk=payee.pk)
    if clash.exists():
        raise DomainError("该户名和账号已登记为另一收款方", field="account")
    before = f"{payee.bank_name} ****{payee.account_last4}"
    stored = protect(account, "bank_account")
    payee.bank_name = bank_name.strip()
    payee.account_enc, payee.account_index, payee.account_last4 = (
        stored.enc,
        stored.index,
        stored.last4,
    )
    payee.save(update_fields=["bank_name", "account_enc", "account_index", "account_last4"])
    record(
        actor,
        "fpa.payee.account_changed",
        payee,
        {"account": [before, f"{payee.bank_name} ****{payee.account_last4}"]},
    )
    return payee
