"""What a person received from donations, on their page (the funds app owns what it shows; the
people app only places the tag, as it places the programs' benefit history)."""

from __future__ import annotations

from typing import Any

from django import template

from fpa.kernel.scope import Actor, in_reach

from ..donation_selectors import received_by

register = template.Library()


@register.inclusion_tag("funds/donations/_received.html", takes_context=True)
def donations_received(context: dict[str, Any], *, person: Any) -> dict[str, Any]:
    """The distributions to `person` (whom the page found in reach); nothing without funds.view.
    A distribution given by an org above the clerk is listed but not linked (its page is out of
    the clerk's reach)."""
    actor = Actor.from_request(context["request"])
    if not actor.can("funds.view") or not in_reach(person, actor):
        return {"hidden": True}
    received = received_by(person)
    return {
        "received": received,
        "in_reach_ids": {d.pk for d in received if in_reach(d, actor)},
    }
