"""The benefit history a person's or family's page shows (the programs app owns what it shows)."""

from __future__ import annotations

from typing import Any

from django import template

from fpa.kernel.scope import Actor

from .. import selectors

register = template.Library()


@register.inclusion_tag("programs/_benefits.html", takes_context=True)
def benefit_history(
    context: dict[str, Any], *, person: Any = None, persons: Any = None, household: Any = None
) -> dict[str, Any]:
    """Entitlements, what was paid and live applications; nothing without programs.view."""
    actor = Actor.from_request(context["request"])
    if not actor.can("programs.view"):
        return {"hidden": True}
    chosen = [person] if person is not None else [p.person for p in persons or []]
    data = selectors.benefits(actor, persons=chosen, household=household)
    return {
        **data,
        "applicants": chosen,
        "can_apply": actor.can("programs.add"),
    }
