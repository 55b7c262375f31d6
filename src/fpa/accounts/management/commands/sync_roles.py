from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from fpa.accounts import roles
from fpa.accounts.models import Grant, GrantRule, Role, User
from fpa.accounts.services import perms_of


class Command(BaseCommand):
    help = (
        "Reload the built-in roles, their grants and the grant table (idempotent), then list the "
        "accounts whose roles break the separation of duties (fix them on the account page)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        roles.sync(Role, Grant, GrantRule)
        self.stdout.write(f"已同步 {len(roles.BUILTIN_ROLES)} 个内置角色。")
        # Assignments made before a rule existed are not changed silently: an operator decides.
        broken = [
            (user, reason)
            for user in User.objects.filter(assignments__isnull=False).distinct().order_by("pk")
            if (reason := roles.conflict(perms_of(user)))
        ]
        for user, reason in broken:
            self.stdout.write(f"  {user.username}（{user.org.name}）：{reason}")
        if broken:
            self.stdout.write(f"共 {len(broken)} 个账号的角色违反三员分立，请逐一调整。")
