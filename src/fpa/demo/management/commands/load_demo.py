from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from fpa.accounts import demo as accounts_demo
from fpa.demo import loader as demo


class Command(BaseCommand):
    help = "Load the demo data (users at every level, statuses, sites, yearly facts); idempotent."

    def handle(self, *args: Any, **options: Any) -> None:
        if demo.load():
            self.stdout.write("演示数据已加载。")
        self.stdout.write("演示账号（用户名 / 密码 / 单位 / 角色）：")
        for username, password, org, roles in accounts_demo.demo_logins():
            self.stdout.write(f"  {username:20} {password}  {org}  {roles}")
        self.stdout.write("打开 http://127.0.0.1:8000 登录。")
