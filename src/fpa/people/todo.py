from __future__ import annotations

from django.urls import reverse

from fpa.core.todos import Todo
from fpa.kernel.scope import Actor

from . import selectors
from .models import RelocationStatus


def todos(actor: Actor) -> list[Todo]:
    if not actor.can("people.change"):
        return []
    pending = selectors.relocations(actor, "out").filter(status=RelocationStatus.PENDING)
    return [Todo("待办理的人员转接", pending.count(), reverse("people:relocations"), "人")]
