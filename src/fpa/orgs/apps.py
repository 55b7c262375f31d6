from __future__ import annotations

from django.apps import AppConfig


class OrgsConfig(AppConfig):
    name = "fpa.orgs"
    verbose_name = "组织网络"

    def ready(self) -> None:
        from . import exports, services  # noqa: F401  (register job runners and merge tables)
