from __future__ import annotations

from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "fpa.core"
    verbose_name = "公共"

    def ready(self) -> None:
        from . import checks  # noqa: F401  (registers the production checks)
