"""The security administrator's pages: password resets to confirm, locked accounts, tokens."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from fpa.core.errors import DomainError
from fpa.core.permissions import permission
from fpa.kernel.scope import actor_for

from . import security, services, tokens


@permission("accounts.change")
def overview(request: HttpRequest) -> HttpResponse:
    actor = actor_for(request, "accounts.change")
    context = {
        "resets": security.pending_resets(actor),
        "locked": security.locked_accounts(actor),
        "repeated": security.repeated_lockouts(actor),
        "repeated_days": security.REPEATED_DAYS,
    }
    return render(request, "accounts/security.html", context)


@permission("accounts.change", writes=True, methods=("POST",))
def reset_decide(request: HttpRequest, reset_id: int, decision: str) -> HttpResponse:
    actor = actor_for(request, "accounts.change")
    decide = {"confirm": security.confirm_reset, "refuse": security.refuse_reset}[decision]
    if not security.reset_in_reach(reset_id, actor):
        raise Http404
    try:
        reset = decide(reset_id, actor=actor)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        done = "已确认，临时密码现已生效" if decision == "confirm" else "已驳回，原密码不变"
        messages.success(request, f"{reset.user.username} 的密码重置{done}")
    return redirect("accounts:security")


@permission("accounts.change")
def token_list(request: HttpRequest) -> HttpResponse:
    actor = actor_for(request, "accounts.change")
    return render(request, "accounts/tokens.html", {"tokens": tokens.in_reach(actor)})


@permission("accounts.change", writes=True, methods=("POST",))
def token_revoke(request: HttpRequest, user_id: int) -> HttpResponse:
    actor = actor_for(request, "accounts.change")
    target = services.visible_users(actor).filter(pk=user_id).first()
    if target is None:
        raise Http404
    try:
        tokens.revoke(target, actor=actor)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"已撤销 {target.username} 的 API 令牌")
    return redirect("accounts:tokens")
