from __future__ import annotations

from django.urls import reverse

from fpa.core.todos import Todo
from fpa.kernel.scope import Actor

from . import services
from .models import BatchStatus, PaymentBatch


def todos(actor: Actor) -> list[Todo]:
    found = []
    if actor.can("programs.approve"):
        count = services.worklist(actor).count()
        found.append(Todo("待我审批的申请", count, reverse("programs:worklist"), "份申请"))
    if actor.can("programs.pay"):
        draft = PaymentBatch.objects.for_actor(actor).filter(status=BatchStatus.DRAFT).count()
        found.append(Todo("待导出的发放批次", draft, reverse("programs:batches"), "个批次"))
        waiting = PaymentBatch.objects.for_actor(actor).filter(status=BatchStatus.EXPORTED)
        found.append(Todo("待导入银行回盘", waiting.count(), reverse("programs:batches"), "个批次"))
    return found
