from __future__ import annotations

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "fpa.accounts"
    verbose_name = "账号"

    def ready(self) -> None:
        from . import exports, signals  # noqa: F401  (the export job, the login log)
