"""Filing an application from the apply page (the page's form data, one transaction)."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from fpa.core.errors import DomainError
from fpa.core.fields import lookup
from fpa.kernel.scope import Actor
from fpa.people.models import Person

from . import payees, services
from .models import Application, Program
from .rules import rule_for


@transaction.atomic  # a refused filing leaves no payee behind
def file_from_page(
    program: Program,
    data: dict[str, Any],
    raw_details: dict[str, Any],
    *,
    actor: Actor,
    person: Person | None = None,
) -> Application:
    """File the apply page's application: the applicant by ID number when the page names no
    person, their account registered as the payee if new, in one transaction with the filing."""
    details = rule_for(program.kind).clean(raw_details)  # the stay's errors before the account's
    person = person or _applicant(actor, data.get("id_number") or "")
    payee = data.get("payee") or payees.payee_for_person(
        person, data.get("bank_name", ""), data.get("account", ""), actor=actor
    )
    household = None
    if program.for_households:
        household = person.household
        if household is None:
            raise DomainError(f"{person.name}尚未登记家庭户，请先在人员页面建立家庭户")
        person = None
    attachments = (
        [(data["attachment"], data.get("attachment_label") or "证明材料")]
        if data.get("attachment")
        else []
    )
    return services.file_application(
        program,
        actor=actor,
        person=person,
        household=household,
        payee=payee,
        details=details,
        attachments=attachments,
    )


def _applicant(actor: Actor, number: str) -> Person:
    try:
        return Person.objects.for_actor(actor).get(**lookup("id_number", number, "id_number"))
    except (Person.DoesNotExist, ValueError) as exc:
        raise DomainError(
            "本辖区人员库中没有该身份证号码，请先登记人员", field="id_number"
        ) from exc
