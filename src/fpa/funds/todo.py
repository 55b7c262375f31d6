"""待办 of the funds: gifts still lacking their receipt (公益事业捐赠票据)."""

from __future__ import annotations

from django.urls import reverse

from fpa.core.todos import Todo
from fpa.kernel.scope import Actor

from .donation_selectors import lacking_receipt
from .models import Donation


def todos(actor: Actor) -> list[Todo]:
    if not actor.can("funds.view"):
        return []
    # Bounded: past a thousand the clerk needs the list, not the exact figure.
    waiting = lacking_receipt(Donation.objects.for_actor(actor)).values("pk")[:1000]
    count = len(waiting)
    url = reverse("funds:donations") + "?lacking=on"
    return [Todo("尚未登记票据的捐赠", count, url, "笔" if count < 1000 else "笔以上")]
